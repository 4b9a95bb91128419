#pragma once
// The wording shared by the human-readable parts of every format (the text report, JUnit failure
// bodies, Gradescope test outputs), so a student reads the same sentences everywhere. This is
// also the one place that decides what a hidden case may show.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "grader/result/result.hpp"

namespace grader::report {

// The score to report: a library that could not be loaded gets 0 whatever its cases say.
int awarded_score(const result::Result& result);

// "The library could not be loaded: <message>"; call only when there is a load error.
std::string load_error_sentence(const result::Result& result);

// "Total: 37/120 (12 of 40 cases failed)".
std::string total_line(const result::Result& result);

// Said whenever hidden cases were left out, so a student does not take the total as final.
std::string_view public_only_note();

// The lines under a failed case, unescaped: the message, then for a public case the inputs, the
// mismatch, how many random draws failed and the hint; for a hidden case only the message and a
// note that its inputs are not shown. Empty for a pass.
std::vector<std::string> case_details(const result::CaseResult& c);

// "ex1/zeros_in_p" style name of a case, and its function ("kl_divergence", or
// "kl_divergence (property)").
std::string case_path(const result::ExerciseResult& e, const result::CaseResult& c);
std::string case_function(const result::CaseResult& c);

// What the submission printed, ready to show as text: a heading, every line escaped with
// terminal_safe and prefixed by "| ", an end marker, then output_notes. Empty when nothing was
// printed.
std::vector<std::string> output_section(const result::Output& output);

// Notes on printed bytes that are not shown: cut by the cap, or printed during hidden cases.
std::vector<std::string> output_notes(const result::Output& output);

// "1 case", "3 cases".
std::string plural(std::size_t n, std::string_view noun);

}  // namespace grader::report
