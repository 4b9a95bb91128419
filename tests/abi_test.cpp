#define BOOST_TEST_MODULE abi
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <vector>

#include "grader/abi/element.hpp"
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

extern "C" float scaled_sum(const float* v, std::size_t n, float a, std::uint8_t k) {
    float s = 0;
    for (std::size_t i = 0; i < n; ++i) s += v[i];
    return a * s + static_cast<float>(k);
}

extern "C" bool is_odd(std::int32_t x) {
    return x % 2 != 0;
}

extern "C" std::uint8_t low_byte(std::int64_t x) {
    return static_cast<std::uint8_t>(x & 0xFF);
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
    BOOST_TEST(parse_error("long f(double x)") ==
               "0: unsupported type 'long' (use double, float, int32_t or int, int64_t, uint64_t, "
               "size_t, uint8_t, or bool as a result)");
    BOOST_TEST(parse_error("double f(const size_t *x)") ==
               "9: pointer parameters must point to double, float, int32_t, int64_t or uint8_t, "
               "not size_t");
    BOOST_TEST(parse_error("double f(uint64_t *x)") ==
               "9: pointer parameters must point to double, float, int32_t, int64_t or uint8_t, "
               "not uint64_t");
    BOOST_TEST(parse_error("double f(const bool *x)") ==
               "9: bool is supported as a return type only; pass an int32_t or uint8_t");
    BOOST_TEST(parse_error("double f(bool b)") ==
               "9: bool is supported as a return type only; pass an int32_t or uint8_t");
    BOOST_TEST(parse_error("bool *f(double x)") ==
               "0: a function may return only void, a number or bool, not a pointer");
    BOOST_TEST(parse_error("double f(double **x)") == "17: pointers to pointers are not supported");
    BOOST_TEST(parse_error("double *f(double x)") ==
               "0: a function may return only void, a number or bool, not a pointer");
    BOOST_TEST(parse_error("double f(double x, double x)") ==
               "19: parameter 'x' is declared twice");
    BOOST_TEST(parse_error("double f(double x") == "17: expected ')'");
    BOOST_TEST(parse_error("double f(double x) extra") ==
               "19: unexpected 'extra' after the prototype");
    BOOST_TEST(parse_error("double f(double x[])") == "17: unexpected character '['");
    BOOST_TEST(parse_error("double f(const double x)") ==
               "9: 'const' is only meaningful on input arrays such as 'const double *'");
    BOOST_TEST(parse_error("double f(const float x)") ==
               "9: 'const' is only meaningful on input arrays such as 'const double *'");
}

