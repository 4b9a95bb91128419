// What grading adds after a failure (shrinking, diagnoses) and for a regrade (hashes, seeds,
// per-student hidden inputs), in process: submissions are the reference with one mistake
// tampered in, so each test knows the exact mistake its report must name.
#define BOOST_TEST_MODULE feedback
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>

#include "grader/abi/element.hpp"
#include "grader/error.hpp"
#include "grader/feedback/whole_inputs.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/reference_runner.hpp"
#include "grader/grading/shrink_case.hpp"
#include "grader/grading/student_seed.hpp"
#include "grader/hash/sha256.hpp"
#include "grader/report/details.hpp"
#include "grader/spec/spec.hpp"
#include "tests/temp_dir.hpp"

using namespace grader;
using namespace grader::grading;
using result::DiagnosisKind;
using result::Verdict;

namespace {

const std::string kSpecPath = std::string(PROJECT_ROOT) + "/exercises.yaml";

struct Fixture {
    spec::Spec spec = spec::load(kSpecPath);
    Reference reference{REFERENCE_LIB, spec.functions};
    Prepared prepared = prepare(spec, reference, {});
};

Fixture& shared() {
    static Fixture f;
    return f;
}

// Time budgets out of the way (the sanitized build is slow): these tests are about what is
// found within the call budget.
Feedback full_feedback() {
    Feedback f;
    f.spec = &shared().spec;
    f.reference = &shared().reference;
    f.shrink_seconds = 60;
    f.total_seconds = 600;
    return f;
}

// The reference, with the results of one function changed by `mistake`, which sees the call's
// arguments: a submission whose only mistake is the one the test writes. It counts the calls.
class Mistaken : public sandbox::Runner {
  public:
    using Mistake = std::function<void(const sandbox::Call&, sandbox::CallResult&)>;
    Mistaken(std::string function, Mistake mistake)
        : function_(std::move(function)),
          mistake_(std::move(mistake)),
          inner_(shared().reference, shared().prepared.functions.size()) {}
    const sandbox::LoadResult& load() override { return inner_.load(); }
    sandbox::BatchResult run(std::span<const sandbox::Call> calls) override {
        sandbox::BatchResult b = inner_.run(calls);
        for (std::size_t i = 0; i < calls.size(); ++i) {
            ++calls_;
            if (shared().prepared.functions[calls[i].function].name == function_)
                mistake_(calls[i], b.calls[i]);
        }
        return b;
    }
    std::size_t calls() const { return calls_; }

  private:
    std::string function_;
    Mistake mistake_;
    ReferenceRunner inner_;
    std::size_t calls_ = 0;
};

result::Result grade_with(const std::string& function, Mistaken::Mistake mistake,
                          const Feedback& feedback = full_feedback()) {
    Mistaken runner(function, std::move(mistake));
    return grade(shared().prepared, runner, "tampered", feedback);
}

const result::CaseResult& find_case(const result::Result& r, const std::string& ex,
                                    const std::string& id) {
    for (const auto& e : r.exercises)
        if (e.id == ex)
            for (const auto& c : e.cases)
                if (c.id == id) return c;
    throw std::runtime_error("no case " + ex + "/" + id);
}

// The kinds of a case's diagnoses, in order.
std::vector<DiagnosisKind> kinds(const result::CaseResult& c) {
    std::vector<DiagnosisKind> out;
    for (const auto& d : c.diagnoses) out.push_back(d.kind);
    return out;
}

bool has_zero(const sandbox::Call& call, std::size_t arg) {
    const auto& v = call.args[arg].values;
    return std::find(v.begin(), v.end(), 0.0) != v.end();
}

// Every diagnosis of every case of a result, as "ex/case: kind".
std::vector<std::string> all_diagnoses(const result::Result& r) {
    std::vector<std::string> out;
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases)
            for (const auto& d : c.diagnoses)
                out.push_back(e.id + "/" + c.id + ": " + std::string(result::name(d.kind)));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shrinking)

