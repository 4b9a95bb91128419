#define BOOST_TEST_MODULE spec
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "grader/error.hpp"
#include "grader/spec/c_header.hpp"
#include "grader/spec/expr.hpp"
#include "grader/spec/keys.hpp"
#include "grader/spec/public_text.hpp"
#include "grader/spec/spec.hpp"

using namespace grader;
using namespace grader::spec;

namespace {

const std::string kSpecPath = std::string(PROJECT_ROOT) + "/exercises.yaml";

// A small valid spec; broken variants replace one part of it.
const std::string kHead = R"(version: 1
title: tiny
seed: 1
functions:
  kl_divergence:
    prototype: double kl_divergence(const double *p, const double *q, size_t n)
    sizes: {p: n, q: n}
  softmax_t:
    prototype: void softmax_t(const double *logits, size_t n, double tau, double *p)
    sizes: {logits: n, p: n}
exercises:
)";

const std::string kExercises = R"(  - id: ex1
    functions: [kl_divergence]
    cases:
      - id: a
        function: kl_divergence
        inputs: {p: [0.5, 0.5], q: [0.25, 0.75]}
  - id: ex8
    functions: [softmax_t]
    cases:
      - id: b
        function: softmax_t
        inputs: {logits: [1, 2], tau: 1}
)";

