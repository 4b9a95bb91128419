#include "grader/sandbox/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "grader/error.hpp"
#include "grader/sandbox/namespaces.hpp"
#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/worker_main.hpp"

namespace grader::sandbox {

ChildProcess::ChildProcess(pid_t pid) : pid_(pid) {
#ifdef SYS_pidfd_open
    pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#endif
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) kill_and_wait();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      status_(std::move(other.status_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        if (pid_ > 0) kill_and_wait();
        pid_ = std::exchange(other.pid_, -1);
        pidfd_ = std::move(other.pidfd_);
        status_ = std::move(other.status_);
    }
    return *this;
}

void ChildProcess::kill() {
    if (pid_ <= 0 || status_) return;
    // The whole session: the worker cannot fork, but a constructor might have tried before the
    // load filter; and the pid itself, in case it left its group.
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
}

std::optional<int> ChildProcess::wait_for(double seconds) {
    if (status_ || pid_ <= 0) return status_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) return status_ = status;
        if (r < 0 && errno != EINTR) return status_ = 0;  // not ours any more: nothing to reap
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return std::nullopt;
        if (pidfd_) {
            pollfd p{pidfd_.get(), POLLIN, 0};
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count();
            ::poll(&p, 1, static_cast<int>(std::max<long long>(1, ms)));
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
}

int ChildProcess::kill_and_wait() {
    if (!status_ && pid_ > 0) {
        kill();
        int status = 0;
        pid_t r;
        do r = ::waitpid(pid_, &status, 0);
        while (r < 0 && errno == EINTR);
        status_ = r == pid_ ? status : 0;
    }
    return status_.value_or(0);
}

namespace {

struct Pipe {
    UniqueFd read, write;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("cannot create a pipe for the worker");
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void set_nonblocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// What the child writes to the status pipe when it cannot set up its user namespace: the parent
// then starts it again without namespaces.
constexpr int kNamespaceSetupFailed = -1;

// The user namespace's maps: root inside is the grader's own user outside, and nothing else is
// mapped. Written by the child itself before exec (a process may map its own ids into a namespace
// it created), so that the exec'd worker is root inside with the capabilities it needs to build
// its root, which it then drops.
struct IdMaps {
    char uid[64];
    char gid[64];
};

// In the child: async-signal-safe system calls only.
bool write_file(const char* path, const char* text) {
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    std::size_t len = 0;
    while (text[len]) ++len;
    const bool ok = ::write(fd, text, len) == static_cast<ssize_t>(len);
    ::close(fd);
    return ok;
}

// In the child, between fork and exec: async-signal-safe calls only, no allocation, no throw.
[[noreturn]] void exec_child(const int sources[5], const char* exe, char* const argv[],
                             char* const envp[], pid_t grader, const IdMaps* maps) {
    const int status_fd = 6;
    auto fail = [&](int error) {
        [[maybe_unused]] auto n = ::write(sources[4], &error, sizeof error);
        ::_exit(127);
    };
    // The grader is not dumpable, and the kernel gives the /proc files of a process that is not
    // to root: the child could not open its own maps. It is made dumpable again here, a few
    // system calls before the exec that would do the same.
    if (maps) ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    if (maps && (!write_file("/proc/self/setgroups", "deny") ||
                 !write_file("/proc/self/uid_map", maps->uid) ||
                 !write_file("/proc/self/gid_map", maps->gid)))
        fail(kNamespaceSetupFailed);
    ::setsid();  // its own session: kill(0, …) from the worker cannot reach the grader
    // A grader killed outright (kill -9, the OOM killer) takes its workers with it: nothing else
    // would stop one that spins or sleeps. The grader may have died before this line ran; in a
    // PID namespace of its own the child cannot see its parent (getppid() is 0), and a worker
    // whose grader is gone reads the end of its request channel and exits.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::getppid() != grader && ::getppid() != 0) ::_exit(127);
    int high[5];
    for (int i = 0; i < 5; ++i) high[i] = ::fcntl(sources[i], F_DUPFD_CLOEXEC, 10);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) {
        ::dup2(null, 0);
        if (null != 0) ::close(null);
    } else {
        ::close(0);
    }
    ::dup2(high[0], 1);
    ::dup2(high[0], 2);
    ::dup2(high[1], protocol::kRequestFd);
    ::dup2(high[2], protocol::kReplyFd);
    ::dup2(high[3], protocol::kSharedFd);
    ::dup3(high[4], status_fd, O_CLOEXEC);  // closed by a successful exec
    if (::syscall(SYS_close_range, status_fd + 1, ~0u, 0) != 0) {
        for (int fd = status_fd + 1; fd < 65536; ++fd) ::close(fd);
    }
    // Default dispositions before the mask opens: sharing the grader's memory, the child must
    // never run one of the grader's handlers.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(exe, argv, envp);
    const int error = errno;
    [[maybe_unused]] auto n = ::write(status_fd, &error, sizeof error);
    ::_exit(127);
}

struct ChildArgs {
    const int* sources;
    const char* exe;
    char* const* argv;
    char* const* envp;
    pid_t grader;
    const IdMaps* maps;
};

int child_entry(void* p) {
    const auto* a = static_cast<const ChildArgs*>(p);
    exec_child(a->sources, a->exe, a->argv, a->envp, a->grader, a->maps);
}

// Where a child that shares the grader's memory runs until its exec: a few system calls deep,
// above an inaccessible page, so that even an overflow could not write into the grader.
constexpr std::size_t kChildStack = 64 * 1024;
constexpr std::size_t kChildGuard = 4096;

// Starts the child that execs the worker. Without a user namespace it shares the grader's
// memory until the exec, as posix_spawn does: nothing of the grader's address space is copied
// and then thrown away by the exec, and the grader takes no copy-on-write fault afterwards on
// every page it writes (about 900 per submission graded, measured with getrusage). The grader
// waits (CLONE_VFORK) until the exec or the child's end. With a user namespace the child must
// make itself dumpable to write its own maps, and dumpability belongs to the memory: it would
// make the grader readable too, so that child gets a copy, as after fork. So does a sanitized
// build, whose instrumented child would mark the shared stack in the sanitizer's shadow.
pid_t clone_child(unsigned long flags, ChildArgs& args) {
#ifdef GRADER_SANITIZED
    const bool share = false;
#else
    const bool share = args.maps == nullptr;
#endif
    if (!share)
        return static_cast<pid_t>(
            ::syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, 0));
    Mapping stack = Mapping::map(kChildGuard + kChildStack, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1);
    if (!stack || ::mprotect(stack.data(), kChildGuard, PROT_NONE) != 0) return -1;
    // No handler of the grader's may run on the child's stack before it resets them.
    sigset_t all, old;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &old);
    const pid_t pid = ::clone(child_entry, stack.data() + kChildGuard + kChildStack,
                              static_cast<int>(flags | CLONE_VM | CLONE_VFORK | SIGCHLD), &args);
    const int error = errno;
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = error;
    return pid;
}

