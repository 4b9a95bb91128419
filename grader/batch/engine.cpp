#include "grader/batch/engine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "grader/gradebook/gradebook.hpp"

namespace grader::batch {

namespace {

// How long the calling thread sleeps between looks at the clock and the stop flag.
constexpr auto kTick = std::chrono::milliseconds(200);

Finished grade_one(const Submission& s, std::size_t index, const GradeFn& grade) {
    Finished f;
    f.index = index;
    f.started_at = gradebook::utc_now();
    for (f.attempts = 1; f.attempts <= 2; ++f.attempts) {
        try {
            f.result = grade(s);
            f.system_error.clear();
            break;
        } catch (const std::exception& e) {
            f.system_error = e.what();
        } catch (...) {
            f.system_error = "an unknown failure of the grader";
        }
    }
    f.attempts = std::min(f.attempts, 2);
    f.ended_at = gradebook::utc_now();
    return f;
}

}  // namespace

std::size_t run_engine(const std::vector<Submission>& submissions, int jobs, const GradeFn& grade,
                       const EngineHooks& hooks) {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Finished> done;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stopping{false};
    std::size_t running = 0;

    auto work = [&] {
        for (;;) {
            if (stopping.load()) return;
            const std::size_t i = next.fetch_add(1);
            if (i >= submissions.size()) return;
            Finished f = grade_one(submissions[i], i, grade);
            std::lock_guard lock(mutex);
            done.push_back(std::move(f));
            ready.notify_one();
        }
    };
    const auto n = static_cast<std::size_t>(std::max(1, jobs));
    std::vector<std::thread> threads;
    // The count of threads to start is kept apart from `running`: a thread started first may
    // finish every submission and decrement `running` before the loop starts the next one, and
    // a loop reading `running` would then start too few, leaving it above 0 for ever.
    const std::size_t starting = std::min(n, std::max<std::size_t>(1, submissions.size()));
    {
        std::lock_guard lock(mutex);
        running = starting;
    }
    for (std::size_t t = 0; t < starting; ++t)
        threads.emplace_back([&] {
            work();
            std::lock_guard lock(mutex);
            --running;
            ready.notify_one();
        });

    std::size_t handed = 0;
    std::exception_ptr failure;
    for (;;) {
        std::unique_lock lock(mutex);
        ready.wait_for(lock, kTick, [&] { return !done.empty() || running == 0; });
        std::deque<Finished> batch;
        batch.swap(done);
        const bool all_done = running == 0;
        lock.unlock();
        for (Finished& f : batch) {
            if (failure) break;
            try {
                hooks.finished(std::move(f));
                ++handed;
            } catch (...) {
                failure = std::current_exception();
                stopping = true;
            }
        }
        if (!failure && hooks.stop && hooks.stop()) stopping = true;
        if (all_done && batch.empty()) break;
        if (all_done && !failure) {
            std::lock_guard again(mutex);
            if (done.empty()) break;
        }
        if (!failure && hooks.tick) hooks.tick();
    }
    for (std::thread& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
    return handed;
}

}  // namespace grader::batch
