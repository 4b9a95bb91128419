#include "grader/report/report.hpp"

#include <array>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace grader::report {
namespace {

constexpr std::array<std::pair<std::string_view, Format>, 5> kFormats{{
    {"text", Format::Text},
    {"json", Format::Json},
    {"junit", Format::Junit},
    {"gradescope", Format::Gradescope},
    {"classroom", Format::Classroom},
}};

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
    for (const auto& [format_name, format] : kFormats)
        if (format_name == text) return format;
    return std::nullopt;
}

std::string_view name(Format format) {
    for (const auto& [format_name, f] : kFormats)
        if (f == format) return format_name;
    return "text";
}

void render(const result::Result& result, Format format, std::ostream& out,
            const TextOptions& options) {
    switch (format) {
        case Format::Text:
            return render_text(result, out, options);
        case Format::Json:
            return render_json(result, out, JsonOptions{options.timings});
        case Format::Junit:
            return render_junit(result, out);
        case Format::Gradescope:
            return render_gradescope(result, out);
        case Format::Classroom:
            return render_classroom(result, out);
    }
}

std::string format_number(double value) {
    // fmt prints a negative NaN as "-nan"; a sign on NaN means nothing to a reader.
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return fmt::format("{}", value);
}

}  // namespace grader::report
