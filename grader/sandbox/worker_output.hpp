#pragma once
// In the worker: making a submission's printing nearly free once the grader has all of its
// output it will count (SharedState::silence, Limits::output_budget).
//
// Why in the worker: a debug print left in a loop costs the worker one write(2) to the pipe per
// line (stdout is line-buffered, so that output reaches the grader before a crash can lose it),
// plus the formatting, plus a wake-up of the grader per write. Discarding on the grader's side
// alone (splice to /dev/null) removes the grader's copy but not those: 200,000 lines per call
// still cost about 2 µs each. Silenced, a printf returns -1 before it formats anything.
//
// How, with glibc (Debian 12: 2.36): the FILE objects stdout and stderr get _IO_NO_WRITES in
// their _flags, the flag of a stream opened for reading only, and no room left in their buffer.
// printf, fprintf and vfprintf then return -1 (EBADF) before formatting (vfprintf's ARGCHECK),
// and puts, fputs, fwrite, putc and perror fail at once without copying a byte. Between calls
// the streams are made unbuffered for good, with whatever was pending dropped, so that a
// fflush(stdout) has nothing to write. C++ iostreams write through the same FILE (libstdc++'s
// stdio_sync_filebuf); std::cout, std::cerr and std::clog are also set failed directly, which
// covers them after sync_with_stdio(false) too, and makes each << stop at its sentry (about
// 5 ns). A self-test at startup (on an fmemopen stream) checks that the flags do what this relies
// on; if not, only the iostreams are silenced and the grader discards the rest unread.
//
// Raw write(1, …) and writev on descriptors 1 and 2 are silenced too where the worker is the
// grader's executable (grader/write_interpose.cpp: its write and writev come first for every
// library, as its malloc does): they return at once, as if written. Rust's println! and
// libgfortran's WRITE go through them. Not covered: dprintf, a write made through syscall(), and
// streams the submission opens on descriptors 1 and 2 itself: the grader drains those without
// copying (channel.cpp) and never blocks the worker, but the worker still pays its own system
// calls.

namespace grader::sandbox::worker {

// Once, before the submission is loaded: records the streams, runs the self-test and installs
// the SIGURG handler the grader uses to silence a call that is printing.
void prepare_output_silencing();

// True once the output is silenced (async-signal-safe).
bool output_silenced() noexcept;

// Silences stdio and iostreams for the rest of the worker's life; idempotent. Outside a call's
// own stdio functions only (it takes the streams' locks, with trylock).
void silence_output();

}  // namespace grader::sandbox::worker
