#pragma once
// How one instance of a case went: the calls' statuses, the comparison of a value case with the
// reference, or a property's checks. Grading uses it for every instance, and again for the
// smaller inputs it tries while shrinking.

#include <optional>
#include <string>
#include <vector>

#include "grader/grading/prepared.hpp"
#include "grader/result/result.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::grading {

struct Outcome {
    result::Verdict verdict = result::Verdict::Pass;
    std::string message;
    std::optional<result::Mismatch> mismatch;
    std::string check;  // a property: the text of the check that does not hold
    std::string call;   // a call that did not return: its name (the function, in a value case)
};

result::Verdict verdict_of(sandbox::Status s);

// The first student call that did not return decides; else the comparison or the checks.
// `got` holds one result per call of the instance (those of reference calls are not read).
Outcome grade_instance(const Prepared& prepared, const PreparedCase& pc, const Instance& inst,
                       const std::vector<sandbox::CallResult>& got);

// What the student's calls of one instance returned, and what the reference returned for the
// same calls, by name: "return value" and the outputs for a value case; "K", "F.mu" in a
// property. At most `cap` values are kept of each.
void collect_values(const Prepared& prepared, const PreparedCase& pc, const Instance& inst,
                    const std::vector<sandbox::CallResult>& got, std::size_t cap,
                    std::vector<result::NamedValues>& returned,
                    std::vector<result::NamedValues>& expected);

}  // namespace grader::grading
