#pragma once
// A class's submissions as their LMS gave them for download (the folder, once a zip is unpacked):
// which layout it is, recognised by its names or forced, and every library in it attributed to
// its student by the key that LMS matches grades on. Nothing is renamed and nothing is guessed:
// a file that is no library, or an entry named as no student's, is listed for the batch to report.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grader::intake {

enum class Layout {
    Auto,        // recognised by the names
    Plain,       // ours: `id.so` files or `id/.../lib.so` folders (grader/batch/discover)
    Canvas,      // "Download Submissions"
    Moodle,      // "Download all submissions"
    Blackboard,  // the assignment's "Download Assignment"
    Gradescope,  // "Export Submissions"
};
std::optional<Layout> parse_layout(std::string_view name);
std::string_view name(Layout layout);

// A submission folder nests a little (build/libsolution.so); deeper is not a submission.
inline constexpr int kMaxFolderDepth = 4;
// A file graded as a library: a regular file (or a link to one) named *.so.
bool is_library(const std::filesystem::path& p);

// One library in the download, and whose it is.
struct Attributed {
    std::string key;      // Canvas user id, Moodle participant id, Blackboard username, Gradescope
                          // SID (else email)
    std::string name;     // the student's name as the download spells it, when it does
    std::string path;     // the library on disk
    std::string entry;    // its name in the download, for messages
    std::string attempt;  // Blackboard's attempt stamp (sorts as text); empty elsewhere
    bool late = false;    // Canvas's LATE
    std::string created_at{};  // Gradescope's :created_at:, as it wrote it; empty elsewhere
};

struct Download {
    Layout layout = Layout::Plain;
    std::vector<Attributed> libraries;       // attempts included, in the download's order
    std::vector<std::string> not_libraries;  // entries of students that are no library
    std::vector<std::string> unmatched;      // entries named as no student's submission
};

// The layout of the folder by the names of what it holds; Plain when no LMS's names are there.
Layout detect_layout(const std::filesystem::path& root);

// Reads a download of the given layout (Auto: detected; never Plain, which batch reads itself).
// Throws grader::Error when the folder cannot be read, or Gradescope's metadata is missing or
// unreadable.
Download read_download(const std::filesystem::path& root, Layout layout);

// The folder a class is in: `root`, or its only entry when that is a folder (a zip of the class
// folder, or Gradescope's `assignment_<id>_export/`).
std::filesystem::path class_folder(const std::filesystem::path& root);

}  // namespace grader::intake
