/* The reference for docs/example_set/exercises.yaml: the trusted answers the grader compares
 * students with. A plain C file, built as a shared library. */
#include <stddef.h>

double dot(const double *a, const double *b, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += a[i] * b[i];
    return s;
}

void normalise(const double *w, size_t n, double *p) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) total += w[i];
    for (size_t i = 0; i < n; ++i) p[i] = w[i] / total;
}
