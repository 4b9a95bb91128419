// The manual page grader(1) and the bash completion the build writes from the command line
// (grader/cli/man_page.cpp), held against what the grader itself says in `--help`: every command,
// option and argument it takes is on the page and completes, and man renders the page without a
// warning (as lintian checks it).
#define BOOST_TEST_MODULE man_page
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace {

using test_support::Run;
using test_support::shell;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path << ": is the build complete?");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The lines of a section of CLI11's help ("Options:", "Subcommands:"...), up to a blank line.
std::vector<std::string> help_section(const std::string& help, const std::string& title) {
    std::vector<std::string> lines;
    std::istringstream in(help);
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (line == title) {
            inside = true;
        } else if (inside) {
            if (line.empty()) break;
            lines.push_back(line);
        }
    }
    return lines;
}

// The first word of each entry of a section ("  -o,--output TEXT  Write..."), without the
// continuation lines of long descriptions, which are indented further.
std::vector<std::string> entries(const std::vector<std::string>& lines) {
    static const std::regex entry(R"(^  (\S+))");
    std::vector<std::string> out;
    for (const std::string& line : lines) {
        std::smatch m;
        if (std::regex_search(line, m, entry)) out.push_back(m[1]);
    }
    return out;
}

// "-o,--output" to {"-o", "--output"}.
std::vector<std::string> option_names(const std::string& entry) {
    std::vector<std::string> names;
    std::istringstream in(entry);
    for (std::string name; std::getline(in, name, ',');) names.push_back(name);
    return names;
}

std::string help_of(const std::string& command) {
    const Run r = shell(std::string(GRADER_EXE) + " " + command + " --help");
    BOOST_REQUIRE_MESSAGE(r.status == 0, "grader " << command << " --help failed: " << r.out);
    return r.out;
}

std::vector<std::string> commands() {
    const auto names = entries(help_section(help_of(""), "Subcommands:"));
    BOOST_REQUIRE_MESSAGE(names.size() >= 10u,
                          "grader --help lists " << names.size() << " commands");
    return names;
}

// How an option's name is written on the page: every minus escaped.
std::string roff_name(const std::string& name) {
    return std::regex_replace(name, std::regex("-"), "\\-");
}

