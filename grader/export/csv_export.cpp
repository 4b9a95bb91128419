// The gradebook's own CSV: identity, one column per exercise, totals and status; the first data
// row, `max_points`, holds each column's maximum, so a spreadsheet needs nothing else.

#include "grader/csv/csv.hpp"
#include "grader/export/export.hpp"

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
    for (const char* column : {"total", "max_total", "percent", "status"}) header.push_back(column);
    max_row.insert(max_row.end(),
                   {std::to_string(max_total), std::to_string(max_total), "100.00", ""});
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
        fields.push_back(scored ? std::to_string(*run->score) : "");
        fields.push_back(run ? std::to_string(run->max_score) : std::to_string(max_total));
        fields.push_back(scored ? percent_text(*run->score, run->max_score) : "");
        fields.push_back(status_of(row));
        w.row(fields);
    }
}

void write_long(const gradebook::ClassGrades& grades, gradebook::Gradebook& book,
                std::ostream& out) {
    csv::Writer w(out);
    w.row({"id", "exercise", "case", "verdict", "points", "max_points"});
    for (const gradebook::ClassRow& row : grades.rows) {
        if (!row.current) continue;
        for (const gradebook::StoredCase& c : book.cases(row.current->id))
            w.row({row.student.id, c.exercise, c.case_id, std::string(result::name(c.verdict)),
                   std::to_string(c.points), std::to_string(c.max_points)});
    }
}

}  // namespace grader::exporting
