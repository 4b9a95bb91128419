#include "grader/sandbox/verdict.hpp"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>

#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/seccomp_filter.hpp"

namespace grader::sandbox {

FaultRecord read_record(const SharedState& s) {
    FaultRecord r;
    const std::uint32_t fault = s.fault.load(std::memory_order_acquire);
    r.fault = fault <= static_cast<std::uint32_t>(Fault::HeapUnderrun) ? static_cast<Fault>(fault)
                                                                       : Fault::None;
    r.signal = s.signal;
    r.param = s.param;
    r.syscall = s.syscall;
    r.arch = s.arch;
    r.write_access = s.write_access;
    r.vm_bytes = s.vm_bytes;
    r.block_bytes = s.block_bytes;
    r.free_target = s.free_target <= static_cast<std::uint32_t>(FreeTarget::Block)
                        ? static_cast<FreeTarget>(s.free_target)
                        : FreeTarget::Unknown;
    r.via_realloc = s.via_realloc == 1;
    return r;
}

std::string describe_signal(int sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    const char* text = ::sigdescr_np(sig);
    if (!abbrev) return "signal " + std::to_string(sig);
    std::string out = std::string("SIG") + abbrev;
    if (text) {
        std::string d = text;
        if (!d.empty()) d[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(d[0])));
        out += " (" + d + ")";
    }
    return out;
}

std::string seconds_text(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", seconds);
    return buf;
}

std::string memory_text(std::uint64_t bytes) {
    return std::to_string(bytes >> 20) + " MiB";
}

namespace {

// The record is believed only if the worker ended the way the handler ends it, and what it
// names fits the call.
bool record_fits(const Death& d) {
    if (d.record.fault == Fault::None || !WIFEXITED(d.wait_status)) return false;
    if (d.record.fault == Fault::Tampered)
        return WEXITSTATUS(d.wait_status) == protocol::kTamperedExit;
    return WEXITSTATUS(d.wait_status) == 128 + d.record.signal;
}

std::string resource_name(int resource) {
    switch (resource) {
        case RLIMIT_AS:
            return "address space (RLIMIT_AS)";
        case RLIMIT_CPU:
            return "CPU time (RLIMIT_CPU)";
        case RLIMIT_NOFILE:
            return "open files (RLIMIT_NOFILE)";
        case RLIMIT_FSIZE:
            return "file size (RLIMIT_FSIZE)";
        case RLIMIT_CORE:
            return "core dumps (RLIMIT_CORE)";
        case RLIMIT_NPROC:
            return "processes (RLIMIT_NPROC)";
        default:
            return "resource " + std::to_string(resource);
    }
}

// The sentence for what the worker's check after a call found.
std::string tampering(const FaultRecord& r) {
    switch (static_cast<Tamper>(r.param)) {
        case Tamper::RequestChannel:
        case Tamper::ReplyChannel:
            return "closed or replaced descriptor " + std::to_string(r.syscall) +
                   ", the worker's channel to the grader";
        case Tamper::Handler:
            return "replaced the worker's handler for " + describe_signal(r.syscall) +
                   ", which reports crashes";
        case Tamper::Mask:
            return "left " + describe_signal(r.syscall) +
                   " blocked, which the worker needs to report crashes";
        case Tamper::AltStack:
            return "changed the signal stack the worker reports stack overflows on";
        case Tamper::Limit:
            return "changed the worker's limit on " + resource_name(r.syscall);
    }
    return "changed the worker's state";
}

const abi::Param* array_param(const abi::Signature& sig, int index, bool input) {
    if (index < 0 || static_cast<std::size_t>(index) >= sig.params.size()) return nullptr;
    const abi::Param& p = sig.params[static_cast<std::size_t>(index)];
    if (input ? !p.is_input_array() : !p.is_output()) return nullptr;
    return &p;
}

std::string length_of(const Call& call, int index, bool input) {
    const Arg& a = call.args[static_cast<std::size_t>(index)];
    return std::to_string(input ? a.values.size() : a.length);
}

// "a block of 80 bytes the function allocated".
std::string block_text(std::uint64_t bytes) {
    return "a block of " + std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes") +
           " the function allocated";
}

// Why a pointer handed to free() or realloc() was not one malloc returned.
std::string bad_free_text(const FaultRecord& r, const abi::Signature& sig) {
    const std::string verb = r.via_realloc ? "passed realloc a pointer" : "freed a pointer";
    const std::string what = verb + " that malloc did not return";
    switch (r.free_target) {
        case FreeTarget::Stack:
            return what + " (it points into the function's own stack)";
        case FreeTarget::Array:
            if (r.param >= 0 && static_cast<std::size_t>(r.param) < sig.params.size()) {
                const abi::Param& p = sig.params[static_cast<std::size_t>(r.param)];
                return what + " (it points into " + (p.is_input_array() ? "input" : "output") +
                       " '" + p.name + "')";
            }
            return what + " (it points into an array the grader passed)";
        case FreeTarget::Block:
            return what + " (it points into the middle of " + block_text(r.block_bytes) + ")";
        case FreeTarget::Unknown:
            break;
    }
    return r.via_realloc ? what + ", or a block already freed (realloc() failed on it)"
                         : what + ", or freed a block twice (free() failed on it)";
}

CallResult result(Status status, std::string detail) {
    CallResult r;
    r.status = status;
    r.detail = std::move(detail);
    return r;
}

}  // namespace

