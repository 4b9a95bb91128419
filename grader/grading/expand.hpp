#pragma once
// Spec -> Prepared: draws the inputs of every case and computes the expected outputs with the
// reference. Done once per spec and reused for every submission of a batch.

#include "grader/grading/prepared.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

// Throws grader::Error (naming the spec line) when a case's inputs cannot be made, e.g. a literal
// array whose length disagrees with its size parameter.
Prepared prepare(const spec::Spec& spec, const Reference& reference, const PrepareOptions& options);

// "p = [0.9, 0.04, ...] (n = 200)": a readable, bounded rendering of an input.
std::string show_values(const std::vector<double>& values);

}  // namespace grader::grading
