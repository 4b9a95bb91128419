#include "grader/sandbox/process_runner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

#include "grader/error.hpp"
#include "grader/sandbox/channel.hpp"
#include "grader/sandbox/child_process.hpp"
#include "grader/sandbox/elf_check.hpp"
#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/seccomp_filter.hpp"
#include "grader/sandbox/verdict.hpp"

namespace grader::sandbox {

namespace {

// A batch is at most this many calls or about this many bytes of request: enough to make the
// round trip negligible (tens of µs against ~1 µs per call), small enough to bound the work a
// crash makes the grader redo and the memory a request holds.
constexpr std::size_t kMaxCallsPerBatch = 256;
constexpr std::size_t kMaxBatchBytes = 4u << 20;

double wall_limit(const Call& call, const Limits& limits) {
    return call.time_limit_seconds > 0 ? call.time_limit_seconds : limits.call_seconds;
}
double cpu_limit(const Call& call, const Limits& limits) {
    return call.time_limit_seconds > 0 ? call.time_limit_seconds : limits.cpu_seconds;
}
std::uint64_t memory_limit(const Call& call, const Limits& limits) {
    return call.memory_bytes > 0 ? call.memory_bytes : limits.memory_bytes;
}
// Loading runs constructors and the dynamic loader; give it more room than one call.
double load_limit(const Limits& limits) {
    return std::max(1.0, 2 * limits.call_seconds);
}

Clock::duration as_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// How often a waiting grader looks at the worker's progress: the precision of the wall limit.
Clock::duration tick_for(double limit) {
    return std::clamp(as_duration(limit / 20), Clock::duration(std::chrono::milliseconds(1)),
                      Clock::duration(std::chrono::milliseconds(20)));
}

CallResult plain(Status status, std::string detail) {
    CallResult r;
    r.status = status;
    r.detail = std::move(detail);
    return r;
}

std::size_t request_bytes(const Call& call) {
    std::size_t bytes = 16 + 8 * call.args.size();
    for (const Arg& a : call.args) bytes += a.values.size() * sizeof(double);
    return bytes;
}

// A Call that does not fit its signature is the grader's own mistake, not the submission's.
void check_call(const Call& call, const std::vector<abi::Signature>& functions) {
    if (call.function >= functions.size())
        throw Error("a call names function #" + std::to_string(call.function) +
                    ", but the runner knows only " + std::to_string(functions.size()) +
                    " functions");
    const abi::Signature& sig = functions[call.function];
    if (call.args.size() != sig.params.size())
        throw Error("a call to " + sig.name + " has " + std::to_string(call.args.size()) +
                    " arguments, but its prototype has " + std::to_string(sig.params.size()));
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const abi::Param& p = sig.params[i];
        const Arg::Kind want = !p.pointer   ? Arg::Kind::Scalar
                               : p.is_const ? Arg::Kind::Input
                                            : Arg::Kind::Output;
        if (call.args[i].kind != want)
            throw Error("argument '" + p.name + "' of a call to " + sig.name + " must be " +
                        (want == Arg::Kind::Scalar  ? "a scalar"
                         : want == Arg::Kind::Input ? "an input array"
                                                    : "an output array"));
    }
}

class ProcessRunner final : public Runner {
  public:
    explicit ProcessRunner(ProcessRunnerConfig config) : config_(std::move(config)) {
        output_budget_.left = config_.limits.output_budget;
    }
    // An idle worker is let go rather than killed: it reads the end of its requests and exits, so
    // its CPU time is accounted to the grader like any child's (bench_isolation counts it), and
    // its init reaps it. One that does not leave at once is killed as before.
    ~ProcessRunner() override {
        if (!live_) return;
        live_->process.request.reset();
        live_->process.process.wait_for(0.1);
    }
    const LoadResult& load() override;
    BatchResult run(std::span<const Call> calls) override;

  private:
    struct Live {
        WorkerProcess process;
        std::unique_ptr<Channel> channel;
        std::uint32_t seq = 0;
        std::size_t calls_done = 0;  // calls it ran to the end, over all its batches
    };