std::string load_error(const std::string& text) {
    try {
        load_from_string(text, "t.yaml");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

std::string repeated(const std::string& piece, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

std::string expression_error(const std::string& text) {
    try {
        parse_expression(text);
    } catch (const ExprError& e) {
        return "column " + std::to_string(e.column + 1) + ": " + e.message;
    }
    return "no error";
}

const std::string kTooDeep =
    "the expression is nested more than 64 levels deep; split it into simpler checks or calls";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(spec)

BOOST_AUTO_TEST_CASE(loads_a_small_spec) {
    const Spec s = load_from_string(kHead + kExercises, "t.yaml");
    BOOST_TEST(s.functions.size() == 2u);
    BOOST_TEST(s.exercises.size() == 2u);
    BOOST_TEST(s.functions[0].exercise == "ex1");
    BOOST_TEST(s.exercises[1].cases[0].inputs.size() == 2u);
    BOOST_TEST(s.exercises[0].cases[0].where.line == 15);
}

BOOST_AUTO_TEST_CASE(loads_the_project_spec) {
    const Spec s = load(kSpecPath);
    BOOST_TEST(s.functions.size() == 21u);
    BOOST_TEST(s.exercises.size() == 10u);
    for (const Function& f : s.functions) BOOST_TEST(!f.exercise.empty());
    int hidden_random = 0;
    for (const Exercise& ex : s.exercises)
        for (const ValueCase& c : ex.cases)
            hidden_random += c.visibility == Visibility::Hidden && c.repeat >= 25;
    BOOST_TEST(hidden_random >= 15);
}

BOOST_AUTO_TEST_CASE(every_array_function_has_25_random_hidden_draws) {
    const Spec s = load(kSpecPath);
    for (const Function& f : s.functions) {
        if (f.sizes.empty()) continue;
        bool has_input_array = false;
        for (const auto& p : f.signature.params) has_input_array |= p.is_input_array();
        if (!has_input_array) continue;
        int draws = 0;
        for (const Exercise& ex : s.exercises)
            for (const ValueCase& c : ex.cases)
                if (c.function == f.name && c.visibility == Visibility::Hidden && c.repeat > 1)
                    draws += c.repeat;
        BOOST_TEST_CONTEXT(f.name) {
            BOOST_TEST(draws >= 25);
        }
    }
}

// The notebook's figures that the spec quotes are the ones in tests/data/seed_values.json.
BOOST_AUTO_TEST_CASE(quoted_notebook_figures_match_the_seed_values) {
    const Spec s = load(kSpecPath);
    std::ifstream in(std::string(PROJECT_ROOT) + "/tests/data/seed_values.json");
    const nlohmann::json seed = nlohmann::json::parse(in);
    auto literal = [&](const std::string& ex, const std::string& id) -> const Literal& {
        for (const ValueCase& c : s.exercise(ex)->cases)
            if (c.id == id) return c.expect;
        throw std::runtime_error("no case " + id);
    };
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>> scalars = {
        {"ex1", "tokens_kl_pq", "ex1", "kl_pq"},
        {"ex1", "tokens_kl_qp", "ex1", "kl_qp"},
        {"ex1", "tokens_entropy", "ex1", "H_p"},
        {"ex1", "tokens_cross_entropy", "ex1", "H_pq"},
        {"ex1", "gibbs_pair_kl_pq", "ex2", "kl_pq"},
        {"ex1", "gibbs_pair_kl_qp", "ex2", "kl_qp"},
        {"ex4", "conditional_notebook", "ex4", "kl_cond_avg"},
        {"ex5", "gaussian_notebook", "ex5", "kl_analytic"},
        {"ex5", "vae_notebook", "ex5", "kl_vae"},
        {"ex6", "js_notebook", "ex6", "js"},
        {"ex6", "chi2_notebook", "ex6", "chi2"},
        {"ex6", "tv_notebook", "ex6", "tv"},
        {"ex9", "notebook", "ex9", "kl_ts"},
        {"ex7", "policy_notebook", "ex7", "log_Z"},
    };
    for (const auto& [ex, id, key_ex, key] : scalars) BOOST_TEST_CONTEXT(ex << "/" << id) {
            BOOST_TEST(literal(ex, id).result->at(0) == seed[key_ex][key].get<double>());
        }
    const std::vector<std::tuple<std::string, std::string, std::string, std::string, std::string>>
        arrays = {
            {"ex2", "notebook_terms", "log_ratio", "ex2", "log_ratio"},
            {"ex2", "notebook_terms", "linear", "ex2", "linear_m1"},
            {"ex7", "dpo_notebook", "reward", "ex7", "r_dpo"},
            {"ex8", "teacher_tau_0_5", "p", "ex8", "softmax"},
            {"ex10", "notebook", "pi", "ex10", "pi_star"},
        };
    for (const auto& [ex, id, output, key_ex, key] : arrays) {
        const nlohmann::json& figure =
            key == "softmax" ? seed["ex8"]["softmax"]["0.5"] : seed[key_ex][key];
        BOOST_TEST_CONTEXT(ex << "/" << id) {
            BOOST_TEST(literal(ex, id).outputs.at(output) == figure.get<std::vector<double>>());
        }
    }
    BOOST_TEST(literal("ex3", "fit_forward_notebook").outputs.at("sigma").at(0) ==
               seed["ex3"]["sig_fwd"].get<double>());
    BOOST_TEST(literal("ex3", "fit_reverse_notebook").outputs.at("mu").at(0) ==
               seed["ex3"]["mu_rev"].get<double>());
}

BOOST_AUTO_TEST_CASE(committed_header_matches_the_spec) {
    const std::string generated = c_header(load(kSpecPath));
    const std::string committed =
        read_file(std::string(PROJECT_ROOT) + "/student_template/kl_exercises.h");
    BOOST_TEST(generated == committed,
               "student_template/kl_exercises.h is stale: regenerate it with "
               "`build/bin/grader header -o student_template/kl_exercises.h`");
}

// Two sets' headers must not share an include guard, or a student taking both courses gets the
// second header silently emptied.
BOOST_AUTO_TEST_CASE(the_header_is_named_after_its_set) {
    auto header_of = [](const std::string& title_lines) {
        std::string text = kHead + kExercises;
        text.replace(text.find("title: tiny\n"), 12, title_lines);
        return c_header(load_from_string(text, "t.yaml"));
    };
    const std::string kl = header_of("title: KL divergence exercises\n");
    BOOST_TEST(kl.find("#ifndef KL_DIVERGENCE_EXERCISES_H\n#define KL_DIVERGENCE_EXERCISES_H\n") !=
               std::string::npos);
    BOOST_TEST(kl.find("#define KL_DIVERGENCE_EXERCISES_ABI_VERSION 1\n") != std::string::npos);
    BOOST_TEST(kl.find("#endif /* KL_DIVERGENCE_EXERCISES_H */") != std::string::npos);
    // Nothing of one course is written into another's header.
    BOOST_TEST(kl.find("nats") == std::string::npos);
    BOOST_TEST(header_of("title: \"9 lives: a set\"\n").find("#ifndef SET_9_LIVES_A_SET_H") !=
               std::string::npos);
    BOOST_TEST(header_of("").find("#ifndef EXERCISES_H") != std::string::npos);
    const std::string with = header_of("title: Sets\nconventions: Logarithms are in bits.\n");
    BOOST_TEST(with.find(" * Output arrays are allocated by the caller.\n"
                         " * Logarithms are in bits.\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(broken_yaml_names_the_line) {
    BOOST_TEST(load_error(kHead + "  - id: [unclosed\n") ==
               "t.yaml:13: this is not valid YAML: end of sequence flow not found");
    BOOST_TEST(load_error("") == "t.yaml: the spec is empty");
}

BOOST_AUTO_TEST_CASE(unknown_keys_get_a_suggestion) {
    std::string text = kHead + kExercises;
    text.replace(text.find("inputs: {logits"), 6, "inptus");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: a case of exercise \"ex8\": unknown key \"inptus\" (did you mean "
               "\"inputs\"?); allowed keys are "
               "id, function, points, repeat, visibility, inputs, expect, expect_from, rtol, atol, "
               "time_limit, memory_limit, hint, note");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_refused) {
    std::string text = kHead + kExercises;
    text.replace(text.find("        inputs: {logits"), 0, "        points: 2\n        points: 3\n");
    BOOST_TEST(load_error(text) ==
               "t.yaml:24: a case of exercise \"ex8\": key \"points\" is given twice; keep one");
}

BOOST_AUTO_TEST_CASE(bad_numbers_say_what_was_expected) {
    std::string text = kHead + kExercises;
    text.replace(text.find("        inputs: {logits"), 0, "        rtol: tight\n");
    BOOST_TEST(load_error(text) == "t.yaml:23: case \"b\": rtol must be a number, got \"tight\"");
}

BOOST_AUTO_TEST_CASE(prototype_errors_give_the_column) {
    std::string text = kHead + kExercises;
    text.replace(text.find("double kl_divergence(const double *p"), 36,
                 "double kl_divergence(const long *p");
    BOOST_TEST(load_error(text) ==
               "t.yaml:6: function \"kl_divergence\": prototype, column 28: unsupported type "
               "'long' (use double, float, int32_t or int, int64_t, uint64_t, size_t, uint8_t, or "
               "bool as a result)");
}

BOOST_AUTO_TEST_CASE(a_pointer_needs_a_size) {
    std::string text = kHead + kExercises;
    text.replace(text.find("{p: n, q: n}"), 12, "{p: n}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:7: function \"kl_divergence\": pointer parameter \"q\" has no size; add it "
               "under sizes, e.g. q: n");
}

BOOST_AUTO_TEST_CASE(unknown_function_in_a_case) {
    std::string text = kHead + kExercises;
    text.replace(text.find("function: kl_divergence"), 23, "function: kl_divergense");
    BOOST_TEST(load_error(text) ==
               "t.yaml:16: case \"a\": unknown function \"kl_divergense\" (did you mean "
               "\"kl_divergence\"?)");
}

BOOST_AUTO_TEST_CASE(a_case_belongs_to_its_functions_exercise) {
    std::string text = kHead + kExercises;
    text.replace(text.find("function: kl_divergence"), 23, "function: softmax_t");
    const std::string inputs = "{p: [0.5, 0.5], q: [0.25, 0.75]}";
    text.replace(text.find(inputs), inputs.size(), "{logits: [1], tau: 1}");
    BOOST_TEST(
        load_error(text) ==
        "t.yaml:16: case \"a\": function \"softmax_t\" is not one of exercise \"ex1\"'s functions; "
        "its cases belong to its own exercise");
}

BOOST_AUTO_TEST_CASE(unknown_input_names_a_parameter) {
    std::string text = kHead + kExercises;
    text.replace(text.find("tau: 1}"), 7, "temp: 1}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": \"softmax_t\" has no parameter \"temp\"");
}

BOOST_AUTO_TEST_CASE(a_missing_input_is_named) {
    std::string text = kHead + kExercises;
    text.replace(text.find(", tau: 1}"), 9, "}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": input \"tau\" of \"softmax_t\" is not given");
}

BOOST_AUTO_TEST_CASE(unknown_generator) {
    std::string text = kHead + kExercises;
    text.replace(text.find("{logits: [1, 2], tau: 1}"), 24,
                 "{n: 3, logits: {gauss: [0, 1]}, tau: 1}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": input \"logits\": unknown generator \"gauss\"; use one of "
               "int, uniform, "
               "log_uniform, normal, prob, linspace, mixture, copy, categorical");
}

BOOST_AUTO_TEST_CASE(visibility_is_public_or_hidden) {
    std::string text = kHead + kExercises;
    text.replace(text.find("        inputs: {logits"), 0, "        visibility: hiden\n");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": visibility must be \"public\" or \"hidden\", got \"hiden\" "
               "(did you mean \"hidden\"?)");
}

BOOST_AUTO_TEST_CASE(duplicate_case_ids) {
    std::string text = kHead + kExercises;
    text.replace(text.find("id: b"), 5, "id: a");
    text += "      - id: a\n        function: softmax_t\n        inputs: {logits: [1], tau: 1}\n";
    BOOST_TEST(load_error(text) ==
               "t.yaml:24: exercise \"ex8\": id \"a\" is used twice; case and property ids must be "
               "unique within an exercise");
}

BOOST_AUTO_TEST_CASE(an_unowned_function_is_an_error) {
    std::string text = kHead + kExercises;
    text.replace(text.find("functions: [softmax_t]"), 22, "functions: []");
    text.erase(text.find("    cases:\n      - id: b"));
    BOOST_TEST(load_error(text) ==
               "t.yaml:8: function \"softmax_t\" is not listed by any exercise; add it to one "
               "exercise's functions");
}

BOOST_AUTO_TEST_CASE(properties_check_their_names) {
    const std::string prop = R"yaml(    properties:
      - id: p1
        inputs: {p: [0.5, 0.5], q: [0.5, 0.5], n: 2}
        calls: {K: "kl_divergence(p, q, n)"}
        check: "K >= Z"
)yaml";
    std::string text = kHead + kExercises;
    text.insert(text.find("  - id: ex8"), prop);
    BOOST_TEST(load_error(text) ==
               "t.yaml:22: property \"p1\": check \"K >= Z\" uses \"Z\", which is neither an input "
               "nor a call");
}

// ex1 with a property whose `let:` block is `lets` (lines from 23 on) and whose check is `check`.
std::string with_lets(const std::string& lets, const std::string& check = "K >= 0") {
    const std::string prop =
        "    properties:\n"
        "      - id: p1\n"
        "        inputs: {p: [0.5, 0.5], q: [0.25, 0.75], n: 2}\n"
        "        calls: {K: \"kl_divergence(p, q, n)\"}\n"
        "        let:\n" +
        lets + "        check: \"" + check + "\"\n";
    std::string text = kHead + kExercises;
    text.insert(text.find("  - id: ex8"), prop);
    return text;
}

BOOST_AUTO_TEST_CASE(lets_bind_names_in_order_for_the_checks) {
    const Spec s = load_from_string(with_lets("          w: \"p / q\"\n"
                                              "          kl: \"sum(p * log(w))\"\n",
                                              "kl == K"),
                                    "t.yaml");
    const Property& p = s.exercises[0].properties.at(0);
    BOOST_TEST_REQUIRE(p.lets.size() == 2u);
    BOOST_TEST(p.lets[0].name == "w");
    BOOST_TEST(p.lets[1].name == "kl");
    BOOST_TEST(p.lets[1].text == "sum(p * log(w))");
    BOOST_TEST(p.checks.at(0).text == "kl == K");
    // A let may hold an array: w is p / q elementwise, and kl reads it.
    const Value w = evaluate(p.lets[0].expr, [](std::string_view n) -> std::optional<Value> {
        if (n == "p") return Value{0.5, 0.5};
        if (n == "q") return Value{0.25, 0.75};
        return std::nullopt;
    });
    BOOST_TEST(w == (Value{2.0, 0.5 / 0.75}));
}

BOOST_AUTO_TEST_CASE(let_errors_name_the_line_and_the_fix) {
    const std::string head = "t.yaml:23: property \"p1\": let ";
    BOOST_TEST(load_error(with_lets("          q: \"p * 2\"\n")) ==
               head +
                   "\"q\" shadows an input, a call or an earlier let of that name; give the "
                   "let a name of its own");
    BOOST_TEST(load_error(with_lets("          K: \"p * 2\"\n")) ==
               head +
                   "\"K\" shadows an input, a call or an earlier let of that name; give the "
                   "let a name of its own");
    BOOST_TEST(load_error(with_lets("          sum: \"p * 2\"\n")) ==
               head + "\"sum\" shadows the function \"sum\"; give the let a name of its own");
    BOOST_TEST(load_error(with_lets("          softmax_t: \"p * 2\"\n")) ==
               head +
                   "\"softmax_t\" shadows the function \"softmax_t\"; give the let a name of "
                   "its own");
    BOOST_TEST(load_error(with_lets("          K.x: \"p * 2\"\n")) ==
               head +
                   "\"K.x\" is not a name; use letters, digits and _, starting with a letter "
                   "(a dot is kept for call outputs, e.g. F.mu)");
    BOOST_TEST(load_error(with_lets("          w: \"p / qq\"\n")) ==
               head + "\"w\" uses \"qq\", which is neither an input, a call nor an earlier let");
    BOOST_TEST(load_error(with_lets("          w: \"p / v\"\n          v: \"q * 2\"\n")) ==
               head +
                   "\"w\" uses \"v\", which is a later let; lets are evaluated in the order "
                   "written (so they cannot form a cycle): move \"v\" above \"w\"");
    BOOST_TEST(load_error(with_lets("          w: \"w + 1\"\n")) ==
               head + "\"w\" uses itself; write it from the inputs, calls and lets above it");
    BOOST_TEST(load_error(with_lets("          w: \"p * (q + 1\"\n")) ==
               head + "\"w\", column 11: expected ')'");
    // The reference is not at hand while checks are evaluated: the message says what to do.
    BOOST_TEST(load_error(with_lets("          w: \"kl_divergence(p, q, n)\"\n")) ==
               head +
                   "\"w\", column 1: unknown function 'kl_divergence' (available: sum, abs, "
                   "sqrt, log, exp, min, max, len). A check or let cannot call the spec's "
                   "function \"kl_divergence\": it is evaluated while grading, on the values "
                   "of the property's calls (a public bundle carries no reference). Call it "
                   "under calls:, or write its formula with let:, e.g. let: {q: \"w / sum(w)\"}");
    BOOST_TEST(load_error(with_lets("          - w\n")) ==
               "t.yaml:23: property \"p1\": let must map names to expressions, e.g. let: {qF: "
               "\"w / sum(w)\"}");
    BOOST_TEST(load_error(with_lets("          w: \"p / q\"\n", "kl_divergence(p, w, n) > 0"))
                   .ends_with("column 1: unknown function 'kl_divergence' (available: sum, abs, "
                              "sqrt, log, exp, min, max, len). A check or let cannot call the "
                              "spec's function \"kl_divergence\": it is evaluated while grading, "
                              "on the values of the property's calls (a public bundle carries no "
                              "reference). Call it under calls:, or write its formula with let:, "
                              "e.g. let: {q: \"w / sum(w)\"}"));
    // A check names a let that does not exist.
    BOOST_TEST(load_error(with_lets("          w: \"p / q\"\n", "v >= 0")) ==
               "t.yaml:24: property \"p1\": check \"v >= 0\" uses \"v\", which is neither an "
               "input, a call nor a let");
}

BOOST_AUTO_TEST_CASE(a_property_call_takes_every_input_parameter) {
    const std::string prop = R"yaml(    properties:
      - id: p1
        inputs: {p: [0.5, 0.5], q: [0.5, 0.5], n: 2}
        calls: {K: "kl_divergence(p, q)"}
        check: "K >= 0"
)yaml";
    std::string text = kHead + kExercises;
    text.insert(text.find("  - id: ex8"), prop);
    BOOST_TEST(load_error(text) ==
               "t.yaml:21: property \"p1\": call \"K\" passes 2 arguments; \"kl_divergence\" takes "
               "3 (p, q, n; outputs are not passed)");
}

BOOST_AUTO_TEST_CASE(inequalities_cannot_have_generous_slack) {
    const std::string prop = R"yaml(    properties:
      - id: p1
        inputs: {p: [0.5, 0.5], q: [0.5, 0.5], n: 2}
        calls: {K: "kl_divergence(p, q, n)"}
        check: "K <= 0"
        atol: 0.001
)yaml";
    std::string text = kHead + kExercises;
    text.insert(text.find("  - id: ex8"), prop);
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: property \"p1\": atol 0.001000 is too much slack for an inequality (at "
               "most 1e-9): "
               "a generous tolerance can make a false claim hold");
}

