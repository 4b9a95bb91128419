#pragma once
// What the class summary (grader/summary) reads from the gradebook besides the grades: every
// case of every current run, and the answers that several submissions returned bit for bit.
// Plain data; the derived numbers (rates, correlations, groups of students) are the summary's.

#include <cstdint>
#include <string>
#include <vector>

#include "grader/result/result.hpp"

namespace grader::gradebook {

// One case of one current run.
struct CaseOutcome {
    std::int64_t run = 0;
    std::string student;
    std::string exercise;
    std::string case_id;
    result::Verdict verdict = result::Verdict::Pass;
    int points = 0;
    // A wrong answer whose values were kept: the student's own, not a property left unscored
    // because the function it calls fails its value cases (those keep no values).
    bool wrong_answer = false;
    // Every value of that wrong answer is NaN or 0: what an untouched stub returns.
    bool nothing_returned = false;
};

// Submissions whose calls on one case returned the same bits (the same fingerprint) and were
// wrong: one group per case and answer, two members or more.
struct IdenticalAnswer {
    std::string exercise;
    std::string case_id;
    std::string fingerprint;
    std::vector<std::string> students;  // by id
    // What the first failing instance returned and what the reference returned (the same for
    // every member: the bits are identical), at most result::kKeptValues values per output.
    std::vector<result::NamedValues> returned;
    std::vector<result::NamedValues> expected;
    std::string diagnosis;  // the grader's guess at the mistake; empty when there is none
};

}  // namespace grader::gradebook
