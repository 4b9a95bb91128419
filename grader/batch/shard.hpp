#pragma once
// Deterministic slices of a class, for job arrays (Slurm's --array, a Kubernetes Indexed Job):
// a submission belongs to shard hash(student id) mod N, with a hash the grader defines (64-bit
// FNV-1a of the id's bytes), the same on every machine and compiler. Every submission is in
// exactly one shard, and a late submission moves no other.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "grader/batch/discover.hpp"

namespace grader::batch {

struct Shard {
    std::uint32_t index = 0;  // 0 .. count-1
    std::uint32_t count = 1;
};

std::uint64_t shard_hash(std::string_view id);
inline bool in_shard(std::string_view id, const Shard& shard) {
    return shard_hash(id) % shard.count == shard.index;
}

// Reads the environment variable of that name, or nullopt.
using Environment = std::function<std::optional<std::string>(const char*)>;
Environment process_environment();

// "K/N"; "auto" (Slurm: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT);
// "auto/N" (SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets
// it, of N). Throws grader::Error with what to write instead.
Shard parse_shard(const std::string& text, const Environment& env);

// Keeps only this shard's submissions and problems (problems that are no one's stay in shard 0).
void keep_shard(Discovery& found, const Shard& shard);

// The gradebook path for a shard: "{k}" and "{n}" in `pattern` are replaced by the shard's index
// and count; without them, ".shard-K-of-N" goes before the extension.
std::string shard_gradebook(const std::string& pattern, const Shard& shard);

}  // namespace grader::batch
