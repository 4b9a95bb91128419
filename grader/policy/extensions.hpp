#pragma once
// Per-student due dates: a CSV with a header naming the columns `id` and `due` (others ignored,
// so a roster export with a `due` column added will do), one student a row.

#include <map>
#include <string>

#include "grader/policy/instant.hpp"

namespace grader::policy {

// id -> that student's due date. Throws grader::Error with the file and line for a missing
// column, a bad date, an empty id or a student listed twice.
std::map<std::string, Instant> read_extensions(const std::string& path);

}  // namespace grader::policy
