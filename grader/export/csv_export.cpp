// The gradebook's own CSV: identity, one column per exercise, totals and status; the first data
// row, `max_points`, holds each column's maximum, so a spreadsheet needs nothing else. `total` is
// the final grade; the columns after `status` show how it was reached (raw_total - late_penalty
// + adjustment, never below 0), when the submission came in and how late.

#include <map>

#include "grader/csv/csv.hpp"
#include "grader/export/export.hpp"
#include "grader/policy/instant.hpp"

namespace grader::exporting {

void write_csv(const gradebook::ClassGrades& grades, std::ostream& out) {
    csv::Writer w(out);
    std::vector<std::string> header = {"id", "name", "email", "sis_id", "section"};
    std::vector<std::string> max_row = {"max_points", "", "", "", ""};
    for (const gradebook::ExerciseOutline& e : grades.spec.exercises) {
        header.push_back(e.id);
        max_row.push_back(std::to_string(e.max_points()));
    }
    const int max_total = grades.spec.max_points();
    for (const char* column :
         {"total", "max_total", "percent", "status", "raw_total", "late_penalty", "adjustment",
          "late_by", "late_status", "submitted_at"})
        header.push_back(column);
    max_row.insert(max_row.end(), {std::to_string(max_total), std::to_string(max_total), "100.00",
                                   "", std::to_string(max_total), "", "", "", "", ""});
    w.row(header);
    w.row(max_row);
    for (const gradebook::ClassRow& row : grades.rows) {
        const gradebook::Student& s = row.student;
        std::vector<std::string> fields = {s.id, s.name, s.email, s.sis_id, s.section};
        const auto& run = row.current;
        const bool scored = run && run->score.has_value();
        for (const gradebook::ExerciseOutline& e : grades.spec.exercises) {
            std::string cell;
            if (scored)
                for (const auto& [id, points] : run->exercise_scores)
                    if (id == e.id) cell = std::to_string(points);
            fields.push_back(cell);
        }
        const auto total = final_score(row);
        fields.push_back(total ? points_text(*total) : "");
        fields.push_back(run ? std::to_string(run->max_score) : std::to_string(max_total));
        fields.push_back(total ? percent_text(*total, run->max_score) : "");
        fields.push_back(status_of(row));
        const gradebook::FinalGrade* g = run && run->grade ? &*run->grade : nullptr;
        fields.push_back(g ? points_text(g->raw) : "");
        fields.push_back(g ? points_text(g->late_penalty) : "");
        fields.push_back(g ? points_text(g->adjustment) : "");
        fields.push_back(g && g->late_by_seconds > 0
                             ? policy::describe_span(std::chrono::seconds{g->late_by_seconds})
                             : "");
        fields.push_back(g ? g->late_status : "");
        fields.push_back(run ? run->record.submitted_at.value_or("") : "");
        w.row(fields);
    }
}

void write_long(const gradebook::ClassGrades& grades, gradebook::Gradebook& book,
                std::ostream& out) {
    csv::Writer w(out);
    w.row({"id", "exercise", "case", "verdict", "points", "max_points", "measured_points"});
    for (const gradebook::ClassRow& row : grades.rows) {
        if (!row.current) continue;
        // A case adjusted by hand counts with its new points (the newest adjustment in force,
        // as in the final grade); the measured ones follow, so nothing is hidden.
        std::map<std::string, double, std::less<>> adjusted;
        for (const gradebook::Adjustment& a : book.adjustments(row.student.id))
            if (a.active() && a.on_case()) adjusted[a.exercise + "/" + a.case_id] = a.points;
        for (const gradebook::StoredCase& c : book.cases(row.current->id)) {
            const auto it = adjusted.find(c.exercise + "/" + c.case_id);
            const bool by_hand = it != adjusted.end();
            w.row({row.student.id, c.exercise, c.case_id, std::string(result::name(c.verdict)),
                   by_hand ? points_text(it->second) : std::to_string(c.points),
                   std::to_string(c.max_points), by_hand ? std::to_string(c.points) : ""});
        }
    }
}

}  // namespace grader::exporting