// Namespaces the kernel refused once are not tried again by this grader: each try costs a clone.
std::atomic<bool> g_namespaces_refused{false};
std::mutex g_refusal_mutex;
std::string g_refusal;  // why, for every report

std::uint32_t wanted_namespaces() {
    std::uint32_t set = kMountNs | kPidNs | kNetNs | kIpcNs;
    // As root the worker drops to nobody; unprivileged, a user namespace is what lets it build a
    // root of its own.
    if (::geteuid() != 0) set |= kUserNs;
    return set;
}

unsigned long clone_flags(std::uint32_t set) {
    unsigned long flags = 0;
    if (set & kUserNs) flags |= CLONE_NEWUSER;
    if (set & kMountNs) flags |= CLONE_NEWNS;
    if (set & kPidNs) flags |= CLONE_NEWPID;
    if (set & kNetNs) flags |= CLONE_NEWNET;
    if (set & kIpcNs) flags |= CLONE_NEWIPC;
    return flags;
}

void refuse_namespaces(const std::string& why) {
    std::lock_guard lock(g_refusal_mutex);
    if (!g_namespaces_refused.exchange(true)) g_refusal = why;
}

}  // namespace

std::string namespace_refusal() {
    std::lock_guard lock(g_refusal_mutex);
    return g_refusal;
}

