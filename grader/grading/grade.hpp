#pragma once
// Grades one submission: runs the prepared cases through a Runner, compares under tolerance,
// and fills a Result. Knows nothing of processes or of report formats.

#include <string>

#include "grader/grading/feedback.hpp"
#include "grader/grading/prepared.hpp"
#include "grader/result/result.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::grading {

// After the verdicts, a failing case is shrunk and diagnosed as `feedback` allows (see
// feedback.hpp); the default, without a spec or reference, diagnoses from the numbers only.
// The result also records what a regrade needs: the files' SHA-256 and the seeds.
result::Result grade(const Prepared& prepared, sandbox::Runner& runner,
                     const std::string& submission, const Feedback& feedback = {});

}  // namespace grader::grading
