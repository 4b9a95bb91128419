#pragma once
// A Runner that spreads one submission's calls over several sandboxed workers, for a submission
// graded alone on a machine with cores to spare (a batch already keeps every core busy with one
// worker per submission).
//
// Each run() is cut into contiguous parts, one per worker, run at once; the results come back in
// the order of the calls and what the submission printed in the order one worker would have
// printed it, so a report is the same as with one worker. So is the rule that a function that ran
// out of time once is not run again: it is applied across the workers, in call order, as one
// worker applies it. What cannot be the same is state a submission keeps between calls (a static
// counter): each worker has its own, as each fresh worker after a crash already has.

#include <memory>

#include "grader/sandbox/process_runner.hpp"

namespace grader::sandbox {

// `workers` ProcessRunners of the same config; 1 (or less) is a plain ProcessRunner. Throws
// grader::Error when the worker executable cannot be run.
std::unique_ptr<Runner> make_parallel_runner(const ProcessRunnerConfig& config, int workers);

}  // namespace grader::sandbox
