#include "grader/grading/check_eval.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace grader::grading {

namespace {

bool holds(spec::Relation r, double a, double b, const compare::Tolerance& tol) {
    switch (r) {
        case spec::Relation::Equal:
            return compare::match(a, b, tol).ok;
        case spec::Relation::NotEqual:
            return !compare::match(a, b, tol).ok;
        case spec::Relation::LessEqual:
            return a <= b + tol.atol;
        case spec::Relation::GreaterEqual:
            return a + tol.atol >= b;
        case spec::Relation::Less:
            return a < b;
        case spec::Relation::Greater:
            return a > b;
    }
    return false;
}

}  // namespace

// A check as the report quotes it: long formulas are cut, the sides' values say the rest.
std::string quoted_check(const spec::Check& check) {
    constexpr std::size_t kMax = 60;
    if (check.text.size() <= kMax) return "`" + check.text + "`";
    return "`" + check.text.substr(0, kMax - 5) + " ...`";
}

std::optional<std::string> failed_check(const spec::Check& check, const spec::Lookup& lookup,
                                        const compare::Tolerance& tol) {
    spec::Value lhs, rhs;
    try {
        lhs = spec::evaluate(check.lhs, lookup);
        rhs = spec::evaluate(check.rhs, lookup);
    } catch (const spec::ExprError& e) {
        return quoted_check(check) + " could not be evaluated: " + e.message;
    }
    if (lhs.empty() || rhs.empty() ||
        (lhs.size() != rhs.size() && lhs.size() != 1 && rhs.size() != 1))
        return fmt::format("{} compares {} values with {}", quoted_check(check), lhs.size(),
                           rhs.size());
    const std::size_t n = std::max(lhs.size(), rhs.size());
    auto at = [](const spec::Value& v, std::size_t i) { return v.size() == 1 ? v[0] : v[i]; };
    if (check.relation == spec::Relation::NotEqual) {
        // Different means different somewhere: one differing element is enough.
        for (std::size_t i = 0; i < n; ++i)
            if (holds(check.relation, at(lhs, i), at(rhs, i), tol)) return std::nullopt;
        return fmt::format("{} does not hold: both sides are {}", quoted_check(check), at(lhs, 0));
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (holds(check.relation, at(lhs, i), at(rhs, i), tol)) continue;
        if (n == 1)
            return fmt::format("{} does not hold: left side {}, right side {}", quoted_check(check),
                               lhs[0], rhs[0]);
        return fmt::format("{} does not hold at index {}: left side {}, right side {}",
                           quoted_check(check), i, at(lhs, i), at(rhs, i));
    }
    return std::nullopt;
}

}  // namespace grader::grading
