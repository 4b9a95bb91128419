#include "grader/grading/expand.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include <fmt/format.h>

#include "grader/abi/element.hpp"
#include "grader/grading/rng.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::grading {

namespace {

using spec::Generator;
using Env = std::map<std::string, std::vector<double>, std::less<>>;

// Arrays longer than this are a mistake in the spec, not a test.
constexpr std::size_t kMaxLength = 1u << 22;

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

std::optional<spec::Value> lookup_in(const Env& env, std::string_view name) {
    const auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
}

// Made from other inputs, not drawn.
bool derived(const Generator& g) {
    return g.kind == Generator::Kind::Copy || g.kind == Generator::Kind::Mixture ||
           g.kind == Generator::Kind::Linspace;
}

// Some input is drawn, not written: a failure may be shrunk.
bool drawn(const std::vector<spec::Input>& inputs) {
    return std::any_of(inputs.begin(), inputs.end(), [](const spec::Input& in) {
        return in.gen.kind != Generator::Kind::Literal && !derived(in.gen);
    });
}

class Expander {
  public:
    Expander(const spec::Spec& spec, const Reference* reference, const PrepareOptions& options)
        : spec_(spec), reference_(reference), options_(options) {}

    Prepared run() {
        Prepared out;
        out.title = spec_.title;
        out.source = spec_.path;
        for (const spec::Function& f : spec_.functions) out.functions.push_back(f.signature);
        for (const spec::Exercise& ex : spec_.exercises) {
            PreparedExercise pe;
            pe.id = ex.id;
            pe.title = ex.title;
            std::size_t order = 0;
            for (const spec::ValueCase& c : ex.cases) {
                if (wanted(c.visibility)) {
                    pe.cases.push_back(value_case(ex, c));
                    pe.cases.back().order = order;
                    pe.cases.back().random = drawn(c.inputs);
                }
                ++order;
            }
            for (const spec::Property& p : ex.properties) {
                if (wanted(p.visibility)) {
                    pe.cases.push_back(property(ex, p));
                    pe.cases.back().order = order;
                    pe.cases.back().random = drawn(p.inputs);
                }
                ++order;
            }
            out.exercises.push_back(std::move(pe));
        }
        out.has_hidden =
            std::any_of(out.exercises.begin(), out.exercises.end(), [](const PreparedExercise& e) {
                return std::any_of(e.cases.begin(), e.cases.end(),
                                   [](const PreparedCase& c) { return c.hidden; });
            });
        out.reference_sha256 = reference_ ? reference_->sha256() : "";
        try {
            out.source_sha256 = hash::sha256_file(spec_.path);
        } catch (const Error&) {
            // A spec made from a string in a test: there is no file to name.
        }
        if (!options_.hidden_only) out.public_seed = spec_.seed;
        if (out.has_hidden) {
            out.hidden_seed = seed_for(spec::Visibility::Hidden);
            out.hidden_from = options_.hidden_seed ? options_.hidden_from : "spec";
            out.student = options_.student;
        }
        return out;
    }

    // Rebuilds one instance of a case from its inputs (see rebuild_instance).
    Instance rebuild(const spec::Exercise& ex, const PreparedCase& pc, const Env& inputs) const {
        if (pc.property) {
            for (const spec::Property& p : ex.properties)
                if (p.id == pc.id)
                    return property_instance(ex, p, draw_property_inputs(p, nullptr, inputs), pc);
        } else {
            for (const spec::ValueCase& c : ex.cases)
                if (c.id == pc.id)
                    return value_instance(c, draw_value_inputs(c, nullptr, inputs), pc);
        }
        throw Error("internal: no case " + pc.id + " in " + ex.id);
    }

  private:
    bool wanted(spec::Visibility v) const {
        const bool hidden = v == spec::Visibility::Hidden;
        return !(options_.public_only && hidden) && !(options_.hidden_only && !hidden);
    }

    std::uint64_t seed_for(spec::Visibility v) const {
        if (v == spec::Visibility::Hidden && options_.hidden_seed) return *options_.hidden_seed;
        return spec_.seed;
    }

    std::size_t function_index(const std::string& name) const {
        for (std::size_t i = 0; i < spec_.functions.size(); ++i)
            if (spec_.functions[i].name == name) return i;
        throw Error("internal: unknown function " + name);
    }

