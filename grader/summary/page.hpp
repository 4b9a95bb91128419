#pragma once
// The pieces of the HTML page that html.cpp puts together: the style sheet and script (page
// constants), and the charts, each an inline SVG with a <title> and <desc> for screen readers.
// Internal to grader/summary.

#include <string_view>

#include "grader/result/result.hpp"
#include "grader/summary/markup.hpp"
#include "grader/summary/summary.hpp"

namespace grader::summary {

// Okabe and Ito's palette, which stays distinct under every common colour-vision deficiency.
std::string_view verdict_colour(result::Verdict v);
inline constexpr std::string_view kBlue = "#0072B2";
inline constexpr std::string_view kOrange = "#E69F00";
inline constexpr std::string_view kGreen = "#009E73";
inline constexpr std::string_view kVermillion = "#D55E00";

std::string_view page_style();
// Sorts the tables by a click on a heading; the page reads the same without it.
std::string_view page_script();

// Totals: one bar per bin, 0 and full marks in their own colours.
void histogram_chart(Markup& m, const ClassSummary& s);
// Per exercise: the mean score and the share with full marks, as two bars.
void exercise_chart(Markup& m, const ClassSummary& s);
// One case's verdicts as a stacked bar, labelled for screen readers.
void verdict_bar(Markup& m, const CaseStats& c);

}  // namespace grader::summary
