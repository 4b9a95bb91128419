#pragma once
// The C header students include, generated from the spec so that it can never drift from it.

#include <string>

#include "grader/spec/spec.hpp"

namespace grader::spec {

std::string c_header(const Spec& spec);

}  // namespace grader::spec
