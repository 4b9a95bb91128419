#pragma once
// What grading does after a failure, to teach rather than only judge: shrink a failing random
// input to a small one that fails the same way (grader/shrink), and diagnose the mistake from
// the numbers. Both need more than the prepared cases: the spec, to draw smaller inputs within
// each function's contract, and the reference, to compute their expected values. Without them
// (a public bundle) grading diagnoses from the numbers it has and shrinks nothing.
//
// The budget, per failing case: at most `shrink_calls` extra calls of the student's functions
// (an eighth of that when the failure is a crash: each costs a fresh worker) and
// `shrink_seconds` of wall time, checked between batches of candidates; and no more than
// `total_seconds` for a whole submission, after which failures are only diagnosed from the
// numbers at hand. Each shrinking call runs under the case's own time limit, cut to what is left
// of the case's time, so an endless loop costs that time once; a crash costs a fresh worker.
// Neither can change a verdict or a score: those are settled before shrinking starts. The call
// budget is what ends a search (a few to a few tens of milliseconds, tens of times that under the
// sanitizers), so the same submission shrinks the same way on every machine; the time budget is
// a safety net for slow functions, set well above that, and a search it ends says so in the
// report ("stopped by the time budget"), which is then not reproducible.

#include <cstddef>
#include <string>
#include <vector>

#include "grader/grading/prepared.hpp"
#include "grader/grading/reference.hpp"
#include "grader/result/result.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

// A failing public case, with the input to rerun it on: the smallest found that fails the same
// way when it was shrunk, else the first that failed (grader/repro writes programs of them).
struct FailedCase {
    std::string exercise;
    const PreparedCase* pc = nullptr;  // into the Prepared that was graded
    Instance instance;
    bool shrunk = false;
    result::Verdict verdict = result::Verdict::Wrong;
    std::string message;  // how it failed on that input
};

inline constexpr std::size_t kShrinkCalls = 600;
inline constexpr double kShrinkSeconds = 1.0;
inline constexpr double kFeedbackTotalSeconds = 5.0;

struct Feedback {
    const spec::Spec* spec = nullptr;  // the spec the cases were prepared from
    const Reference* reference = nullptr;
    bool shrink = true;
    std::size_t shrink_calls = kShrinkCalls;
    double shrink_seconds = kShrinkSeconds;
    double total_seconds = kFeedbackTotalSeconds;
    // When set, every failing public case is added, hidden ones never.
    std::vector<FailedCase>* failed = nullptr;
};

}  // namespace grader::grading