    PreparedCase value_case(const spec::Exercise& ex, const spec::ValueCase& c) {
        const spec::Function& f = *spec_.function(c.function);
        PreparedCase pc;
        pc.id = c.id;
        pc.hidden = c.visibility == spec::Visibility::Hidden;
        pc.points = c.points;
        pc.functions = {f.name};
        pc.tolerance = spec::tolerance_of(spec_, ex, c.settings);
        pc.time_limit = spec::time_limit_of(spec_, ex, c.settings);
        pc.memory_limit_mb = spec::memory_limit_mb_of(spec_, ex, c.settings);
        pc.hint = c.hint;
        for (int k = 0; k < c.repeat; ++k) {
            Rng rng(instance_seed(seed_for(c.visibility), ex.id + "/" + c.id,
                                  static_cast<std::uint64_t>(k)));
            pc.instances.push_back(value_instance(c, draw_value_inputs(c, &rng), pc));
        }
        return pc;
    }

    // A value case's inputs: drawn with `rng`, or without one made again from those already in
    // `env` (only inputs derived from others are computed).
    Env draw_value_inputs(const spec::ValueCase& c, Rng* rng, Env env = {}) const {
        const spec::Function& f = *spec_.function(c.function);
        const std::string what = "case " + quoted(c.id);
        const abi::Signature& sig = f.signature;
        Rng none(0);
        auto wanted = [&](const spec::Input& in) { return rng || derived(in.gen); };
        // Scalars first, so that array sizes can use them; then sizes a literal array implies.
        for (const spec::Input& in : c.inputs)
            if (!sig.params[static_cast<std::size_t>(sig.find(in.name))].pointer && wanted(in))
                env[in.name] = draw(in.gen, 1, false, env, rng ? *rng : none,
                                    what + ": input " + quoted(in.name));
        for (const auto& [array, size] : f.sizes) {
            if (size.kind != spec::Expr::Kind::Name || env.count(size.name)) continue;
            for (const spec::Input& in : c.inputs)
                if (in.name == array && in.gen.kind == Generator::Kind::Literal)
                    env[size.name] = {static_cast<double>(in.gen.values.size())};
        }
        for (const spec::Input& in : c.inputs) {
            if (!sig.params[static_cast<std::size_t>(sig.find(in.name))].pointer || !wanted(in))
                continue;
            const std::size_t length = size_of(f, in.name, env, in.gen.where, what);
            env[in.name] = draw(in.gen, length, true, env, rng ? *rng : none,
                                what + ": input " + quoted(in.name));
        }
        // Floats as the function gets them, so that reports show what it was given.
        for (const spec::Input& in : c.inputs) {
            const abi::Param& p = sig.params[static_cast<std::size_t>(sig.find(in.name))];
            if (p.type == abi::Scalar::Float && env.count(in.name))
                for (double& v : env[in.name]) v = abi::round_to(p.type, v);
        }
        return env;
    }

    // One instance of a value case on these inputs, its expected outputs from the reference.
    Instance value_instance(const spec::ValueCase& c, Env env, const PreparedCase& pc) const {
        const spec::Function& f = *spec_.function(c.function);
        const std::string what = "case " + quoted(c.id);
        Instance inst;
        PreparedCall call;
        call.name = f.name;
        call.call = make_call(f, env, pc.time_limit, c.where, what);
        call.call.memory_bytes = static_cast<std::uint64_t>(pc.memory_limit_mb * 1024 * 1024);
        call.expected = expected_of(call.call, false);
        if (c.expect_from) {
            const spec::Function& g = *spec_.function(*c.expect_from);
            call.expected.result =
                expected_of(make_call(g, env, pc.time_limit, c.where, what), false).result;
        }
        for (const spec::Input& in : c.inputs) {
            if (!pc.hidden)
                inst.shown_inputs.push_back(
                    in.name + " = " + show_values(env[in.name], single_precision(f, in.name)));
            inst.inputs.emplace_back(in.name, env[in.name]);
        }
        // Sizes that literal arrays implied: a smaller input must say its own.
        for (const auto& entry : env)
            if (std::none_of(c.inputs.begin(), c.inputs.end(),
                             [&](const spec::Input& in) { return in.name == entry.first; }))
                inst.inputs.emplace_back(entry.first, entry.second);
        inst.calls.push_back(std::move(call));
        return inst;
    }

