#pragma once
// Libraries built for another operating system, told apart by their first bytes: a student who
// built on macOS or Windows learns which system the file is for and how to build one for Linux,
// not only that it "is not an ELF file".

#include <cstddef>
#include <optional>
#include <string>

namespace grader::elf {

// "a macOS library (Mach-O)" or "a Windows library (PE)" for such a file's first bytes,
// nullopt for anything else.
std::optional<std::string> foreign_format(const unsigned char* head, std::size_t size);

// What to do about a library built for another system or machine.
std::string build_on_linux_fix();

}  // namespace grader::elf
