#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "grader/spec/spec.hpp"
#include "grader/spec/yaml_reader.hpp"

namespace grader::spec {

namespace {

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

class Loader {
  public:
    Loader(std::string path) : path_(path), yaml_(std::move(path)) {}

    Spec load(const YAML::Node& root) {
        Spec spec;
        spec.path = path_;
        if (!root.IsMap())
            yaml_.fail(root,
                       "the spec must be a map with keys version, title, seed, defaults, "
                       "functions, exercises");
        yaml_.check_keys(root, {"version", "title", "seed", "defaults", "functions", "exercises"},
                         "the spec");
        yaml_.require(root, "version", "the spec");
        spec.version = static_cast<int>(yaml_.integer(root["version"], "version"));
        if (spec.version != 1)
            yaml_.fail(root["version"], "version " + std::to_string(spec.version) +
                                            " is not supported; this grader reads version 1");
        if (root["title"]) spec.title = yaml_.string(root["title"], "title");
        if (root["seed"]) {
            const long long seed = yaml_.integer(root["seed"], "seed");
            if (seed < 0) yaml_.fail(root["seed"], "seed must be a non-negative whole number");
            spec.seed = static_cast<std::uint64_t>(seed);
        }
        if (root["defaults"]) spec.defaults = settings(root["defaults"], "defaults");
        yaml_.require(root, "functions", "the spec");
        yaml_.require(root, "exercises", "the spec");
        read_functions(root["functions"], spec);
        read_exercises(root["exercises"], spec);
        check_ownership(root["exercises"], spec);
        return spec;
    }

  private:
    static void names_in(const Expr& e, std::vector<const Expr*>& out) { collect_names(e, out); }
    static void names_in(const Check& c, std::vector<const Expr*>& out) {
        collect_names(c.lhs, out);
        collect_names(c.rhs, out);
    }

    // Parses an expression or a check written in the spec, and requires every name it uses to
    // be one of `known`. `label` starts each message ("property \"p\": check \"K >= 0\"").
    template <class Parsed>
    Parsed parse_text(const YAML::Node& node, const std::string& label, const std::string& text,
                      Parsed (*parse)(std::string_view), const std::vector<std::string>& known,
                      const std::string& which_is_not) {
        Parsed parsed{};
        try {
            parsed = parse(text);
        } catch (const ExprError& e) {
            yaml_.fail(node, label + ", column " + std::to_string(e.column + 1) + ": " + e.message);
        }
        std::vector<const Expr*> names;
        names_in(parsed, names);
        for (const Expr* n : names)
            if (std::find(known.begin(), known.end(), n->name) == known.end())
                yaml_.fail(node, label + " uses " + quoted(n->name) + ", which " + which_is_not +
                                     suggestion(n->name, known));
        return parsed;
    }

    Settings settings(const YAML::Node& node, const std::string& what) {
        yaml_.check_keys(node, {"rtol", "atol", "time_limit", "memory_limit"}, what);
        Settings s;
        read_settings_fields(node, what, s);
        return s;
    }

    // Reads rtol/atol/time_limit/memory_limit from a map whose keys were already checked.
    void read_settings_fields(const YAML::Node& node, const std::string& what, Settings& s) {
        auto non_negative = [&](const char* key) -> std::optional<double> {
            if (!node[key]) return std::nullopt;
            const double v = yaml_.number(node[key], what + ": " + key);
            if (!(v >= 0) || !std::isfinite(v))
                yaml_.fail(node[key], what + ": " + key + " must be a finite number >= 0");
            return v;
        };
        s.rtol = non_negative("rtol");
        s.atol = non_negative("atol");
        if (auto t = non_negative("time_limit")) {
            if (*t <= 0 || *t > 600)
                yaml_.fail(node["time_limit"],
                           what + ": time_limit is in seconds per call and must be in (0, 600]");
            s.time_limit = t;
        }
        if (auto m = non_negative("memory_limit")) {
            if (*m < 16)
                yaml_.fail(node["memory_limit"],
                           what + ": memory_limit is in MiB and must be at least 16");
            s.memory_limit_mb = m;
        }
    }

