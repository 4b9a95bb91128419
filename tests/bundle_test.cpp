// Reading public bundles: a bundle is in students' hands, so every rule the spec loader enforces
// and every shape grading relies on is checked, each violation an error naming the field.
#define BOOST_TEST_MODULE bundle
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"

using namespace grader;
using namespace grader::grading;
using nlohmann::json;

namespace {

// A small valid bundle: a value case and a property of exercise 1, and a function of another
// exercise that the property takes from the reference.
json small_bundle() {
    return json::parse(R"json({
  "kl_grader_bundle": 1,
  "title": "tiny",
  "functions": [
    "double kl_divergence(const double *p, const double *q, size_t n)",
    "void softmax_t(const double *logits, size_t n, double tau, double *p)",
    "int count_tokens(const double *p, int n)"
  ],
  "exercises": [
    {"id": "ex1", "title": "one", "cases": [
      {"id": "a", "property": false, "points": 2, "functions": ["kl_divergence"],
       "rtol": 1e-9, "atol": 1e-12, "time_limit": 2.0, "memory_limit_mb": 1024.0, "hint": "",
       "checks": [],
       "instances": [
         {"calls": [
            {"name": "kl_divergence", "function": "kl_divergence", "student": true,
             "time_limit": 2.0, "memory_bytes": 1073741824,
             "args": [{"input": [0.5, 0.5]}, {"input": [0.25, 0.75]}, {"integer": 2}],
             "expected": {"result": 0.14384103622589045, "outputs": [[], [], []]}}],
          "shown_inputs": ["p = [0.5, 0.5]"], "inputs": []}]},
      {"id": "nonneg", "property": true, "points": 1, "functions": ["kl_divergence"],
       "rtol": 1e-9, "atol": 1e-12, "time_limit": 2.0, "memory_limit_mb": 1024.0, "hint": "",
       "checks": ["K >= 0", "sum(S.p) == 1"],
       "instances": [
         {"calls": [
            {"name": "K", "function": "kl_divergence", "student": true,
             "time_limit": 2.0, "memory_bytes": 1073741824,
             "args": [{"input": [0.5, 0.5]}, {"input": "q-placeholder"}, {"integer": 2}],
             "expected": {"result": 0.0, "outputs": [[], [], []]}},
            {"name": "S", "function": "softmax_t", "student": false,
             "time_limit": 2.0, "memory_bytes": 1073741824,
             "args": [{"input": [1, 2]}, {"integer": 2}, {"scalar": 1.0}, {"output": 2}],
             "expected": {"result": 0, "outputs": [[], [], [], [0.25, 0.75]]}}],
          "shown_inputs": [], "inputs": [{"name": "p", "values": [0.5, "nan"]}]}]}]},
    {"id": "ex8", "title": "eight", "cases": [
      {"id": "b", "property": false, "points": 1, "functions": ["count_tokens"],
       "rtol": 0, "atol": 0, "time_limit": 0.5, "memory_limit_mb": 64, "hint": "h",
       "checks": [],
       "instances": [
         {"calls": [
            {"name": "count_tokens", "function": "count_tokens", "student": true,
             "time_limit": 0.5, "memory_bytes": 67108864,
             "args": [{"input": [1, 2, 3]}, {"integer": 3}],
             "expected": {"result": 3, "outputs": [[], []]}}],
          "shown_inputs": [], "inputs": []}]}]}
  ]
})json");
}

// The property's q, set apart so the JSON above stays readable.
json fixed(json b) {
    b["exercises"][0]["cases"][1]["instances"][0]["calls"][0]["args"][1] = {{"input", {0.5, 0.5}}};
    return b;
}

