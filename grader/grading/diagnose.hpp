#pragma once
// Diagnoses drawn from the numbers of a wrong answer, the same way for every function of every
// exercise (nothing here knows an exercise): a value off by ln 2 (bits for nats), the reference's
// value with two arguments swapped, the opposite sign, a constant factor the case reveals (2, 1/2,
// tau^2), inf/NaN only for large inputs (overflow), an output never written. Each is a hint with
// its evidence in one sentence, never a verdict, and only one the numbers single out is given:
// a factor is named only when it explains every failing input and no other factor does.

#include <span>
#include <vector>

#include "grader/grading/prepared.hpp"
#include "grader/grading/reference.hpp"
#include "grader/result/result.hpp"
#include "grader/sandbox/runner.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

// One failing instance of a case and what the student's calls returned on it.
struct Evidence {
    const Instance* instance = nullptr;
    const std::vector<sandbox::CallResult>* got = nullptr;
    bool shrunk = false;  // found by shrinking, not one of the case's own inputs
};

// What a diagnosis may use beyond the numbers: the reference to try swapped arguments, the
// runner to try the student's function on tamer inputs, the spec to keep both within contract.
// Any of them may be missing; the diagnoses that need it are then not tried.
struct DiagnoseWith {
    const Reference* reference = nullptr;
    const spec::Spec* spec = nullptr;
    sandbox::Runner* runner = nullptr;
};

// `failing` lists the failing instances, the one the report shows (the shrunk one, if any)
// first. The outputs diagnosed are those that are wrong in that first instance.
std::vector<result::Diagnosis> diagnose(const Prepared& prepared, const PreparedCase& pc,
                                        std::span<const Evidence> failing,
                                        const DiagnoseWith& with);

}  // namespace grader::grading
