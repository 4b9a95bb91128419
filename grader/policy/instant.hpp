#pragma once
// Instants and lengths of time as instructors write them: due dates in ISO 8601 with their UTC
// offset ("2026-12-01T23:59:00+01:00"), grace periods and penalty periods as "15m", "2h", "1d".
// An instant without an offset is refused rather than guessed: a due date read in the wrong zone
// moves every student's lateness by hours.

#include <chrono>
#include <string>
#include <string_view>

namespace grader::policy {

using Instant = std::chrono::sys_seconds;

// "2026-12-01T23:59:00Z", "2026-12-01T23:59:00+01:00", "…-0500", "…+01", seconds optional,
// fractions of a second dropped, a space allowed for the T. Throws grader::Error naming `what`
// (e.g. "--due" or "extensions.csv:3") and the fix.
Instant parse_instant(std::string_view text, const std::string& what);
// The same instant in UTC, "2026-12-01T22:59:00Z".
std::string format_instant(Instant t);

// "90s", "15m", "2h", "1d", "1w", and sums of them ("1h30m"); "0" is no time. Throws
// grader::Error naming `what`.
std::chrono::seconds parse_span(std::string_view text, const std::string& what);
// A length for people: "45 s", "12 min", "10 h 12 min", "3 days 2 h".
std::string describe_span(std::chrono::seconds s);

}  // namespace grader::policy