    // A property's inputs, drawn or (without rng) those derived from others made again.
    Env draw_property_inputs(const spec::Property& p, Rng* rng, Env env = {}) const {
        const std::string what = "property " + quoted(p.id);
        Rng none(0);
        for (const spec::Input& in : p.inputs) {
            if (!rng && !derived(in.gen)) continue;
            const std::string iwhat = what + ": input " + quoted(in.name);
            env[in.name] = draw(in.gen, property_length(in.gen, env, iwhat), false, env,
                                rng ? *rng : none, iwhat);
        }
        return env;
    }

    PreparedCase property(const spec::Exercise& ex, const spec::Property& p) {
        PreparedCase pc;
        pc.id = p.id;
        pc.property = true;
        pc.hidden = p.visibility == spec::Visibility::Hidden;
        pc.points = p.points;
        pc.tolerance = spec::tolerance_of(spec_, ex, p.settings);
        pc.time_limit = spec::time_limit_of(spec_, ex, p.settings);
        pc.memory_limit_mb = spec::memory_limit_mb_of(spec_, ex, p.settings);
        pc.hint = p.hint;
        pc.lets = p.lets;
        pc.checks = p.checks;
        for (const spec::PropertyCall& call : p.calls) {
            const bool owned = std::find(ex.functions.begin(), ex.functions.end(), call.function) !=
                               ex.functions.end();
            if (owned && std::find(pc.functions.begin(), pc.functions.end(), call.function) ==
                             pc.functions.end())
                pc.functions.push_back(call.function);
        }
        for (int k = 0; k < p.repeat; ++k) {
            Rng rng(instance_seed(seed_for(p.visibility), ex.id + "/" + p.id,
                                  static_cast<std::uint64_t>(k)));
            pc.instances.push_back(property_instance(ex, p, draw_property_inputs(p, &rng), pc));
        }
        return pc;
    }

    // One instance of a property on these inputs, each call's expected outputs from the reference.
    Instance property_instance(const spec::Exercise& ex, const spec::Property& p, Env env,
                               const PreparedCase& pc) const {
        const std::string what = "property " + quoted(p.id);
        Instance inst;
        for (const spec::Input& in : p.inputs) {
            if (!pc.hidden)
                inst.shown_inputs.push_back(in.name + " = " + show_values(env[in.name]));
            inst.inputs.emplace_back(in.name, env[in.name]);
        }
        for (const spec::PropertyCall& pcall : p.calls) {
            const spec::Function& f = *spec_.function(pcall.function);
            Env args;
            std::size_t next = 0;
            for (const abi::Param& prm : f.signature.params) {
                if (prm.is_output()) continue;
                try {
                    args[prm.name] = spec::evaluate(pcall.args.at(next++), [&](std::string_view n) {
                        return lookup_in(env, n);
                    });
                } catch (const spec::ExprError& e) {
                    throw Error(pcall.where,
                                what + ": call " + quoted(pcall.name) + ": " + e.message);
                }
            }
            PreparedCall call;
            call.name = pcall.name;
            call.student =
                std::find(ex.functions.begin(), ex.functions.end(), f.name) != ex.functions.end();
            call.call = make_call(f, args, pc.time_limit, pcall.where,
                                  what + ": call " + quoted(pcall.name));
            call.call.memory_bytes = static_cast<std::uint64_t>(pc.memory_limit_mb * 1024 * 1024);
            call.expected = expected_of(call.call, call.student);
            publish(f, call, env);
            inst.calls.push_back(std::move(call));
        }
        return inst;
    }

    // Makes a call's results visible to later calls and checks under its name: the return
    // value (or, for a void function with one output, that output) and name.output.
    static void publish(const spec::Function& f, const PreparedCall& call, Env& env) {
        std::vector<std::size_t> outs;
        for (std::size_t i = 0; i < f.signature.params.size(); ++i)
            if (f.signature.params[i].is_output()) {
                outs.push_back(i);
                env[call.name + "." + f.signature.params[i].name] = call.expected.arrays[i];
            }
        if (f.signature.result != abi::Scalar::Void)
            env[call.name] = {call.expected.result};
        else if (outs.size() == 1)
            env[call.name] = call.expected.arrays[outs[0]];
    }

