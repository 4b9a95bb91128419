#include "grader/grading/outcome.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "grader/abi/element.hpp"
#include "grader/compare/tolerance.hpp"
#include "grader/grading/check_eval.hpp"

namespace grader::grading {

using result::Verdict;
using sandbox::Status;

namespace {

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
// Integers and bools exactly, floats under single-precision tolerances, doubles under the case's.
Outcome compare_call(const abi::Signature& sig, const PreparedCall& pc,
                     const sandbox::CallResult& got, const compare::Tolerance& case_tol) {
    Outcome o;
    compare::Tolerance tol = case_tol;
    abi::Scalar type = sig.result;  // of the value being compared
    auto wrong = [&](const std::string& output, std::optional<std::size_t> index, double expected,
                     double value, const compare::ScalarMatch& m) {
        o.verdict = Verdict::Wrong;
        result::Mismatch mm{output,      index,       expected, value,
                            m.abs_error, m.rel_error, tol.rtol, tol.atol};
        mm.kind = type == abi::Scalar::Bool     ? result::ValueKind::Bool
                  : type == abi::Scalar::Float  ? result::ValueKind::Float
                  : type == abi::Scalar::Double ? result::ValueKind::Double
                                                : result::ValueKind::Integer;
        const std::string where = index ? fmt::format("{}[{}]", output, *index) : output;
        // The mismatch carries the numbers; the message says what is wrong in words.
        if (std::isnan(value) && !std::isnan(expected) && abi::is_integer(type))
            o.message = fmt::format(
                "{} was never written: it still holds the {} the grader "
                "filled it with",
                where, type == abi::Scalar::Int32 ? "INT32_MIN" : "INT64_MIN");
        else if (std::isnan(value) && !std::isnan(expected))
            o.message = fmt::format("{} is NaN{}", where,
                                    output == "return value" ? "" : " (was it written?)");
        else if (abi::is_integer(type) || type == abi::Scalar::Bool)
            o.message = fmt::format("{} is not the expected value", where);  // no tolerance
        else
            o.message = fmt::format("{} is outside the tolerance", where);
        o.mismatch = mm;
    };
    if (sig.result != abi::Scalar::Void) {
        tol = compare::for_precision(case_tol, abi::precision_of(sig.result));
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
        type = sig.params[i].type;
        tol = compare::for_precision(case_tol, abi::precision_of(type));
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
    // On the student's values, as the checks are: a let over a wrong output is wrong with it.
    for (const spec::Let& let : pc.lets) {
        try {
            env[let.name] = spec::evaluate(let.expr, lookup);
        } catch (const spec::ExprError& e) {
            o.verdict = Verdict::Wrong;
            o.message =
                "`" + let.name + " = " + let.text + "` could not be evaluated: " + e.message;
            o.check = let.name + " = " + let.text;
            return o;
        }
    }
    for (const spec::Check& check : pc.checks) {
        if (auto why = failed_check(check, lookup, pc.tolerance)) {
            o.verdict = Verdict::Wrong;
            o.message = *why;
            o.check = check.text;
            return o;
        }
    }
    return o;
}

result::NamedValues kept(std::string name, const std::vector<double>& values, std::size_t cap) {
    result::NamedValues v{std::move(name), {}, values.size()};
    v.values.assign(values.begin(),
                    values.begin() + static_cast<std::ptrdiff_t>(std::min(values.size(), cap)));
    return v;
}

}  // namespace

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

Outcome grade_instance(const Prepared& prepared, const PreparedCase& pc, const Instance& inst,
                       const std::vector<sandbox::CallResult>& got) {
    std::vector<const sandbox::CallResult*> ptrs;
    for (std::size_t k = 0; k < inst.calls.size(); ++k) {
        ptrs.push_back(&got[k]);
        if (inst.calls[k].student && got[k].status != Status::Ok) {
            Outcome o;
            o.verdict = verdict_of(got[k].status);
            o.message =
                failure_message(prepared.functions.at(inst.calls[k].call.function).name, got[k]);
            o.call = inst.calls[k].name;
            return o;
        }
    }
    if (pc.property) return check_property(prepared, pc, inst, ptrs);
    return compare_call(prepared.functions.at(inst.calls[0].call.function), inst.calls[0], got[0],
                        pc.tolerance);
}

void collect_values(const Prepared& prepared, const PreparedCase& pc, const Instance& inst,
                    const std::vector<sandbox::CallResult>& got, std::size_t cap,
                    std::vector<result::NamedValues>& returned,
                    std::vector<result::NamedValues>& expected) {
    for (std::size_t k = 0; k < inst.calls.size(); ++k) {
        const PreparedCall& call = inst.calls[k];
        if (!call.student || got[k].status != Status::Ok) continue;
        const abi::Signature& sig = prepared.functions.at(call.call.function);
        if (sig.result != abi::Scalar::Void) {
            const std::string name = pc.property ? call.name : "return value";
            returned.push_back(kept(name, {to_double(got[k].result, sig.result)}, cap));
            expected.push_back(kept(name, {call.expected.result}, cap));
        }
        for (std::size_t i = 0; i < sig.params.size(); ++i) {
            if (!sig.params[i].is_output()) continue;
            const std::string name =
                pc.property ? call.name + "." + sig.params[i].name : sig.params[i].name;
            returned.push_back(kept(
                name, i < got[k].outputs.size() ? got[k].outputs[i] : std::vector<double>{}, cap));
            expected.push_back(kept(name, call.expected.arrays[i], cap));
        }
    }
}

}  // namespace grader::grading
