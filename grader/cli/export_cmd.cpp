#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "grader/batch/roster.hpp"
#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/csv/csv.hpp"
#include "grader/error.hpp"
#include "grader/export/export.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/intake/roster_formats.hpp"

namespace grader::cli {

namespace {

struct ExportCmdOptions {
    std::string gradebook = "gradebook.sqlite";
    std::string format = "csv";
    std::string assignment;
    std::string output;
    std::string roster;
    std::string roster_format = "auto";
};

int run_export(const ExportCmdOptions& o) {
    const auto format = exporting::parse_format(o.format);
    if (!format)
        throw Error("unknown export format \"" + o.format +
                    "\"; use csv, long, canvas, moodle, moodle-worksheet or blackboard");
    exporting::ExportOptions options{o.assignment};
    // The LMS's own file, read again: its columns go back as it wrote them.
    std::vector<csv::Row> lms_file;
    if (!o.roster.empty()) lms_file = intake::read_export(o.roster);
    if (*format == exporting::Format::MoodleWorksheet && o.roster.empty())
        throw Error(
            "the Moodle worksheet is filled in from the one Moodle gave: give it as --roster "
            "(the assignment's \"Download grading worksheet\")");
    if (*format == exporting::Format::Canvas && options.assignment.empty())
        options.assignment = exporting::canvas_assignment_column(lms_file);
    if (*format == exporting::Format::Canvas && options.assignment.empty())
        throw Error(
            "Canvas matches a grade column by the assignment's name and id, as its own "
            "export titles it: give --assignment \"KL exercises (12345)\"");
    if (*format == exporting::Format::Moodle && options.assignment.empty())
        options.assignment = "Grade";
    std::optional<batch::Roster> roster;
    if (!o.roster.empty())
        roster = batch::read_roster(o.roster, *intake::parse_roster_format(o.roster_format));
    gradebook::Gradebook book(o.gradebook,
                              roster ? gradebook::Access::ReadWrite : gradebook::Access::ReadOnly);
    if (roster) book.set_roster(roster->students);
    const gradebook::ClassGrades grades = book.class_grades();

    std::ostringstream text;
    switch (*format) {
        case exporting::Format::Csv:
            exporting::write_csv(grades, text);
            break;
        case exporting::Format::Long:
            exporting::write_long(grades, book, text);
            break;
        case exporting::Format::Canvas:
            exporting::write_canvas(grades, options, text);
            break;
        case exporting::Format::Moodle:
            exporting::write_moodle(grades, options, text);
            break;
        case exporting::Format::MoodleWorksheet:
            exporting::write_moodle_worksheet(grades, lms_file, text);
            break;
        case exporting::Format::Blackboard:
            exporting::write_blackboard(grades, options, lms_file, text);
            break;
    }
    if (o.output.empty() || o.output == "-") {
        std::cout << text.str() << std::flush;
        return kExitFullMarks;
    }
    // Whole or not at all: an LMS must never import half a class.
    write_whole(o.output, text.str(), o.output);
    std::cerr << "grader: wrote " << grades.rows.size() << " students to " << o.output << "\n";
    return kExitFullMarks;
}

}  // namespace

void setup_export(CLI::App& app, int& status) {
    auto o = std::make_shared<ExportCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "export", "Write each student's current grade from the gradebook as CSV for an LMS");
    sub->add_option("--gradebook", o->gradebook, "The gradebook (SQLite) to read")
        ->capture_default_str();
    sub->add_option("--format", o->format,
                    "csv, long, canvas, moodle, moodle-worksheet (the worksheet given as "
                    "--roster, filled in) or blackboard (Grade Center upload)")
        ->capture_default_str();
    sub->add_option("--assignment", o->assignment,
                    "The grade column's title: Canvas wants \"Name (id)\" as in its export "
                    "(default: the only such column of a Canvas roster), Blackboard \"Name "
                    "|id\" or its start");
    sub->add_option("-o,--output", o->output, "Write to this file instead of stdout");
    sub->add_option("--roster", o->roster,
                    "Record this class list first: the LMS's own export, or a CSV with "
                    "id,name,email,sis_id,section");
    add_roster_format_option(*sub, o->roster_format);
    sub->callback([o, &status] { status = run_export(*o); });
}

}  // namespace grader::cli
