#pragma once
// Writing the class page, for `grader summary --html` and `grader batch --html` alike.

#include <ostream>
#include <string>

namespace grader::cli {

struct SummaryPageOptions {
    std::string gradebook;
    std::string html;     // the page to write
    std::string reports;  // a folder of <id>.txt / <id>.json reports to link to; empty: none
    bool for_students = false;
};

// Reads the gradebook and writes the page whole or not at all; says where on `note`.
void write_summary_page(const SummaryPageOptions& options, std::ostream& note);

}  // namespace grader::cli