// --- Limits: what a hand-written or hostile spec cannot do to the loader --------------------

BOOST_AUTO_TEST_CASE(expressions_nest_at_most_64_levels) {
    // Parentheses: the whole expression is one level, each pair one more.
    BOOST_TEST(expression_error(repeated("(", 63) + "n" + repeated(")", 63)) == "no error");
    BOOST_TEST(expression_error(repeated("(", 64) + "n" + repeated(")", 64)) ==
               "column 65: " + kTooDeep);
    // A run of unary minus.
    BOOST_TEST(expression_error(repeated("-", 63) + "n") == "no error");
    BOOST_TEST(expression_error(repeated("-", 4000) + "n") == "column 64: " + kTooDeep);
    // A chain is as deep as it is long: 63 additions make 64 levels.
    BOOST_TEST(expression_error("n" + repeated("+n", 63)) == "no error");
    BOOST_TEST(expression_error("n" + repeated("+n", 64)) == "column 130: " + kTooDeep);
    // Calls inside calls.
    BOOST_TEST(expression_error(repeated("abs(", 70) + "n" + repeated(")", 70)) ==
               "column 257: " + kTooDeep);
    BOOST_TEST(expression_error(repeated("n+", 2100) + "n") ==
               "column 1: the text is 4201 characters long; at most 4096 are allowed");
    BOOST_TEST(expression_error(repeated("(", 4000)) == "column 65: " + kTooDeep);
}

