#pragma once
// What `batch` and `regrade` share: the cases prepared once (spec, reference, expected values),
// their identity (hashes) for the gradebook, and the function that grades one submission in a
// sandboxed worker against them.

#include <memory>
#include <optional>
#include <string>

#include "grader/batch/run.hpp"
#include "grader/cli/common.hpp"
#include "grader/grading/overrides.hpp"

namespace grader::cli {

struct ClassGradingOptions {
    SpecOptions spec;
    std::optional<std::uint64_t> seed;
    grading::LimitOverrides overrides;
};

// Owns what batch::Grading points to; not movable once made.
class ClassGrading {
  public:
    explicit ClassGrading(const ClassGradingOptions& options);
    ClassGrading(const ClassGrading&) = delete;
    ClassGrading& operator=(const ClassGrading&) = delete;
    const batch::Grading& grading() const { return grading_; }

  private:
    Loaded loaded_;
    grading::LimitOverrides overrides_;
    std::string worker_;
    batch::Grading grading_;
};

}  // namespace grader::cli
