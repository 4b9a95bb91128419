#pragma once
// How each LMS names a submission's files in its "download all" zip, read back into the student's
// key (what that LMS matches on when grades go back) and the file's own name. Names are parsed
// from the right, where the LMS puts its ids: students' names hold spaces, accents, apostrophes,
// commas and underscores.

#include <optional>
#include <string>
#include <string_view>

namespace grader::intake {

// Canvas: `<name>[_LATE]_<user id>_<attachment id>_<file>`, where the name is the sortable name
// lower-cased with non-word characters removed, and `[LATE_]anon_<anonymous id>_<attachment
// id>_<file>` when grading is anonymous.
struct CanvasName {
    std::string name;     // as Canvas wrote it ("doejane"); empty when anonymous
    std::string user_id;  // digits, or "anon_<id>"
    std::string attachment_id;
    std::string file;
    bool late = false;
};
std::optional<CanvasName> parse_canvas(std::string_view entry);

// Moodle: `<Full Name>_<participant id>_assignsubmission_<plugin>` as a folder (4.1 and later;
// before, the same with a trailing `_`), or `..._assignsubmission_<plugin>_<file>` as a flat file.
// The full name is "Participant" (in the site's language) under blind marking.
struct MoodleName {
    std::string name;
    std::string participant_id;
    std::string plugin;  // "file", "onlinetext", ...
    std::string file;    // flat files only; empty for a folder
};
std::optional<MoodleName> parse_moodle(std::string_view entry, bool is_folder);

// Blackboard: `<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>`, and
// `<Assignment>_<username>_attempt_<stamp>.txt` for the attempt's own record. The username is
// the last `_`-separated word before `_attempt_`; the record's `Name: Full Name (username)`
// settles a username that holds `_` itself.
struct BlackboardName {
    std::string prefix;    // `<Assignment>_<username>`
    std::string username;  // the last word of the prefix
    std::string stamp;     // YYYY-MM-DD-HH-MM-SS: sorts as text
    std::string file;      // empty for the attempt's record
};
std::optional<BlackboardName> parse_blackboard(std::string_view entry);

// From a Blackboard attempt record, the `Name: Full Name (username)` line's two parts.
struct BlackboardRecord {
    std::string name;
    std::string username;
};
std::optional<BlackboardRecord> parse_blackboard_record(std::string_view text);

}  // namespace grader::intake
