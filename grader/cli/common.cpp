#include "grader/cli/common.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <spdlog/spdlog.h>

#include "grader/abi/signature.hpp"
#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/expected_cache.hpp"

namespace grader::cli {

namespace fs = std::filesystem;

namespace {

// GNUInstallDirs' folders as configured, relative to the prefix unless the build was told an
// absolute one (grader/CMakeLists.txt).
const char* const kBinDir = GRADER_INSTALL_BINDIR;
const char* const kLibexecDir = GRADER_INSTALL_LIBEXECDIR;
const char* const kDataDir = GRADER_INSTALL_DATADIR;
const char* const kConfiguredPrefix = GRADER_INSTALL_PREFIX;
const char* const kPackageDir = "kl-grader";

fs::path under_prefix(const char* dir) {
    const fs::path d(dir);
    return d.is_absolute() ? d : install_prefix() / d;
}

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// The defaults as --help and the manual page state them (the page is written from these).
const char* const kSpecDefaultHelp =
    " (default: exercises.yaml in the working directory if there is one, else the spec "
    "installed with grader)";
const char* const kReferenceHelp =
    "The reference library (default: the one installed with grader, libkl_reference.so)";

// The spec a bundle carries, held to the bundle's own functions: shrinking calls them by index.
spec::Spec bundled_spec(const grading::Prepared& bundle) {
    const std::string where = "the bundle " + bundle.source + " cannot be used: its spec";
    spec::Spec spec;
    try {
        spec = spec::load_from_string(bundle.public_spec, where);
    } catch (const Error& e) {
        throw Error(std::string(e.what()) + "; remake the bundle with `grader bundle`");
    }
    bool same = spec.functions.size() == bundle.functions.size();
    for (std::size_t i = 0; same && i < spec.functions.size(); ++i)
        same = abi::to_c(spec.functions[i].signature) == abi::to_c(bundle.functions[i]);
    if (!same)
        throw Error(where +
                    " declares other functions than its cases call; remake the bundle "
                    "with `grader bundle`");
    return spec;
}

}  // namespace

std::string self_path() {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        throw Error("cannot find the grader's own executable through /proc/self/exe: " +
                    ec.message());
    return p.string();
}

fs::path install_prefix() {
    const fs::path bin(kBinDir);
    if (bin.is_absolute()) return kConfiguredPrefix;
    fs::path prefix = fs::path(self_path()).parent_path();
    for (auto part = bin.begin(); part != bin.end(); ++part)
        if (!part->empty() && *part != ".") prefix = prefix.parent_path();
    return prefix;
}

std::string worker_path() {
    const fs::path self = self_path();
    for (const fs::path& candidate : {self.parent_path() / "grader-worker",
                                      under_prefix(kLibexecDir) / kPackageDir / "grader-worker"})
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    return self.string();  // the grader is its own worker: `grader __worker`
}

std::string default_spec_path() {
    // The working directory first: an instructor grading from the folder of their own spec (and
    // its course.secret) must get that one, as the repository's root gets its own; the installed
    // spec is the course as shipped, read-only.
    if (is_file("exercises.yaml")) return "exercises.yaml";
    const fs::path installed = under_prefix(kDataDir) / kPackageDir / "exercises.yaml";
    if (is_file(installed)) {
        spdlog::info("no exercises.yaml in the working directory: using {}", installed.string());
        return installed.string();
    }
    throw Error(
        "no spec to grade with: there is no exercises.yaml in the working directory, nor one "
        "installed with the grader at " +
        installed.string() +
        "; pass --spec PATH (exercises.yaml, or a public bundle .json made by `grader bundle`)");
}

std::string resolve_spec(const std::string& given) {
    return given.empty() ? default_spec_path() : given;
}

std::string reference_path(const SpecOptions& options) {
    if (!options.reference.empty()) {
        // dlopen would take a bare "exref.so" for a name to search the system's library folders
        // for: a path the user gives is a path.
        const std::string ref = fs::absolute(options.reference).lexically_normal().string();
        if (!is_file(ref))
            throw Error("the reference library " + ref +
                        " does not exist; build it with `make`, pass --reference PATH, "
                        "or grade against a public bundle with --spec bundle.json");
        return ref;
    }
    // Installed, it lies in libexec, out of the system library folders the worker may read; in
    // the build tree, in build/lib beside the fixtures.
    const fs::path installed = under_prefix(kLibexecDir) / kPackageDir / "libkl_reference.so";
    const fs::path built = install_prefix() / "lib" / "libkl_reference.so";
    for (const fs::path& candidate : {installed, built}) {
        if (is_file(candidate)) return candidate.lexically_normal().string();
        std::error_code ec;
        if (!fs::exists(candidate, ec) && ec == std::errc::permission_denied)
            throw Error("the reference library " + candidate.lexically_normal().string() +
                        " is there but this user may not read it (an install kept from "
                        "students, docs/install.md); grade as a member of its group, or grade "
                        "against a public bundle with --spec bundle.json");
    }
    throw Error("no reference library: neither " + installed.lexically_normal().string() +
                " (installed) nor " + built.lexically_normal().string() +
                " (the build tree) exists; build it with `make`, pass --reference PATH, or grade "
                "against a public bundle with --spec bundle.json");
}

bool is_bundle(const std::string& path) {
    return fs::path(path).extension() == ".json";
}

Loaded load_cases(const SpecOptions& options, const grading::PrepareOptions& prepare) {
    Loaded out;
    if (is_bundle(options.spec)) {
        out.prepared = grading::read_bundle(options.spec);
        if (!out.prepared.public_spec.empty()) {
            out.spec = bundled_spec(out.prepared);
            grading::mark_random(*out.spec, out.prepared);
        }
        return out;
    }
    out.spec = spec::load(options.spec);
    out.reference =
        std::make_unique<grading::Reference>(reference_path(options), out.spec->functions);
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

void add_spec_option(CLI::App& app, std::string& spec, const std::string& what) {
    app.add_option("--spec", spec, what + kSpecDefaultHelp);
}

void add_reference_option(CLI::App& app, SpecOptions& options) {
    app.add_option("--reference", options.reference, kReferenceHelp);
}

void add_roster_format_option(CLI::App& app, std::string& format) {
    app.add_option("--roster-format", format,
                   "The roster's format, when its header does not tell: auto, canvas, moodle, "
                   "blackboard, gradescope or ours")
        ->check(CLI::IsMember({"auto", "canvas", "moodle", "blackboard", "gradescope", "ours"}))
        ->capture_default_str();
}

void add_cache_options(CLI::App& app, SpecOptions& options) {
    app.add_option("--cache-dir", options.cache_dir,
                   "Keep the reference's expected values here (default: "
                   "$XDG_CACHE_HOME/kl-grader, else ~/.cache/kl-grader)");
    app.add_flag("--no-cache", options.no_cache,
                 "Compute the expected values afresh and leave the cache alone");
}

std::string os_user() {
    const uid_t uid = ::getuid();
    std::string name = std::to_string(uid);
    if (const passwd* pw = ::getpwuid(uid); pw && pw->pw_name) name = pw->pw_name;
    if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo && uid == 0)
        name += std::string(" (sudo by ") + sudo + ")";
    return name;
}

void write_whole(const std::string& path, const std::string& text, const std::string& what) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    const bool special =
        !ec && fs::exists(status) && !fs::is_regular_file(status) && !fs::is_directory(status);
    const std::string target = special ? path : path + ".partial";
    {
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        if (!out) throw Error("cannot write " + what + ": is the folder there and writable?");
        out << text;
        if (!out.flush()) throw Error("cannot write " + what + " (is the disk full?)");
    }
    if (special) return;
    fs::rename(target, path, ec);
    if (ec) throw Error("cannot write " + what + ": " + ec.message());
}

}  // namespace grader::cli
