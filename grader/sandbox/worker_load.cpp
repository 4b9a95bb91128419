#include "grader/sandbox/worker_load.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/landlock.hpp"
#include "grader/sandbox/limits.hpp"
#include "grader/sandbox/seccomp_filter.hpp"
#include "grader/sandbox/unique_fd.hpp"

namespace grader::sandbox::worker {

namespace {

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

// nobody cannot reopen /proc/self/fd/N of a file it may not read (the reopen checks the file's
// mode). As root, such a file is copied into a memfd, which anyone may open.
UniqueFd readable_copy(int fd, std::string& error) {
    UniqueFd copy(::memfd_create("submission", MFD_CLOEXEC));
    if (!copy) {
        error = errno_text("cannot copy the library for the unprivileged worker");
        return {};
    }
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0 || ::write(copy.get(), buf, static_cast<std::size_t>(n)) != n) {
            error = errno_text("cannot copy the library for the unprivileged worker");
            return {};
        }
    }
    return copy;
}

// Threads started by constructors would run outside Landlock (it restricts one thread and its
// later children), so a library that starts threads while loading is refused.
int thread_count() {
    UniqueFd fd(::open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
    char buf[1024];
    const ssize_t n = fd ? ::read(fd.get(), buf, sizeof buf - 1) : -1;
    if (n <= 0) return -1;
    buf[n] = '\0';
    const char* p = std::strrchr(buf, ')');  // the command name may contain spaces
    // Fields after ')' start at 3 (state); num_threads is field 20.
    for (int field = 2; p && field < 20; ++field) p = std::strchr(p + 1, ' ');
    return p ? std::atoi(p + 1) : -1;
}

// dlerror() names the file by its /proc/self/fd path: say the library instead, as a sentence.
std::string load_error_sentence(std::string message, const std::string& fd_path) {
    if (message.rfind(fd_path + ": ", 0) == 0) message.erase(0, fd_path.size() + 2);
    const std::string undefined = "undefined symbol: ";
    if (const auto at = message.find(undefined); at != std::string::npos) {
        std::string symbol = message.substr(at + undefined.size());
        if (const auto end = symbol.find_first_of(" \t("); end != std::string::npos)
            symbol.erase(end);
        return "the library uses the symbol `" + symbol +
               "`, which neither it nor the system libraries define (undefined symbol)";
    }
    return "the library cannot be loaded: " + message;
}

}  // namespace

std::vector<abi::FunctionPointer> load_submission(const protocol::Hello& hello, SharedState& shared,
                                                  protocol::Loaded& loaded) {
    std::vector<abi::FunctionPointer> functions(hello.functions.size(), nullptr);
    loaded.present.assign(hello.functions.size(), false);
    SandboxReport report;
    const bool root = ::geteuid() == 0;

    // Limits come first: the library's constructors run under them.
    apply_rlimits(hello.memory_bytes, hello.open_files, hello.cpu_seconds, root, report);
    // Opened before the file system closes: the fault handler reads it to tell Memory from Crash.
    const int statm = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
#ifdef GRADER_SANITIZED
    install_fault_handlers(&shared, statm, 0);
#else
    install_fault_handlers(&shared, statm, hello.memory_bytes);
#endif

    auto finish = [&](std::optional<std::string> error) {
        loaded.error = std::move(error);
        loaded.layers = std::move(report.layers);
        loaded.warnings = std::move(report.warnings);
        if (loaded.error) {
            functions.assign(functions.size(), nullptr);
            loaded.present.assign(loaded.present.size(), false);
        }
        return functions;
    };

    // Opened while still privileged; loaded from this descriptor after the drop.
    UniqueFd library(::open(hello.library.c_str(), O_RDONLY | O_CLOEXEC));
    if (!library) return finish(errno_text("cannot open " + hello.library));
    if (root) {
        struct stat st {};
        if (::fstat(library.get(), &st) == 0 && !(st.st_mode & S_IROTH)) {
            std::string error;
            library = readable_copy(library.get(), error);
            if (!library) return finish(error);
        }
        if (!drop_privileges(report))
            return finish(
                "the worker could not give up root privileges, so the library was not loaded");
    }
    restrict_process(report);
    const bool load_filter = install_load_filter(report);

    const std::string fd_path = "/proc/self/fd/" + std::to_string(library.get());
    shared.phase.store(static_cast<std::uint32_t>(Phase::Loading));
    void* handle = ::dlopen(fd_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        return finish(load_error_sentence(why ? why : "unknown error", fd_path));
    }
    library.reset();  // mapped now; a descriptor left open would be one more thing to write to
    for (std::size_t i = 0; i < hello.functions.size(); ++i) {
        ::dlerror();
        void* symbol = ::dlsym(handle, hello.functions[i].name.c_str());
        if (symbol) {
            functions[i] = reinterpret_cast<abi::FunctionPointer>(symbol);
            loaded.present[i] = true;
        }
    }
    if (thread_count() > 1)
        return finish(
            "the library started a thread while loading (in a constructor), which the "
            "sandbox does not allow; start threads inside the functions instead");

    // Constructors may have installed their own handlers for the signals the verdicts rely on.
    reinstall_fault_handlers();
    apply_landlock(report);
    if (install_call_filter(report) && !load_filter) {
        report.layers.pop_back();  // half a seccomp layer is not the layer
    }
    return finish(std::nullopt);
}

}  // namespace grader::sandbox::worker
