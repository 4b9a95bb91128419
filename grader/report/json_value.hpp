#pragma once
// JSON helpers shared by the JSON and Gradescope reports (internal: nlohmann stays out of the
// public header).

#include <ostream>

#include <nlohmann/json.hpp>

namespace grader::report {

// A double as JSON: a number when finite, else the string "inf", "-inf" or "nan" (JSON has no
// such numbers, and nlohmann would silently write null).
nlohmann::ordered_json json_number(double value);

// Indented, with a final newline. Invalid UTF-8 (student output can hold any bytes) becomes
// U+FFFD instead of an exception halfway through the report.
void write_json(const nlohmann::ordered_json& value, std::ostream& out);

}  // namespace grader::report
