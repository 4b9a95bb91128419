#define BOOST_TEST_MODULE grading
#include <boost/test/unit_test.hpp>

#include <gnu/libc-version.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

#include "grader/grading/bundle.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/outcome.hpp"
#include "grader/grading/reference_runner.hpp"
#include "grader/spec/spec.hpp"
#include "tests/temp_dir.hpp"

using namespace grader;
using namespace grader::grading;
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

// Runs the reference, then lets a test tamper with the result of chosen functions: a
// submission that is right everywhere except where the test says.
class TamperingRunner : public sandbox::Runner {
  public:
    using Tamper = std::function<void(const std::string& function, sandbox::CallResult&)>;
    TamperingRunner(const Prepared& p, Tamper tamper, std::vector<std::string> missing = {})
        : prepared_(p), inner_(shared().reference, p.functions.size()), tamper_(std::move(tamper)) {
        load_ = inner_.load();
        for (const std::string& m : missing)
            load_.present[static_cast<std::size_t>(p.function_index(m))] = false;
    }
    const sandbox::LoadResult& load() override { return load_; }
    sandbox::BatchResult run(std::span<const sandbox::Call> calls) override {
        sandbox::BatchResult b = inner_.run(calls);
        for (std::size_t i = 0; i < calls.size(); ++i)
            tamper_(prepared_.functions[calls[i].function].name, b.calls[i]);
        return b;
    }

  private:
    const Prepared& prepared_;
    ReferenceRunner inner_;
    Tamper tamper_;
    sandbox::LoadResult load_;
};

const result::ExerciseResult& exercise(const result::Result& r, const std::string& id) {
    for (const auto& e : r.exercises)
        if (e.id == id) return e;
    throw std::runtime_error("no exercise " + id);
}

const result::CaseResult& find_case(const result::Result& r, const std::string& ex,
                                    const std::string& id) {
    for (const auto& c : exercise(r, ex).cases)
        if (c.id == id) return c;
    throw std::runtime_error("no case " + id);
}