BOOST_AUTO_TEST_CASE(a_failure_on_any_zero_shrinks_to_two_elements_shown_in_full) {
    // 0 * log 0 computed as NaN: wrong whenever some p_i is 0.
    const result::Result r = grade_with("kl_divergence", [](const sandbox::Call& c, auto& out) {
        if (has_zero(c, 0)) out.result.f = NAN;
    });
    const auto& c = find_case(r, "ex1", "cross_entropy_decomposes");
    BOOST_TEST((c.verdict == Verdict::Wrong));
    BOOST_REQUIRE(c.shrunk.has_value());
    const result::Shrunk& s = *c.shrunk;
    BOOST_TEST(s.original_values > 20u);
    BOOST_TEST(s.values == 5u);  // n, and two elements each of p and q
    BOOST_REQUIRE(s.inputs.size() == 3u);
    BOOST_TEST(s.inputs[0] == "n = 2");
    BOOST_TEST((s.inputs[1] == "p = [0, 1]" || s.inputs[1] == "p = [1, 0]"));
    BOOST_TEST(s.inputs[2] == "q = [0.5, 0.5]");
    BOOST_TEST(s.stopped == "done");
    BOOST_TEST(s.calls <= kShrinkCalls);
    // What came back on it: the student's K is NaN, the reference's is not.
    const auto k = std::find_if(s.returned.begin(), s.returned.end(),
                                [](const result::NamedValues& v) { return v.name == "K"; });
    BOOST_REQUIRE((k != s.returned.end()));
    BOOST_TEST(std::isnan(k->values[0]));
    const auto ek = std::find_if(s.expected.begin(), s.expected.end(),
                                 [](const result::NamedValues& v) { return v.name == "K"; });
    BOOST_REQUIRE((ek != s.expected.end()));
    BOOST_TEST(ek->values[0] == std::log(2.0), boost::test_tools::tolerance(1e-12));
    // The report shows it all.
    const std::vector<std::string> lines = report::case_details(c);
    BOOST_TEST((std::find(lines.begin(), lines.end(), "          q = [0.5, 0.5]") != lines.end()));
}