    std::size_t property_length(const Generator& g, const Env& env, const std::string& what) const {
        if (g.size) return evaluate_size(*g.size, env, g.where, what + ": size");
        switch (g.kind) {
            case Generator::Kind::Literal:
                return g.values.size();
            case Generator::Kind::Copy:
                return env.at(g.of).size();
            case Generator::Kind::Mixture:
                return env.at(g.of).size();
            case Generator::Kind::Prob:
            case Generator::Kind::Linspace:
                throw Error(
                    g.where,
                    what + " is an array: give its length with size:, e.g. {prob: {}, size: n}");
            default:
                return 1;
        }
    }

    std::size_t size_of(const spec::Function& f, const std::string& param, const Env& env,
                        const SourceLocation& where, const std::string& what) const {
        return evaluate_size(f.sizes.at(param), env, where, what + ": size of " + quoted(param));
    }

    // An expression that must give one whole number in [low, high]; `subject` names it in errors.
    static std::size_t evaluate_whole(const spec::Expr& e, const Env& env,
                                      const SourceLocation& where, const std::string& subject,
                                      double low, double high) {
        spec::Value v;
        try {
            v = spec::evaluate(e, [&](std::string_view n) { return lookup_in(env, n); });
        } catch (const spec::ExprError& err) {
            throw Error(where, subject + ": " + err.message);
        }
        if (v.size() != 1 || !(v[0] >= low) || v[0] != std::floor(v[0]) || v[0] > high)
            throw Error(where,
                        fmt::format("{} must be a whole number from {} to {}", subject, low, high));
        return static_cast<std::size_t>(v[0]);
    }

    static std::size_t evaluate_size(const spec::Expr& e, const Env& env,
                                     const SourceLocation& where, const std::string& what) {
        return evaluate_whole(e, env, where, what, 0, static_cast<double>(kMaxLength));
    }

    // A categorical input's k: a whole number of categories, at least 1.
    static std::size_t evaluate_count(const spec::Expr& e, const Env& env,
                                      const SourceLocation& where, const std::string& what) {
        return evaluate_whole(e, env, where, what + ": categorical k", 1, spec::kMaxCategories);
    }

    sandbox::Call make_call(const spec::Function& f, const Env& env, double time_limit,
                            const SourceLocation& where, const std::string& what) const {
        sandbox::Call call;
        call.function = function_index(f.name);
        call.time_limit_seconds = time_limit;
        for (const abi::Param& p : f.signature.params) {
            sandbox::Arg arg;
            if (p.is_output()) {
                arg.kind = sandbox::Arg::Kind::Output;
                arg.length = size_of(f, p.name, env, where, what);
            } else {
                const auto it = env.find(p.name);
                if (it == env.end())
                    throw Error(where, what + ": no value for parameter " + quoted(p.name) +
                                           " of " + f.name);
                if (p.pointer) {
                    arg.kind = sandbox::Arg::Kind::Input;
                    arg.values =
                        typed_values(it->second, p.type, where, what + ": " + quoted(p.name));
                    const std::size_t want = size_of(f, p.name, env, where, what);
                    if (arg.values.size() != want)
                        throw Error(where, what + ": " + quoted(p.name) + " has " +
                                               std::to_string(arg.values.size()) +
                                               " values, but its size is " + std::to_string(want));
                } else {
                    if (it->second.size() != 1)
                        throw Error(where, what + ": " + quoted(p.name) +
                                               " is a scalar parameter of " + f.name + " but got " +
                                               std::to_string(it->second.size()) + " values");
                    arg.scalar =
                        to_word(it->second[0], p.type, where, what + ": " + quoted(p.name));
                }
            }
            call.args.push_back(std::move(arg));
        }
        return call;
    }

    static abi::Word to_word(double v, abi::Scalar type, const SourceLocation& where,
                             const std::string& what) {
        if (type == abi::Scalar::Double) return abi::word_of(type, v);
        if (type != abi::Scalar::Float && (v != std::floor(v) || !std::isfinite(v)))
            throw Error(where, what + " must be a whole number");
        if ((type == abi::Scalar::SizeT || type == abi::Scalar::UInt64) && v < 0)
            throw Error(where, what + " must not be negative");
        if (const auto why = abi::out_of_range(type, v))
            throw Error(where, what + " is " + abi::to_c(type) + ": its value " + *why);
        return abi::word_of(type, v);
    }

