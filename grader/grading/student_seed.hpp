#pragma once
// Hidden inputs no one can share: each student's hidden random cases are drawn from a seed of
// their own, derived from the course secret and the student id by a keyed hash (HMAC-SHA-256).
// Without the secret nobody can compute another student's seed, nor tell from two seeds that
// they belong to the same course; with it, the instructor reproduces any student's inputs.
// The secret is the instructor's: it is read here and never written anywhere (bundle, header,
// report); only the derived seed is recorded, so a regrade with --seed draws the same inputs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace grader::grading {

// The file that holds the course secret when none is named: beside the spec.
inline constexpr std::string_view kSecretFileName = "course.secret";

// A secret shorter than this is guessable, and one guessed secret gives every student's seed.
inline constexpr std::size_t kMinSecretBytes = 16;

// Reads a secret file: its bytes, less trailing line breaks. Throws grader::Error, saying how to
// make one, when it cannot be read or is too short.
std::string read_course_secret(const std::string& path);

// The secret to use: the file given (it must exist), else kSecretFileName in the spec's folder
// if there is one; nothing when neither exists.
std::optional<std::string> find_course_secret(const std::string& spec_path,
                                              const std::string& secret_file);

// The hidden-case seed of one student: the first 8 bytes of HMAC-SHA-256(secret, a fixed label
// and the id), big-endian. The id is taken exactly as given. Throws grader::Error for an empty id.
std::uint64_t student_seed(std::string_view secret, std::string_view student_id);

}  // namespace grader::grading