    void read_functions(const YAML::Node& node, Spec& spec) {
        if (!node.IsMap())
            yaml_.fail(
                node,
                "functions must be a map from function name to its prototype, contract and sizes");
        std::set<std::string> seen;
        for (const auto& kv : node) {
            Function f;
            f.name = yaml_.string(kv.first, "a function name");
            f.where = yaml_.at(kv.first);
            const std::string what = "function " + quoted(f.name);
            if (!seen.insert(f.name).second)
                yaml_.fail(kv.first, what + " is declared twice; keep one");
            const YAML::Node& body = kv.second;
            yaml_.check_keys(body, {"prototype", "contract", "sizes", "requires"}, what);
            yaml_.require(body, "prototype", what);
            f.prototype = yaml_.string(body["prototype"], what + ": prototype");
            try {
                f.signature = abi::parse_prototype(f.prototype);
            } catch (const abi::ParseError& e) {
                yaml_.fail(body["prototype"], what + ": prototype, column " +
                                                  std::to_string(e.column + 1) + ": " + e.message);
            }
            if (f.signature.name != f.name)
                yaml_.fail(body["prototype"], what + ": the prototype declares " +
                                                  quoted(f.signature.name) +
                                                  "; the name and the prototype must agree");
            if (body["contract"]) f.contract = yaml_.string(body["contract"], what + ": contract");
            read_sizes(body["sizes"], body, what, f);
            if (body["requires"]) read_requires(body["requires"], what, f);
            spec.functions.push_back(std::move(f));
        }
    }

    void read_sizes(const YAML::Node& sizes, const YAML::Node& body, const std::string& what,
                    Function& f) {
        std::vector<std::string> pointers, integers;
        for (const abi::Param& p : f.signature.params) {
            if (p.pointer)
                pointers.push_back(p.name);
            else if (abi::is_integer(p.type))
                integers.push_back(p.name);
        }
        if (sizes) {
            if (!sizes.IsMap())
                yaml_.fail(
                    sizes,
                    what + ": sizes must map each pointer parameter to its length, e.g. {p: n}");
            std::set<std::string> seen;
            for (const auto& kv : sizes) {
                const std::string param = yaml_.string(kv.first, what + ": a sizes key");
                if (std::find(pointers.begin(), pointers.end(), param) == pointers.end())
                    yaml_.fail(kv.first, what + ": sizes names " + quoted(param) +
                                             ", which is not a pointer parameter" +
                                             suggestion(param, pointers));
                if (!seen.insert(param).second)
                    yaml_.fail(kv.first,
                               what + ": the size of " + quoted(param) + " is given twice");
                const std::string text = yaml_.string(kv.second, what + ": size of " + param);
                Expr e = parse_text(kv.second, what + ": the size of " + quoted(param), text,
                                    &parse_expression, integers,
                                    "is not an integer parameter of the function");
                f.sizes.emplace(param, std::move(e));
            }
        }
        for (const std::string& p : pointers)
            if (!f.sizes.count(p))
                yaml_.fail(sizes ? sizes : body, what + ": pointer parameter " + quoted(p) +
                                                     " has no size; add it under sizes, e.g. " + p +
                                                     ": n");
    }

    void read_requires(const YAML::Node& node, const std::string& what, Function& f) {
        std::vector<std::string> params;
        for (const abi::Param& p : f.signature.params)
            if (!p.is_output()) params.push_back(p.name);
        for (const std::string& text : yaml_.strings(node, what + ": requires"))
            f.requires_.push_back(parse_text(node, what + ": requires " + quoted(text), text,
                                             &parse_check, params, "is not an input parameter"));
    }

