#pragma once
// What `batch` and `regrade` share: the cases prepared once (spec, reference, expected values),
// their identity (hashes) for the gradebook, and the function that grades one submission in a
// sandboxed worker against them. With a course secret each student's hidden cases are their own:
// the public cases are prepared once, the hidden ones per student from the student's seed.

#include <memory>
#include <optional>
#include <string>

#include "grader/batch/run.hpp"
#include "grader/cli/common.hpp"
#include "grader/grading/overrides.hpp"

namespace grader::cli {

struct ClassGradingOptions {
    SpecOptions spec;
    std::optional<std::uint64_t> seed;  // the same hidden inputs for everyone
    std::string secret_file;            // else course.secret beside the spec, if it exists
    grading::LimitOverrides overrides;
    bool shrink = true;
};

// Owns what batch::Grading points to; not movable once made.
class ClassGrading {
  public:
    explicit ClassGrading(const ClassGradingOptions& options);
    ClassGrading(const ClassGrading&) = delete;
    ClassGrading& operator=(const ClassGrading&) = delete;
    const batch::Grading& grading() const { return grading_; }
    // True when each student's hidden inputs are their own.
    bool per_student() const { return secret_.has_value(); }

  private:
    // The cases of one student: the shared ones, or the public ones with theirs.
    grading::Prepared cases_for(const std::string& student) const;

    ClassGradingOptions options_;
    Loaded loaded_;  // all cases, or the public ones with a secret
    std::optional<std::string> secret_;
    grading::Prepared outline_;  // every case (with a secret: spec-seeded hidden ones)
    std::string worker_;
    batch::Grading grading_;
};

}  // namespace grader::cli
