#include "grader/batch/run.hpp"

#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "grader/batch/attempts.hpp"
#include "grader/batch/intake.hpp"
#include "grader/batch/interrupt.hpp"
#include "grader/batch/record.hpp"
#include "grader/batch/roster.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/grading/outline.hpp"

namespace grader::batch {

namespace fs = std::filesystem;

namespace {

std::string extension(report::Format f) {
    switch (f) {
        case report::Format::Text:
            return ".txt";
        case report::Format::Json:
            return ".json";
        case report::Format::Junit:
            return ".junit.xml";
        case report::Format::Gradescope:
            return ".gradescope.json";
        case report::Format::Classroom:
            return ".classroom.json";
    }
    return ".txt";
}

struct Totals {
    std::vector<double> scores;  // of every submission with a grade
    int max_score = 0;
};

std::string class_line(const Totals& t) {
    if (t.scores.empty()) return "no grades";
    std::vector<double> s = t.scores;
    std::sort(s.begin(), s.end());
    double sum = 0;
    for (double x : s) sum += x;
    const double mean = sum / static_cast<double>(s.size());
    const std::size_t n = s.size();
    const double median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    const double pct = t.max_score > 0 ? 100.0 * mean / t.max_score : 0;
    return fmt::format("mean {:.1f} / {} ({:.1f}%), median {:g}, over {} graded", mean, t.max_score,
                       pct, median, n);
}

double cpu_seconds(int who) {
    rusage u{};
    ::getrusage(who, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Why nothing could be graded, and what to look at.
std::string nothing_found(const std::string& input, const Intake& in) {
    if (in.layout == intake::Layout::Plain)
        return "no submissions found in " + input +
               ": a class folder holds *.so files or one folder per student with one .so "
               "inside, and an LMS's download is named the LMS's way (see --layout)";
    std::string text = "no submissions found in " + input + " (read as a " +
                       std::string(intake::name(in.layout)) + " download): no library is in it";
    if (!in.found.notes.empty()) text += "; first of what it holds: " + in.found.notes.front();
    return text;
}

}  // namespace

int default_jobs() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
    return 1;
}

void write_reports(const result::Result& result, const std::string& dir, const std::string& id,
                   const std::vector<report::Format>& formats, bool timings) {
    std::vector<report::Format> all = {report::Format::Json};
    for (report::Format f : formats)
        if (std::find(all.begin(), all.end(), f) == all.end()) all.push_back(f);
    for (report::Format f : all) {
        const fs::path final_path = fs::path(dir) / (id + extension(f));
        const fs::path temporary = final_path.string() + ".partial";
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            if (!out)
                throw Error("cannot write the report " + temporary.string() + ": " +
                            std::strerror(errno));
            report::TextOptions options;
            options.timings = timings;
            report::render(result, f, out, options);
            if (!out.flush())
                throw Error("cannot write the report " + final_path.string() +
                            " (is the disk full?); the grades recorded so far are kept: free "
                            "some space and run the same command again");
        }
        std::error_code ec;
        fs::rename(temporary, final_path, ec);
        if (ec) throw Error("cannot write the report " + final_path.string() + ": " + ec.message());
    }
}

int run_batch(const Grading& g, const BatchOptions& o, std::ostream& out) {
    Intake in =
        take_in(o.inputs, o.layout, downloads_folder(o.gradebook), o.deadlines.zone, o.attempts);
    Discovery& found = in.found;
    const bool nothing = found.submissions.empty() && found.problems.empty();
    if (o.shard) keep_shard(found, *o.shard);
    if (nothing) throw Error(nothing_found(o.inputs.empty() ? "." : o.inputs.front(), in));
    std::optional<Roster> roster;
    if (!o.roster.empty()) roster = read_roster(o.roster, o.roster_format);
    if (roster) add_worksheet_times(found.submissions, roster->last_modified, o.deadlines.zone);
    if (!o.out_dir.empty()) {
        std::error_code ec;
        fs::create_directories(o.out_dir, ec);
        if (ec) throw Error("cannot create the report folder " + o.out_dir + ": " + ec.message());
    }

    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadWrite);
    if (roster) book.set_roster(roster->students);
    const gradebook::SpecOutline spec =
        gradebook::outline_of(grading::outline(*g.prepared), g.spec_sha256);
    book.register_spec(spec);
    const std::vector<std::string> recorded = record_deadlines(book, o.deadlines);
    LateMarker late(book);

