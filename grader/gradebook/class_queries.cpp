// The queries behind the class summary. They only read, so the failures worth a sentence are a
// gradebook another grader keeps busy, and a file that is not (or no longer) a readable one.

#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <optional>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"

namespace grader::gradebook {

namespace {

template <typename F>
auto reading(const std::string& path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        switch (e.getErrorCode()) {
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                throw Error("the gradebook " + path +
                            " is busy: another grader is writing to it. Wait for it to finish, "
                            "then run this command again");
            case SQLITE_CORRUPT:
            case SQLITE_NOTADB:
                throw Error(path + " is not a readable gradebook (" + e.what() +
                            "); name another file with --gradebook");
            default:
                throw Error("cannot read the class from the gradebook " + path + ": " + e.what());
        }
    }
}

result::Verdict verdict_of(const std::string& text) {
    for (result::Verdict v :
         {result::Verdict::Pass, result::Verdict::Wrong, result::Verdict::Missing,
          result::Verdict::Crash, result::Verdict::Timeout, result::Verdict::Memory,
          result::Verdict::Overflow, result::Verdict::Forbidden, result::Verdict::Error})
        if (result::name(v) == text) return v;
    return result::Verdict::Error;
}

// The gradebook writes non-finite numbers as strings, since JSON has no word for them.
double number_of(const nlohmann::json& v) {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s == "inf") return std::numeric_limits<double>::infinity();
        if (s == "-inf") return -std::numeric_limits<double>::infinity();
    }
    return std::numeric_limits<double>::quiet_NaN();
}

// Values written by an older or newer grader may differ in shape: what cannot be read is left
// out rather than failing the whole summary.
std::vector<result::NamedValues> values_of(const SQLite::Column& column) {
    std::vector<result::NamedValues> out;
    if (column.isNull()) return out;
    const nlohmann::json doc = nlohmann::json::parse(column.getString(), nullptr, false);
    if (!doc.is_array()) return out;
    for (const nlohmann::json& item : doc) {
        if (!item.is_object()) continue;
        result::NamedValues v;
        v.name = item.value("name", std::string());
        if (item.contains("values") && item["values"].is_array())
            for (const nlohmann::json& x : item["values"]) v.values.push_back(number_of(x));
        v.length = item.contains("length") && item["length"].is_number_unsigned()
                       ? item["length"].get<std::size_t>()
                       : v.values.size();
        out.push_back(std::move(v));
    }
    return out;
}

// Current runs of one spec; the joins below start from it.
constexpr const char* kClassRuns =
    "SELECT id, student_id, seed FROM current_runs WHERE spec_sha256 = ?1 AND status = 'graded'";

}  // namespace

std::vector<CaseOutcome> Gradebook::class_case_outcomes(const std::string& spec_sha256) {
    return reading(path_, [&] {
        std::vector<CaseOutcome> out;
        SQLite::Statement s(*db_, std::string("WITH class AS (") + kClassRuns +
                                      ") SELECT r.id, r.student_id, c.exercise, c.case_id, "
                                      "c.verdict, c.points, c.returned "
                                      "FROM class r JOIN case_results c ON c.run_id = r.id "
                                      "JOIN spec_exercises x ON x.spec_sha256 = ?1 "
                                      "AND x.exercise = c.exercise "
                                      "JOIN spec_cases sc ON sc.spec_sha256 = ?1 "
                                      "AND sc.exercise = c.exercise AND sc.case_id = c.case_id "
                                      "ORDER BY r.student_id, x.position, sc.position");
        s.bind(1, spec_sha256);
        while (s.executeStep()) {
            CaseOutcome o;
            o.run = s.getColumn(0).getInt64();
            o.student = s.getColumn(1).getString();
            o.exercise = s.getColumn(2).getString();
            o.case_id = s.getColumn(3).getString();
            o.verdict = verdict_of(s.getColumn(4).getString());
            o.points = s.getColumn(5).getInt();
            o.wrong_answer = o.verdict == result::Verdict::Wrong && !s.getColumn(6).isNull();
            if (o.wrong_answer) {
                o.nothing_returned = true;
                for (const result::NamedValues& v : values_of(s.getColumn(6)))
                    for (double x : v.values)
                        if (!std::isnan(x) && x != 0) o.nothing_returned = false;
            }
            out.push_back(std::move(o));
        }
        return out;
    });
}

std::vector<IdenticalAnswer> Gradebook::identical_wrong_answers(const std::string& spec_sha256) {
    return reading(path_, [&] {
        std::vector<IdenticalAnswer> out;
        // One row per member; the groups are the runs of equal keys. The seed is part of the key:
        // the same bits for other inputs would be a coincidence, not the same answer.
        SQLite::Statement s(
            *db_, std::string("WITH class AS (") + kClassRuns +
                      "), answers AS (SELECT r.student_id, r.seed, c.exercise, c.case_id, "
                      "c.fingerprint, c.returned, c.expected, c.diagnosis, "
                      "count(*) OVER (PARTITION BY r.seed, c.exercise, c.case_id, "
                      "c.fingerprint) AS size "
                      "FROM class r JOIN case_results c ON c.run_id = r.id "
                      "WHERE c.verdict = 'wrong' AND c.fingerprint IS NOT NULL "
                      "AND c.returned IS NOT NULL) "
                      "SELECT student_id, seed, exercise, case_id, fingerprint, returned, "
                      "expected, diagnosis, size FROM answers WHERE size >= 2 "
                      "ORDER BY size DESC, exercise, case_id, fingerprint, seed, student_id");
        s.bind(1, spec_sha256);
        std::optional<std::int64_t> last_seed;
        bool last_seed_null = false;
        while (s.executeStep()) {
            const bool seed_null = s.getColumn(1).isNull();
            const std::int64_t seed = seed_null ? 0 : s.getColumn(1).getInt64();
            const std::string exercise = s.getColumn(2).getString();
            const std::string case_id = s.getColumn(3).getString();
            const std::string fingerprint = s.getColumn(4).getString();
            const bool same = !out.empty() && out.back().exercise == exercise &&
                              out.back().case_id == case_id &&
                              out.back().fingerprint == fingerprint &&
                              last_seed_null == seed_null && last_seed == seed;
            if (!same) {
                IdenticalAnswer a;
                a.exercise = exercise;
                a.case_id = case_id;
                a.fingerprint = fingerprint;
                a.returned = values_of(s.getColumn(5));
                a.expected = values_of(s.getColumn(6));
                if (!s.getColumn(7).isNull()) a.diagnosis = s.getColumn(7).getString();
                out.push_back(std::move(a));
                last_seed = seed;
                last_seed_null = seed_null;
            }
            out.back().students.push_back(s.getColumn(0).getString());
        }
        return out;
    });
}

}  // namespace grader::gradebook
