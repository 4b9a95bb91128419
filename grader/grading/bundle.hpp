#pragma once
// The public bundle: the public cases with their inputs and expected outputs, as JSON. Students
// self-check against it with no reference library; it never holds a hidden case.

#include <iosfwd>
#include <string>

#include "grader/grading/prepared.hpp"

namespace grader::grading {

inline constexpr int kBundleVersion = 1;

// Writes only the public cases of `prepared`.
void write_bundle(const Prepared& prepared, std::ostream& out);

// Throws grader::Error naming the file when it is not a bundle this grader can read.
Prepared read_bundle(const std::string& path);

}  // namespace grader::grading
