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

// A runner's allowance of output to count, shared by the captures of all its workers.
struct OutputBudget {
    std::size_t left = 0;
    bool spent = false;  // more came than `left` allowed: the rest is discarded unread
};

// Where captured output goes: of the bytes the budget allows, all are counted and the first
// `cap` kept. Without a budget every byte is counted.
struct Capture {
    std::string* text = nullptr;
    std::size_t* total = nullptr;
    std::size_t cap = 0;
    OutputBudget* budget = nullptr;
    bool* discarded = nullptr;  // set once the budget is spent
    bool active() const { return text || total; }
    // False once the budget is spent: the rest is to be discarded.
    bool add(const char* data, std::size_t size);
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

    // Over every channel of the process, for tests: bytes of the workers' output the grader read
    // into its memory, and bytes it drained unread (by splice) or read only to drop.
    static std::size_t bytes_copied();
    static std::size_t bytes_discarded();

  private:
    // `alive`: called while waiting for a reply, when the worker may be in a call and is not
    // reaped yet.
    bool read_output(bool alive);
    bool discard_output();  // without copying; false at EOF or error
    void silence_worker(bool alive);
    bool read_reply();  // false at EOF or error

    WorkerProcess& worker_;
    Capture capture_;
    protocol::FrameReader reader_;
    std::vector<std::byte> outgoing_;
    std::size_t sent_ = 0;
    bool reply_closed_ = false;
    bool output_closed_ = false;
    bool silenced_ = false;  // the worker was sent SIGURG: its output budget is spent
};

}  // namespace grader::sandbox
