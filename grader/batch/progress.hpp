#pragma once
// What a batch prints while it runs. On a terminal: one status line, rewritten in place (done of
// total, submissions per second, the time left, how many failed to load, crashed or timed out).
// Elsewhere (a CI log, `| tee`): one plain line per finished submission. Quiet: nothing until
// the summary.

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace grader::batch {

enum class ProgressMode { Terminal, Lines, Quiet };

// Terminal when `fd` is a terminal and TERM is not "dumb", else Lines.
ProgressMode detect_progress_mode(int fd);

struct Tally {
    std::size_t done = 0;
    std::size_t load_errors = 0;
    std::size_t crashed = 0;    // submissions with at least one crash
    std::size_t timed_out = 0;  // with at least one time-out
    std::size_t system_errors = 0;
};

class Progress {
  public:
    Progress(std::ostream& out, ProgressMode mode, std::size_t total);
    // One submission finished; `line` says how it went ("alice  118/140").
    void finished(const Tally& tally, const std::string& line);
    // Refreshes the status line (the rate and time left move on their own).
    void tick(const Tally& tally);
    // A message that must stay on screen, printed above the status line.
    void note(const std::string& text);
    // Clears the status line before the summary.
    void end();

  private:
    std::string status(const Tally& tally) const;
    void draw(const std::string& text);

    std::ostream& out_;
    ProgressMode mode_;
    std::size_t total_;
    std::chrono::steady_clock::time_point started_;
    bool drawn_ = false;
    Tally last_;
};

// "1:05", "12:00:07"
std::string clock_text(double seconds);

}  // namespace grader::batch
