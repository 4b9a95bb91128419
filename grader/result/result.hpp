#pragma once
// The result of grading one submission: plain data. Grading fills it, report renders it, and
// neither knows the other.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grader::result {

enum class Verdict {
    Pass,       // every instance of the case is within tolerance
    Wrong,      // a value outside tolerance, or a property that does not hold
    Missing,    // the function is not exported
    Crash,      // killed by a signal
    Timeout,    // over the time limit
    Memory,     // over the memory limit
    Overflow,   // wrote past the end of an output array
    Forbidden,  // the sandbox refused a system call
    Error,      // no result could be had (broken channel, exit mid-call)
};

// "pass", "wrong", ... as in the JSON report.
std::string_view name(Verdict v);

// Where a wrong value was found (shown for public cases only).
struct Mismatch {
    std::string output;                // "return value" or the output parameter's name
    std::optional<std::size_t> index;  // worst element of a vector output
    double expected = 0;
    double got = 0;
    double abs_error = 0;
    double rel_error = 0;
    double rtol = 0;
    double atol = 0;
};

// Values under one name: a return value ("return value", or a property call's name) or an output
// parameter ("log_pi", "F.mu"). `length` is the full length when `values` was cut short.
struct NamedValues {
    std::string name;
    std::vector<double> values;
    std::size_t length = 0;
};

struct CaseResult {
    std::string id;        // unique within its exercise
    std::string function;  // the function called; for a property, the ones it uses
    bool property = false;
    bool hidden = false;
    Verdict verdict = Verdict::Pass;
    int points = 0;
    int max_points = 0;
    std::string message;        // one sentence; for hidden cases, only the kind of failure
    std::size_t instances = 1;  // random cases run several draws
    std::size_t failed_instances = 0;
    // Public cases only: the failing instance's inputs ("p = [0.9, 0.1]"), what was expected
    // and what came back, and the mismatch. Empty for hidden cases and for passes.
    std::vector<std::string> inputs;
    std::optional<Mismatch> mismatch;
    std::string hint;    // from the spec, shown under a failure
    double seconds = 0;  // time spent in the student's calls

    // For the instructor's gradebook, never rendered in a report (hidden cases have them too):
    // a hash of the exact bits the student's calls returned over every instance, empty when some
    // call did not return, so that identical answers group exactly; and for a wrong answer, what
    // the first failing instance returned and what the reference returned for the same calls.
    std::string fingerprint;
    std::vector<NamedValues> returned;
    std::vector<NamedValues> expected;
};

// At most this many values are kept per returned (or expected) output.
inline constexpr std::size_t kKeptValues = 64;

struct ExerciseResult {
    std::string id;
    std::string title;
    std::vector<CaseResult> cases;
    int score() const;
    int max_score() const;
};

struct Output {
    std::string text;              // what the submission printed (capped), public parts only
    std::size_t bytes = 0;         // everything it printed, including the dropped part
    std::size_t hidden_bytes = 0;  // printed while hidden cases ran: counted, never shown
};

struct Result {
    std::string submission;  // the library's path as given
    std::string spec;        // the spec's path
    std::string spec_title;
    std::optional<std::string> load_error;
    std::vector<ExerciseResult> exercises;
    std::vector<std::string> sandbox_layers;    // isolation layers that were active
    std::vector<std::string> sandbox_warnings;  // layers that could not be applied
    Output output;
    bool public_only = false;  // hidden cases were left out
    double seconds = 0;        // wall time of the whole grading
    std::string grader_version;

    int score() const;
    int max_score() const;
    bool full_marks() const { return !load_error && score() == max_score(); }
    std::size_t case_count() const;
    std::size_t failed_count() const;
};

}  // namespace grader::result
