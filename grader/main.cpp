#include <sys/prctl.h>

#include <cstring>

#include "grader/cli/cli.hpp"
#include "grader/sandbox/worker_main.hpp"
#include "grader_build_info.hpp"

int main(int argc, char** argv) {
    // The worker is this same binary, exec'd fresh with a hidden first argument: nothing of the
    // grader's state (spec, expected values, environment) reaches the student's process.
    if (argc >= 2 && std::strcmp(argv[1], grader::sandbox::kWorkerCommand) == 0)
        return grader::sandbox::worker_main(argc, argv);
    // The grader holds the expected values, the spec and the cache in its memory: no process of
    // the same user (a worker, whatever runs beside it) may read that memory or its environment
    // through /proc/<pid>/mem or ptrace.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return grader::cli::run(argc, argv, GRADER_BUILD, GRADER_BUILD_DATE);
}
