#pragma once
// The test's own folder for temporary files, never a fixed path in /tmp: there, a file left by an
// earlier run, another test or another user of the machine would be read back as this run's.
// CTest runs every test through tests/run_isolated.sh, whose TMPDIR is build/test-env/<test>/tmp,
// emptied before each run and kept after it for a look at what the test left (docs/testing.md).
// The folder is one more level down, named after the process, so that a test binary run by hand
// outside the wrapper (TMPDIR unset or shared) still gets a folder nobody else writes into.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace test_support {

inline const std::filesystem::path& temp_dir() {
    static const std::filesystem::path dir = [] {
        const std::filesystem::path d = std::filesystem::temp_directory_path() /
                                        ("kl-grader-test." + std::to_string(::getpid()));
        std::filesystem::remove_all(d);
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

}  // namespace test_support
