// The JSON report, for machines. Field names are a contract (DESIGN.md, "The command line and
// the report"): add fields, never rename them.

#include <cstdint>
#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "grader/report/details.hpp"
#include "grader/report/json_value.hpp"
#include "grader/report/report.hpp"

namespace grader::report {
namespace {

using json = nlohmann::ordered_json;  // fields in the order written, for people reading it

json mismatch_json(const result::Mismatch& m) {
    return {
        {"output", m.output},
        {"index", m.index ? json(*m.index) : json(nullptr)},
        {"expected", json_number(m.expected)},
        {"got", json_number(m.got)},
        {"abs_error", json_number(m.abs_error)},
        {"rel_error", json_number(m.rel_error)},
        {"rtol", json_number(m.rtol)},
        {"atol", json_number(m.atol)},
        {"type", m.kind == result::ValueKind::Bool      ? "bool"
                 : m.kind == result::ValueKind::Integer ? "integer"
                 : m.kind == result::ValueKind::Float   ? "float"
                                                        : "double"},
    };
}

json values_json(const std::vector<double>& values) {
    json a = json::array();
    for (double v : values) a.push_back(json_number(v));
    return a;
}

json shrunk_json(const result::Shrunk& s) {
    json outputs = json::array();
    for (std::size_t i = 0; i < s.returned.size() && i < s.expected.size(); ++i)
        outputs.push_back({{"name", s.returned[i].name},
                           {"expected", values_json(s.expected[i].values)},
                           {"got", values_json(s.returned[i].values)}});
    return {
        {"inputs", s.inputs},
        {"values", s.values},
        {"original_values", s.original_values},
        {"message", s.message},
        {"outputs", std::move(outputs)},
        {"steps", s.steps},
        {"calls", s.calls},
        {"stopped", s.stopped},
    };
}

json diagnoses_json(const std::vector<result::Diagnosis>& diagnoses) {
    json a = json::array();
    for (const result::Diagnosis& d : diagnoses)
        a.push_back({{"kind", result::name(d.kind)}, {"sentence", d.sentence}});
    return a;
}

std::optional<std::string> seed_text(const std::optional<std::uint64_t>& seed) {
    if (!seed) return std::nullopt;
    return std::to_string(*seed);
}

json text_or_null(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}

json text_or_null(const std::string& s) {
    return s.empty() ? json(nullptr) : json(s);
}

json case_json(const result::CaseResult& c, const JsonOptions& options) {
    json j = {
        {"id", c.id},
        {"function", c.function},
        {"verdict", result::name(c.verdict)},
        {"points", c.points},
        {"max_points", c.max_points},
        {"message", c.message},
        {"hidden", c.hidden},
        {"property", c.property},
        {"instances", c.instances},
        {"failed_instances", c.failed_instances},
        {"not_run_instances", c.not_run_instances},
    };
    // A hidden case stops here: nothing that could help reconstruct its inputs or answer.
    if (c.hidden) return j;
    if (options.timings) j["seconds"] = json_number(c.seconds);
    if (c.verdict != result::Verdict::Pass) {
        j["inputs"] = c.inputs;
        j["hint"] = c.hint;
        j["mismatch"] = c.mismatch ? mismatch_json(*c.mismatch) : json(nullptr);
        j["shrunk"] = c.shrunk ? shrunk_json(*c.shrunk) : json(nullptr);
        j["diagnoses"] = diagnoses_json(c.diagnoses);
    }
    return j;
}

json exercise_json(const result::ExerciseResult& e, const JsonOptions& options) {
    json cases = json::array();
    for (const result::CaseResult& c : e.cases) cases.push_back(case_json(c, options));
    return {
        {"id", e.id},
        {"title", e.title},
        {"score", e.score()},
        {"max_score", e.max_score()},
        {"cases", std::move(cases)},
    };
}

}  // namespace

void render_json(const result::Result& r, std::ostream& out, const JsonOptions& options) {
    json exercises = json::array();
    for (const result::ExerciseResult& e : r.exercises)
        exercises.push_back(exercise_json(e, options));
    // Seeds as decimal text: a 64-bit integer does not survive every JSON reader.
    const json seeds = {
        {"public", text_or_null(seed_text(r.seeds.public_seed))},
        {"hidden", text_or_null(seed_text(r.seeds.hidden_seed))},
        {"hidden_from", text_or_null(r.seeds.hidden_from)},
        {"per_student", r.seeds.per_student()},
        {"student", text_or_null(r.seeds.student)},
    };
    json report = {
        {"submission", r.submission},
        {"spec", r.spec},
        {"spec_title", r.spec_title},
        {"grader_version", r.grader_version},
        {"spec_sha256", text_or_null(r.spec_sha256)},
        {"reference_sha256", text_or_null(r.reference_sha256)},
        {"submission_sha256", text_or_null(r.submission_sha256)},
        {"seed", seeds},
        {"score", awarded_score(r)},
        {"max_score", r.max_score()},
        {"full_marks", r.full_marks()},
        {"public_only", r.public_only},
        {"seconds", json_number(r.seconds)},
        {"load_error", r.load_error ? json(*r.load_error) : json(nullptr)},
        {"sandbox", {{"layers", r.sandbox_layers}, {"warnings", r.sandbox_warnings}}},
        {"output",
         {{"text", r.output.text},
          {"bytes", r.output.bytes},
          {"hidden_bytes", r.output.hidden_bytes},
          {"discarded", r.output.discarded}}},
        {"exercises", std::move(exercises)},
    };
    if (!options.timings) report.erase("seconds");
    if (r.lateness) {
        const result::Lateness& l = *r.lateness;
        report["late"] = {
            {"status", l.status},
            {"text", l.text},
            {"penalty", json_number(l.penalty)},
            {"final_score", json_number(l.final_score)},
            {"late_by_seconds", l.late_by_seconds},
            {"due", l.due},
            {"submitted_at", l.submitted_at ? json(*l.submitted_at) : json(nullptr)},
            {"submitted_source", l.submitted_source},
        };
    }
    write_json(report, out);
}

}  // namespace grader::report
