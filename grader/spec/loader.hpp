#pragma once
// The spec loader's inside, shared by the files that read each part of exercises.yaml:
// load.cpp (the top level), load_settings.cpp, load_functions.cpp, load_exercises.cpp,
// load_cases.cpp, load_inputs.cpp and load_properties.cpp. Only spec/ includes it.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "grader/spec/keys.hpp"
#include "grader/spec/spec.hpp"
#include "grader/spec/yaml_reader.hpp"

namespace grader::spec {

inline std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

// An expression as messages quote it: a long one is cut (the column says where the problem is).
inline std::string quoted_expression(const std::string& s) {
    constexpr std::size_t kMax = 60;
    return quoted(s.size() <= kMax ? s : s.substr(0, kMax - 4) + " ...");
}

class Loader {
  public:
    explicit Loader(std::string path) : path_(path), yaml_(std::move(path)) {}

    Spec load(const YAML::Node& root);

  private:
    static void names_in(const Expr& e, std::vector<const Expr*>& out) { collect_names(e, out); }
    static void names_in(const Check& c, std::vector<const Expr*>& out) {
        collect_names(c.lhs, out);
        collect_names(c.rhs, out);
    }

    // Parses an expression or a check written in the spec, and requires every name it uses to
    // be one of `known`. `label` starts each message ("property \"p\": check \"K >= 0\"").
    // `in_property`: a call to a spec function gets the hint of spec_function_hint.
    template <class Parsed>
    Parsed parse_text(const YAML::Node& node, const std::string& label, const std::string& text,
                      Parsed (*parse)(std::string_view), const std::vector<std::string>& known,
                      const std::string& which_is_not, bool in_property = false) {
        Parsed parsed{};
        try {
            parsed = parse(text);
        } catch (const ExprError& e) {
            yaml_.fail(node, label + ", column " + std::to_string(e.column + 1) + ": " + e.message +
                                 (in_property ? spec_function_hint(text, e.column) : ""));
        }
        std::vector<const Expr*> names;
        names_in(parsed, names);
        for (const Expr* n : names)
            if (std::find(known.begin(), known.end(), n->name) == known.end())
                yaml_.fail(node, label + " uses " + quoted(n->name) + ", which " + which_is_not +
                                     suggestion(n->name, known));
        return parsed;
    }

    // When an expression fails where it calls one of the spec's functions: why it may not, and
    // what to write instead. Empty otherwise.
    std::string spec_function_hint(const std::string& text, std::size_t column) const;

    // load_settings.cpp
    Settings settings(const YAML::Node& node, const std::string& what);
    void read_settings_fields(const YAML::Node& node, const std::string& what, Settings& s);
    void common_fields(const YAML::Node& node, const std::string& what, int& points, int& repeat,
                       Visibility& visibility, std::string& hint, std::string& note);
    std::string read_id(const YAML::Node& node, const std::string& kind, const Exercise& ex,
                        std::set<std::string>& ids);

    // load_functions.cpp
    void read_functions(const YAML::Node& node, Spec& spec);
    void read_sizes(const YAML::Node& sizes, const YAML::Node& body, const std::string& what,
                    Function& f);
    void read_requires(const YAML::Node& node, const std::string& what, Function& f);
    void check_ownership(const YAML::Node& node, Spec& spec);
    static std::vector<std::string> function_names(const Spec& spec);
    const Function& known_function(const YAML::Node& node, const Spec& spec,
                                   const std::string& what);

    // load_exercises.cpp
    void read_exercises(const YAML::Node& node, Spec& spec);

    // load_cases.cpp
    ValueCase read_case(const YAML::Node& node, const Spec& spec, const Exercise& ex,
                        std::set<std::string>& ids);
    void check_inputs_complete(const YAML::Node& node, const Function& f,
                               const std::vector<Input>& inputs, const std::string& what);
    Literal read_literal(const YAML::Node& node, const Function& f, const std::string& what);
    // The return value of an expect: numbers, or true/false for a bool result.
    std::vector<double> result_values(const YAML::Node& node, const Function& f,
                                      const std::string& what);

    // load_inputs.cpp
    std::vector<Input> read_inputs(const YAML::Node& node, const Function& f,
                                   const std::string& what, bool property);
    void check_generator_fits(const YAML::Node& node, const Input& in, const abi::Param& p,
                              const std::string& what);
    void check_array_generator(const YAML::Node& node, const Input& in, const abi::Param& p,
                               const std::string& where);
    Generator read_generator(const YAML::Node& node, const std::string& what,
                             const std::set<std::string>& earlier);

    // load_properties.cpp
    Property read_property(const YAML::Node& node, const Spec& spec, const Exercise& ex,
                           std::set<std::string>& ids);
    void read_call(const YAML::Node& node, const Spec& spec, const std::string& what,
                   const std::vector<std::string>& known, PropertyCall& call);
    void read_lets(const YAML::Node& node, const std::string& what, std::vector<std::string>& known,
                   Property& p);

    std::string path_;
    YamlReader yaml_;
    std::vector<std::string> spec_functions_;  // once the functions are read
};

}  // namespace grader::spec
