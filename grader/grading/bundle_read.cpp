// Reading a public bundle. A bundle is in students' hands and may have been edited by hand (or
// with intent), so it is held to every rule the spec loader enforces and to the shapes grading
// relies on: each violation is an error naming the field ("exercises[0].cases[2].points ...").

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "grader/abi/element.hpp"

#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"
#include "grader/hash/sha256.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

namespace {

using nlohmann::json;

// `grader bundle` writes 12 levels at most; anything far deeper is not a bundle.
constexpr int kMaxDepth = 32;

// Text from the bundle as messages quote it: a long one is cut.
std::string in_quotes(const std::string& s) {
    constexpr std::size_t kMax = 60;
    return "\"" + (s.size() <= kMax ? s : s.substr(0, kMax - 4) + " ...") + "\"";
}

// A value as a message shows it: scalars as written, containers by kind.
std::string shown(const json& j) {
    if (j.is_object()) return "an object";
    if (j.is_array()) return "a list";
    if (j.is_string()) return in_quotes(j.get_ref<const std::string&>());
    return j.dump();
}

std::string text_of(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

class BundleReader {
  public:
    Prepared read(const json& doc) {
        object(doc, "the bundle");
        if (!doc.contains("kl_grader_bundle"))
            throw Error(
                "it is not a case bundle (no \"kl_grader_bundle\" key); make one with `grader "
                "bundle`");
        if (whole(doc["kl_grader_bundle"], "kl_grader_bundle", 0,
                  std::numeric_limits<int>::max()) != kBundleVersion)
            throw Error(
                "it is a bundle of another version; remake it with this grader's `grader bundle`");
        keys(doc, "the bundle",
             {"kl_grader_bundle", "title", "grading_glibc", "spec", "functions", "exercises"});
        Prepared p;
        p.title = text(member(doc, "", "title"), "title");
        // Absent from bundles written before it was recorded: those are read as before.
        if (doc.contains("grading_glibc")) {
            p.grading_glibc = text(doc["grading_glibc"], "grading_glibc");
            if (p.grading_glibc.empty() || p.grading_glibc.size() > 16 ||
                p.grading_glibc.find_first_not_of("0123456789.") != std::string::npos)
                bad("grading_glibc",
                    "must be a glibc version such as \"2.36\", got " + shown(doc["grading_glibc"]));
        }
        // Checked against the cases where it is loaded (cli/common.cpp): only a spec parses it.
        if (doc.contains("spec")) p.public_spec = text(doc["spec"], "spec");
        read_functions(member(doc, "", "functions"), p);
        const json& exercises = list(member(doc, "", "exercises"), "exercises");
        std::set<std::string> ids;
        for (std::size_t e = 0; e < exercises.size(); ++e)
            p.exercises.push_back(
                read_exercise(exercises[e], "exercises[" + std::to_string(e) + "]", p, ids));
        check_ownership(p);
        return p;
    }

  private:
    [[noreturn]] static void bad(const std::string& field, const std::string& message) {
        throw Error(field + " " + message);
    }

    static void object(const json& j, const std::string& at) {
        if (!j.is_object()) bad(at, "must be an object, got " + shown(j));
    }

    static const json& member(const json& obj, const std::string& at, const char* key) {
        const std::string field = at.empty() ? key : at + "." + key;
        const auto it = obj.find(key);
        if (it == obj.end()) bad(field, "is missing");
        return *it;
    }

    static void keys(const json& obj, const std::string& at,
                     std::initializer_list<std::string_view> allowed) {
        object(obj, at);
        for (const auto& [key, value] : obj.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string known;
            for (std::string_view k : allowed)
                known += (known.empty() ? "" : ", ") + std::string(k);
            bad(at, "has an unknown key " + in_quotes(key) + "; its keys are " + known);
        }
    }

    static const json& list(const json& j, const std::string& at,
                            std::size_t most = std::numeric_limits<std::size_t>::max()) {
        if (!j.is_array()) bad(at, "must be a list, got " + shown(j));
        if (j.size() > most)
            bad(at, "has " + std::to_string(j.size()) + " entries; at most " +
                        std::to_string(most) + " are allowed");
        return j;
    }

    static std::string text(const json& j, const std::string& at) {
        if (!j.is_string()) bad(at, "must be text, got " + shown(j));
        return j.get<std::string>();
    }

    static bool flag(const json& j, const std::string& at) {
        if (!j.is_boolean()) bad(at, "must be true or false, got " + shown(j));
        return j.get<bool>();
    }

    // A whole number in [lo, hi], however JSON spelled it (1000, 1e3, 1000.0).
    static long long whole(const json& j, const std::string& at, long long lo, long long hi) {
        bool ok = false;
        long long v = 0;
        if (j.is_number_unsigned()) {
            const auto u = j.get<std::uint64_t>();
            ok = u <= static_cast<std::uint64_t>(hi);
            v = static_cast<long long>(std::min<std::uint64_t>(u, static_cast<std::uint64_t>(hi)));
        } else if (j.is_number_integer()) {
            v = j.get<std::int64_t>();
            ok = true;
        } else if (j.is_number_float()) {
            const double d = j.get<double>();
            ok = std::isfinite(d) && d == std::floor(d) && d >= static_cast<double>(lo) &&
                 d <= static_cast<double>(hi);
            if (ok) v = static_cast<long long>(d);
        }
        if (!ok || v < lo || v > hi)
            bad(at, "must be a whole number from " + std::to_string(lo) + " to " +
                        std::to_string(hi) + ", got " + shown(j));
        return v;
    }

    // A number; NaN and the infinities travel as the strings "nan", "inf", "-inf".
    static double real(const json& j, const std::string& at) {
        if (j.is_number()) return j.get<double>();
        if (j.is_string()) {
            const std::string& s = j.get_ref<const std::string&>();
            if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
            if (s == "inf") return std::numeric_limits<double>::infinity();
            if (s == "-inf") return -std::numeric_limits<double>::infinity();
        }
        bad(at, "must be a number (or \"nan\", \"inf\", \"-inf\"), got " + shown(j));
    }

    // A finite number in [lo, hi] (or (lo, hi] when `open_low`); `range` says so in words.
    static double finite(const json& j, const std::string& at, double lo, double hi, bool open_low,
                         const std::string& range) {
        const double v = j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN();
        if (!std::isfinite(v) || v < lo || v > hi || (open_low && v == lo))
            bad(at, "must be " + range + ", got " + shown(j));
        return v;
    }

    static std::vector<double> reals(const json& j, const std::string& at) {
        list(j, at, spec::kMaxListLength);
        std::vector<double> out;
        out.reserve(j.size());
        for (std::size_t i = 0; i < j.size(); ++i)
            out.push_back(real(j[i], at + "[" + std::to_string(i) + "]"));
        return out;
    }

    static std::vector<std::string> texts(const json& j, const std::string& at) {
        list(j, at);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < j.size(); ++i)
            out.push_back(text(j[i], at + "[" + std::to_string(i) + "]"));
        return out;
    }

    void read_functions(const json& j, Prepared& p) {
        list(j, "functions", spec::kMaxFunctions);
        for (std::size_t i = 0; i < j.size(); ++i) {
            const std::string at = "functions[" + std::to_string(i) + "]";
            const std::string prototype = text(j[i], at);
            abi::Signature sig;
            try {
                sig = abi::parse_prototype(prototype);
            } catch (const abi::ParseError& e) {
                bad(at, "is not a prototype the grader takes (column " +
                            std::to_string(e.column + 1) + ": " + e.message + ")");
            }
            if (!index_.emplace(sig.name, p.functions.size()).second)
                bad(at, "declares " + in_quotes(sig.name) + " a second time");
            p.functions.push_back(std::move(sig));
        }
    }

    PreparedExercise read_exercise(const json& j, const std::string& at, const Prepared& p,
                                   std::set<std::string>& ids) {
        keys(j, at, {"id", "title", "cases"});
        PreparedExercise ex;
        ex.id = text(member(j, at, "id"), at + ".id");
        if (!ids.insert(ex.id).second)
            bad(at + ".id", in_quotes(ex.id) + " is used by two exercises; ids must be unique");
        ex.title = text(member(j, at, "title"), at + ".title");
        const json& cases = list(member(j, at, "cases"), at + ".cases");
        std::set<std::string> case_ids;
        for (std::size_t c = 0; c < cases.size(); ++c)
            ex.cases.push_back(
                read_case(cases[c], at + ".cases[" + std::to_string(c) + "]", p, case_ids));
        return ex;
    }

    PreparedCase read_case(const json& j, const std::string& at, const Prepared& p,
                           std::set<std::string>& ids) {
        keys(j, at,
             {"id", "property", "points", "functions", "rtol", "atol", "time_limit",
              "memory_limit_mb", "hint", "lets", "checks", "instances"});
        PreparedCase pc;
        pc.id = text(member(j, at, "id"), at + ".id");
        if (!ids.insert(pc.id).second)
            bad(at + ".id", in_quotes(pc.id) +
                                " is used twice; case and property ids must be unique within an "
                                "exercise");
        pc.property = flag(member(j, at, "property"), at + ".property");
        pc.points =
            static_cast<int>(whole(member(j, at, "points"), at + ".points", 0, spec::kMaxPoints));
        pc.functions = texts(member(j, at, "functions"), at + ".functions");
        for (std::size_t k = 0; k < pc.functions.size(); ++k) {
            const std::string field = at + ".functions[" + std::to_string(k) + "]";
            if (!index_.count(pc.functions[k]))
                bad(field, "names " + in_quotes(pc.functions[k]) + ", which is not in functions");
            if (std::find(pc.functions.begin(), pc.functions.begin() + static_cast<long>(k),
                          pc.functions[k]) != pc.functions.begin() + static_cast<long>(k))
                bad(field, "names " + in_quotes(pc.functions[k]) + " a second time");
        }
        if (pc.functions.empty() || (!pc.property && pc.functions.size() != 1))
            bad(at + ".functions", pc.property
                                       ? "must name the student's functions the property calls"
                                       : "must name the one function the case calls");
        pc.tolerance.rtol =
            finite(member(j, at, "rtol"), at + ".rtol", 0, std::numeric_limits<double>::max(),
                   false, "a finite number >= 0");
        pc.tolerance.atol =
            finite(member(j, at, "atol"), at + ".atol", 0, std::numeric_limits<double>::max(),
                   false, "a finite number >= 0");
        pc.time_limit = finite(member(j, at, "time_limit"), at + ".time_limit", 0,
                               spec::kMaxTimeLimit, true, "in (0, 600] (seconds per call)");
        pc.memory_limit_mb =
            finite(member(j, at, "memory_limit_mb"), at + ".memory_limit_mb", spec::kMinMemoryMiB,
                   spec::kMaxMemoryMiB, false, "from 16 to 1048576 (MiB)");
        pc.hint = text(member(j, at, "hint"), at + ".hint");
        // A bundle made before lets existed has none.
        if (j.contains("lets")) read_lets(j["lets"], at + ".lets", pc);
        read_checks(member(j, at, "checks"), at + ".checks", pc);
        const json& instances = list(member(j, at, "instances"), at + ".instances",
                                     static_cast<std::size_t>(spec::kMaxRepeat));
        if (instances.empty()) bad(at + ".instances", "is empty; a case has at least one");
        for (std::size_t i = 0; i < instances.size(); ++i)
            pc.instances.push_back(
                read_instance(instances[i], at + ".instances[" + std::to_string(i) + "]", p, pc));
        return pc;
    }

    static void read_lets(const json& j, const std::string& at, PreparedCase& pc) {
        list(j, at);
        if (!pc.property && !j.empty()) bad(at, "must be empty: only a property has lets");
        for (std::size_t k = 0; k < j.size(); ++k) {
            const std::string field = at + "[" + std::to_string(k) + "]";
            keys(j[k], field, {"name", "expr"});
            spec::Let let;
            let.name = text(member(j[k], field, "name"), field + ".name");
            let.text = text(member(j[k], field, "expr"), field + ".expr");
            try {
                let.expr = spec::parse_expression(let.text);
            } catch (const spec::ExprError& e) {
                bad(field + ".expr", "is not an expression, column " +
                                         std::to_string(e.column + 1) + ": " + e.message);
            }
            pc.lets.push_back(std::move(let));
        }
    }

    static void read_checks(const json& j, const std::string& at, PreparedCase& pc) {
        list(j, at);
        if (!pc.property && !j.empty()) bad(at, "must be empty: only a property has checks");
        if (pc.property && j.empty()) bad(at, "is empty; a property has at least one check");
        bool inequality = false;
        for (std::size_t k = 0; k < j.size(); ++k) {
            const std::string field = at + "[" + std::to_string(k) + "]";
            const std::string check = text(j[k], field);
            try {
                pc.checks.push_back(spec::parse_check(check));
            } catch (const spec::ExprError& e) {
                bad(field,
                    "is not a check, column " + std::to_string(e.column + 1) + ": " + e.message);
            }
            const spec::Relation r = pc.checks.back().relation;
            inequality |= r != spec::Relation::Equal && r != spec::Relation::NotEqual;
        }
        if (inequality && pc.tolerance.atol > spec::kMaxInequalitySlack)
            bad(at, "holds an inequality, so atol may be at most 1e-9 (got " +
                        text_of(pc.tolerance.atol) +
                        "): a generous tolerance can make a false claim hold");
    }

    Instance read_instance(const json& j, const std::string& at, const Prepared& p,
                           const PreparedCase& pc) {
        keys(j, at, {"calls", "shown_inputs", "inputs"});
        Instance inst;
        inst.shown_inputs = texts(member(j, at, "shown_inputs"), at + ".shown_inputs");
        // The names checks may use: inputs, then each call and its outputs.
        std::set<std::string> known;
        const json& inputs = list(member(j, at, "inputs"), at + ".inputs");
        if (!pc.property && !inputs.empty())
            bad(at + ".inputs", "must be empty: only a property's checks use inputs by name");
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            const std::string field = at + ".inputs[" + std::to_string(k) + "]";
            keys(inputs[k], field, {"name", "values"});
            std::string name = text(member(inputs[k], field, "name"), field + ".name");
            if (known.count(name)) bad(field + ".name", in_quotes(name) + " is given twice");
            known.insert(name);
            inst.inputs.emplace_back(std::move(name),
                                     reals(member(inputs[k], field, "values"), field + ".values"));
        }
        const json& calls = list(member(j, at, "calls"), at + ".calls");
        if (pc.property ? calls.empty() : calls.size() != 1)
            bad(at + ".calls", pc.property ? "is empty; a property makes at least one call"
                                           : "must hold exactly one call");
        std::set<std::string> student_functions;
        for (std::size_t k = 0; k < calls.size(); ++k) {
            const std::string field = at + ".calls[" + std::to_string(k) + "]";
            PreparedCall call = read_call(calls[k], field, p);
            const abi::Signature& sig = p.functions[call.call.function];
            if (call.student) {
                if (std::find(pc.functions.begin(), pc.functions.end(), sig.name) ==
                    pc.functions.end())
                    bad(field + ".student",
                        "is true, but the case's functions do not list " + in_quotes(sig.name));
                student_functions.insert(sig.name);
            } else if (!pc.property) {
                bad(field + ".student", "must be true: a value case calls the student's function");
            }
            if (pc.property) {
                if (known.count(call.name))
                    bad(field + ".name",
                        in_quotes(call.name) + " is already used by an input or an earlier call");
                known.insert(call.name);
                for (const abi::Param& prm : sig.params)
                    if (prm.is_output()) known.insert(call.name + "." + prm.name);
            }
            inst.calls.push_back(std::move(call));
        }
        if (student_functions != std::set<std::string>(pc.functions.begin(), pc.functions.end()))
            bad(at + ".calls",
                "calls the student's functions other than the case's functions list");
        // Each let sees the names before it, and the checks see every let.
        for (std::size_t k = 0; k < pc.lets.size(); ++k) {
            const spec::Let& let = pc.lets[k];
            std::vector<const spec::Expr*> names;
            spec::collect_names(let.expr, names);
            for (const spec::Expr* n : names)
                if (!known.count(n->name))
                    bad(at, "has no input, call or earlier let " + in_quotes(n->name) +
                                " for let " + in_quotes(let.name));
            if (!known.insert(let.name).second)
                bad(at, "has let " + in_quotes(let.name) +
                            ", a name already used by an input, a call or an earlier let");
        }
        for (std::size_t k = 0; k < pc.checks.size(); ++k) {
            std::vector<const spec::Expr*> names;
            spec::collect_names(pc.checks[k].lhs, names);
            spec::collect_names(pc.checks[k].rhs, names);
            for (const spec::Expr* n : names)
                if (!known.count(n->name))
                    bad(at, "has no input or call " + in_quotes(n->name) + " for check " +
                                in_quotes(pc.checks[k].text));
        }
        return inst;
    }