BOOST_AUTO_TEST_CASE(a_deeply_nested_check_is_an_error_not_a_crash) {
    const std::string prop =
        "    properties:\n      - id: p1\n        inputs: {p: [0.5, 0.5], q: "
        "[0.5, 0.5], n: 2}\n        calls: {K: \"kl_divergence(p, q, n)\"}\n"
        "        check: \"" +
        repeated("(", 3000) + "K" + repeated(")", 3000) + " >= 0\"\n";
    std::string text = kHead + kExercises;
    text.insert(text.find("  - id: ex8"), prop);
    BOOST_TEST(load_error(text) ==
               "t.yaml:22: property \"p1\": check \"" + repeated("(", 56) +
                   " ...\", column 1: the text is 6006 characters long; at most 4096 are allowed");
    std::string shorter = kHead + kExercises;
    shorter.insert(shorter.find("  - id: ex8"),
                   "    properties:\n      - id: p1\n        inputs: {p: [0.5, 0.5], q: "
                   "[0.5, 0.5], n: 2}\n        calls: {K: \"kl_divergence(p, q, n)\"}\n"
                   "        check: \"" +
                       repeated("-", 2000) + "K >= 0\"\n");
    BOOST_TEST(load_error(shorter) ==
               "t.yaml:22: property \"p1\": check \"-------------------------------------------"
               "------------- ...\", column 64: " +
                   kTooDeep);
}

