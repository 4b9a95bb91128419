// The documentation as a reader follows it: every relative link of README.md and docs/ leads to a
// file that exists and, when it names a heading (page.md#heading), to a heading that exists; and
// the README stays an overview.
#define BOOST_TEST_MODULE docs
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = PROJECT_ROOT;

std::vector<std::string> lines_of(const fs::path& file) {
    std::ifstream in(file);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

bool is_fence(const std::string& line) {
    const auto start = line.find_first_not_of(' ');
    return start != std::string::npos && line.compare(start, 3, "```") == 0;
}

// The anchor GitHub gives a heading: lower case, punctuation dropped (letters of other scripts
// kept), spaces made hyphens; a repeated heading gets -1, -2...
std::string slug(const std::string& heading) {
    std::string s;
    for (unsigned char c : heading) {
        if (c >= 0x80 || std::isalnum(c) || c == '_' || c == '-')
            s += static_cast<char>(std::tolower(c));
        else if (c == ' ')
            s += '-';
    }
    return s;
}

// The anchors of a Markdown file's headings, outside code blocks.
std::set<std::string> anchors_of(const fs::path& file) {
    std::set<std::string> anchors;
    std::map<std::string, int> seen;
    bool in_code = false;
    for (const std::string& line : lines_of(file)) {
        if (is_fence(line)) in_code = !in_code;
        if (in_code || line.empty() || line[0] != '#') continue;
        const auto text = line.find_first_not_of('#');
        if (text == std::string::npos || line[text] != ' ') continue;
        const std::string base = slug(line.substr(text + 1));
        const int n = seen[base]++;
        anchors.insert(n == 0 ? base : base + "-" + std::to_string(n));
    }
    return anchors;
}

struct Link {
    int line;
    std::string target;
};

// The targets of inline links and images, and of reference definitions, outside code.
std::vector<Link> links_of(const fs::path& file) {
    static const std::regex inline_link(R"(\]\(([^)\s]+)(\s+"[^"]*")?\))");
    static const std::regex definition(R"(^\s*\[[^\]]+\]:\s*(\S+))");
    static const std::regex code_span("`[^`]*`");
    std::vector<Link> links;
    bool in_code = false;
    int n = 0;
    for (const std::string& raw : lines_of(file)) {
        ++n;
        if (is_fence(raw)) in_code = !in_code;
        if (in_code) continue;
        const std::string line = std::regex_replace(raw, code_span, "");
        for (auto it = std::sregex_iterator(line.begin(), line.end(), inline_link);
             it != std::sregex_iterator(); ++it)
            links.push_back({n, (*it)[1]});
        std::smatch m;
        if (std::regex_search(line, m, definition)) links.push_back({n, m[1]});
    }
    return links;
}

std::vector<fs::path> documents() {
    std::vector<fs::path> docs{kRoot / "README.md"};
    for (const auto& entry : fs::recursive_directory_iterator(kRoot / "docs"))
        if (entry.is_regular_file() && entry.path().extension() == ".md")
            docs.push_back(entry.path());
    return docs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(docs)

BOOST_AUTO_TEST_CASE(the_slug_is_githubs) {
    BOOST_TEST(slug("Isolation: what a submission can and cannot do") ==
               "isolation-what-a-submission-can-and-cannot-do");
    BOOST_TEST(slug("A flaky test: `make test-repeat`") == "a-flaky-test-make-test-repeat");
    BOOST_TEST(slug("`grader batch`") == "grader-batch");
}

BOOST_AUTO_TEST_CASE(every_relative_link_resolves) {
    std::size_t checked = 0;
    for (const fs::path& doc : documents()) {
        for (const Link& link : links_of(doc)) {
            const std::string& t = link.target;
            if (t.rfind("http://", 0) == 0 || t.rfind("https://", 0) == 0 ||
                t.rfind("mailto:", 0) == 0)
                continue;
            ++checked;
            const auto hash = t.find('#');
            const std::string path = t.substr(0, hash);
            const std::string anchor = hash == std::string::npos ? "" : t.substr(hash + 1);
            const fs::path target = path.empty() ? doc : doc.parent_path() / path;
            const std::string where = fs::relative(doc, kRoot).string() + ":" +
                                      std::to_string(link.line) + ": (" + t + ")";
            BOOST_TEST_CONTEXT(where) {
                BOOST_TEST(!path.starts_with("/"), "a link into the repository must be relative");
                BOOST_TEST(fs::exists(target), "leads to nothing: " << target);
                if (!anchor.empty() && fs::exists(target) && target.extension() == ".md") {
                    const auto anchors = anchors_of(target);
                    BOOST_TEST(anchors.count(anchor) == 1u,
                               "no heading of " << fs::relative(target, kRoot).string()
                                                << " has the anchor #" << anchor);
                }
            }
        }
    }
    // The README and the guides link to each other: no link found means none was read.
    BOOST_TEST(checked > 20u);
}

BOOST_AUTO_TEST_CASE(the_readme_is_an_overview_of_at_most_300_lines) {
    const auto lines = lines_of(kRoot / "README.md");
    BOOST_TEST(lines.size() <= 300u,
               "README.md has " << lines.size() << " lines: move the detail into docs/");
}

BOOST_AUTO_TEST_SUITE_END()
