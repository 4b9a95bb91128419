// `grader adjust`: a grade changed by hand, kept beside the measured one with who, when and why,
// so that it survives `batch --force` and `regrade --apply` and shows in `grader history`.

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"

namespace grader::cli {

namespace {

struct AdjustCmdOptions {
    std::string student;
    std::string gradebook = "gradebook.sqlite";
    std::string case_path;  // exercise/case
    std::optional<double> points;
    std::string reason;
    std::optional<std::int64_t> undo;
};

std::string final_text(gradebook::Gradebook& book, const std::string& student) {
    const auto run = book.current_run(student);
    if (!run || !run->grade) return "no grade";
    return fmt::format("{:g}/{}", run->grade->final_score, run->max_score);
}

int run_adjust(const AdjustCmdOptions& o) {
    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadWrite);
    if (o.undo) {
        if (o.points || !o.case_path.empty())
            throw Error("--undo lifts an adjustment as it was: leave out --points and --case");
        const std::string before = final_text(book, o.student);
        const gradebook::Adjustment a = book.undo_adjustment(o.student, *o.undo, os_user());
        std::cout << fmt::format("Undid adjustment #{} of {} (\"{}\", by {}): final {} → {}\n",
                                 a.id, o.student, a.reason, a.made_by, before,
                                 final_text(book, o.student));
        return kExitFullMarks;
    }
    if (!o.points)
        throw Error(
            "say how many points with --points (to the total: added, e.g. -3; with "
            "--case: the case's new points), or lift one with --undo N");
    gradebook::Adjustment a;
    a.student = o.student;
    if (!o.case_path.empty()) {
        const auto slash = o.case_path.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == o.case_path.size())
            throw Error(
                "--case names a case as exercise/case, e.g. ex1/kl_zero_in_p (`grader "
                "list` shows them)");
        a.exercise = o.case_path.substr(0, slash);
        a.case_id = o.case_path.substr(slash + 1);
    }
    a.points = *o.points;
    a.reason = o.reason;
    a.made_by = os_user();
    const std::string before = final_text(book, o.student);
    a = book.adjust(a);
    const std::string what = a.on_case()
                                 ? fmt::format("{}/{} set to {:g} point(s) (was {:g})", a.exercise,
                                               a.case_id, a.points, a.replaced.value_or(0))
                                 : fmt::format("{:+g} points to the total", a.points);
    std::cout << fmt::format("Adjustment #{} for {}: {}, by {}: \"{}\"\nFinal grade: {} → {}\n",
                             a.id, o.student, what, a.made_by, a.reason, before,
                             final_text(book, o.student));
    return kExitFullMarks;
}

}  // namespace

void setup_adjust(CLI::App& app, int& status) {
    auto o = std::make_shared<AdjustCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "adjust",
        "Change a student's grade by hand, with a reason: kept beside the measured grade (who, "
        "when, what it replaced), surviving regrades; see `grader history`");
    sub->add_option("student", o->student, "The student's id, as the gradebook names them")
        ->required();
    sub->add_option("--points", o->points,
                    "Without --case: points added to the total (-3). With --case: the case's "
                    "new points");
    sub->add_option("--case", o->case_path, "The case to set, as exercise/case");
    sub->add_option("--reason", o->reason, "Why (required): kept with the adjustment");
    sub->add_option("--undo", o->undo, "Lift adjustment N (its number in `grader history`)");
    sub->add_option("--gradebook", o->gradebook, "The gradebook (SQLite)")->capture_default_str();
    sub->callback([o, &status] { status = run_adjust(*o); });
}

}  // namespace grader::cli
