#include "grader/cli/class_grading.hpp"

#include "grader/error.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/feedback.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/student_seed.hpp"
#include "grader/sandbox/process_runner.hpp"

namespace grader::cli {

ClassGrading::ClassGrading(const ClassGradingOptions& o) : options_(o), worker_(worker_path()) {
    if (o.seed && !o.secret_file.empty())
        throw Error(
            "give --seed or --secret-file, not both: --seed gives every student the same "
            "hidden inputs, the secret gives each their own");
    if (!o.seed && !is_bundle(o.spec.spec))
        secret_ = grading::find_course_secret(o.spec.spec, o.secret_file);
    grading::PrepareOptions prepare;
    prepare.hidden_seed = o.seed;
    // Once for the whole class: the spec, and the reference computing every expected value
    // (with a secret, of the public cases: the hidden ones differ between students).
    prepare.public_only = secret_.has_value();
    loaded_ = load_cases(o.spec, prepare);
    grading::apply_overrides(loaded_.prepared, o.overrides);
    if (secret_) {
        grading::PrepareOptions hidden;
        hidden.hidden_only = true;
        outline_ = grading::combine(
            loaded_.prepared, prepare_cases(o.spec, *loaded_.spec, *loaded_.reference, hidden));
    }
    grading_.prepared = secret_ ? &outline_ : &loaded_.prepared;
    grading_.spec_path = o.spec.spec;
    grading_.spec_sha256 = loaded_.prepared.source_sha256;
    grading_.reference_sha256 = loaded_.prepared.reference_sha256;
    grading_.seed_for = [this](const std::string& student) -> std::optional<std::uint64_t> {
        if (secret_) return grading::student_seed(*secret_, student);
        return options_.seed;
    };
    grading_.grade = [this](const batch::Submission& s) {
        const grading::Prepared own = secret_ ? cases_for(s.id) : grading::Prepared{};
        const grading::Prepared& cases = secret_ ? own : loaded_.prepared;
        auto runner = sandbox::make_process_runner(
            grading::worker_config(cases, worker_, s.path, options_.overrides,
                                   loaded_.reference ? loaded_.reference->path() : ""));
        grading::Feedback feedback;
        feedback.spec = loaded_.spec ? &*loaded_.spec : nullptr;
        feedback.reference = loaded_.reference.get();
        feedback.shrink = options_.shrink;
        return grading::grade(cases, *runner, s.path, feedback);
    };
}

grading::Prepared ClassGrading::cases_for(const std::string& student) const {
    grading::PrepareOptions hidden;
    hidden.hidden_only = true;
    hidden.hidden_seed = grading::student_seed(*secret_, student);
    hidden.hidden_from = "student";
    hidden.student = student;
    grading::Prepared cases = grading::combine(
        loaded_.prepared, grading::prepare(*loaded_.spec, *loaded_.reference, hidden));
    grading::apply_overrides(cases, options_.overrides);
    return cases;
}

}  // namespace grader::cli
