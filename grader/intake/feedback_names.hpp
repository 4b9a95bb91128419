#pragma once
// Where each LMS's bulk feedback upload finds a student's file: the names are made from the
// LMS's own matching rules, so a report lands on the right student's submission.

#include <optional>
#include <string>

namespace grader::intake {

// Canvas's "Re-Upload Submissions" takes the first two all-digit `_`-separated words of a file's
// name as the user id and the attachment id of the submission it comments on. From the name of
// that student's submitted file in the download: `<name>_<user id>_<attachment id>_<file>`; none
// when the file is not named Canvas's way, is another student's, or is anonymous (Canvas cannot
// match those by user id).
std::optional<std::string> canvas_feedback_name(const std::string& submitted_file,
                                                const std::string& student,
                                                const std::string& file);

// Moodle's feedback-file zip import splits each path component on `_` and reads the second part
// as the participant id, the third and fourth as the plugin: the student's own download folder,
// `<Full Name>_<participant id>_assignsubmission_file/<file>`, with any `_` or `/` in the name
// made a space as Moodle's download makes them ("Participant" when the name is not known).
std::string moodle_feedback_path(const std::string& full_name, const std::string& participant_id,
                                 const std::string& file);

}  // namespace grader::intake
