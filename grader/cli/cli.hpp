#pragma once

#include <string>

namespace grader::cli {

// Parses the command line and runs a subcommand. Returns the process exit status: 0 full marks
// (or success), 1 graded short of full marks, 2 the grader could not do its job. `build` says how
// this grader was built (its commit, build type and compiler), for --version; `date` (YYYY-MM-DD)
// is its commit's date, for the manual page.
int run(int argc, char** argv, const std::string& build = "", const std::string& date = "");

inline constexpr int kExitFullMarks = 0;
inline constexpr int kExitShort = 1;
inline constexpr int kExitFailure = 2;

// The hidden first arguments that write the manual page and the bash completion from the
// command line (grader/cli/man_page.hpp); the build runs them.
inline constexpr const char* kManCommand = "__man";
inline constexpr const char* kCompletionCommand = "__completion";

}  // namespace grader::cli
