#pragma once
// A student with several attempts in an LMS's download (Blackboard keeps every one): each attempt
// is graded and recorded as a run that does not count, then one is chosen to count, the latest or
// the best (by final grade, late penalty included), and the others stay in the history.

#include <string>
#include <vector>

#include "grader/batch/discover.hpp"
#include "grader/batch/intake.hpp"
#include "grader/gradebook/gradebook.hpp"

namespace grader::batch {

struct Grading;

// Chooses, for every student whose attempts are among `submissions`, the run that counts, from
// the runs recorded for those attempts (graded now or before); says what it chose, a line each.
std::vector<std::string> choose_attempts(gradebook::Gradebook& book, const Grading& grading,
                                         const std::vector<Submission>& submissions,
                                         AttemptRule rule);

}  // namespace grader::batch
