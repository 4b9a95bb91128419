#pragma once
// Shrinking one failing case of the spec: its generators say what each input may become (the
// range of a uniform draw, a whole number, a probability vector), its functions' sizes say which
// arrays lose elements together, and every candidate is held to the contracts of the functions
// it calls. The student's calls run through the same Runner as grading; the reference computes
// each candidate's expected values. grader/shrink does the searching.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "grader/grading/feedback.hpp"
#include "grader/grading/outcome.hpp"
#include "grader/grading/prepared.hpp"
#include "grader/result/result.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::grading {

// How a failure looks, so that a smaller input is taken only when it fails the same way: the
// verdict, and for a wrong value the output and whether it was NaN, infinite or finite, for a
// property the check that does not hold, for a call that did not return the call and what
// happened to it without its numbers ("read past the end of input 'x' (n = )"): a null pointer
// followed at n = 76 is not the read past the end an empty array gets.
std::string failure_signature(const Outcome& o);

struct ShrinkFound {
    result::Shrunk shrunk;
    // The smallest failing instance, when one smaller than the start was found, with what the
    // student's calls returned on it and how it failed.
    std::optional<Instance> instance;
    std::vector<sandbox::CallResult> got;
    Outcome outcome;
};

// Whether a property of `ex` can be shrunk with no reference (against a bundle): every call is
// one of the exercise's own functions, the student's, and takes only the property's inputs.
bool shrinks_without_reference(const spec::Exercise& ex, const PreparedCase& pc);

// `failing` failed with `failure`; `ex` is the spec's exercise of the case. Stops at the
// feedback's budget or at `deadline`, whichever comes first.
ShrinkFound shrink_failure(const Feedback& feedback, const Prepared& prepared,
                           const spec::Exercise& ex, const PreparedCase& pc,
                           const Instance& failing, const Outcome& failure, sandbox::Runner& runner,
                           std::chrono::steady_clock::time_point deadline);

// Runs calls through the runner in batches; a call the runner did not answer is an Error.
std::vector<sandbox::CallResult> run_calls(sandbox::Runner& runner,
                                           const std::vector<sandbox::Call>& calls);

}  // namespace grader::grading
