#include "grader/sandbox/worker_main.hpp"

// grader-worker: the worker alone (grader/sandbox/worker_main.hpp), linked with only what it
// uses (libffi, libseccomp, the C and C++ runtimes). Every fresh worker is an exec, and loading
// the grader's dozen other libraries cost each one about 2 ms of CPU; `grader __worker` still
// works where this binary is missing.
int main(int argc, char** argv) {
    return grader::sandbox::worker_main(argc, argv);
}
