// Exercises 1 and 6: KL divergence, entropy, cross-entropy, Jensen-Shannon, chi-squared, TV.
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>

#include "compensated_sum.hpp"
#include "export.hpp"
#include "kl_exercises.h"
#include "log_ratio.hpp"

namespace kl_reference {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Σ p_i ln(p_i / q_i) with 0 ln(0/q) = 0 and +inf when some p_i > 0 meets q_i = 0.
double kl_terms(const double* p, const double* q, std::size_t n) {
    CompensatedSum sum;
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] == 0.0) continue;
        if (q[i] == 0.0) return kInf;
        sum.add(p[i] * log_ratio(p[i], q[i]));
    }
    return sum.value();
}

}  // namespace
}  // namespace kl_reference

using kl_reference::CompensatedSum;
using kl_reference::kInf;

KL_EXPORT double kl_divergence(const double* p, const double* q, size_t n) {
    return kl_reference::kl_terms(p, q, n);
}

KL_EXPORT double entropy(const double* p, size_t n) {
    CompensatedSum sum;
    for (size_t i = 0; i < n; ++i) {
        if (p[i] > 0.0) sum.add(-p[i] * std::log(p[i]));
    }
    return sum.value();
}

KL_EXPORT double cross_entropy(const double* p, const double* q, size_t n) {
    CompensatedSum sum;
    for (size_t i = 0; i < n; ++i) {
        if (p[i] == 0.0) continue;
        if (q[i] == 0.0) return kInf;
        sum.add(-p[i] * std::log(q[i]));
    }
    return sum.value();
}

KL_EXPORT double js_divergence(const double* p, const double* q, size_t n) {
    // Both KL(p||m) and KL(q||m) are finite because m_i >= p_i / 2 and m_i >= q_i / 2.
    CompensatedSum sum;
    for (size_t i = 0; i < n; ++i) {
        const double m = 0.5 * (p[i] + q[i]);
        if (p[i] > 0.0) sum.add(0.5 * p[i] * kl_reference::log_ratio(p[i], m));
        if (q[i] > 0.0) sum.add(0.5 * q[i] * kl_reference::log_ratio(q[i], m));
    }
    // JS lies in [0, ln 2]; rounding may overshoot either bound by an ulp, which would break
    // callers that rely on the bound (e.g. sqrt(JS) or 1 - JS / ln 2).
    const double js = sum.value();
    if (js < 0.0) return 0.0;
    if (js > std::numbers::ln2) return std::numbers::ln2;
    return js;
}

KL_EXPORT double chi2_divergence(const double* p, const double* q, size_t n) {
    CompensatedSum sum;
    for (size_t i = 0; i < n; ++i) {
        if (q[i] == 0.0) {
            if (p[i] > 0.0) return kInf;
            continue;
        }
        const double d = p[i] - q[i];
        sum.add(d * d / q[i]);
    }
    return sum.value();
}

KL_EXPORT double tv_distance(const double* p, const double* q, size_t n) {
    CompensatedSum sum;
    for (size_t i = 0; i < n; ++i) sum.add(std::fabs(p[i] - q[i]));
    return 0.5 * sum.value();
}
