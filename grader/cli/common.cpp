#include "grader/cli/common.hpp"

#include <unistd.h>

#include <filesystem>

#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"
#include "grader/grading/expand.hpp"

namespace grader::cli {

namespace fs = std::filesystem;

std::string self_path() {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        throw Error("cannot find the grader's own executable through /proc/self/exe: " +
                    ec.message());
    return p.string();
}

std::string reference_path(const SpecOptions& options) {
    if (!options.reference.empty()) return options.reference;
    return (fs::path(self_path()).parent_path().parent_path() / "lib" / "libkl_reference.so")
        .string();
}

bool is_bundle(const std::string& path) {
    return fs::path(path).extension() == ".json";
}

Loaded load_cases(const SpecOptions& options, const grading::PrepareOptions& prepare) {
    Loaded out;
    if (is_bundle(options.spec)) {
        out.prepared = grading::read_bundle(options.spec);
        return out;
    }
    out.spec = spec::load(options.spec);
    const std::string ref = reference_path(options);
    if (!fs::exists(ref))
        throw Error("the reference library " + ref +
                    " does not exist; build it with `make`, pass --reference PATH, "
                    "or grade against a public bundle with --spec bundle.json");
    out.reference = std::make_unique<grading::Reference>(ref, out.spec->functions);
    out.prepared = grading::prepare(*out.spec, *out.reference, prepare);
    return out;
}

}  // namespace grader::cli
