#pragma once
// The class list an instructor exports from their LMS: a CSV with a header row naming its
// columns (id, name, email, sis_id, section, in any order; only id is required, any other may be
// missing or empty). Other columns are ignored, so an LMS export can be used as it is once its
// student-id column is named `id`.

#include <string>
#include <vector>

#include "grader/gradebook/records.hpp"

namespace grader::batch {

struct Roster {
    std::vector<gradebook::Student> students;
    std::vector<std::string> ignored_columns;
};

// Throws grader::Error naming the file and line: no id column, an empty id, an id twice.
Roster read_roster(const std::string& path);

}  // namespace grader::batch
