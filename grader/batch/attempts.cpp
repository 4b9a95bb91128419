#include "grader/batch/attempts.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "grader/batch/record.hpp"

namespace grader::batch {

std::vector<std::string> choose_attempts(gradebook::Gradebook& book, const Grading& grading,
                                         const std::vector<Submission>& submissions,
                                         AttemptRule rule) {
    std::map<std::string, std::vector<const Submission*>> by_student;  // oldest attempt first
    for (const Submission& s : submissions)
        if (s.several) by_student[s.id].push_back(&s);
    std::vector<std::string> lines;
    for (auto& [student, attempts] : by_student) {
        std::sort(attempts.begin(), attempts.end(),
                  [](const Submission* a, const Submission* b) { return a->attempt < b->attempt; });
        std::optional<gradebook::StoredRun> chosen;
        const Submission* chosen_attempt = nullptr;
        for (const Submission* s : attempts) {
            const FileFacts facts = file_facts(s->path);
            if (facts.sha256.empty()) continue;
            auto run = book.latest_run(run_key(grading, student, facts));
            if (!run || !run->grade) continue;  // not graded (a system error): cannot count
            // Ties go to the later attempt, as the latest rule would have it.
            const bool better = !chosen || rule == AttemptRule::Latest ||
                                run->grade->final_score >= chosen->grade->final_score;
            if (better) {
                chosen = std::move(run);
                chosen_attempt = s;
            }
        }
        if (!chosen) continue;
        book.choose_attempt(student, chosen->record.uid);
        lines.push_back(fmt::format(
            "{}: the attempt of {} counts ({}, {:g}/{}), of {}", student, chosen_attempt->attempt,
            rule == AttemptRule::Best ? "the best" : "the latest", chosen->grade->final_score,
            chosen->max_score, attempts.size()));
    }
    return lines;
}

}  // namespace grader::batch
