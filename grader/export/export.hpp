#pragma once
// Exports of a class's current grades, read from the gradebook, in the shapes LMSs import. Every
// file is RFC 4180 CSV (grader/csv): names with commas, quotes, line breaks or any UTF-8 survive.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "grader/csv/csv.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/gradebook/records.hpp"

namespace grader::exporting {

enum class Format {
    Csv,              // one row per student: identity, one column per exercise, totals, status,
                      // and the layers under the total (raw, late penalty, adjustment, lateness)
    Long,             // one row per student and case, for pivot tables and pandas
    Canvas,           // Canvas's gradebook import, with its "Points Possible" row
    Moodle,           // Moodle's grade import, mapped by email or ID number
    MoodleWorksheet,  // Moodle's grading worksheet as downloaded, Grade and Feedback filled in
    Blackboard,       // Grade Center's upload: Username and the assignment's column
};

std::optional<Format> parse_format(std::string_view name);

struct ExportOptions {
    std::string assignment;  // Canvas and Moodle: the grade column's title
};

void write_csv(const gradebook::ClassGrades& grades, std::ostream& out);
// Reads each current run's cases from the gradebook.
void write_long(const gradebook::ClassGrades& grades, gradebook::Gradebook& book,
                std::ostream& out);
void write_canvas(const gradebook::ClassGrades& grades, const ExportOptions& options,
                  std::ostream& out);
void write_moodle(const gradebook::ClassGrades& grades, const ExportOptions& options,
                  std::ostream& out);
// The worksheet's rows as Moodle gave them (header first), every column kept: each graded
// participant's Grade (scaled to the worksheet's "Maximum grade" when it differs from the spec's
// points) and "Feedback comments" (the points, exercise by exercise) written, every other row as
// it was. Throws grader::Error when the worksheet has no Grade column.
void write_moodle_worksheet(const gradebook::ClassGrades& grades,
                            const std::vector<csv::Row>& worksheet, std::ostream& out);
// The Grade Center column named in `options.assignment`, or else the only column of `roster`'s
// header (its Grade Center export) that carries an id (`... |12345`); grades scaled to the
// column's "Total Pts" when it names them. Throws grader::Error when no column or several fit.
void write_blackboard(const gradebook::ClassGrades& grades, const ExportOptions& options,
                      const std::vector<csv::Row>& roster, std::ostream& out);
// Canvas's assignment column in its own export's header ("KL Lab (12345)"), when exactly one
// column is titled so; empty otherwise.
std::string canvas_assignment_column(const std::vector<csv::Row>& roster);

// The status column: graded, load_error, system_error, or no_submission.
std::string status_of(const gradebook::ClassRow& row);
// "87.50": two decimals, as spreadsheets show them.
std::string percent_text(double score, int max);
// "72", "64.8": points with at most two decimals (a late penalty makes fractions).
std::string points_text(double points);
// The grade that goes back to the LMS: after the late penalty and adjustments by hand. None
// without a grade (no submission, or a system error).
std::optional<double> final_score(const gradebook::ClassRow& row);

}  // namespace grader::exporting