    void read_exercises(const YAML::Node& node, Spec& spec) {
        if (!node.IsSequence()) yaml_.fail(node, "exercises must be a list");
        std::set<std::string> ids;
        for (const auto& item : node) {
            Exercise ex;
            ex.where = yaml_.at(item);
            yaml_.check_keys(item, {"id", "title", "functions", "defaults", "cases", "properties"},
                             "an exercise");
            yaml_.require(item, "id", "an exercise");
            ex.id = yaml_.string(item["id"], "exercise id");
            const std::string what = "exercise " + quoted(ex.id);
            if (!ids.insert(ex.id).second)
                yaml_.fail(item["id"], what + " is declared twice; exercise ids must be unique");
            if (item["title"]) ex.title = yaml_.string(item["title"], what + ": title");
            yaml_.require(item, "functions", what);
            ex.functions = yaml_.strings(item["functions"], what + ": functions");
            for (const std::string& f : ex.functions)
                if (!spec.function(f))
                    yaml_.fail(item["functions"], what + ": unknown function " + quoted(f) +
                                                      suggestion(f, function_names(spec)));
            if (item["defaults"]) ex.settings = settings(item["defaults"], what + ": defaults");
            std::set<std::string> case_ids;
            if (item["cases"]) {
                if (!item["cases"].IsSequence())
                    yaml_.fail(item["cases"], what + ": cases must be a list");
                for (const auto& c : item["cases"])
                    ex.cases.push_back(read_case(c, spec, ex, case_ids));
            }
            if (item["properties"]) {
                if (!item["properties"].IsSequence())
                    yaml_.fail(item["properties"], what + ": properties must be a list");
                for (const auto& p : item["properties"])
                    ex.properties.push_back(read_property(p, spec, ex, case_ids));
            }
            spec.exercises.push_back(std::move(ex));
        }
    }

    void check_ownership(const YAML::Node& node, Spec& spec) {
        for (Function& f : spec.functions) {
            for (std::size_t i = 0; i < spec.exercises.size(); ++i) {
                const Exercise& ex = spec.exercises[i];
                if (std::find(ex.functions.begin(), ex.functions.end(), f.name) ==
                    ex.functions.end())
                    continue;
                if (!f.exercise.empty())
                    yaml_.fail(node[i]["functions"],
                               "function " + quoted(f.name) + " is listed by exercises " +
                                   quoted(f.exercise) + " and " + quoted(ex.id) +
                                   "; a function belongs to one exercise");
                f.exercise = ex.id;
            }
            if (f.exercise.empty())
                throw Error(
                    f.where,
                    "function " + quoted(f.name) +
                        " is not listed by any exercise; add it to one exercise's functions");
        }
    }

    static std::vector<std::string> function_names(const Spec& spec) {
        std::vector<std::string> out;
        for (const Function& f : spec.functions) out.push_back(f.name);
        return out;
    }

    void common_fields(const YAML::Node& node, const std::string& what, int& points, int& repeat,
                       Visibility& visibility, std::string& hint, std::string& note) {
        if (node["points"]) {
            const long long p = yaml_.integer(node["points"], what + ": points");
            if (p < 0 || p > 1000)
                yaml_.fail(node["points"], what + ": points must be a whole number from 0 to 1000");
            points = static_cast<int>(p);
        }
        if (node["repeat"]) {
            const long long r = yaml_.integer(node["repeat"], what + ": repeat");
            if (r < 1 || r > 10000)
                yaml_.fail(node["repeat"],
                           what + ": repeat must be a whole number from 1 to 10000");
            repeat = static_cast<int>(r);
        }
        if (node["visibility"]) {
            const std::string v = yaml_.string(node["visibility"], what + ": visibility");
            if (v == "public")
                visibility = Visibility::Public;
            else if (v == "hidden")
                visibility = Visibility::Hidden;
            else
                yaml_.fail(node["visibility"],
                           what + ": visibility must be \"public\" or \"hidden\", got " +
                               quoted(v) + suggestion(v, {"public", "hidden"}));
        }
        if (node["hint"]) hint = yaml_.string(node["hint"], what + ": hint");
        if (node["note"]) note = yaml_.string(node["note"], what + ": note");
    }

    std::string read_id(const YAML::Node& node, const std::string& kind, const Exercise& ex,
                        std::set<std::string>& ids) {
        yaml_.require(node, "id", "a " + kind + " of exercise " + quoted(ex.id));
        const std::string id = yaml_.string(node["id"], kind + " id");
        if (!ids.insert(id).second)
            yaml_.fail(
                node["id"],
                "exercise " + quoted(ex.id) + ": id " + quoted(id) +
                    " is used twice; case and property ids must be unique within an exercise");
        return id;
    }

