// Exercise 3: fitting a discretised Gaussian to p by forward or reverse KL.
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "compensated_sum.hpp"
#include "export.hpp"
#include "gaussian_grid.hpp"
#include "kl_exercises.h"
#include "nelder_mead.hpp"

namespace kl_reference {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Direction { kForward, kReverse };  // D(p || q) or D(q || p)

struct Evaluation {
    double value = kInf;
    std::array<double, 2> gradient{};  // with respect to (mu, log sigma)
};

// The fit works in theta = (mu, log sigma): sigma stays positive without constraints and the
// objective is far better conditioned than in sigma itself.
class GaussianFitProblem {
  public:
    GaussianFitProblem(const double* x, const double* p, std::size_t n, Direction direction)
        : x_(x), p_(p), n_(n), direction_(direction), log_p_(n) {
        for (std::size_t i = 0; i < n; ++i) log_p_[i] = std::log(p[i]);
    }

    double value(std::span<const double> theta) const { return evaluate(theta[0], theta[1]).value; }

    // Objective and its exact gradient. With z_i = (x_i - mu)/sigma and log q_i = -z_i²/2 - C,
    // d log q_i / d mu = (z_i - E_q z)/sigma and d log q_i / d log sigma = z_i² - E_q z².
    //   forward: grad = -Σ p_i d log q_i
    //   reverse: grad = Σ q_i (d log q_i)(log q_i - log p_i)  (the Σ d q_i term vanishes)
    Evaluation evaluate(double mu, double log_sigma) const {
        const double sigma = std::exp(log_sigma);
        if (!(sigma > 0.0) || !std::isfinite(sigma) || !std::isfinite(mu)) return {};
        const auto log_q = log_gaussian_on_grid(x_, n_, mu, sigma);

        CompensatedSum q_z;
        CompensatedSum q_z2;
        std::vector<double> q(n_);
        std::vector<double> z(n_);
        for (std::size_t i = 0; i < n_; ++i) {
            q[i] = std::exp(log_q[i]);
            z[i] = (x_[i] - mu) / sigma;
            q_z.add(q[i] * z[i]);
            q_z2.add(q[i] * z[i] * z[i]);
        }
        const double mean_z = q_z.value();
        const double mean_z2 = q_z2.value();

        CompensatedSum value;
        CompensatedSum grad_mu;
        CompensatedSum grad_log_sigma;
        for (std::size_t i = 0; i < n_; ++i) {
            if (direction_ == Direction::kForward) {
                if (p_[i] == 0.0) continue;
                value.add(p_[i] * (log_p_[i] - log_q[i]));
                grad_mu.add(-p_[i] * z[i]);
                grad_log_sigma.add(-p_[i] * z[i] * z[i]);
            } else {
                // Only grid points where q does not underflow count; there p must be positive
                // or the divergence is infinite (q puts mass where p has none).
                if (q[i] == 0.0) continue;
                if (p_[i] == 0.0) return {};
                const double log_ratio = log_q[i] - log_p_[i];
                value.add(q[i] * log_ratio);
                grad_mu.add(q[i] * (z[i] - mean_z) * log_ratio);
                grad_log_sigma.add(q[i] * (z[i] * z[i] - mean_z2) * log_ratio);
            }
        }
        Evaluation e;
        e.value = value.value();
        if (direction_ == Direction::kForward) {
            // Σ p_i = 1, so -Σ p_i (z_i - E_q z) = E_q z - E_p z.
            e.gradient = {(grad_mu.value() + mean_z) / sigma, grad_log_sigma.value() + mean_z2};
        } else {
            e.gradient = {grad_mu.value() / sigma, grad_log_sigma.value()};
        }
        return e;
    }

