#include "grader/batch/discover.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "grader/intake/download.hpp"

namespace grader::batch {

namespace fs = std::filesystem;

namespace {

// The libraries inside one student's folder, and how many other files it holds.
void libraries_in(const fs::path& folder, std::vector<fs::path>& found, std::size_t& others) {
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec),
        end;
    for (; !ec && it != end; it.increment(ec)) {
        if (it.depth() >= intake::kMaxFolderDepth) it.disable_recursion_pending();
        std::error_code kind;
        if (it->is_directory(kind)) continue;
        if (intake::is_library(it->path()))
            found.push_back(it->path());
        else
            ++others;
    }
    std::sort(found.begin(), found.end());
}

}  // namespace

Discovery discover(const std::vector<std::string>& inputs) {
    Discovery out;
    std::map<std::string, std::vector<std::string>> by_id;  // id -> every path claiming it
    for (const std::string& input : inputs) {
        const fs::path path(input);
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            out.problems.push_back({"", input + " does not exist"});
            continue;
        }
        if (!fs::is_directory(path, ec)) {
            by_id[path.stem().string()].push_back(input);
            continue;
        }
        std::vector<fs::directory_entry> entries;
        for (const auto& e : fs::directory_iterator(path, ec)) entries.push_back(e);
        if (ec) {
            out.problems.push_back({"", "cannot list " + input + ": " + ec.message()});
            continue;
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path() < b.path(); });
        for (const fs::directory_entry& e : entries) {
            const std::string name = e.path().filename().string();
            std::error_code kind;
            if (e.is_directory(kind)) {
                std::vector<fs::path> libs;
                libraries_in(e.path(), libs, out.ignored_files);
                if (libs.empty()) {
                    out.empty_folders.push_back(name);
                } else if (libs.size() > 1) {
                    std::string list;
                    for (const fs::path& l : libs)
                        list += (list.empty() ? "" : ", ") + fs::relative(l, e.path()).string();
                    out.problems.push_back({name, name + ": the folder holds " +
                                                      std::to_string(libs.size()) + " libraries (" +
                                                      list + "); leave exactly one .so in it"});
                } else {
                    by_id[name].push_back(libs.front().string());
                }
            } else if (intake::is_library(e.path())) {
                by_id[e.path().stem().string()].push_back(e.path().string());
            } else {
                ++out.ignored_files;
            }
        }
    }
    for (auto& [id, paths] : by_id) {
        if (paths.size() == 1) {
            out.submissions.push_back({id, paths.front()});
            continue;
        }
        std::sort(paths.begin(), paths.end());
        std::string list;
        for (const std::string& p : paths) list += (list.empty() ? "" : " and ") + p;
        out.problems.push_back({id, id + ": the student id is used twice (" + list +
                                        "); keep one, or rename the other"});
    }
    return out;
}

}  // namespace grader::batch
