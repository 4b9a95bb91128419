// Part of the spec loader (see loader.hpp): the inputs of cases and properties, and the generators
// that make them.

#include <algorithm>
#include <cmath>
#include <set>

#include "grader/spec/loader.hpp"

namespace grader::spec {

std::vector<Input> Loader::read_inputs(const YAML::Node& node, const Function& f,
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
            check_generator_fits(kv.second, in, f.signature.params[static_cast<std::size_t>(index)],
                                 what);
        out.push_back(std::move(in));
    }
    return out;
}

void Loader::check_generator_fits(const YAML::Node& node, const Input& in, const abi::Param& p,
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
            yaml_.fail(node, where + " is an integer; use a whole number or {int: [low, high]}");
        if (k == K::Literal &&
            (in.gen.values[0] < 0 || in.gen.values[0] != std::floor(in.gen.values[0])))
            yaml_.fail(node, where + " is an integer; give a whole number >= 0");
        // An int parameter takes what its type holds; the wider ones what a double holds exactly.
        const bool narrow = p.type == abi::Scalar::Int32;
        const double most = narrow ? kMaxInt32Input : kMaxWholeInput;
        const double given = k == K::Literal ? in.gen.values[0] : in.gen.high;
        if (given > most)
            yaml_.fail(node, where + " is " + (narrow ? "an int" : "an integer") +
                                 "; its values must be at most " +
                                 (narrow ? "2147483647" : "2^53 (9007199254740992)"));
    }
    if (p.pointer && k == K::Int)
        yaml_.fail(node, where + " is an array of doubles; {int: ...} makes whole-number scalars");
}

Generator Loader::read_generator(const YAML::Node& node, const std::string& what,
                                 const std::set<std::string>& earlier) {
    Generator g;
    g.where = yaml_.at(node);
    if (node.IsScalar() || node.IsSequence()) {
        g.kind = Generator::Kind::Literal;
        g.values = yaml_.numbers(node, what);
        return g;
    }
    // The generator table less its last key, `size`, which is no kind.
    static const std::vector<std::string> kinds(std::begin(keys::kGenerator),
                                                std::end(keys::kGenerator) - 1);
    const bool sized = node.IsMap() && node["size"];
    if (!node.IsMap() || node.size() != (sized ? 2u : 1u))
        yaml_.fail(
            node, what +
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
            parse_text(node["size"], what + ": size " + quoted_expression(text), text,
                       &parse_expression, std::vector<std::string>(earlier.begin(), earlier.end()),
                       "must be an input given before it");
    }
    const std::string kind = kv.first.Scalar();
    const YAML::Node& arg = kv.second;
    auto pair = [&](Generator::Kind k) {
        const std::vector<double> v = yaml_.numbers(arg, what + ": " + kind);
        if (v.size() != 2) yaml_.fail(arg, what + ": " + kind + " takes two numbers, [low, high]");
        g.kind = k;
        g.low = v[0];
        g.high = v[1];
        if (!(g.low <= g.high) && k != Generator::Kind::Linspace && k != Generator::Kind::Normal)
            yaml_.fail(arg, what + ": " + kind + " needs low <= high");
    };
    if (kind == "int") {
        pair(Generator::Kind::Int);
        if (g.low < 0 || g.low != std::floor(g.low) || g.high != std::floor(g.high) ||
            g.high > kMaxWholeInput)
            yaml_.fail(arg,
                       what + ": int takes two whole numbers from 0 to 2^53 (9007199254740992)");
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
            yaml_.check_keys(arg, keys::kProb, what + ": prob");
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
        yaml_.check_keys(arg, keys::kMixture, what + ": mixture");
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

}  // namespace grader::spec
