// A Gaussian discretised on a grid (exercise 3), in log space.
#ifndef KL_REFERENCE_GAUSSIAN_GRID_HPP
#define KL_REFERENCE_GAUSSIAN_GRID_HPP

#include <cstddef>
#include <vector>

namespace kl_reference {

// log q_i for q_i ∝ N(x_i; mu, sigma²) normalised over the grid (so q sums to 1).
// Requires n > 0 and 0 < sigma < inf. The normalisation is done by log-sum-exp, so q stays a
// valid distribution even when mu lies far outside the grid and every raw density underflows.
std::vector<double> log_gaussian_on_grid(const double* x, std::size_t n, double mu, double sigma);

}  // namespace kl_reference

#endif
