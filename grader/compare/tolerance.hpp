#pragma once
// Tolerance semantics, as pure functions. A scalar matches when
// |got - expected| <= atol + rtol * |expected| (numpy's allclose); NaN matches only when the case
// expects NaN; an infinity matches only the same infinity.

#include <cstddef>
#include <optional>
#include <span>

namespace grader::compare {

struct Tolerance {
    double rtol = 1e-9;
    double atol = 1e-12;
};

// A float result carries about 7 significant digits, so the double defaults would fail a correct
// single-precision answer: float values are compared under at least these (numpy's allclose
// default rtol, and an atol for results near 0 that were sums of terms near 1).
inline constexpr double kFloatRtol = 1e-5;
inline constexpr double kFloatAtol = 1e-6;

// How a value of a given C type is compared: as a double, as a float, or exactly (integers and
// bool, which have no rounding to forgive).
enum class Precision { Double, Single, Exact };

// The tolerance in force for a value of that precision: the case's own for doubles, no tighter
// than kFloatRtol/kFloatAtol for floats, none for exact values.
Tolerance for_precision(const Tolerance& tol, Precision precision);

struct ScalarMatch {
    bool ok = false;
    double abs_error = 0;  // |got - expected|; inf when one side is non-finite and they differ
    double rel_error = 0;  // abs_error / |expected|; inf when expected is 0 and they differ
};

ScalarMatch match(double got, double expected, const Tolerance& tol);

struct VectorMatch {
    bool ok = false;
    bool length_mismatch = false;
    std::optional<std::size_t> worst;  // the element that is furthest outside tolerance
    ScalarMatch at_worst;
};

// Every element must match; `worst` names the element with the largest excess over its
// allowance (or the first non-finite mismatch), so the report can point at it.
VectorMatch match(std::span<const double> got, std::span<const double> expected,
                  const Tolerance& tol);

}  // namespace grader::compare
