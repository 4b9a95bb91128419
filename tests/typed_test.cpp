#define BOOST_TEST_MODULE typed
#include <boost/test/unit_test.hpp>

// The types besides double, end to end: tests/data/typed/exercises.yaml graded through the real
// sandboxed worker against its own reference (tests/fixtures/typed/reference.c), the submissions
// being tests/fixtures/typed/submission.c with one TYPED_* mistake each.

#include <sstream>

#include <nlohmann/json.hpp>
#include <string>

#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/grade.hpp"
#include "grader/report/report.hpp"
#include "grader/sandbox/process_runner.hpp"
#include "grader/spec/spec.hpp"

using namespace grader;
using result::Verdict;

namespace {

std::string library(const std::string& name) {
    return std::string(TYPED_DIR) + "/lib" + name + ".so";
}

struct Cases {
    spec::Spec spec = spec::load(std::string(PROJECT_ROOT) + "/tests/data/typed/exercises.yaml");
    grading::Reference reference{library("typed_reference"), spec.functions};
    grading::Prepared prepared = grading::prepare(spec, reference, {});
};

const Cases& cases() {
    static const Cases c;
    return c;
}

result::Result grade(const std::string& name,
                     const grading::Prepared& prepared = cases().prepared) {
    sandbox::ProcessRunnerConfig config;
    config.worker_exe = WORKER_EXE;
    config.library = library(name);
    config.functions = prepared.functions;
    auto runner = sandbox::make_process_runner(config);
    return grading::grade(prepared, *runner, config.library, {});
}

const result::CaseResult& find(const result::Result& r, const std::string& id) {
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases)
            if (c.id == id) return c;
    throw std::runtime_error("no case " + id);
}

// Every case but those of `function` passes.
void only_function_fails(const result::Result& r, const std::string& function) {
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases)
            BOOST_TEST((c.verdict == Verdict::Pass) == (c.function != function),
                       c.id << " is " << result::name(c.verdict) << ": " << c.message);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_correct_submission_scores_full_marks) {
    const result::Result r = grade("typed_good");
    for (const auto& e : r.exercises) {
        BOOST_TEST(e.score() == e.max_score(), e.id);
        for (const auto& c : e.cases)
            BOOST_TEST((c.verdict == Verdict::Pass), c.id << ": " << c.message);
    }
}

BOOST_AUTO_TEST_CASE(the_reference_grades_itself_full_marks) {
    const result::Result r = grade("typed_reference");
    for (const auto& e : r.exercises) BOOST_TEST(e.score() == e.max_score(), e.id);
}

BOOST_AUTO_TEST_CASE(an_unwritten_int32_output_fails) {
    const result::Result r = grade("typed_unwritten");
    only_function_fails(r, "prefix_sums");
    const auto& c = find(r, "prefix_literal");
    BOOST_TEST((c.verdict == Verdict::Wrong));
    BOOST_TEST(c.message.find("out[3] was never written") != std::string::npos, c.message);
    BOOST_REQUIRE(c.mismatch);
    BOOST_TEST(c.mismatch->expected == 6);
    BOOST_TEST(c.mismatch->rtol == 0);  // integers are compared exactly
    BOOST_TEST(c.mismatch->atol == 0);
    bool diagnosed = false;
    for (const auto& d : c.diagnoses)
        diagnosed |= d.kind == result::DiagnosisKind::Unwritten &&
                     d.sentence.find("INT32_MIN") != std::string::npos;
    BOOST_TEST(diagnosed);
}

BOOST_AUTO_TEST_CASE(writing_past_an_int32_output_is_an_overflow) {
    const result::Result r = grade("typed_overflow");
    only_function_fails(r, "prefix_sums");
    const auto& c = find(r, "prefix_literal");
    BOOST_TEST((c.verdict == Verdict::Overflow));
    BOOST_TEST(c.message.find("wrote past the end of output 'out'") != std::string::npos,
               c.message);
}

BOOST_AUTO_TEST_CASE(writing_into_a_const_int32_input_is_a_crash_naming_it) {
    const result::Result r = grade("typed_const_write");
    only_function_fails(r, "count_below");
    const auto& c = find(r, "count_literal");
    BOOST_TEST((c.verdict == Verdict::Crash));
    BOOST_TEST(c.message.find("wrote into the const input 'x'") != std::string::npos, c.message);
}

