#include "grader/sandbox/worker_load.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/landlock.hpp"
#include "grader/sandbox/limits.hpp"
#include "grader/sandbox/namespaces.hpp"
#include "grader/sandbox/seccomp_install.hpp"
#include "grader/sandbox/unique_fd.hpp"
#include "grader/sandbox/worker_root.hpp"

namespace grader::sandbox::worker {

namespace {

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

// The submission is loaded from a copy the worker made, never from the instructor's file: in
// memory when the worker has no root of its own (nobody could not reopen /proc/self/fd/N of a
// file it may not read, and a descriptor to the original would outlive loading).
UniqueFd memory_copy(int fd, std::string& error) {
    UniqueFd copy(::memfd_create("submission", MFD_CLOEXEC));
    if (!copy) {
        error = errno_text("cannot copy the library for the worker");
        return {};
    }
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0 || ::write(copy.get(), buf, static_cast<std::size_t>(n)) != n) {
            error = errno_text("cannot copy the library for the worker");
            return {};
        }
    }
    return copy;
}

// Threads started by constructors would run outside the second Landlock ruleset (it restricts
// one thread and its later children), so a library that starts threads while loading is refused.
// `stat` is /proc/self/stat, opened before the worker left the machine's /proc behind.
int thread_count(int stat) {
    char buf[1024];
    const ssize_t n = stat >= 0 ? ::pread(stat, buf, sizeof buf - 1, 0) : -1;
    if (n <= 0) return -1;
    buf[n] = '\0';
    const char* p = std::strrchr(buf, ')');  // the command name may contain spaces
    // Fields after ')' start at 3 (state); num_threads is field 20.
    for (int field = 2; p && field < 20; ++field) p = std::strchr(p + 1, ' ');
    return p ? std::atoi(p + 1) : -1;
}

// dlerror() names the file by the path the worker loaded it from (its copy): say the library
// as the user named it instead, as a sentence.
std::string load_error_sentence(std::string message, const std::string& path,
                                const std::string& library) {
    if (message.rfind(path + ": ", 0) == 0) message.erase(0, path.size() + 2);
    for (auto at = message.find(path); at != std::string::npos;
         at = message.find(path, at + library.size()))
        message.replace(at, path.size(), library);
    // The grader checked the library's own glibc needs before the worker started; this is what
    // is left: a library it links (libstdc++, ...) older here than where it was built.
    const std::string version = "version `";
    if (const auto at = message.find(version); at != std::string::npos) {
        const auto end = message.find("' not found", at);
        if (end != std::string::npos) {
            std::string needed = message.substr(at + version.size(), end - at - version.size());
            std::string from = message.substr(0, message.rfind(':', at));
            if (const auto slash = from.rfind('/'); slash != std::string::npos)
                from.erase(0, slash + 1);
            return "the library needs version " + needed + " of " + from +
                   ", which this machine's " + from +
                   " does not have: it was built on a newer system than the one grading it. "
                   "Build it in the course's CI or container, or on an older system";
        }
    }
    const std::string undefined = "undefined symbol: ";
    if (const auto at = message.find(undefined); at != std::string::npos) {
        std::string symbol = message.substr(at + undefined.size());
        if (const auto end = symbol.find_first_of(" \t("); end != std::string::npos)
            symbol.erase(end);
        return "the library uses the symbol `" + symbol +
               "`, which neither it nor the system libraries define (undefined symbol)";
    }
    const std::string missing = ": cannot open shared object file";
    if (const auto at = message.find(missing); at != std::string::npos)
        return "the library needs " + message.substr(0, at) +
               ", which is not among the system libraries the worker can load (only the "
               "machine's library directories are there); link that library statically or put "
               "its code into your own";
    return "the library cannot be loaded: " + message;
}

// Every descriptor but the ones in `keep` is closed: a constructor finds no open file of the
// grader's to read or write through.
void close_all_but(std::vector<int> keep) {
    std::sort(keep.begin(), keep.end());
    int from = 0;
    for (const int fd : keep) {
        if (fd < 0) continue;
        if (fd > from) ::syscall(SYS_close_range, from, fd - 1, 0);
        from = std::max(from, fd + 1);
    }
    ::syscall(SYS_close_range, from, ~0u, 0);
}

}  // namespace

