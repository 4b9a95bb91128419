// Part of the spec loader (see loader.hpp): the settings that cascade (tolerances and limits), and
// the fields every case and property has.

#include <algorithm>
#include <cmath>
#include <set>

#include "grader/spec/loader.hpp"

namespace grader::spec {

Settings Loader::settings(const YAML::Node& node, const std::string& what) {
    yaml_.check_keys(node, keys::kSettings, what);
    Settings s;
    read_settings_fields(node, what, s);
    return s;
}

// Reads rtol/atol/time_limit/memory_limit from a map whose keys were already checked.
void Loader::read_settings_fields(const YAML::Node& node, const std::string& what, Settings& s) {
    auto non_negative = [&](const char* key) -> std::optional<double> {
        if (!node[key]) return std::nullopt;
        const double v = yaml_.number(node[key], what + ": " + key);
        if (!(v >= 0) || !std::isfinite(v))
            yaml_.fail(node[key], what + ": " + key + " must be a finite number >= 0");
        return v;
    };
    s.rtol = non_negative("rtol");
    s.atol = non_negative("atol");
    if (auto t = non_negative("time_limit")) {
        if (*t <= 0 || *t > kMaxTimeLimit)
            yaml_.fail(node["time_limit"],
                       what + ": time_limit is in seconds per call and must be in (0, 600]");
        s.time_limit = t;
    }
    if (auto m = non_negative("memory_limit")) {
        if (*m < kMinMemoryMiB || *m > kMaxMemoryMiB)
            yaml_.fail(node["memory_limit"],
                       what + ": memory_limit is in MiB and must be from 16 to 1048576 (1 TiB)");
        s.memory_limit_mb = m;
    }
}

void Loader::common_fields(const YAML::Node& node, const std::string& what, int& points,
                           int& repeat, Visibility& visibility, std::string& hint,
                           std::string& note) {
    if (node["points"]) {
        const long long p = yaml_.integer(node["points"], what + ": points");
        if (p < 0 || p > kMaxPoints)
            yaml_.fail(node["points"], what + ": points must be a whole number from 0 to 1000");
        points = static_cast<int>(p);
    }
    if (node["repeat"]) {
        const long long r = yaml_.integer(node["repeat"], what + ": repeat");
        if (r < 1 || r > kMaxRepeat)
            yaml_.fail(node["repeat"], what + ": repeat must be a whole number from 1 to 10000");
        repeat = static_cast<int>(r);
    }
    if (node["visibility"]) {
        const std::string v = yaml_.string(node["visibility"], what + ": visibility");
        if (v == "public")
            visibility = Visibility::Public;
        else if (v == "hidden")
            visibility = Visibility::Hidden;
        else
            yaml_.fail(node["visibility"],
                       what + ": visibility must be \"public\" or \"hidden\", got " + quoted(v) +
                           suggestion(v, {"public", "hidden"}));
    }
    if (node["hint"]) hint = yaml_.string(node["hint"], what + ": hint");
    if (node["note"]) note = yaml_.string(node["note"], what + ": note");
}

std::string Loader::read_id(const YAML::Node& node, const std::string& kind, const Exercise& ex,
                            std::set<std::string>& ids) {
    yaml_.require(node, "id", "a " + kind + " of exercise " + quoted(ex.id));
    const std::string id = yaml_.string(node["id"], kind + " id");
    if (!ids.insert(id).second)
        yaml_.fail(node["id"],
                   "exercise " + quoted(ex.id) + ": id " + quoted(id) +
                       " is used twice; case and property ids must be unique within an exercise");
    return id;
}

}  // namespace grader::spec
