// Exercise 4: marginals and the expected conditional KL of the chain rule.
#include <cstddef>
#include <limits>

#include "compensated_sum.hpp"
#include "export.hpp"
#include "kl_exercises.h"
#include "log_ratio.hpp"

KL_EXPORT void marginal_rows(const double* joint, size_t rows, size_t cols, double* marginal) {
    for (size_t i = 0; i < rows; ++i) {
        kl_reference::CompensatedSum sum;
        for (size_t j = 0; j < cols; ++j) sum.add(joint[i * cols + j]);
        marginal[i] = sum.value();
    }
}

KL_EXPORT double expected_conditional_kl(const double* P, const double* Q, size_t rows,
                                         size_t cols) {
    // p(x) D(p(.|x) || q(.|x)) = Σ_y p(x,y) ln(p(y|x) / q(y|x)), so the conditionals never need
    // to be materialised and rows with p(x) = 0 contribute nothing.
    // A row with p(x) > 0 but q(x) = 0 has q(y|x) undefined; treating it as all-zero gives +inf,
    // consistent with the joint KL being +inf there.
    constexpr double kInf = std::numeric_limits<double>::infinity();
    kl_reference::CompensatedSum total;
    for (size_t i = 0; i < rows; ++i) {
        const double* p_row = P + i * cols;
        const double* q_row = Q + i * cols;
        kl_reference::CompensatedSum p_sum;
        kl_reference::CompensatedSum q_sum;
        for (size_t j = 0; j < cols; ++j) {
            p_sum.add(p_row[j]);
            q_sum.add(q_row[j]);
        }
        const double p_x = p_sum.value();
        const double q_x = q_sum.value();
        if (p_x == 0.0) continue;
        for (size_t j = 0; j < cols; ++j) {
            if (p_row[j] == 0.0) continue;
            if (q_row[j] == 0.0) return kInf;
            total.add(p_row[j] * kl_reference::log_ratio(p_row[j] / p_x, q_row[j] / q_x));
        }
    }
    return total.value();
}
