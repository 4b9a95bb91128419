#pragma once
// Renders a graded submission for its readers: text for people, JSON for machines, JUnit XML for
// CI, Gradescope's results.json and GitHub Classroom's result for the LMSs. Rendering never calls
// student code; everything comes from the plain `Result`.
//
// Every format keeps the same promises:
// - a hidden case shows its id, function, verdict, points and message, never its inputs, the
//   expected or returned values, the worst index, or a hint;
// - what the submission printed is shown apart from the grader's own lines and escaped, so it
//   can never pass for them (a student's "Total: 100/100" stays visibly theirs);
// - any bytes are safe: invalid UTF-8 and control characters are made visible or replaced.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "grader/result/result.hpp"

namespace grader::report {

enum class Format { Text, Json, Junit, Gradescope, Classroom };

// "text", "json", "junit", "gradescope", "classroom"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
std::string_view name(Format format);

struct TextOptions {
    bool colour = false;   // ANSI colours: only when writing to a terminal
    bool verbose = false;  // also time every case and the whole grading
    bool timings = true;   // false: no time figures at all, in text or JSON (reruns compare equal)
};

void render(const result::Result& result, Format format, std::ostream& out,
            const TextOptions& options = {});

void render_text(const result::Result& result, std::ostream& out, const TextOptions& options = {});
struct JsonOptions {
    bool timings = true;  // false: the fields that are timings (`seconds`) are left out
};

void render_json(const result::Result& result, std::ostream& out, const JsonOptions& options = {});
void render_junit(const result::Result& result, std::ostream& out);
void render_gradescope(const result::Result& result, std::ostream& out);
// GitHub Classroom's autograding result (grader/report/classroom.cpp).
void render_classroom(const result::Result& result, std::ostream& out);

// The shortest text that reads back as the same double ("0.1", "1e-09"), and "inf", "-inf",
// "nan" (any NaN, whatever its sign) for the values that have no such text.
std::string format_number(double value);

}  // namespace grader::report
