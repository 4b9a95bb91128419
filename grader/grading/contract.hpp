#pragma once
// Whether a call's inputs meet its function's `requires` (min(p) >= 0, sum(p) == 1, tau > 0):
// `validate` holds every spec case to it, and shrinking and diagnoses never try a call that
// breaks it.

#include "grader/sandbox/runner.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

// Sums may be off by rounding: 1e-12 absolute, as `validate` allows.
bool meets_contract(const spec::Function& f, const sandbox::Call& call);

}  // namespace grader::grading