BOOST_AUTO_TEST_CASE(deeply_nested_yaml_is_an_error_not_a_crash) {
    BOOST_TEST(load_error(repeated("[", 100000) + repeated("]", 100000)) ==
               "t.yaml:1: this YAML nests more than 499 levels deep; a spec needs fewer than 10");
    BOOST_TEST(load_error("functions: " + repeated("{a: ", 1000) + "1" + repeated("}", 1000)) ==
               "t.yaml:1: this YAML nests more than 499 levels deep; a spec needs fewer than 10");
}

BOOST_AUTO_TEST_CASE(a_deeply_nested_size_is_an_error_not_a_crash) {
    std::string text = kHead + kExercises;
    text.replace(text.find("{p: n, q: n}"), 12, "{p: \"" + repeated("-", 3000) + "n\", q: n}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:7: function \"kl_divergence\": the size of \"p\", column 64: " + kTooDeep);
}

BOOST_AUTO_TEST_CASE(numbers_are_held_to_their_ranges) {
    std::string text = kHead + kExercises;
    text.replace(text.find("        inputs: {logits"), 0, "        memory_limit: 1e30\n");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": memory_limit is in MiB and must be "
               "from 16 to 1048576 (1 TiB)");
    text = kHead + kExercises;
    text.replace(text.find("{logits: [1, 2], tau: 1}"), 24, "{logits: [1, 2], n: 1e20, tau: 1}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": input \"n\" is an integer; its values "
               "must be at most 2^53 (9007199254740992)");
    text = kHead + kExercises;
    text.replace(text.find("{logits: [1, 2], tau: 1}"), 24,
                 "{logits: {uniform: [0, 1]}, n: {int: [1, 1e30]}, tau: 1}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": input \"n\": int takes two whole "
               "numbers from -2^53 to 2^53 (9007199254740992)");
    text = kHead + kExercises;
    text.replace(text.find("{logits: [1, 2], tau: 1}"), 24,
                 "{logits: {uniform: [0, 1]}, n: {int: [-1, 3]}, tau: 1}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": input \"n\" is an integer; its values "
               "must be at least 0");
    text = kHead + kExercises;
    text.replace(text.find("        inputs: {logits"), 0, "        points: 1e30\n");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": points must be a whole number, got "
               "\"1e30\"");
}

BOOST_AUTO_TEST_CASE(an_int_parameter_takes_what_an_int_holds) {
    std::string text = kHead + kExercises;
    text.replace(text.find("size_t n, double tau"), 20, "int n, double tau");
    text.replace(text.find("{logits: [1, 2], tau: 1}"), 24,
                 "{logits: [1, 2], n: 3000000000, tau: 1}");
    BOOST_TEST(load_error(text) ==
               "t.yaml:23: case \"b\": input \"n\" is an int; its values must "
               "be at most 2147483647");
}

BOOST_AUTO_TEST_CASE(a_property_needs_a_check) {
    const std::string prop = R"yaml(    properties:
      - id: p1
        inputs: {p: [0.5, 0.5], q: [0.5, 0.5], n: 2}
        calls: {K: "kl_divergence(p, q, n)"}
        check: []
)yaml";
    std::string text = kHead + kExercises;
    text.insert(text.find("  - id: ex8"), prop);
    BOOST_TEST(load_error(text) == "t.yaml:22: property \"p1\": check needs at least one check");
}

