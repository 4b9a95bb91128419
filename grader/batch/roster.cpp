#include "grader/batch/roster.hpp"

#include <algorithm>
#include <map>

#include "grader/csv/csv.hpp"
#include "grader/error.hpp"

namespace grader::batch {

Roster read_roster(const std::string& path, intake::RosterFormat format) {
    const std::vector<csv::Row> rows = intake::read_export(path);
    if (!rows.empty() && format == intake::RosterFormat::Auto)
        format = intake::detect_roster_format(rows.front());
    if (format != intake::RosterFormat::Auto && format != intake::RosterFormat::Ours) {
        Roster lms;
        lms.format = format;
        lms.students = intake::read_lms_roster(rows, format, path);
        if (format == intake::RosterFormat::Moodle) {
            const auto id = intake::column_of(rows.front(), "Identifier");
            const auto modified = intake::column_of(rows.front(), "Last modified (submission)");
            for (std::size_t r = 1; id && modified && r < rows.size(); ++r) {
                const auto& f = rows[r].fields;
                if (*id < f.size() && *modified < f.size())
                    lms.last_modified[intake::moodle_participant(f[*id])] =
                        csv::trimmed(f[*modified]);
            }
        }
        return lms;
    }
    if (rows.empty())
        throw Error(SourceLocation{path, 1},
                    "the roster is empty; its first line names the columns: id,name,email,"
                    "sis_id,section");
    static const char* kColumns[] = {"id", "name", "email", "sis_id", "section"};
    std::map<std::string, std::size_t> column;  // known name -> index
    Roster out;
    const csv::Row& header = rows.front();
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = csv::header_key(header.fields[i]);
        const bool known =
            std::find(std::begin(kColumns), std::end(kColumns), name) != std::end(kColumns);
        if (!known) {
            out.ignored_columns.push_back(header.fields[i]);
            continue;
        }
        if (column.count(name))
            throw Error(SourceLocation{path, header.line},
                        "the column \"" + name + "\" appears twice in the header");
        column[name] = i;
    }
    if (!column.count("id"))
        throw Error(SourceLocation{path, header.line},
                    "the roster's first line must name its columns, one of them \"id\" (the "
                    "student id, as the submission's file or folder is named); found: " +
                        (header.fields.empty() ? std::string("nothing") : header.fields[0]) +
                        (header.fields.size() > 1 ? ", ..." : ""));
    auto get = [&](const csv::Row& row, const char* name) -> std::string {
        const auto it = column.find(name);
        if (it == column.end() || it->second >= row.fields.size()) return "";
        return csv::trimmed(row.fields[it->second]);
    };
    std::map<std::string, int> seen;  // id -> line
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const csv::Row& row = rows[r];
        gradebook::Student s{get(row, "id"), get(row, "name"), get(row, "email"),
                             get(row, "sis_id"), get(row, "section")};
        if (s.id.empty())
            throw Error(SourceLocation{path, row.line},
                        "this student has no id; every row needs one in the \"id\" column");
        if (const auto it = seen.find(s.id); it != seen.end())
            throw Error(SourceLocation{path, row.line},
                        "the id \"" + s.id + "\" is already on line " + std::to_string(it->second) +
                            "; each student appears once");
        seen[s.id] = row.line;
        out.students.push_back(std::move(s));
    }
    return out;
}

}  // namespace grader::batch
