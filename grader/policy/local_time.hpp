#pragma once
// Times an LMS writes in its own local time, without an offset: Blackboard's attempt stamps in its
// file names, Moodle's worksheet dates. They are read in the zone the instructor names
// (`--timezone Europe/Paris`, an IANA name from the system's time-zone database, or UTC), with
// that zone's daylight-saving rules on that date.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "grader/policy/instant.hpp"

namespace grader::policy {

// Throws grader::Error naming `what` when `zone` is neither UTC nor a zone this machine knows.
void check_zone(const std::string& zone, const std::string& what);

// The instant a wall-clock time (tm_year.. tm_sec as std::tm holds them) in `zone` names.
Instant local_instant(std::tm wall, const std::string& zone);

// Blackboard's "2026-12-01-23-59-00"; none when the text is not such a stamp.
std::optional<Instant> blackboard_stamp(std::string_view stamp, const std::string& zone);

// Moodle's date as its worksheet writes it in the site's language (moodle_date.cpp): "Monday, 1
// December 2026, 11:59 PM", "lundi 1 décembre 2026, 23:59", "Montag, 1. Dezember 2026, 23:59",
// "martes, 1 de diciembre de 2026, 23:59", ...; none when the text is not such a date ("-" is
// Moodle's "no submission").
std::optional<Instant> moodle_date(std::string_view text, const std::string& zone);

// Gradescope's created_at, "2026-12-01 23:59:00.123456000 -08:00" or "... Z"; none when unreadable.
std::optional<Instant> gradescope_time(std::string_view text);

}  // namespace grader::policy
