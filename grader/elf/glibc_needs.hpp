#pragma once
// Which version of the GNU C library a library file needs, read from its ELF version needs
// (.gnu.version_r) without loading it: a library built on a newer system than the grading
// machine fails to load there, and the loader's own words name neither the symbol nor the fix.

#include <optional>
#include <string>
#include <string_view>

namespace grader::elf {

struct GlibcNeed {
    std::string version;  // "2.38": the newest GLIBC_x.y the file asks for
    std::string symbol;   // one symbol that asks for it; empty when none can be named
};

// The newest glibc version `path` needs; nullopt when it needs none, or the file is not a
// 64-bit ELF file whose version needs can be read.
std::optional<GlibcNeed> newest_glibc_need(const std::string& path);

// The glibc version the grader runs with, as gnu_get_libc_version() says ("2.36").
std::string this_glibc_version();

// Orders "2.9" before "2.10"; negative, zero or positive as a is older, the same or newer.
int compare_versions(std::string_view a, std::string_view b);

// The sentence for a library needing more glibc than `machine` has (`has`): `machine` is
// "this machine" when grading, "the course's grading machine" when self-checking.
std::string glibc_too_new(const std::string& library, const GlibcNeed& need, const std::string& has,
                          const std::string& machine);

// The sentence when `library` needs more glibc than `has`, or nullopt when it loads there.
std::optional<std::string> check_glibc(const std::string& library, const std::string& has,
                                       const std::string& machine);

}  // namespace grader::elf
