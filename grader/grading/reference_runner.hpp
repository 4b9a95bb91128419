#pragma once
// A Runner that calls the reference in the grader's own process. Only for trusted code: it is
// how `validate` grades the reference against its own spec, and how tests grade without forking.

#include "grader/grading/reference.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::grading {

class ReferenceRunner : public sandbox::Runner {
  public:
    ReferenceRunner(const Reference& reference, std::size_t function_count);
    const sandbox::LoadResult& load() override { return load_; }
    sandbox::BatchResult run(std::span<const sandbox::Call> calls) override;

  private:
    const Reference& reference_;
    sandbox::LoadResult load_;
};

}  // namespace grader::grading
