/* Mutual information exercises: the functions a submission exports.
 * Generated from the spec by `grader header`; do not edit by hand.
 *
 * Arrays are contiguous, row-major, of the type each prototype names; the size parameters give
 * their lengths.
 * Output arrays are allocated by the caller.
 * Logarithms are natural (nats). Joint tables are row-major kx-by-ky arrays (rows: x),
 * non-negative and summing to 1; samples of X are in 0..kx-1 and samples of Y in 0..ky-1.
 * Export every function with C linkage: in C++, include this header (it adds extern "C"). */
#ifndef MUTUAL_INFORMATION_EXERCISES_H
#define MUTUAL_INFORMATION_EXERCISES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MUTUAL_INFORMATION_EXERCISES_ABI_VERSION 1

/* entropy: Entropy of a joint table, and conditional entropy */

/*
 * H(X, Y) = -sum p(x, y) ln p(x, y) over the table, with 0 ln 0 = 0.
 */
double joint_entropy(const double *pxy, size_t kx, size_t ky);

/*
 * H(Y | X) = H(X, Y) - H(X), where p(x) sums row x of the table.
 */
double conditional_entropy(const double *pxy, size_t kx, size_t ky);

/* information: Mutual information, exact and from samples */

/*
 * I(X; Y) = sum p(x, y) ln(p(x, y) / (p(x) p(y))) over the cells with p(x, y) > 0.
 */
double mutual_information(const double *pxy, size_t kx, size_t ky);

/*
 * counts[x * ky + y] = how many i have (x_i, y_i) = (x, y).
 */
void joint_counts(const int32_t *x, const int32_t *y, size_t n, int32_t kx, int32_t ky, int64_t *counts);

/*
 * The plug-in estimate of I(X; Y): the mutual information of the samples' empirical joint
 * table (n >= 1).
 */
double mi_from_samples(const int32_t *x, const int32_t *y, size_t n, int32_t kx, int32_t ky);

#ifdef __cplusplus
}
#endif

#endif /* MUTUAL_INFORMATION_EXERCISES_H */