    // An input array's values as the parameter's type holds them: a float array rounded, an
    // integer array refused unless every value is one of the type's.
    static std::vector<double> typed_values(std::vector<double> values, abi::Scalar type,
                                            const SourceLocation& where, const std::string& what) {
        if (type == abi::Scalar::Double) return values;
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (const auto why = abi::out_of_range(type, values[i]))
                throw Error(where, fmt::format("{} is an array of {}: its element {} ({}) {}", what,
                                               abi::to_c(type), i, values[i], *why));
            values[i] = abi::round_to(type, values[i]);
        }
        return values;
    }

    std::vector<double> draw(const Generator& g, std::size_t length, bool array, const Env& env,
                             Rng& rng, const std::string& what) const {
        std::vector<double> out;
        switch (g.kind) {
            case Generator::Kind::Literal:
                if (array && g.values.size() != length)
                    throw Error(g.where, what + " has " + std::to_string(g.values.size()) +
                                             " values, but its size is " + std::to_string(length));
                return g.values;
            case Generator::Kind::Copy:
                return env.at(g.of);
            case Generator::Kind::Int: {
                // Through int64_t, so that a negative low wraps as the generator's arithmetic
                // expects and the draw comes back signed; bounds are within 2^53.
                const auto low = static_cast<std::uint64_t>(static_cast<std::int64_t>(g.low));
                const auto high = static_cast<std::uint64_t>(static_cast<std::int64_t>(g.high));
                for (std::size_t i = 0; i < length; ++i)
                    out.push_back(
                        static_cast<double>(static_cast<std::int64_t>(rng.integer(low, high))));
                return out;
            }
            case Generator::Kind::Categorical: {
                const std::size_t k = evaluate_count(*g.categories, env, g.where, what);
                for (std::size_t i = 0; i < length; ++i)
                    out.push_back(static_cast<double>(rng.integer(0, k - 1)));
                return out;
            }
            case Generator::Kind::Uniform:
                for (std::size_t i = 0; i < length; ++i)
                    out.push_back(g.low + (g.high - g.low) * rng.uniform());
                return out;
            case Generator::Kind::LogUniform: {
                const double a = std::log(g.low), b = std::log(g.high);
                for (std::size_t i = 0; i < length; ++i)
                    out.push_back(std::exp(a + (b - a) * rng.uniform()));
                return out;
            }
            case Generator::Kind::Normal:
                for (std::size_t i = 0; i < length; ++i)
                    out.push_back(g.low + g.high * rng.normal());
                return out;
            case Generator::Kind::Linspace:
                for (std::size_t i = 0; i < length; ++i)
                    out.push_back(length == 1 ? g.low
                                              : g.low + (g.high - g.low) * static_cast<double>(i) /
                                                            static_cast<double>(length - 1));
                return out;
            case Generator::Kind::Prob: {
                if (length == 0) return out;
                for (std::size_t i = 0; i < length; ++i) {
                    const double w = rng.uniform_positive();
                    out.push_back(g.zeros > 0 && rng.uniform() < g.zeros ? 0.0 : w);
                }
                if (std::all_of(out.begin(), out.end(), [](double x) { return x == 0; }))
                    out[rng.integer(0, length - 1)] = rng.uniform_positive();
                normalise(out);
                return out;
            }
            case Generator::Kind::Mixture: {
                const std::vector<double>& grid = env.at(g.of);
                for (double x : grid) {
                    double density = 0;
                    for (std::size_t k = 0; k < g.means.size(); ++k) {
                        const double z = (x - g.means[k]) / g.sigmas[k];
                        density += g.weights[k] * std::exp(-0.5 * z * z) /
                                   (g.sigmas[k] * std::sqrt(2 * std::numbers::pi));
                    }
                    out.push_back(density);
                }
                normalise(out);
                return out;
            }
        }
        return out;
    }

    static void normalise(std::vector<double>& v) {
        double sum = 0;
        for (double x : v) sum += x;
        if (sum > 0)
            for (double& x : v) x /= sum;
    }

