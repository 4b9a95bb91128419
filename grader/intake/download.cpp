#include "grader/intake/download.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "grader/error.hpp"
#include "grader/intake/names.hpp"

namespace grader::intake {

namespace fs = std::filesystem;

namespace {

std::vector<fs::directory_entry> sorted_entries(const fs::path& dir) {
    std::vector<fs::directory_entry> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e);
    if (ec) throw Error("cannot list " + dir.string() + ": " + ec.message());
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.path() < b.path(); });
    return out;
}

bool is_folder(const fs::directory_entry& e) {
    std::error_code ec;
    return e.is_directory(ec);
}

// Every file under a student's folder: libraries attributed to them, the rest listed.
void read_student_folder(const fs::path& folder, const std::string& entry, Attributed who,
                         Download& out) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec),
        end;
    for (; !ec && it != end; it.increment(ec)) {
        if (it.depth() >= kMaxFolderDepth) it.disable_recursion_pending();
        std::error_code kind;
        if (!it->is_directory(kind)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
        const std::string name = entry + "/" + fs::relative(f, folder).string();
        if (!is_library(f)) {
            out.not_libraries.push_back(name);
            continue;
        }
        who.path = f.string();
        who.entry = name;
        out.libraries.push_back(who);
    }
}

Download read_canvas(const fs::path& root) {
    Download out;
    out.layout = Layout::Canvas;
    for (const auto& e : sorted_entries(root)) {
        const std::string entry = e.path().filename().string();
        const auto parsed = is_folder(e) ? std::nullopt : parse_canvas(entry);
        if (!parsed) {
            out.unmatched.push_back(entry);
            continue;
        }
        if (!is_library(e.path())) {
            out.not_libraries.push_back(entry);
            continue;
        }
        out.libraries.push_back(
            {parsed->user_id, parsed->name, e.path().string(), entry, "", parsed->late, ""});
    }
    return out;
}

Download read_moodle(const fs::path& root) {
    Download out;
    out.layout = Layout::Moodle;
    for (const auto& e : sorted_entries(root)) {
        const std::string entry = e.path().filename().string();
        const bool folder = is_folder(e);
        const auto parsed = parse_moodle(entry, folder);
        if (!parsed) {
            out.unmatched.push_back(entry);
            continue;
        }
        Attributed who{parsed->participant_id, parsed->name, "", entry, "", false, ""};
        if (folder) {
            read_student_folder(e.path(), entry, who, out);
        } else if (!is_library(e.path())) {
            out.not_libraries.push_back(entry);
        } else {
            who.path = e.path().string();
            out.libraries.push_back(who);
        }
    }
    return out;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Download read_blackboard(const fs::path& root) {
    Download out;
    out.layout = Layout::Blackboard;
    const auto entries = sorted_entries(root);
    // The attempt records first: they name the student exactly, underscores and all.
    std::map<std::string, BlackboardRecord> records;  // "<prefix>_attempt_<stamp>" -> record
    for (const auto& e : entries) {
        const std::string entry = e.path().filename().string();
        const auto parsed = is_folder(e) ? std::nullopt : parse_blackboard(entry);
        if (!parsed || !parsed->file.empty()) continue;
        if (auto record = parse_blackboard_record(read_text(e.path())))
            records[parsed->prefix + "_attempt_" + parsed->stamp] = *record;
    }
    for (const auto& e : entries) {
        const std::string entry = e.path().filename().string();
        const auto parsed = is_folder(e) ? std::nullopt : parse_blackboard(entry);
        if (!parsed) {
            out.unmatched.push_back(entry);
            continue;
        }
        if (parsed->file.empty()) continue;  // the attempt's record, read above
        if (!is_library(e.path())) {
            out.not_libraries.push_back(entry);
            continue;
        }
        Attributed who{parsed->username, "", e.path().string(), entry, parsed->stamp, false, ""};
        const auto record = records.find(parsed->prefix + "_attempt_" + parsed->stamp);
        if (record != records.end()) {
            const std::string& username = record->second.username;
            const std::string tail = "_" + username;
            if (parsed->prefix.size() > tail.size() &&
                parsed->prefix.compare(parsed->prefix.size() - tail.size(), tail.size(), tail) == 0)
                who.key = username;
            who.name = record->second.name;
        }
        out.libraries.push_back(who);
    }
    return out;
}

std::string scalar(const YAML::Node& node, const char* key) {
    const YAML::Node v = node[key];
    return v && v.IsScalar() ? v.as<std::string>() : "";
}

Download read_gradescope(const fs::path& root) {
    Download out;
    out.layout = Layout::Gradescope;
    const fs::path metadata = root / "submission_metadata.yml";
    std::error_code ec;
    if (!fs::exists(metadata, ec))
        throw Error("the Gradescope export in " + root.string() +
                    " has no submission_metadata.yml, which names each submission's students; "
                    "export the submissions again and grade the whole export");
    YAML::Node doc;
    try {
        doc = YAML::LoadFile(metadata.string());
    } catch (const YAML::Exception& e) {
        throw Error("cannot read " + metadata.string() + ": " + e.what());
    }
    // submission folder -> its submitters (a group submission has several: each gets the grade).
    std::map<std::string, std::vector<Attributed>> submitters;
    if (doc.IsMap()) {
        for (const auto& kv : doc) {
            const std::string folder = kv.first.as<std::string>();
            const YAML::Node list = kv.second[":submitters"];
            if (!list || !list.IsSequence()) continue;
            for (const YAML::Node& s : list) {
                std::string key = scalar(s, ":sid");
                if (key.empty()) key = scalar(s, ":email");
                if (key.empty()) continue;
                submitters[folder].push_back({key, scalar(s, ":name"), "", folder, "", false,
                                              scalar(kv.second, ":created_at")});
            }
        }
    }
    for (const auto& e : sorted_entries(root)) {
        const std::string entry = e.path().filename().string();
        if (entry == "submission_metadata.yml") continue;
        const auto who = submitters.find(entry);
        if (!is_folder(e) || who == submitters.end()) {
            out.unmatched.push_back(entry);
            continue;
        }
        for (const Attributed& a : who->second) {
            // Only the first submitter's walk lists the folder's other files.
            Download one;
            read_student_folder(e.path(), entry, a, one);
            out.libraries.insert(out.libraries.end(), one.libraries.begin(), one.libraries.end());
            if (&a == &who->second.front())
                out.not_libraries.insert(out.not_libraries.end(), one.not_libraries.begin(),
                                         one.not_libraries.end());
        }
    }
    return out;
}

}  // namespace

