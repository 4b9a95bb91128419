// Your solution to the KL-divergence exercises.
//
// Replace each stub with your implementation. Every function keeps the exact prototype of
// kl_exercises.h: including the header gives them C linkage (extern "C"), which the grader
// needs to find them. A stub returns NAN and leaves its outputs alone, so it scores 0 until
// you implement it. Use natural logarithms throughout.

#include "kl_exercises.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

// Exercise 1: KL divergence, entropy, cross-entropy.
double kl_divergence(const double* /*p*/, const double* /*q*/, size_t /*n*/) { return NAN; }
double entropy(const double* /*p*/, size_t /*n*/) { return NAN; }
double cross_entropy(const double* /*p*/, const double* /*q*/, size_t /*n*/) { return NAN; }

// Exercise 2: Gibbs' inequality, term by term.
void gibbs_terms(const double* /*p*/, const double* /*q*/, size_t /*n*/, double* /*log_ratio*/,
                 double* /*linear*/) {}

// Exercise 3: forward vs reverse KL.
void gaussian_on_grid(const double* /*x*/, size_t /*n*/, double /*mu*/, double /*sigma*/,
                      double* /*q*/) {}
void fit_gaussian_forward_kl(const double* /*x*/, const double* /*p*/, size_t /*n*/,
                             double /*mu0*/, double /*sigma0*/, double* /*mu*/,
                             double* /*sigma*/) {}
void fit_gaussian_reverse_kl(const double* /*x*/, const double* /*p*/, size_t /*n*/,
                             double /*mu0*/, double /*sigma0*/, double* /*mu*/,
                             double* /*sigma*/) {}

// Exercise 4: the chain rule.
void marginal_rows(const double* /*joint*/, size_t /*rows*/, size_t /*cols*/,
                   double* /*marginal*/) {}
double expected_conditional_kl(const double* /*P*/, const double* /*Q*/, size_t /*rows*/,
                               size_t /*cols*/) {
    return NAN;
}

// Exercise 5: Gaussian KL and the VAE.
double kl_gaussian(double /*mu1*/, double /*sigma1*/, double /*mu2*/, double /*sigma2*/) {
    return NAN;
}
double kl_gaussian_mc(double /*mu1*/, double /*sigma1*/, double /*mu2*/, double /*sigma2*/,
                      size_t /*samples*/, uint64_t /*seed*/) {
    return NAN;
}
double kl_vae(double /*mu*/, double /*sigma*/) { return NAN; }
void kl_vae_grad(double /*mu*/, double /*sigma*/, double* /*d_mu*/, double* /*d_sigma*/) {}

// Exercise 6: f-divergences.
double js_divergence(const double* /*p*/, const double* /*q*/, size_t /*n*/) { return NAN; }
double chi2_divergence(const double* /*p*/, const double* /*q*/, size_t /*n*/) { return NAN; }
double tv_distance(const double* /*p*/, const double* /*q*/, size_t /*n*/) { return NAN; }

// Exercise 7: RLHF and DPO.
double rlhf_optimal_policy(const double* /*log_ref*/, const double* /*reward*/, size_t /*n*/,
                           double /*beta*/, double* /*log_pi*/) {
    return NAN;
}
void dpo_implicit_reward(const double* /*log_pi*/, const double* /*log_ref*/, size_t /*n*/,
                         double /*beta*/, double* /*reward*/) {}

// Exercise 8: softmax with temperature.
void softmax_t(const double* /*logits*/, size_t /*n*/, double /*tau*/, double* /*p*/) {}

// Exercise 9: distillation KL.
double distillation_kl(const double* /*teacher_logits*/, const double* /*student_logits*/,
                       size_t /*n*/, double /*tau*/) {
    return NAN;
}

// Exercise 10: KL-regularised policy.
void kl_regularized_policy(const double* /*pi_ref*/, const double* /*reward*/, size_t /*n*/,
                           double /*beta*/, double* /*pi*/) {}
