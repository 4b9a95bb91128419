#include "grader/sandbox/worker_main.hpp"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <cstdio>
#include <exception>

#include "grader/sandbox/limits.hpp"
#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/shared_state.hpp"
#include "grader/sandbox/worker_calls.hpp"
#include "grader/sandbox/worker_channel.hpp"
#include "grader/sandbox/worker_load.hpp"
#include "grader/sandbox/worker_output.hpp"

namespace grader::sandbox {

namespace {

// True when student code closed the descriptors the worker talks to the grader through.
bool channel_gone() {
    return ::fcntl(protocol::kRequestFd, F_GETFD) < 0 || ::fcntl(protocol::kReplyFd, F_GETFD) < 0;
}

// The first process of a PID namespace is its init, and the kernel delivers to an init no signal
// it sends itself without a handler: a submission's raise(SIGTERM), SIGSTOP or SIGKILL would do
// nothing there, where elsewhere it ends the worker. So in a namespace of its own the worker
// forks at once, as bubblewrap does: the child is the worker, an ordinary process, and the first
// process only waits for it and writes how it ended where the grader reads it. Killing the first
// process (the grader's time limit) ends the whole namespace.
[[noreturn]] void be_init(pid_t worker, SharedState& shared) {
    // Holding no end of the worker's pipes, so the grader sees them close when the worker ends.
    if (::syscall(SYS_close_range, 0, ~0u, 0) != 0)
        for (int fd = 0; fd < 1024; ++fd) ::close(fd);
    // Nothing to keep: as root it becomes nobody; as root of a user namespace (where nobody is
    // not mapped) it gives up its capabilities there.
    SandboxReport unused;
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0))
        drop_capabilities(unused);
    ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);  // the uid change cleared it
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(-1, &status, 0);
        if (r == worker) {
            shared.relayed_status = status;
            shared.relayed.store(1, std::memory_order_release);
            ::_exit(protocol::kRelayedExit);
        }
        if (r < 0 && errno != EINTR) ::_exit(protocol::kRelayedExit);
    }
}

int serve() {
    // A grader that went away shows as EPIPE on the next reply, not as a signal.
    ::signal(SIGPIPE, SIG_IGN);
    // stdout is a pipe: line buffering gets what a submission prints to the grader with the
    // batch it belongs to, and before a crash can lose it.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    // Until the grader has counted all the output it will: then printing is made to fail at once
    // (worker_output.hpp).
    worker::prepare_output_silencing();

    void* block =
        ::mmap(nullptr, kSharedSize, PROT_READ | PROT_WRITE, MAP_SHARED, protocol::kSharedFd, 0);
    if (block == MAP_FAILED) return worker::fatal("the worker cannot map its shared state");
    ::close(protocol::kSharedFd);  // mapped: no descriptor for the submission to write through
    auto& shared = *static_cast<SharedState*>(block);
    if (::getpid() == 1) {
        const pid_t child = ::fork();
        if (child < 0) return worker::fatal("the worker cannot start in its PID namespace");
        if (child > 0) be_init(child, shared);
    }

    protocol::Frame frame;
    protocol::Hello hello;
    if (worker::read_request(frame) != worker::ReadStatus::Frame ||
        frame.type != protocol::Type::Hello || !protocol::decode(frame.payload, hello))
        return worker::fatal("the worker received a garbled greeting");
    // A worker started after its runner's output budget was spent: constructors print nothing.
    if (shared.silence.load(std::memory_order_acquire)) worker::silence_output();

    protocol::Loaded loaded;
    auto addresses = worker::load_submission(hello, shared, loaded);
    shared.phase.store(static_cast<std::uint32_t>(Phase::Idle));
    std::fflush(nullptr);  // constructors' output goes before the report
    if (!worker::write_reply(protocol::Type::Loaded, 0, protocol::encode(loaded))) return 0;
    if (loaded.error) return 0;

    const bool filtered =
        std::find(loaded.layers.begin(), loaded.layers.end(), "seccomp") != loaded.layers.end();
    worker::Executor executor(hello.functions, std::move(addresses), shared, filtered);
    for (;;) {
        switch (worker::read_request(frame)) {
            case worker::ReadStatus::End:
                return channel_gone() ? protocol::kChannelLostExit : 0;
            case worker::ReadStatus::Bad:
                if (channel_gone()) return protocol::kChannelLostExit;
                return worker::fatal("the worker received a garbled request");
            case worker::ReadStatus::Frame:
                break;
        }
        if (frame.type != protocol::Type::Batch || !executor.run_batch(frame.seq, frame.payload)) {
            if (channel_gone()) return protocol::kChannelLostExit;
            return worker::fatal("the worker received a request it cannot run");
        }
    }
}

}  // namespace

int worker_main(int /*argc*/, char** /*argv*/) {
    // The worker's top: nothing may escape as an exception; the grader gets one sentence.
    try {
        return serve();
    } catch (const std::exception& e) {
        return worker::fatal(e.what());
    } catch (...) {
        return worker::fatal("the worker failed");
    }
}

}  // namespace grader::sandbox
