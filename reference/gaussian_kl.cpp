// Exercise 5: KL between univariate Gaussians, its Monte Carlo estimate, the VAE penalty.
#include <cstddef>
#include <cstdint>
#include <limits>

#include "compensated_sum.hpp"
#include "export.hpp"
#include "kl_exercises.h"
#include "log_ratio.hpp"
#include "rng.hpp"

KL_EXPORT double kl_gaussian(double mu1, double sigma1, double mu2, double sigma2) {
    // ln(s2/s1) + (s1² + (mu1-mu2)²) / (2 s2²) - 1/2, rearranged as
    // ½(s1² - s2²)/s2² - ln(s1/s2) + ½((mu1-mu2)/s2)²: when s1 ~ s2 both s1 - s2 and the
    // log ratio are computed without cancellation, so nearly equal Gaussians keep relative
    // accuracy better than the textbook form.
    const double variance_term = (sigma1 - sigma2) * (sigma1 + sigma2) / (sigma2 * sigma2);
    const double z = (mu1 - mu2) / sigma2;
    return 0.5 * variance_term - kl_reference::log_ratio(sigma1, sigma2) + 0.5 * z * z;
}

// Same (arguments, seed) give bit-identical results on every platform (see rng.hpp).
// samples = 0 has no estimate and returns NaN.
KL_EXPORT double kl_gaussian_mc(double mu1, double sigma1, double mu2, double sigma2,
                                size_t samples, uint64_t seed) {
    if (samples == 0) return std::numeric_limits<double>::quiet_NaN();
    // With x = mu1 + sigma1 z: log N(x; mu1, s1) - log N(x; mu2, s2) = ln(s2/s1) + ½(w² - z²),
    // w = (x - mu2)/s2. The constant is added once, outside the average.
    kl_reference::NormalGenerator normal(seed);
    kl_reference::CompensatedSum sum;
    for (size_t k = 0; k < samples; ++k) {
        const double z = normal.next();
        const double x = mu1 + sigma1 * z;
        const double w = (x - mu2) / sigma2;
        sum.add(0.5 * (w * w - z * z));
    }
    return kl_reference::log_ratio(sigma2, sigma1) + sum.value() / static_cast<double>(samples);
}

KL_EXPORT double kl_vae(double mu, double sigma) {
    // ½(mu² + sigma² - ln sigma² - 1) is kl_gaussian against N(0, 1); sharing the code keeps
    // the two figures of the notebook bit-identical.
    return kl_gaussian(mu, sigma, 0.0, 1.0);
}

KL_EXPORT void kl_vae_grad(double mu, double sigma, double* d_mu, double* d_sigma) {
    *d_mu = mu;
    *d_sigma = sigma - 1.0 / sigma;
}
