// Exercise 2: the pointwise terms of the Gibbs-inequality proof, ln(q/p) <= q/p - 1.
#include <cstddef>

#include "export.hpp"
#include "kl_exercises.h"
#include "log_ratio.hpp"

KL_EXPORT void gibbs_terms(const double* p, const double* q, size_t n, double* log_ratio,
                           double* linear) {
    for (size_t i = 0; i < n; ++i) {
        log_ratio[i] = kl_reference::log_ratio(q[i], p[i]);
        // (q - p) / p rather than q / p - 1: the subtraction is exact when q ~ p, which is
        // where the two sides of the inequality are compared most closely.
        linear[i] = (q[i] - p[i]) / p[i];
    }
}