BOOST_AUTO_TEST_CASE(prototypes_are_held_to_what_the_worker_carries) {
    std::string params;
    for (int i = 0; i < 65; ++i) params += (i ? ", double x" : "double x") + std::to_string(i);
    std::string text = kHead + kExercises;
    text.replace(text.find("double kl_divergence(const double *p, const double *q, size_t n)"), 64,
                 "double kl_divergence(" + params + ")");
    BOOST_TEST(load_error(text) ==
               "t.yaml:6: function \"kl_divergence\": prototype, column 780: a "
               "function may have at most 64 parameters");
    text = kHead + kExercises;
    text.replace(text.find("const double *q"), 15, "const double *" + repeated("q", 300));
    BOOST_TEST(load_error(text) ==
               "t.yaml:6: function \"kl_divergence\": prototype, column 53: a "
               "parameter name is 300 characters long; at most 256 are allowed");
}

BOOST_AUTO_TEST_CASE(missing_file) {
    try {
        load("/nonexistent/exercises.yaml");
        BOOST_FAIL("expected an error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "cannot read the spec /nonexistent/exercises.yaml: no such file, or it is not "
                   "readable (pass --spec PATH)");
    }
}

BOOST_AUTO_TEST_CASE(expressions_evaluate_with_broadcasting) {
    const Expr e = parse_expression("sum(p * log(p / q)) + -1 * max(q)");
    const Lookup lookup = [](std::string_view n) -> std::optional<Value> {
        if (n == "p") return Value{0.5, 0.5};
        if (n == "q") return Value{0.25, 0.75};
        return std::nullopt;
    };
    const Value v = evaluate(e, lookup);
    BOOST_REQUIRE_EQUAL(v.size(), 1u);
    BOOST_TEST(v[0] == 0.5 * std::log(2.0) + 0.5 * std::log(0.5 / 0.75) - 0.75,
               boost::test_tools::tolerance(1e-15));
    const Check c = parse_check("G.log_ratio <= G.linear");
    BOOST_TEST((c.relation == Relation::LessEqual));
    BOOST_TEST(c.lhs.name == "G.log_ratio");
}

BOOST_AUTO_TEST_CASE(expression_errors_give_the_column) {
    try {
        parse_check("sum(p) = 1");
        BOOST_FAIL("expected an error");
    } catch (const ExprError& e) {
        BOOST_TEST(e.column == 7u);
        BOOST_TEST(e.message == "expected a comparison (==, !=, <=, >=, <, >)");
    }
    try {
        parse_expression("softmax(p)");
        BOOST_FAIL("expected an error");
    } catch (const ExprError& e) {
        BOOST_TEST(
            e.message ==
            "unknown function 'softmax' (available: sum, abs, sqrt, log, exp, min, max, len)");
    }
}

// docs/spec.md documents each of the loader's key tables in a section headed "<where> keys",
// with a table row whose first cell holds "`key`" for every key. A key the loader accepts without a
// row here fails: documenting it is part of adding it.
BOOST_AUTO_TEST_CASE(every_key_the_loader_accepts_is_documented) {
    std::istringstream doc(read_file(std::string(PROJECT_ROOT) + "/docs/spec.md"));
    std::vector<std::string> lines;
    std::vector<bool> heading;  // a "#" line outside a fenced code block (YAML comments are in)
    bool in_code = false;
    for (std::string line; std::getline(doc, line);) {
        if (line.starts_with("```")) in_code = !in_code;
        heading.push_back(!in_code && line.starts_with('#'));
        lines.push_back(line);
    }
    BOOST_TEST_REQUIRE(lines.size() > 100u);
    auto lower = [](std::string s) {
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    for (const keys::Table& table : keys::kTables) {
        const std::string title = lower(std::string(table.where)) + " keys";
        std::size_t start = lines.size();
        for (std::size_t i = 0; i < lines.size() && start == lines.size(); ++i) {
            const std::size_t text = lines[i].find_first_not_of("# ");
            if (heading[i] && text != std::string::npos &&
                lower(lines[i].substr(text)).starts_with(title))
                start = i;
        }
        BOOST_TEST_CONTEXT("docs/spec.md, section \"" << title << "\"") {
            BOOST_TEST_REQUIRE(start < lines.size(), "no heading starts with \"" << title << "\"");
            for (std::string_view key : table.keys) {
                bool documented = false;
                for (std::size_t i = start + 1; i < lines.size() && !heading[i]; ++i) {
                    // The row's first cell names the keys it documents: "| `rtol`, `atol` |".
                    if (!lines[i].starts_with("| ")) continue;
                    const std::string cell = lines[i].substr(0, lines[i].find('|', 1));
                    documented |= cell.find("`" + std::string(key) + "`") != std::string::npos;
                }
                BOOST_TEST(documented, "key \"" << key
                                                << "\" has no table row whose first cell is `"
                                                << key << "`");
            }
        }
    }
}

// The unknown-key message lists the same table the key is checked against.
BOOST_AUTO_TEST_CASE(the_unknown_key_message_lists_the_loaders_table) {
    std::string text = kHead + kExercises;
    text.replace(text.find("inputs: {logits"), 6, "inptus");
    std::string listed;
    for (std::string_view k : keys::kCase) listed += (listed.empty() ? "" : ", ") + std::string(k);
    BOOST_TEST(load_error(text).ends_with("allowed keys are " + listed));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// Lines 1-12; its cases begin at line 13 (see typed_case).
const std::string kTypedHead = R"(version: 1
title: typed
functions:
  f:
    prototype: void f(const int32_t *x, const uint8_t *b, const int64_t *w, const float *v, size_t n, int32_t k, float a, uint8_t s, int32_t *out)
    sizes: {x: n, b: n, w: n, v: n, out: n}
  sorted:
    prototype: bool sorted(const int32_t *x, size_t n)
    sizes: {x: n}
exercises:
  - id: e
    functions: [f, sorted]
    cases:
)";

// A spec whose one case (line 14: `inputs`) has these inputs.
std::string typed_case(const std::string& inputs) {
    return kTypedHead + "      - id: c\n        function: f\n        inputs: {" + inputs + "}\n";
}

const std::string kTypedInputs =
    "n: 3, k: -4, a: 0.1, s: 255, x: {int: [-5, 5]}, b: [0, 128, 255], "
    "w: [-9007199254740992, 0, 9007199254740992], v: [0.1, 0.2, 0.3]";

std::string typed_error(std::string inputs, const std::string& from, const std::string& to) {
    inputs.replace(inputs.find(from), from.size(), to);
    return load_error(typed_case(inputs));
}

}  // namespace

