#pragma once
// The result of grading one submission: plain data. Grading fills it, report renders it, and
// neither knows the other.

#include <cstddef>
#include <cstdint>
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
    Overflow,   // wrote past the end of an output array or of a block it allocated
    Forbidden,  // the sandbox refused a system call
    Error,      // no result could be had (broken channel, exit mid-call)
};

// "pass", "wrong", ... as in the JSON report.
std::string_view name(Verdict v);

// What a compared value is in C, for writing it as a reader expects: a float as the float it
// is, an integer or a bool as compared exactly.
enum class ValueKind { Double, Float, Integer, Bool };

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
    ValueKind kind = ValueKind::Double;
};

// Values under one name: a return value ("return value", or a property call's name) or an output
// parameter ("log_pi", "F.mu"). `length` is the full length when `values` was cut short.
struct NamedValues {
    std::string name;
    std::vector<double> values;
    std::size_t length = 0;
};

// The smallest failing input found from a failing random input (see grader/shrink): shown in
// full, with what the student's calls and the reference returned on it.
struct Shrunk {
    std::vector<std::string> inputs;    // "p = [0, 1]": every element
    std::size_t original_values = 0;    // numbers in the failing input it started from
    std::size_t values = 0;             // numbers in this one
    std::string message;                // how it fails, as CaseResult::message says it
    std::vector<NamedValues> returned;  // the student's calls on it, every element
    std::vector<NamedValues> expected;  // the reference's on the same calls
    std::size_t steps = 0;              // smaller failing inputs found on the way
    std::size_t calls = 0;              // student calls spent shrinking
    std::string stopped;                // "done", or the budget that ended it: "calls", "time"
};

// A suspicion drawn from the numbers alone: help for the student, never a verdict.
enum class DiagnosisKind {
    Bits,       // off by a factor ln 2 or 1/ln 2
    Swapped,    // what the reference gives with two arguments swapped
    Sign,       // the opposite sign
    Factor,     // off by a constant factor the case reveals (2, 1/2, tau^2...)
    Overflow,   // inf/NaN for large inputs only
    Unwritten,  // an output still holds the NaN the grader filled it with
};

// "bits", "swapped", ... as in the JSON report.
std::string_view name(DiagnosisKind k);

struct Diagnosis {
    DiagnosisKind kind = DiagnosisKind::Bits;
    std::string sentence;  // the suspicion and its evidence
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
    std::size_t not_run_instances = 0;  // left out once the case had failed on another input
    // Public cases only: the failing instance's inputs ("p = [0.9, 0.1]"), what was expected
    // and what came back, and the mismatch. Empty for hidden cases and for passes.
    std::vector<std::string> inputs;
    std::optional<Mismatch> mismatch;
    std::string hint;    // from the spec, shown under a failure
    double seconds = 0;  // time spent in the student's calls
    // Found after a failure, for hidden cases too (where no report shows them).
    std::optional<Shrunk> shrunk;
    std::vector<Diagnosis> diagnoses;

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
    std::size_t bytes = 0;         // everything it printed, including the dropped part (but
                                   // see `discarded`)
    std::size_t hidden_bytes = 0;  // printed while hidden cases ran: counted, never shown
    // It printed more than the grader counts (sandbox::Limits::output_budget): `bytes` and
    // `hidden_bytes` count what came before, and the rest was discarded unread.
    bool discarded = false;
};

// Where the random inputs came from, so that a regrade draws the same ones.
struct Seeds {
    std::optional<std::uint64_t> public_seed;  // absent for a bundle: its inputs are fixed
    std::optional<std::uint64_t> hidden_seed;  // absent when no hidden case was graded
    std::string hidden_from;  // "spec" (exercises.yaml), "seed" (--seed), "student" (secret + id)
    std::string student;      // the student id given, if any
    bool per_student() const { return hidden_from == "student"; }
};

// What the course's late policy makes of a submission (grader batch with a due date): a layer
// over the score, never in any case's points.
struct Lateness {
    std::string status;  // on_time, grace, late, past_cutoff, late_unknown, time_unknown
    std::string text;    // "submitted 10 h 12 min after the due date: -10% (-8 points)"; may be ""
    double penalty = 0;
    double final_score = 0;
    std::int64_t late_by_seconds = 0;
    std::string due;                          // the student's own, ISO 8601 UTC
    std::optional<std::string> submitted_at;  // ISO 8601 UTC, when known
    std::string submitted_source;             // blackboard, moodle, gradescope, canvas, mtime
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
    // What a regrade needs to reproduce this result: the exact files (SHA-256 in hex, empty when
    // there is none, e.g. no reference for a bundle) and the seeds.
    std::string spec_sha256;
    std::string reference_sha256;
    std::string submission_sha256;
    Seeds seeds;
    std::optional<Lateness> lateness;

    int score() const;
    int max_score() const;
    bool full_marks() const { return !load_error && score() == max_score(); }
    std::size_t case_count() const;
    std::size_t failed_count() const;
};

}  // namespace grader::result
