#include "grader/intake/feedback_names.hpp"

#include <algorithm>

#include "grader/intake/names.hpp"

namespace grader::intake {

std::optional<std::string> canvas_feedback_name(const std::string& submitted_file,
                                                const std::string& student,
                                                const std::string& file) {
    const auto parsed = parse_canvas(submitted_file);
    if (!parsed || parsed->user_id != student || parsed->name.empty()) return std::nullopt;
    return parsed->name + "_" + parsed->user_id + "_" + parsed->attachment_id + "_" + file;
}

std::string moodle_feedback_path(const std::string& full_name, const std::string& participant_id,
                                 const std::string& file) {
    std::string name = full_name.empty() ? "Participant" : full_name;
    std::replace(name.begin(), name.end(), '_', ' ');
    std::replace(name.begin(), name.end(), '/', ' ');
    return name + "_" + participant_id + "_assignsubmission_file/" + file;
}

}  // namespace grader::intake
