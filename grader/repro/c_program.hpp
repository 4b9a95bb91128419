#pragma once
// One failing value case as a C program a student can build, run and step through: it calls
// their function with the exact failing input (every double a hex float literal, so nothing is
// rounded on the way), prints the inputs, the expected and returned values with the tolerance,
// and exits 1 while the failure remains, 0 once it is fixed. The prototype comes from the spec,
// so the program needs no header.

#include <string>

#include "grader/abi/signature.hpp"
#include "grader/grading/prepared.hpp"

namespace grader::repro {

// `title` names the case ("ex1/kl_basic"); `why` is the report's message for it.
std::string c_program(const std::string& title, const std::string& why, const abi::Signature& sig,
                      const grading::PreparedCall& call, const compare::Tolerance& tolerance,
                      bool shrunk);

}  // namespace grader::repro