    // Hash every submission first: what is already graded is skipped before any worker starts.
    std::vector<Submission> todo;
    std::vector<FileFacts> facts;
    std::vector<std::string> skipped;
    for (const Submission& s : found.submissions) {
        FileFacts f = file_facts(s.path);
        // An attempt graded before is graded: whether it counts is chosen below.
        const gradebook::RunKey key = run_key(g, s.id, f);
        if (!o.force && !f.sha256.empty() &&
            (s.several ? book.has_run(key) : book.is_current(key))) {
            skipped.push_back(s.id);
            continue;
        }
        todo.push_back(s);
        facts.push_back(std::move(f));
    }

    const std::int64_t batch_id =
        book.begin_batch(gradebook::BatchKind::Batch, g.spec_sha256, o.jobs);
    Progress progress(out, o.progress, todo.size());
    if (in.layout != intake::Layout::Plain)
        progress.note(fmt::format("{} download{}: {} student{} with a library",
                                  intake::name(in.layout), in.unpacked ? " (unzipped)" : "",
                                  found.submissions.size(),
                                  found.submissions.size() == 1 ? "" : "s"));
    for (const Problem& p : found.problems) progress.note("not graded: " + p.text);
    for (const std::string& line : recorded) progress.note(line);
    if (late.active()) {
        std::size_t by_mtime = 0, unknown = 0;
        for (const Submission& s : todo) {
            by_mtime += s.submitted_source == "mtime";
            unknown += !s.submitted_at && s.submitted_source != "canvas";
        }
        if (by_mtime)
            progress.note(fmt::format(
                "warning: the submission time of {} submission{} is the file's modification "
                "time, which a copy or a touch changes: grade the LMS's download for times it "
                "vouches for",
                by_mtime, by_mtime == 1 ? "" : "s"));
        if (unknown)
            progress.note(
                fmt::format("{} submission{} with no known time: no late penalty "
                            "(give the LMS's worksheet with --roster for Moodle)",
                            unknown, unknown == 1 ? "" : "s"));
    }
    if (!skipped.empty())
        progress.note(
            fmt::format("{} submission{} already graded with this spec and grader "
                        "(unchanged): skipped; --force grades them again",
                        skipped.size(), skipped.size() == 1 ? "" : "s"));

    Tally tally;
    std::size_t graded = 0;
    Totals totals;
    totals.max_score = spec.max_points();
    std::vector<std::string> system_errors;
    const auto started = std::chrono::steady_clock::now();
    const double own_cpu = cpu_seconds(RUSAGE_SELF), workers_cpu = cpu_seconds(RUSAGE_CHILDREN);
    InterruptGuard interrupts;

    EngineHooks hooks;
    hooks.finished = [&](Finished&& f) {
        const Submission& s = todo[f.index];
        if (f.result && !f.result->load_error) f.result->lateness = late.mark(s, f.result->score());
        const gradebook::RunRecord run = run_record(g, s, facts[f.index], f);
        // The report first, then the grade: a grade recorded is a grade whose report exists.
        if (f.result && !o.out_dir.empty())
            write_reports(*f.result, o.out_dir, s.id, o.formats, o.timings);
        book.record(run, batch_id, f.result ? &*f.result : nullptr);
        if (f.result) {
            ++graded;
            if (!s.several) totals.scores.push_back(f.result->score());
        } else {
            system_errors.push_back(s.id + ": " + f.system_error);
        }
        const std::string line = account(s, f, tally);
        progress.finished(tally, line);
    };
    hooks.tick = [&] { progress.tick(tally); };
    hooks.stop = [] { return InterruptGuard::requested(); };
    run_engine(todo, o.jobs, g.grade, hooks);
    book.finish_batch(batch_id);
    progress.end();
    // Once every attempt is graded: an interrupted batch chooses when it is run again.
    std::vector<std::string> chosen;
    if (!InterruptGuard::requested())
        chosen = choose_attempts(book, g, found.submissions, o.attempts);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // The class: this batch's grades and the unchanged ones it skipped (a student's several
    // attempts count once: the one that counts).
    std::set<std::string> counted_from_book(skipped.begin(), skipped.end());
    for (const Submission& s : found.submissions)
        if (s.several) counted_from_book.insert(s.id);
    for (const std::string& id : counted_from_book)
        if (auto run = book.current_run(id); run && run->score)
            totals.scores.push_back(*run->score);
    std::set<std::string> submitted;
    for (const Submission& s : found.submissions) submitted.insert(s.id);
    std::vector<std::string> off_roster, missing;
    if (roster) {
        std::set<std::string> listed;
        for (const auto& st : roster->students) {
            listed.insert(st.id);
            if (!submitted.count(st.id)) missing.push_back(st.id);
        }
        for (const std::string& id : submitted)
            if (!listed.count(id)) off_roster.push_back(id);
    }

