#include <unistd.h>

#include <iostream>
#include <memory>

#include "grader/batch/regrade.hpp"
#include "grader/cli/class_grading.hpp"
#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/error.hpp"

namespace grader::cli {

namespace {

struct RegradeCmdOptions {
    SpecOptions spec;
    std::string gradebook = "gradebook.sqlite";
    int jobs = 0;
    bool apply = false;
    bool discard = false;
    bool quiet = false;
    std::optional<std::uint64_t> seed;
    std::optional<double> time_limit;
    std::optional<double> memory_limit;
    std::string secret_file;
    bool no_shrink = false;
};

int run_regrade_cmd(const RegradeCmdOptions& o) {
    if (o.apply && o.discard) throw Error("--apply and --discard exclude each other: pick one");
    batch::RegradeOptions r;
    r.action = o.apply     ? batch::RegradeAction::Apply
               : o.discard ? batch::RegradeAction::Discard
                           : batch::RegradeAction::Preview;
    r.jobs = o.jobs > 0 ? o.jobs : batch::default_jobs();
    r.gradebook = o.gradebook;
    r.progress = o.quiet ? batch::ProgressMode::Quiet : batch::detect_progress_mode(STDOUT_FILENO);
    if (r.action == batch::RegradeAction::Discard) {
        // No spec needed to throw a pending set away.
        batch::Grading none;
        return batch::run_regrade(none, r, std::cout);
    }
    SpecOptions spec = o.spec;
    spec.spec = resolve_spec(spec.spec);
    const ClassGrading grading(
        {spec, o.seed, o.secret_file, {o.time_limit, o.memory_limit, false}, !o.no_shrink});
    return batch::run_regrade(grading.grading(), r, std::cout);
}

}  // namespace

void setup_regrade(CLI::App& app, int& status) {
    auto o = std::make_shared<RegradeCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "regrade",
        "Grade every student's current submission again with the spec as it is now, "
        "and show what changes before applying it");
    add_spec_option(*sub, o->spec.spec, "exercises.yaml as it is now");
    add_cache_options(*sub, o->spec);
    add_reference_option(*sub, o->spec);
    sub->add_option("--gradebook", o->gradebook, "The gradebook (SQLite)")->capture_default_str();
    sub->add_option("-j,--jobs", o->jobs, "Submissions graded at once (default: the cores)")
        ->check(CLI::Range(1, 256));
    sub->add_flag("--apply", o->apply,
                  "Make the pending regrade the current grades (grading it first if needed)");
    sub->add_flag("--discard", o->discard, "Drop the pending regrade");
    sub->add_flag("-q,--quiet", o->quiet, "Print only the changes");
    sub->add_option("--seed", o->seed, "Redraw the hidden random cases from this seed");
    sub->add_option("--time-limit", o->time_limit, "Seconds per call, overriding the spec")
        ->check(CLI::PositiveNumber);
    sub->add_option("--memory-limit", o->memory_limit,
                    "MiB of address space for each worker, overriding the spec")
        ->check(CLI::Range(16.0, 1048576.0));
    sub->add_option("--secret-file", o->secret_file,
                    "The course secret, as the batch used it (default: course.secret beside the "
                    "spec, if it exists)");
    sub->add_flag("--no-shrink", o->no_shrink, "Do not search for smaller failing inputs");
    sub->callback([o, &status] { status = run_regrade_cmd(*o); });
}

}  // namespace grader::cli
