#include "grader/elf/glibc_needs.hpp"

#include <elf.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace grader::elf {

namespace {

constexpr std::string_view kPrefix = "GLIBC_";
// Sections larger than this are not a real library's: the file is left unread.
constexpr std::uint64_t kMaxSection = 64u << 20;

class File {
  public:
    explicit File(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        struct stat st {};
        if (fd_ >= 0 && ::fstat(fd_, &st) == 0) size_ = static_cast<std::uint64_t>(st.st_size);
    }
    ~File() {
        if (fd_ >= 0) ::close(fd_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    bool read(void* out, std::uint64_t size, std::uint64_t offset) const {
        if (fd_ < 0 || offset > size_ || size > size_ - offset) return false;
        return ::pread(fd_, out, size, static_cast<off_t>(offset)) == static_cast<ssize_t>(size);
    }
    template <typename T>
    std::vector<T> section(const Elf64_Shdr& sh) const {
        if (sh.sh_size > kMaxSection) return {};
        std::vector<T> out(sh.sh_size / sizeof(T));
        if (!read(out.data(), out.size() * sizeof(T), sh.sh_offset)) return {};
        return out;
    }

  private:
    int fd_;
    std::uint64_t size_ = 0;
};

std::string name_at(const std::vector<char>& strings, std::uint64_t at) {
    if (at >= strings.size()) return "";
    const char* begin = strings.data() + at;
    return std::string(begin, strnlen(begin, strings.size() - at));
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
    while (!a.empty() || !b.empty()) {
        auto part = [](std::string_view& s) {
            long n = 0;
            std::size_t i = 0;
            for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) n = n * 10 + (s[i] - '0');
            s.remove_prefix(i < s.size() ? i + 1 : i);
            return n;
        };
        const long x = part(a), y = part(b);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

std::optional<GlibcNeed> newest_glibc_need(const std::string& path) {
    const File file(path);
    Elf64_Ehdr eh;
    if (!file.read(&eh, sizeof eh, 0) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) ||
        eh.e_shnum == 0)
        return std::nullopt;
    std::vector<Elf64_Shdr> sections(eh.e_shnum);
    if (!file.read(sections.data(), sections.size() * sizeof(Elf64_Shdr), eh.e_shoff))
        return std::nullopt;

    // Version needs: a chain of Verneed records (one per library), each with a chain of
    // Vernaux records (one per version of it), names in the section sh_link points to.
    std::optional<GlibcNeed> newest;
    int newest_index = -1;
    const Elf64_Shdr* dynsym = nullptr;
    const Elf64_Shdr* versym = nullptr;
    for (const Elf64_Shdr& sh : sections) {
        if (sh.sh_type == SHT_DYNSYM) dynsym = &sh;
        if (sh.sh_type == SHT_GNU_versym) versym = &sh;
        if (sh.sh_type != SHT_GNU_verneed || sh.sh_link >= sections.size()) continue;
        const std::vector<char> need = file.section<char>(sh);
        const std::vector<char> strings = file.section<char>(sections[sh.sh_link]);
        std::uint64_t at = 0;
        for (std::uint64_t n = 0; n < sh.sh_info && at + sizeof(Elf64_Verneed) <= need.size();
             ++n) {
            Elf64_Verneed vn;
            std::memcpy(&vn, need.data() + at, sizeof vn);
            std::uint64_t aux = at + vn.vn_aux;
            for (unsigned k = 0; k < vn.vn_cnt && aux + sizeof(Elf64_Vernaux) <= need.size(); ++k) {
                Elf64_Vernaux va;
                std::memcpy(&va, need.data() + aux, sizeof va);
                const std::string name = name_at(strings, va.vna_name);
                if (name.starts_with(kPrefix)) {
                    const std::string version = name.substr(kPrefix.size());
                    if (!newest || compare_versions(version, newest->version) > 0) {
                        newest = GlibcNeed{version, ""};
                        newest_index = va.vna_other;
                    }
                }
                if (va.vna_next == 0) break;
                aux += va.vna_next;
            }
            if (vn.vn_next == 0) break;
            at += vn.vn_next;
        }
    }
    if (!newest || !dynsym || !versym || dynsym->sh_link >= sections.size()) return newest;

    // The symbols whose version index (in .gnu.version, parallel to .dynsym) is that need's.
    const std::vector<Elf64_Sym> symbols = file.section<Elf64_Sym>(*dynsym);
    const std::vector<Elf64_Half> versions = file.section<Elf64_Half>(*versym);
    const std::vector<char> names = file.section<char>(sections[dynsym->sh_link]);
    for (std::size_t i = 0; i < symbols.size() && i < versions.size(); ++i)
        if (symbols[i].st_shndx == SHN_UNDEF && (versions[i] & 0x7fff) == newest_index) {
            newest->symbol = name_at(names, symbols[i].st_name);
            break;
        }
    return newest;
}

std::string this_glibc_version() {
    return gnu_get_libc_version();
}

std::string glibc_too_new(const std::string& library, const GlibcNeed& need, const std::string& has,
                          const std::string& machine) {
    std::string what = library + " needs version " + need.version + " of the GNU C library (glibc)";
    if (!need.symbol.empty()) what += ", for the symbol `" + need.symbol + "`";
    return what + ", but " + machine + " has glibc " + has +
           ": it was built on a newer system than the one grading it. Build it in the "
           "course's CI or container, or on a system whose glibc is " +
           has + " or older";
}

std::optional<std::string> check_glibc(const std::string& library, const std::string& has,
                                       const std::string& machine) {
    const std::optional<GlibcNeed> need = newest_glibc_need(library);
    if (!need || compare_versions(need->version, has) <= 0) return std::nullopt;
    return glibc_too_new(library, *need, has, machine);
}

}  // namespace grader::elf
