#pragma once
// The worker process: the only place a submission is ever loaded. The grader binary becomes the
// worker when exec'd as `grader __worker`; it talks to the grader over the descriptors listed in
// protocol.hpp and never returns to the grader's code paths.

namespace grader::sandbox {

inline constexpr char kWorkerCommand[] = "__worker";

// Runs the worker until the grader closes the request channel; returns the process exit status.
int worker_main(int argc, char** argv);

}  // namespace grader::sandbox
