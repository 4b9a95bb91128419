// Nelder-Mead simplex minimisation.
#include "nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace kl_reference {
namespace {

struct Vertex {
    std::vector<double> x;
    double f = 0.0;
};

// p = a + t (b - a)
std::vector<double> along(const std::vector<double>& a, const std::vector<double>& b, double t) {
    std::vector<double> p(a.size());
    for (std::size_t k = 0; k < a.size(); ++k) p[k] = a[k] + t * (b[k] - a[k]);
    return p;
}

bool converged(const std::vector<Vertex>& simplex, const NelderMeadOptions& options) {
    const Vertex& best = simplex.front();
    for (std::size_t v = 1; v < simplex.size(); ++v) {
        // Written as !(d <= tol) so that inf - inf = NaN (two infeasible vertices) counts as
        // not converged.
        if (!(std::fabs(simplex[v].f - best.f) <= options.fatol)) return false;
        for (std::size_t k = 0; k < best.x.size(); ++k) {
            if (!(std::fabs(simplex[v].x[k] - best.x[k]) <= options.xatol)) return false;
        }
    }
    return true;
}

}  // namespace

NelderMeadResult nelder_mead(const Objective& f, std::span<const double> x0,
                             std::span<const double> step, const NelderMeadOptions& options) {
    const std::size_t dim = x0.size();
    std::vector<Vertex> simplex(dim + 1);
    simplex[0].x.assign(x0.begin(), x0.end());
    for (std::size_t k = 0; k < dim; ++k) {
        simplex[k + 1].x = simplex[0].x;
        simplex[k + 1].x[k] += step[k];
    }
    for (auto& v : simplex) v.f = f(v.x);

    auto evaluate = [&f](std::vector<double> x) { return Vertex{x, f(x)}; };
    // stable_sort keeps older vertices first among equal values, which makes the run
    // reproducible and prefers points already accepted.
    auto by_value = [](const Vertex& a, const Vertex& b) { return a.f < b.f; };

    std::size_t iteration = 0;
    for (; iteration < options.max_iterations; ++iteration) {
        std::stable_sort(simplex.begin(), simplex.end(), by_value);
        if (converged(simplex, options)) break;

        const Vertex& worst = simplex.back();
        std::vector<double> centroid(dim, 0.0);
        for (std::size_t v = 0; v < dim; ++v) {
            for (std::size_t k = 0; k < dim; ++k) centroid[k] += simplex[v].x[k];
        }
        for (double& c : centroid) c /= static_cast<double>(dim);

        const Vertex reflected = evaluate(along(centroid, worst.x, -1.0));
        if (reflected.f < simplex.front().f) {
            Vertex expanded = evaluate(along(centroid, worst.x, -2.0));
            simplex.back() = expanded.f < reflected.f ? std::move(expanded) : reflected;
            continue;
        }
        if (reflected.f < simplex[dim - 1].f) {
            simplex.back() = reflected;
            continue;
        }
        if (reflected.f < worst.f) {
            Vertex outside = evaluate(along(centroid, worst.x, -0.5));
            if (outside.f <= reflected.f) {
                simplex.back() = std::move(outside);
                continue;
            }
        } else {
            Vertex inside = evaluate(along(centroid, worst.x, 0.5));
            if (inside.f < worst.f) {
                simplex.back() = std::move(inside);
                continue;
            }
        }
        for (std::size_t v = 1; v <= dim; ++v) {
            simplex[v] = evaluate(along(simplex[0].x, simplex[v].x, 0.5));
        }
    }
    std::stable_sort(simplex.begin(), simplex.end(), by_value);
    return NelderMeadResult{simplex.front().x, simplex.front().f, iteration};
}

}  // namespace kl_reference
