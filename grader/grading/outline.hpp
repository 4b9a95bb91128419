#pragma once
// The shape of prepared cases as a result with nothing graded yet: every exercise and case with
// its points, so that a gradebook can record a spec before (or without) any grading.

#include "grader/grading/prepared.hpp"
#include "grader/result/result.hpp"

namespace grader::grading {

// Cases in the order grade() reports them (value cases, then properties, per exercise).
result::Result outline(const Prepared& prepared);

}  // namespace grader::grading
