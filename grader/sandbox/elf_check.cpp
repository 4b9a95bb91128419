#include "grader/sandbox/elf_check.hpp"

#include <cxxabi.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "grader/elf/foreign_format.hpp"
#include "grader/elf/glibc_needs.hpp"
#include "grader/sandbox/unique_fd.hpp"

namespace grader::sandbox {

namespace {

#if defined(__x86_64__)
constexpr int kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr int kHostMachine = EM_AARCH64;
#else
constexpr int kHostMachine = EM_NONE;
#endif

std::string machine_name(int machine) {
    switch (machine) {
        case EM_X86_64:
            return "x86-64";
        case EM_386:
            return "32-bit x86";
        case EM_AARCH64:
            return "64-bit ARM (aarch64)";
        case EM_ARM:
            return "32-bit ARM";
        case EM_RISCV:
            return "RISC-V";
        case EM_PPC64:
            return "64-bit PowerPC";
        case EM_S390:
            return "s390";
        default:
            return "machine type " + std::to_string(machine);
    }
}

bool read_at(int fd, void* out, std::size_t size, std::uint64_t offset) {
    return ::pread(fd, out, size, static_cast<off_t>(offset)) == static_cast<ssize_t>(size);
}

bool looks_like_text(const unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] < 0x09 || (p[i] > 0x0d && p[i] < 0x20 && p[i] != 0x1b)) return false;
    return true;
}

// Defined symbols of .dynsym, read through the section headers. A library without them (or
// with damaged ones) simply yields no hint.
std::vector<std::string> read_dynamic_symbols(int fd, const Elf64_Ehdr& eh, std::uint64_t size) {
    std::vector<std::string> names;
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 ||
        eh.e_shoff + std::uint64_t{eh.e_shnum} * sizeof(Elf64_Shdr) > size)
        return names;
    std::vector<Elf64_Shdr> sections(eh.e_shnum);
    if (!read_at(fd, sections.data(), sections.size() * sizeof(Elf64_Shdr), eh.e_shoff))
        return names;
    for (const Elf64_Shdr& sh : sections) {
        if (sh.sh_type != SHT_DYNSYM || sh.sh_link >= sections.size() ||
            sh.sh_entsize != sizeof(Elf64_Sym))
            continue;
        const Elf64_Shdr& strtab = sections[sh.sh_link];
        if (sh.sh_offset + sh.sh_size > size || strtab.sh_offset + strtab.sh_size > size) continue;
        if (sh.sh_size > (64u << 20) || strtab.sh_size > (64u << 20)) continue;
        std::vector<Elf64_Sym> syms(sh.sh_size / sizeof(Elf64_Sym));
        std::string strings(strtab.sh_size, '\0');
        if (!read_at(fd, syms.data(), syms.size() * sizeof(Elf64_Sym), sh.sh_offset) ||
            !read_at(fd, strings.data(), strings.size(), strtab.sh_offset))
            continue;
        for (const Elf64_Sym& s : syms) {
            if (s.st_shndx == SHN_UNDEF || s.st_name >= strings.size()) continue;
            names.emplace_back(strings.c_str() + s.st_name);
        }
    }
    return names;
}

}  // namespace