std::string error_of(const std::string& text) {
    try {
        parse_bundle(text, "b.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}
std::string error_of(const json& bundle) {
    return error_of(bundle.dump());
}

const std::string kCannot = "the bundle b.json cannot be used: ";

json& value_case(json& b) {
    return b["exercises"][0]["cases"][0];
}
json& value_call(json& b) {
    return value_case(b)["instances"][0]["calls"][0];
}
json& property(json& b) {
    return b["exercises"][0]["cases"][1];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bundle)

BOOST_AUTO_TEST_CASE(a_valid_bundle_reads_in_full) {
    const Prepared p = parse_bundle(fixed(small_bundle()).dump(), "b.json");
    BOOST_TEST(p.source == "b.json");
    BOOST_TEST(p.title == "tiny");
    BOOST_REQUIRE_EQUAL(p.functions.size(), 3u);
    BOOST_REQUIRE_EQUAL(p.exercises.size(), 2u);
    const PreparedCase& a = p.exercises[0].cases[0];
    BOOST_TEST(a.points == 2);
    BOOST_TEST(a.instances[0].calls[0].call.args[2].scalar.u == 2u);
    BOOST_TEST(a.instances[0].calls[0].call.memory_bytes == 1073741824u);
    const PreparedCase& prop = p.exercises[0].cases[1];
    BOOST_TEST(prop.checks.size() == 2u);
    BOOST_TEST(std::isnan(prop.instances[0].inputs[0].second[1]));
    BOOST_TEST(prop.instances[0].calls[1].call.args[3].length == 2u);
    BOOST_TEST(!prop.instances[0].calls[1].student);
    const auto& count = p.exercises[1].cases[0].instances[0].calls[0].call;
    BOOST_TEST(count.args[1].scalar.i32 == 3);
}

BOOST_AUTO_TEST_CASE(the_grading_machines_glibc_is_read_when_recorded) {
    BOOST_TEST(parse_bundle(fixed(small_bundle()).dump(), "b.json").grading_glibc.empty());
    json b = fixed(small_bundle());
    b["grading_glibc"] = "2.36";
    BOOST_TEST(parse_bundle(b.dump(), "b.json").grading_glibc == "2.36");
    b["grading_glibc"] = "2.36; rm -rf";
    BOOST_TEST(error_of(b) == kCannot +
                                  "grading_glibc must be a glibc version such as "
                                  "\"2.36\", got \"2.36; rm -rf\"");
    b["grading_glibc"] = 236;
    BOOST_TEST(error_of(b).starts_with(kCannot + "grading_glibc "));
}

BOOST_AUTO_TEST_CASE(integers_are_range_checked) {
    json b = fixed(small_bundle());
    value_case(b)["points"] = 1e30;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].points must be a whole number from 0 to "
                                  "1000, got 1e+30");
    b = fixed(small_bundle());
    value_case(b)["points"] = 2.5;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].points must be a whole number from 0 to "
                                  "1000, got 2.5");
    b = fixed(small_bundle());
    value_call(b)["args"][2]["integer"] = -1;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls[0].args[2].integer "
                                  "must be a whole number from 0 to 9007199254740992, got -1");
    b = fixed(small_bundle());
    b["exercises"][1]["cases"][0]["instances"][0]["calls"][0]["args"][1]["integer"] = 3e9;
    BOOST_TEST(error_of(b) ==
               kCannot +
                   "exercises[1].cases[0].instances[0].calls[0].args[1].integer "
                   "must be a whole number from -2147483648 to 2147483647, got 3000000000.0");
    b = fixed(small_bundle());
    value_call(b)["memory_bytes"] = 18446744073709551615u;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls[0].memory_bytes must "
                                  "be a whole number from 16777216 to 1099511627776, got "
                                  "18446744073709551615");
    b = fixed(small_bundle());
    b["kl_grader_bundle"] = 1e300;
    BOOST_TEST(error_of(b) == kCannot +
                                  "kl_grader_bundle must be a whole number from 0 to 2147483647, "
                                  "got 1e+300");
}

BOOST_AUTO_TEST_CASE(an_output_length_is_bounded_and_matches_the_expected_values) {
    json b = fixed(small_bundle());
    property(b)["instances"][0]["calls"][1]["args"][3]["output"] = 1e15;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].instances[0].calls[1].args[3].output "
                                  "must be a whole number from 0 to 4194304, got 1e+15");
    b = fixed(small_bundle());
    property(b)["instances"][0]["calls"][1]["args"][3]["output"] = 3;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].instances[0].calls[1].expected."
                                  "outputs[3] has 2 values, but output 'p' has 3");
}

BOOST_AUTO_TEST_CASE(expected_outputs_have_one_entry_per_parameter) {
    json b = fixed(small_bundle());
    value_call(b)["expected"]["outputs"] = json::array({json::array(), json::array()});
    BOOST_TEST(error_of(b) ==
               kCannot +
                   "exercises[0].cases[0].instances[0].calls[0].expected.outputs has 2 entries, "
                   "one per parameter of \"kl_divergence\", which takes 3");
    b = fixed(small_bundle());
    value_call(b)["expected"]["outputs"][0] = {1.0};
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls[0].expected."
                                  "outputs[0] has 1 values, but 'p' is not an output");
}

