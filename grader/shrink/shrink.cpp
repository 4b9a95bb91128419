#include "grader/shrink/shrink.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <tuple>

namespace grader::shrink {

namespace {

double round_to(double x, int digits) {
    const double scale = std::pow(10.0, digits);
    return std::round(x * scale) / scale;
}

// The simplest number of [low, high]: 0 if it is in the range, else the whole number nearest 0,
// else the shortest decimal.
double simplest(double low, double high, bool integer) {
    if (low <= 0 && 0 <= high) return 0;
    if (high < 0) return -simplest(-high, -low, integer);
    const double whole = std::ceil(low);
    if (whole <= high || integer) return whole;
    for (int d = 1; d <= 16; ++d) {
        const double c = std::ceil(low * std::pow(10.0, d)) / std::pow(10.0, d);
        if (c >= low && c <= high) return c;
    }
    return low;
}

// One number's complexity: digits first, then magnitude.
std::pair<int, double> complexity(double x) {
    return {decimals(x), std::fabs(x)};
}

struct Measure {
    std::size_t values = 0;
    long digits = 0;
    double magnitude = 0;
};

Measure measure(const Input& in) {
    Measure m;
    m.values = in.value_count();
    for (const Var& v : in.vars)
        for (double x : v.values) {
            m.digits += decimals(x);
            // A probability vector always sums to 1: only its digits can get simpler.
            if (v.kind != Kind::Probability) m.magnitude += std::fabs(x);
        }
    return m;
}

// Lengths of the dimensions of a var, or nothing when its length does not follow its sizes.
std::optional<std::vector<std::size_t>> extents(const Input& in, const Var& v) {
    if (v.dims.empty()) return std::nullopt;
    std::vector<std::size_t> e;
    std::size_t total = 1;
    for (const std::string& d : v.dims) {
        const Size* s = in.size(d);
        if (!s) return std::nullopt;
        e.push_back(s->value);
        total *= s->value;
    }
    if (total != v.values.size()) return std::nullopt;
    return e;
}

bool renormalise(Var& v) {
    double sum = 0;
    for (double x : v.values) sum += x;
    if (!(sum > 0) || !std::isfinite(sum)) return false;
    for (double& x : v.values) x /= sum;
    if (!v.zeros)
        for (double x : v.values)
            if (!(x > 0)) return false;
    return true;
}

// The input with indices [from, from + count) of size `dim` removed from every array along it.
std::optional<Input> remove_along(const Input& in, std::size_t dim, std::size_t from,
                                  std::size_t count) {
    Input out = in;
    const std::string& name = in.sizes[dim].name;
    for (std::size_t k = 0; k < out.vars.size(); ++k) {
        Var& v = out.vars[k];
        const auto at = std::find(v.dims.begin(), v.dims.end(), name);
        if (at == v.dims.end()) continue;
        const auto e = extents(in, in.vars[k]);
        if (!e) return std::nullopt;  // a var that does not follow its sizes cannot lose elements
        const std::size_t axis = static_cast<std::size_t>(at - v.dims.begin());
        std::size_t stride = 1;
        for (std::size_t j = axis + 1; j < e->size(); ++j) stride *= (*e)[j];
        std::vector<double> kept;
        for (std::size_t j = 0; j < v.values.size(); ++j) {
            const std::size_t index = (j / stride) % (*e)[axis];
            if (index < from || index >= from + count) kept.push_back(v.values[j]);
        }
        v.values = std::move(kept);
        if (v.kind == Kind::Probability && !renormalise(v)) return std::nullopt;
    }
    out.sizes[dim].value -= count;
    return out;
}

// The simpler values one entry of a probability vector could take.
std::vector<double> simpler_probabilities(double p, bool zeros) {
    std::vector<double> out;
    auto add = [&](double v) {
        if (v == p || v < 0 || v > 1 || (!zeros && v == 0)) return;
        if (complexity(v) >= complexity(p)) return;
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    };
    add(0);
    add(1);
    add(0.5);
    for (double v : {0.25, 0.75, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9}) add(v);
    for (int d = 1; d <= 4; ++d) add(round_to(p, d));
    return out;
}

}  // namespace

std::size_t Input::value_count() const {
    std::size_t n = sizes.size();
    for (const Var& v : vars) n += v.values.size();
    return n;
}

const Size* Input::size(const std::string& name) const {
    for (const Size& s : sizes)
        if (s.name == name) return &s;
    return nullptr;
}

int decimals(double x) {
    if (!std::isfinite(x)) return 0;
    for (int d = 0; d <= 16; ++d)
        if (round_to(x, d) == x) return d;
    return 17;
}

std::vector<double> simpler_values(double x, double low, double high, bool integer) {
    std::vector<double> out;
    const auto own = complexity(x);
    auto add = [&](double v) {
        if (!std::isfinite(v) || v < low || v > high || v == x) return;
        if (integer && v != std::floor(v)) return;
        if (complexity(v) >= own) return;
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    };
    const double target = simplest(low, high, integer);
    add(target);
    for (double c : {0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 0.25, 0.1, 10.0}) add(c);
    add(std::trunc(x));
    add(std::round(x));
    for (int d = 1; d <= 6; ++d) add(round_to(x, d));
    // From the target back towards x in halving steps: the boundary where a failure starts (an
    // overflow from some magnitude on) is found in a few steps.
    const double diff = x - target;
    for (int k = 1; k <= 20; ++k) {
        double v = x - diff / std::pow(2.0, k);
        if (integer || std::fabs(diff) >= 2) v = std::trunc(v);
        add(v);
    }
    return out;
}

bool simpler(const Input& a, const Input& b) {
    const Measure x = measure(a), y = measure(b);
    return std::tie(x.values, x.digits, x.magnitude) < std::tie(y.values, y.digits, y.magnitude);
}

std::vector<Input> smaller_sizes(const Input& input) {
    std::vector<Input> out;
    for (std::size_t d = 0; d < input.sizes.size(); ++d) {
        const Size& s = input.sizes[d];
        if (s.value <= s.low) continue;
        // Chunks from the largest that keeps the size legal down to single elements.
        for (std::size_t len = s.value - s.low; len >= 1; len /= 2) {
            std::vector<std::size_t> starts;
            for (std::size_t from = 0; from + len <= s.value; from += len) starts.push_back(from);
            if (starts.empty() || starts.back() + len != s.value) starts.push_back(s.value - len);
            for (std::size_t from : starts)
                if (auto c = remove_along(input, d, from, len)) out.push_back(std::move(*c));
        }
    }
    // Fewest values first, whichever size they came from.
    std::stable_sort(out.begin(), out.end(), [](const Input& a, const Input& b) {
        return a.value_count() < b.value_count();
    });
    return out;
}

std::vector<Input> simpler_numbers(const Input& input) {
    std::vector<Input> out;
    for (std::size_t k = 0; k < input.vars.size(); ++k) {
        const Var& v = input.vars[k];
        if (v.kind == Kind::Probability) {
            if (v.values.size() < 2) continue;
            // The uniform vector over the entries that are not 0.
            {
                Input c = input;
                std::size_t support = 0;
                for (double x : v.values) support += x > 0;
                for (double& x : c.vars[k].values)
                    if (x > 0) x = 1.0 / static_cast<double>(support);
                out.push_back(std::move(c));
            }
            // One entry made simpler, the largest other entry taking up the difference.
            for (std::size_t i = 0; i < v.values.size(); ++i) {
                std::size_t j = i == 0 ? 1 : 0;
                for (std::size_t m = 0; m < v.values.size(); ++m)
                    if (m != i && v.values[m] > v.values[j]) j = m;
                for (double p : simpler_probabilities(v.values[i], v.zeros)) {
                    const double other = v.values[j] + (v.values[i] - p);
                    if (other < 0 || other > 1 || (!v.zeros && !(other > 0))) continue;
                    Input c = input;
                    c.vars[k].values[i] = p;
                    c.vars[k].values[j] = other;
                    out.push_back(std::move(c));
                }
            }
            continue;
        }
        for (std::size_t i = 0; i < v.values.size(); ++i)
            for (double x : simpler_values(v.values[i], v.low, v.high, v.kind == Kind::Integer)) {
                Input c = input;
                c.vars[k].values[i] = x;
                out.push_back(std::move(c));
            }
    }
    return out;
}

Outcome minimise(Input start, const Test& test, const Budget& budget) {
    Outcome out;
    out.smallest = std::move(start);
    bool stopped = false;
    // Tries candidates in order, a chunk at a time; takes the first that still fails.
    auto advance = [&](std::vector<Input> candidates) {
        std::erase_if(candidates, [&](const Input& c) { return !simpler(c, out.smallest); });
        const std::size_t chunk = std::max<std::size_t>(1, budget.batch);
        for (std::size_t from = 0; from < candidates.size(); from += chunk) {
            if (out.tried >= budget.candidates) {
                out.stop = Stop::Candidates;
                stopped = true;
                return false;
            }
            if (std::chrono::steady_clock::now() >= budget.deadline) {
                out.stop = Stop::Time;
                stopped = true;
                return false;
            }
            const std::size_t count =
                std::min({chunk, candidates.size() - from, budget.candidates - out.tried});
            const std::vector<bool> fails =
                test(std::span<const Input>(candidates).subspan(from, count));
            out.tried += count;
            for (std::size_t i = 0; i < fails.size() && i < count; ++i)
                if (fails[i]) {
                    out.smallest = std::move(candidates[from + i]);
                    ++out.steps;
                    return true;
                }
        }
        return false;
    };
    while (!stopped) {
        if (advance(smaller_sizes(out.smallest))) continue;
        if (stopped || !advance(simpler_numbers(out.smallest))) break;
    }
    return out;
}

}  // namespace grader::shrink
