// KL divergence exercises - my attempt
// Done: 1, 2, 6, 7, 10. The rest is partly done / not finished yet.
#include "kl_exercises.h"
#include <math.h>
#include <stdlib.h>

#define PI 3.141592653589793

// ---------- ex 1 ----------

double kl_divergence(const double *p, const double *q, size_t n)
{
    double kl = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] <= 0) continue;              // 0 log 0 = 0
        if (q[i] <= 0) return INFINITY;       // p>0 but q=0
        kl += p[i] * (log(p[i]) - log(q[i]));
    }
    return kl;
}

double entropy(const double *p, size_t n)
{
    double h = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] > 0) h += -p[i] * log(p[i]);
    return h;
}

double cross_entropy(const double *p, const double *q, size_t n)
{
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] <= 0) continue;
        if (q[i] <= 0) return INFINITY;
        h += -p[i] * log(q[i]);
    }
    return h;
}

// ---------- ex 2 ----------

void gibbs_terms(const double *p, const double *q, size_t n, double *log_ratio, double *linear)
{
    for (size_t i = 0; i < n; i++) {
        double x = q[i] / p[i];
        log_ratio[i] = log(x);
        linear[i] = x - 1;
    }
}

// ---------- ex 3 ----------

void gaussian_on_grid(const double *x, size_t n, double mu, double sigma, double *q)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (x[i] - mu) / sigma;
        q[i] = exp(-0.5 * d * d) / (sigma * sqrt(2 * PI));
        total += q[i];
    }
    for (size_t i = 0; i < n; i++)
        q[i] /= total;
}

// TODO: optimiser (scipy had minimize, need to write my own?) - just return the start for now
void fit_gaussian_forward_kl(const double *x, const double *p, size_t n, double mu0, double sigma0, double *mu, double *sigma)
{
    (void)x; (void)p; (void)n;
    *mu = mu0;
    *sigma = sigma0;
}

void fit_gaussian_reverse_kl(const double *x, const double *p, size_t n, double mu0, double sigma0, double *mu, double *sigma)
{
    (void)x; (void)p; (void)n;
    *mu = mu0;
    *sigma = sigma0;
}

// ---------- ex 4 ----------

void marginal_rows(const double *joint, size_t rows, size_t cols, double *marginal)
{
    double *sums = NULL;  // TODO malloc rows doubles
    for (size_t i = 0; i < rows; i++) {
        sums[i] = 0;
        for (size_t j = 0; j < cols; j++)
            sums[i] += joint[i * cols + j];
        marginal[i] = sums[i];
    }
}

double expected_conditional_kl(const double *P, const double *Q, size_t rows, size_t cols)
{
    double res = 0;
    for (size_t i = 0; i < rows; i++) {
        double px = 0, qx = 0;
        for (size_t j = 0; j < cols; j++) {
            px += P[i * cols + j];
            qx += Q[i * cols + j];
        }
        if (px == 0) continue;  // empty row, nothing to add
        double kl_row = 0;
        for (size_t j = 0; j < cols; j++) {
            double pc = P[i * cols + j] / px;
            double qc = Q[i * cols + j] / qx;
            if (pc > 0) kl_row += pc * log(pc / qc);
        }
        res += px * kl_row;
    }
    return res;
}

// ---------- ex 5 ----------

double kl_gaussian(double mu1, double sigma1, double mu2, double sigma2)
{
    // KL(N1||N2) = 1/2 log(s2/s1) + (s1 + (m1-m2)^2) / (2 s2) - 1/2
    double dm = mu1 - mu2;
    return 0.5 * log(sigma2 / sigma1) + (sigma1 + dm * dm) / (2 * sigma2) - 0.5;
}

static double randn(void)
{
    // box muller
    double u1 = (rand() + 1.0) / (RAND_MAX + 2.0);
    double u2 = (rand() + 1.0) / (RAND_MAX + 2.0);
    return sqrt(-2 * log(u1)) * cos(2 * PI * u2);
}

