#pragma once
// The grader's side of a worker's channel: one poll loop that writes the pending request, reads
// replies and captures the worker's stdout/stderr together, so a full pipe in either direction
// never deadlocks the two processes.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "grader/sandbox/child_process.hpp"
#include "grader/sandbox/protocol.hpp"

namespace grader::sandbox {

using Clock = std::chrono::steady_clock;

// Where captured output goes: the first `cap` bytes are kept, all are counted.
struct Capture {
    std::string* text = nullptr;
    std::size_t* total = nullptr;
    std::size_t cap = 0;
    void add(const char* data, std::size_t size);
};

class Channel {
  public:
    enum class Event { Frame, Closed, Deadline, Garbled };

    explicit Channel(WorkerProcess& worker) : worker_(worker) {}

    void set_capture(Capture capture) { capture_ = capture; }
    // See FrameReader::limit_results: the calls awaited bound the reply the grader will read.
    void limit_results(std::size_t bytes) { reader_.limit_results(bytes); }
    // Queues a frame; wait() writes it as the worker reads.
    void send(std::vector<std::byte> frame);
    // Waits for the next reply frame. `deadline` is asked again at least every `tick` (it may move
    // as the worker reports progress). On Garbled, `why` says what was wrong.
    Event wait(protocol::Frame& frame, const std::function<Clock::time_point()>& deadline,
               Clock::duration tick, std::string& why);
    // Reads what the worker printed before it ended (the pipe is at EOF once it is gone).
    void drain_output();

  private:
    bool read_output();
    bool read_reply();  // false at EOF or error

    WorkerProcess& worker_;
    Capture capture_;
    protocol::FrameReader reader_;
    std::vector<std::byte> outgoing_;
    std::size_t sent_ = 0;
    bool reply_closed_ = false;
    bool output_closed_ = false;
};

}  // namespace grader::sandbox
