#include "grader/cli/common.hpp"

#include <unistd.h>

#include <filesystem>

#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/expected_cache.hpp"

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

std::string worker_path() {
    const fs::path self = self_path();
    // Beside the grader (the build tree), then where `cmake --install` puts it.
    for (const fs::path& candidate :
         {self.parent_path() / "grader-worker",
          self.parent_path().parent_path() / "libexec" / "kl-grader" / "grader-worker"})
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    return self.string();  // the grader is its own worker: `grader __worker`
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
    out.prepared = prepare_cases(options, *out.spec, *out.reference, prepare);
    return out;
}

grading::Prepared prepare_cases(const SpecOptions& options, const spec::Spec& spec,
                                const grading::Reference& reference,
                                const grading::PrepareOptions& prepare) {
    const std::string dir =
        options.cache_dir.empty() ? grading::default_cache_dir() : options.cache_dir;
    if (options.no_cache || dir.empty()) return grading::prepare(spec, reference, prepare);
    return grading::ExpectedCache(dir).prepare(spec, reference, prepare);
}

void add_cache_options(CLI::App& app, SpecOptions& options) {
    app.add_option("--cache-dir", options.cache_dir,
                   "Keep the reference's expected values here (default: "
                   "$XDG_CACHE_HOME/kl-grader, else ~/.cache/kl-grader)");
    app.add_flag("--no-cache", options.no_cache,
                 "Compute the expected values afresh and leave the cache alone");
}

}  // namespace grader::cli
