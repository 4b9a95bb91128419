// ln(a/b) computed without needless loss of accuracy.
#ifndef KL_REFERENCE_LOG_RATIO_HPP
#define KL_REFERENCE_LOG_RATIO_HPP

#include <cmath>

namespace kl_reference {

// Requires a > 0 and b > 0 (finite).
// For b/2 <= a <= 2b the difference a - b is exact (Sterbenz), so log1p((a - b) / b) keeps full
// relative accuracy even when a ~ b, where log(a / b) would only be accurate to an absolute ulp.
// When a / b over- or underflows, the difference of logs is still finite and accurate enough.
inline double log_ratio(double a, double b) {
    const double r = a / b;
    if (r >= 0.5 && r <= 2.0) return std::log1p((a - b) / b);
    if (r == 0.0 || std::isinf(r)) return std::log(a) - std::log(b);
    return std::log(r);
}

}  // namespace kl_reference

#endif