    const Function& known_function(const YAML::Node& node, const Spec& spec,
                                   const std::string& what) {
        const std::string name = yaml_.string(node, what + ": function");
        const Function* f = spec.function(name);
        if (!f)
            yaml_.fail(node, what + ": unknown function " + quoted(name) +
                                 suggestion(name, function_names(spec)));
        return *f;
    }

    ValueCase read_case(const YAML::Node& node, const Spec& spec, const Exercise& ex,
                        std::set<std::string>& ids) {
        ValueCase c;
        c.where = yaml_.at(node);
        yaml_.check_keys(
            node,
            {"id", "function", "points", "repeat", "visibility", "inputs", "expect", "expect_from",
             "rtol", "atol", "time_limit", "memory_limit", "hint", "note"},
            "a case of exercise " + quoted(ex.id));
        c.id = read_id(node, "case", ex, ids);
        const std::string what = "case " + quoted(c.id);
        yaml_.require(node, "function", what);
        const Function& f = known_function(node["function"], spec, what);
        c.function = f.name;
        if (std::find(ex.functions.begin(), ex.functions.end(), f.name) == ex.functions.end())
            yaml_.fail(node["function"], what + ": function " + quoted(f.name) +
                                             " is not one of exercise " + quoted(ex.id) +
                                             "'s functions; its cases belong to its own exercise");
        common_fields(node, what, c.points, c.repeat, c.visibility, c.hint, c.note);
        read_settings_fields(node, what, c.settings);
        yaml_.require(node, "inputs", what);
        c.inputs = read_inputs(node["inputs"], f, what, /*property=*/false);
        check_inputs_complete(node["inputs"], f, c.inputs, what);
        if (node["expect"]) c.expect = read_literal(node["expect"], f, what);
        if (node["expect_from"]) {
            const std::string other = yaml_.string(node["expect_from"], what + ": expect_from");
            const Function* g = spec.function(other);
            if (!g)
                yaml_.fail(node["expect_from"], what + ": expect_from names unknown function " +
                                                    quoted(other) +
                                                    suggestion(other, function_names(spec)));
            if (g->signature.result == abi::Scalar::Void || f.signature.result == abi::Scalar::Void)
                yaml_.fail(node["expect_from"],
                           what + ": expect_from needs both functions to return a value");
            for (const abi::Param& p : g->signature.params)
                if (f.signature.find(p.name) < 0)
                    yaml_.fail(node["expect_from"],
                               what + ": " + quoted(other) + " takes " + quoted(p.name) +
                                   ", which " + quoted(f.name) +
                                   " does not; expect_from passes parameters by name");
            c.expect_from = other;
        }
        if (c.expect_from && !c.expect.empty())
            yaml_.fail(node["expect_from"], what + ": give either expect or expect_from, not both");
        if (c.repeat > 1 && !c.expect.empty())
            yaml_.fail(node["expect"], what + ": a literal expected value cannot hold for " +
                                           std::to_string(c.repeat) +
                                           " random draws; remove repeat or expect");
        return c;
    }

    std::vector<Input> read_inputs(const YAML::Node& node, const Function& f,
                                   const std::string& what, bool property) {
        if (!node.IsMap())
            yaml_.fail(node, what + ": inputs must map parameter names to values or generators");
        std::vector<Input> out;
        std::set<std::string> seen;
        std::vector<std::string> params;
        for (const abi::Param& p : f.signature.params)
            if (!p.is_output()) params.push_back(p.name);
        for (const auto& kv : node) {
            Input in;
            in.name = yaml_.string(kv.first, what + ": an input name");
            if (seen.count(in.name))
                yaml_.fail(kv.first, what + ": input " + quoted(in.name) + " is given twice");
            const int index = f.signature.find(in.name);
            if (!property) {
                if (index < 0)
                    yaml_.fail(kv.first, what + ": " + quoted(f.name) + " has no parameter " +
                                             quoted(in.name) + suggestion(in.name, params));
                if (f.signature.params[static_cast<std::size_t>(index)].is_output())
                    yaml_.fail(kv.first, what + ": " + quoted(in.name) + " is an output of " +
                                             quoted(f.name) + "; outputs are not inputs");
            }
            in.gen = read_generator(kv.second, what + ": input " + quoted(in.name), seen);
            seen.insert(in.name);
            if (!property)
                check_generator_fits(kv.second, in,
                                     f.signature.params[static_cast<std::size_t>(index)], what);
            out.push_back(std::move(in));
        }
        return out;
    }

