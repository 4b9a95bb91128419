#include "grader/grading/grade.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "grader/compare/tolerance.hpp"
#include "grader/grading/check_eval.hpp"
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

Verdict verdict_of(Status s) {
    switch (s) {
        case Status::Ok:
            return Verdict::Pass;
        case Status::Missing:
            return Verdict::Missing;
        case Status::Crash:
            return Verdict::Crash;
        case Status::Timeout:
            return Verdict::Timeout;
        case Status::Memory:
            return Verdict::Memory;
        case Status::Overflow:
            return Verdict::Overflow;
        case Status::Forbidden:
            return Verdict::Forbidden;
        case Status::Error:
            return Verdict::Error;
    }
    return Verdict::Error;
}

// How one instance of a case went.
struct Outcome {
    Verdict verdict = Verdict::Pass;
    std::string message;
    std::optional<result::Mismatch> mismatch;
};

std::string failure_message(const std::string& function, const sandbox::CallResult& r) {
    switch (r.status) {
        case Status::Missing:
            return function + " is not exported by the library" +
                   (r.detail.empty() ? "" : ": " + r.detail);
        case Status::Crash:
            return function + " crashed: " + r.detail;
        case Status::Timeout:
            return function + " " + (r.detail.empty() ? "ran out of time" : r.detail);
        case Status::Memory:
            return function + " " + (r.detail.empty() ? "ran out of memory" : r.detail);
        case Status::Overflow:
            return function + " " +
                   (r.detail.empty() ? "wrote past the end of an output" : r.detail);
        case Status::Forbidden:
            return function + " was stopped by the sandbox: " + r.detail;
        case Status::Error:
            return function + ": no result could be had: " + r.detail;
        case Status::Ok:
            break;
    }
    return "";
}

// Compares one value call with its expected outputs: the return value first, then each output.
Outcome compare_call(const abi::Signature& sig, const PreparedCall& pc,
                     const sandbox::CallResult& got, const compare::Tolerance& tol) {
    Outcome o;
    auto wrong = [&](const std::string& output, std::optional<std::size_t> index, double expected,
                     double value, const compare::ScalarMatch& m) {
        o.verdict = Verdict::Wrong;
        result::Mismatch mm{output,      index,       expected, value,
                            m.abs_error, m.rel_error, tol.rtol, tol.atol};
        const std::string where = index ? fmt::format("{}[{}]", output, *index) : output;
        // The mismatch carries the numbers; the message says what is wrong in words.
        if (std::isnan(value) && !std::isnan(expected))
            o.message = fmt::format("{} is NaN{}", where,
                                    output == "return value" ? "" : " (was it written?)");
        else
            o.message = fmt::format("{} is outside the tolerance", where);
        o.mismatch = mm;
    };
    if (sig.result != abi::Scalar::Void) {
        const double value = to_double(got.result, sig.result);
        const compare::ScalarMatch m = compare::match(value, pc.expected.result, tol);
        if (!m.ok) {
            wrong("return value", std::nullopt, pc.expected.result, value, m);
            return o;
        }
    }
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        if (!sig.params[i].is_output()) continue;
        const std::vector<double>& expected = pc.expected.arrays[i];
        const std::vector<double>& value =
            i < got.outputs.size() ? got.outputs[i] : std::vector<double>{};
        const compare::VectorMatch m = compare::match(value, expected, tol);
        if (m.ok) continue;
        if (m.length_mismatch) {
            o.verdict = Verdict::Error;
            o.message = fmt::format("output {} came back with {} values instead of {}",
                                    sig.params[i].name, value.size(), expected.size());
            return o;
        }
        const std::size_t k = *m.worst;
        wrong(sig.params[i].name,
              expected.size() == 1 ? std::nullopt : std::optional<std::size_t>(k), expected[k],
              value[k], m.at_worst);
        return o;
    }
    return o;
}

using Env = std::map<std::string, std::vector<double>, std::less<>>;

// Evaluates a property's checks over the student's values (for its own functions) and the
// reference's (for the others).
Outcome check_property(const Prepared& prepared, const PreparedCase& pc, const Instance& inst,
                       const std::vector<const sandbox::CallResult*>& results) {
    Outcome o;
    Env env;
    for (const auto& [name, values] : inst.inputs) env[name] = values;
    for (std::size_t k = 0; k < inst.calls.size(); ++k) {
        const PreparedCall& call = inst.calls[k];
        const abi::Signature& sig = prepared.functions.at(call.call.function);
        double value = call.expected.result;
        const std::vector<std::vector<double>>* arrays = &call.expected.arrays;
        if (call.student) {
            value = to_double(results[k]->result, sig.result);
            arrays = &results[k]->outputs;
        }
        std::vector<std::size_t> outs;
        for (std::size_t i = 0; i < sig.params.size(); ++i)
            if (sig.params[i].is_output()) {
                outs.push_back(i);
                env[call.name + "." + sig.params[i].name] =
                    i < arrays->size() ? (*arrays)[i] : std::vector<double>{};
            }
        if (sig.result != abi::Scalar::Void)
            env[call.name] = {value};
        else if (outs.size() == 1)
            env[call.name] = env[call.name + "." + sig.params[outs[0]].name];
    }
    auto lookup = [&](std::string_view n) -> std::optional<spec::Value> {
        const auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
    };
    for (const spec::Check& check : pc.checks) {
        if (auto why = failed_check(check, lookup, pc.tolerance)) {
            o.verdict = Verdict::Wrong;
            o.message = *why;
            return o;
        }
    }
    return o;
}

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
            return "wrote past the end of an output";
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
    for (std::size_t e = 0; e < prepared.exercises.size(); ++e) {
        const PreparedExercise& ex = prepared.exercises[e];
        results[e].resize(ex.cases.size());
        for (std::size_t c = 0; c < ex.cases.size(); ++c) {
            const PreparedCase& pc = ex.cases[c];
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
            if (hidden)
                output.hidden_bytes += batch.printed_bytes;
            else
                output.text +=
                    batch.printed.substr(0, kOutputCap - std::min(kOutputCap, output.text.size()));
        }
    }
    return results;
}

