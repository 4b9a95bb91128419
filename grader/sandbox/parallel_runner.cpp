#include "grader/sandbox/parallel_runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace grader::sandbox {

namespace {

// Fewer calls than this run in one worker: a second one would save less than the thread and the
// message costs (shrinking and diagnosis send a handful at a time).
constexpr std::size_t kMinCallsToSplit = 32;

// The words a single ProcessRunner gives a call it skips after a time-out (process_runner.cpp);
// a report must not tell which of the workers skipped it.
constexpr const char* kNotRunAgain =
    "was not run again: it exceeded the time limit on an earlier call";

CallResult not_run_again() {
    CallResult r;
    r.status = Status::Timeout;
    r.detail = kNotRunAgain;
    return r;
}

// A thread that runs what it is given, in order, for as long as the runner lives. Every worker
// but the first is started, and restarted after a crash, from its own lane: a worker dies with
// the thread that forked it (its parent-death signal follows the thread, not the process), so
// that thread must outlive it.
class Lane {
  public:
    Lane() : thread_([this] { loop(); }) {}
    ~Lane() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        ready_.notify_one();
        thread_.join();
    }
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    // Exceptions reach the caller through the future.
    std::future<void> submit(std::function<void()> job) {
        std::packaged_task<void()> task(std::move(job));
        std::future<void> done = task.get_future();
        {
            std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(task));
        }
        ready_.notify_one();
        return done;
    }

  private:
    void loop() {
        for (;;) {
            std::packaged_task<void()> job;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
                if (jobs_.empty()) return;
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::packaged_task<void()>> jobs_;
    bool stop_ = false;
    std::thread thread_;  // last: it starts once the rest is ready
};

class ParallelRunner final : public Runner {
  public:
    ParallelRunner(const ProcessRunnerConfig& config, int workers)
        : cap_(config.limits.output_cap), budget_(config.limits.output_budget) {
        for (int i = 0; i < workers; ++i) runners_.push_back(make_process_runner(config));
        for (int i = 1; i < workers; ++i) lanes_.push_back(std::make_unique<Lane>());
        timed_out_.assign(config.functions.size(), false);
        ok_.assign(runners_.size(), false);
    }

    ~ParallelRunner() override {
        // Each worker is stopped on its own lane before the lane ends.
        for (std::size_t i = 1; i < runners_.size(); ++i)
            lanes_[i - 1]->submit([this, i] { runners_[i].reset(); }).wait();
    }
    ParallelRunner(const ParallelRunner&) = delete;
    ParallelRunner& operator=(const ParallelRunner&) = delete;

    const LoadResult& load() override {
        if (loaded_) return *loaded_;
        // The others load while the first does: starting a worker is most of a small run's cost.
        std::vector<std::future<void>> others;
        for (std::size_t i = 1; i < runners_.size(); ++i)
            others.push_back(lanes_[i - 1]->submit([this, i] { runners_[i]->load(); }));
        std::exception_ptr failed;
        try {
            loaded_ = &runners_[0]->load();
            // The budget as one worker spends it: the library's constructors print first.
            budget_ -= std::min(budget_, loaded_->printed_bytes);
            budget_spent_ = loaded_->printed_discarded;
        } catch (...) {
            failed = std::current_exception();
        }
        // A worker that could not load what the first one loaded takes no share of the calls.
        for (std::size_t i = 1; i < runners_.size(); ++i) {
            try {
                others[i - 1].get();
                ok_[i] = !runners_[i]->load().error;
            } catch (...) {
                ok_[i] = false;
            }
        }
        if (failed) std::rethrow_exception(failed);
        return *loaded_;
    }

    BatchResult run(std::span<const Call> calls) override {
        const LoadResult& loaded = load();
        BatchResult out;
        out.calls.resize(calls.size());
        // Calls of a function that already ran out of time are settled here, as one worker
        // would; the rest go to the workers.
        std::vector<std::size_t> pending;
        std::vector<Call> sent;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            const std::size_t f = calls[i].function;
            if (!loaded.error && f < timed_out_.size() && timed_out_[f]) {
                out.calls[i] = not_run_again();
                continue;
            }
            pending.push_back(i);
            sent.push_back(calls[i]);
        }
        // The runners that take a part: the first, and those that loaded the library too.
        std::vector<std::size_t> use = {0};
        if (!loaded.error && sent.size() >= kMinCallsToSplit)
            for (std::size_t i = 1; i < runners_.size(); ++i)
                if (ok_[i]) use.push_back(i);
        const std::size_t parts = std::min(use.size(), std::max<std::size_t>(sent.size(), 1));
        std::vector<BatchResult> got(parts);
        const std::span<const Call> all(sent);
        // Parts of about equal size, cut only between groups: a group stops at its first
        // failure within one runner, as it would in a single worker.
        std::vector<std::size_t> cut(parts + 1, all.size());
        cut[0] = 0;
        for (std::size_t k = 1; k < parts; ++k) {
            std::size_t at = std::max(cut[k - 1], all.size() * k / parts);
            while (at > 0 && at < all.size() && all[at].group && all[at].group == all[at - 1].group)
                ++at;
            cut[k] = at;
        }
        auto part = [&](std::size_t k) {
            got[k] = runners_[use[k]]->run(all.subspan(cut[k], cut[k + 1] - cut[k]));
        };
        std::vector<std::future<void>> others;
        for (std::size_t k = 1; k < parts; ++k)
            others.push_back(lanes_[use[k] - 1]->submit([&part, k] { part(k); }));
        std::exception_ptr failed;
        try {
            part(0);
        } catch (...) {
            failed = std::current_exception();
        }
        for (std::future<void>& f : others) {
            try {
                f.get();
            } catch (...) {
                if (!failed) failed = std::current_exception();
            }
        }
        if (failed) std::rethrow_exception(failed);

        // Back in call order. One worker stops running a function at its first time-out; here
        // a later part may have run it (or run out of time on it too) meanwhile.
        for (std::size_t k = 0; k < parts; ++k) {
            const std::size_t begin = cut[k], end = cut[k + 1];
            for (std::size_t j = begin; j < end; ++j) {
                const std::size_t i = pending[j], f = calls[i].function;
                CallResult& r = out.calls[i];
                if (j - begin >= got[k].calls.size()) {
                    r.status = Status::Error;
                    r.detail = "the worker returned too few results";
                } else if (f < timed_out_.size() && timed_out_[f]) {
                    r = not_run_again();
                } else {
                    r = std::move(got[k].calls[j - begin]);
                }
                if (r.status == Status::Timeout && !r.not_run && f < timed_out_.size())
                    timed_out_[f] = true;
            }
            // What one worker would have captured: the parts' output in order, under one cap and
            // one budget. Each worker counts its part exactly up to its own budget, which is
            // never less than what is left of the runner's (it has seen only part of the
            // output), so what this counts is what one worker would: the same report.
            const std::size_t counted = std::min(got[k].printed_bytes, budget_);
            budget_ -= counted;
            if (got[k].printed_discarded || counted < got[k].printed_bytes) budget_spent_ = true;
            out.printed_bytes += counted;
            if (out.printed.size() < cap_)
                out.printed +=
                    got[k].printed.substr(0, std::min(counted, cap_ - out.printed.size()));
        }
        out.printed_discarded = budget_spent_;
        return out;
    }

  private:
    std::vector<std::unique_ptr<Runner>> runners_;
    std::vector<std::unique_ptr<Lane>> lanes_;  // lanes_[i - 1] drives runners_[i]
    std::vector<bool> ok_;                      // per runner: it loaded the library
    const LoadResult* loaded_ = nullptr;
    std::vector<bool> timed_out_;  // per function, over every worker
    std::size_t cap_;
    std::size_t budget_;         // what is left of the output budget, as one worker counts it
    bool budget_spent_ = false;  // as one worker's: more came than the budget counts
};

}  // namespace

std::unique_ptr<Runner> make_parallel_runner(const ProcessRunnerConfig& config, int workers) {
    if (workers <= 1) return make_process_runner(config);
    return std::make_unique<ParallelRunner>(config, workers);
}

}  // namespace grader::sandbox