    std::optional<std::string> start(protocol::Loaded& loaded, Capture capture,
                                     std::uint64_t memory_bytes);
    Death bury(bool kill_first, bool& closed_but_alive);
    // Runs the front of `pending` as one batch; removes what it settles from `pending`. Calls
    // marked `solo` run in a batch of their own; calls marked `alone` as well, in a fresh worker.
    void run_chunk(std::span<const Call> calls, std::vector<std::size_t>& pending,
                   std::vector<std::optional<CallResult>>& results, std::vector<bool>& solo,
                   std::vector<bool>& alone);
    CallResult finished(protocol::WireResult&& r, const Call& call) const;

    ProcessRunnerConfig config_;
    std::optional<LoadResult> load_;
    std::vector<std::string> symbols_;
    std::unique_ptr<Live> live_;
    std::optional<std::string> fatal_;
    std::vector<bool> timed_out_;      // per function
    std::vector<bool> broke_channel_;  // per function: garbled or closed the channel on its own
    std::uint64_t live_memory_ = 0;    // the address-space limit the live worker runs under
    // Groups of the current run with a call that failed in its own right: where, and how.
    struct GroupFailure {
        std::size_t at;
        Status status;
    };
    std::map<std::uint32_t, GroupFailure> failed_groups_;
    // Output counted over the runner's life, every worker's: once spent, every worker it starts
    // is told at once to stop printing.
    OutputBudget output_budget_;
};

std::optional<std::string> ProcessRunner::start(protocol::Loaded& loaded, Capture capture,
                                                std::uint64_t memory_bytes) {
    live_.reset();
    auto live = std::make_unique<Live>();
    live->process = spawn_worker(config_.worker_exe);  // throws only if the grader cannot start it
    live_ = std::move(live);
    live_->channel = std::make_unique<Channel>(live_->process);
    if (output_budget_.spent)  // read by the worker once it has the greeting
        reinterpret_cast<SharedState*>(live_->process.shared.data())
            ->silence.store(1, std::memory_order_release);
    live_->channel->set_capture(capture);
    live_->channel->limit_results(0);  // no call asked yet: no result can come
    fatal_.reset();

    live_memory_ = memory_bytes;
    const FilterPrograms& filters = filter_programs();
    const protocol::Hello hello{.library = config_.library,
                                .functions = config_.functions,
                                .memory_bytes = memory_bytes,
                                .open_files = static_cast<std::uint32_t>(config_.limits.open_files),
                                .cpu_seconds = config_.limits.cpu_seconds,
                                .namespaces = live_->process.namespaces,
                                .hidden = config_.hidden,
                                .load_filter = filters.load,
                                .call_filter = filters.call,
                                .filter_warnings = filters.warnings};
    live_->channel->send(protocol::make_frame(protocol::Type::Hello, 0, protocol::encode(hello)));
    const double limit = load_limit(config_.limits);
    const auto deadline = Clock::now() + as_duration(limit);
    protocol::Frame frame;
    std::string why;
    for (;;) {
        const auto event = live_->channel->wait(
            frame, [&] { return deadline; }, std::chrono::milliseconds(50), why);
        if (event == Channel::Event::Frame) {
            if (frame.type == protocol::Type::Fatal) {
                std::string message;
                if (protocol::decode_fatal(frame.payload, message)) fatal_ = message;
                continue;
            }
            if (frame.type == protocol::Type::Loaded && protocol::decode(frame.payload, loaded) &&
                loaded.present.size() == config_.functions.size()) {
                if (!loaded.error) {
                    live_->channel->drain_output();  // what constructors printed
                    live_->channel->set_capture({});
                    return std::nullopt;
                }
                bool ignored = false;
                bury(true, ignored);
                return loaded.error;
            }
            why = "an unexpected reply came instead of the load report";
        }
        bool closed_but_alive = false;
        const bool kill_first = event != Channel::Event::Closed;
        const Death death = bury(kill_first, closed_but_alive);
        if (event == Channel::Event::Frame || event == Channel::Event::Garbled)
            return "the worker's reply was garbled while loading the library (" + why + ")";
        if (closed_but_alive) return "the library closed the worker's reply channel while loading";
        return load_failure(death, limit, config_.limits);
    }
}

Death ProcessRunner::bury(bool kill_first, bool& closed_but_alive) {
    Death death;
    ChildProcess& child = live_->process.process;
    if (kill_first) child.kill();
    // A worker whose reply channel closed is normally exiting; give it a moment to finish.
    std::optional<int> status = child.wait_for(kill_first ? 10.0 : 0.5);
    if (!status) {
        closed_but_alive = !kill_first;
        status = child.kill_and_wait();
    }
    live_->channel->drain_output();
    live_->channel->set_capture({});
    // In a PID namespace the grader's child is the worker's init, which passes on how the worker
    // itself ended (worker_main.cpp).
    const SharedState& state = live_->process.state();
    if (WIFEXITED(*status) && WEXITSTATUS(*status) == protocol::kRelayedExit &&
        state.relayed.load(std::memory_order_acquire) == 1)
        status = state.relayed_status;
    death.wait_status = *status;
    death.killed_by_grader = kill_first;
    death.record = read_record(live_->process.state());
    death.fatal_message = fatal_;
    live_.reset();
    fatal_.reset();
    return death;
}

const LoadResult& ProcessRunner::load() {
    if (load_) return *load_;
    LoadResult result;
    const std::size_t n = config_.functions.size();
    result.present.assign(n, false);
    result.hints.assign(n, "");
    LibraryFile file = inspect_library(config_.library);
    if (file.error) {
        result.error = std::move(file.error);
        return *(load_ = std::move(result));
    }
    symbols_ = std::move(file.dynamic_symbols);

    protocol::Loaded loaded;
    Capture capture{&result.printed, &result.printed_bytes, config_.limits.output_cap,
                    &output_budget_, &result.printed_discarded};
    if (auto error = start(loaded, capture, config_.limits.memory_bytes)) {
        result.error = std::move(error);
        result.layers.clear();
        result.warnings = std::move(loaded.warnings);
        return *(load_ = std::move(result));
    }
    result.present = loaded.present;
    result.layers = {"process"};
    result.layers.insert(result.layers.end(), loaded.layers.begin(), loaded.layers.end());
    result.warnings = std::move(loaded.warnings);
    if (const std::string refused = namespace_refusal(); !refused.empty())
        result.warnings.push_back("namespaces: " + refused +
                                  "; Landlock and seccomp still keep the files out of reach");
    for (std::size_t i = 0; i < n; ++i)
        if (!result.present[i])
            result.hints[i] = extern_c_hint(symbols_, config_.functions[i].name);

    if (config_.limits.require_sandbox) {
        std::vector<std::string> required = {"process", "rlimits",  "no_new_privs",
                                             "seccomp", "landlock", "mountns",
                                             "pidns",   "netns",    "ipcns"};
        // As root the worker becomes nobody; otherwise a user namespace is what lets it have a
        // root of its own.
        required.push_back(::geteuid() == 0 ? "uid-drop" : "userns");
        std::string missing;
        for (const auto& layer : required)
            if (std::find(result.layers.begin(), result.layers.end(), layer) == result.layers.end())
                missing += (missing.empty() ? "" : ", ") + layer;
        if (!missing.empty()) {
            std::string why;
            for (const auto& w : result.warnings) why += "; " + w;
            throw Error("the sandbox is incomplete (missing: " + missing + ")" + why);
        }
    }
    return *(load_ = std::move(result));
}

CallResult ProcessRunner::finished(protocol::WireResult&& r, const Call& call) const {
    CallResult out;
    out.cpu_seconds = r.cpu_seconds;
    out.wall_seconds = r.wall_seconds;
    if (!std::isfinite(r.cpu_seconds) || !std::isfinite(r.wall_seconds) || r.cpu_seconds < 0 ||
        r.wall_seconds < 0) {
        out.status = Status::Error;
        out.detail = "the worker's reply was garbled (impossible timings)";
        return out;
    }
    const double cpu = cpu_limit(call, config_.limits), wall = wall_limit(call, config_.limits);
    if (r.cpu_seconds > cpu) {
        out.status = Status::Timeout;
        out.detail = "exceeded the " + seconds_text(cpu) + " CPU time limit";
    } else if (r.wall_seconds > wall) {
        out.status = Status::Timeout;
        out.detail = "exceeded the " + seconds_text(wall) + " time limit";
    } else {
        out.status = Status::Ok;
        out.result = r.result;
        out.outputs = std::move(r.outputs);
    }
    return out;
}

void ProcessRunner::run_chunk(std::span<const Call> calls, std::vector<std::size_t>& pending,
                              std::vector<std::optional<CallResult>>& results,
                              std::vector<bool>& solo, std::vector<bool>& alone) {
    std::vector<std::size_t> chunk;
    std::size_t bytes = 0;
    for (std::size_t i : pending) {
        const std::size_t b = request_bytes(calls[i]);
        if (!chunk.empty() && (chunk.size() == kMaxCallsPerBatch || bytes + b > kMaxBatchBytes ||
                               solo[i] || solo[chunk.front()] ||
                               memory_limit(calls[i], config_.limits) !=
                                   memory_limit(calls[chunk.front()], config_.limits)))
            break;
        chunk.push_back(i);
        bytes += b;
    }
    std::vector<const Call*> ptrs;
    std::vector<double> cpu_limits;
    for (std::size_t i : chunk) {
        ptrs.push_back(&calls[i]);
        cpu_limits.push_back(cpu_limit(calls[i], config_.limits));
    }
    protocol::Encoder request;
    protocol::encode_batch(request, ptrs, config_.functions, cpu_limits);
    Live& live = *live_;
    const std::uint32_t seq = ++live.seq;
    live.channel->send(protocol::make_frame(protocol::Type::Batch, seq, request.bytes()));

    // Which call runs now: the first without a result, or further on if the worker says so (a
    // hint: bounded by the batch, and never moving backwards).
    const SharedState& state = live.process.state();
    std::size_t received = 0, running = 0;
    auto since = Clock::now();
    auto observe = [&] {
        std::size_t at = received;
        if (state.batch.load(std::memory_order_acquire) == seq) {
            const std::size_t hint = state.index.load(std::memory_order_acquire);
            if (hint < chunk.size()) at = std::max(at, hint);
        }
        at = std::min(at, chunk.size() - 1);
        if (at > running) {
            running = at;
            since = Clock::now();
        }
    };
    auto deadline = [&] {
        observe();
        return since + as_duration(wall_limit(*ptrs[running], config_.limits));
    };

    // Blame by reproduction: a call is given a failure only when it fails as the first call of a
    // fresh worker. Failing later, it may be paying for what an earlier call did to the worker
    // (a corrupted heap, a leak, a spinning thread, a damaged descriptor): it runs again alone
    // in a fresh worker, once, and keeps whatever it does there. The calls after it, and those
    // whose results the death lost, run again in a fresh worker too (a failure there is judged
    // by the same rule), so every call costs at most two workers.
    // An overflow needs no reproduction: the write that faulted (past an output of this call, or
    // past a block the library allocated) was made by the call in flight, whatever state earlier
    // calls left. Run alone it might not happen again (a block kept from an earlier call in a
    // static, overrun in the next one), and the bug would go unpunished.
    const std::size_t calls_before = live.calls_done;
    auto settle_rest = [&](std::size_t blamed, CallResult verdict, bool channel = false) {
        verdict.wall_seconds = std::chrono::duration<double>(Clock::now() - since).count();
        std::vector<std::size_t> rest;
        if (calls_before + blamed == 0 || alone[chunk[blamed]] ||
            verdict.status == Status::Overflow) {
            const Call& call = calls[chunk[blamed]];
            if (channel) broke_channel_[call.function] = true;
            // A time-out stops its function instead (below), and must not stop the group's
            // other functions as if they had run out of time.
            if (call.group && verdict.status != Status::Timeout)
                failed_groups_.try_emplace(call.group, GroupFailure{chunk[blamed], verdict.status});
            results[chunk[blamed]] = std::move(verdict);
        } else {
            alone[chunk[blamed]] = solo[chunk[blamed]] = true;
            rest.push_back(chunk[blamed]);
        }
        for (std::size_t k = received; k < chunk.size(); ++k)
            if (k != blamed) rest.push_back(chunk[k]);
        rest.insert(rest.end(), pending.begin() + static_cast<std::ptrdiff_t>(chunk.size()),
                    pending.end());
        pending = std::move(rest);
    };

    protocol::Frame frame;
    std::vector<protocol::WireResult> wire;
    std::string why;
    live.channel->limit_results(protocol::results_bytes(ptrs, config_.functions, 0));
    for (;;) {
        const auto event = live.channel->wait(
            frame, deadline, tick_for(wall_limit(*ptrs[running], config_.limits)), why);
        if (event == Channel::Event::Frame) {
            if (frame.type == protocol::Type::Results && frame.seq == seq &&
                protocol::decode_results(frame.payload, ptrs, config_.functions, received, wire)) {
                for (auto& r : wire) {
                    results[chunk[received]] = finished(std::move(r), *ptrs[received]);
                    ++received;
                }
                live.channel->limit_results(
                    protocol::results_bytes(ptrs, config_.functions, received));
                observe();
                if (received == chunk.size()) {
                    live.calls_done += chunk.size();
                    pending.erase(pending.begin(),
                                  pending.begin() + static_cast<std::ptrdiff_t>(chunk.size()));
                    return;
                }
                continue;
            }
            std::string message;
            if (frame.type == protocol::Type::Fatal &&
                protocol::decode_fatal(frame.payload, message)) {
                fatal_ = message;
                continue;
            }
            why = "a reply did not match the calls sent";
        }
        observe();
        const std::size_t blamed = running;
        const bool started = received > 0 || state.batch.load() == seq;
        bool closed_but_alive = false;
        const Death death = bury(event != Channel::Event::Closed, closed_but_alive);
        const Call& call = *ptrs[blamed];
        const bool garbled = event == Channel::Event::Frame || event == Channel::Event::Garbled;
        if (!started) {
            // The worker failed before it began this batch: none of its calls ran, so none is to
            // blame (what broke it happened earlier, maybe in a call that returned a right value).
            // A fresh worker runs the same calls; only if a fresh one fails before its first call
            // is the fault the library's as a whole. That bounds the retries at one per batch.
            if (seq > 1) return;
            std::string what = idle_death(death);
            if (garbled)
                what = "its reply was garbled (" + why + ")";
            else if (closed_but_alive)
                what = "the library closed the worker's reply channel";
            else if (event == Channel::Event::Deadline)
                what = "it stopped responding";
            for (std::size_t i : pending)
                results[i] =
                    plain(Status::Error,
                          "the library made a fresh worker fail before it ran any call (" + what +
                              "): the library as a whole is at fault, not this call");
            pending.clear();
            return;
        }
        if (garbled && chunk.size() - received > 1) {
            // Garbage shows up when the grader reads it, maybe calls after the one that wrote it:
            // no call can be blamed. Run the unsettled ones again, one per batch, where the
            // garbage can only belong to the call in flight.
            for (std::size_t k = received; k < chunk.size(); ++k) solo[chunk[k]] = true;
            pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(received));
            return;
        }
        if (garbled)
            settle_rest(blamed,
                        plain(Status::Error, "the worker's reply was garbled (" + why + ")"), true);
        else if (closed_but_alive)
            settle_rest(blamed,
                        plain(Status::Error, "the library closed the worker's reply channel"),
                        true);
        else {
            Limits in_force = config_.limits;
            in_force.memory_bytes = live_memory_;
            settle_rest(blamed, call_verdict(death, config_.functions[call.function], call,
                                             wall_limit(call, config_.limits),
                                             cpu_limit(call, config_.limits), in_force));
        }
        return;
    }
}

