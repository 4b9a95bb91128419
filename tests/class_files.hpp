#pragma once
// What the tests of whole classes share: the grader run as a command, the fixture libraries, and
// files put where an LMS's download would hold them. Include after <boost/test/unit_test.hpp>,
// in a test built with GRADER_EXE and FIXTURE_DIR defined.

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/shell.hpp"

namespace test_support {

inline Run run_grader(const std::string& args) {
    return shell(std::string(GRADER_EXE) + " " + args);
}

// build/fixtures/lib<fixture>.so
inline std::string library(const std::string& fixture) {
    return std::string(FIXTURE_DIR) + "/lib" + fixture + ".so";
}

inline void put(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

inline void put_library(const std::filesystem::path& p, const std::string& fixture) {
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::copy_file(library(fixture), p,
                               std::filesystem::copy_options::overwrite_existing);
}

}  // namespace test_support
