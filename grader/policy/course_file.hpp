#pragma once
// A course's deadline, written once beside the spec rather than on every command line:
// `course.yaml` next to exercises.yaml (or the bundle), with any of
//
//   due: 2026-12-01T23:59:00+01:00
//   grace: 15m
//   cutoff: 2026-12-04T23:59:00+01:00
//   late_penalty: 10%/day
//   late_cap: 50%
//   extensions: extensions.csv     # relative to the course file
//   timezone: Europe/Paris         # the LMS's local time (Blackboard's file names, Moodle)
//
// A command-line option wins over the file's line for the same setting.

#include <optional>
#include <string>

namespace grader::policy {

struct DeadlineSettings {
    std::optional<std::string> due, grace, cutoff, late_penalty, late_cap, extensions, timezone;
    // Where each came from, for messages: "--due" or "course.yaml:3".
    std::string due_from = "--due", grace_from = "--grace", cutoff_from = "--cutoff",
                penalty_from = "--late-penalty", cap_from = "--late-cap",
                extensions_from = "--extensions", timezone_from = "--timezone";
    bool any() const { return due || grace || cutoff || late_penalty || late_cap || extensions; }
};

// Reads a course file. Throws grader::Error naming the file and line for YAML that cannot be
// read, an unknown key (with the keys it knows) or a value that is not a single line of text.
DeadlineSettings read_course_file(const std::string& path);

// The course file beside the spec, when there is one: <spec's folder>/course.yaml.
std::optional<std::string> find_course_file(const std::string& spec_path);

// `flags` where set, else `file`.
DeadlineSettings merge(const DeadlineSettings& flags, const DeadlineSettings& file);

}  // namespace grader::policy
