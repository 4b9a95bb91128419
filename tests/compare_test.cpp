#define BOOST_TEST_MODULE compare
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "grader/compare/tolerance.hpp"

using namespace grader::compare;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const Tolerance kDefault{1e-9, 1e-12};
}  // namespace

BOOST_AUTO_TEST_SUITE(compare)

BOOST_AUTO_TEST_CASE(allclose_semantics) {
    BOOST_TEST(match(1.0 + 5e-10, 1.0, kDefault).ok);
    BOOST_TEST(!match(1.0 + 2e-9, 1.0, kDefault).ok);
    // atol rescues values that are 0 up to round-off, as the notebook's -5.6e-17.
    BOOST_TEST(match(-5.551115123125782e-17, 0.0, kDefault).ok);
    BOOST_TEST(!match(1e-11, 0.0, kDefault).ok);
    const ScalarMatch m = match(0.2444943205, 0.1694705489, kDefault);
    BOOST_TEST(!m.ok);
    BOOST_TEST(m.abs_error == 0.0750237716, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(m.rel_error == 0.0750237716 / 0.1694705489, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(nan_matches_only_an_expected_nan) {
    BOOST_TEST(!match(kNaN, 1.0, kDefault).ok);
    BOOST_TEST(!match(1.0, kNaN, kDefault).ok);
    BOOST_TEST(match(kNaN, kNaN, kDefault).ok);
    BOOST_TEST(std::isinf(match(kNaN, 0.0, kDefault).abs_error));
    // No tolerance makes NaN pass.
    BOOST_TEST(!match(kNaN, 0.0, Tolerance{1e300, 1e300}).ok);
}

BOOST_AUTO_TEST_CASE(infinities_match_only_themselves) {
    BOOST_TEST(match(kInf, kInf, kDefault).ok);
    BOOST_TEST(!match(-kInf, kInf, kDefault).ok);
    BOOST_TEST(!match(1e308, kInf, kDefault).ok);
    BOOST_TEST(!match(kInf, 1e308, Tolerance{1e300, 1e300}).ok);
}

BOOST_AUTO_TEST_CASE(signed_zeros_are_equal) {
    BOOST_TEST(match(-0.0, 0.0, Tolerance{0, 0}).ok);
    BOOST_TEST(match(0.0, -0.0, Tolerance{0, 0}).ok);
}

BOOST_AUTO_TEST_CASE(vectors_name_their_worst_element) {
    const std::vector<double> expected{1.0, 2.0, 3.0, 4.0};
    const std::vector<double> got{1.0, 2.1, 3.0, 4.5};
    const VectorMatch v = match(got, expected, kDefault);
    BOOST_TEST(!v.ok);
    BOOST_REQUIRE(v.worst.has_value());
    BOOST_TEST(*v.worst == 3u);
    BOOST_TEST(v.at_worst.abs_error == 0.5);
    BOOST_TEST(match(expected, expected, kDefault).ok);
}

BOOST_AUTO_TEST_CASE(a_nan_element_is_the_worst) {
    const std::vector<double> expected{1.0, 2.0, 3.0};
    const std::vector<double> got{1.5, kNaN, 3.0};
    const VectorMatch v = match(got, expected, kDefault);
    BOOST_TEST(!v.ok);
    BOOST_TEST(*v.worst == 1u);
}

BOOST_AUTO_TEST_CASE(lengths_must_agree) {
    const std::vector<double> a{1.0, 2.0};
    const std::vector<double> b{1.0};
    const VectorMatch v = match(a, b, kDefault);
    BOOST_TEST(!v.ok);
    BOOST_TEST(v.length_mismatch);
    BOOST_TEST(match(std::vector<double>{}, std::vector<double>{}, kDefault).ok);
}

BOOST_AUTO_TEST_SUITE_END()
