#pragma once
// Shared by the end-to-end suites: grades a fixture submission (built by the test build into
// FIXTURE_DIR) through the real sandboxed worker, against the project's own exercises.yaml.

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "grader/grading/expand.hpp"
#include "grader/grading/grade.hpp"
#include "grader/sandbox/process_runner.hpp"
#include "grader/spec/spec.hpp"

namespace graded_fixture {

// The prepared cases, made once per test executable.
struct Cases {
    grader::spec::Spec spec = grader::spec::load(std::string(PROJECT_ROOT) + "/exercises.yaml");
    grader::grading::Reference reference{REFERENCE_LIB, spec.functions};
    grader::grading::Prepared prepared = grader::grading::prepare(spec, reference, {});
};

inline const Cases& cases() {
    static const Cases c;
    return c;
}

// The worker the fixtures are graded in: the build's, or the one after `-- --worker PATH` on the
// test's command line (the tests hostile_kit and hostile_kit_unprivileged give the student kit's,
// so that its statically linked worker is held to the same verdicts).
inline std::string worker_exe() {
    const auto& suite = boost::unit_test::framework::master_test_suite();
    for (int i = 1; i + 1 < suite.argc; ++i)
        if (std::string(suite.argv[i]) == "--worker") return suite.argv[i + 1];
    return WORKER_EXE;
}

inline std::string fixture_path(const std::string& name) {
    return std::string(FIXTURE_DIR) + "/lib" + name + ".so";
}

// Grades a library; a positive time_limit replaces every call's (for fixtures that never return).
// `hidden`: files the worker must not see (ProcessRunnerConfig::hidden).
inline grader::result::Result grade_library(const std::string& library, double time_limit = 0,
                                            const grader::grading::Feedback& feedback = {},
                                            const std::vector<std::string>& hidden = {}) {
    grader::sandbox::ProcessRunnerConfig config;
    config.worker_exe = worker_exe();
    config.library = library;
    config.hidden = hidden;
    config.functions = cases().prepared.functions;
    grader::grading::Prepared prepared = cases().prepared;
    if (time_limit > 0)
        for (auto& ex : prepared.exercises)
            for (auto& c : ex.cases)
                for (auto& inst : c.instances)
                    for (auto& call : inst.calls) call.call.time_limit_seconds = time_limit;
    auto runner = grader::sandbox::make_process_runner(config);
    return grader::grading::grade(prepared, *runner, config.library, feedback);
}

inline grader::result::Result grade_fixture(const std::string& name, double time_limit = 0) {
    return grade_library(fixture_path(name), time_limit);
}

// Exercise id -> (score, max score).
inline std::map<std::string, std::pair<int, int>> scores(const grader::result::Result& r) {
    std::map<std::string, std::pair<int, int>> out;
    for (const auto& e : r.exercises) out[e.id] = {e.score(), e.max_score()};
    return out;
}

inline const grader::result::CaseResult& find_case(const grader::result::Result& r,
                                                   const std::string& exercise,
                                                   const std::string& id) {
    for (const auto& e : r.exercises)
        if (e.id == exercise)
            for (const auto& c : e.cases)
                if (c.id == id) return c;
    throw std::runtime_error("no case " + exercise + "/" + id);
}

}  // namespace graded_fixture
