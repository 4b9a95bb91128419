#pragma once
// The class list an instructor exports from their LMS: a CSV with a header row naming its
// columns (id, name, email, sis_id, section, in any order; only id is required, any other may be
// missing or empty). Other columns are ignored. An LMS's own export (Canvas, Moodle, Blackboard,
// Gradescope: grader/intake/roster_formats) is read as it comes, recognised by its header.

#include <map>
#include <string>
#include <vector>

#include "grader/gradebook/records.hpp"
#include "grader/intake/roster_formats.hpp"

namespace grader::batch {

struct Roster {
    std::vector<gradebook::Student> students;
    std::vector<std::string> ignored_columns;
    intake::RosterFormat format = intake::RosterFormat::Ours;
    // Moodle's grading worksheet: each participant's "Last modified (submission)", as written
    // (in the site's local time).
    std::map<std::string, std::string> last_modified;
};

// Throws grader::Error naming the file and line: no id column, an empty id, an id twice.
Roster read_roster(const std::string& path,
                   intake::RosterFormat format = intake::RosterFormat::Auto);

}  // namespace grader::batch
