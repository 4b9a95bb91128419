// The shrinker on its own: made-up failures with known smallest inputs, no grader around it.
#define BOOST_TEST_MODULE shrink
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "grader/shrink/shrink.hpp"

using namespace grader::shrink;

namespace {

// A probability vector of n entries with a 0 at index `zero`, others uneven.
Input vectors_with_a_zero(std::size_t n, std::size_t zero) {
    Input in;
    in.sizes.push_back({"n", n, 1});
    Var p{"p", Kind::Probability, 0, 1, true, {"n"}, {}};
    Var q{"q", Kind::Probability, 0, 1, false, {"n"}, {}};
    for (std::size_t i = 0; i < n; ++i) {
        p.values.push_back(i == zero ? 0.0 : 1.0 + 0.37 * static_cast<double>(i % 7));
        q.values.push_back(0.5 + 0.13 * static_cast<double>(i % 5));
    }
    const double sp = std::accumulate(p.values.begin(), p.values.end(), 0.0);
    const double sq = std::accumulate(q.values.begin(), q.values.end(), 0.0);
    for (double& x : p.values) x /= sp;
    for (double& x : q.values) x /= sq;
    in.vars = {p, q};
    return in;
}

const Var& var(const Input& in, const std::string& name) {
    for (const Var& v : in.vars)
        if (v.name == name) return v;
    throw std::runtime_error("no var " + name);
}

double sum(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

// A Test from a predicate on single inputs.
Test each(std::function<bool(const Input&)> fails) {
    return [fails](std::span<const Input> cs) {
        std::vector<bool> out;
        for (const Input& c : cs) out.push_back(fails(c));
        return out;
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shrink)

BOOST_AUTO_TEST_CASE(decimals_count_the_digits_a_number_needs) {
    BOOST_TEST(decimals(3) == 0);
    BOOST_TEST(decimals(0.5) == 1);
    BOOST_TEST(decimals(-0.25) == 2);
    BOOST_TEST(decimals(1e300) == 0);
    BOOST_TEST(decimals(1.0 / 3) == 16);    // 0.3333333333333333
    BOOST_TEST(decimals(0.1 + 0.2) == 17);  // 0.30000000000000004 needs all 17
}

BOOST_AUTO_TEST_CASE(simpler_values_stay_in_range_and_start_with_the_simplest) {
    const auto in_range = simpler_values(0.7341, 0.05, 10, false);
    BOOST_REQUIRE(!in_range.empty());
    BOOST_TEST(in_range.front() == 1.0);  // 0 is out of range: 1 is the simplest
    for (double v : in_range) {
        BOOST_TEST(v >= 0.05);
        BOOST_TEST(v <= 10);
    }
    BOOST_TEST((std::find(in_range.begin(), in_range.end(), 0.7) != in_range.end()));
    BOOST_TEST((std::find(in_range.begin(), in_range.end(), 0.5) != in_range.end()));

    const auto narrow = simpler_values(2.913, 2.7, 3.3, false);
    BOOST_REQUIRE(!narrow.empty());
    BOOST_TEST(narrow.front() == 3.0);

    const auto whole = simpler_values(37, 1, 64, true);
    for (double v : whole) BOOST_TEST(v == std::floor(v));
    BOOST_TEST(whole.front() == 1.0);
    BOOST_TEST(simpler_values(0, -5, 5, false).empty());  // nothing is simpler than 0
}

BOOST_AUTO_TEST_CASE(removing_elements_keeps_paired_arrays_aligned_and_normalised) {
    const Input in = vectors_with_a_zero(6, 2);
    for (const Input& c : smaller_sizes(in)) {
        const std::size_t n = c.size("n")->value;
        BOOST_TEST(var(c, "p").values.size() == n);
        BOOST_TEST(var(c, "q").values.size() == n);
        BOOST_TEST(sum(var(c, "p").values) == 1.0, boost::test_tools::tolerance(1e-12));
        BOOST_TEST(sum(var(c, "q").values) == 1.0, boost::test_tools::tolerance(1e-12));
        BOOST_TEST(n >= 1u);
    }
    // The largest removals come first.
    BOOST_TEST(smaller_sizes(in).front().size("n")->value == 1u);
}

BOOST_AUTO_TEST_CASE(a_table_loses_whole_rows_and_columns) {
    Input in;
    in.sizes = {{"rows", 3, 1}, {"cols", 2, 1}};
    Var t{"t", Kind::Real, -10, 10, false, {"rows", "cols"}, {11, 12, 21, 22, 31, 32}};
    in.vars = {t};
    bool row_gone = false, col_gone = false;
    for (const Input& c : smaller_sizes(in)) {
        const auto& v = c.vars[0].values;
        BOOST_TEST(v.size() == c.size("rows")->value * c.size("cols")->value);
        if (v == std::vector<double>{11, 12, 31, 32}) row_gone = true;  // row 1 removed
        if (v == std::vector<double>{11, 21, 31}) col_gone = true;      // column 1 removed
    }
    BOOST_TEST(row_gone);
    BOOST_TEST(col_gone);
}

BOOST_AUTO_TEST_CASE(a_failure_on_any_zero_shrinks_to_two_elements) {
    // Fails whenever some p_i is 0 (a 0 * log 0 that gives NaN).
    const Input start = vectors_with_a_zero(50, 31);
    const Outcome o = minimise(start, each([](const Input& c) {
                                   const auto& p = var(c, "p").values;
                                   return std::find(p.begin(), p.end(), 0.0) != p.end();
                               }),
                               Budget{1000});
    BOOST_TEST((o.stop == Stop::Done));
    BOOST_TEST(o.smallest.size("n")->value == 2u);
    BOOST_TEST((var(o.smallest, "p").values == std::vector<double>{0, 1} ||
                var(o.smallest, "p").values == std::vector<double>{1, 0}));
    BOOST_TEST((var(o.smallest, "q").values == std::vector<double>{0.5, 0.5}));
    BOOST_TEST(o.steps >= 2u);
}

BOOST_AUTO_TEST_CASE(an_overflow_threshold_is_found_and_numbers_get_short) {
    // Fails once some x exceeds 709.78 (exp overflows); other elements do not matter.
    Input in;
    in.sizes.push_back({"n", 5, 1});
    in.vars.push_back(
        {"x", Kind::Real, -1000, 1000, false, {"n"}, {-12.25, 873.4417, 3.5, -999.1, 12}});
    in.vars.push_back({"tau", Kind::Real, 0.05, 10, false, {}, {1.1368}});
    const Outcome o = minimise(in, each([](const Input& c) {
                                   const double tau = var(c, "tau").values[0];
                                   for (double x : var(c, "x").values)
                                       if (x / tau > 709.78) return true;
                                   return false;
                               }),
                               Budget{2000});
    BOOST_TEST(o.smallest.size("n")->value == 1u);
    const double x = var(o.smallest, "x").values[0], tau = var(o.smallest, "tau").values[0];
    BOOST_TEST(x / tau > 709.78);
    BOOST_TEST(decimals(x) <= 1);
    BOOST_TEST(decimals(tau) <= 1);
    BOOST_TEST(x / tau < 800);  // near the threshold, not merely below the start
}

BOOST_AUTO_TEST_CASE(the_budget_of_candidates_is_kept) {
    std::size_t asked = 0;
    const Outcome o = minimise(
        vectors_with_a_zero(60, 7),
        [&](std::span<const Input> cs) {
            asked += cs.size();
            return std::vector<bool>(cs.size(), false);  // nothing smaller fails
        },
        Budget{40});
    BOOST_TEST(asked == 40u);
    BOOST_TEST(o.tried == 40u);
    BOOST_TEST((o.stop == Stop::Candidates));
    BOOST_TEST(o.steps == 0u);
    BOOST_TEST(o.smallest.size("n")->value == 60u);  // the start is kept
}

BOOST_AUTO_TEST_CASE(a_passed_deadline_stops_before_any_call) {
    std::size_t asked = 0;
    Budget b;
    b.deadline = std::chrono::steady_clock::now();
    const Outcome o = minimise(
        vectors_with_a_zero(10, 1),
        [&](std::span<const Input> cs) {
            asked += cs.size();
            return std::vector<bool>(cs.size(), true);
        },
        b);
    BOOST_TEST(asked == 0u);
    BOOST_TEST((o.stop == Stop::Time));
}

BOOST_AUTO_TEST_CASE(fixed_sizes_and_bounds_are_respected) {
    Input in;
    in.sizes.push_back({"n", 4, 4});  // fixed
    in.vars.push_back({"x", Kind::Integer, 3, 9, false, {"n"}, {7, 8, 9, 5}});
    const Outcome o = minimise(in, each([](const Input&) { return true; }), Budget{500});
    BOOST_TEST(o.smallest.size("n")->value == 4u);
    BOOST_TEST((var(o.smallest, "x").values == std::vector<double>{3, 3, 3, 3}));
}

BOOST_AUTO_TEST_CASE(strictly_positive_probabilities_never_get_a_zero) {
    const Outcome o =
        minimise(vectors_with_a_zero(8, 3), each([](const Input&) { return true; }), Budget{1000});
    for (double x : var(o.smallest, "q").values) BOOST_TEST(x > 0);
    BOOST_TEST(var(o.smallest, "q").values.size() == 1u);
    BOOST_TEST(var(o.smallest, "q").values[0] == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
