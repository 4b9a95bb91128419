// Part of the spec loader (see loader.hpp): the exercises.

#include <algorithm>
#include <cmath>
#include <set>

#include "grader/spec/loader.hpp"

namespace grader::spec {

void Loader::read_exercises(const YAML::Node& node, Spec& spec) {
    if (!node.IsSequence()) yaml_.fail(node, "exercises must be a list");
    std::set<std::string> ids;
    for (const auto& item : node) {
        Exercise ex;
        ex.where = yaml_.at(item);
        yaml_.check_keys(item, keys::kExercise, "an exercise");
        yaml_.require(item, "id", "an exercise");
        ex.id = yaml_.string(item["id"], "exercise id");
        const std::string what = "exercise " + quoted(ex.id);
        if (!ids.insert(ex.id).second)
            yaml_.fail(item["id"], what + " is declared twice; exercise ids must be unique");
        if (item["title"]) ex.title = yaml_.string(item["title"], what + ": title");
        yaml_.require(item, "functions", what);
        ex.functions = yaml_.strings(item["functions"], what + ": functions");
        for (const std::string& f : ex.functions)
            if (!spec.function(f))
                yaml_.fail(item["functions"], what + ": unknown function " + quoted(f) +
                                                  suggestion(f, function_names(spec)));
        if (item["defaults"]) ex.settings = settings(item["defaults"], what + ": defaults");
        std::set<std::string> case_ids;
        if (item["cases"]) {
            if (!item["cases"].IsSequence())
                yaml_.fail(item["cases"], what + ": cases must be a list");
            for (const auto& c : item["cases"])
                ex.cases.push_back(read_case(c, spec, ex, case_ids));
        }
        if (item["properties"]) {
            if (!item["properties"].IsSequence())
                yaml_.fail(item["properties"], what + ": properties must be a list");
            for (const auto& p : item["properties"])
                ex.properties.push_back(read_property(p, spec, ex, case_ids));
        }
        spec.exercises.push_back(std::move(ex));
    }
}

}  // namespace grader::spec
