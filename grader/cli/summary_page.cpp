#include "grader/cli/summary_page.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "grader/cli/common.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/summary/summary.hpp"

namespace grader::cli {

namespace fs = std::filesystem;

namespace {

// A student id is a file name: spaces, '#', '?' or '%' in it must not break the link.
std::string url_path(const fs::path& relative) {
    std::string out;
    for (unsigned char ch : relative.generic_string()) {
        const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                           (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ||
                           ch == '~' || ch == '/';
        out += plain ? std::string(1, static_cast<char>(ch)) : fmt::format("%{:02X}", ch);
    }
    return out;
}

// Each student's most readable report, as a link relative to the page, so that the page and the
// reports can be moved together.
std::map<std::string, std::string> report_links(const summary::ClassSummary& s,
                                                const std::string& reports,
                                                const std::string& html) {
    std::map<std::string, std::string> out;
    if (reports.empty()) return out;
    std::error_code ec;
    const fs::path page_dir = fs::absolute(fs::path(html), ec).parent_path();
    for (const summary::StudentRow& st : s.students)
        for (const char* ext : {".txt", ".json"}) {
            const fs::path report = fs::absolute(fs::path(reports) / (st.id + ext), ec);
            if (ec || !fs::is_regular_file(report, ec)) continue;
            out[st.id] = url_path(report.lexically_relative(page_dir));
            break;
        }
    return out;
}

}  // namespace

void write_summary_page(const SummaryPageOptions& o, std::ostream& note) {
    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadOnly);
    summary::ClassSummary s = summary::read_summary(book);
    summary::HtmlOptions html;
    if (o.for_students)
        s = summary::for_students(std::move(s));
    else
        html.report_links = report_links(s, o.reports, o.html);
    std::ostringstream text;
    summary::render_html(s, html, text);

    write_whole(o.html, text.str(), "the summary page " + o.html);
    note << fmt::format("Summary:   {}{} ({} student{}; open it in a browser)\n", o.html,
                        o.for_students ? ", for students" : "", s.counts.students,
                        s.counts.students == 1 ? "" : "s");
}

}  // namespace grader::cli