BatchResult ProcessRunner::run(std::span<const Call> calls) {
    for (const Call& call : calls) check_call(call, config_.functions);
    BatchResult out;
    out.calls.resize(calls.size());
    const LoadResult& loaded = load();

    std::vector<std::optional<CallResult>> results(calls.size());
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const std::size_t f = calls[i].function;
        if (loaded.error)
            results[i] = plain(Status::Error, "the library could not be loaded");
        else if (!loaded.present[f])
            results[i] = plain(Status::Missing,
                               loaded.hints[f].empty()
                                   ? "the library does not export " + config_.functions[f].name
                                   : loaded.hints[f]);
        else
            pending.push_back(i);
    }

    const Capture capture{&out.printed, &out.printed_bytes, config_.limits.output_cap,
                          &output_budget_, &out.printed_discarded};
    std::vector<bool> solo(calls.size(), false), alone(calls.size(), false);
    // A function that ran out of time once is not run again: an endless loop would otherwise
    // cost its time limit on every one of its calls, and grading one submission would take minutes.
    // Nor is one that broke the worker's channel on its own: each of its calls would cost a worker.
    timed_out_.resize(config_.functions.size(), false);
    broke_channel_.resize(config_.functions.size(), false);
    // Nor the calls of a group after one failed in its own right. Groups hold within one run:
    // what a run gives never depends on the runs before it, so calls may be spread over
    // several runners (parallel_runner.hpp) and come back as one runner gives them.
    failed_groups_.clear();
    auto group_failed = [&](std::size_t i) -> const GroupFailure* {
        if (!calls[i].group) return nullptr;
        const auto it = failed_groups_.find(calls[i].group);
        if (it == failed_groups_.end() || i < it->second.at) return nullptr;
        return &it->second;
    };
    auto skip_doomed = [&] {
        for (std::size_t i = 0; i < calls.size(); ++i)
            if (results[i] && results[i]->status == Status::Timeout && !results[i]->not_run)
                timed_out_[calls[i].function] = true;
        std::erase_if(pending, [&](std::size_t i) {
            const std::size_t f = calls[i].function;
            if (timed_out_[f])
                results[i] =
                    plain(Status::Timeout,
                          "was not run again: it exceeded the time limit on an earlier call");
            else if (broke_channel_[f])
                results[i] = plain(Status::Error,
                                   "was not run again: it broke the worker's channel to the grader "
                                   "on an earlier call");
            else if (const GroupFailure* failure = group_failed(i)) {
                results[i] = plain(failure->status,
                                   "was not run: an earlier input of its case "
                                   "had already failed");
                results[i]->not_run = true;
            } else
                return false;
            return true;
        });
    };
    skip_doomed();
    while (!pending.empty()) {
        // The address-space limit is the worker's own: calls under another limit get a fresh one.
        const std::uint64_t memory = memory_limit(calls[pending.front()], config_.limits);
        if (live_ && (live_memory_ != memory || (alone[pending.front()] && live_->calls_done))) {
            live_->channel->drain_output();
            live_.reset();
        }
        if (!live_) {
            protocol::Loaded again;
            if (auto error = start(again, capture, memory)) {
                for (std::size_t i : pending)
                    results[i] =
                        plain(Status::Error,
                              "a fresh worker could not load the library again: " + *error);
                break;
            }
        }
        live_->channel->set_capture(capture);
        run_chunk(calls, pending, results, solo, alone);
        skip_doomed();
    }
    if (live_) {
        live_->channel->drain_output();  // printed before the last reply was sent
        live_->channel->set_capture({});
    }
    for (std::size_t i = 0; i < calls.size(); ++i)
        out.calls[i] =
            results[i] ? std::move(*results[i]) : plain(Status::Error, "the call was never run");
    // Spent in an earlier run too: from then on the output is no longer counted in full.
    out.printed_discarded = output_budget_.spent;
    return out;
}

}  // namespace

std::unique_ptr<Runner> make_process_runner(ProcessRunnerConfig config) {
    // A worker that dies while the grader writes its request must show as EPIPE, not kill the
    // grader: SIGPIPE is ignored process-wide (the grader has no use for it).
    static std::once_flag ignore_sigpipe;
    std::call_once(ignore_sigpipe, [] { ::signal(SIGPIPE, SIG_IGN); });
    if (::access(config.worker_exe.c_str(), X_OK) != 0)
        throw Error("the worker executable " + config.worker_exe +
                    " cannot be run: " + std::strerror(errno));
    return std::make_unique<ProcessRunner>(std::move(config));
}

}  // namespace grader::sandbox