    PreparedCall read_call(const json& j, const std::string& at, const Prepared& p) const {
        keys(j, at,
             {"name", "function", "student", "time_limit", "memory_bytes", "args", "expected"});
        PreparedCall c;
        c.name = text(member(j, at, "name"), at + ".name");
        const std::string function = text(member(j, at, "function"), at + ".function");
        const auto f = index_.find(function);
        if (f == index_.end())
            bad(at + ".function", "names " + in_quotes(function) + ", which is not in functions");
        const abi::Signature& sig = p.functions[f->second];
        c.call.function = f->second;
        c.student = flag(member(j, at, "student"), at + ".student");
        c.call.time_limit_seconds =
            finite(member(j, at, "time_limit"), at + ".time_limit", 0, spec::kMaxTimeLimit, true,
                   "in (0, 600] (seconds per call)");
        constexpr long long kMiB = 1 << 20;
        c.call.memory_bytes =
            static_cast<std::uint64_t>(whole(member(j, at, "memory_bytes"), at + ".memory_bytes",
                                             static_cast<long long>(spec::kMinMemoryMiB) * kMiB,
                                             static_cast<long long>(spec::kMaxMemoryMiB) * kMiB));
        const json& args = list(member(j, at, "args"), at + ".args");
        if (args.size() != sig.params.size())
            bad(at + ".args", "has " + std::to_string(args.size()) + " arguments, but " +
                                  in_quotes(sig.name) + " takes " +
                                  std::to_string(sig.params.size()));
        for (std::size_t i = 0; i < args.size(); ++i)
            c.call.args.push_back(
                read_arg(args[i], at + ".args[" + std::to_string(i) + "]", sig.params[i]));
        const std::string ex = at + ".expected";
        keys(member(j, at, "expected"), ex, {"result", "outputs"});
        const json& expected = j["expected"];
        c.expected.result = real(member(expected, ex, "result"), ex + ".result");
        const json& outputs = list(member(expected, ex, "outputs"), ex + ".outputs");
        if (outputs.size() != sig.params.size())
            bad(ex + ".outputs", "has " + std::to_string(outputs.size()) +
                                     " entries, one per parameter of " + in_quotes(sig.name) +
                                     ", which takes " + std::to_string(sig.params.size()));
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            const std::string field = ex + ".outputs[" + std::to_string(i) + "]";
            std::vector<double> values = reals(outputs[i], field);
            const std::size_t want = sig.params[i].is_output() ? c.call.args[i].length : 0;
            if (values.size() != want)
                bad(field,
                    "has " + std::to_string(values.size()) + " values, but " +
                        (sig.params[i].is_output()
                             ? "output '" + sig.params[i].name + "' has " + std::to_string(want)
                             : "'" + sig.params[i].name + "' is not an output"));
            c.expected.arrays.push_back(std::move(values));
        }
        return c;
    }

    static sandbox::Arg read_arg(const json& j, const std::string& at, const abi::Param& prm) {
        sandbox::Arg arg;
        const char* key = prm.is_input_array()        ? "input"
                          : prm.is_output()           ? "output"
                          : abi::is_integer(prm.type) ? "integer"
                                                      : "scalar";
        if (!j.is_object() || j.size() != 1 || !j.contains(key))
            bad(at, "must be {\"" + std::string(key) + "\": ...} for parameter '" + prm.name +
                        "', got " + (j.is_object() ? "other keys" : shown(j)));
        const json& v = j[key];
        const std::string field = at + "." + key;
        if (prm.is_input_array()) {
            arg.kind = sandbox::Arg::Kind::Input;
            arg.values = reals(v, field);
            // The worker converts to the parameter's type: only values that type holds.
            for (std::size_t k = 0; k < arg.values.size(); ++k) {
                if (const auto why = abi::out_of_range(prm.type, arg.values[k]))
                    bad(field + "[" + std::to_string(k) + "]",
                        *why + " (an element of '" + prm.name + "', " + abi::to_c(prm.type) + ")");
                arg.values[k] = abi::round_to(prm.type, arg.values[k]);
            }
        } else if (prm.is_output()) {
            arg.kind = sandbox::Arg::Kind::Output;
            arg.length = static_cast<std::size_t>(
                whole(v, field, 0, static_cast<long long>(spec::kMaxListLength)));
        } else if (abi::is_integer(prm.type)) {
            const double most = prm.type == abi::Scalar::Int32   ? spec::kMaxInt32Input
                                : prm.type == abi::Scalar::UInt8 ? 255.0
                                                                 : spec::kMaxWholeInput;
            const double least = prm.type == abi::Scalar::Int32   ? -spec::kMaxInt32Input - 1
                                 : prm.type == abi::Scalar::Int64 ? -spec::kMaxWholeInput
                                                                  : 0.0;
            const long long n =
                whole(v, field, static_cast<long long>(least), static_cast<long long>(most));
            arg.scalar = abi::word_of(prm.type, static_cast<double>(n));
        } else {
            const double x = real(v, field);
            if (const auto why = abi::out_of_range(prm.type, x)) bad(field, *why);
            arg.scalar = abi::word_of(prm.type, x);
        }
        return arg;
    }

    // A function belongs to one exercise, and a property's calls to it are the student's exactly
    // when it is its own exercise's: a bug in one function costs points in its exercise only.
    static void check_ownership(const Prepared& p) {
        std::map<std::string, std::size_t> owner;
        for (std::size_t e = 0; e < p.exercises.size(); ++e)
            for (std::size_t c = 0; c < p.exercises[e].cases.size(); ++c)
                for (const std::string& f : p.exercises[e].cases[c].functions) {
                    const auto [it, fresh] = owner.emplace(f, e);
                    if (!fresh && it->second != e)
                        bad("exercises[" + std::to_string(e) + "].cases[" + std::to_string(c) +
                                "].functions",
                            "lists " + in_quotes(f) + ", a function of exercise " +
                                in_quotes(p.exercises[it->second].id) +
                                "; a function belongs to one exercise");
                }
        for (std::size_t e = 0; e < p.exercises.size(); ++e)
            for (std::size_t c = 0; c < p.exercises[e].cases.size(); ++c) {
                const PreparedCase& pc = p.exercises[e].cases[c];
                for (std::size_t i = 0; i < pc.instances.size(); ++i)
                    for (std::size_t k = 0; k < pc.instances[i].calls.size(); ++k) {
                        const PreparedCall& call = pc.instances[i].calls[k];
                        const std::string& name = p.functions[call.call.function].name;
                        const auto it = owner.find(name);
                        if (!call.student && it != owner.end() && it->second == e)
                            bad("exercises[" + std::to_string(e) + "].cases[" + std::to_string(c) +
                                    "].instances[" + std::to_string(i) + "].calls[" +
                                    std::to_string(k) + "].student",
                                "is false, but " + in_quotes(name) +
                                    " is a function of this exercise: its calls are the "
                                    "student's");
                    }
            }
    }

    std::map<std::string, std::size_t> index_;  // function name -> its index in functions
};

}  // namespace