BOOST_AUTO_TEST_CASE(typed_generators_and_literals_load) {
    const Spec s = load_from_string(
        typed_case(kTypedInputs) +
            "      - id: d\n        function: f\n        inputs: {n: 2, k: 3, a: 1, s: 0, x: "
            "{categorical: {k: k}}, b: {int: [0, 255]}, w: {int: [-10, 10]}, v: {uniform: [0, "
            "1]}}\n",
        "t.yaml");
    const auto& cases = s.exercises.at(0).cases;
    BOOST_REQUIRE_EQUAL(cases.size(), 2u);
    BOOST_TEST((cases[0].inputs[4].gen.kind == Generator::Kind::Int));
    BOOST_TEST(cases[0].inputs[4].gen.low == -5);
    BOOST_TEST((cases[0].inputs[6].gen.values ==
                std::vector<double>{-9007199254740992.0, 0, 9007199254740992.0}));
    BOOST_TEST((cases[1].inputs[4].gen.kind == Generator::Kind::Categorical));
    BOOST_REQUIRE(cases[1].inputs[4].gen.categories);
    BOOST_TEST(cases[1].inputs[4].gen.categories->name == "k");
    BOOST_TEST((s.function("sorted")->signature.result == grader::abi::Scalar::Bool));
}

BOOST_AUTO_TEST_CASE(typed_literals_out_of_range_name_file_line_and_element) {
    const std::string at = "t.yaml:16: case \"c\": input ";
    BOOST_TEST(typed_error(kTypedInputs, "b: [0, 128, 255]", "b: [0, 256, 255]") ==
               at + "\"b\" is an array of uint8_t; its element 1 (256) must be a whole number "
                    "from 0 to 255");
    BOOST_TEST(typed_error(kTypedInputs, "b: [0, 128, 255]", "b: [0, -1, 255]") ==
               at + "\"b\" is an array of uint8_t; its element 1 (-1) must be a whole number "
                    "from 0 to 255");
    BOOST_TEST(typed_error(kTypedInputs, "x: {int: [-5, 5]}", "x: [1, 2.5, 3]") ==
               at + "\"x\" is an array of int32_t; its element 1 (2.5) must be a whole number "
                    "from -2147483648 to 2147483647");
    BOOST_TEST(typed_error(kTypedInputs, "x: {int: [-5, 5]}", "x: {int: [0, 2147483648]}") ==
               at + "\"x\" is an array of int32_t; the bound 2147483648 of {int: [low, high]} "
                    "must be a whole number from -2147483648 to 2147483647");
    BOOST_TEST(typed_error(kTypedInputs, "w: [-9007199254740992,", "w: [-9007199254740994,") ==
               at + "\"w\" is an array of int64_t; its element 0 (-9007199254740994) must be a "
                    "whole number from -2^53 to 2^53 (9007199254740992)");
    BOOST_TEST(typed_error(kTypedInputs, "v: [0.1, 0.2, 0.3]", "v: [0.1, 1e39, 0.3]") ==
               at + "\"v\" is an array of float; its element 1 (1e+39) is beyond the range of a "
                    "float (about 3.4e38)");
    BOOST_TEST(typed_error(kTypedInputs, "s: 255", "s: 256") ==
               at + "\"s\" is a uint8_t; its values must be at most 255");
    BOOST_TEST(typed_error(kTypedInputs, "k: -4", "k: -2147483649") ==
               at + "\"k\" is an int; its values must be at least -2147483648");
    BOOST_TEST(typed_error(kTypedInputs, "a: 0.1", "a: 1e39") ==
               at + "\"a\" is a float; its value is beyond the range of a float (about 3.4e38)");
}