BOOST_AUTO_TEST_CASE(an_instance_holds_its_calls) {
    json b = fixed(small_bundle());
    value_case(b)["instances"][0]["calls"] = json::array();
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls must hold exactly one "
                                  "call");
    b = fixed(small_bundle());
    property(b)["instances"][0]["calls"] = json::array();
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].instances[0].calls is empty; a property "
                                  "makes at least one call");
    b = fixed(small_bundle());
    value_case(b)["instances"] = json::array();
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances is empty; a case has at least "
                                  "one");
}

BOOST_AUTO_TEST_CASE(arguments_match_the_prototype) {
    json b = fixed(small_bundle());
    value_call(b)["args"].erase(2);
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls[0].args has 2 "
                                  "arguments, but \"kl_divergence\" takes 3");
    b = fixed(small_bundle());
    value_call(b)["args"][0] = {{"output", 2}};
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls[0].args[0] must be "
                                  "{\"input\": ...} for parameter 'p', got other keys");
    b = fixed(small_bundle());
    value_call(b)["args"][0]["input"][1] = "lots";
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls[0].args[0].input[1] "
                                  "must be a number (or \"nan\", \"inf\", \"-inf\"), got \"lots\"");
    b = fixed(small_bundle());
    value_call(b)["function"] = "kl_divergense";
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].instances[0].calls[0].function names "
                                  "\"kl_divergense\", which is not in functions");
}

BOOST_AUTO_TEST_CASE(limits_and_tolerances_are_those_of_a_spec) {
    json b = fixed(small_bundle());
    value_case(b)["time_limit"] = 0;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].time_limit must be in (0, 600] (seconds "
                                  "per call), got 0");
    b = fixed(small_bundle());
    value_case(b)["memory_limit_mb"] = 1e30;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].memory_limit_mb must be from 16 to "
                                  "1048576 (MiB), got 1e+30");
    b = fixed(small_bundle());
    value_case(b)["rtol"] = "inf";
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0].rtol must be a finite number >= 0, got "
                                  "\"inf\"");
    b = fixed(small_bundle());
    property(b)["atol"] = 0.5;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].checks holds an inequality, so atol may "
                                  "be at most 1e-9 (got 0.5): a generous tolerance can make a "
                                  "false claim hold");
}

BOOST_AUTO_TEST_CASE(checks_are_parsed_within_the_expression_limits) {
    json b = fixed(small_bundle());
    property(b)["checks"][0] = std::string(3000, '(') + "K" + std::string(3000, ')') + " >= 0";
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].checks[0] is not a check, column 1: the "
                                  "text is 6006 characters long; at most 4096 are allowed");
    b = fixed(small_bundle());
    property(b)["checks"][0] = std::string(3000, '-') + "K >= 0";
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].checks[0] is not a check, column 64: the "
                                  "expression is nested more than 64 levels deep; split it into "
                                  "simpler checks or calls");
    b = fixed(small_bundle());
    property(b)["checks"][0] = "K >= Z";
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].instances[0] has no input or call \"Z\" "
                                  "for check \"K >= Z\"");
    b = fixed(small_bundle());
    property(b)["checks"] = json::array();
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].checks is empty; a property has at least "
                                  "one check");
}

BOOST_AUTO_TEST_CASE(lets_are_read_in_order_and_checked_like_checks) {
    json b = fixed(small_bundle());
    property(b)["lets"] = {{{"name", "twice"}, {"expr", "2 * K"}},
                           {{"name", "p_sum"}, {"expr", "sum(S.p) + twice * 0"}}};
    property(b)["checks"][1] = "p_sum == 1";
    const grading::Prepared p = parse_bundle(b.dump(), "b.json");
    const auto& lets = p.exercises[0].cases[1].lets;
    BOOST_TEST_REQUIRE(lets.size() == 2u);
    BOOST_TEST(lets[1].name == "p_sum");
    BOOST_TEST(lets[1].text == "sum(S.p) + twice * 0");
    // A let may use only the names before it.
    std::swap(property(b)["lets"][0], property(b)["lets"][1]);
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].instances[0] has no input, call or "
                                  "earlier let \"twice\" for let \"p_sum\"");
    b = fixed(small_bundle());
    property(b)["lets"] = {{{"name", "K"}, {"expr", "1"}}};
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].instances[0] has let \"K\", a name "
                                  "already used by an input, a call or an earlier let");
    b = fixed(small_bundle());
    property(b)["lets"] = {{{"name", "w"}, {"expr", "K +"}}};
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].lets[0].expr is not an expression, "
                                  "column 4: expected a number, a name or '('");
    b = fixed(small_bundle());
    value_case(b)["lets"] = {{{"name", "w"}, {"expr", "1"}}};
    BOOST_TEST(error_of(b) ==
               kCannot + "exercises[0].cases[0].lets must be empty: only a property has lets");
}

