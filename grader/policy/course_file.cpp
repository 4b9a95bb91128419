#include "grader/policy/course_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "grader/error.hpp"

namespace grader::policy {

namespace fs = std::filesystem;

namespace {

constexpr const char* kKnown = "due, grace, cutoff, late_penalty, late_cap, extensions, timezone";

int line_of(const YAML::Node& node) {
    return node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

}  // namespace

DeadlineSettings read_course_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read the course file " + path);
    std::stringstream text;
    text << in.rdbuf();
    YAML::Node root;
    try {
        root = YAML::Load(text.str());
    } catch (const YAML::Exception& e) {
        throw Error(SourceLocation{path, e.mark.is_null() ? 0 : e.mark.line + 1},
                    "this is not valid YAML (" + e.msg + "); write one `key: value` a line");
    }
    DeadlineSettings out;
    if (root.IsNull()) return out;
    if (!root.IsMap())
        throw Error(
            SourceLocation{path, line_of(root)},
            std::string("a course file is a list of `key: value` lines, with the keys ") + kKnown);
    const fs::path base = fs::path(path).parent_path();
    for (const auto& kv : root) {
        const std::string key = kv.first.as<std::string>();
        const int line = line_of(kv.first);
        const std::string where = path + ":" + std::to_string(line);
        if (!kv.second.IsScalar())
            throw Error(SourceLocation{path, line},
                        "the value of " + key + " must be one line of text, e.g. " + key +
                            (key == "due" ? ": 2026-12-01T23:59:00Z" : ": ..."));
        const std::string value = kv.second.Scalar();
        if (key == "due") {
            out.due = value;
            out.due_from = where;
        } else if (key == "grace") {
            out.grace = value;
            out.grace_from = where;
        } else if (key == "cutoff") {
            out.cutoff = value;
            out.cutoff_from = where;
        } else if (key == "late_penalty") {
            out.late_penalty = value;
            out.penalty_from = where;
        } else if (key == "late_cap") {
            out.late_cap = value;
            out.cap_from = where;
        } else if (key == "extensions") {
            out.extensions = fs::path(value).is_absolute() ? value : (base / value).string();
            out.extensions_from = where;
        } else if (key == "timezone") {
            out.timezone = value;
            out.timezone_from = where;
        } else {
            throw Error(SourceLocation{path, line},
                        "unknown setting \"" + key + "\"; a course file knows " + kKnown);
        }
    }
    return out;
}

std::optional<std::string> find_course_file(const std::string& spec_path) {
    const fs::path candidate = fs::path(spec_path).parent_path() / "course.yaml";
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    return std::nullopt;
}

DeadlineSettings merge(const DeadlineSettings& flags, const DeadlineSettings& file) {
    DeadlineSettings out = file;
    auto take = [](const std::optional<std::string>& flag, std::optional<std::string>& value,
                   const std::string& flag_from, std::string& from) {
        if (!flag) return;
        value = flag;
        from = flag_from;
    };
    take(flags.due, out.due, flags.due_from, out.due_from);
    take(flags.grace, out.grace, flags.grace_from, out.grace_from);
    take(flags.cutoff, out.cutoff, flags.cutoff_from, out.cutoff_from);
    take(flags.late_penalty, out.late_penalty, flags.penalty_from, out.penalty_from);
    take(flags.late_cap, out.late_cap, flags.cap_from, out.cap_from);
    take(flags.extensions, out.extensions, flags.extensions_from, out.extensions_from);
    take(flags.timezone, out.timezone, flags.timezone_from, out.timezone_from);
    return out;
}

}  // namespace grader::policy