    void check_generator_fits(const YAML::Node& node, const Input& in, const abi::Param& p,
                              const std::string& what) {
        using K = Generator::Kind;
        const K k = in.gen.kind;
        const std::string where = what + ": input " + quoted(in.name);
        const bool array_only = k == K::Prob || k == K::Linspace || k == K::Mixture;
        if (!p.pointer && array_only)
            yaml_.fail(node, where + " is a scalar; this generator makes arrays");
        if (!p.pointer && k == K::Literal && in.gen.values.size() != 1)
            yaml_.fail(node, where + " is a scalar; give one number");
        if (abi::is_integer(p.type) && !p.pointer) {
            if (k != K::Literal && k != K::Int)
                yaml_.fail(node,
                           where + " is an integer; use a whole number or {int: [low, high]}");
            if (k == K::Literal &&
                (in.gen.values[0] < 0 || in.gen.values[0] != std::floor(in.gen.values[0])))
                yaml_.fail(node, where + " is an integer; give a whole number >= 0");
        }
        if (p.pointer && k == K::Int)
            yaml_.fail(node,
                       where + " is an array of doubles; {int: ...} makes whole-number scalars");
    }

    void check_inputs_complete(const YAML::Node& node, const Function& f,
                               const std::vector<Input>& inputs, const std::string& what) {
        auto given = [&](const std::string& name) {
            return std::any_of(inputs.begin(), inputs.end(),
                               [&](const Input& i) { return i.name == name; });
        };
        for (const abi::Param& p : f.signature.params) {
            if (p.is_output() || given(p.name)) continue;
            // A size parameter may be left out when a literal array it sizes alone gives it.
            bool inferable = false;
            for (const auto& [array, size] : f.sizes)
                if (size.kind == Expr::Kind::Name && size.name == p.name && given(array)) {
                    for (const Input& i : inputs)
                        if (i.name == array && i.gen.kind == Generator::Kind::Literal)
                            inferable = true;
                }
            if (!inferable)
                yaml_.fail(node, what + ": input " + quoted(p.name) + " of " + quoted(f.name) +
                                     " is not given");
        }
    }

