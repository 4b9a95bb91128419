#include "grader/sandbox/channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

namespace grader::sandbox {

namespace {

std::atomic<std::size_t> g_bytes_copied{0};
std::atomic<std::size_t> g_bytes_discarded{0};

// Where output past the budget goes: splice moves it from the pipe to /dev/null inside the
// kernel, without copying it through the grader's memory. -1 if /dev/null cannot be opened.
int dev_null() {
    static const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    return fd;
}

}  // namespace

bool Capture::add(const char* data, std::size_t size) {
    if (budget && budget->spent) {
        if (discarded) *discarded = true;
        return false;
    }
    const std::size_t counted = budget ? std::min(size, budget->left) : size;
    if (budget) budget->left -= counted;
    if (total) *total += counted;
    if (text && text->size() < cap) text->append(data, std::min(counted, cap - text->size()));
    if (counted == size) return true;
    budget->spent = true;
    if (discarded) *discarded = true;
    return false;
}

std::size_t Channel::bytes_copied() {
    return g_bytes_copied.load(std::memory_order_relaxed);
}

std::size_t Channel::bytes_discarded() {
    return g_bytes_discarded.load(std::memory_order_relaxed);
}

void Channel::send(std::vector<std::byte> frame) {
    if (sent_ == outgoing_.size()) {
        outgoing_ = std::move(frame);
        sent_ = 0;
    } else {
        outgoing_.insert(outgoing_.end(), frame.begin(), frame.end());
    }
}

// What the submission prints is read while the capture counts it; past the budget (or with no
// capture) it is discarded without being copied, and the worker is told to stop printing. The
// pipe is always drained: a worker blocked on a full pipe would run out of time.
bool Channel::read_output(bool alive) {
    char buf[16384];
    for (;;) {
        if (!capture_.active() || (capture_.budget && capture_.budget->spent)) {
            if (capture_.active()) {
                if (capture_.discarded) *capture_.discarded = true;
                silence_worker(alive);
            }
            return discard_output();
        }
        const ssize_t n = ::read(worker_.output.get(), buf, sizeof buf);
        if (n > 0) {
            g_bytes_copied.fetch_add(static_cast<std::size_t>(n), std::memory_order_relaxed);
            capture_.add(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return true;
        return false;
    }
}

bool Channel::discard_output() {
    static std::atomic<bool> no_splice{dev_null() < 0};
    for (;;) {
        if (!no_splice.load(std::memory_order_relaxed)) {
            const ssize_t n = ::splice(worker_.output.get(), nullptr, dev_null(), nullptr, 1u << 20,
                                       SPLICE_F_NONBLOCK);
            if (n > 0) {
                g_bytes_discarded.fetch_add(static_cast<std::size_t>(n), std::memory_order_relaxed);
                continue;
            }
            if (n == 0) return false;
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return true;
            if (errno != EINVAL && errno != ENOSYS) return false;
            no_splice.store(true, std::memory_order_relaxed);
        }
        // No splice here: read into a scratch buffer instead, and forget it.
        char scratch[16384];
        const ssize_t n = ::read(worker_.output.get(), scratch, sizeof scratch);
        if (n > 0) {
            g_bytes_copied.fetch_add(static_cast<std::size_t>(n), std::memory_order_relaxed);
            g_bytes_discarded.fetch_add(static_cast<std::size_t>(n), std::memory_order_relaxed);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return n < 0 && errno == EAGAIN;
    }
}

// Once per worker: the flag it checks before each call, and SIGURG for the call running now
// (worker_output.hpp). Only while waiting for a reply is the worker known not to have been
// reaped (its pid still its own) and maybe in a call: elsewhere the flag is enough.
void Channel::silence_worker(bool alive) {
    if (silenced_) return;
    auto* state = reinterpret_cast<SharedState*>(worker_.shared.data());
    if (state) state->silence.store(1, std::memory_order_release);
    if (!alive) return;
    silenced_ = true;
    // To its process group: in a PID namespace the grader's child is the worker's init (which
    // ignores SIGURG), and the worker its child in the same group.
    if (worker_.process) ::kill(-worker_.process.pid(), SIGURG);
}

bool Channel::read_reply() {
    std::byte buf[65536];
    // Only up to the next whole frame (or a header to refuse): the rest waits in the pipe.
    while (!reader_.ready()) {
        const ssize_t n = ::read(worker_.reply.get(), buf, sizeof buf);
        if (n > 0) {
            reader_.feed(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return true;
        return false;
    }
    return true;
}

void Channel::drain_output() {
    if (!output_closed_) output_closed_ = !read_output(false);
}

Channel::Event Channel::wait(protocol::Frame& frame,
                             const std::function<Clock::time_point()>& deadline,
                             Clock::duration tick, std::string& why) {
    for (;;) {
        switch (reader_.next(frame, why)) {
            case protocol::FrameReader::Next::Frame:
                return Event::Frame;
            case protocol::FrameReader::Next::Bad:
                return Event::Garbled;
            case protocol::FrameReader::Next::NeedMore:
                break;
        }
        if (reply_closed_) return Event::Closed;

        const auto now = Clock::now();
        const auto until = deadline();
        if (now >= until) return Event::Deadline;
        const auto wake = std::min(until - now, tick);
        const int timeout_ms =
            static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wake).count());

        pollfd fds[3] = {{worker_.reply.get(), POLLIN, 0},
                         {output_closed_ ? -1 : worker_.output.get(), POLLIN, 0},
                         {sent_ < outgoing_.size() ? worker_.request.get() : -1, POLLOUT, 0}};
        const int ready = ::poll(fds, 3, std::max(timeout_ms, 1));
        if (ready < 0 && errno != EINTR) return Event::Closed;
        if (ready <= 0) continue;

        if (fds[1].revents) output_closed_ = !read_output(true);
        if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
            const ssize_t n =
                ::write(worker_.request.get(), outgoing_.data() + sent_, outgoing_.size() - sent_);
            if (n > 0)
                sent_ += static_cast<std::size_t>(n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                sent_ = outgoing_.size();  // gone: EOF follows
        }
        if (fds[0].revents) reply_closed_ = !read_reply();
    }
}

}  // namespace grader::sandbox
