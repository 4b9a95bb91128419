// The LMS imports. Canvas reads its own export's shape back: identity columns, then one column
// per assignment titled "Name (id)", and a "Points Possible" row under the header. Moodle's
// import maps one column to a user field (here "ID number" or "Email address") and another to
// the grade item, both chosen in its import form.

#include "grader/csv/csv.hpp"
#include "grader/export/export.hpp"

namespace grader::exporting {

namespace {

// A blank grade is "not graded yet" to an LMS; a zero would be a grade.
std::string grade_cell(const gradebook::ClassRow& row) {
    const auto total = final_score(row);
    return total ? points_text(*total) : "";
}

}  // namespace

void write_canvas(const gradebook::ClassGrades& grades, const ExportOptions& options,
                  std::ostream& out) {
    csv::Writer w(out);
    w.row({"Student", "ID", "SIS User ID", "SIS Login ID", "Section", options.assignment});
    w.row({"Points Possible", "", "", "", "", std::to_string(grades.spec.max_points())});
    for (const gradebook::ClassRow& row : grades.rows) {
        const gradebook::Student& s = row.student;
        w.row(
            {s.name.empty() ? s.id : s.name, s.id, s.sis_id, s.email, s.section, grade_cell(row)});
    }
}

void write_moodle(const gradebook::ClassGrades& grades, const ExportOptions& options,
                  std::ostream& out) {
    csv::Writer w(out);
    w.row({"ID number", "Email address", "Full name", options.assignment});
    for (const gradebook::ClassRow& row : grades.rows) {
        const gradebook::Student& s = row.student;
        w.row({s.sis_id.empty() ? s.id : s.sis_id, s.email, s.name, grade_cell(row)});
    }
}

}  // namespace grader::exporting
