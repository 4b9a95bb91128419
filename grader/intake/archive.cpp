#include "grader/intake/archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "grader/error.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::intake {

namespace fs = std::filesystem;

namespace {

struct ArchiveCloser {
    void operator()(archive* a) const { archive_read_free(a); }
};

// What an entry's path may be: relative, with no `..`, and not empty once `.` is dropped.
std::string refusal_of(const std::string& name) {
    if (name.empty()) return "it has no name";
    if (name.front() == '/' || name.front() == '\\') return "its path is absolute";
    if (name.find('\\') != std::string::npos) return "its path holds a backslash";
    const fs::path p(name);
    for (const fs::path& part : p)
        if (part == "..") return "its path climbs out of the download with ..";
    return "";
}

// Zip names are UTF-8 (LMSs set the zip's UTF-8 flag), and libarchive converts them to the
// locale's character set: under the C locale of a cron job or a container every accented name
// would be lost. This thread reads and writes them in C.UTF-8 while the guard lives.
class Utf8Names {
  public:
    Utf8Names() : utf8_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{})) {
        if (utf8_) previous_ = ::uselocale(utf8_);
    }
    ~Utf8Names() {
        if (!utf8_) return;
        ::uselocale(previous_);
        ::freelocale(utf8_);
    }
    Utf8Names(const Utf8Names&) = delete;
    Utf8Names& operator=(const Utf8Names&) = delete;

  private:
    locale_t utf8_;
    locale_t previous_ = LC_GLOBAL_LOCALE;
};

// libarchive's own words, when it has any.
std::string why(archive* a) {
    const char* text = archive_error_string(a);
    return text ? text : "the file is damaged";
}

}  // namespace

bool is_zip(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    // A local file header, or the end record of an empty zip.
    return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' &&
           ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

Unpacked::~Unpacked() {
    if (dir_.empty()) return;
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

Unpacked& Unpacked::operator=(Unpacked&& other) noexcept {
    if (this != &other) {
        Unpacked gone(std::move(dir_));
        dir_ = std::move(other.dir_);
        other.dir_.clear();
    }
    return *this;
}

Unpacked unpack_zip(const fs::path& zip, const ArchiveLimits& limits, const fs::path& parent) {
    const std::string where = zip.string();
    const Utf8Names utf8;
    std::unique_ptr<archive, ArchiveCloser> in(archive_read_new());
    archive_read_support_format_zip(in.get());
    if (archive_read_open_filename(in.get(), where.c_str(), 1 << 16) != ARCHIVE_OK)
        throw Error("cannot read the zip " + where + ": " + why(in.get()));

    const bool temporary = parent.empty();
    std::string pattern = ((temporary ? fs::temp_directory_path() : parent) /
                           (temporary ? "kl-grader-download.XXXXXX" : ".unpacking.XXXXXX"))
                              .string();
    if (!::mkdtemp(pattern.data()))
        throw Error("cannot make a folder to unpack " + where + " in (" + pattern + "): " +
                    std::strerror(errno) + (temporary ? "; set TMPDIR to a writable folder" : ""));
    Unpacked out{fs::path(pattern)};

    std::uint64_t total = 0;
    std::size_t count = 0;
    archive_entry* entry = nullptr;
    std::vector<char> buffer(1 << 16);
    for (;;) {
        const int r = archive_read_next_header(in.get(), &entry);
        if (r == ARCHIVE_EOF) break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            throw Error("cannot read the zip " + where + ": " + why(in.get()) +
                        "; download it again");
        const char* raw = archive_entry_pathname_utf8(entry);
        if (!raw) raw = archive_entry_pathname(entry);
        const std::string name = raw ? raw : "";
        auto refuse = [&](const std::string& reason) {
            return Error("the zip " + where + " holds \"" + name + "\", which is not unpacked: " +
                         reason + ". An LMS's download never does; unpack it yourself and grade " +
                         "the folder if you trust it");
        };
        if (++count > limits.max_entries)
            throw Error("the zip " + where + " holds more than " +
                        std::to_string(limits.max_entries) + " entries; no class is that large");
        if (const std::string reason = refusal_of(name); !reason.empty()) throw refuse(reason);
        const auto type = archive_entry_filetype(entry);
        const fs::path target = out.dir() / fs::path(name).lexically_normal();
        std::error_code ec;
        if (type == AE_IFDIR) {
            fs::create_directories(target, ec);
            if (ec) throw Error("cannot unpack " + where + ": " + ec.message());
            continue;
        }
        if (type != AE_IFREG || archive_entry_hardlink(entry))
            throw refuse("it is a link or a special file, not a plain file");
        if (archive_entry_size_is_set(entry) &&
            static_cast<std::uint64_t>(archive_entry_size(entry)) > limits.max_entry_bytes)
            throw refuse("it is larger than " + std::to_string(limits.max_entry_bytes >> 20) +
                         " MiB");
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw Error("cannot unpack " + where + ": " + ec.message());
        // O_EXCL: an entry twice in the zip, or a name a folder already took, is not overwritten.
        const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
            if (errno == EEXIST) throw refuse("the zip holds that name twice");
            throw Error("cannot unpack " + name + " from " + where + ": " + std::strerror(errno));
        }
        std::uint64_t written = 0;
        bool ok = true;
        for (;;) {
            const la_ssize_t n = archive_read_data(in.get(), buffer.data(), buffer.size());
            if (n == 0) break;
            if (n < 0) {
                ::close(fd);
                throw Error("cannot read \"" + name + "\" in the zip " + where + ": " +
                            why(in.get()) + "; download it again");
            }
            written += static_cast<std::uint64_t>(n);
            total += static_cast<std::uint64_t>(n);
            // The sizes a zip declares can lie: what is actually written counts.
            if (written > limits.max_entry_bytes || total > limits.max_total_bytes) {
                ::close(fd);
                throw refuse("it unpacks to more than the limit (" +
                             std::to_string(limits.max_entry_bytes >> 20) + " MiB a file, " +
                             std::to_string(limits.max_total_bytes >> 20) + " MiB in all)");
            }
            const char* p = buffer.data();
            for (auto left = static_cast<std::size_t>(n); left > 0 && ok;) {
                const ssize_t w = ::write(fd, p, left);
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0)
                    ok = false;
                else {
                    p += w;
                    left -= static_cast<std::size_t>(w);
                }
            }
            if (!ok) break;
        }
        if (::close(fd) != 0 || !ok)
            throw Error("cannot unpack " + where + " into " + out.dir().string() +
                        " (is the disk full?); make room there and run the same command again");
    }
    return out;
}

