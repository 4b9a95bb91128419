// The JSON report, for machines. Field names are a contract (DESIGN.md, "The command line and
// the report"): add fields, never rename them.

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
    };
}

json case_json(const result::CaseResult& c) {
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
    };
    // A hidden case stops here: nothing that could help reconstruct its inputs or answer.
    if (c.hidden) return j;
    j["seconds"] = json_number(c.seconds);
    if (c.verdict != result::Verdict::Pass) {
        j["inputs"] = c.inputs;
        j["hint"] = c.hint;
        j["mismatch"] = c.mismatch ? mismatch_json(*c.mismatch) : json(nullptr);
    }
    return j;
}

json exercise_json(const result::ExerciseResult& e) {
    json cases = json::array();
    for (const result::CaseResult& c : e.cases) cases.push_back(case_json(c));
    return {
        {"id", e.id},
        {"title", e.title},
        {"score", e.score()},
        {"max_score", e.max_score()},
        {"cases", std::move(cases)},
    };
}

}  // namespace

void render_json(const result::Result& r, std::ostream& out) {
    json exercises = json::array();
    for (const result::ExerciseResult& e : r.exercises) exercises.push_back(exercise_json(e));
    const json report = {
        {"submission", r.submission},
        {"spec", r.spec},
        {"spec_title", r.spec_title},
        {"grader_version", r.grader_version},
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
          {"hidden_bytes", r.output.hidden_bytes}}},
        {"exercises", std::move(exercises)},
    };
    write_json(report, out);
}

}  // namespace grader::report
