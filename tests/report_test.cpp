#define BOOST_TEST_MODULE report
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "grader/report/escape.hpp"
#include "grader/report/report.hpp"

using grader::result::CaseResult;
using grader::result::ExerciseResult;
using grader::result::Mismatch;
using grader::result::Result;
using grader::result::Verdict;
namespace gr = grader::report;

namespace {

// Values placed only in the hidden case: no report may contain them.
const std::vector<std::string> kHiddenSecrets = {"987654321987", "123456789123", "31415926535",
                                                 "SECRET-HINT"};

CaseResult pass_case(std::string id, std::string function, int points) {
    CaseResult c;
    c.id = std::move(id);
    c.function = std::move(function);
    c.points = points;
    c.max_points = points;
    c.seconds = 0.0012;
    return c;
}

CaseResult failed_case(std::string id, std::string function, Verdict verdict, int max_points,
                       std::string message) {
    CaseResult c;
    c.id = std::move(id);
    c.function = std::move(function);
    c.verdict = verdict;
    c.max_points = max_points;
    c.message = std::move(message);
    c.failed_instances = 1;
    return c;
}

CaseResult wrong_public_case() {
    CaseResult c = failed_case("zeros_in_p", "kl_divergence", Verdict::Wrong, 2,
                               "the returned value is outside tolerance");
    c.inputs = {"p = [0.9, 0.1]", "q = [0.5, 0.5]"};
    c.mismatch =
        Mismatch{"log_ratio", 3, 0.1694705489, 0.2444943205, 0.0750237716, 0.44269, 1e-9, 1e-12};
    c.hint = "0 * log(0) counts as 0";
    return c;
}

CaseResult hidden_wrong_case() {
    CaseResult c = failed_case("hidden_1", "kl_divergence", Verdict::Wrong, 3, "wrong value");
    c.hidden = true;
    // Grading leaves these empty for hidden cases; the report must not rely on it.
    c.inputs = {"p = [0.31415926535, 0.68584073465]"};
    c.mismatch = Mismatch{"return value", 7, 0.987654321987, 0.123456789123, 1, 1, 1e-9, 1e-12};
    c.hint = "SECRET-HINT";
    c.instances = 5;
    c.failed_instances = 2;
    return c;
}

// A small result whose text report is compared line by line.
Result small_result() {
    Result r;
    r.submission = "build/libsolution.so";
    r.spec = "exercises.yaml";
    r.spec_title = "KL divergence";
    r.sandbox_layers = {"worker", "rlimits", "seccomp"};
    r.sandbox_warnings = {"landlock: not supported by this kernel"};
    r.grader_version = "1.0";
    r.seconds = 0.25;

    ExerciseResult ex1{"ex1", "KL divergence", {}};
    ex1.cases.push_back(pass_case("notebook_tokens", "kl_divergence", 2));
    ex1.cases.push_back(wrong_public_case());
    ex1.cases.push_back(hidden_wrong_case());

    ExerciseResult ex2{"ex2", "Entropy", {}};
    ex2.cases.push_back(failed_case("uniform", "entropy", Verdict::Crash, 1,
                                    "killed by signal SIGSEGV (segmentation fault)"));
    CaseResult missing = failed_case("basic", "cross_entropy", Verdict::Missing, 2,
                                     "cross_entropy is not exported by the library");
    missing.hint = "declare it extern \"C\"";
    ex2.cases.push_back(missing);
    CaseResult gibbs = pass_case("gibbs", "kl_divergence", 3);
    gibbs.property = true;
    ex2.cases.push_back(gibbs);
    CaseResult random = failed_case("random_pairs", "entropy", Verdict::Wrong, 2,
                                    "the returned value is outside tolerance");
    random.instances = 100;
    random.failed_instances = 7;
    random.inputs = {"p = [0.25, 0.75]"};
    random.mismatch =
        Mismatch{"return value", std::nullopt, 0.5623351446, 0.5623, 3.5e-05, 6.2e-05, 1e-9, 1e-12};
    ex2.cases.push_back(random);

    r.exercises = {ex1, ex2};
    r.output.text = "hello from the student\n";
    r.output.bytes = 23;
    return r;
}

// Student output that tries to pass for the grader, with control bytes and broken UTF-8.
Result hostile_output_result() {
    Result r = small_result();
    r.output.text =
        "PASS  ex1/everything  kl_divergence  100/100\n"
        "Total: 100/100 (all 40 cases passed)\n"
        "\rTotal: 100/100\x1b[2K\n"
        "bad utf8: \xff\xfe \xc0\xaf \xed\xa0\x80 end\n"
        "tags: </system-out><evil attr=\"x\"> & ]]> \x01\x02\x7f\n"
        "bidi: \xe2\x80\xae"
        "001/001 :latoT\n";
    r.output.bytes = r.output.text.size() + 50 + 20;  // 50 cut by the cap, 20 hidden
    r.output.hidden_bytes = 20;
    return r;
}

Result load_error_result() {
    Result r;
    r.submission = "submissions/bob/lib.so";
    r.spec = "exercises.yaml";
    r.spec_title = "KL divergence";
    r.load_error = "undefined symbol: <log2f> & more";
    ExerciseResult ex1{"ex1", "KL divergence", {}};
    ex1.cases.push_back(failed_case("a", "kl_divergence", Verdict::Error, 4, "not run"));
    r.exercises = {ex1};
    r.output.text = "constructor says hi\n";
    r.output.bytes = 20;
    return r;
}

std::string render_to_string(const Result& r, gr::Format format, gr::TextOptions options = {}) {
    std::ostringstream out;
    gr::render(r, format, out, options);
    return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// A minimal XML checker: well-formed nesting, valid entity references, no character XML 1.0
// forbids. Returns the elements in document order with their attributes (unescaped values are
// not needed by the tests).
struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    int parent = -1;
    std::string text;  // raw character data directly inside
};

bool valid_entity(const std::string& xml, std::size_t at) {
    const std::size_t end = xml.find(';', at);
    if (end == std::string::npos) return false;
    const std::string entity = xml.substr(at + 1, end - at - 1);
    if (entity == "amp" || entity == "lt" || entity == "gt" || entity == "quot" || entity == "apos")
        return true;
    if (entity.size() > 1 && entity[0] == '#')
        return entity.find_first_not_of("0123456789", 1) == std::string::npos;
    return false;
}

void check_chars(const std::string& xml) {
    for (unsigned char ch : xml)
        BOOST_TEST_REQUIRE((ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r'),
                           "forbidden control byte " << int(ch));
}

std::vector<Element> parse_xml(const std::string& xml) {
    check_chars(xml);
    std::vector<Element> elements;
    std::vector<int> open;
    std::size_t at = 0;
    if (xml.starts_with("<?xml")) at = xml.find("?>") + 2;
    while (at < xml.size()) {
        if (xml[at] != '<') {
            BOOST_TEST_REQUIRE(xml[at] != '>', "raw '>' in text at " << at);
            if (xml[at] == '&') BOOST_TEST_REQUIRE(valid_entity(xml, at), "bad entity at " << at);
            if (!open.empty()) elements[std::size_t(open.back())].text += xml[at];
            ++at;
            continue;
        }
        const std::size_t end = xml.find('>', at);
        BOOST_TEST_REQUIRE(end != std::string::npos);
        std::string tag = xml.substr(at + 1, end - at - 1);
        BOOST_TEST_REQUIRE(tag.find('<') == std::string::npos, "raw '<' inside tag at " << at);
        at = end + 1;
        if (tag.starts_with("/")) {
            BOOST_TEST_REQUIRE(!open.empty());
            BOOST_TEST_REQUIRE(elements[std::size_t(open.back())].name == tag.substr(1));
            open.pop_back();
            continue;
        }
        const bool self_closing = tag.ends_with("/");
        if (self_closing) tag.pop_back();
        Element e;
        e.parent = open.empty() ? -1 : open.back();
        std::istringstream in(tag);
        in >> e.name;
        std::string rest;
        std::getline(in, rest);
        for (std::size_t p = 0; (p = rest.find("=\"", p)) != std::string::npos;) {
            std::size_t name_start = rest.rfind(' ', p);
            name_start = name_start == std::string::npos ? 0 : name_start + 1;
            const std::size_t close = rest.find('"', p + 2);
            BOOST_TEST_REQUIRE(close != std::string::npos);
            const std::string value = rest.substr(p + 2, close - p - 2);
            for (std::size_t k = 0; k < value.size(); ++k)
                if (value[k] == '&') BOOST_TEST_REQUIRE(valid_entity(value, k));
            BOOST_TEST_REQUIRE(value.find_first_of("\n\t") == std::string::npos);
            e.attributes[rest.substr(name_start, p - name_start)] = value;
            p = close + 1;
        }
        elements.push_back(e);
        if (!self_closing) open.push_back(int(elements.size()) - 1);
    }
    BOOST_TEST_REQUIRE(open.empty(), "unclosed elements");
    return elements;
}

std::vector<const Element*> named(const std::vector<Element>& elements, const std::string& n) {
    std::vector<const Element*> found;
    for (const Element& e : elements)
        if (e.name == n) found.push_back(&e);
    return found;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(format_number_is_shortest_round_trip) {
    BOOST_TEST(gr::format_number(0.1) == "0.1");
    BOOST_TEST(gr::format_number(1e-9) == "1e-09");
    BOOST_TEST(gr::format_number(100.0) == "100");
    BOOST_TEST(gr::format_number(0.1694705489) == "0.1694705489");
    BOOST_TEST(gr::format_number(-5.551115123125783e-17) == "-5.551115123125783e-17");
    BOOST_TEST(gr::format_number(std::numeric_limits<double>::infinity()) == "inf");
    BOOST_TEST(gr::format_number(-std::numeric_limits<double>::infinity()) == "-inf");
    BOOST_TEST(gr::format_number(std::numeric_limits<double>::quiet_NaN()) == "nan");
    BOOST_TEST(gr::format_number(-std::numeric_limits<double>::quiet_NaN()) == "nan");
}

BOOST_AUTO_TEST_CASE(parse_format_knows_the_five_formats) {
    for (auto f : {gr::Format::Text, gr::Format::Json, gr::Format::Junit, gr::Format::Gradescope,
                   gr::Format::Classroom})
        BOOST_TEST((gr::parse_format(gr::name(f)) == f));
    BOOST_TEST(!gr::parse_format("html"));
    BOOST_TEST(!gr::parse_format("JSON"));
    BOOST_TEST(!gr::parse_format(""));
}

BOOST_AUTO_TEST_CASE(text_report_exact_lines) {
    const std::vector<std::string> expected = {
        "Submission: build/libsolution.so",
        "Spec:       KL divergence (exercises.yaml)",
        "Sandbox:    worker, rlimits, seccomp",
        "Warning:    landlock: not supported by this kernel",
        "",
        "ex1: KL divergence  2/7",
        "  PASS  ex1/notebook_tokens  kl_divergence  2/2",
        "  FAIL  ex1/zeros_in_p  kl_divergence  0/2  wrong",
        "        the returned value is outside tolerance",
        "        inputs: p = [0.9, 0.1]",
        "                q = [0.5, 0.5]",
        "        expected 0.1694705489, got 0.2444943205 at index 3 of log_ratio",
        "        (abs error 0.075, rel error 0.44; tolerance rtol 1e-09, atol 1e-12)",
        "        hint: 0 * log(0) counts as 0",
        "  FAIL  ex1/hidden_1  kl_divergence  0/3  wrong",
        "        wrong value",
        "        (hidden case: inputs not shown)",
        "",
        "ex2: Entropy  3/8",
        "  FAIL  ex2/uniform  entropy  0/1  crash",
        "        killed by signal SIGSEGV (segmentation fault)",
        "  FAIL  ex2/basic  cross_entropy  0/2  missing",
        "        cross_entropy is not exported by the library",
        "        hint: declare it extern \"C\"",
        "  PASS  ex2/gibbs  kl_divergence (property)  3/3",
        "  FAIL  ex2/random_pairs  entropy  0/2  wrong",
        "        the returned value is outside tolerance",
        "        inputs: p = [0.25, 0.75]",
        "        expected 0.5623351446, got 0.5623",
        "        (abs error 3.5e-05, rel error 6.2e-05; tolerance rtol 1e-09, atol 1e-12)",
        "        7 of 100 random inputs failed",
        "",
        "--- output of the submission (stdout/stderr, 23 bytes, not part of the grade) ---",
        "| hello from the student",
        "--- end of output ---",
        "",
        "Total: 5/15 (5 of 7 cases failed)",
    };
    const std::vector<std::string> got =
        lines_of(render_to_string(small_result(), gr::Format::Text));
    BOOST_TEST(got == expected, boost::test_tools::per_element());
    for (const std::string& line : got) BOOST_TEST(line.size() <= 100u, line);
}

BOOST_AUTO_TEST_CASE(text_report_full_marks_and_public_only) {
    Result r;
    r.submission = "lib.so";
    r.spec = "exercises.yaml";
    r.public_only = true;
    r.exercises = {ExerciseResult{"ex1", "", {pass_case("a", "f", 1), pass_case("b", "f", 2)}}};
    const std::vector<std::string> expected = {
        "Submission: lib.so",
        "Spec:       exercises.yaml",
        "Sandbox:    none",
        "",
        "ex1  3/3",
        "  PASS  ex1/a  f  1/1",
        "  PASS  ex1/b  f  2/2",
        "",
        "Total: 3/3 (all 2 cases passed)",
        "Only public cases were graded: hidden cases were not run, so this is not the final "
        "grade.",
    };
    const std::vector<std::string> got = lines_of(render_to_string(r, gr::Format::Text));
    BOOST_TEST(got == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(text_report_load_error) {
    const std::string text = render_to_string(load_error_result(), gr::Format::Text);
    BOOST_TEST(text.find("\nThe library could not be loaded: undefined symbol: <log2f> & more\n") !=
               std::string::npos);
    BOOST_TEST(text.find("\nTotal: 0/4 (the library could not be loaded)\n") != std::string::npos);
    BOOST_TEST(text.find("| constructor says hi\n") != std::string::npos);
    BOOST_TEST(text.find("FAIL") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(text_report_colour_and_verbose) {
    const std::string plain = render_to_string(small_result(), gr::Format::Text);
    BOOST_TEST(plain.find('\x1b') == std::string::npos);
    const std::string colour = render_to_string(small_result(), gr::Format::Text, {true, false});
    BOOST_TEST(colour.find("  \x1b[32mPASS\x1b[0m  ex1/notebook_tokens") != std::string::npos);
    BOOST_TEST(colour.find("  \x1b[31mFAIL\x1b[0m  ex1/zeros_in_p") != std::string::npos);
    BOOST_TEST(colour.find("\x1b[1mTotal: 5/15") != std::string::npos);
    const std::string verbose = render_to_string(small_result(), gr::Format::Text, {false, true});
    BOOST_TEST(verbose.find("  PASS  ex1/notebook_tokens  kl_divergence  2/2  (1.2 ms)\n") !=
               std::string::npos);
    BOOST_TEST(verbose.find("\nGraded in 250.0 ms by grader 1.0\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(text_report_student_output_cannot_pass_for_the_grader) {
    const std::string text = render_to_string(hostile_output_result(), gr::Format::Text);
    const std::vector<std::string> lines = lines_of(text);
    int totals = 0;
    for (const std::string& line : lines) {
        totals += line.starts_with("Total:");
        BOOST_TEST(!line.starts_with("PASS"), line);
        BOOST_TEST(line.find('\r') == std::string::npos);
        BOOST_TEST(line.find('\x1b') == std::string::npos);
    }
    BOOST_TEST(totals == 1);
    BOOST_TEST(lines_of(text).back() == "Total: 5/15 (5 of 7 cases failed)");
    BOOST_TEST(text.find("| Total: 100/100 (all 40 cases passed)\n") != std::string::npos);
    BOOST_TEST(text.find("| \\rTotal: 100/100\\x1b[2K\n") != std::string::npos);
    BOOST_TEST(text.find("| bad utf8: \\xff\\xfe \\xc0\\xaf \\xed\\xa0\\x80 end\n") !=
               std::string::npos);
    BOOST_TEST(text.find("| bidi: \\u{202e}001/001 :latoT\n") != std::string::npos);
    BOOST_TEST(text.find("(50 bytes of output were cut and are not shown)") != std::string::npos);
    BOOST_TEST(text.find("(20 bytes printed during hidden cases are not shown)") !=
               std::string::npos);
}

// Past the output budget the rest was discarded unread: every format says the count is a floor.
BOOST_AUTO_TEST_CASE(reports_say_when_output_was_discarded_unread) {
    Result r = small_result();
    r.output.text = std::string(1000, 'x') + "\n";
    r.output.bytes = 65536;
    r.output.hidden_bytes = 0;
    r.output.discarded = true;
    const std::string text = render_to_string(r, gr::Format::Text);
    BOOST_TEST(text.find("--- output of the submission (stdout/stderr, more than 65536 bytes, not "
                         "part of the grade) ---") != std::string::npos);
    BOOST_TEST(text.find("(it printed more than 65536 bytes: the rest was discarded unread and not "
                         "counted; a print left in a loop slows grading down)") !=
               std::string::npos);
    const auto j = nlohmann::json::parse(render_to_string(r, gr::Format::Json));
    BOOST_TEST(j["output"]["discarded"] == true);
    BOOST_TEST(j["output"]["bytes"] == 65536);
    BOOST_TEST(render_to_string(r, gr::Format::Junit).find("discarded unread") !=
               std::string::npos);

    r.output.discarded = false;
    BOOST_TEST(render_to_string(r, gr::Format::Text).find("discarded") == std::string::npos);
    BOOST_TEST(nlohmann::json::parse(
                   render_to_string(r, gr::Format::Json))["output"]["discarded"] == false);
}

BOOST_AUTO_TEST_CASE(json_report_fields_and_values) {
    const auto j = nlohmann::json::parse(render_to_string(small_result(), gr::Format::Json));
    BOOST_TEST(j["score"] == 5);
    BOOST_TEST(j["max_score"] == 15);
    BOOST_TEST(j["load_error"].is_null());
    BOOST_TEST(j["full_marks"] == false);
    BOOST_TEST(j["public_only"] == false);
    BOOST_TEST(j["submission"] == "build/libsolution.so");
    BOOST_TEST(j["spec"] == "exercises.yaml");
    BOOST_TEST(j["spec_title"] == "KL divergence");
    BOOST_TEST(j["grader_version"] == "1.0");
    BOOST_TEST(j["seconds"] == 0.25);
    BOOST_TEST(j["sandbox"]["layers"].size() == 3u);
    BOOST_TEST(j["sandbox"]["warnings"][0] == "landlock: not supported by this kernel");
    BOOST_TEST(j["output"]["text"] == "hello from the student\n");
    BOOST_TEST(j["output"]["bytes"] == 23);
    BOOST_TEST(j["output"]["hidden_bytes"] == 0);
    BOOST_TEST_REQUIRE(j["exercises"].size() == 2u);
    const auto& ex1 = j["exercises"][0];
    BOOST_TEST(ex1["id"] == "ex1");
    BOOST_TEST(ex1["title"] == "KL divergence");
    BOOST_TEST(ex1["score"] == 2);
    BOOST_TEST(ex1["max_score"] == 7);
    const auto& wrong = ex1["cases"][1];
    BOOST_TEST(wrong["id"] == "zeros_in_p");
    BOOST_TEST(wrong["function"] == "kl_divergence");
    BOOST_TEST(wrong["verdict"] == "wrong");
    BOOST_TEST(wrong["points"] == 0);
    BOOST_TEST(wrong["max_points"] == 2);
    BOOST_TEST(wrong["hidden"] == false);
    BOOST_TEST(wrong["property"] == false);
    BOOST_TEST(wrong["instances"] == 1);
    BOOST_TEST(wrong["failed_instances"] == 1);
    BOOST_TEST(wrong["inputs"][1] == "q = [0.5, 0.5]");
    BOOST_TEST(wrong["hint"] == "0 * log(0) counts as 0");
    BOOST_TEST(wrong["mismatch"]["output"] == "log_ratio");
    BOOST_TEST(wrong["mismatch"]["index"] == 3);
    BOOST_TEST(wrong["mismatch"]["expected"] == 0.1694705489);
    BOOST_TEST(wrong["mismatch"]["got"] == 0.2444943205);
    BOOST_TEST(wrong["mismatch"]["rtol"] == 1e-9);
    BOOST_TEST(j["exercises"][1]["cases"][3]["mismatch"]["index"].is_null());
    BOOST_TEST(j["exercises"][1]["cases"][2]["property"] == true);
    BOOST_TEST(j["exercises"][1]["cases"][0]["verdict"] == "crash");
    BOOST_TEST(!ex1["cases"][0].contains("mismatch"));  // a pass has nothing to explain
}

BOOST_AUTO_TEST_CASE(json_report_hidden_case_has_only_its_verdict) {
    const auto j = nlohmann::json::parse(render_to_string(small_result(), gr::Format::Json));
    const auto& hidden = j["exercises"][0]["cases"][2];
    BOOST_TEST(hidden["hidden"] == true);
    BOOST_TEST(hidden["verdict"] == "wrong");
    BOOST_TEST(hidden["message"] == "wrong value");
    for (const char* key : {"inputs", "mismatch", "hint", "seconds"})
        BOOST_TEST(!hidden.contains(key), key);
}

BOOST_AUTO_TEST_CASE(json_report_encodes_inf_and_nan_as_strings) {
    Result r = small_result();
    Mismatch& m = *r.exercises[0].cases[1].mismatch;
    m.expected = std::numeric_limits<double>::infinity();
    m.got = std::numeric_limits<double>::quiet_NaN();
    m.abs_error = std::numeric_limits<double>::infinity();
    m.rel_error = -std::numeric_limits<double>::infinity();
    const auto j = nlohmann::json::parse(render_to_string(r, gr::Format::Json));
    const auto& mj = j["exercises"][0]["cases"][1]["mismatch"];
    BOOST_TEST(mj["expected"] == "inf");
    BOOST_TEST(mj["got"] == "nan");
    BOOST_TEST(mj["abs_error"] == "inf");
    BOOST_TEST(mj["rel_error"] == "-inf");
    const std::string text = render_to_string(r, gr::Format::Text);
    BOOST_TEST(text.find("expected inf, got nan at index 3 of log_ratio\n") != std::string::npos);
    BOOST_TEST(text.find("(abs error inf, rel error -inf;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_report_survives_any_bytes) {
    Result r = hostile_output_result();
    r.submission = "sub\xff/lib.so";
    std::string rendered;
    BOOST_REQUIRE_NO_THROW(rendered = render_to_string(r, gr::Format::Json));
    const auto j = nlohmann::json::parse(rendered);
    BOOST_TEST(j["output"]["hidden_bytes"] == 20);
    const std::string text = j["output"]["text"];
    BOOST_TEST(text.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD replaced the bad bytes
    BOOST_TEST(text.find("Total: 100/100") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_report_load_error) {
    const auto j = nlohmann::json::parse(render_to_string(load_error_result(), gr::Format::Json));
    BOOST_TEST(j["load_error"] == "undefined symbol: <log2f> & more");
    BOOST_TEST(j["score"] == 0);
    BOOST_TEST(j["max_score"] == 4);
    BOOST_TEST(j["full_marks"] == false);
}

BOOST_AUTO_TEST_CASE(hidden_case_details_appear_in_no_format) {
    for (auto format : {gr::Format::Text, gr::Format::Json, gr::Format::Junit,
                        gr::Format::Gradescope, gr::Format::Classroom}) {
        for (gr::TextOptions options : {gr::TextOptions{}, gr::TextOptions{true, true}}) {
            const std::string rendered = render_to_string(small_result(), format, options);
            for (const std::string& secret : kHiddenSecrets)
                BOOST_TEST(rendered.find(secret) == std::string::npos, gr::name(format)
                                                                           << " shows " << secret);
            BOOST_TEST(rendered.find("index 7") == std::string::npos);
            BOOST_TEST(rendered.find("2 of 5") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(junit_report_counts_and_structure) {
    const std::vector<Element> xml = parse_xml(render_to_string(small_result(), gr::Format::Junit));
    const auto suites = named(xml, "testsuites");
    BOOST_TEST_REQUIRE(suites.size() == 1u);
    BOOST_TEST(suites[0]->attributes.at("tests") == "7");
    BOOST_TEST(suites[0]->attributes.at("failures") == "3");
    BOOST_TEST(suites[0]->attributes.at("errors") == "2");
    BOOST_TEST(suites[0]->attributes.at("time") == "0.250");
    const auto suite = named(xml, "testsuite");
    BOOST_TEST_REQUIRE(suite.size() == 2u);
    BOOST_TEST(suite[0]->attributes.at("name") == "ex1: KL divergence");
    BOOST_TEST(suite[0]->attributes.at("tests") == "3");
    BOOST_TEST(suite[0]->attributes.at("failures") == "2");
    BOOST_TEST(suite[0]->attributes.at("errors") == "0");
    BOOST_TEST(suite[0]->attributes.at("skipped") == "0");
    BOOST_TEST(suite[1]->attributes.at("tests") == "4");
    BOOST_TEST(suite[1]->attributes.at("failures") == "1");
    BOOST_TEST(suite[1]->attributes.at("errors") == "2");
    const auto cases = named(xml, "testcase");
    BOOST_TEST_REQUIRE(cases.size() == 7u);
    BOOST_TEST(cases[1]->attributes.at("classname") == "ex1");
    BOOST_TEST(cases[1]->attributes.at("name") == "zeros_in_p (kl_divergence)");
    const auto failures = named(xml, "failure");
    const auto errors = named(xml, "error");
    BOOST_TEST(failures.size() == 3u);
    BOOST_TEST_REQUIRE(errors.size() == 2u);
    BOOST_TEST(failures[0]->attributes.at("type") == "wrong");
    BOOST_TEST(failures[0]->text.find("expected 0.1694705489, got 0.2444943205") !=
               std::string::npos);
    BOOST_TEST(errors[0]->attributes.at("type") == "crash");
    BOOST_TEST(errors[1]->attributes.at("type") == "missing");
    BOOST_TEST(errors[1]->text.find("hint: declare it extern &quot;C&quot;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(junit_report_escapes_student_output) {
    const std::string rendered = render_to_string(hostile_output_result(), gr::Format::Junit);
    const std::vector<Element> xml = parse_xml(rendered);  // fails on raw '<', '&' or controls
    const auto out = named(xml, "system-out");
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(xml[std::size_t(out[0]->parent)].name == "testsuite");
    BOOST_TEST(out[0]->text.find("&lt;/system-out&gt;&lt;evil attr=&quot;x&quot;&gt; &amp; "
                                 "]]&gt; \\x01\\x02\x7f") != std::string::npos);
    BOOST_TEST(out[0]->text.find("\\xff\\xfe \\xc0\\xaf \\xed\\xa0\\x80") != std::string::npos);
    BOOST_TEST(out[0]->text.find("&#13;Total: 100/100") != std::string::npos);
    BOOST_TEST(out[0]->text.find("(20 bytes printed during hidden cases are not shown)") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(junit_report_load_error_is_one_errored_case) {
    const std::vector<Element> xml =
        parse_xml(render_to_string(load_error_result(), gr::Format::Junit));
    BOOST_TEST(named(xml, "testsuites")[0]->attributes.at("errors") == "1");
    BOOST_TEST(named(xml, "testsuite").size() == 1u);
    const auto cases = named(xml, "testcase");
    BOOST_TEST_REQUIRE(cases.size() == 1u);
    BOOST_TEST(cases[0]->attributes.at("name") == "load");
    const auto errors = named(xml, "error");
    BOOST_TEST_REQUIRE(errors.size() == 1u);
    BOOST_TEST(errors[0]->attributes.at("message") ==
               "The library could not be loaded: undefined symbol: &lt;log2f&gt; &amp; more");
}

BOOST_AUTO_TEST_CASE(gradescope_report_tests_and_scores) {
    const auto j = nlohmann::json::parse(render_to_string(small_result(), gr::Format::Gradescope));
    BOOST_TEST(j["score"] == 5);
    BOOST_TEST(j["execution_time"] == 0.25);
    BOOST_TEST(j["visibility"] == "visible");
    BOOST_TEST(j["stdout_visibility"] == "hidden");
    BOOST_TEST(j["output"].get<std::string>().starts_with("Total: 5/15 (5 of 7 cases failed)\n"));
    BOOST_TEST(j["output"].get<std::string>().find("| hello from the student") !=
               std::string::npos);
    BOOST_TEST_REQUIRE(j["tests"].size() == 7u);
    int score = 0;
    int max_score = 0;
    int passed = 0;
    for (const auto& t : j["tests"]) {
        score += t["score"].get<int>();
        max_score += t["max_score"].get<int>();
        passed += t["status"] == "passed";
        BOOST_TEST((t["status"] == "passed" || t["status"] == "failed"));
    }
    BOOST_TEST(score == 5);
    BOOST_TEST(max_score == 15);
    BOOST_TEST(passed == 2);
    const auto& wrong = j["tests"][1];
    BOOST_TEST(wrong["name"] == "ex1 / zeros_in_p (kl_divergence)");
    BOOST_TEST(wrong["number"] == "1.2");
    BOOST_TEST(wrong["visibility"] == "visible");
    BOOST_TEST(wrong["output"].get<std::string>().find(
                   "expected 0.1694705489, got 0.2444943205 at index 3 of log_ratio") !=
               std::string::npos);
    const auto& hidden = j["tests"][2];
    BOOST_TEST(hidden["visibility"] == "after_published");
    BOOST_TEST(hidden["output"] == "wrong\nwrong value\n(hidden case: inputs not shown)");
    BOOST_TEST(j["tests"][5]["name"] == "ex2 / gibbs (kl_divergence (property))");
    BOOST_TEST(j["tests"][5]["number"] == "2.3");
}

BOOST_AUTO_TEST_CASE(gradescope_report_load_error) {
    const auto j =
        nlohmann::json::parse(render_to_string(load_error_result(), gr::Format::Gradescope));
    BOOST_TEST(j["score"] == 0);
    BOOST_TEST_REQUIRE(j["tests"].size() == 1u);
    BOOST_TEST(j["tests"][0]["name"] == "load");
    BOOST_TEST(j["tests"][0]["status"] == "failed");
    BOOST_TEST(j["tests"][0]["max_score"] == 4);
    BOOST_TEST(j["output"].get<std::string>().starts_with(
        "The library could not be loaded: undefined symbol: <log2f> & more\n"));
}

// What GitHub Classroom's reporter does with it: add up the tests' scores and the max_score
// ("Points 5/15"), count the tests whose status is "pass", and fail the run on "fail" or "error".
BOOST_AUTO_TEST_CASE(classroom_result_adds_up_to_the_total) {
    const auto j = nlohmann::json::parse(render_to_string(small_result(), gr::Format::Classroom));
    BOOST_TEST(j["version"] == 1);
    BOOST_TEST(j["status"] == "fail");
    BOOST_TEST(j["max_score"] == 15);
    BOOST_TEST_REQUIRE(j["tests"].size() == 7u);
    double score = 0;
    int passed = 0;
    for (const auto& t : j["tests"]) {
        score += t["score"].get<double>();
        passed += t["status"] == "pass";
        BOOST_TEST((t["status"] == "pass" || t["status"] == "fail"));
        BOOST_TEST(t["message"].is_string());
    }
    BOOST_TEST(score == 5.0);
    BOOST_TEST(passed == 2);
    const auto& wrong = j["tests"][1];
    BOOST_TEST(wrong["name"] == "ex1/zeros_in_p (kl_divergence)");
    BOOST_TEST(wrong["message"].get<std::string>().find(
                   "expected 0.1694705489, got 0.2444943205 at index 3 of log_ratio") !=
               std::string::npos);
    BOOST_TEST(j["tests"][2]["message"] == "wrong\nwrong value\n(hidden case: inputs not shown)");
    BOOST_TEST(j["tests"][0]["message"] == "");
    // What the submission printed is not the grader's to post as its result.
    BOOST_TEST(j.dump().find("hello from the student") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(classroom_result_full_marks_and_load_error) {
    Result full = small_result();
    for (auto& e : full.exercises)
        for (auto& c : e.cases) {
            c.verdict = Verdict::Pass;
            c.points = c.max_points;
        }
    BOOST_TEST(nlohmann::json::parse(render_to_string(full, gr::Format::Classroom))["status"] ==
               "pass");
    const auto j =
        nlohmann::json::parse(render_to_string(load_error_result(), gr::Format::Classroom));
    BOOST_TEST(j["status"] == "error");
    BOOST_TEST(j["max_score"] == 4);
    BOOST_TEST_REQUIRE(j["tests"].size() == 1u);
    BOOST_TEST(j["tests"][0]["score"] == 0);
    BOOST_TEST(j["tests"][0]["message"] ==
               "The library could not be loaded: undefined symbol: <log2f> & more");
}

BOOST_AUTO_TEST_CASE(escaping_helpers) {
    BOOST_TEST(gr::terminal_safe("a\tb") == "a\tb");
    BOOST_TEST(gr::terminal_safe("caf\xc3\xa9 \xe2\x82\xac") == "caf\xc3\xa9 \xe2\x82\xac");
    BOOST_TEST(gr::terminal_safe("\x1b[31m\r\n") == "\\x1b[31m\\r\\n");
    BOOST_TEST(gr::terminal_safe("\xc2\x9b"
                                 "2J") == "\\u{009b}2J");  // C1 CSI
    BOOST_TEST(gr::terminal_safe("\xe2\x80\xa8") == "\\u{2028}");
    BOOST_TEST(gr::terminal_safe("\xe0\x80\xbc") == "\\xe0\\x80\\xbc");           // overlong '<'
    BOOST_TEST(gr::terminal_safe("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
    BOOST_TEST(gr::terminal_safe("ab\xe2\x82") == "ab\\xe2\\x82");                // cut short
    BOOST_TEST(gr::xml_escape("<a href='x'>&\"</a>") ==
               "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;");
    BOOST_TEST(gr::xml_escape("a\nb\tc\rd\x01") == "a\nb\tc&#13;d\\x01");
    BOOST_TEST(gr::xml_escape("a\nb\tc", true) == "a&#10;b&#9;c");
    BOOST_TEST(gr::xml_escape("\xef\xbf\xbe\xf0\x9f\x98\x80") == "\\u{fffe}\xf0\x9f\x98\x80");
    BOOST_TEST(
        (gr::split_lines("a\r\nb\n\nc\n") == std::vector<std::string_view>{"a", "b", "", "c"}));
    BOOST_TEST((gr::split_lines("a\rb") == std::vector<std::string_view>{"a\rb"}));
    BOOST_TEST(gr::split_lines("").empty());
}

BOOST_AUTO_TEST_SUITE_END()
