#include "grader/spec/public_text.hpp"

#include <yaml-cpp/yaml.h>

#include "grader/error.hpp"

namespace grader::spec {

namespace {

bool hidden(const YAML::Node& entry) {
    return entry.IsMap() && entry["visibility"] && entry["visibility"].IsScalar() &&
           entry["visibility"].Scalar() == "hidden";
}

// The same list without its hidden entries (yaml-cpp cannot remove from a sequence in place).
YAML::Node public_entries(const YAML::Node& list) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const YAML::Node& entry : list)
        if (!hidden(entry)) out.push_back(entry);
    return out;
}

}  // namespace

std::string public_text(const std::string& text, const std::string& path) {
    YAML::Node doc;
    try {
        doc = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw Error(path + ": this is not valid YAML: " + e.msg);
    }
    if (!doc.IsMap()) throw Error(path + ": the spec is not a map of keys");
    doc.remove("seed");
    if (doc["exercises"] && doc["exercises"].IsSequence())
        for (YAML::Node ex : doc["exercises"]) {
            if (!ex.IsMap()) continue;
            for (const char* list : {"cases", "properties"})
                if (ex[list] && ex[list].IsSequence()) ex[list] = public_entries(ex[list]);
        }
    YAML::Emitter out;
    out << doc;
    return std::string(out.c_str()) + "\n";
}

}  // namespace grader::spec
