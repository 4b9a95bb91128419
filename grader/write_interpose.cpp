// The grader executable's write and writev, which come first for every library a worker loads
// (exported by name, as malloc is: grader/malloc_interpose.cpp). Once the grader has all of a
// submission's output it will count (grader/sandbox/worker_output.hpp), a raw write(1, …) or
// writev on descriptor 1 or 2 returns at once, as if written: a loop of them would otherwise cost
// a system call per line however little of it the grader reads. Everywhere else, in the grader
// itself and before that point, they are the C library's.
//
// Linked into the executables only, never into grader_core, and not into the sanitized build,
// whose runtime intercepts write itself.

#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>
#include <cstddef>

#include "grader/sandbox/worker_output.hpp"

extern "C" ssize_t __write(int, const void*, std::size_t);

namespace {

bool silenced(int fd) {
    return (fd == STDOUT_FILENO || fd == STDERR_FILENO) &&
           grader::sandbox::worker::output_silenced();
}

}  // namespace

#define GRADER_EXPORT extern "C" __attribute__((visibility("default")))

GRADER_EXPORT ssize_t write(int fd, const void* buf, std::size_t count) {
    if (silenced(fd)) return static_cast<ssize_t>(count > SSIZE_MAX ? SSIZE_MAX : count);
    return __write(fd, buf, count);
}

GRADER_EXPORT ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
    if (silenced(fd) && iovcnt >= 0) {
        std::size_t total = 0;
        for (int i = 0; i < iovcnt; ++i)
            if (__builtin_add_overflow(total, iov[i].iov_len, &total) || total > SSIZE_MAX)
                return static_cast<ssize_t>(SSIZE_MAX);
        return static_cast<ssize_t>(total);
    }
    return ::syscall(SYS_writev, fd, iov, iovcnt);
}
