// Neumaier (improved Kahan) summation.
#ifndef KL_REFERENCE_COMPENSATED_SUM_HPP
#define KL_REFERENCE_COMPENSATED_SUM_HPP

#include <cmath>

namespace kl_reference {

// Divergence sums mix positive and negative terms whose total can be much smaller than the
// terms; carrying the rounding error keeps the result accurate to a few ulps of the terms'
// magnitude regardless of n. Non-finite terms switch to plain summation so that +inf stays
// +inf instead of turning into inf - inf = NaN in the compensation.
class CompensatedSum {
  public:
    void add(double x) {
        if (!std::isfinite(x) || !std::isfinite(sum_)) {
            sum_ += x;
            return;
        }
        const double t = sum_ + x;
        if (std::fabs(sum_) >= std::fabs(x)) {
            compensation_ += (sum_ - t) + x;
        } else {
            compensation_ += (x - t) + sum_;
        }
        sum_ = t;
    }

    double value() const { return std::isfinite(sum_) ? sum_ + compensation_ : sum_; }

  private:
    double sum_ = 0.0;
    double compensation_ = 0.0;
};

}  // namespace kl_reference

#endif
