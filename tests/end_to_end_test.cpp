// Grades fixture submissions (built by the test build) through the real sandboxed worker:
// correct ones in C and C++, plausible wrong ones, hostile and broken ones.
#define BOOST_TEST_MODULE end_to_end
#include <boost/test/unit_test.hpp>

#include <map>
#include <optional>

#include "graded_fixture.hpp"

using namespace grader;
using namespace graded_fixture;
using result::Verdict;

namespace {

// The exercise loses points and every other exercise keeps full marks.
void loses_only(const result::Result& r, const std::string& exercise) {
    BOOST_TEST(!r.load_error.has_value());
    for (const auto& [id, s] : scores(r)) {
        BOOST_TEST_CONTEXT(id) {
            if (id == exercise)
                BOOST_TEST(s.first < s.second);
            else
                BOOST_TEST(s.first == s.second);
        }
    }
}

bool has_verdict(const result::Result& r, const std::string& exercise, Verdict v) {
    for (const auto& e : r.exercises)
        if (e.id == exercise)
            for (const auto& c : e.cases)
                if (c.verdict == v) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(end_to_end)

BOOST_AUTO_TEST_CASE(the_reference_as_a_submission_scores_full_marks) {
    const result::Result r = grade_library(REFERENCE_LIB);
    BOOST_TEST(r.full_marks());
    BOOST_TEST(!r.sandbox_layers.empty());
}

BOOST_AUTO_TEST_CASE(a_correct_c_solution_scores_full_marks) {
    BOOST_TEST(grade_fixture("good_c").full_marks());
}

BOOST_AUTO_TEST_CASE(a_correct_cpp_solution_scores_full_marks) {
    BOOST_TEST(grade_fixture("good_cpp").full_marks());
}

BOOST_AUTO_TEST_CASE(each_typical_mistake_costs_its_own_exercise_only) {
    const std::map<std::string, std::string> mistakes = {
        {"wrong_log2", "ex1"},           {"wrong_zero_p_nan", "ex1"},
        {"wrong_reversed_ratio", "ex2"}, {"wrong_unnormalised_grid", "ex3"},
        {"wrong_marginal_cols", "ex4"},  {"wrong_sigma_as_variance", "ex5"},
        {"wrong_mc_time_seed", "ex5"},   {"wrong_tv_no_half", "ex6"},
        {"wrong_naive_logz", "ex7"},     {"wrong_no_max_shift", "ex8"},
        {"wrong_tau_squared", "ex9"},    {"wrong_policy_no_normalise", "ex10"},
    };
    for (const auto& [fixture, exercise] : mistakes) {
        BOOST_TEST_CONTEXT(fixture) {
            loses_only(grade_fixture(fixture), exercise);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_segfault_in_one_function_keeps_the_rest) {
    const result::Result r = grade_fixture("hostile_segv_softmax");
    loses_only(r, "ex8");
    BOOST_TEST(has_verdict(r, "ex8", Verdict::Crash));
}

BOOST_AUTO_TEST_CASE(an_endless_loop_in_one_function_keeps_the_rest) {
    const result::Result r = grade_fixture("hostile_loop_kl_vae", 0.3);
    loses_only(r, "ex5");
    BOOST_TEST(has_verdict(r, "ex5", Verdict::Timeout));
}

BOOST_AUTO_TEST_CASE(an_abort_in_one_function_keeps_the_rest) {
    const result::Result r = grade_fixture("hostile_abort_tv");
    loses_only(r, "ex6");
    BOOST_TEST(has_verdict(r, "ex6", Verdict::Crash));
}

BOOST_AUTO_TEST_CASE(the_template_stubs_grade_to_zero_cleanly) {
    const result::Result r = grade_fixture("template_stub");
    BOOST_TEST(!r.load_error.has_value());
    BOOST_TEST(r.score() == 0);
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases) BOOST_TEST_CONTEXT(e.id << "/" << c.id) {
                BOOST_TEST((c.verdict == Verdict::Wrong || c.verdict == Verdict::Missing));
            }
}

BOOST_AUTO_TEST_CASE(missing_functions_cost_only_their_exercises) {
    const result::Result r = grade_fixture("partial_ex1_only");
    const auto s = scores(r);
    BOOST_TEST(s.at("ex1").first == s.at("ex1").second);
    BOOST_TEST(s.at("ex2").first == 0);
    BOOST_TEST(has_verdict(r, "ex2", Verdict::Missing));
}

BOOST_AUTO_TEST_CASE(cpp_names_without_extern_c_get_the_hint) {
    const result::Result r = grade_fixture("broken_no_extern_c");
    BOOST_TEST(r.score() == 0);
    bool hinted = false;
    for (const auto& c : r.exercises.at(0).cases)
        if (c.verdict == Verdict::Missing && c.message.find("extern \"C\"") != std::string::npos)
            hinted = true;
    BOOST_TEST(hinted);
}

BOOST_AUTO_TEST_CASE(the_bundled_example_shows_passes_failures_and_a_crash) {
    const result::Result r = grade_fixture("example_partial_attempt");
    BOOST_TEST(r.score() > 0);
    BOOST_TEST(r.score() < r.max_score());
    bool crash = false;
    int full = 0;
    for (const auto& e : r.exercises) {
        full += e.score() == e.max_score();
        for (const auto& c : e.cases) crash |= c.verdict == Verdict::Crash;
    }
    BOOST_TEST(crash);
    BOOST_TEST(full >= 3);
}

// Graded as `grade` does, shrinking and diagnosing through the real worker: each plausible
// mistake gets the diagnosis that names it, where the numbers show it, and no other anywhere.
BOOST_AUTO_TEST_CASE(diagnoses_name_the_actual_mistake_and_nothing_else) {
    grading::Feedback feedback;
    feedback.spec = &cases().spec;
    feedback.reference = &cases().reference;
    feedback.shrink_seconds = 60;  // what is found within the call budget, however slow the build
    feedback.total_seconds = 600;
    using K = result::DiagnosisKind;
    struct Expect {
        std::string fixture, exercise, id;
        std::optional<K> kind;  // the diagnosis of that case; every other one must be this kind
        std::string words;      // in its sentence
        std::optional<K> also = std::nullopt;  // another name for the same mistake
    };
    const std::vector<Expect> expectations = {
        {"wrong_log2", "ex1", "tokens_kl_pq", K::Bits, "divided by ln 2"},
        // ln(p/q) for ln(q/p): where q has a zero the swapped call breaks the contract, and the
        // same mistake shows as a flipped sign.
        {"wrong_reversed_ratio", "ex2", "notebook_terms", K::Swapped, "p and q swapped", K::Sign},
        {"wrong_tv_no_half", "ex6", "pinsker_random", K::Factor, "twice"},
        {"wrong_tau_squared", "ex9", "notebook", K::Factor, "tau² = 4"},
        {"wrong_no_max_shift", "ex8", "large_logits", K::Overflow, "logits is divided by 1000"},
        {"wrong_naive_logz", "ex7", "policy_tiny_beta", K::Overflow, "reward is divided"},
        {"wrong_unnormalised_grid", "ex3", "grid_three_points", K::Factor, "one factor"},
        {"wrong_policy_no_normalise", "ex10", "notebook", K::Factor, "one factor"},
        {"template_stub", "ex2", "notebook_terms", K::Unwritten, "never written"},
        // Mistakes none of the diagnoses describes: nothing is said.
        {"wrong_zero_p_nan", "ex1", "kl_zero_in_p", std::nullopt, ""},
        {"wrong_sigma_as_variance", "ex5", "gaussian_notebook", std::nullopt, ""},
        {"wrong_marginal_cols", "ex4", "marginal_notebook", std::nullopt, ""},
    };
    for (const Expect& x : expectations) {
        BOOST_TEST_CONTEXT(x.fixture) {
            const result::Result r = grade_library(fixture_path(x.fixture), 0, feedback);
            const auto& c = find_case(r, x.exercise, x.id);
            BOOST_TEST((c.verdict != Verdict::Pass));
            if (x.kind) {
                BOOST_REQUIRE(!c.diagnoses.empty());
                BOOST_TEST((c.diagnoses[0].kind == *x.kind));
                BOOST_TEST(c.diagnoses[0].sentence.find(x.words) != std::string::npos,
                           c.diagnoses[0].sentence);
            }
            for (const auto& e : r.exercises)
                for (const auto& other : e.cases)
                    for (const auto& d : other.diagnoses)
                        BOOST_TEST_CONTEXT(e.id << "/" << other.id << ": " << d.sentence) {
                            BOOST_TEST(
                                (x.kind.has_value() && (d.kind == *x.kind || d.kind == x.also)));
                        }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_failure_whenever_an_element_is_zero_shrinks_to_two_elements) {
    grading::Feedback feedback;
    feedback.spec = &cases().spec;
    feedback.reference = &cases().reference;
    feedback.shrink_seconds = 60;
    feedback.total_seconds = 600;
    const result::Result r = grade_library(fixture_path("wrong_zero_p_nan"), 0, feedback);
    for (const char* id : {"cross_entropy_decomposes", "kl_random", "kl_nonnegative"}) {
        BOOST_TEST_CONTEXT(id) {
            const auto& c = find_case(r, "ex1", id);
            BOOST_REQUIRE(c.shrunk.has_value());
            BOOST_TEST(c.shrunk->values == 5u);  // n = 2, and p, q of two elements
            BOOST_TEST(c.shrunk->original_values > c.shrunk->values);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
