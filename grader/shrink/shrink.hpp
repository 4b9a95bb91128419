#pragma once
// Shrinking a failing input to a smaller one that still fails the same way, as property-based
// testing tools do: first fewer elements, then simpler numbers (0, 1, halves, short decimals).
// This part knows nothing of specs, functions or workers: it proposes candidates, a Test says
// which of them still fail, and it keeps the smallest. Every candidate stays inside the bounds
// and the kind (whole number, probability vector) the caller gave each value; anything else the
// caller must check itself (its Test may reject a candidate as not failing).

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace grader::shrink {

// A size: the length of one dimension of the arrays that name it (`n`, `rows`, `cols`).
struct Size {
    std::string name;
    std::size_t value = 0;
    std::size_t low = 0;  // never below this (a fixed size has low == value)
};

enum class Kind {
    Real,         // any double in [low, high]
    Integer,      // a whole number in [low, high]
    Probability,  // entries >= 0 (> 0 unless `zeros`) that sum to 1
};

// A scalar or an array that may change.
struct Var {
    std::string name;
    Kind kind = Kind::Real;
    double low = 0, high = 0;  // Real, Integer
    bool zeros = false;        // Probability: entries may be 0
    // An array's length is the product of these sizes, the first one outermost (row-major: an
    // array of `rows * cols` loses a block of `cols` elements with each row). Empty: a scalar,
    // or an array whose length does not follow a size.
    std::vector<std::string> dims;
    std::vector<double> values;
};

struct Input {
    std::vector<Size> sizes;
    std::vector<Var> vars;

    // How many numbers it holds: every element of every array, and one per size.
    std::size_t value_count() const;
    const Size* size(const std::string& name) const;
};

struct Budget {
    std::size_t candidates = 200;  // inputs tried, in all
    // Candidates per call of the Test: the first of a batch are the likeliest to be taken, so a
    // small batch wastes little; a larger one saves round trips.
    std::size_t batch = 16;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Which candidates still fail the same way (true), in order. It may answer fewer than asked
// (the rest count as not failing), e.g. when its own budget runs out.
using Test = std::function<std::vector<bool>(std::span<const Input> candidates)>;

enum class Stop {
    Done,        // no candidate smaller than the last one fails
    Candidates,  // the budget of candidates ran out
    Time,        // the deadline passed
};

struct Outcome {
    Input smallest;
    std::size_t tried = 0;  // candidates given to the Test
    std::size_t steps = 0;  // candidates accepted, each smaller than the one before
    Stop stop = Stop::Done;
};

// Starts from an input that fails and keeps the smallest failing one found. Each accepted step
// lowers the input's complexity (fewer values, then fewer decimal digits, then smaller
// magnitudes), so it always ends.
Outcome minimise(Input start, const Test& test, const Budget& budget);

// The digits after the decimal point a number needs to be written exactly (0.5 needs 1, 0.25
// needs 2, 3 needs 0, 1/3 as a double 16); 17 when even 16 are not enough.
int decimals(double x);

// The simpler numbers x could become within [low, high] (whole numbers only if `integer`),
// simplest first: the simplest number of the range, then 0, ±1, halves, x's own rounding to fewer
// digits, and steps from the simplest number back towards x.
std::vector<double> simpler_values(double x, double low, double high, bool integer);

// Candidates one step smaller than `input`, in the order they are tried: sizes first (removing
// the largest chunks of elements first), then each number made simpler.
std::vector<Input> smaller_sizes(const Input& input);
std::vector<Input> simpler_numbers(const Input& input);

// True when a is simpler than b (the order minimise descends).
bool simpler(const Input& a, const Input& b);

}  // namespace grader::shrink