// Every exercise but `except` keeps full marks.
void check_others_full(const result::Result& r, const std::string& except) {
    for (const auto& e : r.exercises) {
        if (e.id == except) continue;
        BOOST_TEST_CONTEXT(e.id) {
            BOOST_TEST(e.score() == e.max_score());
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(grading)

BOOST_AUTO_TEST_CASE(the_reference_scores_full_marks) {
    ReferenceRunner runner(shared().reference, shared().prepared.functions.size());
    const result::Result r = grade(shared().prepared, runner, "reference");
    BOOST_TEST(r.full_marks());
    BOOST_TEST(r.max_score() > 100);
    BOOST_TEST(r.failed_count() == 0u);
    BOOST_TEST(!r.public_only);
}

BOOST_AUTO_TEST_CASE(preparation_is_deterministic) {
    const Prepared again = prepare(shared().spec, shared().reference, {});
    const auto& a = shared().prepared.exercises[0].cases;
    const auto& b = again.exercises[0].cases;
    BOOST_REQUIRE_EQUAL(a.size(), b.size());
    for (std::size_t c = 0; c < a.size(); ++c)
        for (std::size_t i = 0; i < a[c].instances.size(); ++i)
            for (std::size_t k = 0; k < a[c].instances[i].calls[0].call.args.size(); ++k)
                BOOST_TEST(a[c].instances[i].calls[0].call.args[k].values ==
                           b[c].instances[i].calls[0].call.args[k].values);
}

BOOST_AUTO_TEST_CASE(random_draws_are_fixed_by_the_generator_not_the_platform) {
    // The first draw of ex1/kl_random is pinned: a change here means the generator changed and
    // every hidden case with it.
    const auto& kl_random = shared().prepared.exercises[0].cases;
    const PreparedCase* c = nullptr;
    for (const auto& x : kl_random)
        if (x.id == "kl_random") c = &x;
    BOOST_REQUIRE(c);
    BOOST_TEST(c->instances.size() == 25u);
    const sandbox::Call& call = c->instances[0].calls[0].call;
    const std::size_t n = call.args[2].scalar.u;
    BOOST_TEST(n >= 1u);
    BOOST_TEST(n <= 64u);
    BOOST_TEST(call.args[0].values.size() == n);
    double sum = 0;
    for (double v : call.args[0].values) sum += v;
    BOOST_TEST(sum == 1.0, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(a_hidden_seed_redraws_hidden_cases_only) {
    PrepareOptions o;
    o.hidden_seed = 12345;
    const Prepared other = prepare(shared().spec, shared().reference, o);
    bool hidden_changed = false, public_same = true;
    for (std::size_t e = 0; e < other.exercises.size(); ++e)
        for (std::size_t c = 0; c < other.exercises[e].cases.size(); ++c) {
            const auto& a = shared().prepared.exercises[e].cases[c];
            const auto& b = other.exercises[e].cases[c];
            const bool same = a.instances[0].calls[0].call.args[0].values ==
                                  b.instances[0].calls[0].call.args[0].values &&
                              a.instances[0].calls[0].call.args[0].scalar.u ==
                                  b.instances[0].calls[0].call.args[0].scalar.u;
            if (a.hidden && a.instances.size() > 1 && !same) hidden_changed = true;
            if (!a.hidden && !same) public_same = false;
        }
    BOOST_TEST(hidden_changed);
    BOOST_TEST(public_same);
}

BOOST_AUTO_TEST_CASE(public_only_leaves_hidden_cases_out) {
    PrepareOptions o;
    o.public_only = true;
    const Prepared p = prepare(shared().spec, shared().reference, o);
    BOOST_TEST(!p.has_hidden);
    for (const auto& e : p.exercises)
        for (const auto& c : e.cases) BOOST_TEST(!c.hidden);
}

BOOST_AUTO_TEST_CASE(log2_instead_of_ln_costs_exercise_1_only) {
    TamperingRunner runner(shared().prepared, [](const std::string& f, sandbox::CallResult& r) {
        if (f == "kl_divergence") r.result.f /= std::log(2.0);
    });
    const result::Result r = grade(shared().prepared, runner, "log2");
    const auto& ex1 = exercise(r, "ex1");
    BOOST_TEST(ex1.score() < ex1.max_score());
    const auto& c = find_case(r, "ex1", "tokens_kl_pq");
    BOOST_TEST((c.verdict == Verdict::Wrong));
    BOOST_REQUIRE(c.mismatch.has_value());
    BOOST_TEST(c.mismatch->expected == 0.16947054890027016, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(c.mismatch->got == 0.24449432047515035, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(c.message == "return value is outside the tolerance");
    BOOST_TEST(c.inputs.front() == "p = [0.9, 0.04, 0.03, 0.02, 0.01]");
    // The chain rule (ex4) and Pinsker (ex6) use kl_divergence from the reference.
    check_others_full(r, "ex1");
}

BOOST_AUTO_TEST_CASE(hidden_cases_show_no_values) {
    TamperingRunner runner(shared().prepared, [](const std::string& f, sandbox::CallResult& r) {
        if (f == "entropy") r.result.f += 1;
    });
    const result::Result r = grade(shared().prepared, runner, "entropy+1");
    const auto& hidden = find_case(r, "ex1", "entropy_random");
    BOOST_TEST(hidden.hidden);
    BOOST_TEST((hidden.verdict == Verdict::Wrong));
    BOOST_TEST(hidden.inputs.empty());
    BOOST_TEST(!hidden.mismatch.has_value());
    BOOST_TEST(hidden.message == "wrong value");
    BOOST_TEST(hidden.failed_instances == 25u);
    const auto& shown = find_case(r, "ex1", "tokens_entropy");
    BOOST_TEST(!shown.inputs.empty());
}

BOOST_AUTO_TEST_CASE(identical_answers_share_a_fingerprint_and_wrong_ones_keep_their_values) {
    auto times = [](double factor) {
        return [factor](const std::string& f, sandbox::CallResult& r) {
            if (f == "entropy") r.result.f *= factor;
        };
    };
    TamperingRunner bits_a(shared().prepared, times(1 / std::log(2.0)));
    TamperingRunner bits_b(shared().prepared, times(1 / std::log(2.0)));
    TamperingRunner doubled(shared().prepared, times(2.0));
    TamperingRunner crashing(shared().prepared, [](const std::string& f, sandbox::CallResult& r) {
        if (f == "entropy") r.status = sandbox::Status::Crash;
    });
    const result::Result a = grade(shared().prepared, bits_a, "a");
    const result::Result b = grade(shared().prepared, bits_b, "b");
    const result::Result c = grade(shared().prepared, doubled, "c");
    const result::Result d = grade(shared().prepared, crashing, "d");
    const auto& hidden_a = find_case(a, "ex1", "entropy_random");
    BOOST_TEST(hidden_a.fingerprint.size() == 32u);
    BOOST_TEST(hidden_a.fingerprint == find_case(b, "ex1", "entropy_random").fingerprint);
    BOOST_TEST(hidden_a.fingerprint != find_case(c, "ex1", "entropy_random").fingerprint);
    BOOST_TEST(find_case(d, "ex1", "entropy_random").fingerprint.empty());
    // Hidden cases keep the values for the gradebook; reports never render them.
    BOOST_REQUIRE(hidden_a.returned.size() == 1u);
    BOOST_TEST(hidden_a.returned[0].name == "return value");
    BOOST_TEST(hidden_a.returned[0].values[0] == hidden_a.expected[0].values[0] / std::log(2.0),
               boost::test_tools::tolerance(1e-12));
    // A passing case has a fingerprint but no kept values.
    const auto& pass = find_case(a, "ex1", "tokens_kl_pq");
    BOOST_TEST(pass.fingerprint.size() == 32u);
    BOOST_TEST(pass.returned.empty());
    // Output arrays are kept by parameter name, at most kKeptValues each.
    TamperingRunner softmax(shared().prepared, [](const std::string& f, sandbox::CallResult& r) {
        if (f == "softmax_t")
            for (double& v : r.outputs.back()) v *= 2;
    });
    const result::Result s = grade(shared().prepared, softmax, "s");
    const auto& out = find_case(s, "ex8", "teacher_tau_1");
    BOOST_REQUIRE(out.returned.size() == 1u);
    BOOST_TEST(out.returned[0].name == "p");
    BOOST_TEST(out.returned[0].values.size() == out.returned[0].length);
    BOOST_TEST(out.returned[0].values[0] == 2 * out.expected[0].values[0],
               boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(a_property_needs_its_functions_to_pass_their_cases) {
    // kl_divergence returning 0 satisfies "K >= 0" but must not collect Gibbs points.
    TamperingRunner runner(shared().prepared, [](const std::string& f, sandbox::CallResult& r) {
        if (f == "kl_divergence") r.result.f = 0;
    });
    const result::Result r = grade(shared().prepared, runner, "zero");
    const auto& c = find_case(r, "ex1", "kl_nonnegative");
    BOOST_TEST((c.verdict == Verdict::Wrong));
    BOOST_TEST(c.points == 0);
    BOOST_TEST(c.message.find("not scored: kl_divergence fails some of its own cases") == 0u);
    check_others_full(r, "ex1");
}

BOOST_AUTO_TEST_CASE(a_crash_is_contained_to_its_function) {
    TamperingRunner runner(shared().prepared, [](const std::string& f, sandbox::CallResult& r) {
        if (f == "softmax_t") {
            r.status = sandbox::Status::Crash;
            r.detail = "SIGSEGV (segmentation fault)";
        }
    });
    const result::Result r = grade(shared().prepared, runner, "crash");
    BOOST_TEST(exercise(r, "ex8").score() == 0);
    const auto& c = find_case(r, "ex8", "teacher_tau_1");
    BOOST_TEST((c.verdict == Verdict::Crash));
    BOOST_TEST(c.message == "softmax_t crashed: SIGSEGV (segmentation fault)");
    check_others_full(r, "ex8");
}

BOOST_AUTO_TEST_CASE(a_missing_function_fails_only_its_cases) {
    TamperingRunner runner(shared().prepared, [](const std::string&, sandbox::CallResult&) {},
                           {"tv_distance"});
    const result::Result r = grade(shared().prepared, runner, "missing");
    const auto& c = find_case(r, "ex6", "tv_notebook");
    BOOST_TEST((c.verdict == Verdict::Missing));
    BOOST_TEST(c.inputs.empty());  // nothing to learn from them
    BOOST_TEST(find_case(r, "ex6", "js_notebook").points ==
               find_case(r, "ex6", "js_notebook").max_points);
    check_others_full(r, "ex6");
}

BOOST_AUTO_TEST_CASE(an_unwritten_output_is_reported_as_nan) {
    TamperingRunner runner(shared().prepared, [](const std::string& f, sandbox::CallResult& r) {
        if (f == "gibbs_terms") r.outputs[4].assign(r.outputs[4].size(), NAN);
    });
    const result::Result r = grade(shared().prepared, runner, "nan");
    const auto& c = find_case(r, "ex2", "notebook_terms");
    BOOST_TEST(c.message == "linear[0] is NaN (was it written?)");
    check_others_full(r, "ex2");
}

BOOST_AUTO_TEST_CASE(a_load_error_scores_zero_in_a_normal_result) {
    struct Broken : sandbox::Runner {
        sandbox::LoadResult l;
        const sandbox::LoadResult& load() override { return l; }
        sandbox::BatchResult run(std::span<const sandbox::Call>) override {
            throw std::logic_error("must not run");
        }
    } runner;
    runner.l.error = "not an ELF file";
    const result::Result r = grade(shared().prepared, runner, "x.so");
    BOOST_TEST(r.load_error.value() == "not an ELF file");
    BOOST_TEST(r.score() == 0);
    BOOST_TEST(r.max_score() > 100);
    BOOST_TEST((find_case(r, "ex1", "tokens_kl_pq").verdict == Verdict::Error));
    BOOST_TEST(!r.full_marks());
}

BOOST_AUTO_TEST_CASE(limits_cascade_from_file_to_exercise_to_case) {
    const spec::Spec small = spec::load_from_string(R"(version: 1
defaults: {time_limit: 3, memory_limit: 512}
functions:
  kl_divergence:
    prototype: double kl_divergence(const double *p, const double *q, size_t n)
    sizes: {p: n, q: n}
  softmax_t:
    prototype: void softmax_t(const double *logits, size_t n, double tau, double *p)
    sizes: {logits: n, p: n}
exercises:
  - id: ex1
    functions: [kl_divergence]
    cases:
      - {id: a, function: kl_divergence, inputs: {p: [1], q: [1]}}
  - id: ex8
    functions: [softmax_t]
    defaults: {memory_limit: 128, time_limit: 0.5}
    cases:
      - {id: b, function: softmax_t, inputs: {logits: [1], tau: 1}}
      - {id: c, function: softmax_t, inputs: {logits: [1], tau: 1}, memory_limit: 64, time_limit: 7}
)",
                                                    "small.yaml");
    const Reference reference(REFERENCE_LIB, small.functions);
    const Prepared p = prepare(small, reference, {});
    auto call = [&](std::size_t e, std::size_t c) {
        return p.exercises[e].cases[c].instances[0].calls[0].call;
    };
    BOOST_TEST(call(0, 0).memory_bytes == 512ull << 20);
    BOOST_TEST(call(0, 0).time_limit_seconds == 3.0);
    BOOST_TEST(call(1, 0).memory_bytes == 128ull << 20);
    BOOST_TEST(call(1, 0).time_limit_seconds == 0.5);
    BOOST_TEST(call(1, 1).memory_bytes == 64ull << 20);
    BOOST_TEST(call(1, 1).time_limit_seconds == 7.0);
}

// ex3/divergence_reached: the fits' Gaussians are lets made from the student's (mu, sigma).
const PreparedCase& divergence_reached(const Prepared& p) {
    for (const auto& e : p.exercises)
        for (const auto& c : e.cases)
            if (c.id == "divergence_reached") return c;
    throw std::runtime_error("no divergence_reached");
}

// One instance graded on the reference's results, with the forward fit's sigma scaled.
Outcome with_forward_sigma(const PreparedCase& pc, double scale) {
    const Instance& inst = pc.instances.at(0);
    std::vector<sandbox::Call> calls;
    for (const PreparedCall& c : inst.calls) calls.push_back(c.call);
    ReferenceRunner runner(shared().reference, shared().prepared.functions.size());
    sandbox::BatchResult b = runner.run(calls);
    const int fit = shared().prepared.function_index("fit_gaussian_forward_kl");
    for (std::size_t k = 0; k < calls.size(); ++k)
        if (calls[k].function == static_cast<std::size_t>(fit))
            b.calls[k].outputs.at(6)[0] *= scale;
    return grade_instance(shared().prepared, pc, inst, b.calls);
}

BOOST_AUTO_TEST_CASE(a_check_over_lets_sees_the_students_values) {
    const PreparedCase& pc = divergence_reached(shared().prepared);
    BOOST_TEST_REQUIRE(pc.lets.size() == 6u);
    BOOST_TEST((with_forward_sigma(pc, 1.0).verdict == Verdict::Pass));
    // A sigma 1% off moves qF, so the divergence it reaches is no longer the notebook's.
    const Outcome wrong = with_forward_sigma(pc, 1.01);
    BOOST_TEST((wrong.verdict == Verdict::Wrong));
    BOOST_TEST(wrong.check == "sum(p * log(p / qF)) == 0.6514791403564942");
    // The same check with the lets written out, as the spec had it before lets: the same sides.
    PreparedCase inline_pc = pc;
    inline_pc.lets.clear();
    inline_pc.checks = {spec::parse_check(
        "sum(p * log(p / (exp(-0.5 * ((x - F.mu) / F.sigma) * ((x - F.mu) / F.sigma)) / "
        "sum(exp(-0.5 * ((x - F.mu) / F.sigma) * ((x - F.mu) / F.sigma)))))) == "
        "0.6514791403564942")};
    const Outcome spelled_out = with_forward_sigma(inline_pc, 1.01);
    BOOST_TEST((spelled_out.verdict == Verdict::Wrong));
    auto sides = [](const std::string& m) { return m.substr(m.find(" does not hold")); };
    BOOST_TEST(sides(wrong.message) == sides(spelled_out.message));
}

BOOST_AUTO_TEST_CASE(a_let_that_cannot_be_evaluated_fails_its_property) {
    PreparedCase pc = divergence_reached(shared().prepared);
    spec::Let bad;
    bad.name = "mismatch";
    // A let that cannot be evaluated (here a name no loader would pass) fails the property and
    // says which let.
    bad.text = "nothing * 2";
    bad.expr = spec::parse_expression(bad.text);
    pc.lets.push_back(bad);
    const Outcome o = with_forward_sigma(pc, 1.0);
    BOOST_TEST((o.verdict == Verdict::Wrong));
    BOOST_TEST(o.message ==
               "`mismatch = nothing * 2` could not be evaluated: unknown name 'nothing'");
}

BOOST_AUTO_TEST_CASE(lets_travel_in_the_public_bundle) {
    std::ostringstream out;
    write_bundle(shared().prepared, out);
    const std::string path = (test_support::temp_dir() / "bundle_lets.json").string();
    {
        std::ofstream f(path);
        f << out.str();
    }
    const Prepared p = read_bundle(path);
    const PreparedCase& pc = divergence_reached(p);
    BOOST_TEST_REQUIRE(pc.lets.size() == 6u);
    BOOST_TEST(pc.lets[2].name == "qF");
    BOOST_TEST(pc.lets[2].text == "wF / sum(wF)");
}

BOOST_AUTO_TEST_CASE(the_public_bundle_round_trips_without_hidden_cases) {
    std::ostringstream out;
    write_bundle(shared().prepared, out);
    const std::string text = out.str();
    BOOST_TEST(text.find("\"kl_random\"") == std::string::npos);
    BOOST_TEST(text.find("\"grading_glibc\":\"" + std::string(gnu_get_libc_version()) + "\"") !=
               std::string::npos);
    BOOST_TEST(text.find("\"tokens_kl_pq\"") != std::string::npos);
    const std::string path = (test_support::temp_dir() / "bundle.json").string();
    {
        std::ofstream f(path);
        f << text;
    }
    const Prepared p = read_bundle(path);
    BOOST_TEST(!p.has_hidden);
    BOOST_TEST(p.grading_glibc == gnu_get_libc_version());
    ReferenceRunner runner(shared().reference, p.functions.size());
    const result::Result r = grade(p, runner, "reference");
    BOOST_TEST(r.full_marks());
    BOOST_TEST(r.public_only);
    BOOST_TEST(r.case_count() > 40u);
}

BOOST_AUTO_TEST_SUITE_END()
