#pragma once
// Strict reading of YAML nodes: every error names file and line and says what was expected.
// yaml-cpp accepts unknown and duplicate keys silently, so both are checked here.

#include <yaml-cpp/yaml.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "grader/error.hpp"

namespace grader::spec {

class YamlReader {
  public:
    explicit YamlReader(std::string file) : file_(std::move(file)) {}

    SourceLocation at(const YAML::Node& node) const;
    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;

    // Requires a map whose keys are all in `allowed` and none repeated; `what` names the
    // element in messages ("case \"zeros\"").
    void check_keys(const YAML::Node& map, std::span<const std::string_view> allowed,
                    const std::string& what) const;
    void require(const YAML::Node& map, std::string_view key, const std::string& what) const;

    std::string string(const YAML::Node& node, const std::string& what) const;
    double number(const YAML::Node& node, const std::string& what) const;
    long long integer(const YAML::Node& node, const std::string& what) const;
    // A number or a list of numbers (a scalar becomes a list of one), at most kMaxListLength
    // (spec.hpp) of them.
    std::vector<double> numbers(const YAML::Node& node, const std::string& what) const;
    std::vector<std::string> strings(const YAML::Node& node, const std::string& what) const;

    const std::string& file() const { return file_; }

  private:
    std::string file_;
};

// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" or "".
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace grader::spec