CallResult call_verdict(const Death& d, const abi::Signature& sig, const Call& call,
                        double wall_limit, double cpu_limit, const Limits& limits) {
    const std::string cpu = "exceeded the " + seconds_text(cpu_limit) + " CPU time limit";
    const std::string memory = "ran out of memory (limit " + memory_text(limits.memory_bytes) + ")";
    if (record_fits(d)) {
        const FaultRecord& r = d.record;
        switch (r.fault) {
            case Fault::OutputOverrun:
                if (const abi::Param* p = array_param(sig, r.param, false)) {
                    const std::string where = "past the end of output '" + p->name +
                                              "' (n = " + length_of(call, r.param, false) + ")";
                    if (r.write_access == 0) return result(Status::Crash, "read " + where);
                    return result(Status::Overflow, "wrote " + where);
                }
                break;
            case Fault::InputWrite:
                if (const abi::Param* p = array_param(sig, r.param, true))
                    return result(Status::Crash, "wrote into the const input '" + p->name + "'");
                break;
            case Fault::InputOverrun:
                if (const abi::Param* p = array_param(sig, r.param, true))
                    return result(Status::Crash,
                                  std::string(r.write_access == 1 ? "wrote" : "read") +
                                      " past the end of input '" + p->name +
                                      "' (n = " + length_of(call, r.param, true) + ")");
                break;
            case Fault::Memory:
                return result(Status::Memory, memory);
            case Fault::Syscall:
                return result(Status::Forbidden,
                              "the sandbox refused " + refused_call(r.arch, r.syscall));
            case Fault::CpuLimit:
                return result(Status::Timeout, cpu);
            case Fault::FileSize:
                return result(Status::Forbidden, "wrote to a file");
            case Fault::Tampered:
                return result(Status::Forbidden, "it " + tampering(r));
            case Fault::HeapOverrun: {
                const std::string where = "past the end of " + block_text(r.block_bytes);
                if (r.write_access == 0) return result(Status::Crash, "read " + where);
                return result(Status::Overflow, "wrote " + where);
            }
            case Fault::HeapUnderrun:
                return result(Status::Overflow,
                              "wrote before the start of " + block_text(r.block_bytes));
            case Fault::DoubleFree:
                return result(
                    Status::Crash,
                    std::string(r.via_realloc ? "passed realloc a block it had already freed"
                                              : "freed a block twice") +
                        " (" + block_text(r.block_bytes) + ")");
            case Fault::BadFree:
                return result(Status::Crash, bad_free_text(r, sig));
            case Fault::Signal:
                return result(Status::Crash, describe_signal(r.signal));
            case Fault::None:
                break;
        }
    }
    if (d.killed_by_grader)
        return result(Status::Timeout, "exceeded the " + seconds_text(wall_limit) + " time limit");
    if (WIFSIGNALED(d.wait_status)) {
        const int signo = WTERMSIG(d.wait_status);
        if (signo == SIGSYS) return result(Status::Forbidden, "the sandbox refused a system call");
        if (signo == SIGXCPU) return result(Status::Timeout, cpu);
        if (signo == SIGXFSZ) return result(Status::Forbidden, "wrote to a file");
        return result(Status::Crash, describe_signal(signo));
    }
    if (WIFEXITED(d.wait_status)) {
        const int code = WEXITSTATUS(d.wait_status);
        if (d.fatal_message)
            return result(Status::Error, "the worker failed during the call: " + *d.fatal_message);
        if (code > 128 && code < 128 + NSIG)  // the handler's status without a record that fits
            return result(Status::Crash, describe_signal(code - 128));
        // The worker's own status once its descriptors are gone; a library calling exit(75)
        // itself would be misnamed here, but it gets the same verdict.
        if (code == protocol::kChannelLostExit)
            return result(Status::Error, "the library closed the worker's channel to the grader");
        return result(Status::Error, "the library exited with status " + std::to_string(code) +
                                         " during the call");
    }
    return result(Status::Error, "the worker ended during the call");
}