    Generator read_generator(const YAML::Node& node, const std::string& what,
                             const std::set<std::string>& earlier) {
        Generator g;
        g.where = yaml_.at(node);
        if (node.IsScalar() || node.IsSequence()) {
            g.kind = Generator::Kind::Literal;
            g.values = yaml_.numbers(node, what);
            return g;
        }
        static const std::vector<std::string> kinds = {"int",  "uniform",  "log_uniform", "normal",
                                                       "prob", "linspace", "mixture",     "copy"};
        const bool sized = node.IsMap() && node["size"];
        if (!node.IsMap() || node.size() != (sized ? 2u : 1u))
            yaml_.fail(
                node,
                what +
                    " must be a number, a list of numbers, or one generator (with an optional "
                    "size: expression): {int: [lo, hi]}, {uniform: [lo, hi]}, {log_uniform: [lo, "
                    "hi]}, {normal: [mean, sd]}, {prob: {zeros: 0.2}}, {linspace: [lo, hi]}, "
                    "{mixture: {on: x, means: [...], sigmas: [...]}}, {copy: p}");
        YAML::const_iterator it = node.begin();
        if (it->first.Scalar() == "size") ++it;
        const auto kv = *it;
        if (sized) {
            const std::string text = yaml_.string(node["size"], what + ": size");
            g.size =
                parse_text(node["size"], what + ": size " + quoted(text), text, &parse_expression,
                           std::vector<std::string>(earlier.begin(), earlier.end()),
                           "must be an input given before it");
        }
        const std::string kind = kv.first.Scalar();
        const YAML::Node& arg = kv.second;
        auto pair = [&](Generator::Kind k) {
            const std::vector<double> v = yaml_.numbers(arg, what + ": " + kind);
            if (v.size() != 2)
                yaml_.fail(arg, what + ": " + kind + " takes two numbers, [low, high]");
            g.kind = k;
            g.low = v[0];
            g.high = v[1];
            if (!(g.low <= g.high) && k != Generator::Kind::Linspace &&
                k != Generator::Kind::Normal)
                yaml_.fail(arg, what + ": " + kind + " needs low <= high");
        };
        if (kind == "int") {
            pair(Generator::Kind::Int);
            if (g.low < 0 || g.low != std::floor(g.low) || g.high != std::floor(g.high))
                yaml_.fail(arg, what + ": int takes two whole numbers >= 0");
        } else if (kind == "uniform") {
            pair(Generator::Kind::Uniform);
        } else if (kind == "log_uniform") {
            pair(Generator::Kind::LogUniform);
            if (g.low <= 0) yaml_.fail(arg, what + ": log_uniform needs 0 < low <= high");
        } else if (kind == "normal") {
            pair(Generator::Kind::Normal);
            if (g.high < 0) yaml_.fail(arg, what + ": normal takes [mean, sd] with sd >= 0");
        } else if (kind == "linspace") {
            pair(Generator::Kind::Linspace);
        } else if (kind == "prob") {
            g.kind = Generator::Kind::Prob;
            if (arg.IsMap()) {
                yaml_.check_keys(arg, {"zeros"}, what + ": prob");
                if (arg["zeros"]) {
                    g.zeros = yaml_.number(arg["zeros"], what + ": prob zeros");
                    if (!(g.zeros >= 0 && g.zeros < 1))
                        yaml_.fail(arg["zeros"],
                                   what + ": zeros is the chance of a zero entry, in [0, 1)");
                }
            } else if (!arg.IsNull()) {
                yaml_.fail(arg, what + ": prob takes {} or {zeros: 0.2}");
            }
        } else if (kind == "mixture") {
            g.kind = Generator::Kind::Mixture;
            yaml_.check_keys(arg, {"on", "means", "sigmas", "weights"}, what + ": mixture");
            yaml_.require(arg, "on", what + ": mixture");
            yaml_.require(arg, "means", what + ": mixture");
            yaml_.require(arg, "sigmas", what + ": mixture");
            g.of = yaml_.string(arg["on"], what + ": mixture on");
            g.means = yaml_.numbers(arg["means"], what + ": mixture means");
            g.sigmas = yaml_.numbers(arg["sigmas"], what + ": mixture sigmas");
            g.weights = arg["weights"] ? yaml_.numbers(arg["weights"], what + ": mixture weights")
                                       : std::vector<double>(g.means.size(), 1.0);
            if (g.sigmas.size() != g.means.size() || g.weights.size() != g.means.size() ||
                g.means.empty())
                yaml_.fail(arg, what + ": mixture needs as many sigmas (and weights) as means");
            for (double s : g.sigmas)
                if (!(s > 0)) yaml_.fail(arg["sigmas"], what + ": mixture sigmas must be > 0");
            if (!earlier.count(g.of))
                yaml_.fail(arg["on"], what + ": mixture is evaluated on " + quoted(g.of) +
                                          ", which must be an input given before it");
        } else if (kind == "copy") {
            g.kind = Generator::Kind::Copy;
            g.of = yaml_.string(arg, what + ": copy");
            if (!earlier.count(g.of))
                yaml_.fail(arg, what + ": copy of " + quoted(g.of) +
                                    ", which must be an input given before it");
        } else {
            yaml_.fail(kv.first, what + ": unknown generator " + quoted(kind) +
                                     suggestion(kind, kinds) +
                                     "; use one of int, uniform, log_uniform, normal, prob, "
                                     "linspace, mixture, copy");
        }
        return g;
    }

