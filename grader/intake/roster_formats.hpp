#pragma once
// The class lists LMSs export, read as they come: each student's key is the one that LMS matches
// on when grades go back (Canvas user ID, Moodle participant id, Blackboard username, Gradescope
// SID, else email), so the same key names the student's submission in its download.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grader/csv/csv.hpp"
#include "grader/gradebook/records.hpp"

namespace grader::intake {

enum class RosterFormat {
    Auto,        // recognised by the header
    Ours,        // id,name,email,sis_id,section (grader/batch/roster)
    Canvas,      // the gradebook's "Export": Student, ID, SIS User ID, SIS Login ID, Section, ...
    Moodle,      // the assignment's grading worksheet: Identifier, Full name, Email address, ...
    Blackboard,  // Grade Center's download: Last Name, First Name, Username, Student ID, ...
    Gradescope,  // the course roster: Name (or First Name, Last Name), Email, SID, ...
};
std::optional<RosterFormat> parse_roster_format(std::string_view name);
std::string_view name(RosterFormat format);

// An LMS's export as rows: UTF-8 (a byte-order mark or not) or UTF-16 with its byte-order mark
// (Blackboard's default Grade Center download), comma- or tab-delimited as its first line is.
// Throws grader::Error when it cannot be read or is not valid CSV.
std::vector<csv::Row> read_export(const std::string& path);

// The format a header names: Ours when no LMS's is recognised.
RosterFormat detect_roster_format(const csv::Row& header);

// The students of an LMS's export (not Ours), in the file's order. Rows that are no student
// (Canvas's "Points Possible") are skipped. Throws grader::Error naming `source` and the line for
// a missing key column, a student without a key, or a key twice.
std::vector<gradebook::Student> read_lms_roster(const std::vector<csv::Row>& rows,
                                                RosterFormat format, const std::string& source);

// Column index by its title, matched trimmed and case-blind; none when absent.
std::optional<std::size_t> column_of(const csv::Row& header, std::string_view title);

// The number in Moodle's "Participant 880101" (the word is in the site's language).
std::string moodle_participant(std::string_view identifier);

}  // namespace grader::intake
