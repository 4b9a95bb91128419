#pragma once
// The worker process: the only place a submission is ever loaded. The grader binary becomes the
// worker when exec'd as `grader __worker`; it talks to the grader over the descriptors listed in
// protocol.hpp and never returns to the grader's code paths.

namespace grader::sandbox {

inline constexpr char kWorkerCommand[] = "__worker";
// The worker's one environment variable (GLIBC_TUNABLES): the C library's string functions
// without AVX-512VL and BW, whose masked stores are slow against the guarded heap's guard pages
// (grader/sandbox/child_process.cpp says why).
inline constexpr char kWorkerTunables[] = "glibc.cpu.hwcaps=Prefer_No_AVX512,-AVX512VL,-AVX512BW";

// Runs the worker until the grader closes the request channel; returns the process exit status.
int worker_main(int argc, char** argv);

}  // namespace grader::sandbox
