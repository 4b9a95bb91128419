// Exercises 8 and 9: tempered softmax and the distillation KL.
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "compensated_sum.hpp"
#include "export.hpp"
#include "kl_exercises.h"
#include "log_sum_exp.hpp"

namespace kl_reference {
namespace {

// log softmax(z / tau). The maximum is subtracted before dividing by tau so that the top
// entry is exactly 0 and differences of nearby logits are exact (Sterbenz).
std::vector<double> log_softmax_tempered(const double* logits, std::size_t n, double tau) {
    std::vector<double> v(logits, logits + n);
    subtract_max(v);
    for (double& x : v) x /= tau;
    const double log_norm = log_sum_exp_shifted(v);
    for (double& x : v) x -= log_norm;
    return v;
}

}  // namespace
}  // namespace kl_reference

KL_EXPORT void softmax_t(const double* logits, size_t n, double tau, double* p) {
    if (n == 0) return;
    std::vector<double> v(logits, logits + n);
    kl_reference::subtract_max(v);
    kl_reference::CompensatedSum sum;
    for (double& x : v) {
        x = std::exp(x / tau);
        sum.add(x);
    }
    const double total = sum.value();  // >= 1: the maximum contributes exp(0)
    for (size_t i = 0; i < n; ++i) p[i] = v[i] / total;
}

KL_EXPORT double distillation_kl(const double* teacher_logits, const double* student_logits,
                                 size_t n, double tau) {
    if (n == 0) return 0.0;
    // Working with log-probabilities keeps the log ratio finite where a probability underflows:
    // teacher [1000, -1000] vs student [-1000, 1000] gives 2000 nats, not inf or NaN.
    const auto log_t = kl_reference::log_softmax_tempered(teacher_logits, n, tau);
    const auto log_s = kl_reference::log_softmax_tempered(student_logits, n, tau);
    kl_reference::CompensatedSum sum;
    for (size_t i = 0; i < n; ++i) {
        const double p = std::exp(log_t[i]);
        if (p > 0.0) sum.add(p * (log_t[i] - log_s[i]));
    }
    return sum.value();
}
