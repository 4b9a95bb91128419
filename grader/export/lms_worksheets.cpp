// Grades written into the LMS's own files: Moodle's grading worksheet (its offline-grading upload
// reads back the same columns it wrote, matching rows by "Identifier"), Blackboard's Grade Center
// upload (it matches the Username column, and a grade column by the id after its `|`), and the
// assignment column a Canvas export names.

#include <cstdlib>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "grader/error.hpp"
#include "grader/export/export.hpp"
#include "grader/intake/roster_formats.hpp"

namespace grader::exporting {

namespace {

// The current runs that have a grade, by student key.
std::map<std::string, const gradebook::StoredRun*> graded(const gradebook::ClassGrades& grades) {
    std::map<std::string, const gradebook::StoredRun*> out;
    for (const gradebook::ClassRow& row : grades.rows)
        if (row.current && row.current->grade) out[row.student.id] = &*row.current;
    return out;
}

// The score on the LMS's scale: the same number when the scales agree, else scaled.
std::string on_scale(double score, int max, double lms_max) {
    if (lms_max <= 0 || max <= 0 || lms_max == max) return points_text(score);
    return fmt::format("{:.2f}", score * lms_max / max);
}

double number(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    return end != text.c_str() && v > 0 ? v : 0;
}

std::string feedback(const gradebook::ClassGrades& grades, const gradebook::StoredRun& run) {
    std::string text =
        fmt::format("{}/{} points", points_text(run.grade->final_score), run.max_score);
    if (!run.grade->late_text.empty()) text += " (" + run.grade->late_text + ")";
    if (run.grade->adjusted) text += " (adjusted by hand)";
    if (run.record.status == gradebook::Status::LoadError)
        return text + ": the library could not be loaded (" + run.record.message + ")";
    std::string parts;
    for (const gradebook::ExerciseOutline& e : grades.spec.exercises)
        for (const auto& [id, points] : run.exercise_scores)
            if (id == e.id)
                parts += fmt::format("{}{} {}/{}", parts.empty() ? "" : ", ", e.id, points,
                                     e.max_points());
    return parts.empty() ? text : text + " (" + parts + ")";
}

}  // namespace

void write_moodle_worksheet(const gradebook::ClassGrades& grades,
                            const std::vector<csv::Row>& worksheet, std::ostream& out) {
    if (worksheet.empty()) throw Error("the Moodle grading worksheet is empty");
    const csv::Row& header = worksheet.front();
    const auto grade_column = intake::column_of(header, "Grade");
    if (!grade_column)
        throw Error(
            "the Moodle grading worksheet has no \"Grade\" column; download it again from the "
            "assignment's \"View all submissions\" page (\"Download grading worksheet\")");
    const auto identifier = intake::column_of(header, "Identifier").value_or(0);
    const auto maximum = intake::column_of(header, "Maximum grade");
    const auto comments = intake::column_of(header, "Feedback comments");
    const auto runs = graded(grades);
    csv::Writer w(out);
    w.row(header.fields);
    for (std::size_t r = 1; r < worksheet.size(); ++r) {
        std::vector<std::string> fields = worksheet[r].fields;
        fields.resize(std::max(fields.size(), header.fields.size()));
        const std::string key =
            identifier < fields.size() ? intake::moodle_participant(fields[identifier]) : "";
        const auto run = runs.find(key);
        if (run != runs.end()) {
            const double lms_max = maximum ? number(fields[*maximum]) : 0;
            fields[*grade_column] =
                on_scale(run->second->grade->final_score, run->second->max_score, lms_max);
            if (comments) fields[*comments] = feedback(grades, *run->second);
        }
        w.row(fields);
    }
}

std::string canvas_assignment_column(const std::vector<csv::Row>& roster) {
    if (roster.empty()) return "";
    static const std::regex titled(R"(^.*\(\d+\)\s*$)");
    std::string found;
    for (const std::string& title : roster.front().fields) {
        if (!std::regex_match(title, titled)) continue;
        if (!found.empty()) return "";
        found = title;
    }
    return found;
}

void write_blackboard(const gradebook::ClassGrades& grades, const ExportOptions& options,
                      const std::vector<csv::Row>& roster, std::ostream& out) {
    static const std::regex with_id(R"(^.*\|\s*\d+\s*$)");
    std::vector<std::string> columns;
    if (!roster.empty())
        for (const std::string& title : roster.front().fields)
            if (std::regex_match(title, with_id) &&
                (options.assignment.empty() || title.rfind(options.assignment, 0) == 0))
                columns.push_back(title);
    std::string column;
    if (columns.size() == 1) {
        column = columns.front();
    } else if (!options.assignment.empty() && std::regex_match(options.assignment, with_id)) {
        column = options.assignment;
    } else {
        std::string list;
        for (const std::string& c : columns) list += (list.empty() ? "" : "; ") + c;
        throw Error(columns.empty()
                        ? "Blackboard matches a grade column by the id after its \"|\": give the "
                          "Grade Center export as --roster, or --assignment \"KL Lab [Total "
                          "Pts: 100 Score] |12345\" exactly as its header names it"
                        : "several Grade Center columns fit (" + list +
                              "): give --assignment with the start of the right one");
    }
    static const std::regex total(R"(Total Pts:\s*([0-9.]+))");
    std::smatch m;
    const double lms_max = std::regex_search(column, m, total) ? number(m[1].str()) : 0;
    csv::Writer w(out);
    w.row({"Username", column});
    for (const gradebook::ClassRow& row : grades.rows) {
        const auto& run = row.current;
        w.row({row.student.id, run && run->grade
                                   ? on_scale(run->grade->final_score, run->max_score, lms_max)
                                   : std::string()});
    }
}

}  // namespace grader::exporting
