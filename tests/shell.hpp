#pragma once
// A shell command run as the tests run the grader and its scripts: stdout and stderr together,
// and the exit status (-1 when it did not exit, e.g. killed by a signal). Include after
// <boost/test/unit_test.hpp>.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace test_support {

struct Run {
    int status = -1;
    std::string out;
};

inline Run shell(const std::string& command) {
    Run r;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    BOOST_REQUIRE_MESSAGE(pipe, "could not start: " << command);
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    const int raw = pclose(pipe);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return r;
}

}  // namespace test_support
