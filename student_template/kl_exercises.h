/* KL divergence exercises: the functions a submission exports.
 * Generated from the spec by `grader header`; do not edit by hand.
 *
 * All arrays are double, contiguous, row-major; the size parameters give their lengths.
 * Output arrays are allocated by the caller.
 * Logarithms are natural (nats). Probability vectors passed in are non-negative and sum to 1.
 * Export every function with C linkage: in C++, include this header (it adds extern "C"). */
#ifndef KL_DIVERGENCE_EXERCISES_H
#define KL_DIVERGENCE_EXERCISES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KL_DIVERGENCE_EXERCISES_ABI_VERSION 1

/* ex1: KL divergence: definition and coding interpretation */

/*
 * D_KL(p || q) = sum p_i ln(p_i / q_i) in nats; terms with p_i = 0 add 0; +INFINITY if some
 * p_i > 0 has q_i = 0.
 */
double kl_divergence(const double *p, const double *q, size_t n);

/*
 * H(p) = -sum p_i ln p_i in nats, with 0 ln 0 = 0.
 */
double entropy(const double *p, size_t n);

/*
 * H(p, q) = -sum p_i ln q_i; terms with p_i = 0 add 0; +INFINITY if some p_i > 0 has q_i = 0.
 */
double cross_entropy(const double *p, const double *q, size_t n);

/* ex2: Gibbs' inequality: proof and verification */

/*
 * The two sides of ln x <= x - 1 at x = q_i / p_i: log_ratio_i = ln(q_i / p_i), linear_i = q_i
 * / p_i - 1 (all p_i > 0).
 */
void gibbs_terms(const double *p, const double *q, size_t n, double *log_ratio, double *linear);

/* ex3: Forward vs reverse KL on a bimodal target */

/*
 * The N(mu, sigma^2) density at each x_i, normalised so that q sums to 1 (work in log space:
 * far tails must not give 0/0).
 */
void gaussian_on_grid(const double *x, size_t n, double mu, double sigma, double *q);

/*
 * The (mu, sigma) minimising D_KL(p || q_{mu,sigma}), q from gaussian_on_grid on x, searching
 * from (mu0, sigma0).
 */
void fit_gaussian_forward_kl(const double *x, const double *p, size_t n, double mu0, double sigma0, double *mu, double *sigma);

/*
 * The (mu, sigma) minimising D_KL(q_{mu,sigma} || p): the local optimum reached from (mu0,
 * sigma0).
 */
void fit_gaussian_reverse_kl(const double *x, const double *p, size_t n, double mu0, double sigma0, double *mu, double *sigma);

/* ex4: Chain rule decomposition */

/*
 * marginal_i = sum_j joint[i * cols + j] (joint is row-major, rows x cols).
 */
void marginal_rows(const double *joint, size_t rows, size_t cols, double *marginal);

/*
 * sum_x p(x) D_KL(p(.|x) || q(.|x)) for joint tables P, Q (rows x cols, row-major); rows with
 * p(x) = 0 add 0.
 */
double expected_conditional_kl(const double *P, const double *Q, size_t rows, size_t cols);

/* ex5: Gaussian KL and the VAE encoder */

/*
 * D_KL(N(mu1, sigma1^2) || N(mu2, sigma2^2)) in closed form; sigmas are standard deviations.
 */
double kl_gaussian(double mu1, double sigma1, double mu2, double sigma2);

/*
 * A Monte Carlo estimate of kl_gaussian from `samples` draws of N(mu1, sigma1^2); the same
 * seed gives the same value, different seeds different values.
 */
double kl_gaussian_mc(double mu1, double sigma1, double mu2, double sigma2, size_t samples, uint64_t seed);

/*
 * The VAE penalty D_KL(N(mu, sigma^2) || N(0, 1)) = (mu^2 + sigma^2 - ln sigma^2 - 1) / 2.
 */
double kl_vae(double mu, double sigma);

/*
 * The gradient of kl_vae: d_mu = mu, d_sigma = sigma - 1 / sigma.
 */
void kl_vae_grad(double mu, double sigma, double *d_mu, double *d_sigma);

/* ex6: f-divergences and Pinsker's inequality */

/*
 * Jensen-Shannon divergence KL(p || m) / 2 + KL(q || m) / 2 with m = (p + q) / 2, in nats (0
 * <= JS <= ln 2).
 */
double js_divergence(const double *p, const double *q, size_t n);

/*
 * Pearson chi^2(p || q) = sum (p_i - q_i)^2 / q_i; terms with p_i = q_i = 0 add 0; +INFINITY
 * if some q_i = 0 < p_i.
 */
double chi2_divergence(const double *p, const double *q, size_t n);

/*
 * Total variation distance sum |p_i - q_i| / 2.
 */
double tv_distance(const double *p, const double *q, size_t n);

/* ex7: RLHF optimal policy and DPO */

/*
 * The KL-regularised optimum: log_pi_i = log_ref_i + reward_i / beta - log Z; returns log Z.
 * log_ref need not be normalised; stable for tiny beta.
 */
double rlhf_optimal_policy(const double *log_ref, const double *reward, size_t n, double beta, double *log_pi);

/*
 * The DPO implicit reward: reward_i = beta (log_pi_i - log_ref_i).
 */
void dpo_implicit_reward(const double *log_pi, const double *log_ref, size_t n, double beta, double *reward);

/* ex8: Knowledge distillation: temperature */

/*
 * p = softmax(logits / tau); stable for logits of any size.
 */
void softmax_t(const double *logits, size_t n, double tau, double *p);

/* ex9: Temperature distillation KL */

/*
 * D_KL(softmax(z_T / tau) || softmax(z_S / tau)), without the tau^2 factor; accurate for
 * logits of any size.
 */
double distillation_kl(const double *teacher_logits, const double *student_logits, size_t n, double tau);

/* ex10: KL-regularised policy update */

/*
 * pi proportional to pi_ref * exp(reward / beta), normalised; stable for tiny beta; pi_ref_i =
 * 0 gives pi_i = 0.
 */
void kl_regularized_policy(const double *pi_ref, const double *reward, size_t n, double beta, double *pi);

#ifdef __cplusplus
}
#endif

#endif /* KL_DIVERGENCE_EXERCISES_H */