double kl_gaussian_mc(double mu1, double sigma1, double mu2, double sigma2, size_t samples, uint64_t seed)
{
    srand((unsigned)seed);
    double s = 0;
    for (size_t k = 0; k < samples; k++) {
        double x = mu1 + sigma1 * randn();
        double a = (x - mu1) / sigma1, b = (x - mu2) / sigma2;
        s += log(sigma2 / sigma1) - 0.5 * a * a + 0.5 * b * b;
    }
    return s / samples;
}

double kl_vae(double mu, double sigma)
{
    return 0.5 * (mu * mu + sigma * sigma - log(sigma * sigma) - 1);
}

void kl_vae_grad(double mu, double sigma, double *d_mu, double *d_sigma)
{
    *d_mu = mu;
    *d_sigma = sigma - 1 / sigma;
}

// ---------- ex 6 ----------

double js_divergence(const double *p, const double *q, size_t n)
{
    double js = 0;
    for (size_t i = 0; i < n; i++) {
        double m = (p[i] + q[i]) / 2;
        if (p[i] > 0) js += 0.5 * p[i] * log(p[i] / m);
        if (q[i] > 0) js += 0.5 * q[i] * log(q[i] / m);
    }
    return js;
}

double chi2_divergence(const double *p, const double *q, size_t n)
{
    double c = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i] == 0) {
            if (p[i] == 0) continue;
            return INFINITY;
        }
        c += (p[i] - q[i]) * (p[i] - q[i]) / q[i];
    }
    return c;
}

double tv_distance(const double *p, const double *q, size_t n)
{
    double t = 0;
    for (size_t i = 0; i < n; i++)
        t += fabs(p[i] - q[i]);
    return t / 2;
}

// ---------- ex 7 ----------

double rlhf_optimal_policy(const double *log_ref, const double *reward, size_t n, double beta, double *log_pi)
{
    // logsumexp trick (beta can be tiny)
    double mx = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        log_pi[i] = log_ref[i] + reward[i] / beta;
        if (log_pi[i] > mx) mx = log_pi[i];
    }
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += exp(log_pi[i] - mx);
    double logZ = mx + log(s);
    for (size_t i = 0; i < n; i++)
        log_pi[i] -= logZ;
    return logZ;
}

void dpo_implicit_reward(const double *log_pi, const double *log_ref, size_t n, double beta, double *reward)
{
    for (size_t i = 0; i < n; i++)
        reward[i] = beta * (log_pi[i] - log_ref[i]);
}

// ---------- ex 8 ----------

void softmax_t(const double *logits, size_t n, double tau, double *p)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        p[i] = exp(logits[i] / tau);
        sum += p[i];
    }
    for (size_t i = 0; i < n; i++)
        p[i] /= sum;
}

// ---------- ex 9 ----------

double distillation_kl(const double *teacher_logits, const double *student_logits, size_t n, double tau)
{
    double *pt = malloc(n * sizeof(double));
    double *ps = malloc(n * sizeof(double));
    softmax_t(teacher_logits, n, tau, pt);
    softmax_t(student_logits, n, tau, ps);
    double kl = 0;
    for (size_t i = 0; i < n; i++)
        if (pt[i] > 0) kl += pt[i] * log(pt[i] / ps[i]);
    free(pt);
    free(ps);
    return tau * tau * kl;  // Hinton et al. scale by T^2
}

// ---------- ex 10 ----------

void kl_regularized_policy(const double *pi_ref, const double *reward, size_t n, double beta, double *pi)
{
    // same as ex7 but with probabilities: work with logs
    double mx = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (pi_ref[i] > 0) {
            pi[i] = log(pi_ref[i]) + reward[i] / beta;
            if (pi[i] > mx) mx = pi[i];
        }
    }
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        pi[i] = pi_ref[i] > 0 ? exp(pi[i] - mx) : 0;
        s += pi[i];
    }
    for (size_t i = 0; i < n; i++)
        pi[i] /= s;
}