LibraryFile inspect_library(const std::string& path) {
    LibraryFile out;
    auto fail = [&](std::string message) {
        out.error = std::move(message);
        return out;
    };
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return fail("the file " + path + " does not exist");
        return fail("the file " + path + " cannot be examined: " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) return fail(path + " is a directory, not a shared library");
    if (!S_ISREG(st.st_mode))
        return fail(path + " is not a regular file, so it cannot be a shared library");
    if (st.st_size == 0) return fail(path + " is empty (0 bytes), not a shared library");
    const auto size = static_cast<std::uint64_t>(st.st_size);

    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return fail("the file " + path + " cannot be read: " + std::strerror(errno));
    unsigned char head[64] = {};
    const std::size_t got =
        static_cast<std::size_t>(std::max<ssize_t>(0, ::pread(fd.get(), head, sizeof head, 0)));
    if (got < 4 || std::memcmp(head, ELFMAG, SELFMAG) != 0) {
        if (got >= 7 && std::memcmp(head, "!<arch>", 7) == 0)
            return fail(path +
                        " is a static archive (.a), not a shared library: link it with -shared");
        if (const auto foreign = elf::foreign_format(head, got))
            return fail(path + " is " + *foreign + ", not a Linux shared library; " +
                        elf::build_on_linux_fix());
        if (looks_like_text(head, got))
            return fail(path + " is a text file, not a compiled shared library");
        return fail(path + " is not an ELF file, so it is not a compiled shared library");
    }
    if (head[EI_CLASS] == ELFCLASS32)
        return fail(path + " is a 32-bit library; the grader needs a 64-bit one (" +
                    machine_name(kHostMachine) + "): build it without -m32; " +
                    elf::build_on_linux_fix());
    if (head[EI_CLASS] != ELFCLASS64 || head[EI_DATA] != ELFDATA2LSB)
        return fail(path + " is an ELF file of a kind this machine cannot load");
    if (got < sizeof(Elf64_Ehdr))
        return fail(path + " is truncated (" + std::to_string(size) +
                    " bytes): not even a whole ELF header");
    Elf64_Ehdr eh;
    std::memcpy(&eh, head, sizeof eh);
    if (eh.e_machine != kHostMachine)
        return fail(path + " is built for " + machine_name(eh.e_machine) +
                    ", not for this machine (" + machine_name(kHostMachine) +
                    "), as on an ARM computer such as an Apple Silicon Mac; " +
                    elf::build_on_linux_fix());
    if (eh.e_type == ET_EXEC)
        return fail(path + " is an executable, not a shared library: build it with -shared -fPIC");
    if (eh.e_type == ET_REL)
        return fail(path + " is an object file (.o), not a shared library: link it with -shared");
    if (eh.e_type != ET_DYN)
        return fail(path + " is not a shared library (ELF type " + std::to_string(eh.e_type) + ")");

    const std::string truncated = path + " is truncated (" + std::to_string(size) + " bytes): ";
    if (eh.e_phentsize != sizeof(Elf64_Phdr) ||
        eh.e_phoff + std::uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr) > size)
        return fail(truncated + "its program headers lie past the end of the file");
    std::vector<Elf64_Phdr> phdrs(eh.e_phnum);
    if (!read_at(fd.get(), phdrs.data(), phdrs.size() * sizeof(Elf64_Phdr), eh.e_phoff))
        return fail(truncated + "its program headers cannot be read");
    for (const Elf64_Phdr& ph : phdrs)
        if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > size)
            return fail(truncated + "part of its code lies past the end of the file");

    // Checked here rather than left to the loader, whose message names the worker's copy of
    // the file and neither the symbol nor the fix.
    if (auto too_new = elf::check_glibc(path, elf::this_glibc_version(), "this machine"))
        return fail(std::move(*too_new));
    out.dynamic_symbols = read_dynamic_symbols(fd.get(), eh, size);
    return out;
}

std::string extern_c_hint(const std::vector<std::string>& symbols, const std::string& function) {
    const std::string needle = std::to_string(function.size()) + function;
    for (const std::string& s : symbols) {
        if (s.rfind("_Z", 0) != 0 || s.find(needle) == std::string::npos) continue;
        std::string hint = "found the C++ symbol `" + s + "`";
        int status = 0;
        if (char* readable = abi::__cxa_demangle(s.c_str(), nullptr, nullptr, &status)) {
            hint += " (" + std::string(readable) + ")";
            std::free(readable);
        }
        return hint +
               ": declare the function extern \"C\" (include the header that came with the "
               "exercises)";
    }
    return "";
}

}  // namespace grader::sandbox
