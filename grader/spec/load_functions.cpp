// Part of the spec loader (see loader.hpp): the functions: prototypes, sizes, requirements, and
// which exercise owns each.

#include <algorithm>
#include <cmath>
#include <set>

#include "grader/spec/loader.hpp"

namespace grader::spec {

void Loader::read_functions(const YAML::Node& node, Spec& spec) {
    if (!node.IsMap())
        yaml_.fail(
            node,
            "functions must be a map from function name to its prototype, contract and sizes");
    if (node.size() > kMaxFunctions)
        yaml_.fail(node, "functions declares " + std::to_string(node.size()) +
                             " functions; at most " + std::to_string(kMaxFunctions) +
                             " are allowed");
    std::set<std::string> seen;
    for (const auto& kv : node) {
        Function f;
        f.name = yaml_.string(kv.first, "a function name");
        f.where = yaml_.at(kv.first);
        const std::string what = "function " + quoted(f.name);
        if (!seen.insert(f.name).second)
            yaml_.fail(kv.first, what + " is declared twice; keep one");
        const YAML::Node& body = kv.second;
        yaml_.check_keys(body, keys::kFunction, what);
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

void Loader::read_sizes(const YAML::Node& sizes, const YAML::Node& body, const std::string& what,
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
            yaml_.fail(sizes,
                       what + ": sizes must map each pointer parameter to its length, e.g. {p: n}");
        std::set<std::string> seen;
        for (const auto& kv : sizes) {
            const std::string param = yaml_.string(kv.first, what + ": a sizes key");
            if (std::find(pointers.begin(), pointers.end(), param) == pointers.end())
                yaml_.fail(kv.first, what + ": sizes names " + quoted(param) +
                                         ", which is not a pointer parameter" +
                                         suggestion(param, pointers));
            if (!seen.insert(param).second)
                yaml_.fail(kv.first, what + ": the size of " + quoted(param) + " is given twice");
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

void Loader::read_requires(const YAML::Node& node, const std::string& what, Function& f) {
    std::vector<std::string> params;
    for (const abi::Param& p : f.signature.params)
        if (!p.is_output()) params.push_back(p.name);
    for (const std::string& text : yaml_.strings(node, what + ": requires"))
        f.requires_.push_back(parse_text(node, what + ": requires " + quoted_expression(text), text,
                                         &parse_check, params, "is not an input parameter"));
}

void Loader::check_ownership(const YAML::Node& node, Spec& spec) {
    for (Function& f : spec.functions) {
        for (std::size_t i = 0; i < spec.exercises.size(); ++i) {
            const Exercise& ex = spec.exercises[i];
            if (std::find(ex.functions.begin(), ex.functions.end(), f.name) == ex.functions.end())
                continue;
            if (!f.exercise.empty())
                yaml_.fail(node[i]["functions"], "function " + quoted(f.name) +
                                                     " is listed by exercises " +
                                                     quoted(f.exercise) + " and " + quoted(ex.id) +
                                                     "; a function belongs to one exercise");
            f.exercise = ex.id;
        }
        if (f.exercise.empty())
            throw Error(f.where,
                        "function " + quoted(f.name) +
                            " is not listed by any exercise; add it to one exercise's functions");
    }
}

std::vector<std::string> Loader::function_names(const Spec& spec) {
    std::vector<std::string> out;
    for (const Function& f : spec.functions) out.push_back(f.name);
    return out;
}

const Function& Loader::known_function(const YAML::Node& node, const Spec& spec,
                                       const std::string& what) {
    const std::string name = yaml_.string(node, what + ": function");
    const Function* f = spec.function(name);
    if (!f)
        yaml_.fail(node, what + ": unknown function " + quoted(name) +
                             suggestion(name, function_names(spec)));
    return *f;
}

}  // namespace grader::spec