Prepared parse_bundle(std::string_view text, const std::string& path) {
    if (text.size() > kMaxBundleBytes)
        throw Error("the bundle " + path + " is " + std::to_string(text.size()) +
                    " bytes; a bundle is at most " + std::to_string(kMaxBundleBytes >> 20) +
                    " MiB");
    json doc;
    try {
        // The parser itself does not recurse, but nothing made by `grader bundle` nests deeply:
        // refusing depth early keeps every later walk of the document shallow.
        const json::parser_callback_t depth = [](int level, json::parse_event_t, json&) {
            if (level > kMaxDepth)
                throw Error("it nests more than " + std::to_string(kMaxDepth) +
                            " levels deep, which no bundle does");
            return true;
        };
        doc = json::parse(text.begin(), text.end(), depth);
    } catch (const Error& e) {
        throw Error("the bundle " + path + " is damaged or not a bundle: " + e.what());
    } catch (const json::exception& e) {
        throw Error("the bundle " + path + " is damaged or not a bundle: " + e.what());
    }
    try {
        Prepared p = BundleReader().read(doc);
        p.source = path;
        p.source_sha256 = hash::sha256_hex(text);
        return p;
    } catch (const Error& e) {
        throw Error("the bundle " + path + " cannot be used: " + e.what());
    }
}

Prepared read_bundle(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read the bundle " + path + ": no such file, or it is not readable");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > static_cast<std::streamoff>(kMaxBundleBytes))
        throw Error("the bundle " + path + " is " + std::to_string(size) +
                    " bytes; a bundle is at most " + std::to_string(kMaxBundleBytes >> 20) +
                    " MiB");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_bundle(text.str(), path);
}

}  // namespace grader::grading
