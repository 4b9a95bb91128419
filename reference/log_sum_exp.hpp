// Log-sum-exp and log-softmax over vectors of log-weights.
#ifndef KL_REFERENCE_LOG_SUM_EXP_HPP
#define KL_REFERENCE_LOG_SUM_EXP_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>

#include "compensated_sum.hpp"

namespace kl_reference {

// Subtracts the maximum from every entry in place and returns that maximum. Afterwards every
// entry is <= 0 and the largest is exactly 0, so exp() of any entry is in [0, 1]: no overflow
// for logits of any size, and underflow only where the weight is negligible anyway.
// Requires a non-empty span with a finite maximum.
inline double subtract_max(std::span<double> v) {
    const double m = *std::max_element(v.begin(), v.end());
    for (double& x : v) x -= m;
    return m;
}

// log Σ exp(v_i) for entries whose maximum is exactly 0 (see subtract_max). The dominant term
// contributes exactly 1, so the result is log1p of the rest: when one weight dominates the
// result is tiny and log1p keeps it relatively accurate. Returns a value in [0, ln n].
inline double log_sum_exp_shifted(std::span<const double> v) {
    CompensatedSum rest;
    bool skipped_max = false;
    for (const double x : v) {
        if (!skipped_max && x == 0.0) {
            skipped_max = true;
            continue;
        }
        rest.add(std::exp(x));
    }
    return std::log1p(rest.value());
}

// Replaces v by its log-softmax and returns log Σ exp(v) of the original entries.
// Requires a non-empty span with a finite maximum.
inline double log_softmax_in_place(std::span<double> v) {
    const double m = subtract_max(v);
    const double log_norm = log_sum_exp_shifted(v);
    for (double& x : v) x -= log_norm;
    return m + log_norm;
}

}  // namespace kl_reference

#endif
