/* The reference of exercises/mutual_information/exercises.yaml. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Terms with p = 0 add nothing: 0 ln 0 = 0. */
static double plogp(double p) {
    return p > 0 ? p * log(p) : 0.0;
}

double joint_entropy(const double *pxy, size_t kx, size_t ky) {
    double h = 0;
    for (size_t i = 0; i < kx * ky; ++i) h -= plogp(pxy[i]);
    return h;
}

double conditional_entropy(const double *pxy, size_t kx, size_t ky) {
    /* Summed cell by cell as -sum p(x,y) ln(p(x,y)/p(x)), which is never negative. */
    double h = 0;
    for (size_t x = 0; x < kx; ++x) {
        double px = 0;
        for (size_t y = 0; y < ky; ++y) px += pxy[x * ky + y];
        for (size_t y = 0; y < ky; ++y) {
            const double p = pxy[x * ky + y];
            if (p > 0) h -= p * log(p / px);
        }
    }
    return h;
}

double mutual_information(const double *pxy, size_t kx, size_t ky) {
    double *py = calloc(ky ? ky : 1, sizeof *py);
    double mi = 0;
    if (!py) return NAN;
    for (size_t x = 0; x < kx; ++x)
        for (size_t y = 0; y < ky; ++y) py[y] += pxy[x * ky + y];
    for (size_t x = 0; x < kx; ++x) {
        double px = 0;
        for (size_t y = 0; y < ky; ++y) px += pxy[x * ky + y];
        for (size_t y = 0; y < ky; ++y) {
            const double p = pxy[x * ky + y];
            if (p > 0) mi += p * log(p / (px * py[y]));
        }
    }
    free(py);
    return mi;
}

void joint_counts(const int32_t *x, const int32_t *y, size_t n, int32_t kx, int32_t ky,
                  int64_t *counts) {
    for (int64_t c = 0; c < (int64_t)kx * ky; ++c) counts[c] = 0;
    for (size_t i = 0; i < n; ++i) ++counts[(int64_t)x[i] * ky + y[i]];
}

double mi_from_samples(const int32_t *x, const int32_t *y, size_t n, int32_t kx, int32_t ky) {
    const size_t cells = (size_t)kx * (size_t)ky;
    int64_t *counts = malloc((cells ? cells : 1) * sizeof *counts);
    double *p = malloc((cells ? cells : 1) * sizeof *p);
    double mi = NAN;
    if (counts && p) {
        joint_counts(x, y, n, kx, ky, counts);
        for (size_t c = 0; c < cells; ++c) p[c] = (double)counts[c] / (double)n;
        mi = mutual_information(p, (size_t)kx, (size_t)ky);
    }
    free(counts);
    free(p);
    return mi;
}
