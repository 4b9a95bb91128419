#pragma once
// Whether a check ("H == Hp + K", "TV <= sqrt(K / 2)") holds. Equality uses the tolerance;
// inequalities allow atol of slack (the spec caps it); != holds when some element differs.

#include <optional>
#include <string>

#include "grader/compare/tolerance.hpp"
#include "grader/spec/expr.hpp"

namespace grader::grading {

// Returns nothing when the check holds, else a sentence saying where it fails.
std::optional<std::string> failed_check(const spec::Check& check, const spec::Lookup& lookup,
                                        const compare::Tolerance& tol);

}  // namespace grader::grading
