#pragma once
// One setup function per subcommand (in its own file): it adds the subcommand and its options to
// the app and, when parsing picks it, runs it and stores the exit status in `status`.

#include <CLI/CLI.hpp>

namespace grader::cli {

void setup_grade(CLI::App& app, int& status);
void setup_validate(CLI::App& app, int& status);
void setup_header(CLI::App& app, int& status);
void setup_list(CLI::App& app, int& status);
void setup_bundle(CLI::App& app, int& status);
void setup_batch(CLI::App& app, int& status);
void setup_export(CLI::App& app, int& status);
void setup_feedback(CLI::App& app, int& status);
void setup_regrade(CLI::App& app, int& status);
void setup_merge(CLI::App& app, int& status);
void setup_summary(CLI::App& app, int& status);
void setup_adjust(CLI::App& app, int& status);
void setup_history(CLI::App& app, int& status);

}  // namespace grader::cli