    Literal read_literal(const YAML::Node& node, const Function& f, const std::string& what) {
        Literal lit;
        lit.where = yaml_.at(node);
        if (node.IsScalar() || node.IsSequence()) {
            if (f.signature.result == abi::Scalar::Void)
                yaml_.fail(
                    node,
                    what + ": " + quoted(f.name) +
                        " returns nothing; give expected outputs by name, e.g. expect: {q: [...]}");
            lit.result = yaml_.numbers(node, what + ": expect");
            if (lit.result->size() != 1)
                yaml_.fail(node, what + ": the return value is one number");
            return lit;
        }
        if (!node.IsMap()) yaml_.fail(node, what + ": expect must be a number or a map of outputs");
        std::vector<std::string> names;
        if (f.signature.result != abi::Scalar::Void) names.push_back("return");
        for (const abi::Param& p : f.signature.params)
            if (p.is_output()) names.push_back(p.name);
        std::set<std::string> seen;
        for (const auto& kv : node) {
            const std::string key = yaml_.string(kv.first, what + ": an expect key");
            if (std::find(names.begin(), names.end(), key) == names.end())
                yaml_.fail(kv.first, what + ": expect names " + quoted(key) +
                                         ", which is not an output of " + quoted(f.name) +
                                         suggestion(key, names));
            if (!seen.insert(key).second)
                yaml_.fail(kv.first, what + ": expect gives " + quoted(key) + " twice");
            std::vector<double> values = yaml_.numbers(kv.second, what + ": expect " + key);
            if (key == "return")
                lit.result = std::move(values);
            else
                lit.outputs.emplace(key, std::move(values));
        }
        return lit;
    }

    Property read_property(const YAML::Node& node, const Spec& spec, const Exercise& ex,
                           std::set<std::string>& ids) {
        Property p;
        p.where = yaml_.at(node);
        yaml_.check_keys(node,
                         {"id", "points", "repeat", "visibility", "inputs", "calls", "check",
                          "rtol", "atol", "time_limit", "memory_limit", "hint", "note"},
                         "a property of exercise " + quoted(ex.id));
        p.id = read_id(node, "property", ex, ids);
        const std::string what = "property " + quoted(p.id);
        common_fields(node, what, p.points, p.repeat, p.visibility, p.hint, p.note);
        read_settings_fields(node, what, p.settings);
        yaml_.require(node, "inputs", what);
        yaml_.require(node, "calls", what);
        yaml_.require(node, "check", what);
        Function inputs_only;  // properties name their inputs freely
        p.inputs = read_inputs(node["inputs"], inputs_only, what, /*property=*/true);
        std::vector<std::string> known;
        for (const Input& in : p.inputs) known.push_back(in.name);
        const YAML::Node& calls = node["calls"];
        if (!calls.IsMap())
            yaml_.fail(calls,
                       what + ": calls must map names to calls, e.g. K: kl_divergence(p, q, n)");
        bool uses_owned = false;
        for (const auto& kv : calls) {
            PropertyCall call;
            call.name = yaml_.string(kv.first, what + ": a call name");
            call.where = yaml_.at(kv.second);
            if (std::find(known.begin(), known.end(), call.name) != known.end())
                yaml_.fail(kv.first, what + ": the name " + quoted(call.name) +
                                         " is already used by an input or call");
            read_call(kv.second, spec, what, known, call);
            uses_owned |= std::find(ex.functions.begin(), ex.functions.end(), call.function) !=
                          ex.functions.end();
            const Function& f = *spec.function(call.function);
            known.push_back(call.name);
            for (const abi::Param& prm : f.signature.params)
                if (prm.is_output()) known.push_back(call.name + "." + prm.name);
            p.calls.push_back(std::move(call));
        }
        if (!uses_owned)
            yaml_.fail(calls, what + ": none of its calls is to a function of exercise " +
                                  quoted(ex.id) + ", so it would test nothing the student wrote");
        const YAML::Node& checks = node["check"];
        for (const std::string& text : yaml_.strings(checks, what + ": check"))
            p.checks.push_back(parse_text(checks, what + ": check " + quoted(text), text,
                                          &parse_check, known, "is neither an input nor a call"));
        const bool inequality = std::any_of(p.checks.begin(), p.checks.end(), [](const Check& c) {
            return c.relation != Relation::Equal && c.relation != Relation::NotEqual;
        });
        if (inequality && p.settings.atol && *p.settings.atol > kMaxInequalitySlack)
            yaml_.fail(node["atol"], what + ": atol " + std::to_string(*p.settings.atol) +
                                         " is too much slack for an inequality (at most 1e-9): a "
                                         "generous tolerance can make a false claim hold");
        return p;
    }

