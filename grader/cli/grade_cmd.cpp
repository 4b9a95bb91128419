#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/elf/glibc_needs.hpp"
#include "grader/error.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/overrides.hpp"
#include "grader/grading/student_seed.hpp"
#include "grader/report/report.hpp"
#include "grader/repro/repro_dir.hpp"
#include "grader/sandbox/parallel_runner.hpp"

namespace grader::cli {

namespace {

struct GradeOptions {
    std::string library;
    SpecOptions spec;
    std::string format = "text";
    std::string output;
    bool public_only = false;
    std::optional<std::uint64_t> seed;
    std::optional<double> time_limit;
    std::optional<double> memory_limit;
    bool require_sandbox = false;
    std::string student;
    std::string secret_file;
    bool no_shrink = false;
    bool no_timings = false;
    std::vector<std::string> reports;  // --report FORMAT:FILE, each one more report
    std::string repro;                 // where to write the failing public cases as C programs
    int workers = 0;                   // 0: two when the machine has the cores, else one
};

// The hidden cases' seed: --seed as given, else the student's own from the course secret, else
// the spec's (the same for everyone, which the report says).
void choose_hidden_seed(const GradeOptions& o, grading::PrepareOptions& prepare) {
    if (!o.secret_file.empty() && o.student.empty())
        throw Error(
            "--secret-file needs --student ID: the secret only serves to derive a "
            "student's own hidden inputs");
    if (o.seed) {
        if (!o.secret_file.empty())
            throw Error(
                "give --seed or --secret-file, not both: --seed already fixes the hidden "
                "inputs (a regrade takes the seed from the earlier report)");
        prepare.hidden_seed = o.seed;
        prepare.hidden_from = "seed";
        prepare.student = o.student;
        return;
    }
    if (o.student.empty() || is_bundle(o.spec.spec)) return;
    prepare.student = o.student;
    const std::optional<std::string> secret =
        grading::find_course_secret(o.spec.spec, o.secret_file);
    if (!secret) {
        spdlog::warn(
            "no course secret ({} beside the spec, or --secret-file): the hidden inputs "
            "of {} are the same as everyone's",
            grading::kSecretFileName, o.student);
        return;
    }
    prepare.hidden_seed = grading::student_seed(*secret, o.student);
    prepare.hidden_from = "student";
}

// On stderr, so that a report on stdout stays whole.
void write_repro(const GradeOptions& o, const grading::Prepared& cases,
                 const std::vector<grading::FailedCase>& failed) {
    const repro::Written w = repro::write_repro(o.repro, cases, failed);
    for (const std::string& s : w.skipped) std::cerr << "repro: no program for " << s << "\n";
    if (w.programs.empty()) {
        std::cerr << "repro: no failing public case, so no program in " << o.repro << "\n";
        return;
    }
    std::cerr << "repro: " << w.programs.size() << " program" << (w.programs.size() == 1 ? "" : "s")
              << " in " << o.repro << ", one per failing public case; build them with\n"
              << "  make -C " << o.repro << " LIB=" << o.library << "\n"
              << "and run one (" << o.repro << "/" << w.programs.front()
              << "): it exits 1 while the case fails, 0 once it passes\n";
}

constexpr std::string_view kFormatNames = "text, json, junit, gradescope or classroom";

struct ExtraReport {
    report::Format format;
    std::string path;
};

// Checked before anything is graded, so a typo costs nothing.
std::vector<ExtraReport> extra_reports(const std::vector<std::string>& given) {
    std::vector<ExtraReport> out;
    for (const std::string& g : given) {
        const std::size_t colon = g.find(':');
        if (colon == std::string::npos || colon + 1 == g.size())
            throw Error("--report " + g + ": write it FORMAT:FILE, e.g. --report junit:report.xml");
        const std::string name = g.substr(0, colon);
        const auto format = report::parse_format(name);
        if (!format)
            throw Error("--report " + g + ": unknown report format \"" + name + "\"; use " +
                        std::string(kFormatNames));
        out.push_back({*format, g.substr(colon + 1)});
    }
    return out;
}

void write_report(const result::Result& result, report::Format format, const std::string& path,
                  const report::TextOptions& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write the report to " + path);
    report::render(result, format, out, text);
    if (!out.flush()) throw Error("cannot write the report to " + path);
}

int run_grade(const GradeOptions& o) {
    const auto format = report::parse_format(o.format);
    if (!format)
        throw Error("unknown report format \"" + o.format + "\"; use " + std::string(kFormatNames));
    const std::vector<ExtraReport> extra = extra_reports(o.reports);
    grading::PrepareOptions prepare;
    prepare.public_only = o.public_only;
    choose_hidden_seed(o, prepare);
    const auto started = std::chrono::steady_clock::now();
    Loaded loaded = load_cases(o.spec, prepare);
    const auto prepared_at = std::chrono::steady_clock::now();
    grading::Prepared& cases = loaded.prepared;
    // A self-check: this machine may load what the course's grading machine cannot.
    if (!cases.grading_glibc.empty())
        if (auto too_new =
                elf::check_glibc(o.library, cases.grading_glibc, "the course's grading machine"))
            spdlog::warn("{}", *too_new);
    grading::LimitOverrides overrides{o.time_limit, o.memory_limit, o.require_sandbox};
    grading::apply_overrides(cases, overrides);
    // Alone on the machine, one submission's calls can use a second core.
    const int workers = o.workers > 0                              ? o.workers
                        : std::thread::hardware_concurrency() >= 2 ? 2
                                                                   : 1;
    auto runner = sandbox::make_parallel_runner(
        grading::worker_config(cases, worker_path(), o.library, overrides,
                               loaded.reference ? loaded.reference->path() : ""),
        workers);
    grading::Feedback feedback;
    feedback.spec = loaded.spec ? &*loaded.spec : nullptr;
    feedback.reference = loaded.reference.get();
    feedback.shrink = !o.no_shrink;
    std::vector<grading::FailedCase> failed;
    if (!o.repro.empty()) feedback.failed = &failed;
    result::Result result = grading::grade(cases, *runner, o.library, feedback);
    if (!o.repro.empty()) write_repro(o, cases, failed);
    const auto graded_at = std::chrono::steady_clock::now();
    using ms = std::chrono::duration<double, std::milli>;
    spdlog::info("cases prepared in {:.1f} ms, submission graded in {:.1f} ms",
                 ms(prepared_at - started).count(), ms(graded_at - prepared_at).count());
    for (const std::string& w : result.sandbox_warnings) spdlog::warn("sandbox: {}", w);

    report::TextOptions text;
    text.verbose = spdlog::should_log(spdlog::level::info);  // -v: times in the report too
    text.timings = !o.no_timings;
    if (o.output.empty() || o.output == "-") {
        text.colour =
            *format == report::Format::Text && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
        report::render(result, *format, std::cout, text);
        std::cout.flush();
    } else {
        write_report(result, *format, o.output, text);
    }
    // Files never get the terminal's colours.
    report::TextOptions plain = text;
    plain.colour = false;
    for (const ExtraReport& r : extra) write_report(result, r.format, r.path, plain);
    return result.full_marks() ? kExitFullMarks : kExitShort;
}

}  // namespace

void setup_grade(CLI::App& app, int& status) {
    auto o = std::make_shared<GradeOptions>();
    CLI::App* sub =
        app.add_subcommand("grade", "Grade one submission (a shared library) and write a report");
    sub->add_option("library", o->library,
                    "The submission: a shared library (.so) exporting the exercise functions")
        ->required();
    add_spec_option(*sub, o->spec.spec,
                    "exercises.yaml, or a public bundle (.json) made by `grader bundle`");
    add_cache_options(*sub, o->spec);
    add_reference_option(*sub, o->spec);
    sub->add_option("--format", o->format,
                    "Report format: text, json, junit, gradescope or classroom (GitHub Classroom)")
        ->capture_default_str();
    sub->add_option("-o,--output", o->output, "Write the report to this file instead of stdout");
    sub->add_option("--report", o->reports,
                    "Also write the report in this format to this file, from the same grading "
                    "(repeatable): --report junit:build/report.xml")
        ->type_name("FORMAT:FILE");
    sub->add_flag("--public-only", o->public_only,
                  "Grade the public cases only (what students see)");
    sub->add_option("--seed", o->seed,
                    "Redraw the hidden random cases from this seed (instructors; a report "
                    "records the seed it used)");
    sub->add_option("--student", o->student,
                    "The student's id: with the course secret, their hidden inputs are their own");
    sub->add_option("--secret-file", o->secret_file,
                    "The course secret (default: course.secret beside the spec, if it exists)");
    sub->add_flag("--no-shrink", o->no_shrink,
                  "Do not search for a smaller failing input after a failure");
    sub->add_option("--repro", o->repro,
                    "Write each failing public case as a C program into this folder, with a "
                    "Makefile: make -C DIR LIB=build/libsolution.so")
        ->type_name("DIR");
    sub->add_flag("--no-timings", o->no_timings,
                  "Leave every time figure out of the report, so that reruns compare equal");
    sub->add_option("--time-limit", o->time_limit, "Seconds per call, overriding the spec")
        ->check(CLI::PositiveNumber);
    sub->add_option("--memory-limit", o->memory_limit,
                    "MiB of address space for the worker, overriding the spec")
        ->check(CLI::Range(16.0, 1048576.0));
    sub->add_option("--workers", o->workers,
                    "Worker processes sharing the calls (default: 2 on a machine with two "
                    "cores or more; the report is the same with any number)")
        ->check(CLI::Range(1, 16));
    sub->add_flag("--require-sandbox", o->require_sandbox,
                  "Fail (exit 2) if an isolation layer cannot be applied");
    sub->callback([o, &status] {
        o->spec.spec = resolve_spec(o->spec.spec);
        status = run_grade(*o);
    });
}

}  // namespace grader::cli
