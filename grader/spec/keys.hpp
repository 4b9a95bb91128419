#pragma once
// Every key exercises.yaml may hold, by where it stands. The loader checks each map against its
// table, and a test holds docs/spec.md to the tables: a key added here is a key to document.

#include <iterator>
#include <span>
#include <string_view>

namespace grader::spec::keys {

inline constexpr std::string_view kTop[] = {"version",  "title",     "conventions", "seed",
                                            "defaults", "functions", "exercises"};
// `defaults:` at the top and in an exercise; cases and properties take the same keys directly.
inline constexpr std::string_view kSettings[] = {"rtol", "atol", "time_limit", "memory_limit"};
inline constexpr std::string_view kFunction[] = {"prototype", "contract", "sizes", "requires"};
inline constexpr std::string_view kExercise[] = {"id",       "title", "functions",
                                                 "defaults", "cases", "properties"};
inline constexpr std::string_view kCase[] = {
    "id",          "function", "points", "repeat",     "visibility",   "inputs", "expect",
    "expect_from", "rtol",     "atol",   "time_limit", "memory_limit", "hint",   "note"};
inline constexpr std::string_view kProperty[] = {
    "id",    "points", "repeat", "visibility", "inputs",       "calls", "let",
    "check", "rtol",   "atol",   "time_limit", "memory_limit", "hint",  "note"};
// An input's generator: one of the kinds, with an optional `size`.
inline constexpr std::string_view kGenerator[] = {
    "int",      "uniform", "log_uniform", "normal",      "prob",
    "linspace", "mixture", "copy",        "categorical", "size"};
inline constexpr std::string_view kProb[] = {"zeros"};
inline constexpr std::string_view kMixture[] = {"on", "means", "sigmas", "weights"};
inline constexpr std::string_view kCategorical[] = {"k"};
// Besides the function's output parameters by name.
inline constexpr std::string_view kExpect[] = {"return"};

// load_inputs.cpp takes every key but the last as a generator kind.
static_assert(kGenerator[std::size(kGenerator) - 1] == "size");

struct Table {
    std::string_view where;  // as docs/spec.md heads the section
    std::span<const std::string_view> keys;
};

inline constexpr Table kTables[] = {
    {"top level", kTop},           {"settings", kSettings}, {"function", kFunction},
    {"exercise", kExercise},       {"case", kCase},         {"property", kProperty},
    {"generator", kGenerator},     {"prob", kProb},         {"mixture", kMixture},
    {"categorical", kCategorical}, {"expect", kExpect},
};

}  // namespace grader::spec::keys