BOOST_AUTO_TEST_CASE(a_function_belongs_to_one_exercise) {
    json b = fixed(small_bundle());
    property(b)["instances"][0]["calls"][0]["student"] = false;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[1].instances[0].calls calls the student's "
                                  "functions other than the case's functions list");
    b = fixed(small_bundle());
    b["exercises"][1]["cases"][0]["functions"] = {"kl_divergence"};
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[1].cases[0].instances[0].calls[0].student is true, "
                                  "but the case's functions do not list \"count_tokens\"");
    b = fixed(small_bundle());
    property(b)["functions"] = {"kl_divergence", "softmax_t"};
    property(b)["instances"][0]["calls"][1]["student"] = true;
    b["exercises"][1]["cases"][0]["functions"] = {"count_tokens"};
    json other = value_case(b);
    other["functions"] = {"softmax_t"};
    other["instances"][0]["calls"][0] = property(b)["instances"][0]["calls"][1];
    b["exercises"][1]["cases"].push_back(other);
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[1].cases[1].functions lists \"softmax_t\", a "
                                  "function of exercise \"ex1\"; a function belongs to one "
                                  "exercise");
}

BOOST_AUTO_TEST_CASE(structure_errors_name_the_field) {
    json b = fixed(small_bundle());
    value_case(b)["pionts"] = 1;
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[0].cases[0] has an unknown key \"pionts\"; its keys "
                                  "are id, property, points, functions, rtol, atol, time_limit, "
                                  "memory_limit_mb, hint, lets, checks, instances");
    b = fixed(small_bundle());
    value_case(b).erase("hint");
    BOOST_TEST(error_of(b) == kCannot + "exercises[0].cases[0].hint is missing");
    b = fixed(small_bundle());
    b["exercises"][1]["id"] = "ex1";
    BOOST_TEST(error_of(b) == kCannot +
                                  "exercises[1].id \"ex1\" is used by two exercises; ids must be "
                                  "unique");
    b = fixed(small_bundle());
    b["functions"][1] = b["functions"][0];
    BOOST_TEST(error_of(b) == kCannot + "functions[1] declares \"kl_divergence\" a second time");
    b = fixed(small_bundle());
    b["functions"][0] = "double kl_divergence(const long *p)";
    BOOST_TEST(error_of(b) == kCannot +
                                  "functions[0] is not a prototype the grader takes (column 28: "
                                  "unsupported type 'long' (use double, float, int32_t or int, "
                                  "int64_t, uint64_t, size_t, uint8_t, or bool as a result))");
}

BOOST_AUTO_TEST_CASE(deep_nesting_and_broken_json_are_refused_before_reading) {
    BOOST_TEST(error_of(std::string(100000, '[') + std::string(100000, ']')) ==
               "the bundle b.json is damaged or not a bundle: it nests more than 32 levels deep, "
               "which no bundle does");
    BOOST_TEST(error_of(std::string("{\"kl_grader_bundle\": 1,")) ==
               "the bundle b.json is damaged or not a bundle: [json.exception.parse_error.101] "
               "parse error at line 1, column 24: syntax error while parsing object key - "
               "unexpected end of input; expected string literal");
    BOOST_TEST(error_of(std::string("[1, 2]")) ==
               kCannot + "the bundle must be an object, got a list");
    BOOST_TEST(error_of(std::string("{\"title\": \"x\"}")) ==
               kCannot +
                   "it is not a case bundle (no \"kl_grader_bundle\" key); make one with `grader "
                   "bundle`");
}

BOOST_AUTO_TEST_SUITE_END()