BOOST_AUTO_TEST_CASE(typed_inputs_of_the_wrong_shape_or_kind_are_refused) {
    const std::string at = "t.yaml:16: case \"c\": input ";
    BOOST_TEST(typed_error(kTypedInputs, "k: -4", "k: [1, 2]") ==
               at + "\"k\" is a scalar; give one number");
    BOOST_TEST(typed_error(kTypedInputs, "x: {int: [-5, 5]}", "x: {uniform: [0, 1]}") ==
               at + "\"x\" is an array of int32_t; give whole numbers, {int: [low, high]}, "
                    "{categorical: {k: ...}} or {copy: ...}");
    BOOST_TEST(typed_error(kTypedInputs, "v: [0.1, 0.2, 0.3]", "v: {int: [0, 3]}") ==
               at + "\"v\" is an array of float; {int: ...} and {categorical: ...} make integer "
                    "arrays");
    BOOST_TEST(typed_error(kTypedInputs, "x: {int: [-5, 5]}", "x: {categorical: {n: 3}}") ==
               "t.yaml:16: case \"c\": input \"x\": categorical: unknown key \"n\"; allowed keys "
               "are k");
    BOOST_TEST(typed_error(kTypedInputs, "x: {int: [-5, 5]}", "x: {categorical: {k: m}}") ==
               "t.yaml:16: case \"c\": input \"x\": categorical k \"m\" uses \"m\", which must "
               "be an input given before it");
}

// A bool result's case, on lines 17-20 after the typed case (its expect on line 20).
std::string bool_case(const std::string& function, const std::string& inputs,
                      const std::string& expect) {
    return typed_case(kTypedInputs) + "      - id: d\n        function: " + function +
           "\n        inputs: {" + inputs + "}\n        expect: " + expect + "\n";
}

BOOST_AUTO_TEST_CASE(a_bool_result_is_expected_as_true_or_false) {
    const std::string sorted_inputs = "x: [1, 2, 3], n: 3";
    for (const auto& [expect, value] : std::vector<std::pair<std::string, double>>{
             {"true", 1}, {"false", 0}, {"True", 1}, {"{return: false}", 0}, {"1", 1}}) {
        const Spec s = load_from_string(bool_case("sorted", sorted_inputs, expect), "t.yaml");
        const auto& result = s.exercises.at(0).cases.at(1).expect.result;
        BOOST_REQUIRE(result.has_value());
        BOOST_TEST(*result == std::vector<double>{value}, expect);
    }
    BOOST_TEST(load_error(bool_case("sorted", sorted_inputs, "2")) ==
               "t.yaml:20: case \"d\": expect: \"sorted\" returns bool; write expect: true or "
               "expect: false");
}

BOOST_AUTO_TEST_CASE(true_or_false_for_another_result_type_is_refused_with_the_line) {
    const std::string text =
        kHead + kExercises.substr(0, kExercises.find("  - id: ex8")) + "        expect: true\n";
    BOOST_TEST(load_error(text) ==
               "t.yaml:18: case \"a\": expect: \"kl_divergence\" returns double, not bool; write "
               "the number it should return, e.g. expect: 1");
    const std::string as_map = kHead + kExercises.substr(0, kExercises.find("  - id: ex8")) +
                               "        expect: {return: false}\n";
    BOOST_TEST(load_error(as_map) ==
               "t.yaml:18: case \"a\": expect return: \"kl_divergence\" returns double, not "
               "bool; write the number it should return, e.g. expect: 0");
}

// What a public bundle carries of the spec: it loads, with the same functions and public cases,
// and holds neither a hidden case nor the seed hidden inputs are drawn from.
BOOST_AUTO_TEST_CASE(the_public_text_of_a_spec_has_no_hidden_case_and_no_seed) {
    const Spec full = load(kSpecPath);
    const std::string text = public_text(read_file(kSpecPath), kSpecPath);
    const Spec pub = load_from_string(text, "public.yaml");
    BOOST_TEST(text.find("kl_random") == std::string::npos);
    BOOST_TEST(text.find("hidden") == std::string::npos);
    // The top level's seed, not a parameter of that name.
    BOOST_TEST((!text.starts_with("seed:") && text.find("\nseed:") == std::string::npos));
    BOOST_TEST(pub.functions.size() == full.functions.size());
    BOOST_REQUIRE_EQUAL(pub.exercises.size(), full.exercises.size());
    for (std::size_t e = 0; e < full.exercises.size(); ++e) {
        std::size_t cases = 0, properties = 0;
        for (const ValueCase& c : full.exercises[e].cases)
            cases += c.visibility == Visibility::Public;
        for (const Property& p : full.exercises[e].properties)
            properties += p.visibility == Visibility::Public;
        BOOST_TEST(pub.exercises[e].cases.size() == cases);
        BOOST_TEST(pub.exercises[e].properties.size() == properties);
    }
}

BOOST_AUTO_TEST_CASE(the_header_uses_stdint_and_stdbool_types) {
    const std::string h = c_header(load_from_string(typed_case(kTypedInputs), "t.yaml"));
    BOOST_TEST(h.find("#include <stddef.h>\n#include <stdint.h>\n#include <stdbool.h>\n") !=
               std::string::npos);
    BOOST_TEST(h.find("void f(const int32_t *x, const uint8_t *b, const int64_t *w, const float "
                      "*v, size_t n, int32_t k, float a, uint8_t s, int32_t *out);") !=
               std::string::npos);
    BOOST_TEST(h.find("bool sorted(const int32_t *x, size_t n);") != std::string::npos);
    BOOST_TEST(h.find("All arrays are double") == std::string::npos);
    BOOST_TEST(h.find("of the type each prototype names") != std::string::npos);
    // A set of doubles alone keeps the header it always had.
    const std::string kl = c_header(load(kSpecPath));
    BOOST_TEST(kl.find("stdbool") == std::string::npos);
    BOOST_TEST(kl.find("All arrays are double, contiguous, row-major") != std::string::npos);
}
