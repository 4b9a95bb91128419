#pragma once
// One failing property instance as a C program: the same inputs (the shrunk ones when there are
// some), the same calls of the student's functions (another exercise's function is the
// reference's, so its values are written in), the property's lets and checks evaluated as the
// grader evaluates them (values are arrays of doubles, a single value broadcasts; == within the
// case's tolerance, inequalities with atol of slack, != when some element differs). It prints
// every value and whether each check holds, and exits 1 while one fails, 0 once all hold.

#include <string>

#include "grader/grading/prepared.hpp"

namespace grader::repro {

// Throws grader::Error when a check names something the instance does not bind (the grader
// reports that failure itself; a program would have nothing to evaluate).
std::string property_program(const std::string& title, const std::string& why,
                             const grading::Prepared& prepared, const grading::PreparedCase& pc,
                             const grading::Instance& instance, bool shrunk);

}  // namespace grader::repro
