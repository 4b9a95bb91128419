#include "grader/sandbox/worker_output.hpp"

#include <signal.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <iostream>

namespace grader::sandbox::worker {

namespace {

// The handler may interrupt anything, sanitizer runtimes included: it only sets bits.
#define GRADER_SIGNAL_SAFE __attribute__((no_sanitize("address", "undefined")))

#ifdef __GLIBC__
// glibc's libio (libio/libio.h, not installed): flags of a FILE's _flags, and the magic number in
// their high half. They are part of the FILE layout that programs compiled against glibc have
// depended on since glibc 2.0 (struct _IO_FILE and its fields are in <stdio.h>).
constexpr int kUnbuffered = 0x0002;          // _IO_UNBUFFERED
constexpr int kNoWrites = 0x0008;            // _IO_NO_WRITES
constexpr int kLineBuffered = 0x0200;        // _IO_LINE_BUF
constexpr unsigned kMagicMask = 0xFFFF0000;  // _IO_MAGIC_MASK
constexpr unsigned kMagic = 0xFBAD0000;      // _IO_MAGIC

bool glibc_file(const FILE* f) {
    return f && (static_cast<unsigned>(f->_flags) & kMagicMask) == kMagic;
}

// Safe from a signal handler that interrupted the stream's own functions: it only shrinks the
// room left for writing to none, and every libio path measures that room as write_end -
// write_ptr (or, line-buffered, buf_end - write_ptr, and the flag is cleared) before it copies.
// What is pending stays, to be dropped before the next call; one fflush may write it (at most a
// buffer, once: unbuffered, libio never gives the stream room again).
GRADER_SIGNAL_SAFE void stop_writes(FILE* f) noexcept {
    f->_flags = (f->_flags | kNoWrites | kUnbuffered) & ~kLineBuffered;
    f->_IO_write_end = f->_IO_write_ptr;
}

// Does it stop output here as this file relies on, with a write pending, without writing or
// copying a byte?
bool stop_writes_works() {
    char buf[16] = {};
    FILE* f = ::fmemopen(buf, sizeof buf, "w");
    if (!f) return false;
    bool works = false;
    if (glibc_file(f) && std::fputs("ab", f) != EOF) {
        stop_writes(f);
        char* const pending = f->_IO_write_ptr;
        errno = 0;
        works = std::fprintf(f, "%d", 42) < 0 && errno == EBADF && std::fputs("x", f) == EOF &&
                std::fputc('y', f) == EOF && std::fwrite("z", 1, 1, f) == 0 &&
                f->_IO_write_ptr == pending;
        f->_IO_write_ptr = f->_IO_write_base;  // "ab" is dropped
    }
    std::fclose(f);
    return works && buf[0] == '\0';
}
#endif

// Set once the output is silenced, for the worker's write and writev (grader/write_interpose.cpp).
std::atomic<bool> g_silenced{false};

// The worker's own stdout and stderr objects, recorded before the submission could replace the
// variables; null when the self-test failed (the iostreams are still silenced).
FILE* g_streams[2] = {nullptr, nullptr};

// failbit, not badbit: every << then stops at its sentry, which for a bad stream would also set
// failbit through basic_ios::clear on every call. And no unitbuf (std::cerr's), whose sentry
// flushes stderr after every <<, output or not. Measured on a line of seven <<: 52 ns with badbit,
// 44 with failbit; std::cerr 127 ns with unitbuf.
GRADER_SIGNAL_SAFE void set_failed(std::ios& s) noexcept {
    // A stream the submission asked to throw is left alone: a throw would change its verdict.
    if (s.exceptions() != std::ios::goodbit) return;
    s.unsetf(std::ios::unitbuf);
    s.setstate(std::ios::failbit);
}

// A stream whose C++ stream the submission asked to throw on failure is left writing: a failed
// write would throw, and change its verdict.
GRADER_SIGNAL_SAFE bool may_stop(int i) noexcept {
    if (i == 0) return !(std::cout.exceptions() & std::ios::badbit);
    return !(std::cerr.exceptions() & std::ios::badbit) &&
           !(std::clog.exceptions() & std::ios::badbit);
}

// What the signal handler may do: set bits. A bit lost to a read-modify-write the handler
// interrupted is set again before the next call.
GRADER_SIGNAL_SAFE void set_flags() noexcept {
    g_silenced.store(true, std::memory_order_relaxed);
#ifdef __GLIBC__
    for (int i = 0; i < 2; ++i)
        if (g_streams[i] && may_stop(i)) stop_writes(g_streams[i]);
#endif
    set_failed(std::cout);
    set_failed(std::cerr);
    set_failed(std::clog);
}

GRADER_SIGNAL_SAFE void on_silence(int) {
    const int saved = errno;
    set_flags();
    errno = saved;
}

}  // namespace

bool output_silenced() noexcept {
    return g_silenced.load(std::memory_order_relaxed);
}

void prepare_output_silencing() {
#ifdef __GLIBC__
    if (glibc_file(stdout) && glibc_file(stderr) && stop_writes_works()) {
        g_streams[0] = stdout;
        g_streams[1] = stderr;
    }
#endif
    // SIGURG, whose default action is to be ignored: a submission that resets it loses nothing
    // but speed. SA_RESTART: the submission's read or write in progress goes on.
    struct sigaction sa {};
    sa.sa_handler = on_silence;
    sa.sa_flags = SA_RESTART | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGURG, &sa, nullptr);
}

void silence_output() {
    set_flags();
    // A << that was under way when SIGURG came may have set badbit since: failbit alone is cheaper.
    for (std::ios* s : {static_cast<std::ios*>(&std::cout), static_cast<std::ios*>(&std::cerr),
                        static_cast<std::ios*>(&std::clog)})
        if (s->exceptions() == std::ios::goodbit && s->rdbuf()) s->clear(std::ios::failbit);
#ifdef __GLIBC__
    // Unbuffered, with what was pending dropped: fflush(stdout) has nothing to write, and the
    // buffer is freed. Again before every call, in case the submission gave the stream a buffer
    // back with setvbuf. Under the stream's lock, so never in the middle of another thread's
    // output; a stream another thread holds is done before a later call.
    for (int i = 0; i < 2; ++i) {
        FILE* f = g_streams[i];
        if (!f || !may_stop(i) || ::ftrylockfile(f) != 0) continue;
        f->_IO_write_ptr = f->_IO_write_base;
        if (!(f->_flags & kUnbuffered) || f->_IO_buf_end - f->_IO_buf_base > 1)
            std::setvbuf(f, nullptr, _IONBF, 0);
        stop_writes(f);
        ::funlockfile(f);
    }
#endif
}

}  // namespace grader::sandbox::worker
