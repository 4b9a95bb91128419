#include "grader/grading/reference_runner.hpp"

namespace grader::grading {

ReferenceRunner::ReferenceRunner(const Reference& reference, std::size_t function_count)
    : reference_(reference) {
    load_.present.assign(function_count, true);
    load_.hints.assign(function_count, "");
    load_.layers = {"none (trusted reference, in process)"};
}

sandbox::BatchResult ReferenceRunner::run(std::span<const sandbox::Call> calls) {
    sandbox::BatchResult batch;
    for (const sandbox::Call& call : calls) {
        Outputs out = reference_.call(call);
        sandbox::CallResult r;
        r.status = sandbox::Status::Ok;
        r.result = out.raw;  // typed as a worker's reply is, so grading converts both alike
        r.outputs = std::move(out.arrays);
        batch.calls.push_back(std::move(r));
    }
    return batch;
}

}  // namespace grader::grading
