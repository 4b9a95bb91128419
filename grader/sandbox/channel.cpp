#include "grader/sandbox/channel.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace grader::sandbox {

void Capture::add(const char* data, std::size_t size) {
    if (total) *total += size;
    if (text && text->size() < cap) text->append(data, std::min(size, cap - text->size()));
}

void Channel::send(std::vector<std::byte> frame) {
    if (sent_ == outgoing_.size()) {
        outgoing_ = std::move(frame);
        sent_ = 0;
    } else {
        outgoing_.insert(outgoing_.end(), frame.begin(), frame.end());
    }
}

bool Channel::read_output() {
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(worker_.output.get(), buf, sizeof buf);
        if (n > 0) {
            capture_.add(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return true;
        return false;
    }
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
    if (!output_closed_) output_closed_ = !read_output();
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

        if (fds[1].revents) output_closed_ = !read_output();
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