    // Without the reference (shrinking in a self-check), a student's call expects nothing: a
    // property holds its values to each other's, not to the reference's.
    Outputs expected_of(const sandbox::Call& call, bool student) const {
        if (reference_) return reference_->call(call);
        if (!student) throw Error("internal: a reference function's call needs the reference");
        Outputs none;
        none.result = std::numeric_limits<double>::quiet_NaN();
        none.arrays.resize(call.args.size());
        for (std::size_t i = 0; i < call.args.size(); ++i)
            if (call.args[i].kind == sandbox::Arg::Kind::Output)
                none.arrays[i].assign(call.args[i].length,
                                      std::numeric_limits<double>::quiet_NaN());
        return none;
    }

    const spec::Spec& spec_;
    const Reference* reference_;  // null only when rebuilding without it
    const PrepareOptions& options_;
};

}  // namespace

int Prepared::function_index(const std::string& name) const {
    for (std::size_t i = 0; i < functions.size(); ++i)
        if (functions[i].name == name) return static_cast<int>(i);
    return -1;
}

Prepared prepare(const spec::Spec& spec, const Reference& reference,
                 const PrepareOptions& options) {
    return Expander(spec, &reference, options).run();
}

Prepared combine(const Prepared& public_cases, const Prepared& hidden_cases) {
    Prepared out = public_cases;
    for (const PreparedExercise& hx : hidden_cases.exercises) {
        auto ex = std::find_if(out.exercises.begin(), out.exercises.end(),
                               [&](const PreparedExercise& e) { return e.id == hx.id; });
        if (ex == out.exercises.end())
            throw Error("internal: exercise " + hx.id + " is not among the public cases");
        for (const PreparedCase& c : hx.cases) ex->cases.push_back(c);
        std::stable_sort(
            ex->cases.begin(), ex->cases.end(),
            [](const PreparedCase& a, const PreparedCase& b) { return a.order < b.order; });
    }
    out.has_hidden = public_cases.has_hidden || hidden_cases.has_hidden;
    out.hidden_seed = hidden_cases.hidden_seed;
    out.hidden_from = hidden_cases.hidden_from;
    out.student = hidden_cases.student;
    return out;
}

void mark_random(const spec::Spec& spec, Prepared& prepared) {
    for (PreparedExercise& pe : prepared.exercises) {
        const spec::Exercise* ex = spec.exercise(pe.id);
        if (!ex) continue;
        for (PreparedCase& pc : pe.cases) {
            if (pc.property) {
                for (const spec::Property& p : ex->properties)
                    if (p.id == pc.id) pc.random = drawn(p.inputs);
            } else {
                for (const spec::ValueCase& c : ex->cases)
                    if (c.id == pc.id) pc.random = drawn(c.inputs);
            }
        }
    }
}

Instance rebuild_instance(const spec::Spec& spec, const Reference* reference,
                          const spec::Exercise& ex, const PreparedCase& pc,
                          const std::vector<std::pair<std::string, std::vector<double>>>& inputs) {
    static const PrepareOptions kNone;
    Env env;
    for (const auto& [name, values] : inputs) env[name] = values;
    return Expander(spec, reference, kNone).rebuild(ex, pc, env);
}

namespace {

std::string one_value(double v, bool single) {
    return single ? fmt::format("{}", static_cast<float>(v)) : fmt::format("{}", v);
}

}  // namespace

bool single_precision(const spec::Function& f, const std::string& input) {
    for (const abi::Param& p : f.signature.params)
        if (p.name == input) return p.type == abi::Scalar::Float;
    return false;
}

std::string show_all_values(const std::vector<double>& values, bool single) {
    if (values.size() == 1) return one_value(values[0], single);
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + one_value(values[i], single);
    return out + "]";
}

std::string show_values(const std::vector<double>& values, bool single) {
    // Long arrays are cut to about a line; the count says how many there are.
    constexpr std::size_t kWidth = 80;
    if (values.size() == 1) return one_value(values[0], single);
    std::string out = "[";
    std::size_t shown = 0;
    for (; shown < values.size(); ++shown) {
        const std::string item = (shown ? ", " : "") + one_value(values[shown], single);
        if (shown > 0 && out.size() + item.size() > kWidth) break;
        out += item;
    }
    if (shown < values.size()) out += fmt::format(", ... ({} values)", values.size());
    return out + "]";
}

}  // namespace grader::grading