    // Parses "f(a, b + 1, G.out)": the function name, then one expression per non-output
    // parameter, split at top-level commas.
    void read_call(const YAML::Node& node, const Spec& spec, const std::string& what,
                   const std::vector<std::string>& known, PropertyCall& call) {
        const std::string text = yaml_.string(node, what + ": call " + quoted(call.name));
        const std::size_t open = text.find('(');
        if (open == std::string::npos || text.back() != ')')
            yaml_.fail(node, what + ": call " + quoted(call.name) +
                                 " must look like function(arg, ...), got " + quoted(text));
        std::string fname = text.substr(0, open);
        fname.erase(std::remove_if(fname.begin(), fname.end(), ::isspace), fname.end());
        const Function* f = spec.function(fname);
        if (!f)
            yaml_.fail(node, what + ": call " + quoted(call.name) + " is to unknown function " +
                                 quoted(fname) + suggestion(fname, function_names(spec)));
        call.function = fname;
        std::vector<std::string> args;
        int depth = 0;
        std::string current;
        for (std::size_t i = open + 1; i + 1 < text.size(); ++i) {
            const char c = text[i];
            if (c == '(') ++depth;
            if (c == ')') --depth;
            if (c == ',' && depth == 0) {
                args.push_back(current);
                current.clear();
            } else {
                current += c;
            }
        }
        if (!current.empty() || !args.empty()) args.push_back(current);
        std::vector<std::string> expected;
        for (const abi::Param& prm : f->signature.params)
            if (!prm.is_output()) expected.push_back(prm.name);
        if (args.size() != expected.size()) {
            std::string list;
            for (const std::string& e : expected) list += (list.empty() ? "" : ", ") + e;
            yaml_.fail(node, what + ": call " + quoted(call.name) + " passes " +
                                 std::to_string(args.size()) + " arguments; " + quoted(fname) +
                                 " takes " + std::to_string(expected.size()) + " (" + list +
                                 "; outputs are not passed)");
        }
        for (const std::string& a : args)
            call.args.push_back(
                parse_text(node, what + ": call " + quoted(call.name) + ", argument " + quoted(a),
                           a, &parse_expression, known, "is neither an input nor an earlier call"));
    }

    std::string path_;
    YamlReader yaml_;
};

}  // namespace

Settings Settings::merged(const Settings& over) const {
    Settings s = *this;
    if (over.rtol) s.rtol = over.rtol;
    if (over.atol) s.atol = over.atol;
    if (over.time_limit) s.time_limit = over.time_limit;
    if (over.memory_limit_mb) s.memory_limit_mb = over.memory_limit_mb;
    return s;
}

const Function* Spec::function(const std::string& name) const {
    for (const Function& f : functions)
        if (f.name == name) return &f;
    return nullptr;
}

const Exercise* Spec::exercise(const std::string& id) const {
    for (const Exercise& e : exercises)
        if (e.id == id) return &e;
    return nullptr;
}

compare::Tolerance tolerance_of(const Spec& spec, const Exercise& ex, const Settings& own) {
    const Settings s = spec.defaults.merged(ex.settings).merged(own);
    compare::Tolerance t;
    if (s.rtol) t.rtol = *s.rtol;
    if (s.atol) t.atol = *s.atol;
    return t;
}

double time_limit_of(const Spec& spec, const Exercise& ex, const Settings& own) {
    const Settings s = spec.defaults.merged(ex.settings).merged(own);
    return s.time_limit.value_or(2.0);
}

double memory_limit_mb_of(const Spec& spec, const Exercise& ex, const Settings& own) {
    return spec.defaults.merged(ex.settings).merged(own).memory_limit_mb.value_or(1024);
}

Spec load_from_string(const std::string& text, const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        throw Error(SourceLocation{path, e.mark.is_null() ? 0 : e.mark.line + 1},
                    "this is not valid YAML: " + e.msg);
    }
    if (!root || root.IsNull()) throw Error(SourceLocation{path, 0}, "the spec is empty");
    return Loader(path).load(root);
}

Spec load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read the spec " + path +
                    ": no such file, or it is not readable (pass --spec PATH)");
    std::ostringstream text;
    text << in.rdbuf();
    return load_from_string(text.str(), path);
}

}  // namespace grader::spec
