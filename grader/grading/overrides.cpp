#include "grader/grading/overrides.hpp"

#include <filesystem>

namespace grader::grading {

void apply_overrides(Prepared& prepared, const LimitOverrides& o) {
    if (!o.time_limit && !o.memory_limit) return;
    for (auto& ex : prepared.exercises)
        for (auto& c : ex.cases) {
            if (o.time_limit) c.time_limit = *o.time_limit;
            if (o.memory_limit) c.memory_limit_mb = *o.memory_limit;
            for (auto& inst : c.instances)
                for (auto& call : inst.calls) {
                    if (o.time_limit) call.call.time_limit_seconds = *o.time_limit;
                    if (o.memory_limit)
                        call.call.memory_bytes =
                            static_cast<std::uint64_t>(*o.memory_limit * 1024 * 1024);
                }
        }
}

sandbox::ProcessRunnerConfig worker_config(const Prepared& prepared, const std::string& worker_exe,
                                           const std::string& library, const LimitOverrides& o,
                                           const std::string& reference) {
    sandbox::ProcessRunnerConfig config;
    config.worker_exe = worker_exe;
    config.library = library;
    config.functions = prepared.functions;
    // The worker loads under the first case's memory limit (the spec's default, as a rule).
    for (const auto& ex : prepared.exercises)
        if (!ex.cases.empty()) {
            config.limits.memory_bytes =
                static_cast<std::uint64_t>(ex.cases.front().memory_limit_mb * 1024 * 1024);
            break;
        }
    config.limits.require_sandbox = o.require_sandbox;
    if (!reference.empty()) {
        std::error_code ec;
        const auto real = std::filesystem::canonical(reference, ec);
        config.hidden.push_back(ec ? reference : real.string());
    }
    if (o.time_limit) config.limits.call_seconds = config.limits.cpu_seconds = *o.time_limit;
    return config;
}

}  // namespace grader::grading