    const bool interrupted = InterruptGuard::requested();
    if (o.shard)
        out << fmt::format("Shard {} of {} (numbered from 0): {} of the class's submissions\n",
                           o.shard->index, o.shard->count, found.submissions.size());
    out << fmt::format("{} {} of {} submission{} in {:.1f} s ({:.1f}/s, {} job{})\n",
                       interrupted ? "Interrupted: graded" : "Graded", graded, todo.size(),
                       todo.size() == 1 ? "" : "s", seconds,
                       seconds > 0 ? static_cast<double>(graded) / seconds : 0.0, o.jobs,
                       o.jobs == 1 ? "" : "s");
    out << fmt::format(
        "  graded {}, load errors {}, system errors {}, not graded (ambiguous) {}, "
        "unchanged and skipped {}{}\n",
        graded - tally.load_errors, tally.load_errors, tally.system_errors, found.problems.size(),
        skipped.size(), roster ? fmt::format(", no submission {}", missing.size()) : std::string());
    out << fmt::format("  crashed {}, timed out {} (submissions with at least one such case)\n",
                       tally.crashed, tally.timed_out);
    out << "  class: " << class_line(totals) << "\n";
    if (tally.done) {
        // The grader's own work (scheduling, comparing, recording) against the students' code.
        const double own = cpu_seconds(RUSAGE_SELF) - own_cpu;
        rusage self{};
        ::getrusage(RUSAGE_SELF, &self);
        out << fmt::format(
            "  cost: the grader {:.2f} s CPU ({:.1f} ms per submission, peak "
            "memory {:.1f} MiB), the workers {:.2f} s CPU\n",
            own, 1000 * own / static_cast<double>(tally.done),
            static_cast<double>(self.ru_maxrss) / 1024, cpu_seconds(RUSAGE_CHILDREN) - workers_cpu);
    }
    if (found.ignored_files || !found.empty_folders.empty())
        out << fmt::format(
            "  ignored: {} other file{} (sources, READMEs){}\n", found.ignored_files,
            found.ignored_files == 1 ? "" : "s",
            found.empty_folders.empty()
                ? std::string()
                : fmt::format(", {} folder{} without a library", found.empty_folders.size(),
                              found.empty_folders.size() == 1 ? "" : "s"));
    if (!off_roster.empty()) {
        out << "  graded but not on the roster:";
        for (const std::string& id : off_roster) out << " " << id;
        out << "\n";
    }
    if (in.layout != intake::Layout::Plain)
        out << "  read as a " << intake::name(in.layout) << " download"
            << (in.unpacked ? ", from the zip (unpacked to stay in " + in.unpacked->string() + ")"
                            : "")
            << "\n";
    for (const std::string& note : found.notes) out << "  " << note << "\n";
    for (const std::string& line : chosen) out << "  " << line << "\n";
    for (const Problem& p : found.problems) out << "  not graded: " << p.text << "\n";
    for (const std::string& e : system_errors)
        out << "  system error (run the batch again to retry): " << e << "\n";
    out << "Gradebook: " << book.path() << " (`grader export` writes the CSV)\n";
    if (!o.out_dir.empty()) out << "Reports:   " << o.out_dir << "/<id>.json\n";
    if (interrupted) {
        out << "Run the same command again to grade the rest: what is graded is skipped.\n";
        return 128 + InterruptGuard::signal();
    }
    return tally.system_errors || !found.problems.empty() ? 1 : 0;
}

}  // namespace grader::batch
