#include "grader/grading/grade.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "grader/compare/tolerance.hpp"
#include "grader/feedback/whole_inputs.hpp"
#include "grader/grading/diagnose.hpp"
#include "grader/grading/outcome.hpp"
#include "grader/grading/shrink_case.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::grading {

namespace {

using result::Verdict;
using sandbox::Status;

// Calls sent to the worker per batch: large enough that the per-message cost vanishes, small
// enough that a crash re-runs little.
constexpr std::size_t kBatchSize = 512;

// What a submission prints is kept up to this much in all (the rest is only counted): enough
// to debug with, too little to bury the report.
constexpr std::size_t kOutputCap = 64 * 1024;
// Past the runner's output budget the rest is discarded unread: the kept text must come first.
static_assert(sandbox::Limits{}.output_budget >= kOutputCap);

// A hidden case tells only the kind of failure; the report adds that it is hidden.
std::string hidden_message(Verdict v) {
    switch (v) {
        case Verdict::Wrong:
            return "wrong value";
        case Verdict::Missing:
            return "the function is not exported";
        case Verdict::Crash:
            return "crashed";
        case Verdict::Timeout:
            return "ran out of time";
        case Verdict::Memory:
            return "ran out of memory";
        case Verdict::Overflow:
            return "wrote outside an array";
        case Verdict::Forbidden:
            return "made a system call the sandbox forbids";
        case Verdict::Error:
            return "no result could be had";
        case Verdict::Pass:
            break;
    }
    return "";
}

// The student's results, in the shape of the prepared cases: [exercise][case][instance][call].
using CallResults = std::vector<sandbox::CallResult>;
using Results = std::vector<std::vector<std::vector<CallResults>>>;

// Runs every student call of every case. Calls that cannot run (nothing loaded, a missing
// function) are settled here without the runner. Public and hidden calls go in separate
// batches, so what the student prints while hidden cases run can be counted without being shown.
Results run_student_calls(const Prepared& prepared, sandbox::Runner& runner,
                          const sandbox::LoadResult& load, result::Output& output) {
    struct Slot {
        std::size_t ex, cs, inst, call;
    };
    Results results(prepared.exercises.size());
    std::vector<Slot> slots[2];
    std::vector<sandbox::Call> calls[2];
    std::uint32_t group = 0;  // one per case: its inputs stop at the first that fails on its own
    for (std::size_t e = 0; e < prepared.exercises.size(); ++e) {
        const PreparedExercise& ex = prepared.exercises[e];
        results[e].resize(ex.cases.size());
        for (std::size_t c = 0; c < ex.cases.size(); ++c) {
            const PreparedCase& pc = ex.cases[c];
            ++group;
            results[e][c].resize(pc.instances.size());
            for (std::size_t i = 0; i < pc.instances.size(); ++i) {
                const Instance& inst = pc.instances[i];
                results[e][c][i].resize(inst.calls.size());
                for (std::size_t k = 0; k < inst.calls.size(); ++k) {
                    const PreparedCall& call = inst.calls[k];
                    if (!call.student) continue;
                    sandbox::CallResult& slot = results[e][c][i][k];
                    const std::size_t f = call.call.function;
                    if (load.error) {
                        slot.status = Status::Error;
                        slot.detail = "not run: the library could not be loaded";
                    } else if (f >= load.present.size() || !load.present[f]) {
                        slot.status = Status::Missing;
                        slot.detail = f < load.hints.size() ? load.hints[f] : "";
                    } else {
                        slots[pc.hidden].push_back({e, c, i, k});
                        calls[pc.hidden].push_back(call.call);
                        calls[pc.hidden].back().group = group;
                    }
                }
            }
        }
    }
    for (int hidden = 0; hidden < 2; ++hidden) {
        for (std::size_t start = 0; start < calls[hidden].size(); start += kBatchSize) {
            const std::size_t count = std::min(kBatchSize, calls[hidden].size() - start);
            sandbox::BatchResult batch =
                runner.run(std::span<const sandbox::Call>(calls[hidden]).subspan(start, count));
            for (std::size_t j = 0; j < count; ++j) {
                const Slot& s = slots[hidden][start + j];
                sandbox::CallResult& slot = results[s.ex][s.cs][s.inst][s.call];
                if (j < batch.calls.size()) {
                    slot = std::move(batch.calls[j]);
                } else {
                    slot.status = Status::Error;
                    slot.detail = "the worker returned too few results";
                }
            }
            output.bytes += batch.printed_bytes;
            output.discarded = output.discarded || batch.printed_discarded;
            if (hidden)
                output.hidden_bytes += batch.printed_bytes;
            else
                output.text +=
                    batch.printed.substr(0, kOutputCap - std::min(kOutputCap, output.text.size()));
        }
    }
    return results;
}

// A hash of the bits of every value the student's calls returned, over all instances; empty
// when a call did not return (there is no answer to compare).
std::string fingerprint(const Prepared& prepared, const PreparedCase& pc,
                        const std::vector<CallResults>& got) {
    hash::Sha256 h;
    auto put = [&](double v) { h.update(&v, sizeof v); };
    for (std::size_t i = 0; i < pc.instances.size(); ++i) {
        const Instance& inst = pc.instances[i];
        for (std::size_t k = 0; k < inst.calls.size(); ++k) {
            if (!inst.calls[k].student) continue;
            const sandbox::CallResult& r = got[i][k];
            if (r.status != Status::Ok) return "";
            const abi::Signature& sig = prepared.functions.at(inst.calls[k].call.function);
            if (sig.result != abi::Scalar::Void) put(to_double(r.result, sig.result));
            for (const std::vector<double>& out : r.outputs) {
                const std::uint64_t n = out.size();
                h.update(&n, sizeof n);
                h.update(out.data(), out.size() * sizeof(double));
            }
        }
    }
    // 128 bits: collisions between a class's answers are out of the question.
    return h.hex().substr(0, 32);
}

// An instance whose first unsuccessful call was never run (an earlier instance of its case
// failed in a way that costs a worker per call) is neither passed nor failed.
bool not_run(const Instance& inst, const CallResults& got) {
    for (std::size_t k = 0; k < inst.calls.size(); ++k)
        if (inst.calls[k].student && got[k].status != Status::Ok) return got[k].not_run;
    return false;
}

// Which instances of a case failed in their own right (the first is the one reported), and how
// the first did: what shrinking and diagnosis start from.
struct CaseFailure {
    std::vector<std::size_t> instances;
    Outcome first;
};

// Where a failing value case's whole input is, when the report cuts it short: --repro writes
// no program for what only the sandbox can see (grader/repro/repro_dir.cpp).
std::string whereabouts(const Prepared& prepared, const PreparedCase& pc, Verdict v) {
    const bool repro = v != Verdict::Timeout && v != Verdict::Memory && v != Verdict::Forbidden;
    const bool bundle = prepared.source.ends_with(".json");
    std::string where = repro ? "`grader grade ... --repro DIR` writes it into a C program" : "";
    if (bundle)
        where += std::string(repro ? ", and " : "") + prepared.source + " holds it under case \"" +
                 pc.id + "\"";
    return where;  // empty: nowhere a student can reach
}

result::CaseResult grade_case(const Prepared& prepared, const PreparedCase& pc,
                              const std::vector<CallResults>& got, CaseFailure& failure) {
    result::CaseResult cr;
    cr.id = pc.id;
    cr.property = pc.property;
    cr.hidden = pc.hidden;
    cr.max_points = pc.points;
    cr.hint = pc.hint;
    cr.instances = pc.instances.size();
    for (std::size_t k = 0; k < pc.functions.size(); ++k)
        cr.function += (k ? ", " : "") + pc.functions[k];
    for (std::size_t i = 0; i < pc.instances.size(); ++i) {
        for (const sandbox::CallResult& r : got[i]) cr.seconds += r.wall_seconds;
        if (not_run(pc.instances[i], got[i])) {
            ++cr.not_run_instances;
            continue;
        }
        const Outcome o = grade_instance(prepared, pc, pc.instances[i], got[i]);
        if (o.verdict == Verdict::Pass) continue;
        failure.instances.push_back(i);
        if (++cr.failed_instances > 1) continue;
        failure.first = o;
        // The first failing instance is the one reported.
        cr.verdict = o.verdict;
        if (o.verdict == Verdict::Wrong)
            collect_values(prepared, pc, pc.instances[i], got[i], result::kKeptValues, cr.returned,
                           cr.expected);
        if (pc.hidden) {
            cr.message = o.verdict == Verdict::Missing ? o.message : hidden_message(o.verdict);
        } else {
            cr.message = o.message;
            cr.mismatch = o.mismatch;
            // A missing function has nothing to learn from the inputs.
            if (o.verdict != Verdict::Missing)
                cr.inputs =
                    pc.property
                        ? pc.instances[i].shown_inputs
                        : grader::feedback::whole_inputs(
                              prepared.functions.at(pc.instances[i].calls.at(0).call.function),
                              pc.instances[i], whereabouts(prepared, pc, o.verdict));
        }
    }
    if (cr.verdict == Verdict::Pass) cr.points = cr.max_points;
    cr.fingerprint = fingerprint(prepared, pc, got);
    return cr;
}

// Value cases first, then properties: a property scores only if the functions it calls pass
// their own value cases, so that `return 0` cannot collect Gibbs or Pinsker points.
struct GradedExercise {
    result::ExerciseResult result;
    std::vector<std::size_t> case_index;  // per result case, its index in the prepared exercise
    std::vector<CaseFailure> failures;    // per result case
};

GradedExercise grade_exercise(const Prepared& prepared, const PreparedExercise& ex,
                              const std::vector<std::vector<CallResults>>& got) {
    GradedExercise graded;
    result::ExerciseResult& er = graded.result;
    er.id = ex.id;
    er.title = ex.title;
    std::set<std::string> failing;
    for (const bool properties : {false, true}) {
        for (std::size_t c = 0; c < ex.cases.size(); ++c) {
            const PreparedCase& pc = ex.cases[c];
            if (pc.property != properties) continue;
            CaseFailure failure;
            result::CaseResult cr = grade_case(prepared, pc, got[c], failure);
            if (!pc.property && cr.verdict != Verdict::Pass)
                failing.insert(pc.functions.begin(), pc.functions.end());
            if (pc.property && cr.verdict == Verdict::Pass) {
                for (const std::string& f : pc.functions) {
                    if (!failing.count(f)) continue;
                    cr.verdict = Verdict::Wrong;
                    cr.points = 0;
                    cr.message = "not scored: " + f +
                                 " fails some of its own cases; a property counts once the values "
                                 "are right";
                    break;
                }
            }
            er.cases.push_back(std::move(cr));
            graded.case_index.push_back(c);
            graded.failures.push_back(std::move(failure));
        }
    }
    return graded;
}

bool shrinkable(Verdict v) {
    // A time-out would cost its limit on every try; a missing function has no input to blame.
    return v == Verdict::Wrong || v == Verdict::Crash || v == Verdict::Overflow;
}

// After a case failed: its failing input shrunk, and what the numbers suggest.
void explain(const Prepared& prepared, const PreparedExercise& ex, const PreparedCase& pc,
             const std::vector<CallResults>& got, const CaseFailure& failure,
             const Feedback& feedback, sandbox::Runner& runner,
             std::chrono::steady_clock::time_point deadline, result::CaseResult& cr) {
    using Clock = std::chrono::steady_clock;
    const Instance& failing = pc.instances[failure.instances.front()];
    std::optional<ShrinkFound> found;
    const spec::Exercise* sx = feedback.spec ? feedback.spec->exercise(ex.id) : nullptr;
    if (sx && (feedback.reference || shrinks_without_reference(*sx, pc)) && feedback.shrink &&
        pc.random && shrinkable(failure.first.verdict) && Clock::now() < deadline) {
        const auto own = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(feedback.shrink_seconds));
        found = shrink_failure(feedback, prepared, *sx, pc, failing, failure.first, runner,
                               std::min(own, deadline));
        cr.shrunk = found->shrunk;
    }
    if (feedback.failed && !pc.hidden) {
        const bool shrunk = found && found->instance;
        feedback.failed->push_back({ex.id, &pc, shrunk ? *found->instance : failing, shrunk,
                                    failure.first.verdict,
                                    shrunk ? found->outcome.message : failure.first.message});
    }
    if (failure.first.verdict != Verdict::Wrong) return;
    std::vector<Evidence> evidence;
    // Shrunk without the reference, the smaller instance has no expected values to compare.
    if (found && found->instance && feedback.reference)
        evidence.push_back({&*found->instance, &found->got, true});
    for (std::size_t i : failure.instances) evidence.push_back({&pc.instances[i], &got[i], false});
    DiagnoseWith with{feedback.reference, feedback.spec, nullptr};
    if (Clock::now() < deadline) with.runner = &runner;
    cr.diagnoses = diagnose(prepared, pc, evidence, with);
}

}  // namespace

