#include "grader/elf/foreign_format.hpp"

#include <cstdint>

namespace grader::elf {

namespace {

std::uint32_t big_endian(const unsigned char* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 |
           std::uint32_t{p[3]};
}

}  // namespace

std::optional<std::string> foreign_format(const unsigned char* head, std::size_t size) {
    if (size >= 4) {
        switch (big_endian(head)) {
            case 0xfeedface:  // 32-bit Mach-O, either byte order
            case 0xcefaedfe:
            case 0xfeedfacf:  // 64-bit Mach-O, either byte order
            case 0xcffaedfe:
                return "a macOS library (Mach-O)";
            case 0xcafebabe:  // universal binary (also Java's class files, which are no library)
                return "a macOS universal library (Mach-O)";
            default:
                break;
        }
    }
    if (size >= 2 && head[0] == 'M' && head[1] == 'Z') return "a Windows library (PE, a DLL)";
    return std::nullopt;
}

std::string build_on_linux_fix() {
    return "the grader loads only libraries built for x86-64 Linux: build it in the course's CI "
           "or container, or on any x86-64 Linux machine";
}

}  // namespace grader::elf
