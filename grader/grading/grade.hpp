#pragma once
// Grades one submission: runs the prepared cases through a Runner, compares under tolerance,
// and fills a Result. Knows nothing of processes or of report formats.

#include <string>

#include "grader/grading/prepared.hpp"
#include "grader/result/result.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::grading {

result::Result grade(const Prepared& prepared, sandbox::Runner& runner,
                     const std::string& submission);

}  // namespace grader::grading
