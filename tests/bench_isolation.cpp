// Measures what the sandbox costs per submission: the same prepared cases graded with a library
// run in process (no isolation) and in a sandboxed worker (the real path). The library is the
// reference unless a second argument names another correct one (build/fixtures/libgood_c.so: a
// C submission, which allocates far less than the reference's C++).
// Not a test: scripts/bench.sh runs it and docs/performance.md quotes it.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "grader/grading/expand.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/reference_runner.hpp"
#include "grader/sandbox/process_runner.hpp"
#include "grader/spec/spec.hpp"

using namespace grader;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double best(const std::vector<double>& v) {
    return *std::min_element(v.begin(), v.end());
}

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// CPU time (user + system) of this process and of its children it has reaped, in ms: the
// workers' share is counted once they are gone. Less disturbed than wall time by a busy machine.
double cpu_ms(int who) {
    rusage u{};
    ::getrusage(who, &u);
    auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
    return ms(u.ru_utime) + ms(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::atoi(argv[1]) : 20;
    const spec::Spec spec = spec::load(std::string(PROJECT_ROOT) + "/exercises.yaml");
    const grading::Reference reference(REFERENCE_LIB, spec.functions);
    const std::string graded = argc > 2 ? argv[2] : REFERENCE_LIB;
    const grading::Reference submission(graded, spec.functions);
    std::vector<double> prepare_ms, in_process_ms, sandboxed_ms, start_ms;
    std::vector<double> in_process_cpu, sandboxed_cpu;
    grading::Prepared prepared;
    // A sandboxed worker for the library, loaded: the real path of grading.
    auto start_worker = [&] {
        sandbox::ProcessRunnerConfig config;
        config.worker_exe = WORKER_EXE;
        config.library = graded;
        config.functions = prepared.functions;
        auto runner = sandbox::make_process_runner(config);
        runner->load();
        return runner;
    };
    for (int i = 0; i < runs; ++i) {
        auto t = Clock::now();
        prepared = grading::prepare(spec, reference, {});
        prepare_ms.push_back(ms_since(t));

        grading::ReferenceRunner trusted(submission, prepared.functions.size());
        t = Clock::now();
        double cpu = cpu_ms(RUSAGE_SELF);
        const auto a = grading::grade(prepared, trusted, "in process");
        in_process_ms.push_back(ms_since(t));
        in_process_cpu.push_back(cpu_ms(RUSAGE_SELF) - cpu);

        t = Clock::now();
        cpu = cpu_ms(RUSAGE_SELF) + cpu_ms(RUSAGE_CHILDREN);
        auto runner = start_worker();
        start_ms.push_back(ms_since(t));
        const auto b = grading::grade(prepared, *runner, "sandboxed");
        runner.reset();  // the worker is reaped: its CPU time is counted
        sandboxed_ms.push_back(ms_since(t));
        sandboxed_cpu.push_back(cpu_ms(RUSAGE_SELF) + cpu_ms(RUSAGE_CHILDREN) - cpu);
        if (!a.full_marks() || !b.full_marks()) {
            std::fprintf(stderr,
                         "bench_isolation: %s lost points; the figures would mean nothing\n",
                         graded.c_str());
            return 1;
        }
    }
    // A worker started, loaded and ended, with no call: what each fresh worker costs.
    std::vector<double> start_cpu;
    for (int i = 0; i < runs; ++i) {
        const double cpu = cpu_ms(RUSAGE_SELF) + cpu_ms(RUSAGE_CHILDREN);
        auto runner = start_worker();
        runner.reset();
        start_cpu.push_back(cpu_ms(RUSAGE_SELF) + cpu_ms(RUSAGE_CHILDREN) - cpu);
    }
    // One call that does almost nothing (kl_vae), in batches of 256 as grading sends them, in a
    // warm worker and in process: what the channel, the arena, the guards and the checks after
    // each call cost, without the submission's own work.
    std::size_t vae = 0;
    while (vae < prepared.functions.size() && prepared.functions[vae].name != "kl_vae") ++vae;
    std::vector<sandbox::Call> trivial(256);
    for (sandbox::Call& c : trivial) {
        c.function = vae;
        c.args.resize(2);
        c.args[0].scalar.f = 0.5;
        c.args[1].scalar.f = 1.5;
    }
    auto warm = start_worker();
    grading::ReferenceRunner trusted(submission, prepared.functions.size());
    auto per_call_us = [&](sandbox::Runner& r) {
        std::vector<double> us;
        for (int i = 0; i < runs; ++i) {
            const auto t = Clock::now();
            for (int k = 0; k < 8; ++k) r.run(trivial);
            us.push_back(ms_since(t) * 1e3 / (8.0 * static_cast<double>(trivial.size())));
        }
        return best(us);
    };
    per_call_us(*warm);  // warms the worker's arena and heap
    const double call_in_process = per_call_us(trusted), call_sandboxed = per_call_us(*warm);

    std::size_t calls = 0;
    for (const auto& e : prepared.exercises)
        for (const auto& c : e.cases)
            for (const auto& inst : c.instances)
                for (const auto& call : inst.calls) calls += call.student;
    std::printf("%s: %zu student calls per submission, median of %d runs:\n", graded.c_str(), calls,
                runs);
    std::printf("  prepare the cases (reference, once per spec)   %7.2f ms\n", median(prepare_ms));
    std::printf("  grade in process (no isolation)                %7.2f ms\n",
                median(in_process_ms));
    std::printf(
        "  grade in the sandboxed worker                  %7.2f ms  (of which starting the worker "
        "%.2f ms)\n",
        median(sandboxed_ms), median(start_ms));
    std::printf("  cost of the isolation per submission           %7.2f ms\n",
                median(sandboxed_ms) - median(in_process_ms));
    std::printf("CPU time (grader and worker, user + system), median:\n");
    std::printf("  grade in process                               %7.2f ms\n",
                median(in_process_cpu));
    std::printf("  grade in the sandboxed worker                  %7.2f ms\n",
                median(sandboxed_cpu));
    std::printf("  of which a worker's start, load and end        %7.2f ms\n", median(start_cpu));
    std::printf(
        "  cost of the isolation per submission           %7.2f ms (%.0f%% of in process)\n",
        median(sandboxed_cpu) - median(in_process_cpu),
        100 * (median(sandboxed_cpu) - median(in_process_cpu)) / median(in_process_cpu));
    // On a shared virtual machine the noise only ever adds time: the best runs show the cost
    // itself, the medians what a busy machine gives.
    std::printf("Best of %d runs, CPU time:\n", runs);
    std::printf("  grade in process                               %7.2f ms\n",
                best(in_process_cpu));
    std::printf("  grade in the sandboxed worker                  %7.2f ms\n", best(sandboxed_cpu));
    std::printf(
        "  cost of the isolation per submission           %7.2f ms (%.0f%% of in process)\n",
        best(sandboxed_cpu) - best(in_process_cpu),
        100 * (best(sandboxed_cpu) - best(in_process_cpu)) / best(in_process_cpu));
    std::printf("One call of kl_vae in a batch of 256, best of %d runs of 8 batches:\n", runs);
    std::printf("  in process                                     %7.2f µs\n", call_in_process);
    std::printf("  in a warm sandboxed worker                     %7.2f µs\n", call_sandboxed);
    return 0;
}
