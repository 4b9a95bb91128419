// The page's charts. Coordinates are in a fixed viewBox and the SVG scales to the column's
// width, so the same chart fits a screen and an A4 page.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "grader/summary/page.hpp"

namespace grader::summary {

namespace {

std::string num(double v) {
    return fmt::format("{:.1f}", v);
}

std::string bin_label(const Bin& b) {
    return b.lo == b.hi ? std::to_string(b.lo) : fmt::format("{}–{}", b.lo, b.hi);
}

// A round step for an axis up to `top`: 1, 2, 5, 10, 20, 50...
int axis_step(std::size_t top) {
    for (int step = 1;; step *= 10)
        for (int k : {1, 2, 5})
            if (static_cast<std::size_t>(step * k * 5) >= top) return step * k;
}

std::string shorten(const std::string& text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t cut = max - 1;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

}  // namespace

std::string_view verdict_colour(result::Verdict v) {
    switch (v) {
        case result::Verdict::Pass:
            return kGreen;
        case result::Verdict::Wrong:
            return kVermillion;
        case result::Verdict::Missing:
            return "#BBBBBB";
        case result::Verdict::Crash:
            return "#CC79A7";
        case result::Verdict::Timeout:
            return kOrange;
        case result::Verdict::Memory:
            return "#56B4E9";
        case result::Verdict::Overflow:
            return kBlue;
        case result::Verdict::Forbidden:
            return "#000000";
        case result::Verdict::Error:
            return "#F0E442";
    }
    return "#BBBBBB";
}

void histogram_chart(Markup& m, const ClassSummary& s) {
    constexpr double kWidth = 720, kHeight = 250, kLeft = 44, kRight = 712, kTop = 18,
                     kBottom = 200;
    std::size_t top = 1;
    for (const Bin& b : s.histogram) top = std::max(top, b.count);
    const int step = axis_step(top);
    const double y_max = std::ceil(static_cast<double>(top) / step) * step;
    const auto y = [&](double v) { return kBottom - (kBottom - kTop) * v / y_max; };

    std::string desc = "Submissions by total points (of " + std::to_string(s.max_total) + "): ";
    for (std::size_t i = 0; i < s.histogram.size(); ++i)
        desc += fmt::format("{}{} points: {}", i ? "; " : "", bin_label(s.histogram[i]),
                            s.histogram[i].count);
    m.open("svg", {{"class", "chart"},
                   {"viewBox", fmt::format("0 0 {} {}", kWidth, kHeight)},
                   {"role", "img"},
                   {"aria-labelledby", "histogram-title histogram-desc"}});
    m.element("title", {{"id", "histogram-title"}}, "Histogram of totals");
    m.element("desc", {{"id", "histogram-desc"}}, desc);
    for (double v = 0; v <= y_max; v += step) {
        m.leaf("line", {{"x1", num(kLeft)},
                        {"x2", num(kRight)},
                        {"y1", num(y(v))},
                        {"y2", num(y(v))},
                        {"class", v == 0 ? "axis" : "grid"}});
        m.element("text",
                  {{"x", num(kLeft - 6)},
                   {"y", num(y(v) + 4)},
                   {"class", "tick"},
                   {"text-anchor", "end"}},
                  fmt::format("{}", v));
    }
    const double slot =
        (kRight - kLeft) / static_cast<double>(std::max<std::size_t>(1, s.histogram.size()));
    for (std::size_t i = 0; i < s.histogram.size(); ++i) {
        const Bin& b = s.histogram[i];
        const bool zero = i == 0, full = i + 1 == s.histogram.size();
        const std::string_view colour = zero ? kVermillion : full ? kGreen : kBlue;
        const double x = kLeft + slot * static_cast<double>(i) + slot * 0.12;
        const double w = slot * 0.76;
        const double h = kBottom - y(static_cast<double>(b.count));
        m.open("g");
        m.element("title", fmt::format("{} points: {} submission{}", bin_label(b), b.count,
                                       b.count == 1 ? "" : "s"));
        if (b.count)
            m.leaf("rect", {{"x", num(x)},
                            {"y", num(kBottom - h)},
                            {"width", num(w)},
                            {"height", num(h)},
                            {"fill", std::string(colour)}});
        m.element("text",
                  {{"x", num(x + w / 2)},
                   {"y", num(kBottom - h - 4)},
                   {"class", "count"},
                   {"text-anchor", "middle"}},
                  std::to_string(b.count));
        m.element("text",
                  {{"x", num(x + w / 2)},
                   {"y", num(kBottom + 15)},
                   {"class", "tick"},
                   {"text-anchor", "middle"}},
                  bin_label(b));
        if (zero || full)
            m.element("text",
                      {{"x", num(x + w / 2)},
                       {"y", num(kBottom + 29)},
                       {"class", "tick strong"},
                       {"text-anchor", "middle"}},
                      zero ? "zero" : "full marks");
        m.close();
    }
    m.element("text",
              {{"x", num((kLeft + kRight) / 2)},
               {"y", num(kHeight - 4)},
               {"class", "tick"},
               {"text-anchor", "middle"}},
              "total points");
    m.close();
}

void exercise_chart(Markup& m, const ClassSummary& s) {
    constexpr double kWidth = 720, kLabel = 230, kBarEnd = 660, kRow = 34, kTop = 26;
    const double height = kTop + kRow * static_cast<double>(s.exercises.size()) + 8;
    std::string desc =
        "Per exercise, the mean score and the share of submissions with full "
        "marks: ";
    for (std::size_t i = 0; i < s.exercises.size(); ++i) {
        const ExerciseStats& e = s.exercises[i];
        desc += fmt::format("{}{}: mean {} ({}), full marks {}", i ? "; " : "", e.id,
                            fmt::format("{:.1f}/{}", e.mean, e.max_points),
                            percent(e.mean_fraction()), percent(e.pass_rate()));
    }
    m.open("svg", {{"class", "chart"},
                   {"viewBox", fmt::format("0 0 {} {}", kWidth, height)},
                   {"role", "img"},
                   {"aria-labelledby", "exercises-title exercises-desc"}});
    m.element("title", {{"id", "exercises-title"}}, "Mean score and full marks per exercise");
    m.element("desc", {{"id", "exercises-desc"}}, desc);
    // The legend, and a scale in percent.
    m.leaf("rect", {{"x", num(kLabel)},
                    {"y", "4"},
                    {"width", "12"},
                    {"height", "10"},
                    {"fill", std::string(kBlue)}});
    m.element("text", {{"x", num(kLabel + 16)}, {"y", "13"}, {"class", "tick"}},
              "mean score (% of the exercise's points)");
    m.leaf("rect", {{"x", num(kLabel + 250)},
                    {"y", "4"},
                    {"width", "12"},
                    {"height", "10"},
                    {"fill", std::string(kOrange)}});
    m.element("text", {{"x", num(kLabel + 266)}, {"y", "13"}, {"class", "tick"}},
              "full marks (% of submissions)");
    for (int pct = 0; pct <= 100; pct += 25) {
        const double x = kLabel + (kBarEnd - kLabel) * pct / 100.0;
        m.leaf("line", {{"x1", num(x)},
                        {"x2", num(x)},
                        {"y1", num(kTop - 4)},
                        {"y2", num(height - 8)},
                        {"class", pct == 0 ? "axis" : "grid"}});
    }
    for (std::size_t i = 0; i < s.exercises.size(); ++i) {
        const ExerciseStats& e = s.exercises[i];
        const double y0 = kTop + kRow * static_cast<double>(i);
        m.open("g");
        m.element("title",
                  fmt::format("{} {}: mean {:.1f} of {} ({}), full marks {} of {} ({})", e.id,
                              e.title, e.mean, e.max_points, percent(e.mean_fraction()), e.full,
                              e.n, percent(e.pass_rate())));
        m.element("text", {{"x", "0"}, {"y", num(y0 + 17)}, {"class", "label"}},
                  shorten(e.id + "  " + e.title, 34));
        const double wm = (kBarEnd - kLabel) * e.mean_fraction();
        const double wp = (kBarEnd - kLabel) * e.pass_rate();
        m.leaf("rect", {{"x", num(kLabel)},
                        {"y", num(y0 + 3)},
                        {"width", num(wm)},
                        {"height", "11"},
                        {"fill", std::string(kBlue)}});
        m.element("text", {{"x", num(kLabel + wm + 4)}, {"y", num(y0 + 12)}, {"class", "tick"}},
                  percent(e.mean_fraction()));
        m.leaf("rect", {{"x", num(kLabel)},
                        {"y", num(y0 + 16)},
                        {"width", num(wp)},
                        {"height", "11"},
                        {"fill", std::string(kOrange)}});
        m.element("text", {{"x", num(kLabel + wp + 4)}, {"y", num(y0 + 25)}, {"class", "tick"}},
                  percent(e.pass_rate()));
        m.close();
    }
    m.close();
}

void verdict_bar(Markup& m, const CaseStats& c) {
    constexpr double kWidth = 140, kHeight = 12;
    std::string label;
    const auto verdicts = all_verdicts();
    for (std::size_t v = 0; v < kVerdicts; ++v)
        if (c.verdicts[v])
            label += fmt::format("{}{} {}", label.empty() ? "" : ", ", result::name(verdicts[v]),
                                 c.verdicts[v]);
    m.open("svg", {{"class", "mix"},
                   {"viewBox", fmt::format("0 0 {} {}", kWidth, kHeight)},
                   {"width", num(kWidth)},
                   {"height", num(kHeight)},
                   {"preserveAspectRatio", "none"},
                   {"role", "img"},
                   {"aria-label", label.empty() ? "no submissions" : label}});
    m.element("title", label.empty() ? "no submissions" : label);
    double x = 0;
    for (std::size_t v = 0; v < kVerdicts && c.n; ++v) {
        if (!c.verdicts[v]) continue;
        const double w = kWidth * static_cast<double>(c.verdicts[v]) / static_cast<double>(c.n);
        m.leaf("rect", {{"x", num(x)},
                        {"y", "0"},
                        {"width", num(w)},
                        {"height", num(kHeight)},
                        {"fill", std::string(verdict_colour(verdicts[v]))}});
        x += w;
    }
    m.close();
}

}  // namespace grader::summary
