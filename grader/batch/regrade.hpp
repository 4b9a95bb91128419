#pragma once
// `grader regrade`: after the spec changed (a corrected case, a looser tolerance, a new hidden
// case), every student's current submission is graded again into a pending set, and what would
// change is printed before anything is applied: per case, the counts of old verdict × new
// verdict, and every student whose total changes. Applying makes the pending runs the current
// grades; the runs they replace stay in the history.

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "grader/batch/run.hpp"
#include "grader/gradebook/gradebook.hpp"

namespace grader::batch {

enum class RegradeAction {
    Preview,  // grade into a pending set (replacing an older one) and print the changes
    Apply,    // apply the pending set (graded first if there is none for this spec)
    Discard,  // drop the pending set
};

struct RegradeOptions {
    RegradeAction action = RegradeAction::Preview;
    int jobs = 1;
    std::string gradebook = "gradebook.sqlite";
    ProgressMode progress = ProgressMode::Lines;
};

// What a pending set changes, from the stored runs.
struct RegradeDiff {
    // "ex3/fit_forward" -> old verdict -> new verdict -> students ("(none)": the case is new to
    // the spec or gone from it).
    std::map<std::string, std::map<std::string, std::map<std::string, int>>> matrix;
    struct Change {
        std::string student;
        std::optional<int> old_score, new_score;
        int old_max = 0, new_max = 0;
    };
    std::vector<Change> changes;  // students whose total changes
    std::size_t students = 0;
    // Cases adjusted by hand whose verdict the regrade changes: someone should look again (the
    // adjustment stays in force either way). One sentence each.
    std::vector<std::string> to_review;
};

RegradeDiff regrade_diff(gradebook::Gradebook& book, std::int64_t pending);
void print_diff(const RegradeDiff& diff, std::ostream& out);

// Exit status as for batch; throws grader::Error when it cannot run.
int run_regrade(const Grading& grading, const RegradeOptions& options, std::ostream& out);

}  // namespace grader::batch
