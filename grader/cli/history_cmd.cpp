// `grader history`: everything the gradebook knows of one student, oldest first: each run (when,
// which file, which spec, the score), the late policy and extensions that apply, and every
// adjustment by hand and its undo, with who and why.

#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"

namespace grader::cli {

namespace {

struct HistoryCmdOptions {
    std::string student;
    std::string gradebook = "gradebook.sqlite";
};

struct Event {
    std::string at;
    std::string text;
};

std::string short_hash(const std::string& sha) {
    return sha.empty() ? "-" : sha.substr(0, 12);
}

std::string run_text(const gradebook::StoredRun& r) {
    const gradebook::RunRecord& rec = r.record;
    std::string text =
        fmt::format("{} run {}: ", r.pending ? "pending regrade" : "graded", short_hash(rec.uid));
    if (rec.status == gradebook::Status::SystemError)
        text += "system error (no grade): " + rec.message;
    else
        text += fmt::format("{}/{}{}", r.score.value_or(0), r.max_score,
                            rec.status == gradebook::Status::LoadError ? " (load error)" : "");
    text += fmt::format("; file {} (sha256 {}), spec {} (sha256 {})", rec.submission_path,
                        short_hash(rec.key.submission_sha256), rec.spec_path,
                        short_hash(rec.key.spec_sha256));
    if (rec.regrade_of) text += ", regrade of run " + short_hash(*rec.regrade_of);
    if (rec.submitted_at)
        text += "; submitted " + *rec.submitted_at + " (" + rec.submitted_source + ")";
    else if (rec.marked_late)
        text += "; marked late by " + rec.submitted_source + ", time unknown";
    if (r.grade && !r.grade->late_text.empty()) text += "; " + r.grade->late_text;
    return text;
}

int run_history(const HistoryCmdOptions& o) {
    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadOnly);
    const auto runs = book.history(o.student);
    const auto adjustments = book.adjustments(o.student);
    if (runs.empty() && adjustments.empty())
        throw Error("the gradebook " + o.gradebook + " has nothing on " + o.student +
                    " (is the id right? `grader export` lists the class)");
    std::vector<Event> events;
    for (const gradebook::StoredRun& r : runs) events.push_back({r.record.ended_at, run_text(r)});
    for (const gradebook::StoredPolicy& p : book.policies()) {
        if (p.due.empty()) {
            events.push_back({p.set_at, "late policy ended by " + p.set_by});
            continue;
        }
        std::string text = "late policy set by " + p.set_by + ": due " + p.due;
        if (p.grace_seconds) text += fmt::format(", grace {} s", p.grace_seconds);
        if (p.penalty) text += ", " + *p.penalty;
        if (p.cap) text += ", capped at " + *p.cap;
        if (p.cutoff) text += ", cutoff " + *p.cutoff;
        events.push_back({p.set_at, text});
    }
    for (const gradebook::StoredExtension& e : book.extensions(o.student))
        events.push_back({e.set_at, "extension set by " + e.set_by + ": due " + e.due});
    for (const gradebook::Adjustment& a : adjustments) {
        const std::string what =
            a.on_case()
                ? fmt::format("{}/{} set to {:g} point(s) (was {:g}, verdict {})", a.exercise,
                              a.case_id, a.points, a.replaced.value_or(0), a.verdict_then)
                : fmt::format("{:+g} points to the total (final was {:g})", a.points,
                              a.replaced.value_or(0));
        events.push_back({a.made_at, fmt::format("adjustment #{} by {}: {}: \"{}\"", a.id,
                                                 a.made_by, what, a.reason)});
        if (a.undone_at)
            events.push_back({*a.undone_at, fmt::format("adjustment #{} undone by {}", a.id,
                                                        a.undone_by.value_or("?"))});
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.at < b.at; });
    std::cout << "History of " << o.student << " in " << o.gradebook << " (oldest first):\n";
    for (const Event& e : events) std::cout << "  " << e.at << "  " << e.text << "\n";
    const auto current = book.current_run(o.student);
    if (current && current->grade) {
        const gradebook::FinalGrade& g = *current->grade;
        std::cout << fmt::format(
            "Now: raw {:g}, late penalty {:g}, adjustments {:+g}: final {:g}/{}\n", g.raw,
            g.late_penalty > 0 ? -g.late_penalty : 0.0, g.adjustment, g.final_score,
            current->max_score);
    } else {
        std::cout << "Now: no grade\n";
    }
    return kExitFullMarks;
}

}  // namespace

void setup_history(CLI::App& app, int& status) {
    auto o = std::make_shared<HistoryCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "history",
        "Everything the gradebook knows of one student, oldest first: runs, late policy, "
        "extensions and adjustments, with who and why");
    sub->add_option("student", o->student, "The student's id")->required();
    sub->add_option("--gradebook", o->gradebook, "The gradebook (SQLite) to read")
        ->capture_default_str();
    sub->callback([o, &status] { status = run_history(*o); });
}

}  // namespace grader::cli
