#pragma once
// What the subcommands share: finding the reference and the spec, and turning either a spec
// (with the reference) or a public bundle into prepared cases.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "grader/grading/prepared.hpp"
#include "grader/spec/spec.hpp"

namespace grader::cli {

struct SpecOptions {
    std::string spec;       // empty: resolve_spec() picks the default
    std::string reference;  // empty: the one installed with the grader (reference_path())
    std::string cache_dir;  // the expected values' cache; empty: grading::default_cache_dir()
    bool no_cache = false;  // compute the expected values every time
};

// The path of this executable (the worker is this same binary).
std::string self_path();
// The prefix the grader runs from: the folder above the one that holds it, so /usr for
// /usr/bin/grader and build/ for build/bin/grader. Installed files are found from it, never from
// the prefix the build was configured with, so that an install can be moved (`cmake --install
// --prefix`, a package).
std::filesystem::path install_prefix();
// The worker executable: grader-worker beside the grader (the build tree) or in
// <prefix>/libexec/kl-grader (installed), else the grader itself (started as `grader __worker`).
std::string worker_path();

// The spec a subcommand uses when --spec is not given: exercises.yaml in the working directory if
// there is one (an instructor's own copy, with course.secret beside it), else the one installed
// with the grader, <prefix>/share/kl-grader/exercises.yaml. Throws grader::Error naming both
// places when neither exists.
std::string default_spec_path();
// `given` when it is not empty, else default_spec_path().
std::string resolve_spec(const std::string& given);

// The reference library to use, as an absolute path: the one given (a bare file name is a file
// in the working directory, not a name for the loader's search), else the one installed with the
// grader. Throws grader::Error when it does not exist.
std::string reference_path(const SpecOptions& options);

// True when the spec path names a public bundle (JSON) rather than exercises.yaml.
bool is_bundle(const std::string& path);

struct Loaded {
    std::optional<spec::Spec> spec;  // absent for a bundle
    std::unique_ptr<grading::Reference> reference;
    grading::Prepared prepared;
};

// options.spec must have been resolved (resolve_spec).
Loaded load_cases(const SpecOptions& options, const grading::PrepareOptions& prepare);

// grading::prepare, through the expected values' cache unless options turn it off.
grading::Prepared prepare_cases(const SpecOptions& options, const spec::Spec& spec,
                                const grading::Reference& reference,
                                const grading::PrepareOptions& prepare);

// Adds --spec, with its default and `what` as its description.
void add_spec_option(CLI::App& app, std::string& spec, const std::string& what);
// Adds --reference.
void add_reference_option(CLI::App& app, SpecOptions& options);
// Adds --cache-dir and --no-cache to a subcommand that prepares cases.
void add_cache_options(CLI::App& app, SpecOptions& options);
// Who runs the grader, as the gradebook records who decided what: the login name of the real
// user, and under sudo the one who ran it ("root (sudo by alice)").
std::string os_user();

// Writes `text` to `path` whole or not at all: to a temporary name beside it, then renamed over
// it, so that nobody (an LMS's import, a browser) ever reads half a file. A path that exists and
// is no regular file (/dev/null, /dev/stdout, a pipe) is written to as it is: renaming over it
// would replace the device with a file. Throws grader::Error naming `what` ("the summary page
// x.html") and the likely cause.
void write_whole(const std::string& path, const std::string& text, const std::string& what);

// --roster-format, for the commands that read a class list (batch, export).
void add_roster_format_option(CLI::App& app, std::string& format);

}  // namespace grader::cli
