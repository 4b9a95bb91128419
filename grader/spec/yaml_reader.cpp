#include "grader/spec/yaml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "grader/spec/spec.hpp"

namespace grader::spec {

namespace {

std::string describe(const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull()) return "nothing";
    if (node.IsScalar()) return "\"" + node.Scalar() + "\"";
    if (node.IsSequence()) return "a list";
    return "a map";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    // Short names are all close to each other; suggesting one of them would be noise.
    if (word.size() <= 2) return "";
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
    for (const std::string& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string best = did_you_mean(word, candidates);
    return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

SourceLocation YamlReader::at(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    // yaml-cpp counts lines from 0, and a node it made up has no position.
    return SourceLocation{file_, mark.is_null() ? 0 : mark.line + 1};
}

void YamlReader::fail(const YAML::Node& node, const std::string& message) const {
    throw Error(at(node), message);
}

void YamlReader::check_keys(const YAML::Node& map, std::span<const std::string_view> allowed,
                            const std::string& what) const {
    if (!map.IsMap()) fail(map, what + " must be a map of keys to values, got " + describe(map));
    std::set<std::string> seen;
    const std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const auto& kv : map) {
        const std::string key = kv.first.Scalar();
        if (std::find(names.begin(), names.end(), key) == names.end()) {
            std::string known;
            for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
            fail(kv.first, what + ": unknown key \"" + key + "\"" + suggestion(key, names) +
                               "; allowed keys are " + known);
        }
        if (!seen.insert(key).second)
            fail(kv.first, what + ": key \"" + key + "\" is given twice; keep one");
    }
}

void YamlReader::require(const YAML::Node& map, std::string_view key,
                         const std::string& what) const {
    if (!map[std::string(key)]) fail(map, what + " needs a \"" + std::string(key) + "\" key");
}

std::string YamlReader::string(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be text, got " + describe(node));
    return node.Scalar();
}

double YamlReader::number(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a number, got " + describe(node));
    double value = 0;
    if (!YAML::convert<double>::decode(node, value))
        fail(node, what + " must be a number, got \"" + node.Scalar() + "\"");
    return value;
}

long long YamlReader::integer(const YAML::Node& node, const std::string& what) const {
    const double value = number(node, what);
    if (!std::isfinite(value) || value != std::floor(value) || std::fabs(value) > 9.0e15)
        fail(node, what + " must be a whole number, got \"" + node.Scalar() + "\"");
    return static_cast<long long>(value);
}

std::vector<double> YamlReader::numbers(const YAML::Node& node, const std::string& what) const {
    if (node.IsScalar()) return {number(node, what)};
    if (!node.IsSequence())
        fail(node, what + " must be a number or a list of numbers, got " + describe(node));
    if (node.size() > kMaxListLength)
        fail(node, what + " has " + std::to_string(node.size()) + " numbers; at most " +
                       std::to_string(kMaxListLength) + " are allowed");
    std::vector<double> out;
    out.reserve(node.size());
    for (const auto& item : node)
        out.push_back(number(item, what + " (element " + std::to_string(out.size()) + ")"));
    return out;
}

std::vector<std::string> YamlReader::strings(const YAML::Node& node,
                                             const std::string& what) const {
    if (node.IsScalar()) return {node.Scalar()};
    if (!node.IsSequence()) fail(node, what + " must be a list of names, got " + describe(node));
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(string(item, what));
    return out;
}

}  // namespace grader::spec