  private:
    const double* x_;
    const double* p_;
    std::size_t n_;
    Direction direction_;
    std::vector<double> log_p_;
};

double max_abs(const std::array<double, 2>& v) {
    return std::fmax(std::fabs(v[0]), std::fabs(v[1]));
}

// Nelder-Mead stalls where the objective is flat to within rounding, i.e. about sqrt(eps) from
// the optimum in theta. Newton steps on the exact gradient (with a finite-difference Hessian)
// finish the job; a step is kept only if it shrinks the gradient without raising the objective
// beyond rounding noise, and only small steps are taken so the fit cannot jump to another
// stationary point.
std::array<double, 2> newton_polish(const GaussianFitProblem& problem,
                                    std::array<double, 2> theta) {
    constexpr double kHessianStep = 1e-5;
    constexpr double kMaxStep = 1e-3;
    Evaluation current = problem.evaluate(theta[0], theta[1]);
    for (int iteration = 0; iteration < 10 && std::isfinite(current.value); ++iteration) {
        std::array<std::array<double, 2>, 2> h{};
        for (std::size_t k = 0; k < 2; ++k) {
            auto plus = theta;
            auto minus = theta;
            plus[k] += kHessianStep;
            minus[k] -= kHessianStep;
            const auto gp = problem.evaluate(plus[0], plus[1]).gradient;
            const auto gm = problem.evaluate(minus[0], minus[1]).gradient;
            for (std::size_t j = 0; j < 2; ++j) h[j][k] = (gp[j] - gm[j]) / (2.0 * kHessianStep);
        }
        const double off = 0.5 * (h[0][1] + h[1][0]);
        const double det = h[0][0] * h[1][1] - off * off;
        if (!(h[0][0] > 0.0) || !(det > 0.0)) break;  // not a minimum: leave theta alone
        const auto& g = current.gradient;
        const std::array<double, 2> step = {-(h[1][1] * g[0] - off * g[1]) / det,
                                            -(h[0][0] * g[1] - off * g[0]) / det};
        if (!(max_abs(step) <= kMaxStep)) break;
        const std::array<double, 2> next = {theta[0] + step[0], theta[1] + step[1]};
        const Evaluation trial = problem.evaluate(next[0], next[1]);
        const double noise =
            4.0 * std::numeric_limits<double>::epsilon() * std::fabs(current.value);
        if (!(trial.value <= current.value + noise) ||
            !(max_abs(trial.gradient) < max_abs(current.gradient))) {
            break;
        }
        theta = next;
        current = trial;
        if (max_abs(step) < 1e-15) break;
    }
    return theta;
}

void fit(const double* x, const double* p, std::size_t n, double mu0, double sigma0,
         Direction direction, double* mu, double* sigma) {
    if (n == 0 || !(sigma0 > 0.0)) {
        *mu = std::numeric_limits<double>::quiet_NaN();
        *sigma = std::numeric_limits<double>::quiet_NaN();
        return;
    }
    const GaussianFitProblem problem(x, p, n, direction);
    const Objective objective = [&problem](std::span<const double> theta) {
        return problem.value(theta);
    };
    const std::array<double, 2> start = {mu0, std::log(sigma0)};
    // The first simplex is small relative to sigma0 so that the reverse fit stays in the basin
    // of the mode it starts in; the restart gives a fresh, well-shaped simplex in case the first
    // one collapsed before reaching the optimum.
    const std::array<double, 2> first_step = {0.1 * sigma0, 0.1};
    const auto first = nelder_mead(objective, start, first_step);
    const std::array<double, 2> restart_step = {0.01 * std::exp(first.x[1]), 0.01};
    const auto second = nelder_mead(objective, first.x, restart_step);
    const auto& best = second.value <= first.value ? second : first;
    const auto theta = newton_polish(problem, {best.x[0], best.x[1]});
    *mu = theta[0];
    *sigma = std::exp(theta[1]);
}

}  // namespace
}  // namespace kl_reference

// Both fits return NaN for n = 0 or sigma0 <= 0. The search is Nelder-Mead in (mu, log sigma)
// from (mu0, log sigma0), restarted once, then Newton-polished: the local optimum of that basin.
KL_EXPORT void fit_gaussian_forward_kl(const double* x, const double* p, size_t n, double mu0,
                                       double sigma0, double* mu, double* sigma) {
    kl_reference::fit(x, p, n, mu0, sigma0, kl_reference::Direction::kForward, mu, sigma);
}

KL_EXPORT void fit_gaussian_reverse_kl(const double* x, const double* p, size_t n, double mu0,
                                       double sigma0, double* mu, double* sigma) {
    kl_reference::fit(x, p, n, mu0, sigma0, kl_reference::Direction::kReverse, mu, sigma);
}
