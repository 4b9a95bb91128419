#pragma once
// Late submissions as data: a due date, a grace period, a hard cutoff and a penalty per started
// period late, applied to a student's raw score as a separate layer (raw, penalty, final) so that
// no case's points ever carry it.
//
// The rules, in order:
//   - lateness is counted from the student's own due date (an extension moves it, and moves the
//     cutoff by as much);
//   - up to the grace period late, no penalty (the submission is "within the grace period");
//   - past the cutoff the submission is still graded, so the student gets the feedback, but its
//     final score is 0;
//   - otherwise the penalty is one unit per *started* period late, counted from the due date (not
//     from the end of the grace period): 10%/day takes 10% of the student's own raw score for
//     anything up to one day late, 20% up to two;
//   - the cap bounds the penalty (a share of the raw score, or points), and the final score is
//     never below 0;
//   - a submission known to be late but not when (an LMS's LATE marker) pays one period.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "grader/policy/instant.hpp"

namespace grader::policy {

struct Amount {
    enum class Unit { Percent, Points };
    Unit unit = Unit::Percent;
    double value = 0.0;
};

struct Penalty {
    Amount amount;  // per period
    std::chrono::seconds period{86400};
};

// "10%/day", "5pt/day", "2%/hour", "0.5pts/h", "25%/week". Throws grader::Error naming `what`.
Penalty parse_penalty(std::string_view text, const std::string& what);
// "50%" (of the raw score) or "20pt". Throws grader::Error naming `what`.
Amount parse_cap(std::string_view text, const std::string& what);

struct LatePolicy {
    Instant due;
    std::chrono::seconds grace{0};
    std::optional<Instant> cutoff;
    std::optional<Penalty> penalty;
    std::optional<Amount> cap;
};

// When a submission came in, as far as anyone knows.
struct SubmittedAt {
    std::optional<Instant> time;
    bool marked_late = false;  // late, time unknown (Canvas's _LATE_ in a file name)
};

struct LateOutcome {
    enum class Status { OnTime, WithinGrace, Late, PastCutoff, LateTimeUnknown, TimeUnknown };
    Status status = Status::OnTime;
    std::chrono::seconds late_by{0};  // 0 when on time or unknown
    long long periods = 0;            // periods charged
    double raw = 0.0;
    double penalty = 0.0;      // points taken, >= 0
    double final_score = 0.0;  // raw - penalty, >= 0
};

// "on_time", "grace", "late", "past_cutoff", "late_unknown", "time_unknown": the names the
// gradebook's exports and the JSON report use.
std::string_view name(LateOutcome::Status status);

// `due` is the student's own due date (after any extension).
LateOutcome apply(const LatePolicy& policy, Instant due, const SubmittedAt& submitted, double raw);

// What the student's report says: "submitted 10 h 12 min after the due date: -10% (-14 points)",
// "submitted after the cutoff (2026-12-03T23:59:00Z): scored 0", "" when on time.
std::string describe(const LatePolicy& policy, const LateOutcome& outcome);

}  // namespace grader::policy
