#pragma once
// What `grader batch` grades, from what it is given: our own class folders and libraries
// (discover.hpp), or one LMS download, as a folder or as the zip itself (grader/intake), each
// library under the key that LMS matches grades on. A student with several attempts has each one
// graded and kept in the history; the latest, or the best, counts (--attempt).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grader/batch/discover.hpp"
#include "grader/intake/archive.hpp"
#include "grader/intake/download.hpp"

namespace grader::batch {

// Which of a student's attempts counts.
enum class AttemptRule { Latest, Best };
std::optional<AttemptRule> parse_attempt_rule(std::string_view name);

struct Intake {
    Discovery found;
    intake::Layout layout = intake::Layout::Plain;
    std::optional<std::filesystem::path> unpacked;  // where the zip's files were unpacked to
};

// A zip is unpacked to stay under `unpack_under` (intake::unpack_zip_to_keep). Throws
// grader::Error for a zip that cannot be unpacked, or a layout forced on several inputs.
// Submission times are read in `zone` where the LMS writes its local time (Blackboard); a plain
// folder's are the files' modification times.
Intake take_in(const std::vector<std::string>& inputs, intake::Layout layout,
               const std::filesystem::path& unpack_under, const std::string& zone = "UTC",
               AttemptRule rule = AttemptRule::Latest);

// Where a batch recording into `gradebook` unpacks a zip: beside it, in <gradebook>.downloads/,
// so that the files the gradebook names stay for `grader regrade`.
std::filesystem::path downloads_folder(const std::string& gradebook);

// A download's libraries as submissions: one per student, or one per attempt (Submission::several)
// for a student with several.
Discovery from_download(const intake::Download& download, const std::string& zone = "UTC",
                        AttemptRule rule = AttemptRule::Latest);

}  // namespace grader::batch
