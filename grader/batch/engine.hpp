#pragma once
// Grades many submissions at once: N threads, each grading one submission at a time in its own
// worker process, their results handed back to the calling thread one by one as they finish (so
// that the gradebook has a single writer). A failure of the grader or the machine while grading
// one submission (an exception: the worker could not be started, memory ran out) is retried once,
// then reported as a system error: never a zero.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grader/batch/discover.hpp"
#include "grader/result/result.hpp"

namespace grader::batch {

// Grades one submission. Throws for the grader's own failures only: whatever the submission does
// is in the result.
using GradeFn = std::function<result::Result(const Submission&)>;

struct Finished {
    std::size_t index = 0;                 // into the submissions given
    std::optional<result::Result> result;  // absent: a system error
    std::string system_error;
    std::string started_at, ended_at;  // gradebook::utc_now() stamps
    int attempts = 1;
};

struct EngineHooks {
    // Called on the calling thread for every finished submission, in the order they finish.
    // An exception thrown here stops the batch (in-flight submissions finish, unreported) and
    // leaves run() with it.
    std::function<void(Finished&&)> finished;
    // Called on the calling thread several times a second while waiting (to refresh progress).
    std::function<void()> tick;
    // Asked between submissions: true stops handing out new ones.
    std::function<bool()> stop;
};

// Returns how many submissions were handed to `finished`.
std::size_t run_engine(const std::vector<Submission>& submissions, int jobs, const GradeFn& grade,
                       const EngineHooks& hooks);

}  // namespace grader::batch
