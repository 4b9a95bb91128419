// Exercise 3: the discretised Gaussian q_{mu,sigma}.
#include "gaussian_grid.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "export.hpp"
#include "kl_exercises.h"
#include "log_sum_exp.hpp"

namespace kl_reference {

std::vector<double> log_gaussian_on_grid(const double* x, std::size_t n, double mu, double sigma) {
    // The 1/(sigma sqrt(2 pi)) factor cancels in the normalisation, so only -z²/2 is needed.
    std::vector<double> log_q(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double z = (x[i] - mu) / sigma;
        log_q[i] = -0.5 * z * z;
    }
    log_softmax_in_place(log_q);
    return log_q;
}

}  // namespace kl_reference

// sigma <= 0 or non-finite parameters describe no distribution: q is filled with NaN.
KL_EXPORT void gaussian_on_grid(const double* x, size_t n, double mu, double sigma, double* q) {
    if (n == 0) return;
    if (!(sigma > 0.0) || !std::isfinite(sigma) || !std::isfinite(mu)) {
        for (size_t i = 0; i < n; ++i) q[i] = std::numeric_limits<double>::quiet_NaN();
        return;
    }
    const auto log_q = kl_reference::log_gaussian_on_grid(x, n, mu, sigma);
    for (size_t i = 0; i < n; ++i) q[i] = std::exp(log_q[i]);
}
