#include "grader/batch/regrade.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "grader/batch/interrupt.hpp"
#include "grader/batch/record.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/grading/outline.hpp"

namespace grader::batch {

namespace {

constexpr const char* kNone = "(none)";

std::string score_text(const std::optional<int>& score, int max) {
    return score ? fmt::format("{}/{}", *score, max) : std::string("no grade");
}

}  // namespace

RegradeDiff regrade_diff(gradebook::Gradebook& book, std::int64_t pending) {
    RegradeDiff diff;
    for (const gradebook::StoredRun& now : book.runs_of_batch(pending)) {
        if (!now.pending || !now.record.regrade_of) continue;
        const auto before = book.run_by_uid(*now.record.regrade_of);
        if (!before) continue;
        ++diff.students;
        std::map<std::string, std::string> old_verdicts, new_verdicts;
        for (const auto& c : book.cases(before->id))
            old_verdicts[c.exercise + "/" + c.case_id] = std::string(result::name(c.verdict));
        for (const auto& c : book.cases(now.id))
            new_verdicts[c.exercise + "/" + c.case_id] = std::string(result::name(c.verdict));
        for (const auto& [id, v] : old_verdicts) {
            const auto it = new_verdicts.find(id);
            ++diff.matrix[id][v][it == new_verdicts.end() ? kNone : it->second];
        }
        for (const auto& [id, v] : new_verdicts)
            if (!old_verdicts.count(id)) ++diff.matrix[id][kNone][v];
        for (const gradebook::Adjustment& a : book.adjustments(now.record.key.student)) {
            if (!a.active() || !a.on_case()) continue;
            const auto it = new_verdicts.find(a.exercise + "/" + a.case_id);
            const std::string verdict = it == new_verdicts.end() ? kNone : it->second;
            if (verdict != a.verdict_then)
                diff.to_review.push_back(fmt::format(
                    "{}: {}/{} was set to {:g} points by hand (#{} by {}, \"{}\") when its "
                    "verdict was {}; the regrade makes it {}",
                    now.record.key.student, a.exercise, a.case_id, a.points, a.id, a.made_by,
                    a.reason, a.verdict_then, verdict));
        }
        if (before->score != now.score || before->max_score != now.max_score)
            diff.changes.push_back({now.record.key.student, before->score, now.score,
                                    before->max_score, now.max_score});
    }
    return diff;
}

void print_diff(const RegradeDiff& diff, std::ostream& out) {
    std::size_t unchanged = 0;
    std::vector<std::string> lines;
    for (const auto& [id, olds] : diff.matrix) {
        bool changed = false;
        std::string cells;
        for (const auto& [from, news] : olds)
            for (const auto& [to, count] : news) {
                cells += fmt::format("{}{} → {}: {}", cells.empty() ? "" : ", ", from, to, count);
                changed |= from != to;
            }
        if (changed)
            lines.push_back(fmt::format("  {:<40} {}", id, cells));
        else
            ++unchanged;
    }
    out << fmt::format("Verdicts, old → new (students), over {} student{}:\n", diff.students,
                       diff.students == 1 ? "" : "s");
    for (const std::string& l : lines) out << l << "\n";
    out << fmt::format("  {} case{} unchanged for everyone\n", unchanged,
                       unchanged == 1 ? "" : "s");
    out << fmt::format("Totals that change: {}\n", diff.changes.size());
    for (const auto& c : diff.changes)
        out << fmt::format("  {:<24} {} → {}\n", c.student, score_text(c.old_score, c.old_max),
                           score_text(c.new_score, c.new_max));
    if (!diff.to_review.empty()) {
        out << fmt::format(
            "Adjusted by hand, verdict changed: review ({}; the adjustments stay "
            "in force, `grader adjust ID --undo N` lifts one):\n",
            diff.to_review.size());
        for (const std::string& line : diff.to_review) out << "  " << line << "\n";
    }
}

int run_regrade(const Grading& g, const RegradeOptions& o, std::ostream& out) {
    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadWrite);
    const std::optional<std::int64_t> pending = book.pending_regrade();
    if (o.action == RegradeAction::Discard) {
        if (!pending) {
            out << "There is no pending regrade in " << book.path() << ": nothing to discard.\n";
            return 0;
        }
        book.discard_regrade(*pending);
        out << "Discarded the pending regrade: the grades are as they were.\n";
        return 0;
    }
    if (o.action == RegradeAction::Apply && pending) {
        const auto runs = book.runs_of_batch(*pending);
        if (!runs.empty() && runs.front().record.key.spec_sha256 != g.spec_sha256)
            throw Error("the pending regrade was graded with another version of " + g.spec_path +
                        ": run `grader regrade` again to grade with this one, or "
                        "`grader regrade --discard`");
        print_diff(regrade_diff(book, *pending), out);
        book.apply_regrade(*pending);
        out << "Applied: these are now the current grades (the previous ones stay in the "
               "history).\n";
        return 0;
    }
    if (pending) book.discard_regrade(*pending);

