// Writing the public bundle; reading it is bundle_read.cpp.

#include "grader/grading/bundle.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "grader/abi/element.hpp"
#include "grader/elf/glibc_needs.hpp"

namespace grader::grading {

namespace {

using nlohmann::json;

// JSON has no NaN or infinity; they travel as strings.
json number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return v;
}

json numbers(const std::vector<double>& v) {
    json a = json::array();
    for (double x : v) a.push_back(number(x));
    return a;
}

json call_to_json(const PreparedCall& c, const abi::Signature& sig) {
    json args = json::array();
    for (std::size_t i = 0; i < c.call.args.size(); ++i) {
        const sandbox::Arg& a = c.call.args[i];
        switch (a.kind) {
            case sandbox::Arg::Kind::Scalar:
                if (!abi::is_integer(sig.params[i].type))
                    args.push_back(
                        {{"scalar", number(abi::double_of(a.scalar, sig.params[i].type))}});
                else if (sig.params[i].type == abi::Scalar::SizeT ||
                         sig.params[i].type == abi::Scalar::UInt64)
                    args.push_back({{"integer", a.scalar.i}});
                else
                    args.push_back({{"integer", static_cast<std::int64_t>(abi::double_of(
                                                    a.scalar, sig.params[i].type))}});
                break;
            case sandbox::Arg::Kind::Input:
                args.push_back({{"input", numbers(a.values)}});
                break;
            case sandbox::Arg::Kind::Output:
                args.push_back({{"output", a.length}});
                break;
        }
    }
    json outputs = json::array();
    for (const auto& o : c.expected.arrays) outputs.push_back(numbers(o));
    return {{"name", c.name},
            {"function", sig.name},
            {"student", c.student},
            {"time_limit", c.call.time_limit_seconds},
            {"memory_bytes", c.call.memory_bytes},
            {"args", args},
            {"expected", {{"result", number(c.expected.result)}, {"outputs", outputs}}}};
}

}  // namespace

void write_bundle(const Prepared& prepared, std::ostream& out, const std::string& public_spec) {
    json functions = json::array();
    for (const abi::Signature& s : prepared.functions) functions.push_back(abi::to_c(s));
    json exercises = json::array();
    for (const PreparedExercise& ex : prepared.exercises) {
        json cases = json::array();
        for (const PreparedCase& c : ex.cases) {
            if (c.hidden) continue;
            json instances = json::array();
            for (const Instance& inst : c.instances) {
                json calls = json::array();
                for (const PreparedCall& call : inst.calls)
                    calls.push_back(call_to_json(call, prepared.functions.at(call.call.function)));
                // A value case's inputs are its call's arguments already.
                json inputs = json::array();
                if (c.property)
                    for (const auto& [name, values] : inst.inputs)
                        inputs.push_back({{"name", name}, {"values", numbers(values)}});
                instances.push_back(
                    {{"calls", calls}, {"shown_inputs", inst.shown_inputs}, {"inputs", inputs}});
            }
            json checks = json::array();
            for (const spec::Check& k : c.checks) checks.push_back(k.text);
            json one = {{"id", c.id},
                        {"property", c.property},
                        {"points", c.points},
                        {"functions", c.functions},
                        {"rtol", c.tolerance.rtol},
                        {"atol", c.tolerance.atol},
                        {"time_limit", c.time_limit},
                        {"memory_limit_mb", c.memory_limit_mb},
                        {"hint", c.hint},
                        {"checks", checks},
                        {"instances", instances}};
            // Only where there are lets: a bundle of a spec without them reads as before.
            if (!c.lets.empty()) {
                json lets = json::array();
                for (const spec::Let& l : c.lets)
                    lets.push_back({{"name", l.name}, {"expr", l.text}});
                one["lets"] = lets;
            }
            cases.push_back(std::move(one));
        }
        exercises.push_back({{"id", ex.id}, {"title", ex.title}, {"cases", cases}});
    }
    // The bundle is written where the course grades (or in its image): its glibc is the newest
    // a submission may need.
    json doc = {{"kl_grader_bundle", kBundleVersion},
                {"title", prepared.title},
                {"grading_glibc", elf::this_glibc_version()},
                {"functions", functions},
                {"exercises", exercises}};
    if (!public_spec.empty()) doc["spec"] = public_spec;
    out << doc.dump() << "\n";
}

}  // namespace grader::grading
