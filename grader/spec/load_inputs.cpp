// Part of the spec loader (see loader.hpp): the inputs of cases and properties, and the generators
// that make them.

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "grader/abi/element.hpp"
#include "grader/spec/loader.hpp"

namespace grader::spec {

namespace {

// A number as a message quotes it: the shortest text that reads back as the same double.
std::string number_text(double v) {
    return fmt::format("{}", v);
}

}  // namespace

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
    if (p.pointer) {
        check_array_generator(node, in, p, where);
        return;
    }
    if (p.type == abi::Scalar::Float && k == K::Literal) {
        if (const auto why = abi::out_of_range(p.type, in.gen.values[0]))
            yaml_.fail(node, where + " is a float; its value " + *why);
    }
    if (!abi::is_integer(p.type)) return;
    if (k != K::Literal && k != K::Int && k != K::Categorical)
        yaml_.fail(node, where + " is an integer; use a whole number or {int: [low, high]}");
    if (k == K::Categorical) return;  // its k is checked when drawn
    const bool is_signed = p.type == abi::Scalar::Int32 || p.type == abi::Scalar::Int64;
    if (k == K::Literal &&
        ((!is_signed && in.gen.values[0] < 0) || in.gen.values[0] != std::floor(in.gen.values[0])))
        yaml_.fail(node,
                   where + " is an integer; give a whole number" + (is_signed ? "" : " >= 0"));
    // An int parameter takes what its type holds; the wider ones what a double holds exactly.
    const double most = p.type == abi::Scalar::Int32   ? kMaxInt32Input
                        : p.type == abi::Scalar::UInt8 ? 255.0
                                                       : kMaxWholeInput;
    const double least = !is_signed                     ? 0
                         : p.type == abi::Scalar::Int32 ? -kMaxInt32Input - 1
                                                        : -kMaxWholeInput;
    const double high = k == K::Literal ? in.gen.values[0] : in.gen.high;
    const double low = k == K::Literal ? in.gen.values[0] : in.gen.low;
    const std::string type = p.type == abi::Scalar::Int32   ? "an int"
                             : p.type == abi::Scalar::UInt8 ? "a uint8_t"
                                                            : "an integer";
    if (high > most)
        yaml_.fail(node, where + " is " + type + "; its values must be at most " +
                             (p.type == abi::Scalar::Int32   ? "2147483647"
                              : p.type == abi::Scalar::UInt8 ? "255"
                                                             : "2^53 (9007199254740992)"));
    if (low < least)
        yaml_.fail(node, where + " is " + type + "; its values must be at least " +
                             (!is_signed                     ? "0"
                              : p.type == abi::Scalar::Int32 ? "-2147483648"
                                                             : "-2^53 (-9007199254740992)"));
}

void Loader::check_array_generator(const YAML::Node& node, const Input& in, const abi::Param& p,
                                   const std::string& where) {
    using K = Generator::Kind;
    const K k = in.gen.kind;
    const std::string type = abi::to_c(p.type);
    if (p.type == abi::Scalar::Double) {
        if (k == K::Int)
            yaml_.fail(node,
                       where + " is an array of doubles; {int: ...} makes whole-number scalars");
        return;
    }
    const bool integer = abi::is_integer(p.type);
    if (!integer && (k == K::Int || k == K::Categorical))
        yaml_.fail(node, where + " is an array of " + type +
                             "; {int: ...} and {categorical: ...} make integer arrays");
    if (integer && k != K::Literal && k != K::Int && k != K::Categorical && k != K::Copy)
        yaml_.fail(node, where + " is an array of " + type +
                             "; give whole numbers, {int: [low, high]}, {categorical: {k: ...}} "
                             "or {copy: ...}");
    if (k == K::Literal) {
        for (std::size_t i = 0; i < in.gen.values.size(); ++i)
            if (const auto why = abi::out_of_range(p.type, in.gen.values[i]))
                yaml_.fail(node, where + " is an array of " + type + "; its element " +
                                     std::to_string(i) + " (" + number_text(in.gen.values[i]) +
                                     ") " + *why);
    } else if (k == K::Int) {
        for (double bound : {in.gen.low, in.gen.high})
            if (const auto why = abi::out_of_range(p.type, bound))
                yaml_.fail(node, where + " is an array of " + type + "; the bound " +
                                     number_text(bound) + " of {int: [low, high]} " + *why);
    }
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
            node,
            what +
                " must be a number, a list of numbers, or one generator (with an optional "
                "size: expression): {int: [lo, hi]}, {uniform: [lo, hi]}, {log_uniform: [lo, "
                "hi]}, {normal: [mean, sd]}, {prob: {zeros: 0.2}}, {linspace: [lo, hi]}, "
                "{mixture: {on: x, means: [...], sigmas: [...]}}, {copy: p}, {categorical: {k: "
                "4}}");
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
        // Negative bounds are for signed parameters; the parameter's type is checked after.
        if (g.low < -kMaxWholeInput || g.low != std::floor(g.low) || g.high != std::floor(g.high) ||
            g.high > kMaxWholeInput)
            yaml_.fail(arg, what +
                                ": int takes two whole numbers from -2^53 to 2^53 "
                                "(9007199254740992)");
    } else if (kind == "categorical") {
        g.kind = Generator::Kind::Categorical;
        yaml_.check_keys(arg, keys::kCategorical, what + ": categorical");
        yaml_.require(arg, "k", what + ": categorical");
        const std::string text = yaml_.string(arg["k"], what + ": categorical k");
        g.categories =
            parse_text(arg["k"], what + ": categorical k " + quoted_expression(text), text,
                       &parse_expression, std::vector<std::string>(earlier.begin(), earlier.end()),
                       "must be an input given before it");
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
                                 "linspace, mixture, copy, categorical");
    }
    return g;
}

}  // namespace grader::spec
