// Part of the spec loader (see loader.hpp): value cases and their expected values.

#include <algorithm>
#include <cmath>
#include <set>

#include "grader/spec/loader.hpp"

namespace grader::spec {

ValueCase Loader::read_case(const YAML::Node& node, const Spec& spec, const Exercise& ex,
                            std::set<std::string>& ids) {
    ValueCase c;
    c.where = yaml_.at(node);
    yaml_.check_keys(node, keys::kCase, "a case of exercise " + quoted(ex.id));
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
                           what + ": " + quoted(other) + " takes " + quoted(p.name) + ", which " +
                               quoted(f.name) + " does not; expect_from passes parameters by name");
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

void Loader::check_inputs_complete(const YAML::Node& node, const Function& f,
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
                    if (i.name == array && i.gen.kind == Generator::Kind::Literal) inferable = true;
            }
        if (!inferable)
            yaml_.fail(node, what + ": input " + quoted(p.name) + " of " + quoted(f.name) +
                                 " is not given");
    }
}

Literal Loader::read_literal(const YAML::Node& node, const Function& f, const std::string& what) {
    Literal lit;
    lit.where = yaml_.at(node);
    if (node.IsScalar() || node.IsSequence()) {
        if (f.signature.result == abi::Scalar::Void)
            yaml_.fail(
                node,
                what + ": " + quoted(f.name) +
                    " returns nothing; give expected outputs by name, e.g. expect: {q: [...]}");
        lit.result = result_values(node, f, what + ": expect");
        if (lit.result->size() != 1) yaml_.fail(node, what + ": the return value is one number");
        return lit;
    }
    if (!node.IsMap()) yaml_.fail(node, what + ": expect must be a number or a map of outputs");
    std::vector<std::string> names;
    if (f.signature.result != abi::Scalar::Void) names.emplace_back(keys::kExpect[0]);
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
        if (key == keys::kExpect[0])
            lit.result = result_values(kv.second, f, what + ": expect " + key);
        else
            lit.outputs.emplace(key, yaml_.numbers(kv.second, what + ": expect " + key));
    }
    return lit;
}

std::vector<double> Loader::result_values(const YAML::Node& node, const Function& f,
                                          const std::string& what) {
    // YAML spells a truth value in several ways (true, True, TRUE, ...); yaml-cpp knows them all.
    bool truth = false;
    const bool is_truth = node.IsScalar() && YAML::convert<bool>::decode(node, truth);
    if (f.signature.result == abi::Scalar::Bool) {
        if (is_truth) return {truth ? 1.0 : 0.0};
        const std::vector<double> values = yaml_.numbers(node, what);
        for (double v : values)
            if (v != 0 && v != 1)
                yaml_.fail(node, what + ": " + quoted(f.name) +
                                     " returns bool; write expect: true or expect: false");
        return values;
    }
    if (is_truth)
        yaml_.fail(node,
                   what + ": " + quoted(f.name) + " returns " + abi::to_c(f.signature.result) +
                       ", not bool; " +
                       "write the number it should return, e.g. expect: " + (truth ? "1" : "0"));
    return yaml_.numbers(node, what);
}

}  // namespace grader::spec
