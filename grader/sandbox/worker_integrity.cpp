#include "grader/sandbox/worker_integrity.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "grader/sandbox/protocol.hpp"

namespace grader::sandbox::worker {

namespace {

bool same_file(int fd, dev_t dev, ino_t ino) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

void identify(int fd, dev_t& dev, ino_t& ino) {
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
        dev = st.st_dev;
        ino = st.st_ino;
    }
}

}  // namespace

Integrity::Integrity(bool filtered) : filtered_(filtered) {
    identify(protocol::kRequestFd, request_.dev, request_.ino);
    identify(protocol::kReplyFd, reply_.dev, reply_.ino);
    for (std::size_t i = 0; i < kSignals; ++i)
        ::sigaction(kHandledSignals[i], nullptr, &handlers_[i]);
    ::sigaltstack(nullptr, &alt_stack_);
    for (std::size_t i = 0; i < std::size(kResources); ++i) ::getrlimit(kResources[i], &limits_[i]);
}

std::optional<Tampering> Integrity::check(std::uint64_t cpu_soft) const {
    if (!filtered_ && !same_file(protocol::kRequestFd, request_.dev, request_.ino))
        return Tampering{Tamper::RequestChannel, protocol::kRequestFd};
    if (!filtered_ && !same_file(protocol::kReplyFd, reply_.dev, reply_.ino))
        return Tampering{Tamper::ReplyChannel, protocol::kReplyFd};

    sigset_t mask;
    ::sigprocmask(SIG_BLOCK, nullptr, &mask);
    for (std::size_t i = 0; i < kSignals; ++i) {
        const int sig = kHandledSignals[i];
        if (!filtered_) {
            struct sigaction now {};
            ::sigaction(sig, nullptr, &now);
            if (now.sa_sigaction != handlers_[i].sa_sigaction ||
                now.sa_flags != handlers_[i].sa_flags)
                return Tampering{Tamper::Handler, sig};
        }
        // A synchronous fault on a blocked signal kills the worker without the handler's record.
        if (sigismember(&mask, sig) == 1) return Tampering{Tamper::Mask, sig};
    }
    stack_t stack{};
    ::sigaltstack(nullptr, &stack);
    if (stack.ss_sp != alt_stack_.ss_sp || stack.ss_size != alt_stack_.ss_size ||
        (stack.ss_flags & SS_DISABLE) != (alt_stack_.ss_flags & SS_DISABLE))
        return Tampering{Tamper::AltStack, 0};

    for (std::size_t i = 0; i < std::size(kResources); ++i) {
        if (filtered_ && kResources[i] != RLIMIT_CPU) continue;
        rlimit now{};
        ::getrlimit(kResources[i], &now);
        const rlimit& was = limits_[i];
        // The CPU soft limit is the worker's own per-call backstop: it must be what it last set.
        const bool soft_ok = kResources[i] == RLIMIT_CPU ? cpu_soft == 0 || now.rlim_cur == cpu_soft
                                                         : now.rlim_cur == was.rlim_cur;
        if (!soft_ok || now.rlim_max != was.rlim_max)
            return Tampering{Tamper::Limit, kResources[i]};
    }
    return std::nullopt;
}

void report_tampering(SharedState& shared, const Tampering& t) {
    if (shared.claimed.exchange(1) == 0) {
        shared.param = static_cast<std::int32_t>(t.what);
        shared.syscall = t.which;
        shared.fault.store(static_cast<std::uint32_t>(Fault::Tampered), std::memory_order_release);
    }
    ::_exit(protocol::kTamperedExit);
}

}  // namespace grader::sandbox::worker
