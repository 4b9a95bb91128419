#pragma once
// The inputs a failing value case shows: whole when they are small enough to read (a student
// can then call the function with exactly them), cut to about a line otherwise, with where the
// whole input is. A truncated "[0.041, 0.042, ... (52 values)]" cannot be typed back in.

#include <string>
#include <vector>

#include "grader/abi/signature.hpp"
#include "grader/grading/prepared.hpp"

namespace grader::feedback {

// An input written out in full up to this many characters; beyond, it is cut.
inline constexpr std::size_t kWholeInputWidth = 400;

// The instance's shown inputs (`inst.shown_inputs`, one "name = values" line each), each made
// whole from the call's arguments when it fits; when one does not, a last line says where
// the whole input is: `whereabouts`, e.g. "`grader grade ... --repro DIR` writes it out" (none
// when it is empty).
std::vector<std::string> whole_inputs(const abi::Signature& sig, const grading::Instance& inst,
                                      const std::string& whereabouts);

}  // namespace grader::feedback
