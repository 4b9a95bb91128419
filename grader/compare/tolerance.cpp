#include "grader/compare/tolerance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace grader::compare {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

Tolerance for_precision(const Tolerance& tol, Precision precision) {
    switch (precision) {
        case Precision::Double:
            return tol;
        case Precision::Single:
            return {std::max(tol.rtol, kFloatRtol), std::max(tol.atol, kFloatAtol)};
        case Precision::Exact:
            return {0, 0};
    }
    return tol;
}

ScalarMatch match(double got, double expected, const Tolerance& tol) {
    ScalarMatch m;
    if (std::isnan(expected) || std::isnan(got)) {
        // A NaN expected value means the case expects NaN; a NaN result otherwise never matches.
        m.ok = std::isnan(expected) && std::isnan(got);
        m.abs_error = m.ok ? 0 : kInf;
        m.rel_error = m.abs_error;
        return m;
    }
    if (std::isinf(expected) || std::isinf(got)) {
        m.ok = got == expected;
        m.abs_error = m.ok ? 0 : kInf;
        m.rel_error = m.abs_error;
        return m;
    }
    m.abs_error = std::fabs(got - expected);
    m.rel_error = expected != 0 ? m.abs_error / std::fabs(expected) : (m.abs_error == 0 ? 0 : kInf);
    m.ok = m.abs_error <= tol.atol + tol.rtol * std::fabs(expected);
    return m;
}

VectorMatch match(std::span<const double> got, std::span<const double> expected,
                  const Tolerance& tol) {
    VectorMatch v;
    if (got.size() != expected.size()) {
        v.length_mismatch = true;
        return v;
    }
    v.ok = true;
    double worst_excess = -kInf;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const ScalarMatch m = match(got[i], expected[i], tol);
        if (m.ok) continue;
        const double allowance = tol.atol + tol.rtol * std::fabs(expected[i]);
        const double excess = std::isfinite(m.abs_error) ? m.abs_error - allowance : kInf;
        if (!v.worst || excess > worst_excess) {
            v.worst = i;
            v.at_worst = m;
            worst_excess = excess;
        }
        v.ok = false;
    }
    return v;
}

}  // namespace grader::compare
