#include <iostream>
#include <memory>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/summary_page.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/summary/summary.hpp"

namespace grader::cli {

namespace {

struct SummaryCmdOptions {
    std::string gradebook = "gradebook.sqlite";
    std::string html;
    std::string reports;
    bool for_students = false;
};

int run_summary(const SummaryCmdOptions& o) {
    if (!o.reports.empty() && o.html.empty())
        throw Error("--reports links the page to each student's report: give --html FILE too");
    if (!o.html.empty()) {
        if (o.for_students && !o.reports.empty())
            throw Error("the page for students names no student: leave out --reports");
        write_summary_page({o.gradebook, o.html, o.reports, o.for_students}, std::cout);
        return kExitFullMarks;
    }
    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadOnly);
    summary::ClassSummary s = summary::read_summary(book);
    if (o.for_students) s = summary::for_students(std::move(s));
    summary::render_text(s, std::cout);
    return kExitFullMarks;
}

}  // namespace

void setup_summary(CLI::App& app, int& status) {
    auto o = std::make_shared<SummaryCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "summary",
        "How the class did, from the gradebook: on the terminal, or as one self-contained HTML "
        "page (--html)");
    sub->add_option("--gradebook", o->gradebook, "The gradebook (SQLite) to read")
        ->capture_default_str();
    sub->add_option("--html", o->html,
                    "Write the page here (inline CSS and SVG: no network, no other file)");
    sub->add_option("--reports", o->reports,
                    "The --out folder of `grader batch`: each student links to their report");
    sub->add_flag("--for-students", o->for_students,
                  "Public cases and class figures only, no student's data: an overview to post");
    sub->callback([o, &status] { status = run_summary(*o); });
}

}  // namespace grader::cli
