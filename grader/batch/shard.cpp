#include "grader/batch/shard.hpp"

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "grader/error.hpp"

namespace grader::batch {

namespace {

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

constexpr std::uint64_t kMaxShards = 1u << 20;

Shard checked(std::uint64_t k, std::uint64_t n, const std::string& what) {
    if (n == 0 || n > kMaxShards)
        throw Error(what + ": the shard count must be between 1 and " + std::to_string(kMaxShards) +
                    ", got " + std::to_string(n));
    if (k >= n)
        throw Error(what + ": shard " + std::to_string(k) + " does not exist among " +
                    std::to_string(n) + " (shards are numbered from 0 to " + std::to_string(n - 1) +
                    ")");
    return {static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(n)};
}

std::uint64_t env_number(const Environment& env, const char* name, const std::string& why) {
    const auto text = env(name);
    if (!text) throw Error("--shard auto needs " + std::string(name) + why);
    const auto v = number(*text);
    if (!v)
        throw Error(std::string(name) + " is \"" + *text + "\", not a number; give --shard K/N");
    return *v;
}

}  // namespace

std::uint64_t shard_hash(std::string_view id) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : id) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

Environment process_environment() {
    return [](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);
        if (!v) return std::nullopt;
        return std::string(v);
    };
}

Shard parse_shard(const std::string& text, const Environment& env) {
    const std::string what = "--shard " + text;
    if (text == "auto") {
        const std::string why =
            " (set by Slurm in a job array); outside one, give --shard K/N, or --shard auto/N in a "
            "Kubernetes Indexed Job";
        const std::uint64_t id = env_number(env, "SLURM_ARRAY_TASK_ID", why);
        const std::uint64_t count = env_number(env, "SLURM_ARRAY_TASK_COUNT", why);
        const std::uint64_t min =
            env("SLURM_ARRAY_TASK_MIN") ? env_number(env, "SLURM_ARRAY_TASK_MIN", why) : 0;
        if (id < min) throw Error("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
        return checked(id - min, count, what);
    }
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        throw Error(what + ": write K/N (this task's shard K of N, from 0), auto, or auto/N");
    const std::string left = text.substr(0, slash);
    const auto n = number(std::string_view(text).substr(slash + 1));
    if (!n) throw Error(what + ": N in K/N must be a number");
    if (left == "auto") {
        if (env("SLURM_ARRAY_TASK_ID")) {
            const std::uint64_t id = env_number(env, "SLURM_ARRAY_TASK_ID", "");
            const std::uint64_t min =
                env("SLURM_ARRAY_TASK_MIN") ? env_number(env, "SLURM_ARRAY_TASK_MIN", "") : 0;
            return checked(id - std::min(id, min), *n, what);
        }
        return checked(env_number(env, "JOB_COMPLETION_INDEX",
                                  " (set by a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID; "
                                  "outside a job array, give --shard K/N"),
                       *n, what);
    }
    const auto k = number(left);
    if (!k) throw Error(what + ": K in K/N must be a number (or auto)");
    return checked(*k, *n, what);
}

void keep_shard(Discovery& found, const Shard& shard) {
    std::erase_if(found.submissions, [&](const Submission& s) { return !in_shard(s.id, shard); });
    std::erase_if(found.problems, [&](const Problem& p) {
        return p.id.empty() ? shard.index != 0 : !in_shard(p.id, shard);
    });
}

std::string shard_gradebook(const std::string& pattern, const Shard& shard) {
    std::string out = pattern;
    bool placed = false;
    for (const auto& [key, value] :
         {std::pair<std::string, std::string>{"{k}", std::to_string(shard.index)},
          {"{n}", std::to_string(shard.count)}}) {
        for (auto at = out.find(key); at != std::string::npos; at = out.find(key)) {
            out.replace(at, key.size(), value);
            placed = true;
        }
    }
    if (placed) return out;
    const std::filesystem::path p(pattern);
    return (p.parent_path() / (p.stem().string() + ".shard-" + std::to_string(shard.index) +
                               "-of-" + std::to_string(shard.count) + p.extension().string()))
        .string();
}

}  // namespace grader::batch
