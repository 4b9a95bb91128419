// Part of the spec loader (see loader.hpp): properties: their calls, lets and checks.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "grader/spec/loader.hpp"

namespace grader::spec {

Property Loader::read_property(const YAML::Node& node, const Spec& spec, const Exercise& ex,
                               std::set<std::string>& ids) {
    Property p;
    p.where = yaml_.at(node);
    yaml_.check_keys(node, keys::kProperty, "a property of exercise " + quoted(ex.id));
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
        yaml_.fail(calls, what + ": calls must map names to calls, e.g. K: kl_divergence(p, q, n)");
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
    if (node["let"]) read_lets(node["let"], what, known, p);
    const YAML::Node& checks = node["check"];
    const std::string not_known =
        p.lets.empty() ? "is neither an input nor a call" : "is neither an input, a call nor a let";
    for (const std::string& text : yaml_.strings(checks, what + ": check"))
        p.checks.push_back(parse_text(checks, what + ": check " + quoted_expression(text), text,
                                      &parse_check, known, not_known, /*in_property=*/true));
    // With nothing to check, a property would give its points away.
    if (p.checks.empty()) yaml_.fail(checks, what + ": check needs at least one check");
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
void Loader::read_call(const YAML::Node& node, const Spec& spec, const std::string& what,
                       const std::vector<std::string>& known, PropertyCall& call) {
    const std::string text = yaml_.string(node, what + ": call " + quoted(call.name));
    const std::size_t open = text.find('(');
    if (open == std::string::npos || text.back() != ')')
        yaml_.fail(node, what + ": call " + quoted(call.name) +
                             " must look like function(arg, ...), got " + quoted_expression(text));
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
        call.args.push_back(parse_text(
            node, what + ": call " + quoted(call.name) + ", argument " + quoted_expression(a), a,
            &parse_expression, known, "is neither an input nor an earlier call"));
}

namespace {

bool is_name(const std::string& s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

// Reads `let:` in the order written. A let sees what the checks see (inputs, calls, outputs) and
// the lets above it; `known` grows by each, so the checks see them all.
void Loader::read_lets(const YAML::Node& node, const std::string& what,
                       std::vector<std::string>& known, Property& p) {
    if (!node.IsMap())
        yaml_.fail(node,
                   what + ": let must map names to expressions, e.g. let: {qF: \"w / sum(w)\"}");
    // Every let's name, so that a use of one further down reads as out of order, not unknown.
    std::vector<std::string> all;
    for (const auto& kv : node) all.push_back(yaml_.string(kv.first, what + ": a let name"));
    for (const auto& kv : node) {
        Let let;
        let.name = kv.first.Scalar();
        const std::string label = what + ": let " + quoted(let.name);
        if (!is_name(let.name))
            yaml_.fail(kv.first, label +
                                     " is not a name; use letters, digits and _, starting "
                                     "with a letter (a dot is kept for call outputs, e.g. "
                                     "F.mu)");
        if (contains(known, let.name))
            yaml_.fail(kv.first, label +
                                     " shadows an input, a call or an earlier let of that "
                                     "name; give the let a name of its own");
        if (contains(builtin_functions(), let.name) || contains(spec_functions_, let.name))
            yaml_.fail(kv.first, label + " shadows the function " + quoted(let.name) +
                                     "; give the let a name of its own");
        let.text = yaml_.string(kv.second, label);
        try {
            let.expr = parse_expression(let.text);
        } catch (const ExprError& e) {
            yaml_.fail(kv.second, label + ", column " + std::to_string(e.column + 1) + ": " +
                                      e.message + spec_function_hint(let.text, e.column));
        }
        std::vector<const Expr*> names;
        collect_names(let.expr, names);
        for (const Expr* n : names) {
            if (contains(known, n->name)) continue;
            if (n->name == let.name)
                yaml_.fail(kv.second, label +
                                          " uses itself; write it from the inputs, calls "
                                          "and lets above it");
            if (contains(all, n->name))
                yaml_.fail(kv.second, label + " uses " + quoted(n->name) +
                                          ", which is a later let; lets are evaluated in the "
                                          "order written (so they cannot form a cycle): move " +
                                          quoted(n->name) + " above " + quoted(let.name));
            yaml_.fail(kv.second, label + " uses " + quoted(n->name) +
                                      ", which is neither an input, a call nor an earlier let" +
                                      suggestion(n->name, known));
        }
        known.push_back(let.name);
        p.lets.push_back(std::move(let));
    }
}

std::string Loader::spec_function_hint(const std::string& text, std::size_t column) const {
    std::size_t end = column;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
        ++end;
    const std::string name = column < text.size() ? text.substr(column, end - column) : "";
    if (!contains(spec_functions_, name)) return "";
    return ". A check or let cannot call the spec's function " + quoted(name) +
           ": it is evaluated while grading, on the values of the property's calls (a public "
           "bundle carries no reference). Call it under calls:, or write its formula with let:, "
           "e.g. let: {q: \"w / sum(w)\"}";
}

}  // namespace grader::spec