// The part of the page about one command: from its .SS heading to the next heading.
std::string page_section(const std::string& page, const std::string& heading) {
    const auto start = page.find(heading);
    if (start == std::string::npos) return "";
    const auto end = page.find("\n.S", start + heading.size());
    return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// What the completion offers for the words typed so far (the last one being completed), run as
// bash-completion runs it.
std::vector<std::string> complete(const std::string& line) {
    const std::string script = (test_support::temp_dir() / "complete.sh").string();
    std::ofstream(script) << "source /usr/share/bash-completion/bash_completion\n"
                          << "source '" << COMPLETION << "'\n"
                          << "COMP_LINE='" << line << "'\n"
                          << "COMP_POINT=${#COMP_LINE}\n"
                          << "read -r -a COMP_WORDS <<<\"$COMP_LINE\"\n"
                          << "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
                          << "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                          << "_grader\n"
                          << "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    const Run r = shell("cd " + test_support::temp_dir().string() + " && bash " + script);
    BOOST_REQUIRE_MESSAGE(r.status == 0, "the completion failed on '" << line << "': " << r.out);
    std::vector<std::string> words;
    std::istringstream in(r.out);
    for (std::string w; std::getline(in, w);)
        if (!w.empty()) words.push_back(w);
    return words;
}

bool has(const std::vector<std::string>& words, const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(man_page)

BOOST_AUTO_TEST_CASE(every_command_option_and_argument_is_on_the_page) {
    const std::string page = read_file(MAN_PAGE);
    for (const std::string& command : commands()) {
        const std::string section = page_section(page, ".SS \"grader " + command);
        BOOST_TEST_CONTEXT("grader " << command) {
            BOOST_REQUIRE_MESSAGE(!section.empty(), "the page has no section for the command");
            const std::string help = help_of(command);
            for (const std::string& entry : entries(help_section(help, "Options:")))
                for (const std::string& name : option_names(entry)) {
                    if (name == "-h" || name == "--help") continue;  // once, for every command
                    const bool listed =
                        section.find("\\fB" + roff_name(name)) != std::string::npos ||
                        section.find(", " + roff_name(name)) != std::string::npos;
                    BOOST_TEST(listed, name << " is not on the page");
                }
            for (const std::string& positional : entries(help_section(help, "Positionals:")))
                BOOST_TEST(section.find("\\fI" + positional + "\\fR") != std::string::npos,
                           "the argument " << positional << " is not on the page");
        }
    }
    const std::string global = page_section(page, ".SH GLOBAL OPTIONS");
    for (const std::string& entry : entries(help_section(help_of(""), "Options:")))
        for (const std::string& name : option_names(entry))
            BOOST_TEST(global.find(roff_name(name)) != std::string::npos,
                       "the global option " << name << " is not on the page");
}

BOOST_AUTO_TEST_CASE(the_page_has_no_command_the_grader_lacks) {
    const std::string page = read_file(MAN_PAGE);
    std::size_t sections = 0;
    for (auto at = page.find(".SS \"grader "); at != std::string::npos;
         at = page.find(".SS \"grader ", at + 1))
        ++sections;
    BOOST_TEST(sections == commands().size());
}

BOOST_AUTO_TEST_CASE(man_renders_the_page_without_a_warning) {
    const Run found = shell("command -v man");
    BOOST_REQUIRE_MESSAGE(found.status == 0,
                          "man is missing: install what the tests need with "
                          "scripts/setup-deps.sh test");
    // What lintian runs on a package's pages: a warning here is one there.
    const Run r = shell(
        "LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "
        "-Tutf8 -Z " MAN_PAGE " 2>&1 >/dev/null");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.empty(), "man's warnings:\n" << r.out);
    // The page installed is the same page, compressed.
    BOOST_TEST(shell("gzip -dc " MAN_PAGE ".gz | cmp - " MAN_PAGE).status == 0);
}

BOOST_AUTO_TEST_CASE(the_completion_offers_every_command_and_option) {
    BOOST_REQUIRE_MESSAGE(shell("bash -n " COMPLETION).status == 0, "the completion is not bash");
    const Run found = shell("test -f /usr/share/bash-completion/bash_completion");
    BOOST_REQUIRE_MESSAGE(found.status == 0,
                          "bash-completion is missing: install what the tests need with "
                          "scripts/setup-deps.sh test");
    const auto top = complete("grader ");
    for (const std::string& command : commands()) {
        BOOST_TEST(has(top, command), "grader <TAB> does not offer " << command);
        const auto offered = complete("grader " + command + " -");
        for (const std::string& entry : entries(help_section(help_of(command), "Options:")))
            for (const std::string& name : option_names(entry))
                BOOST_TEST(has(offered, name),
                           "grader " << command << " -<TAB> does not offer " << name);
    }
    BOOST_TEST(complete("grader gr") == std::vector<std::string>{"grade"});
    BOOST_TEST(complete("grader grade --for") == std::vector<std::string>{"--format"});
    BOOST_TEST(complete("grader grade --format j") == (std::vector<std::string>{"json", "junit"}));
    BOOST_TEST(complete("grader export --format c") == (std::vector<std::string>{"csv", "canvas"}));
    BOOST_TEST(complete("grader batch x --jobs ").empty());
    BOOST_TEST(complete("grader batch x --layout m") == std::vector<std::string>{"moodle"});
    BOOST_TEST(complete("grader export --format moodle-") ==
               std::vector<std::string>{"moodle-worksheet"});
    BOOST_TEST(complete("grader feedback --format d") == std::vector<std::string>{"dir"});
}

BOOST_AUTO_TEST_SUITE_END()
