#include <unistd.h>

#include <iostream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "grader/batch/intake.hpp"
#include "grader/batch/run.hpp"
#include "grader/cli/class_grading.hpp"
#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/cli/summary_page.hpp"
#include "grader/error.hpp"
#include "grader/intake/download.hpp"
#include "grader/intake/roster_formats.hpp"
#include "grader/policy/course_file.hpp"

namespace grader::cli {

namespace {

struct BatchCmdOptions {
    std::vector<std::string> inputs;
    SpecOptions spec;
    int jobs = 0;
    std::string out;
    std::vector<std::string> formats;
    std::string roster;
    std::string roster_format = "auto";
    std::string layout = "auto";
    std::string attempt = "latest";
    bool no_late_policy = false;
    std::string gradebook = "gradebook.sqlite";
    bool force = false;
    bool quiet = false;
    std::optional<std::uint64_t> seed;
    std::optional<double> time_limit;
    std::optional<double> memory_limit;
    bool require_sandbox = false;
    std::string shard;
    std::string secret_file;
    bool no_shrink = false;
    bool no_timings = false;
    std::string html;
    policy::DeadlineSettings deadlines;
};

std::vector<report::Format> extra_formats(const std::vector<std::string>& names) {
    std::vector<report::Format> out;
    for (const std::string& list : names) {
        std::stringstream ss(list);
        std::string name;
        while (std::getline(ss, name, ',')) {
            if (name.empty()) continue;
            const auto f = report::parse_format(name);
            if (!f)
                throw Error(
                    "unknown report format \"" + name +
                    "\"; use text, junit, gradescope or classroom (JSON is always written)");
            out.push_back(*f);
        }
    }
    return out;
}

int run_batch_cmd(const BatchCmdOptions& o) {
    const auto formats = extra_formats(o.formats);
    if (!formats.empty() && o.out.empty())
        throw Error("--format names the reports written beside <id>.json: give --out DIR too");
    // Before the (slow) preparation: a wrong --shard is told at once.
    std::optional<batch::Shard> shard;
    if (!o.shard.empty()) shard = batch::parse_shard(o.shard, batch::process_environment());
    // The deadline too: a wrong date is told before the preparation, not after.
    policy::DeadlineSettings settings = o.deadlines;
    const policy::DeadlineSettings& d = o.deadlines;
    if (o.no_late_policy && (d.due || d.grace || d.cutoff || d.late_penalty || d.late_cap))
        throw Error(
            "--no-late-policy ends the late policy: leave out --due, --grace, --cutoff, "
            "--late-penalty and --late-cap (or leave out --no-late-policy to set a new one)");
    if (const auto course = policy::find_course_file(o.spec.spec))
        settings = policy::merge(o.deadlines, policy::read_course_file(*course));
    // Ended, whatever course.yaml says this time (extensions and the time zone still count).
    if (o.no_late_policy)
        settings.due = settings.grace = settings.cutoff = settings.late_penalty =
            settings.late_cap = std::nullopt;
    // A `due` column in the roster is a list of extensions too.
    if (!settings.extensions && !o.roster.empty()) {
        const auto rows = intake::read_export(o.roster);
        if (!rows.empty() && intake::column_of(rows.front(), "due")) {
            settings.extensions = o.roster;
            settings.extensions_from = "--roster";
        }
    }
    batch::Deadlines deadlines = batch::deadlines_from(settings, os_user());
    deadlines.end_policy = o.no_late_policy;
    const ClassGrading grading({o.spec,
                                o.seed,
                                o.secret_file,
                                {o.time_limit, o.memory_limit, o.require_sandbox},
                                !o.no_shrink});
    batch::BatchOptions b;
    b.inputs = o.inputs;
    b.jobs = o.jobs > 0 ? o.jobs : batch::default_jobs();
    b.out_dir = o.out;
    b.formats = formats;
    b.roster = o.roster;
    b.layout = *intake::parse_layout(o.layout);
    b.attempts = *batch::parse_attempt_rule(o.attempt);
    b.roster_format = *intake::parse_roster_format(o.roster_format);
    b.gradebook = o.gradebook;
    if (shard) {
        b.shard = shard;
        b.gradebook = batch::shard_gradebook(o.gradebook, *shard);
    }
    b.deadlines = std::move(deadlines);
    b.force = o.force;
    b.timings = !o.no_timings;
    b.progress = o.quiet ? batch::ProgressMode::Quiet : batch::detect_progress_mode(STDOUT_FILENO);
    const int status = batch::run_batch(grading.grading(), b, std::cout);
    if (!o.html.empty()) write_summary_page({b.gradebook, o.html, o.out, false}, std::cout);
    return status;
}

}  // namespace

void setup_batch(CLI::App& app, int& status) {
    auto o = std::make_shared<BatchCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "batch",
        "Grade a class: every submission in a folder, an LMS's download (or its zip), or the "
        "libraries given, in parallel, into a gradebook");
    sub->add_option("submissions", o->inputs,
                    "A class folder (*.so files, or one folder per student with one .so), an "
                    "LMS's download as a folder or as its zip, or libraries")
        ->required();
    sub->add_option("--layout", o->layout,
                    "How the download names its files: auto (recognised by the names), canvas, "
                    "moodle, blackboard, gradescope or plain (ours)")
        ->check(CLI::IsMember({"auto", "canvas", "moodle", "blackboard", "gradescope", "plain"}))
        ->capture_default_str();
    sub->add_option("--attempt", o->attempt,
                    "A student with several attempts (Blackboard): every one is graded and kept; "
                    "latest or best (by final grade) counts")
        ->check(CLI::IsMember({"latest", "best"}))
        ->capture_default_str();
    add_spec_option(*sub, o->spec.spec,
                    "exercises.yaml, or a public bundle (.json) made by `grader bundle`");
    add_cache_options(*sub, o->spec);
    add_reference_option(*sub, o->spec);
    sub->add_option("-j,--jobs", o->jobs, "Submissions graded at once (default: the cores)")
        ->check(CLI::Range(1, 256));
    sub->add_option("--out", o->out, "Write one report per submission here: <id>.json");
    sub->add_option(
        "--format", o->formats,
        "Also write these beside <id>.json: text, junit, gradescope, classroom (comma-separated)");
    sub->add_option("--roster", o->roster,
                    "The class list: the LMS's own export (Canvas, Moodle, Blackboard, "
                    "Gradescope) or a CSV with a header: id,name,email,sis_id,section");
    add_roster_format_option(*sub, o->roster_format);
    sub->add_option("--gradebook", o->gradebook, "The gradebook (SQLite) to record grades in")
        ->capture_default_str();
    sub->add_flag("--force", o->force, "Grade again what is already graded and unchanged");
    sub->add_flag("-q,--quiet", o->quiet, "Print only the summary");
    sub->add_option("--seed", o->seed, "Redraw the hidden random cases from this seed");
    sub->add_option("--time-limit", o->time_limit, "Seconds per call, overriding the spec")
        ->check(CLI::PositiveNumber);
    sub->add_option("--memory-limit", o->memory_limit,
                    "MiB of address space for each worker, overriding the spec")
        ->check(CLI::Range(16.0, 1048576.0));
    sub->add_flag("--require-sandbox", o->require_sandbox,
                  "Treat a missing isolation layer as a system error");
    sub->add_option("--secret-file", o->secret_file,
                    "The course secret: each student's hidden inputs are their own (default: "
                    "course.secret beside the spec, if it exists)");
    sub->add_flag("--no-shrink", o->no_shrink,
                  "Do not search for smaller failing inputs (faster; the grades are the same)");
    sub->add_flag("--no-timings", o->no_timings,
                  "Leave time figures out of the reports, so that reruns compare equal");
    sub->add_option("--shard", o->shard,
                    "Grade only slice K of N (0-based): K/N, auto (Slurm job array) or auto/N "
                    "(Kubernetes Indexed Job); each shard writes its own gradebook");
    sub->add_option("--due", o->deadlines.due,
                    "The due date, ISO 8601 with its offset (2026-12-01T23:59:00Z); also `due:` "
                    "in course.yaml beside the spec. Kept in the gradebook");
    sub->add_option("--grace", o->deadlines.grace, "No penalty this long after the due date: 15m");
    sub->add_option("--cutoff", o->deadlines.cutoff,
                    "After this instant a submission is graded (for its feedback) but scores 0");
    sub->add_option("--late-penalty", o->deadlines.late_penalty,
                    "Per started period late: 10%/day (of the student's own score), 5pt/day, "
                    "2%/hour");
    sub->add_option("--late-cap", o->deadlines.late_cap,
                    "The most a late penalty takes: 50% or 20pt");
    sub->add_flag("--no-late-policy", o->no_late_policy,
                  "End the late policy the gradebook holds: lateness no longer lowers a grade "
                  "(`grader history` keeps the ended policy; remove it from course.yaml too)");
    sub->add_option("--extensions", o->deadlines.extensions,
                    "A CSV with the columns id,due: each student's own due date (a `due` column "
                    "in the --roster does the same)");
    sub->add_option("--timezone", o->deadlines.timezone,
                    "The LMS's local time, for the times in Blackboard's file names and Moodle's "
                    "worksheet: Europe/Paris (default UTC)");
    sub->add_option("--html", o->html,
                    "At the end, write the class summary page here (as `grader summary --html`)");
    sub->callback([o, &status] {
        o->spec.spec = resolve_spec(o->spec.spec);
        status = run_batch_cmd(*o);
    });
}

}  // namespace grader::cli
