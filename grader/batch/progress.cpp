#include "grader/batch/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace grader::batch {

namespace {

std::size_t terminal_width() {
    winsize w{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
    return 80;
}

// Cuts the end off a line too long for the terminal: the counts come first and stay whole, the
// name of the last submission goes (a wrapped status line would scroll the screen).
std::string elided(const std::string& text, std::size_t width) {
    if (text.size() <= width) return text;
    return text.substr(0, width - 3) + "...";
}

}  // namespace

ProgressMode detect_progress_mode(int fd) {
    const char* term = std::getenv("TERM");
    if (::isatty(fd) && term && std::strcmp(term, "dumb") != 0) return ProgressMode::Terminal;
    return ProgressMode::Lines;
}

std::string clock_text(double seconds) {
    const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

Progress::Progress(std::ostream& out, ProgressMode mode, std::size_t total)
    : out_(out), mode_(mode), total_(total), started_(std::chrono::steady_clock::now()) {}

std::string Progress::status(const Tally& t) const {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double rate = elapsed > 0 ? static_cast<double>(t.done) / elapsed : 0;
    std::string eta = "--:--";
    if (t.done > 0 && rate > 0) eta = clock_text(static_cast<double>(total_ - t.done) / rate);
    std::string text = fmt::format(
        "[{}/{}] {:.1f}/s {} left | load errors {}, crashed {}, timed "
        "out {}",
        t.done, total_, rate, eta, t.load_errors, t.crashed, t.timed_out);
    if (t.system_errors) text += fmt::format(", system errors {}", t.system_errors);
    return text;
}

void Progress::draw(const std::string& text) {
    // \r and clear-to-end: the line is rewritten in place, whatever was longer before.
    out_ << '\r' << elided(text, terminal_width() - 1) << "\x1b[K" << std::flush;
    drawn_ = true;
}

void Progress::finished(const Tally& tally, const std::string& line) {
    last_ = tally;
    if (mode_ == ProgressMode::Lines) {
        out_ << fmt::format("[{}/{}] {}\n", tally.done, total_, line) << std::flush;
    } else if (mode_ == ProgressMode::Terminal) {
        draw(status(tally) + " | " + line);
    }
}

void Progress::tick(const Tally& tally) {
    last_ = tally;
    if (mode_ == ProgressMode::Terminal && drawn_) draw(status(tally));
}

void Progress::note(const std::string& text) {
    if (mode_ == ProgressMode::Terminal && drawn_) {
        out_ << "\r\x1b[K" << text << "\n";
        draw(status(last_));
    } else if (mode_ == ProgressMode::Lines) {
        out_ << text << "\n" << std::flush;
    }
}

void Progress::end() {
    if (mode_ == ProgressMode::Terminal && drawn_) out_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
}

}  // namespace grader::batch
