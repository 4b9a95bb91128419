#include "grader/batch/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace grader::batch {

namespace {

std::atomic<int> g_count{0};
std::atomic<int> g_signal{0};
struct sigaction g_old_int {
}, g_old_term{};

void on_signal(int sig) {
    // Only async-signal-safe calls here.
    g_signal.store(sig);
    if (g_count.fetch_add(1) >= 1) {
        constexpr char kNow[] = "\ngrader: stopped at once; the grades recorded so far are kept\n";
        [[maybe_unused]] auto n = ::write(STDERR_FILENO, kNow, sizeof kNow - 1);
        ::_exit(128 + sig);
    }
    constexpr char kSoon[] =
        "\ngrader: stopping after the submissions being graded (press Ctrl-C again to stop "
        "now)\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, kSoon, sizeof kSoon - 1);
}

}  // namespace

InterruptGuard::InterruptGuard() {
    g_count = 0;
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, &g_old_int);
    ::sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
    ::sigaction(SIGINT, &g_old_int, nullptr);
    ::sigaction(SIGTERM, &g_old_term, nullptr);
}

bool InterruptGuard::requested() {
    return g_count.load() > 0;
}

int InterruptGuard::signal() {
    return g_signal.load();
}

}  // namespace grader::batch
