#include <fmt/format.h>

#include "grader/export/export.hpp"

namespace grader::exporting {

std::optional<Format> parse_format(std::string_view name) {
    if (name == "csv") return Format::Csv;
    if (name == "long") return Format::Long;
    if (name == "canvas") return Format::Canvas;
    if (name == "moodle") return Format::Moodle;
    if (name == "moodle-worksheet") return Format::MoodleWorksheet;
    if (name == "blackboard") return Format::Blackboard;
    return std::nullopt;
}

std::string status_of(const gradebook::ClassRow& row) {
    if (!row.current) return "no_submission";
    return std::string(gradebook::name(row.current->record.status));
}

std::string percent_text(double score, int max) {
    return max > 0 ? fmt::format("{:.2f}", 100.0 * score / max) : "";
}

std::string points_text(double points) {
    std::string text = fmt::format("{:.2f}", points);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text == "-0" ? "0" : text;
}

std::optional<double> final_score(const gradebook::ClassRow& row) {
    if (!row.current || !row.current->grade) return std::nullopt;
    return row.current->grade->final_score;
}

}  // namespace grader::exporting
