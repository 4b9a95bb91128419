// `grader feedback`: each student's text report, from the batch's report folder, placed where
// their LMS's bulk feedback upload matches it to them (grader/intake/feedback_names). The reports
// are the student-facing ones: hidden cases show their verdicts only.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/intake/archive.hpp"
#include "grader/intake/feedback_names.hpp"

namespace grader::cli {

namespace fs = std::filesystem;

namespace {

struct FeedbackCmdOptions {
    std::string gradebook = "gradebook.sqlite";
    std::string format;
    std::string reports;
    std::string output;
};

// What the student receives: the report's own name ends the file's name in every layout.
constexpr const char* kReportName = "kl-grader-report.txt";

std::optional<std::string> read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The report was written when the library was graded; a late policy, an extension or an
// adjustment decided since changes the grade, so the gradebook's final grade closes the file.
std::string final_grade_note(const gradebook::StoredRun& run) {
    if (!run.grade || (run.grade->late_status.empty() && !run.grade->adjusted)) return "";
    const gradebook::FinalGrade& g = *run.grade;
    std::string note =
        fmt::format("\nFinal grade: {:g}/{}", std::round(g.final_score * 100) / 100, run.max_score);
    if (!g.late_text.empty()) note += " (" + g.late_text + ")";
    if (g.adjusted)
        note += fmt::format(" (adjusted by hand: {:+g})", g.raw - *run.score + g.adjustment);
    return note + "\n";
}

int run_feedback(const FeedbackCmdOptions& o) {
    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadOnly);
    const gradebook::ClassGrades grades = book.class_grades();
    std::vector<std::pair<std::string, std::string>> files;  // where -> the report
    std::vector<std::string> left_out;
    for (const gradebook::ClassRow& row : grades.rows) {
        if (!row.current || !row.current->score) continue;  // nothing graded to tell
        const std::string& id = row.student.id;
        const auto report = read_text(fs::path(o.reports) / (id + ".txt"));
        if (!report) {
            left_out.push_back(id + ": no " + (fs::path(o.reports) / (id + ".txt")).string() +
                               " (grade with `grader batch ... --out " + o.reports +
                               " --format text`)");
            continue;
        }
        std::string where;
        if (o.format == "dir") {
            where = id + ".txt";
        } else if (o.format == "moodle") {
            where = intake::moodle_feedback_path(row.student.name, id, kReportName);
        } else {
            const std::string submitted =
                fs::path(row.current->record.submission_path).filename().string();
            const auto name = intake::canvas_feedback_name(submitted, id, kReportName);
            if (!name) {
                left_out.push_back(id + ": graded from " + submitted +
                                   ", which is not Canvas's name of this student's file (an "
                                   "anonymous or renamed submission): Canvas could not match it");
                continue;
            }
            where = *name;
        }
        files.emplace_back(where, *report + final_grade_note(*row.current));
    }
    if (files.empty() && left_out.empty())
        throw Error("the gradebook " + o.gradebook +
                    " holds no grade yet: run `grader batch` first");
    const fs::path out(o.output);
    if (out.extension() == ".zip") {
        intake::write_zip(out, files);
    } else {
        for (const auto& [where, text] : files) {
            const fs::path p = out / where;
            std::error_code ec;
            fs::create_directories(p.parent_path(), ec);
            std::ofstream f(p, std::ios::binary | std::ios::trunc);
            f << text;
            if (!f.flush()) throw Error("cannot write " + p.string() + " (is the disk full?)");
        }
    }
    std::cerr << "grader: wrote " << files.size() << " report" << (files.size() == 1 ? "" : "s")
              << " to " << o.output << "\n";
    for (const std::string& l : left_out) std::cerr << "grader: not written: " << l << "\n";
    return left_out.empty() ? kExitFullMarks : 1;
}

}  // namespace

void setup_feedback(CLI::App& app, int& status) {
    auto o = std::make_shared<FeedbackCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "feedback",
        "Place each student's report where their LMS's bulk feedback upload matches it to them");
    sub->add_option("--format", o->format,
                    "canvas (for \"Re-Upload Submissions\"), moodle (the feedback files zip) or "
                    "dir (<id>.txt)")
        ->check(CLI::IsMember({"canvas", "moodle", "dir"}))
        ->required();
    sub->add_option("--reports", o->reports,
                    "The batch's report folder, holding <id>.txt (`grader batch --out DIR "
                    "--format text`)")
        ->required();
    sub->add_option("-o,--output", o->output, "A .zip to write, or else a folder")->required();
    sub->add_option("--gradebook", o->gradebook, "The gradebook (SQLite) to read")
        ->capture_default_str();
    sub->callback([o, &status] { status = run_feedback(*o); });
}

}  // namespace grader::cli
