#pragma once
// Checks of the submission file made in the grader before any worker starts: a file that is
// missing, a directory, empty, not ELF, for another machine or 32-bit gets one clear sentence
// instead of the loader's terse message. Also lists the exported symbols, for the extern "C" hint.

#include <optional>
#include <string>
#include <vector>

namespace grader::sandbox {

struct LibraryFile {
    std::optional<std::string> error;          // why the file cannot be a loadable library
    std::vector<std::string> dynamic_symbols;  // defined symbols of .dynsym (may be empty)
};

LibraryFile inspect_library(const std::string& path);

// For a function the library does not export: if it exports a C++-mangled symbol of that name,
// the sentence telling the student to declare it extern "C"; otherwise "".
std::string extern_c_hint(const std::vector<std::string>& symbols, const std::string& function);

}  // namespace grader::sandbox
