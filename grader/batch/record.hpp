#pragma once
// From a finished grading to what the gradebook records, shared by `batch` and `regrade`.

#include <cstdint>
#include <optional>
#include <string>

#include "grader/batch/discover.hpp"
#include "grader/batch/engine.hpp"
#include "grader/batch/progress.hpp"
#include "grader/gradebook/records.hpp"

namespace grader::batch {

struct Grading;

// What is known of a submission's file before grading it.
struct FileFacts {
    std::string sha256;  // empty when the file could not be read (it is graded: a load error)
    std::uint64_t size = 0;
};
FileFacts file_facts(const std::string& path);

gradebook::RunKey run_key(const Grading& grading, const std::string& student,
                          const FileFacts& facts);

gradebook::RunRecord run_record(const Grading& grading, const Submission& submission,
                                const FileFacts& facts, const Finished& finished);

// Counts the finished submission in `tally` and says in one line how it went.
std::string account(const Submission& submission, const Finished& finished, Tally& tally);

}  // namespace grader::batch
