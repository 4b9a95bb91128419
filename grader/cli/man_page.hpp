#pragma once
// The manual page grader(1) and the bash completion, both written from the command line itself
// (the subcommands and options as the CLI11 app declares them), so that neither can fall behind
// it. The build writes them with `grader __man` and `grader __completion` (grader/CMakeLists.txt).

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace grader::cli {

// The page in man(7) roff. `version` goes in the page's footer, `date` (YYYY-MM-DD) beside it.
void write_man_page(const CLI::App& app, const std::string& version, const std::string& date,
                    std::ostream& out);

// A bash-completion script for grader (loaded by the bash-completion package).
void write_bash_completion(const CLI::App& app, std::ostream& out);

}  // namespace grader::cli