result::Result grade(const Prepared& prepared, sandbox::Runner& runner,
                     const std::string& submission, const Feedback& feedback) {
    const auto started = std::chrono::steady_clock::now();
    result::Result r;
    r.submission = submission;
    r.spec = prepared.source;
    r.spec_title = prepared.title;
    r.public_only = !prepared.has_hidden;

    const sandbox::LoadResult& load = runner.load();
    r.load_error = load.error;
    r.sandbox_layers = load.layers;
    r.sandbox_warnings = load.warnings;
    r.output.text = load.printed;
    r.output.bytes = load.printed_bytes;
    r.output.discarded = load.printed_discarded;

    const Results results = run_student_calls(prepared, runner, load, r.output);
    std::vector<GradedExercise> graded;
    for (std::size_t e = 0; e < prepared.exercises.size(); ++e)
        graded.push_back(grade_exercise(prepared, prepared.exercises[e], results[e]));
    // Verdicts and scores are settled: what follows only adds explanations.
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(feedback.total_seconds));
    for (std::size_t e = 0; e < graded.size(); ++e) {
        GradedExercise& g = graded[e];
        for (std::size_t j = 0; j < g.result.cases.size() && !load.error; ++j) {
            if (g.failures[j].instances.empty()) continue;
            const std::size_t c = g.case_index[j];
            explain(prepared, prepared.exercises[e], prepared.exercises[e].cases[c], results[e][c],
                    g.failures[j], feedback, runner, deadline, g.result.cases[j]);
        }
        r.exercises.push_back(std::move(g.result));
    }
    r.grader_version = GRADER_VERSION;
    r.spec_sha256 = prepared.source_sha256;
    r.reference_sha256 = prepared.reference_sha256;
    try {
        r.submission_sha256 = hash::sha256_file(submission);
    } catch (const Error&) {
        // Not a readable file (the load error says so); there is nothing to hash.
    }
    r.seeds.public_seed = prepared.public_seed;
    r.seeds.hidden_seed = prepared.hidden_seed;
    r.seeds.hidden_from = prepared.hidden_seed ? prepared.hidden_from : "";
    r.seeds.student = prepared.student;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
}

}  // namespace grader::grading
