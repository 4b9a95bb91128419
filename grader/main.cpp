#include <cstring>

#include "grader/cli/cli.hpp"
#include "grader/sandbox/worker_main.hpp"

int main(int argc, char** argv) {
    // The worker is this same binary, exec'd fresh with a hidden first argument: nothing of the
    // grader's state (spec, expected values, environment) reaches the student's process.
    if (argc >= 2 && std::strcmp(argv[1], grader::sandbox::kWorkerCommand) == 0)
        return grader::sandbox::worker_main(argc, argv);
    return grader::cli::run(argc, argv);
}
