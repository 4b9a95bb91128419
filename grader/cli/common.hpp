#pragma once
// What the subcommands share: finding the reference and the spec, and turning either a spec
// (with the reference) or a public bundle into prepared cases.

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "grader/grading/prepared.hpp"
#include "grader/spec/spec.hpp"

namespace grader::cli {

struct SpecOptions {
    std::string spec = "exercises.yaml";
    std::string reference;  // empty: next to the grader, in ../lib
    std::string cache_dir;  // the expected values' cache; empty: grading::default_cache_dir()
    bool no_cache = false;  // compute the expected values every time
};

// The path of this executable (the worker is this same binary).
std::string self_path();
// The worker executable: grader-worker beside the grader or in ../libexec/kl-grader, else the
// grader itself (started as `grader __worker`).
std::string worker_path();

// The reference library to use: the one given, else ../lib/libkl_reference.so beside the binary.
std::string reference_path(const SpecOptions& options);

// True when the spec path names a public bundle (JSON) rather than exercises.yaml.
bool is_bundle(const std::string& path);

struct Loaded {
    std::optional<spec::Spec> spec;  // absent for a bundle
    std::unique_ptr<grading::Reference> reference;
    grading::Prepared prepared;
};

Loaded load_cases(const SpecOptions& options, const grading::PrepareOptions& prepare);

// grading::prepare, through the expected values' cache unless options turn it off.
grading::Prepared prepare_cases(const SpecOptions& options, const spec::Spec& spec,
                                const grading::Reference& reference,
                                const grading::PrepareOptions& prepare);

// Adds --cache-dir and --no-cache to a subcommand that prepares cases.
void add_cache_options(CLI::App& app, SpecOptions& options);

}  // namespace grader::cli
