#include "grader/policy/extensions.hpp"

#include <algorithm>
#include <cctype>

#include "grader/csv/csv.hpp"
#include "grader/error.hpp"

namespace grader::policy {

std::map<std::string, Instant> read_extensions(const std::string& path) {
    const auto rows = csv::read_file(path);
    if (rows.empty())
        throw Error(SourceLocation{path, 0},
                    "the extensions file is empty; its first line must be the header id,due");
    int id_col = -1, due_col = -1;
    for (std::size_t i = 0; i < rows[0].fields.size(); ++i) {
        const std::string name = csv::header_key(rows[0].fields[i]);
        if (name == "id") id_col = static_cast<int>(i);
        if (name == "due") due_col = static_cast<int>(i);
    }
    if (id_col < 0 || due_col < 0)
        throw Error(
            SourceLocation{path, rows[0].line},
            "the header names no 'id' and 'due' columns; write id,due on the first line, then one "
            "student a line, e.g. alice,2026-12-03T23:59:00Z");
    std::map<std::string, Instant> due;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& f = rows[r].fields;
        const SourceLocation at{path, rows[r].line};
        if (f.size() == 1 && csv::header_key(f[0]).empty()) continue;  // a blank line
        if (f.size() <= static_cast<std::size_t>(std::max(id_col, due_col)))
            throw Error(at,
                        "this row has no due date; write id,due, e.g. alice,2026-12-03T23:59:00Z");
        const std::string id = csv::trimmed(f[static_cast<std::size_t>(id_col)]);
        if (id.empty()) throw Error(at, "this row has no student id");
        const std::string when = csv::trimmed(f[static_cast<std::size_t>(due_col)]);
        const Instant t = parse_instant(when, path + ":" + std::to_string(rows[r].line));
        if (!due.emplace(id, t).second)
            throw Error(at,
                        "the student '" + id + "' is listed twice; keep one due date a student");
    }
    return due;
}

}  // namespace grader::policy
