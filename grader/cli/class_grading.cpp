#include "grader/cli/class_grading.hpp"

#include "grader/grading/grade.hpp"
#include "grader/hash/sha256.hpp"
#include "grader/sandbox/process_runner.hpp"

namespace grader::cli {

ClassGrading::ClassGrading(const ClassGradingOptions& o)
    : overrides_(o.overrides), worker_(self_path()) {
    grading::PrepareOptions prepare;
    prepare.hidden_seed = o.seed;
    // Once for the whole class: the spec, and the reference computing every expected value.
    loaded_ = load_cases(o.spec, prepare);
    grading::apply_overrides(loaded_.prepared, overrides_);
    grading_.prepared = &loaded_.prepared;
    grading_.spec_path = o.spec.spec;
    grading_.spec_sha256 = hash::sha256_file(o.spec.spec);
    if (loaded_.reference) grading_.reference_sha256 = hash::sha256_file(loaded_.reference->path());
    grading_.seed = o.seed;
    grading_.grade = [this](const batch::Submission& s) {
        auto runner = sandbox::make_process_runner(
            grading::worker_config(loaded_.prepared, worker_, s.path, overrides_));
        result::Result r = grading::grade(loaded_.prepared, *runner, s.path);
        r.grader_version = GRADER_VERSION;
        return r;
    };
}

}  // namespace grader::cli
