// Exercises 7 and 10: the KL-regularised (RLHF) optimal policy and the DPO implicit reward.
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "export.hpp"
#include "kl_exercises.h"
#include "log_sum_exp.hpp"

// log_ref need not be normalised (the normalisation is absorbed by log Z). n = 0 returns -inf.
KL_EXPORT double rlhf_optimal_policy(const double* log_ref, const double* reward, size_t n,
                                     double beta, double* log_pi) {
    // r / beta reaches 1e5 and beyond for beta = 0.01, so the unnormalised log-weights are
    // normalised by log-sum-exp; nothing is exponentiated before the maximum is subtracted.
    if (n == 0) return -std::numeric_limits<double>::infinity();  // log of an empty sum
    std::span<double> out(log_pi, n);
    for (size_t i = 0; i < n; ++i) out[i] = log_ref[i] + reward[i] / beta;
    return kl_reference::log_softmax_in_place(out);
}

KL_EXPORT void dpo_implicit_reward(const double* log_pi, const double* log_ref, size_t n,
                                   double beta, double* reward) {
    for (size_t i = 0; i < n; ++i) reward[i] = beta * (log_pi[i] - log_ref[i]);
}

KL_EXPORT void kl_regularized_policy(const double* pi_ref, const double* reward, size_t n,
                                     double beta, double* pi) {
    // pi_ref * exp(r / beta) overflows for small beta; in log space it cannot. log(0) = -inf
    // makes pi_ref_i = 0 come out as exactly 0.
    if (n == 0) return;
    std::vector<double> logits(n);
    for (size_t i = 0; i < n; ++i) logits[i] = std::log(pi_ref[i]) + reward[i] / beta;
    kl_reference::subtract_max(logits);
    const double log_norm = kl_reference::log_sum_exp_shifted(logits);
    for (size_t i = 0; i < n; ++i) pi[i] = std::exp(logits[i] - log_norm);
}
