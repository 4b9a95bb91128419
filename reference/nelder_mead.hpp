// Derivative-free minimisation for the Gaussian fits of exercise 3.
#ifndef KL_REFERENCE_NELDER_MEAD_HPP
#define KL_REFERENCE_NELDER_MEAD_HPP

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace kl_reference {

struct NelderMeadOptions {
    double xatol = 1e-10;  // stop when every vertex is within xatol of the best, per coordinate,
    double fatol = 1e-14;  // and every vertex value is within fatol of the best value
    std::size_t max_iterations = 20000;
};

struct NelderMeadResult {
    std::vector<double> x;
    double value = 0.0;
    std::size_t iterations = 0;
};

using Objective = std::function<double(std::span<const double>)>;

// Standard Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) started from
// the simplex x0, x0 + step_k e_k. Deterministic: ties are broken by vertex order.
// The objective may return +inf (an infeasible point); such vertices simply rank last. It must
// not return NaN.
NelderMeadResult nelder_mead(const Objective& f, std::span<const double> x0,
                             std::span<const double> step, const NelderMeadOptions& options = {});

}  // namespace kl_reference

#endif
