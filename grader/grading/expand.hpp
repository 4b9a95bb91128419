#pragma once
// Spec -> Prepared: draws the inputs of every case and computes the expected outputs with the
// reference. Done once per spec and reused for every submission of a batch.

#include "grader/grading/prepared.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

// Throws grader::Error (naming the spec line) when a case's inputs cannot be made, e.g. a literal
// array whose length disagrees with its size parameter.
Prepared prepare(const spec::Spec& spec, const Reference& reference, const PrepareOptions& options);

// The public cases prepared once and the hidden ones prepared for one seed (both by `prepare`,
// with public_only and hidden_only), put together in the spec's order: what `prepare` of
// everything with that seed gives, for the cost of the hidden cases alone.
Prepared combine(const Prepared& public_cases, const Prepared& hidden_cases);

// A bundle does not say which cases drew their inputs: marks each case of `prepared` random as
// its case in `spec` (the public part the bundle carries) is, so that it may be shrunk.
void mark_random(const spec::Spec& spec, Prepared& prepared);

// One instance of a spec case made again from given inputs (a smaller one, while shrinking):
// inputs derived from others (copy, mixture, linspace) are made again from theirs, and the
// reference computes the expected outputs. Limits come from `pc`. Throws grader::Error when
// the inputs do not fit the case's sizes. Without the reference (null), only a property whose
// calls are all the student's can be made again, its calls expecting NaN.
Instance rebuild_instance(const spec::Spec& spec, const Reference* reference,
                          const spec::Exercise& ex, const PreparedCase& pc,
                          const std::vector<std::pair<std::string, std::vector<double>>>& inputs);

// "p = [0.9, 0.04, ...] (n = 200)": a readable, bounded rendering of an input. With `single`,
// the values are a float parameter's, written as the floats they are (0.1, not
// 0.10000000149011612).
std::string show_values(const std::vector<double>& values, bool single = false);

// "[0, 0.5, 0.5]": every element, however many.
std::string show_all_values(const std::vector<double>& values, bool single = false);

// Whether `input` is a float parameter (scalar or array) of the function.
bool single_precision(const spec::Function& f, const std::string& input);

}  // namespace grader::grading