WorkerProcess spawn_worker(const std::string& worker_exe) {
    for (;;) {
        const std::uint32_t set = g_namespaces_refused ? 0 : wanted_namespaces();
        Pipe output = make_pipe(), request = make_pipe(), reply = make_pipe(),
             exec_status = make_pipe();
        UniqueFd memfd(::memfd_create("grader-worker-state", MFD_CLOEXEC));
        if (!memfd || ::ftruncate(memfd.get(), kSharedSize) != 0)
            throw_errno("cannot create the worker's shared state");
        Mapping shared = Mapping::map(kSharedSize, PROT_READ | PROT_WRITE, MAP_SHARED, memfd.get());
        if (!shared) throw_errno("cannot map the worker's shared state");

        // Everything the child needs is built before fork: it may not allocate.
        std::string command = kWorkerCommand;
        char* argv[] = {const_cast<char*>(worker_exe.c_str()), command.data(), nullptr};
        // The C library's AVX-512 string functions write a short tail with one masked 64-byte
        // store; against a guard page (every guarded block ends at one) the processor takes a
        // microcode assist for the masked-out bytes, and a malloc/free pair with a small memset
        // cost 138 ns instead of 34 (build/bin/bench_heap). Without AVX-512VL and BW, and told
        // to prefer no AVX-512 (else it picks variants that skip vzeroupper, and the SSE code
        // after them runs several times slower), the C library uses its AVX2 string functions,
        // which store without masks. Nothing else changes: the submission's own code, compiled
        // for any instruction set, runs as it was built.
        std::string tunables = std::string("GLIBC_TUNABLES=") + kWorkerTunables;
#ifdef GRADER_SANITIZED
        // The worker's own fault handlers must see SIGSEGV & co., and RLIMIT_AS is not applied.
        std::string asan =
            "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_abort=0:handle_sigfpe=0:"
            "handle_sigill=0:detect_leaks=0:allocator_may_return_null=1";
        std::string ubsan =
            "UBSAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_abort=0:handle_sigfpe=0:"
            "handle_sigill=0:print_stacktrace=1";
        char* envp[] = {asan.data(), ubsan.data(), tunables.data(), nullptr};
#else
        // Nothing of the grader's environment (tokens, paths) reaches it; only this setting.
        char* envp[] = {tunables.data(), nullptr};
#endif
        const int sources[5] = {output.write.get(), request.read.get(), reply.write.get(),
                                memfd.get(), exec_status.write.get()};
        IdMaps maps{};
        std::snprintf(maps.uid, sizeof maps.uid, "0 %u 1\n", static_cast<unsigned>(::geteuid()));
        std::snprintf(maps.gid, sizeof maps.gid, "0 %u 1\n", static_cast<unsigned>(::getegid()));

        // clone rather than fork: the namespaces are the child's from its first instruction. The
        // child only makes system calls.
        ChildArgs args{sources, worker_exe.c_str(), argv,
                       envp,    ::getpid(),         (set & kUserNs) ? &maps : nullptr};
        const pid_t pid = clone_child(clone_flags(set), args);
        if (pid < 0 && set != 0 &&
            (errno == EPERM || errno == EINVAL || errno == ENOSPC || errno == EUSERS ||
             errno == ENOSYS)) {
            refuse_namespaces(std::string("the kernel refused new namespaces for the worker (") +
                              std::strerror(errno) + ")");
            continue;
        }
        if (pid < 0) throw_errno("cannot start a worker process");
        if (pid == 0) child_entry(&args);  // the copied child, after fork's fashion

        WorkerProcess worker;
        worker.process = ChildProcess(pid);
        worker.namespaces = set;
        exec_status.write.reset();
        int error = 0;
        ssize_t n;
        do n = ::read(exec_status.read.get(), &error, sizeof error);
        while (n < 0 && errno == EINTR);
        if (n == static_cast<ssize_t>(sizeof error)) {
            worker.process.kill_and_wait();
            if (error == kNamespaceSetupFailed) {
                refuse_namespaces(
                    "the kernel refused to map the grader's user into the worker's user "
                    "namespace");
                continue;
            }
            errno = error;
            throw_errno("cannot execute the worker " + worker_exe);
        }
        worker.request = std::move(request.write);
        worker.reply = std::move(reply.read);
        worker.output = std::move(output.read);
        worker.shared = std::move(shared);
        set_nonblocking(worker.request.get());
        set_nonblocking(worker.reply.get());
        set_nonblocking(worker.output.get());
        return worker;
    }
}

}  // namespace grader::sandbox
