#pragma once
// The public part of a spec, as YAML text, for the public bundle: with it, a self-check can
// shrink a failing property the way grading against the spec does (its generators say what an
// input may become, its functions' sizes and contracts what a call may take). Hidden cases and
// properties are left out, and so is the seed the hidden inputs are drawn from.

#include <string>

namespace grader::spec {

// `text` is a spec that loads; the result loads too, with the public cases alone. Throws
// grader::Error when `text` is not YAML.
std::string public_text(const std::string& text, const std::string& path);

}  // namespace grader::spec
