// CSV as the exports write it and the roster reader reads it: RFC 4180, read back by libcsv.
#define BOOST_TEST_MODULE csv
#include <boost/test/unit_test.hpp>

#include <sstream>

#include "grader/csv/csv.hpp"
#include "grader/error.hpp"

using namespace grader;

BOOST_AUTO_TEST_SUITE(csv_format)

BOOST_AUTO_TEST_CASE(fields_are_quoted_only_when_they_must_be) {
    BOOST_TEST(csv::field("plain") == "plain");
    BOOST_TEST(csv::field("O'Neil, \"Jo\"") == "\"O'Neil, \"\"Jo\"\"\"");
    BOOST_TEST(csv::field("two\nlines") == "\"two\nlines\"");
    BOOST_TEST(csv::field("") == "");
}

BOOST_AUTO_TEST_CASE(cells_and_headers_as_readers_match_them) {
    BOOST_TEST(csv::trimmed(" \talice \r\n") == "alice");
    BOOST_TEST(csv::trimmed(" \t ") == "");
    BOOST_TEST(csv::header_key(" SIS User ID ") == "sis user id");
    BOOST_TEST(csv::header_key("Zoë") == "zoë");  // bytes past ASCII untouched
}

BOOST_AUTO_TEST_CASE(what_is_written_reads_back_the_same) {
    const std::vector<std::vector<std::string>> rows = {
        {"id", "name", "note"},
        {"s1", "O'Neil, \"Jo\"", "line one\r\nline two"},
        {"s2", "Zoë Åström-Ñúñez", ""},
        {"s3", "\"", ",,,"}};
    std::ostringstream out;
    csv::Writer w(out);
    for (const auto& r : rows) w.row(r);
    BOOST_TEST(out.str().find("\r\n") != std::string::npos);
    const auto back = csv::parse(out.str(), "test.csv");
    BOOST_REQUIRE(back.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) BOOST_TEST(back[i].fields == rows[i]);
}

BOOST_AUTO_TEST_CASE(rows_know_their_lines_and_a_bom_is_skipped) {
    const auto rows = csv::parse("\xEF\xBB\xBFid,name\n\na,\"x\ny\"\nb,z\n", "r.csv");
    BOOST_REQUIRE(rows.size() == 3u);
    BOOST_TEST(rows[0].fields[0] == "id");
    BOOST_TEST(rows[1].line == 3);
    BOOST_TEST(rows[2].line == 5);
}

BOOST_AUTO_TEST_CASE(malformed_csv_names_its_line) {
    try {
        csv::parse("id,name\na,\"unclosed\n", "roster.csv");
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "roster.csv:2: this CSV ends inside a quoted field: a closing double quote is "
                   "missing");
    }
    try {
        csv::parse("id,name\na,\"x\"y\n", "roster.csv");
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("roster.csv:2: this is not valid CSV") == 0u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
