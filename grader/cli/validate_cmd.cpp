// `grader validate`: proves the spec and the reference agree. The reference must meet every
// literal figure and every property of the spec, be deterministic, and every case's inputs must
// satisfy its function's contract.

#include <cmath>
#include <cstring>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "grader/abi/element.hpp"
#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/compare/tolerance.hpp"
#include "grader/error.hpp"
#include "grader/grading/check_eval.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/reference_runner.hpp"

namespace grader::cli {

namespace {

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

bool same_outputs(const grading::Outputs& a, const grading::Outputs& b) {
    if (!same_bits(a.result, b.result) || a.arrays.size() != b.arrays.size()) return false;
    for (std::size_t i = 0; i < a.arrays.size(); ++i) {
        if (a.arrays[i].size() != b.arrays[i].size()) return false;
        for (std::size_t k = 0; k < a.arrays[i].size(); ++k)
            if (!same_bits(a.arrays[i][k], b.arrays[i][k])) return false;
    }
    return true;
}

int run_validate(const SpecOptions& options) {
    if (is_bundle(options.spec))
        throw Error("validate needs exercises.yaml and the reference, not a bundle");
    grading::PrepareOptions all;
    Loaded loaded = load_cases(options, all);
    const spec::Spec& spec = *loaded.spec;
    const grading::Prepared& prepared = loaded.prepared;
    std::vector<std::string> problems;
    auto problem = [&](const SourceLocation& where, const std::string& what) {
        problems.push_back(fmt::format("{}:{}: {}", where.file, where.line, what));
    };

    // 1. Literal figures: the reference must reproduce every independent number in the spec.
    std::size_t literals = 0;
    for (std::size_t e = 0; e < spec.exercises.size(); ++e) {
        const spec::Exercise& ex = spec.exercises[e];
        for (const spec::ValueCase& c : ex.cases) {
            if (c.expect.empty()) continue;
            const grading::PreparedCase* pc = nullptr;
            for (const auto& x : prepared.exercises[e].cases)
                if (x.id == c.id && !x.property) pc = &x;
            const grading::PreparedCall& call = pc->instances.at(0).calls.at(0);
            const spec::Function& f = *spec.function(c.function);
            const compare::Tolerance tol = spec::tolerance_of(spec, ex, c.settings);
            if (c.expect.result) {
                ++literals;
                const auto m = compare::match(
                    call.expected.result, c.expect.result->at(0),
                    compare::for_precision(tol, abi::precision_of(f.signature.result)));
                if (!m.ok)
                    problem(
                        c.expect.where,
                        fmt::format(
                            "case \"{}\": the reference's {} returns {}, but the spec expects {}",
                            c.id, f.name, call.expected.result, c.expect.result->at(0)));
            }
            for (const auto& [name, values] : c.expect.outputs) {
                ++literals;
                const std::size_t i = static_cast<std::size_t>(f.signature.find(name));
                const auto m = compare::match(
                    call.expected.arrays.at(i), values,
                    compare::for_precision(tol, abi::precision_of(f.signature.params[i].type)));
                if (!m.ok)
                    problem(c.expect.where,
                            fmt::format("case \"{}\": the reference's output {} differs from the "
                                        "spec's figures{}",
                                        c.id, name,
                                        m.worst ? fmt::format(" at index {}", *m.worst) : ""));
            }
        }
    }

    // 2. Contracts: each case's inputs satisfy its function's requirements.
    std::size_t contract_checks = 0;
    const compare::Tolerance contract_tol{0, 1e-12};
    for (const auto& ex : prepared.exercises)
        for (const auto& c : ex.cases)
            for (const auto& inst : c.instances)
                for (const auto& call : inst.calls) {
                    const spec::Function& f = spec.functions.at(call.call.function);
                    std::map<std::string, std::vector<double>, std::less<>> env;
                    for (std::size_t i = 0; i < f.signature.params.size(); ++i) {
                        const auto& a = call.call.args[i];
                        if (a.kind == sandbox::Arg::Kind::Input)
                            env[f.signature.params[i].name] = a.values;
                        if (a.kind == sandbox::Arg::Kind::Scalar)
                            env[f.signature.params[i].name] = {
                                grading::to_double(a.scalar, f.signature.params[i].type)};
                    }
                    const spec::Lookup lookup =
                        [&](std::string_view n) -> std::optional<spec::Value> {
                        const auto it = env.find(n);
                        if (it == env.end()) return std::nullopt;
                        return it->second;
                    };
                    for (const spec::Check& req : f.requires_) {
                        ++contract_checks;
                        if (auto why = grading::failed_check(req, lookup, contract_tol))
                            problem(
                                f.where,
                                fmt::format("{} \"{}\": a call to {} breaks its contract: {}",
                                            c.property ? "property" : "case", c.id, f.name, *why));
                    }
                }

    // 3. The reference passes its own spec, properties included.
    grading::ReferenceRunner runner(*loaded.reference, prepared.functions.size());
    const result::Result graded = grading::grade(prepared, runner, loaded.reference->path());
    for (const auto& ex : graded.exercises)
        for (const auto& c : ex.cases)
            if (c.verdict != result::Verdict::Pass)
                problems.push_back(fmt::format("{}: {} \"{}\" of {} fails on the reference: {}",
                                               spec.path, c.property ? "property" : "case", c.id,
                                               ex.id, c.message));

    // 4. Determinism: a second preparation gives bit-identical inputs and expected values.
    const grading::Prepared again = grading::prepare(spec, *loaded.reference, all);
    std::size_t calls = 0;
    for (std::size_t e = 0; e < prepared.exercises.size(); ++e)
        for (std::size_t c = 0; c < prepared.exercises[e].cases.size(); ++c) {
            const auto& a = prepared.exercises[e].cases[c];
            const auto& b = again.exercises[e].cases[c];
            for (std::size_t i = 0; i < a.instances.size(); ++i)
                for (std::size_t k = 0; k < a.instances[i].calls.size(); ++k) {
                    ++calls;
                    if (!same_outputs(a.instances[i].calls[k].expected,
                                      b.instances[i].calls[k].expected)) {
                        problems.push_back(
                            fmt::format("{}: case \"{}\" of {}: the reference gives different "
                                        "results on a second run; "
                                        "the expected values would not be stable",
                                        spec.path, a.id, prepared.exercises[e].id));
                        i = a.instances.size();
                        break;
                    }
                }
        }

    for (const std::string& p : problems) std::cout << p << "\n";
    std::cout << fmt::format(
        "{}: {} exercises, {} cases and properties, {} reference calls; {} literal figures, {} "
        "contract checks: {}\n",
        spec.path, prepared.exercises.size(), graded.case_count(), calls, literals, contract_checks,
        problems.empty() ? "valid" : fmt::format("{} problems", problems.size()));
    return problems.empty() ? kExitFullMarks : kExitShort;
}

}  // namespace

void setup_validate(CLI::App& app, int& status) {
    auto o = std::make_shared<SpecOptions>();
    CLI::App* sub =
        app.add_subcommand("validate", "Check the spec and prove the reference passes it");
    add_spec_option(*sub, o->spec, "The exercise spec");
    add_reference_option(*sub, *o);
    sub->callback([o, &status] {
        o->spec = resolve_spec(o->spec);
        status = run_validate(*o);
    });
}

}  // namespace grader::cli
