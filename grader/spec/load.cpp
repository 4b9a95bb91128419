// The spec loader's entry points and the top level of exercises.yaml; each part below the top
// is read in a file of its own (see loader.hpp).

#include <yaml-cpp/depthguard.h>

#include <fstream>
#include <sstream>

#include "grader/spec/loader.hpp"

namespace grader::spec {

Spec Loader::load(const YAML::Node& root) {
    Spec spec;
    spec.path = path_;
    if (!root.IsMap())
        yaml_.fail(root,
                   "the spec must be a map with keys version, title, seed, defaults, "
                   "functions, exercises");
    yaml_.check_keys(root, keys::kTop, "the spec");
    yaml_.require(root, "version", "the spec");
    spec.version = static_cast<int>(yaml_.integer(root["version"], "version"));
    if (spec.version != 1)
        yaml_.fail(root["version"], "version " + std::to_string(spec.version) +
                                        " is not supported; this grader reads version 1");
    if (root["title"]) spec.title = yaml_.string(root["title"], "title");
    if (root["conventions"]) spec.conventions = yaml_.string(root["conventions"], "conventions");
    if (root["seed"]) {
        const long long seed = yaml_.integer(root["seed"], "seed");
        if (seed < 0) yaml_.fail(root["seed"], "seed must be a non-negative whole number");
        spec.seed = static_cast<std::uint64_t>(seed);
    }
    if (root["defaults"]) spec.defaults = settings(root["defaults"], "defaults");
    yaml_.require(root, "functions", "the spec");
    yaml_.require(root, "exercises", "the spec");
    read_functions(root["functions"], spec);
    spec_functions_ = function_names(spec);
    read_exercises(root["exercises"], spec);
    check_ownership(root["exercises"], spec);
    return spec;
}

Settings Settings::merged(const Settings& over) const {
    Settings s = *this;
    if (over.rtol) s.rtol = over.rtol;
    if (over.atol) s.atol = over.atol;
    if (over.time_limit) s.time_limit = over.time_limit;
    if (over.memory_limit_mb) s.memory_limit_mb = over.memory_limit_mb;
    return s;
}

const Function* Spec::function(const std::string& name) const {
    for (const Function& f : functions)
        if (f.name == name) return &f;
    return nullptr;
}

const Exercise* Spec::exercise(const std::string& id) const {
    for (const Exercise& e : exercises)
        if (e.id == id) return &e;
    return nullptr;
}

compare::Tolerance tolerance_of(const Spec& spec, const Exercise& ex, const Settings& own) {
    const Settings s = spec.defaults.merged(ex.settings).merged(own);
    compare::Tolerance t;
    if (s.rtol) t.rtol = *s.rtol;
    if (s.atol) t.atol = *s.atol;
    return t;
}

double time_limit_of(const Spec& spec, const Exercise& ex, const Settings& own) {
    const Settings s = spec.defaults.merged(ex.settings).merged(own);
    return s.time_limit.value_or(2.0);
}

double memory_limit_mb_of(const Spec& spec, const Exercise& ex, const Settings& own) {
    return spec.defaults.merged(ex.settings).merged(own).memory_limit_mb.value_or(1024);
}

Spec load_from_string(const std::string& text, const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp's own bound on nesting (its parser recurses); its message says only "bad file".
        throw Error(SourceLocation{path, e.mark.is_null() ? 0 : e.mark.line + 1},
                    "this YAML nests more than " + std::to_string(e.depth() - 1) +
                        " levels deep; a spec needs fewer than 10");
    } catch (const YAML::ParserException& e) {
        throw Error(SourceLocation{path, e.mark.is_null() ? 0 : e.mark.line + 1},
                    "this is not valid YAML: " + e.msg);
    }
    if (!root || root.IsNull()) throw Error(SourceLocation{path, 0}, "the spec is empty");
    return Loader(path).load(root);
}

Spec load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read the spec " + path +
                    ": no such file, or it is not readable (pass --spec PATH)");
    std::ostringstream text;
    text << in.rdbuf();
    return load_from_string(text.str(), path);
}

}  // namespace grader::spec