namespace {

// A grader killed while unpacking (kill -9, a node lost) leaves its hidden temporary folder. One
// untouched for an hour is such a leftover: an unpacking in progress writes into its folder all
// the time, and another shard of the class may be doing one now, so a younger one stays.
void remove_abandoned_unpackings(const fs::path& under) {
    constexpr auto kAbandoned = std::chrono::hours(1);
    std::error_code ec;
    const auto now = fs::file_time_type::clock::now();
    for (const fs::directory_entry& e : fs::directory_iterator(under, ec)) {
        if (e.path().filename().string().rfind(".unpacking.", 0) != 0) continue;
        std::error_code age_ec;
        const auto written = fs::last_write_time(e.path(), age_ec);
        if (age_ec || now - written < kAbandoned) continue;
        fs::remove_all(e.path(), age_ec);
    }
}

}  // namespace

fs::path unpack_zip_to_keep(const fs::path& zip, const fs::path& under,
                            const ArchiveLimits& limits) {
    const std::string hash = hash::sha256_file(zip.string()).substr(0, 12);
    const fs::path target = under / (zip.stem().string() + "-" + hash);
    std::error_code ec;
    remove_abandoned_unpackings(under);
    if (fs::is_directory(target, ec)) return target;
    fs::create_directories(under, ec);
    if (ec)
        throw Error("cannot make the folder " + under.string() + " to unpack " + zip.string() +
                    " in: " + ec.message());
    Unpacked unpacking = unpack_zip(zip, limits, under);
    fs::rename(unpacking.dir(), target, ec);
    // Another grader (a shard of the same class) may have put the same zip there first: its
    // copy is the same files, and ours goes with `unpacking`.
    if (ec && !fs::is_directory(target))
        throw Error("cannot move the unpacked " + zip.string() + " to " + target.string() + ": " +
                    ec.message());
    if (!ec) unpacking.release();
    return target;
}

void write_zip(const fs::path& zip, const std::vector<std::pair<std::string, std::string>>& files) {
    const fs::path partial = zip.string() + ".partial";
    const Utf8Names utf8;
    struct WriterCloser {
        void operator()(archive* a) const { archive_write_free(a); }
    };
    std::unique_ptr<archive, WriterCloser> out(archive_write_new());
    archive_write_set_format_zip(out.get());
    // Names are UTF-8 whatever the locale, flagged so for the LMS that unpacks them.
    archive_write_set_options(out.get(), "hdrcharset=UTF-8");
    if (archive_write_open_filename(out.get(), partial.c_str()) != ARCHIVE_OK)
        throw Error("cannot write " + zip.string() + ": " + why(out.get()));
    for (const auto& [name, content] : files) {
        std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(),
                                                                       archive_entry_free);
        archive_entry_set_pathname_utf8(entry.get(), name.c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
        if (archive_write_header(out.get(), entry.get()) != ARCHIVE_OK ||
            archive_write_data(out.get(), content.data(), content.size()) !=
                static_cast<la_ssize_t>(content.size()))
            throw Error("cannot write " + zip.string() + " (is the disk full?): " + why(out.get()));
    }
    if (archive_write_close(out.get()) != ARCHIVE_OK)
        throw Error("cannot write " + zip.string() + " (is the disk full?): " + why(out.get()));
    std::error_code ec;
    fs::rename(partial, zip, ec);
    if (ec) throw Error("cannot write " + zip.string() + ": " + ec.message());
}

}  // namespace grader::intake