bool is_library(const fs::path& p) {
    std::error_code ec;
    return p.extension() == ".so" && fs::is_regular_file(p, ec);
}

std::optional<Layout> parse_layout(std::string_view name) {
    if (name == "auto") return Layout::Auto;
    if (name == "plain") return Layout::Plain;
    if (name == "canvas") return Layout::Canvas;
    if (name == "moodle") return Layout::Moodle;
    if (name == "blackboard") return Layout::Blackboard;
    if (name == "gradescope") return Layout::Gradescope;
    return std::nullopt;
}

std::string_view name(Layout layout) {
    switch (layout) {
        case Layout::Auto:
            return "auto";
        case Layout::Plain:
            return "plain";
        case Layout::Canvas:
            return "canvas";
        case Layout::Moodle:
            return "moodle";
        case Layout::Blackboard:
            return "blackboard";
        case Layout::Gradescope:
            return "gradescope";
    }
    return "plain";
}

Layout detect_layout(const fs::path& root) {
    std::error_code ec;
    if (fs::exists(root / "submission_metadata.yml", ec)) return Layout::Gradescope;
    int canvas = 0, moodle = 0, blackboard = 0;
    for (const auto& e : sorted_entries(root)) {
        const std::string entry = e.path().filename().string();
        const bool folder = is_folder(e);
        if (parse_moodle(entry, folder)) ++moodle;
        if (folder) continue;
        if (parse_blackboard(entry))
            ++blackboard;
        else if (parse_canvas(entry))
            ++canvas;
    }
    // The most names of one LMS's shape win: a stray file of another shape does not decide.
    const int best = std::max({canvas, moodle, blackboard});
    if (best == 0) return Layout::Plain;
    if (moodle == best) return Layout::Moodle;
    if (blackboard == best) return Layout::Blackboard;
    return Layout::Canvas;
}

fs::path class_folder(const fs::path& root) {
    const auto entries = sorted_entries(root);
    if (entries.size() != 1 || !is_folder(entries.front())) return root;
    const std::string only = entries.front().path().filename().string();
    // A class of one Moodle or Gradescope student is a class, not a wrapper around one.
    if (parse_moodle(only, true) || only.rfind("submission_", 0) == 0) return root;
    return entries.front().path();
}

Download read_download(const fs::path& root, Layout layout) {
    if (layout == Layout::Auto) layout = detect_layout(root);
    switch (layout) {
        case Layout::Canvas:
            return read_canvas(root);
        case Layout::Moodle:
            return read_moodle(root);
        case Layout::Blackboard:
            return read_blackboard(root);
        case Layout::Gradescope:
            return read_gradescope(root);
        case Layout::Auto:
        case Layout::Plain:
            break;
    }
    throw Error("internal: read_download of a plain class folder");
}

}  // namespace grader::intake