BOOST_AUTO_TEST_CASE(parses_every_new_type) {
    const Signature s = parse_prototype(
        "bool f(const int32_t *a, int32_t *b, const int64_t *c, int64_t *d, const uint8_t *e, "
        "uint8_t *g, const float *h, float *k, int32_t s1, int s2, int64_t s3, uint8_t s4, "
        "float s5)");
    BOOST_TEST((s.result == Scalar::Bool));
    const Scalar types[] = {Scalar::Int32, Scalar::Int32, Scalar::Int64, Scalar::Int64,
                            Scalar::UInt8, Scalar::UInt8, Scalar::Float, Scalar::Float,
                            Scalar::Int32, Scalar::Int32, Scalar::Int64, Scalar::UInt8,
                            Scalar::Float};
    BOOST_REQUIRE_EQUAL(s.params.size(), std::size(types));
    for (std::size_t i = 0; i < s.params.size(); ++i) {
        BOOST_TEST((s.params[i].type == types[i]), i);
        BOOST_TEST(s.params[i].pointer == (i < 8), i);
        BOOST_TEST(s.params[i].is_input_array() == (i < 8 && i % 2 == 0), i);
        BOOST_TEST(s.params[i].is_output() == (i < 8 && i % 2 == 1), i);
    }
    BOOST_TEST(to_c(s) ==
               "bool f(const int32_t *a, int32_t *b, const int64_t *c, int64_t *d, const uint8_t "
               "*e, uint8_t *g, const float *h, float *k, int32_t s1, int32_t s2, int64_t s3, "
               "uint8_t s4, float s5)");
    BOOST_TEST((parse_prototype("_Bool f(void)").result == Scalar::Bool));
    BOOST_TEST((parse_prototype("float f(void)").result == Scalar::Float));
    BOOST_TEST((parse_prototype("uint8_t f(void)").result == Scalar::UInt8));
    BOOST_TEST(is_integer(Scalar::UInt8));
    BOOST_TEST(!is_integer(Scalar::Bool));
    BOOST_TEST(!is_integer(Scalar::Float));
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

BOOST_AUTO_TEST_CASE(passes_floats_bytes_and_bools) {
    const Caller scaled(
        parse_prototype("float scaled_sum(const float *v, size_t n, float a, uint8_t k)"));
    std::vector<float> v{0.5f, 0.25f};
    std::vector<Word> args(4);
    args[0].ptr = v.data();
    args[1] = word_of(Scalar::SizeT, 2);
    args[2] = word_of(Scalar::Float, 4);
    args[3] = word_of(Scalar::UInt8, 200);
    BOOST_TEST(double_of(scaled.call(reinterpret_cast<FunctionPointer>(&scaled_sum), args),
                         Scalar::Float) == 203.0);

    const Caller odd(parse_prototype("bool is_odd(int32_t x)"));
    std::vector<Word> one{word_of(Scalar::Int32, -3)};
    const Word r = odd.call(reinterpret_cast<FunctionPointer>(&is_odd), one);
    BOOST_TEST(r.u == 1u);  // exactly 0 or 1, whatever the upper bits of the register
    BOOST_TEST(double_of(r, Scalar::Bool) == 1.0);
    one[0] = word_of(Scalar::Int32, -4);
    BOOST_TEST(double_of(odd.call(reinterpret_cast<FunctionPointer>(&is_odd), one), Scalar::Bool) ==
               0.0);

    const Caller low(parse_prototype("uint8_t low_byte(int64_t x)"));
    one[0] = word_of(Scalar::Int64, 0x1FF);
    BOOST_TEST(double_of(low.call(reinterpret_cast<FunctionPointer>(&low_byte), one),
                         Scalar::UInt8) == 255.0);
}

BOOST_AUTO_TEST_CASE(arrays_convert_to_each_type_and_back) {
    const std::vector<double> values{-3, 0, 7, 100};
    const auto* bytes = reinterpret_cast<const std::byte*>(values.data());
    std::int32_t i32[4];
    store(Scalar::Int32, bytes, 4, i32);
    BOOST_TEST(i32[0] == -3);
    BOOST_TEST(i32[3] == 100);
    std::uint8_t u8[4];
    store(Scalar::UInt8, bytes + 8, 3, u8);
    BOOST_TEST(u8[2] == 100);
    float f[4];
    const std::vector<double> third{1.0 / 3};
    store(Scalar::Float, reinterpret_cast<const std::byte*>(third.data()), 1, f);
    BOOST_TEST(f[0] == 1.0f / 3);
    BOOST_TEST(round_to(Scalar::Float, 1.0 / 3) == static_cast<double>(1.0f / 3));
    BOOST_TEST(element_size(Scalar::Int32) == 4u);
    BOOST_TEST(element_size(Scalar::UInt8) == 1u);
    BOOST_TEST(element_size(Scalar::Int64) == 8u);
    BOOST_TEST(element_size(Scalar::Float) == 4u);

    // Poisoned outputs: an integer element left alone reads back as NaN, a written one as itself.
    std::int64_t i64[3];
    poison(Scalar::Int64, i64, 3);
    i64[1] = -5;
    std::vector<double> back(3);
    load(Scalar::Int64, i64, 3, reinterpret_cast<std::byte*>(back.data()));
    BOOST_TEST(std::isnan(back[0]));
    BOOST_TEST(back[1] == -5.0);
    poison(Scalar::Int32, i32, 4);
    BOOST_TEST(i32[0] == INT32_MIN);
    poison(Scalar::Float, f, 4);
    BOOST_TEST(std::isnan(f[3]));
    poison(Scalar::UInt8, u8, 4);
    BOOST_TEST(u8[0] == 0xA5);
}

BOOST_AUTO_TEST_CASE(values_are_held_to_their_type) {
    BOOST_TEST(!out_of_range(Scalar::Int32, -2147483648.0));
    BOOST_TEST(*out_of_range(Scalar::Int32, 2147483648.0) ==
               "must be a whole number from -2147483648 to 2147483647");
    BOOST_TEST(*out_of_range(Scalar::Int32, 0.5) ==
               "must be a whole number from -2147483648 to 2147483647");
    BOOST_TEST(*out_of_range(Scalar::UInt8, 256) == "must be a whole number from 0 to 255");
    BOOST_TEST(*out_of_range(Scalar::UInt8, -1) == "must be a whole number from 0 to 255");
    BOOST_TEST(!out_of_range(Scalar::Int64, -9007199254740992.0));
    BOOST_TEST(*out_of_range(Scalar::Int64, 9007199254740994.0) ==
               "must be a whole number from -2^53 to 2^53 (9007199254740992)");
    BOOST_TEST(!out_of_range(Scalar::Float, 1e38));
    BOOST_TEST(!out_of_range(Scalar::Float, std::numeric_limits<double>::infinity()));
    BOOST_TEST(*out_of_range(Scalar::Float, 1e39) ==
               "is beyond the range of a float (about 3.4e38)");
    BOOST_TEST(!out_of_range(Scalar::Double, 1e300));
}

BOOST_AUTO_TEST_SUITE_END()