    // Every student's current submission, if its file is still the one graded.
    std::vector<Submission> todo;
    std::vector<FileFacts> facts;
    std::vector<std::string> bases, notes;
    for (const gradebook::ClassRow& row : book.class_grades().rows) {
        if (!row.current) continue;
        const gradebook::RunRecord& r = row.current->record;
        FileFacts f = file_facts(r.submission_path);
        if (f.sha256.empty()) {
            notes.push_back(r.key.student + ": " + r.submission_path + " is gone; not regraded");
            continue;
        }
        if (f.sha256 != r.key.submission_sha256) {
            notes.push_back(r.key.student + ": " + r.submission_path +
                            " changed since it was graded; not regraded (grade the new file "
                            "with `grader batch`)");
            continue;
        }
        // A regrade keeps when the submission came in: the time is the LMS's, not the regrade's.
        todo.push_back(
            {r.key.student, r.submission_path, r.submitted_at, r.submitted_source, r.marked_late});
        facts.push_back(std::move(f));
        bases.push_back(r.uid);
    }
    if (todo.empty() && notes.empty())
        throw Error("the gradebook " + book.path() + " holds no grades to regrade");
    book.register_spec(gradebook::outline_of(grading::outline(*g.prepared), g.spec_sha256));
    const std::int64_t batch_id =
        book.begin_batch(gradebook::BatchKind::Regrade, g.spec_sha256, o.jobs);
    Progress progress(out, o.progress, todo.size());
    for (const std::string& n : notes) progress.note(n);
    Tally tally;
    InterruptGuard interrupts;
    EngineHooks hooks;
    hooks.finished = [&](Finished&& f) {
        gradebook::RunRecord run = run_record(g, todo[f.index], facts[f.index], f);
        run.regrade_of = bases[f.index];
        book.record(run, batch_id, f.result ? &*f.result : nullptr, /*pending=*/true);
        const std::string line = account(todo[f.index], f, tally);
        progress.finished(tally, line);
    };
    hooks.tick = [&] { progress.tick(tally); };
    hooks.stop = [] { return InterruptGuard::requested(); };
    run_engine(todo, o.jobs, g.grade, hooks);
    book.finish_batch(batch_id);
    progress.end();
    if (InterruptGuard::requested()) {
        book.discard_regrade(batch_id);
        out << "Interrupted: the partial regrade was discarded; the grades are unchanged.\n";
        return 128 + InterruptGuard::signal();
    }
    print_diff(regrade_diff(book, batch_id), out);
    for (const std::string& n : notes) out << "  " << n << "\n";
    if (tally.system_errors)
        out << tally.system_errors
            << " submission(s) hit a system error; applying leaves their grades as they are.\n";
    if (o.action == RegradeAction::Apply) {
        book.apply_regrade(batch_id);
        out << "Applied: these are now the current grades (the previous ones stay in the "
               "history).\n";
    } else {
        out << "Nothing is applied yet: `grader regrade --apply` makes these the current grades, "
               "`grader regrade --discard` drops them.\n";
    }
    return tally.system_errors ? 1 : 0;
}

}  // namespace grader::batch
