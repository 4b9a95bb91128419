#define BOOST_TEST_MODULE abi
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "grader/abi/ffi_call.hpp"
#include "grader/abi/signature.hpp"

using namespace grader::abi;

namespace {

std::string parse_error(const std::string& text) {
    try {
        parse_prototype(text);
    } catch (const ParseError& e) {
        return std::to_string(e.column) + ": " + e.message;
    }
    return "no error";
}

extern "C" double weighted_sum(const double* x, std::size_t n, double w, double* out) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += x[i];
    out[0] = s * w;
    return s;
}

extern "C" void mixed_ints(std::uint64_t a, std::int32_t b, std::int64_t c, double* out) {
    out[0] = static_cast<double>(a) + b + static_cast<double>(c);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(abi_calls)  // not "abi": that name is taken by the C++ runtime

BOOST_AUTO_TEST_CASE(parses_every_kind_of_parameter) {
    const Signature s = parse_prototype(
        "void gibbs_terms(const double *p, const double *q, size_t n, double *log_ratio, double "
        "*linear);");
    BOOST_TEST(s.name == "gibbs_terms");
    BOOST_TEST((s.result == Scalar::Void));
    BOOST_REQUIRE_EQUAL(s.params.size(), 5u);
    BOOST_TEST(s.params[0].is_input_array());
    BOOST_TEST(!s.params[0].is_output());
    BOOST_TEST((s.params[2].type == Scalar::SizeT));
    BOOST_TEST(!s.params[2].pointer);
    BOOST_TEST(s.params[3].is_output());
    BOOST_TEST(s.find("linear") == 4);
    BOOST_TEST(s.find("nope") == -1);
}

BOOST_AUTO_TEST_CASE(renders_canonical_text) {
    const Signature s = parse_prototype(
        "double  kl_gaussian_mc(double mu1,double sigma1, double mu2, double sigma2, size_t "
        "samples, uint64_t seed)");
    BOOST_TEST(to_c(s) ==
               "double kl_gaussian_mc(double mu1, double sigma1, double mu2, double sigma2, size_t "
               "samples, uint64_t seed)");
    BOOST_TEST(to_c(parse_prototype("double f(double const *x)")) == "double f(const double *x)");
    BOOST_TEST(parse_prototype("double f(void)").params.empty());
}

BOOST_AUTO_TEST_CASE(refuses_what_it_cannot_call) {
    BOOST_TEST(parse_error("float f(double x)") ==
               "0: unsupported type 'float' (use double, size_t, uint64_t, int64_t, int, or double "
               "pointers)");
    BOOST_TEST(parse_error("double f(const int *x)") ==
               "9: pointer parameters must be 'double *' or 'const double *'");
    BOOST_TEST(parse_error("double f(double **x)") == "17: pointers to pointers are not supported");
    BOOST_TEST(parse_error("double *f(double x)") ==
               "0: a function may return only void, double or an integer, not a pointer");
    BOOST_TEST(parse_error("double f(double x, double x)") ==
               "19: parameter 'x' is declared twice");
    BOOST_TEST(parse_error("double f(double x") == "17: expected ')'");
    BOOST_TEST(parse_error("double f(double x) extra") ==
               "19: unexpected 'extra' after the prototype");
    BOOST_TEST(parse_error("double f(double x[])") == "17: unexpected character '['");
    BOOST_TEST(parse_error("double f(const double x)") ==
               "9: 'const' is only meaningful on 'const double *' input arrays");
}

BOOST_AUTO_TEST_CASE(calls_through_libffi) {
    const Caller caller(
        parse_prototype("double weighted_sum(const double *x, size_t n, double w, double *out)"));
    std::vector<double> x{1, 2, 3.5};
    double out = 0;
    std::vector<Word> args(4);
    args[0].ptr = x.data();
    args[1].u = x.size();
    args[2].f = 2.0;
    args[3].ptr = &out;
    const Word r = caller.call(reinterpret_cast<FunctionPointer>(&weighted_sum), args);
    BOOST_TEST(r.f == 6.5);
    BOOST_TEST(out == 13.0);
}

BOOST_AUTO_TEST_CASE(passes_integers_of_each_width) {
    const Caller caller(
        parse_prototype("void mixed_ints(uint64_t a, int b, int64_t c, double *out)"));
    double out = 0;
    std::vector<Word> args(4);
    args[0].u = 1ull << 40;
    args[1].i32 = -7;
    args[2].i = -(1ll << 33);
    args[3].ptr = &out;
    caller.call(reinterpret_cast<FunctionPointer>(&mixed_ints), args);
    BOOST_TEST(out == std::ldexp(1.0, 40) - 7 - std::ldexp(1.0, 33));
}

BOOST_AUTO_TEST_SUITE_END()
