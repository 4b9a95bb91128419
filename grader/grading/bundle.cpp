#include "grader/grading/bundle.hpp"

#include <cmath>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "grader/error.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::grading {

namespace {

using nlohmann::json;

// JSON has no NaN or infinity; they travel as strings.
json number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return v;
}

double number_from(const json& j) {
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
        if (s == "inf") return std::numeric_limits<double>::infinity();
        if (s == "-inf") return -std::numeric_limits<double>::infinity();
        throw Error("\"" + s + "\" is not a number");
    }
    return j.get<double>();
}

json numbers(const std::vector<double>& v) {
    json a = json::array();
    for (double x : v) a.push_back(number(x));
    return a;
}

std::vector<double> numbers_from(const json& j) {
    std::vector<double> out;
    for (const json& x : j) out.push_back(number_from(x));
    return out;
}

json call_to_json(const PreparedCall& c, const abi::Signature& sig) {
    json args = json::array();
    for (std::size_t i = 0; i < c.call.args.size(); ++i) {
        const sandbox::Arg& a = c.call.args[i];
        switch (a.kind) {
            case sandbox::Arg::Kind::Scalar:
                if (sig.params[i].type == abi::Scalar::Double)
                    args.push_back({{"scalar", number(a.scalar.f)}});
                else
                    args.push_back({{"integer", a.scalar.i}});
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

PreparedCall call_from_json(const json& j, const Prepared& p) {
    PreparedCall c;
    c.name = j.at("name").get<std::string>();
    const int f = p.function_index(j.at("function").get<std::string>());
    if (f < 0) throw Error("unknown function " + j.at("function").get<std::string>());
    const abi::Signature& sig = p.functions[static_cast<std::size_t>(f)];
    c.call.function = static_cast<std::size_t>(f);
    c.student = j.at("student").get<bool>();
    c.call.time_limit_seconds = j.at("time_limit").get<double>();
    c.call.memory_bytes = j.at("memory_bytes").get<std::uint64_t>();
    const json& args = j.at("args");
    if (args.size() != sig.params.size())
        throw Error("a call to " + sig.name + " has the wrong number of arguments");
    for (const json& a : args) {
        sandbox::Arg arg;
        if (a.contains("scalar")) {
            arg.scalar.f = number_from(a.at("scalar"));
        } else if (a.contains("integer")) {
            arg.scalar.i = a.at("integer").get<std::int64_t>();
        } else if (a.contains("input")) {
            arg.kind = sandbox::Arg::Kind::Input;
            arg.values = numbers_from(a.at("input"));
        } else {
            arg.kind = sandbox::Arg::Kind::Output;
            arg.length = a.at("output").get<std::size_t>();
        }
        c.call.args.push_back(std::move(arg));
    }
    c.expected.result = number_from(j.at("expected").at("result"));
    for (const json& o : j.at("expected").at("outputs"))
        c.expected.arrays.push_back(numbers_from(o));
    return c;
}

}  // namespace

void write_bundle(const Prepared& prepared, std::ostream& out) {
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
            cases.push_back({{"id", c.id},
                             {"property", c.property},
                             {"points", c.points},
                             {"functions", c.functions},
                             {"rtol", c.tolerance.rtol},
                             {"atol", c.tolerance.atol},
                             {"time_limit", c.time_limit},
                             {"memory_limit_mb", c.memory_limit_mb},
                             {"hint", c.hint},
                             {"checks", checks},
                             {"instances", instances}});
        }
        exercises.push_back({{"id", ex.id}, {"title", ex.title}, {"cases", cases}});
    }
    const json doc = {{"kl_grader_bundle", kBundleVersion},
                      {"title", prepared.title},
                      {"functions", functions},
                      {"exercises", exercises}};
    out << doc.dump() << "\n";
}

Prepared read_bundle(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read the bundle " + path + ": no such file, or it is not readable");
    try {
        const json doc = json::parse(in);
        if (!doc.is_object() || !doc.contains("kl_grader_bundle"))
            throw Error(
                "it is not a case bundle (no \"kl_grader_bundle\" key); make one with `grader "
                "bundle`");
        if (doc.at("kl_grader_bundle").get<int>() != kBundleVersion)
            throw Error(
                "it is a bundle of another version; remake it with this grader's `grader bundle`");
        Prepared p;
        p.source = path;
        p.source_sha256 = hash::sha256_file(path);
        p.title = doc.at("title").get<std::string>();
        for (const json& f : doc.at("functions")) {
            try {
                p.functions.push_back(abi::parse_prototype(f.get<std::string>()));
            } catch (const abi::ParseError& e) {
                throw Error("prototype \"" + f.get<std::string>() + "\": " + e.message);
            }
        }
        for (const json& e : doc.at("exercises")) {
            PreparedExercise ex;
            ex.id = e.at("id").get<std::string>();
            ex.title = e.at("title").get<std::string>();
            for (const json& c : e.at("cases")) {
                PreparedCase pc;
                pc.id = c.at("id").get<std::string>();
                pc.property = c.at("property").get<bool>();
                pc.points = c.at("points").get<int>();
                pc.functions = c.at("functions").get<std::vector<std::string>>();
                pc.tolerance = {c.at("rtol").get<double>(), c.at("atol").get<double>()};
                pc.time_limit = c.at("time_limit").get<double>();
                pc.memory_limit_mb = c.at("memory_limit_mb").get<double>();
                pc.hint = c.at("hint").get<std::string>();
                for (const json& k : c.at("checks")) {
                    try {
                        pc.checks.push_back(spec::parse_check(k.get<std::string>()));
                    } catch (const spec::ExprError& err) {
                        throw Error("check \"" + k.get<std::string>() + "\": " + err.message);
                    }
                }
                for (const json& i : c.at("instances")) {
                    Instance inst;
                    for (const json& call : i.at("calls"))
                        inst.calls.push_back(call_from_json(call, p));
                    inst.shown_inputs = i.at("shown_inputs").get<std::vector<std::string>>();
                    for (const json& in_ : i.at("inputs"))
                        inst.inputs.emplace_back(in_.at("name").get<std::string>(),
                                                 numbers_from(in_.at("values")));
                    pc.instances.push_back(std::move(inst));
                }
                ex.cases.push_back(std::move(pc));
            }
            p.exercises.push_back(std::move(ex));
        }
        return p;
    } catch (const Error& e) {
        throw Error("the bundle " + path + " cannot be used: " + e.what());
    } catch (const json::exception& e) {
        throw Error("the bundle " + path + " is damaged or not a bundle: " + e.what());
    }
}

}  // namespace grader::grading
