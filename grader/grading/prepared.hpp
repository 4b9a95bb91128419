#pragma once
// Cases made concrete: every input drawn, every expected output computed by the reference. This
// is what grading needs and all it needs, so it is also what the public bundle holds: a student
// can self-check against it without the reference library.

#include <optional>
#include <string>
#include <vector>

#include "grader/abi/signature.hpp"
#include "grader/compare/tolerance.hpp"
#include "grader/grading/reference.hpp"
#include "grader/sandbox/runner.hpp"
#include "grader/spec/expr.hpp"

namespace grader::grading {

struct PreparedCall {
    std::string name;  // property calls: the name checks use; value cases: the function
    sandbox::Call call;
    Outputs expected;     // what the reference returns for exactly these arguments
    bool student = true;  // false: a function of another exercise, taken from the reference
};

struct Instance {
    std::vector<PreparedCall> calls;        // a value case has exactly one
    std::vector<std::string> shown_inputs;  // "p = [0.9, 0.1]" lines; empty for hidden cases
    // Properties: the drawn inputs by name, which checks may use.
    std::vector<std::pair<std::string, std::vector<double>>> inputs;
};

struct PreparedCase {
    std::string id;
    std::size_t order = 0;  // place in its exercise: value cases, then properties, as written
    bool property = false;
    bool hidden = false;
    int points = 0;
    std::vector<std::string> functions;  // the student's functions this case calls
    compare::Tolerance tolerance;
    double time_limit = 2.0;
    double memory_limit_mb = 1024;  // address space of the worker while this case runs
    std::string hint;
    std::vector<Instance> instances;
    std::vector<spec::Let> lets;      // properties only: bound after the calls, before the checks
    std::vector<spec::Check> checks;  // properties only
    bool random = false;              // some input is drawn, not written: a failure may be shrunk
};

struct PreparedExercise {
    std::string id;
    std::string title;
    std::vector<PreparedCase> cases;
};

struct Prepared {
    std::string title;
    std::string source;                     // the spec or bundle it came from
    std::vector<abi::Signature> functions;  // Call::function indexes this
    std::vector<PreparedExercise> exercises;
    bool has_hidden = false;  // hidden cases were prepared
    // For a regrade: the spec (or bundle) file's SHA-256, the reference's (empty for a bundle),
    // and the seeds the random inputs were drawn from.
    std::string source_sha256;
    std::string reference_sha256;
    std::optional<std::uint64_t> public_seed;  // absent for a bundle: its inputs are fixed
    std::optional<std::uint64_t> hidden_seed;  // absent when no hidden case was prepared
    std::string hidden_from;                   // "spec", "seed" or "student" (result::Seeds)
    // The glibc version of the machine that wrote the bundle (the course's grading machine), so
    // a self-check warns of a library it could not load; empty when the bundle predates it.
    std::string grading_glibc;
    // A bundle's copy of the public part of its spec (spec/public_text.hpp), as YAML text: a
    // self-check shrinks with it. Empty for a spec, or a bundle written before it was kept.
    std::string public_spec;
    std::string student;

    int function_index(const std::string& name) const;
};

struct PrepareOptions {
    bool public_only = false;
    bool hidden_only = false;  // only the hidden cases: the part that differs between students
    std::optional<std::uint64_t> hidden_seed;  // redraw the hidden random cases
    // Where hidden_seed came from, for the report: "seed" (given by hand) or "student" (derived
    // from the course secret and this student id, see student_seed.hpp).
    std::string hidden_from = "seed";
    std::string student;
};

}  // namespace grader::grading