BOOST_AUTO_TEST_CASE(tables_shrink_by_rows_and_columns_within_the_contract) {
    // expected_conditional_kl wrong whenever the table has a zero in P.
    const result::Result r =
        grade_with("expected_conditional_kl", [](const sandbox::Call& c, auto& out) {
            if (has_zero(c, 0)) out.result.f += 1;
        });
    const auto& c = find_case(r, "ex4", "conditional_random");  // hidden: shrunk all the same
    BOOST_REQUIRE(c.shrunk.has_value());
    BOOST_REQUIRE(!c.shrunk->inputs.empty());
    // rows, cols, P, Q: a 1 x 2 or 2 x 1 table holds a zero and one positive entry.
    BOOST_TEST(c.shrunk->values == 6u);
    // Hidden: never rendered.
    for (const std::string& line : report::case_details(c))
        BOOST_TEST(line.find("smallest") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(shrinking_never_changes_a_verdict_or_a_score) {
    auto mistake = [](const sandbox::Call& c, sandbox::CallResult& out) {
        if (has_zero(c, 0)) out.result.f = NAN;
    };
    Feedback none;
    const result::Result with = grade_with("kl_divergence", mistake);
    const result::Result without = grade_with("kl_divergence", mistake, none);
    BOOST_TEST(with.score() == without.score());
    BOOST_TEST(with.failed_count() == without.failed_count());
    for (const auto& e : without.exercises)
        for (const auto& c : e.cases) BOOST_TEST(!c.shrunk.has_value());
}

BOOST_AUTO_TEST_CASE(the_budget_bounds_the_extra_calls) {
    auto mistake = [](const sandbox::Call&, sandbox::CallResult& out) { out.result.f += 1; };
    Mistaken plain("entropy", mistake), shrinking("entropy", mistake);
    grade(shared().prepared, plain, "a", Feedback{});
    Feedback f = full_feedback();
    f.shrink_calls = 50;
    const result::Result r = grade(shared().prepared, shrinking, "b", f);
    std::size_t shrunk_cases = 0;
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases)
            if (c.shrunk) {
                ++shrunk_cases;
                BOOST_TEST(c.shrunk->calls <= 50u + 16u);  // the last batch may overrun
            }
    BOOST_TEST(shrunk_cases >= 2u);
    BOOST_TEST(shrinking.calls() - plain.calls() <= shrunk_cases * (50u + 16u) + 100u);
}

// The report's shrink line says what was done: an input of fixed length only got simpler values,
// and a failure the shrinker made no call for was not found unshrinkable.
BOOST_AUTO_TEST_CASE(the_shrink_line_says_what_was_tried) {
    result::CaseResult c;
    c.verdict = Verdict::Wrong;
    c.message = "wrong value";
    c.shrunk = result::Shrunk{};
    c.shrunk->original_values = 12;
    c.shrunk->values = 12;
    c.shrunk->calls = 150;
    c.shrunk->stopped = "done";
    c.shrunk->inputs = {"p = [0, 0.4, 0.6]"};
    auto has = [&](const std::string& line) {
        const std::vector<std::string> lines = report::case_details(c);
        return std::find(lines.begin(), lines.end(), line) != lines.end();
    };
    BOOST_TEST(has("simplest failing input found: the same 12 values, simpler (150 extra calls):"));
    c.shrunk->values = 3;
    BOOST_TEST(has("smallest failing input found: 3 values instead of 12 (150 extra calls):"));
    c.shrunk->inputs.clear();
    BOOST_TEST(has("no smaller input fails the same way (150 calls tried)"));
    c.shrunk->calls = 0;
    BOOST_TEST(has("no smaller input was tried"));
}

// A smaller input is taken only when it fails the same way: a crash of another kind is another
// bug, and its input would send the student after the wrong one.
BOOST_AUTO_TEST_CASE(a_crash_of_another_kind_is_not_the_same_failure) {
    auto crash = [](const std::string& message) {
        grading::Outcome o;
        o.verdict = Verdict::Crash;
        o.call = "count_above";
        o.message = "count_above crashed: " + message;
        return grading::failure_signature(o);
    };
    BOOST_TEST(crash("SIGSEGV (segmentation fault)") !=
               crash("read past the end of input 'x' (n = 0)"));
    // The same crash at another length is the same failure.
    BOOST_TEST(crash("read past the end of input 'x' (n = 0)") ==
               crash("read past the end of input 'x' (n = 76)"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(diagnoses)

BOOST_AUTO_TEST_CASE(bits_instead_of_nats) {
    const result::Result r = grade_with(
        "kl_divergence", [](const sandbox::Call&, auto& out) { out.result.f /= std::log(2.0); });
    const auto& c = find_case(r, "ex1", "tokens_kl_pq");
    BOOST_REQUIRE(c.diagnoses.size() == 1u);
    BOOST_TEST((c.diagnoses[0].kind == DiagnosisKind::Bits));
    BOOST_TEST(c.diagnoses[0].sentence.find("divided by ln 2") != std::string::npos);
    BOOST_TEST(c.diagnoses[0].sentence.find("0.244494 instead of 0.169471") != std::string::npos);
    // In a property too, naming the call, on every failing input.
    const auto& p = find_case(r, "ex1", "cross_entropy_decomposes");
    BOOST_TEST((kinds(p) == std::vector<DiagnosisKind>{DiagnosisKind::Bits}));
    BOOST_TEST(p.diagnoses[0].sentence.find("K (kl_divergence)") == 0u);
    BOOST_TEST(p.diagnoses[0].sentence.find("on all") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(swapped_arguments_are_found_by_calling_the_reference) {
    const result::Result r = grade_with("kl_divergence", [](const sandbox::Call& c, auto& out) {
        sandbox::Call swapped = c;
        std::swap(swapped.args[0], swapped.args[1]);
        out.result.f = shared().reference.call(swapped).result;
    });
    const auto& c = find_case(r, "ex1", "tokens_kl_pq");
    BOOST_TEST((kinds(c) == std::vector<DiagnosisKind>{DiagnosisKind::Swapped}));
    BOOST_TEST(c.diagnoses[0].sentence.find("with p and q swapped") != std::string::npos);
    // Without the reference there is no way to tell, and nothing is said.
    Feedback numbers_only;
    const result::Result n = grade_with(
        "kl_divergence",
        [](const sandbox::Call& call, auto& out) {
            sandbox::Call swapped = call;
            std::swap(swapped.args[0], swapped.args[1]);
            out.result.f = shared().reference.call(swapped).result;
        },
        numbers_only);
    BOOST_TEST(find_case(n, "ex1", "tokens_kl_pq").diagnoses.empty());
}

BOOST_AUTO_TEST_CASE(a_flipped_sign) {
    const result::Result r = grade_with(
        "tv_distance", [](const sandbox::Call&, auto& out) { out.result.f = -out.result.f; });
    BOOST_TEST((kinds(find_case(r, "ex6", "tv_notebook")) ==
                std::vector<DiagnosisKind>{DiagnosisKind::Sign}));
}

BOOST_AUTO_TEST_CASE(a_tau_squared_factor_is_named_whatever_tau_is) {
    const result::Result r = grade_with("distillation_kl", [](const sandbox::Call& c, auto& out) {
        const double tau = c.args[3].scalar.f;
        out.result.f *= tau * tau;
    });
    const auto& c = find_case(r, "ex9", "notebook");
    BOOST_TEST((kinds(c) == std::vector<DiagnosisKind>{DiagnosisKind::Factor}));
    BOOST_TEST(c.diagnoses[0].sentence.find("tau² = 4 times") != std::string::npos);
    // 25 random taus: only tau² explains them all.
    const auto& random = find_case(r, "ex9", "random");
    BOOST_TEST((kinds(random) == std::vector<DiagnosisKind>{DiagnosisKind::Factor}));
    BOOST_TEST(random.diagnoses[0].sentence.find("factor tau²") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_forgotten_half) {
    const result::Result r =
        grade_with("tv_distance", [](const sandbox::Call&, auto& out) { out.result.f *= 2; });
    const auto& c = find_case(r, "ex6", "pinsker_random");
    BOOST_TEST((kinds(c) == std::vector<DiagnosisKind>{DiagnosisKind::Factor}));
    BOOST_TEST(c.diagnoses[0].sentence.find("twice the expected value") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(overflow_only_for_large_inputs) {
    // exp without the shift: NaN once a logit / tau passes 709.
    const result::Result r = grade_with("softmax_t", [](const sandbox::Call& c, auto& out) {
        double largest = 0;
        for (double z : c.args[0].values) largest = std::max(largest, z / c.args[2].scalar.f);
        if (largest > 709) out.outputs[3].assign(out.outputs[3].size(), -NAN);
    });
    const auto& c = find_case(r, "ex8", "large_logits");
    BOOST_TEST((kinds(c) == std::vector<DiagnosisKind>{DiagnosisKind::Overflow}));
    BOOST_TEST(c.diagnoses[0].sentence.find("logits is divided by 1000") != std::string::npos);
    // The public cases with small logits pass, so nothing else is said.
    BOOST_TEST((find_case(r, "ex8", "teacher_tau_1").verdict == Verdict::Pass));
}

BOOST_AUTO_TEST_CASE(an_output_left_unwritten) {
    const result::Result r = grade_with("gibbs_terms", [](const sandbox::Call&, auto& out) {
        out.outputs[4].assign(out.outputs[4].size(), std::numeric_limits<double>::quiet_NaN());
    });
    const auto& c = find_case(r, "ex2", "notebook_terms");
    BOOST_TEST((kinds(c) == std::vector<DiagnosisKind>{DiagnosisKind::Unwritten}));
    BOOST_TEST(c.diagnoses[0].sentence.find("linear came back holding the NaN") == 0u);
    // A NaN the code computed (another bit pattern) is not taken for an unwritten output.
    const result::Result computed = grade_with("gibbs_terms", [](const sandbox::Call&, auto& out) {
        out.outputs[4].assign(out.outputs[4].size(), -std::numeric_limits<double>::quiet_NaN());
    });
    BOOST_TEST(find_case(computed, "ex2", "notebook_terms").diagnoses.empty());
}

BOOST_AUTO_TEST_CASE(a_mistake_the_numbers_do_not_show_gets_no_diagnosis) {
    // Off by an added constant: none of the diagnoses, and none is given anywhere.
    const result::Result r =
        grade_with("entropy", [](const sandbox::Call&, auto& out) { out.result.f += 0.125; });
    BOOST_TEST(r.failed_count() > 3u);
    BOOST_TEST(all_diagnoses(r).empty(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hidden_cases_are_diagnosed_but_never_shown) {
    const result::Result r = grade_with(
        "kl_divergence", [](const sandbox::Call&, auto& out) { out.result.f /= std::log(2.0); });
    const auto& c = find_case(r, "ex1", "kl_random");
    BOOST_TEST(c.hidden);
    BOOST_TEST(!c.diagnoses.empty());
    for (const std::string& line : report::case_details(c))
        BOOST_TEST(line.find("diagnosis") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(per_student_inputs)

const std::string kSecret = "an instructor's secret of 32 bytes";

BOOST_AUTO_TEST_CASE(seeds_are_keyed_by_the_secret_and_the_id) {
    const std::uint64_t alice = student_seed(kSecret, "alice");
    BOOST_TEST(alice == student_seed(kSecret, "alice"));
    BOOST_TEST(alice != student_seed(kSecret, "bob"));
    BOOST_TEST(alice != student_seed(kSecret + "!", "alice"));
    BOOST_TEST(alice != student_seed(kSecret, "alice "));  // ids are taken exactly
    BOOST_CHECK_THROW(student_seed(kSecret, ""), Error);
}

BOOST_AUTO_TEST_CASE(a_short_or_missing_secret_is_an_error_saying_how_to_make_one) {
    const std::string path = (test_support::temp_dir() / "short.secret").string();
    std::ofstream(path) << "short\n";
    try {
        read_course_secret(path);
        BOOST_FAIL("a short secret was accepted");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("/dev/urandom") != std::string::npos);
    }
    BOOST_CHECK_THROW(read_course_secret("/nonexistent/course.secret"), Error);
    const std::string good = (test_support::temp_dir() / "good.secret").string();
    std::ofstream(good) << kSecret << "\n";
    BOOST_TEST(read_course_secret(good) == kSecret);  // the line break is not part of it
    BOOST_TEST(find_course_secret("/nonexistent/exercises.yaml", good).value() == kSecret);
    BOOST_TEST(!find_course_secret("/nonexistent/exercises.yaml", "").has_value());
}

BOOST_AUTO_TEST_CASE(two_students_get_different_hidden_inputs_each_reproducible) {
    auto hidden_of = [](const std::string& student) {
        PrepareOptions o;
        o.hidden_only = true;
        o.hidden_seed = student_seed(kSecret, student);
        o.hidden_from = "student";
        o.student = student;
        return prepare(shared().spec, shared().reference, o);
    };
    auto inputs_of = [](const Prepared& p, const std::string& id) {
        for (const auto& e : p.exercises)
            for (const auto& c : e.cases)
                if (c.id == id) return c.instances[0].inputs;
        throw std::runtime_error("no case " + id);
    };
    const Prepared alice = hidden_of("alice"), again = hidden_of("alice"), bob = hidden_of("bob");
    BOOST_TEST((inputs_of(alice, "kl_random") == inputs_of(again, "kl_random")));
    BOOST_TEST((inputs_of(alice, "kl_random") != inputs_of(bob, "kl_random")));
    BOOST_TEST(alice.hidden_seed.value() == student_seed(kSecret, "alice"));
    BOOST_TEST(alice.hidden_from == "student");
    // Only hidden cases were prepared.
    for (const auto& e : alice.exercises)
        for (const auto& c : e.cases) BOOST_TEST(c.hidden);
}

BOOST_AUTO_TEST_CASE(public_cases_once_and_hidden_per_seed_equal_a_full_preparation) {
    PrepareOptions pub, hid, all;
    pub.public_only = true;
    hid.hidden_only = true;
    hid.hidden_seed = all.hidden_seed = 4242;
    const Prepared combined = combine(prepare(shared().spec, shared().reference, pub),
                                      prepare(shared().spec, shared().reference, hid));
    const Prepared full = prepare(shared().spec, shared().reference, all);
    BOOST_REQUIRE(combined.exercises.size() == full.exercises.size());
    for (std::size_t e = 0; e < full.exercises.size(); ++e) {
        const auto &a = combined.exercises[e].cases, &b = full.exercises[e].cases;
        BOOST_REQUIRE(a.size() == b.size());
        for (std::size_t c = 0; c < a.size(); ++c) {
            BOOST_TEST(a[c].id == b[c].id);
            BOOST_TEST((a[c].instances[0].inputs == b[c].instances[0].inputs));
        }
    }
    BOOST_TEST(combined.hidden_seed.value() == 4242u);
    BOOST_TEST(combined.public_seed.value() == shared().spec.seed);
    BOOST_TEST(combined.has_hidden);
}

BOOST_AUTO_TEST_CASE(a_result_records_what_a_regrade_needs) {
    ReferenceRunner runner(shared().reference, shared().prepared.functions.size());
    const result::Result r = grade(shared().prepared, runner, REFERENCE_LIB);
    BOOST_TEST(r.spec_sha256 == hash::sha256_file(kSpecPath));
    BOOST_TEST(r.reference_sha256 == hash::sha256_file(REFERENCE_LIB));
    BOOST_TEST(r.submission_sha256 == hash::sha256_file(REFERENCE_LIB));
    BOOST_TEST(r.seeds.public_seed.value() == shared().spec.seed);
    BOOST_TEST(r.seeds.hidden_seed.value() == shared().spec.seed);
    BOOST_TEST(r.seeds.hidden_from == "spec");
    BOOST_TEST(!r.seeds.per_student());
    BOOST_TEST(!r.grader_version.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(whole_inputs)

namespace {

// kl_divergence(p, q, n) on p of `n` values (and q of one, which no shown line names).
Instance instance_of(std::size_t n) {
    Instance inst;
    PreparedCall call;
    sandbox::Arg p;
    p.kind = sandbox::Arg::Kind::Input;
    for (std::size_t i = 0; i < n; ++i) p.values.push_back(1.0 / 3.0 + static_cast<double>(i));
    sandbox::Arg q = p;
    sandbox::Arg size;
    size.scalar = grader::abi::word_of(grader::abi::Scalar::SizeT, static_cast<double>(n));
    call.call.args = {p, q, size};
    inst.calls.push_back(call);
    inst.shown_inputs = {"p = " + show_values(p.values), "n = " + std::to_string(n)};
    return inst;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_small_input_is_shown_whole_and_a_large_one_says_where_it_is) {
    const grader::abi::Signature sig = grader::abi::parse_prototype(
        "double kl_divergence(const double *p, const double *q, size_t n)");
    const Instance small = instance_of(12);
    BOOST_TEST(small.shown_inputs[0].find("...") != std::string::npos);  // cut to a line
    const std::vector<std::string> whole = feedback::whole_inputs(sig, small, "there");
    BOOST_REQUIRE_EQUAL(whole.size(), 2u);
    BOOST_TEST(whole[0] == "p = " + show_all_values(small.calls[0].call.args[0].values));
    BOOST_TEST(whole[0].find("11.333333333333334]") != std::string::npos, whole[0]);
    BOOST_TEST(whole[1] == "n = 12");

    const Instance large = instance_of(52);
    const std::vector<std::string> cut = feedback::whole_inputs(sig, large, "in the bundle");
    BOOST_REQUIRE_EQUAL(cut.size(), 3u);
    BOOST_TEST(cut[0] == large.shown_inputs[0]);
    BOOST_TEST(cut[2] == "(cut short; the whole input: in the bundle)");
}

BOOST_AUTO_TEST_SUITE_END()