std::string idle_death(const Death& d) {
    if (d.fatal_message) return "the worker failed: " + *d.fatal_message;
    if (record_fits(d)) {
        if (d.record.fault == Fault::Syscall)
            return "the sandbox refused " + refused_call(d.record.arch, d.record.syscall);
        if (d.record.fault == Fault::Tampered) return "the library " + tampering(d.record);
        return describe_signal(d.record.signal);
    }
    if (WIFSIGNALED(d.wait_status)) return describe_signal(WTERMSIG(d.wait_status));
    if (WIFEXITED(d.wait_status)) {
        if (WEXITSTATUS(d.wait_status) == protocol::kChannelLostExit)
            return "the library closed the worker's channel to the grader";
        return "the worker exited with status " + std::to_string(WEXITSTATUS(d.wait_status));
    }
    return "the worker ended";
}

std::string load_failure(const Death& d, double load_seconds, const Limits& limits) {
    if (d.killed_by_grader)
        return "the library did not finish loading within " + seconds_text(load_seconds) +
               " (does a constructor never return?)";
    if (record_fits(d)) {
        const FaultRecord& r = d.record;
        switch (r.fault) {
            case Fault::Syscall:
                return "while loading (in a constructor or an IFUNC resolver), the library made " +
                       refused_call(r.arch, r.syscall) + ", which the sandbox forbids";
            case Fault::Memory:
                return "the library's constructor ran out of memory (limit " +
                       memory_text(limits.memory_bytes) + ")";
            case Fault::CpuLimit:
                return "the library's constructor used too much CPU time";
            case Fault::FileSize:
                return "the library's constructor wrote to a file, which the sandbox forbids";
            default:
                return "the library's constructor crashed (" + describe_signal(r.signal) + ")";
        }
    }
    if (WIFSIGNALED(d.wait_status))
        return "the library's constructor crashed (" + describe_signal(WTERMSIG(d.wait_status)) +
               ")";
    if (d.fatal_message) return "the worker failed while loading the library: " + *d.fatal_message;
    if (WIFEXITED(d.wait_status))
        return "the library's constructor ended the process with exit status " +
               std::to_string(WEXITSTATUS(d.wait_status)) + " while loading";
    return "the worker ended while loading the library";
}

}  // namespace grader::sandbox
