#pragma once
// The public bundle: the public cases with their inputs and expected outputs, as JSON. Students
// self-check against it with no reference library; it never holds a hidden case.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "grader/grading/prepared.hpp"

namespace grader::grading {

inline constexpr int kBundleVersion = 1;

// Writes only the public cases of `prepared`, and `public_spec` (the public part of its spec,
// spec/public_text.hpp) when it is not empty.
void write_bundle(const Prepared& prepared, std::ostream& out, const std::string& public_spec = "");

// A bundle larger than this is refused before it is parsed (the project's public bundle is
// about 1.3 MB).
inline constexpr std::size_t kMaxBundleBytes = 256u << 20;

// Throws grader::Error naming the file when it is not a bundle this grader can read, and naming
// the field when it breaks a rule the spec loader enforces or a shape grading relies on
// (bundle_read.cpp).
Prepared read_bundle(const std::string& path);
// The same from the bundle's text; `path` names it in messages.
Prepared parse_bundle(std::string_view text, const std::string& path);

}  // namespace grader::grading