std::vector<abi::FunctionPointer> load_submission(const protocol::Hello& hello, SharedState& shared,
                                                  protocol::Loaded& loaded) {
    std::vector<abi::FunctionPointer> functions(hello.functions.size(), nullptr);
    loaded.present.assign(hello.functions.size(), false);
    SandboxReport report;
    // In a user namespace the worker is root of that namespace only; nobody is not mapped there.
    const bool userns = (hello.namespaces & kUserNs) != 0;
    const bool root = !userns && ::geteuid() == 0;

    // Opened while the machine's /proc is still in view: the fault handler reads statm to tell
    // Memory from Crash, the load check reads stat to count threads.
    const int statm = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    const int stat = ::open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
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

    // Opened while still privileged, then copied: the worker loads its own copy.
    UniqueFd original(::open(hello.library.c_str(), O_RDONLY | O_CLOEXEC));
    if (!original) return finish(errno_text("cannot open " + hello.library));

    for (const std::string& layer : namespace_layers(hello.namespaces & ~kMountNs))
        report.layers.push_back(layer);
    std::string path;  // what dlopen is given
    std::vector<std::string> readable;
    UniqueFd copy;
    std::string why;
    if ((hello.namespaces & kMountNs) && enter_own_root(original.get(), hello.hidden, why)) {
        report.layers.push_back("mountns");
        path = kRootLibrary;
        readable = {"/"};  // the worker's root holds only what loading needs
    } else {
        if (hello.namespaces & kMountNs)
            report.warnings.push_back("mountns: the worker could not build a root of its own (" +
                                      why + "), so Landlock alone keeps the files out of reach");
        copy = memory_copy(original.get(), why);
        if (!copy) return finish(why);
        path = "/proc/self/fd/" + std::to_string(copy.get());
        for (const char* const* d = kLibraryDirs; *d; ++d) readable.emplace_back(*d);
        readable.emplace_back(kLoaderCache);
    }
    original.reset();

    // Limits come after the copy (the file size limit is 0) and before any code of the library.
    apply_rlimits(hello.memory_bytes, hello.open_files, hello.cpu_seconds, root, report);
    if (root && !drop_privileges(report))
        return finish(
            "the worker could not give up root privileges, so the library was not loaded");
    if (userns && !drop_capabilities(report))
        return finish(
            "the worker could not give up its capabilities, so the library was not loaded");
    restrict_process(report);
    const bool landlocked = apply_landlock_for_loading(readable, report);
    close_all_but({0, 1, 2, protocol::kRequestFd, protocol::kReplyFd, statm, stat, copy.get()});
    for (const std::string& w : hello.filter_warnings) report.warnings.push_back(w);
    const bool load_filter = install_filter(hello.load_filter, "load", report);

    // From here on, the library's code runs: its constructors, its IFUNC resolvers, and those of
    // the libraries it links, all inside everything above.
    shared.phase.store(static_cast<std::uint32_t>(Phase::Loading));
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* error = ::dlerror();
        return finish(load_error_sentence(error ? error : "unknown error", path, hello.library));
    }
    copy.reset();  // mapped now; a descriptor left open would be one more thing to read
    for (std::size_t i = 0; i < hello.functions.size(); ++i) {
        ::dlerror();
        void* symbol = ::dlsym(handle, hello.functions[i].name.c_str());
        if (symbol) {
            functions[i] = reinterpret_cast<abi::FunctionPointer>(symbol);
            loaded.present[i] = true;
        }
    }
    if (thread_count(stat) > 1)
        return finish(
            "the library started a thread while loading (in a constructor), which the "
            "sandbox does not allow; start threads inside the functions instead");

    // Constructors may have installed their own handlers for the signals the verdicts rely on.
    reinstall_fault_handlers();
    if (landlocked) apply_landlock(report);
    // Half a seccomp layer is not the layer.
    if (install_filter(hello.call_filter, "call", report) && load_filter)
        report.layers.push_back("seccomp");
    return finish(std::nullopt);
}

}  // namespace grader::sandbox::worker
