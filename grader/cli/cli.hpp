#pragma once

namespace grader::cli {

// Parses the command line and runs a subcommand. Returns the process exit status: 0 full marks
// (or success), 1 graded short of full marks, 2 the grader could not do its job.
int run(int argc, char** argv);

inline constexpr int kExitFullMarks = 0;
inline constexpr int kExitShort = 1;
inline constexpr int kExitFailure = 2;

}  // namespace grader::cli