BOOST_AUTO_TEST_CASE(a_float_beyond_single_precision_tolerance_fails) {
    const result::Result r = grade("typed_float_far");
    only_function_fails(r, "mean_float");
    const auto& c = find(r, "mean_literal");
    BOOST_TEST((c.verdict == Verdict::Wrong));
    BOOST_REQUIRE(c.mismatch);
    // The single-precision floors, not the spec's double tolerances (1e-9, 1e-12).
    BOOST_TEST(c.mismatch->rtol == 1e-5);
    BOOST_TEST(c.mismatch->atol == 1e-6);
}

// The text report writes each value as its C type does: a bool as true or false, an unwritten
// integer as nothing, a float input as the float it is; and says an exact comparison is one.
BOOST_AUTO_TEST_CASE(the_report_writes_values_as_their_types) {
    auto text_of = [](const result::Result& r) {
        std::ostringstream out;
        report::render_text(r, out);
        return out.str();
    };
    const std::string sorted = text_of(grade("typed_sorted_strict"));
    BOOST_TEST(sorted.find("return value is not the expected value\n") != std::string::npos,
               sorted);
    BOOST_TEST(sorted.find("expected true, got false\n") != std::string::npos);
    BOOST_TEST(sorted.find("(a bool is compared exactly)") != std::string::npos);
    const std::string unwritten = text_of(grade("typed_unwritten"));
    BOOST_TEST(unwritten.find("expected 6, got nothing at index 3 of out\n") != std::string::npos,
               unwritten);
    BOOST_TEST(unwritten.find("(integers are compared exactly)") != std::string::npos);
    const std::string far = text_of(grade("typed_float_far"));
    // 0.1f is 0.10000000149011612 as a double: the student wrote 0.1.
    BOOST_TEST(far.find("inputs: x = [0.1, 0.2, 0.3]\n") != std::string::npos, far);
    BOOST_TEST(far.find("tolerance rtol 1e-05, atol 1e-06") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_float_within_single_precision_tolerance_passes) {
    // Off by 2e-6 relative: far outside the spec's rtol of 1e-9, inside the float floor.
    const result::Result r = grade("typed_float_near");
    for (const auto& e : r.exercises) BOOST_TEST(e.score() == e.max_score(), e.id);
}

BOOST_AUTO_TEST_CASE(shrinking_keeps_categorical_samples_below_their_k) {
    // bincount's k both sizes its output and bounds its labels: a smaller k would make the
    // reference count past its array, in the grader's own process.
    const result::Result r = grade("typed_bincount_off");
    only_function_fails(r, "bincount");
    const auto& c = find(r, "bincount_random");
    BOOST_TEST((c.verdict == Verdict::Wrong));
    if (c.shrunk)
        for (const std::string& in : c.shrunk->inputs)
            if (in.starts_with("k = ")) BOOST_TEST(in == c.inputs.at(0), "k changed: " << in);
}

BOOST_AUTO_TEST_CASE(the_public_bundle_carries_every_type) {
    // Negative int32_t scalars, uint8_t and float scalars and arrays survive the bundle, which
    // is read back under the prototypes' types.
    std::ostringstream text;
    grading::write_bundle(cases().prepared, text);
    const grading::Prepared bundle = grading::parse_bundle(text.str(), "typed.json");
    const result::Result good = grade("typed_good", bundle);
    for (const auto& e : good.exercises) BOOST_TEST(e.score() == e.max_score(), e.id);
    const result::Result far = grade("typed_float_far", bundle);
    BOOST_TEST((find(far, "mean_literal").verdict == Verdict::Wrong));

    // An edited bundle cannot hand a function a value its type does not hold.
    nlohmann::json j = nlohmann::json::parse(text.str());
    bool replaced = false;
    const nlohmann::json bytes = {0.0, 100.0, 250.0, 255.0};
    auto edit = [&](auto& self, nlohmann::json& node) -> void {
        if (node == bytes) {
            node[3] = 256.0;
            replaced = true;
        } else if (node.is_structured()) {
            for (auto& child : node) self(self, child);
        }
    };
    edit(edit, j);
    BOOST_REQUIRE(replaced);
    const std::string edited = j.dump();
    try {
        grading::parse_bundle(edited, "typed.json");
        BOOST_FAIL("an out-of-range uint8_t input was read");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("must be a whole number from 0 to 255 (an element "
                                              "of 'a', uint8_t)") != std::string::npos,
                   e.what());
    }
}
