#pragma once
// The course's deadline for a batch: the settings of the command line and the course file,
// checked before anything is graded, recorded in the gradebook (which keeps every change), and
// applied to each submission's report as it is written.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "grader/batch/discover.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/policy/course_file.hpp"
#include "grader/result/result.hpp"

namespace grader::batch {

struct Deadlines {
    std::optional<gradebook::StoredPolicy> policy;  // to record; none: keep the gradebook's
    bool end_policy = false;                        // --no-late-policy: end the gradebook's
    std::string who;                                // who decides, for the gradebook's rows
    std::vector<gradebook::StoredExtension> extensions;
    std::string zone = "UTC";  // the LMS's local time
};

// Checks every setting (naming the option or course-file line of a wrong one) and builds what a
// batch records, stamped with `who`. Throws grader::Error.
Deadlines deadlines_from(const policy::DeadlineSettings& settings, const std::string& who);

// Records the policy and extensions (what changed only) and says so in a line each.
std::vector<std::string> record_deadlines(gradebook::Gradebook& book, const Deadlines& deadlines);

// The policy in force in a gradebook, with each student's own due date, to mark reports with.
class LateMarker {
  public:
    explicit LateMarker(gradebook::Gradebook& book);
    bool active() const { return policy_.has_value(); }
    // The lateness of a graded submission (none without a policy).
    std::optional<result::Lateness> mark(const Submission& submission, double raw);

  private:
    gradebook::Gradebook& book_;
    std::optional<policy::LatePolicy> policy_;
};

// Moodle's worksheet times for the submissions whose input said none, read in `zone`.
void add_worksheet_times(std::vector<Submission>& submissions,
                         const std::map<std::string, std::string>& last_modified,
                         const std::string& zone);

}  // namespace grader::batch