// How one instance went: the first call that did not return, else the comparison or checks.
Outcome grade_instance(const Prepared& prepared, const PreparedCase& pc, const Instance& inst,
                       const CallResults& got) {
    std::vector<const sandbox::CallResult*> ptrs;
    for (std::size_t k = 0; k < inst.calls.size(); ++k) {
        ptrs.push_back(&got[k]);
        if (inst.calls[k].student && got[k].status != Status::Ok) {
            Outcome o;
            o.verdict = verdict_of(got[k].status);
            o.message =
                failure_message(prepared.functions.at(inst.calls[k].call.function).name, got[k]);
            return o;
        }
    }
    if (pc.property) return check_property(prepared, pc, inst, ptrs);
    return compare_call(prepared.functions.at(inst.calls[0].call.function), inst.calls[0], got[0],
                        pc.tolerance);
}

result::NamedValues kept(std::string name, const std::vector<double>& values) {
    result::NamedValues v{std::move(name), {}, values.size()};
    v.values.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                         values.size(), result::kKeptValues)));
    return v;
}

// What the student's calls of one instance returned, and what the reference returned for the
// same calls, by name: "return value" and the outputs for a value case; "K", "F.mu" in a property.
void keep_values(const Prepared& prepared, const PreparedCase& pc, const Instance& inst,
                 const CallResults& got, result::CaseResult& cr) {
    for (std::size_t k = 0; k < inst.calls.size(); ++k) {
        const PreparedCall& call = inst.calls[k];
        if (!call.student || got[k].status != Status::Ok) continue;
        const abi::Signature& sig = prepared.functions.at(call.call.function);
        const std::string prefix = pc.property ? call.name : "";
        if (sig.result != abi::Scalar::Void) {
            const std::string name = pc.property ? call.name : "return value";
            cr.returned.push_back(kept(name, {to_double(got[k].result, sig.result)}));
            cr.expected.push_back(kept(name, {call.expected.result}));
        }
        for (std::size_t i = 0; i < sig.params.size(); ++i) {
            if (!sig.params[i].is_output()) continue;
            const std::string name =
                pc.property ? call.name + "." + sig.params[i].name : sig.params[i].name;
            cr.returned.push_back(
                kept(name, i < got[k].outputs.size() ? got[k].outputs[i] : std::vector<double>{}));
            cr.expected.push_back(kept(name, call.expected.arrays[i]));
        }
    }
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

result::CaseResult grade_case(const Prepared& prepared, const PreparedCase& pc,
                              const std::vector<CallResults>& got) {
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
        const Outcome o = grade_instance(prepared, pc, pc.instances[i], got[i]);
        if (o.verdict == Verdict::Pass) continue;
        if (++cr.failed_instances > 1) continue;
        // The first failing instance is the one reported.
        cr.verdict = o.verdict;
        if (o.verdict == Verdict::Wrong) keep_values(prepared, pc, pc.instances[i], got[i], cr);
        if (pc.hidden) {
            cr.message = o.verdict == Verdict::Missing ? o.message : hidden_message(o.verdict);
        } else {
            cr.message = o.message;
            cr.mismatch = o.mismatch;
            // A missing function has nothing to learn from the inputs.
            if (o.verdict != Verdict::Missing) cr.inputs = pc.instances[i].shown_inputs;
        }
    }
    if (cr.verdict == Verdict::Pass) cr.points = cr.max_points;
    cr.fingerprint = fingerprint(prepared, pc, got);
    return cr;
}

// Value cases first, then properties: a property scores only if the functions it calls pass
// their own value cases, so that `return 0` cannot collect Gibbs or Pinsker points.
result::ExerciseResult grade_exercise(const Prepared& prepared, const PreparedExercise& ex,
                                      const std::vector<std::vector<CallResults>>& got) {
    result::ExerciseResult er;
    er.id = ex.id;
    er.title = ex.title;
    std::set<std::string> failing;
    for (const bool properties : {false, true}) {
        for (std::size_t c = 0; c < ex.cases.size(); ++c) {
            const PreparedCase& pc = ex.cases[c];
            if (pc.property != properties) continue;
            result::CaseResult cr = grade_case(prepared, pc, got[c]);
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
        }
    }
    return er;
}

}  // namespace

result::Result grade(const Prepared& prepared, sandbox::Runner& runner,
                     const std::string& submission) {
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

    const Results results = run_student_calls(prepared, runner, load, r.output);
    for (std::size_t e = 0; e < prepared.exercises.size(); ++e)
        r.exercises.push_back(grade_exercise(prepared, prepared.exercises[e], results[e]));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
}

}  // namespace grader::grading
