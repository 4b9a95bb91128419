#include "grader/result/result.hpp"

namespace grader::result {

std::string_view name(Verdict v) {
    switch (v) {
        case Verdict::Pass:
            return "pass";
        case Verdict::Wrong:
            return "wrong";
        case Verdict::Missing:
            return "missing";
        case Verdict::Crash:
            return "crash";
        case Verdict::Timeout:
            return "timeout";
        case Verdict::Memory:
            return "memory";
        case Verdict::Overflow:
            return "overflow";
        case Verdict::Forbidden:
            return "forbidden";
        case Verdict::Error:
            return "error";
    }
    return "error";
}

std::string_view name(DiagnosisKind k) {
    switch (k) {
        case DiagnosisKind::Bits:
            return "bits";
        case DiagnosisKind::Swapped:
            return "swapped";
        case DiagnosisKind::Sign:
            return "sign";
        case DiagnosisKind::Factor:
            return "factor";
        case DiagnosisKind::Overflow:
            return "overflow";
        case DiagnosisKind::Unwritten:
            return "unwritten";
    }
    return "factor";
}

int ExerciseResult::score() const {
    int total = 0;
    for (const CaseResult& c : cases) total += c.points;
    return total;
}

int ExerciseResult::max_score() const {
    int total = 0;
    for (const CaseResult& c : cases) total += c.max_points;
    return total;
}

int Result::score() const {
    int total = 0;
    for (const ExerciseResult& e : exercises) total += e.score();
    return total;
}

int Result::max_score() const {
    int total = 0;
    for (const ExerciseResult& e : exercises) total += e.max_score();
    return total;
}

std::size_t Result::case_count() const {
    std::size_t n = 0;
    for (const ExerciseResult& e : exercises) n += e.cases.size();
    return n;
}

std::size_t Result::failed_count() const {
    std::size_t n = 0;
    for (const ExerciseResult& e : exercises)
        for (const CaseResult& c : e.cases) n += c.verdict != Verdict::Pass;
    return n;
}

}  // namespace grader::result
