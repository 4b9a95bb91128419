#pragma once
// Zips written in a test with libarchive, as an LMS's download would come: plain files, and on
// request the entries no download holds (links, `..`, absolute paths) to see them refused.

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

// Zip names in UTF-8 whatever the test's locale (C, under tests/run_isolated.sh), as an LMS
// writes them: libarchive converts names through the thread's locale.
struct Utf8Locale {
    locale_t utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
    locale_t previous = utf8 ? ::uselocale(utf8) : LC_GLOBAL_LOCALE;
    Utf8Locale() = default;
    Utf8Locale(const Utf8Locale&) = delete;
    Utf8Locale& operator=(const Utf8Locale&) = delete;
    ~Utf8Locale() {
        if (!utf8) return;
        ::uselocale(previous);
        ::freelocale(utf8);
    }
};

struct ZipEntry {
    std::string name;
    std::string content;
    std::string symlink_to;  // non-empty: a symbolic link instead of a file
};

inline void write_zip(const std::filesystem::path& zip, const std::vector<ZipEntry>& entries) {
    const Utf8Locale utf8;
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_set_options(a, "hdrcharset=UTF-8");  // the UTF-8 flag, as LMSs set it
    if (archive_write_open_filename(a, zip.c_str()) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a));
    for (const ZipEntry& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname_utf8(entry, e.name.c_str());
        if (!e.symlink_to.empty()) {
            archive_entry_set_filetype(entry, AE_IFLNK);
            archive_entry_set_symlink(entry, e.symlink_to.c_str());
            archive_entry_set_perm(entry, 0777);
            archive_write_header(a, entry);
        } else if (!e.name.empty() && e.name.back() == '/') {
            archive_entry_set_filetype(entry, AE_IFDIR);
            archive_entry_set_perm(entry, 0755);
            archive_write_header(a, entry);
        } else {
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_perm(entry, 0644);
            archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
            archive_write_header(a, entry);
            archive_write_data(a, e.content.data(), e.content.size());
        }
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
}

// Every file under `dir`, as entries named relative to it (folders implied by the names).
inline std::vector<ZipEntry> entries_of(const std::filesystem::path& dir) {
    std::vector<ZipEntry> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        out.push_back({std::filesystem::relative(e.path(), dir).string(), ss.str(), ""});
    }
    return out;
}

// Every file of a zip as (name, content), in the zip's order.
inline std::vector<std::pair<std::string, std::string>> read_zip(const std::filesystem::path& zip) {
    std::vector<std::pair<std::string, std::string>> out;
    const Utf8Locale utf8;
    archive* a = archive_read_new();
    archive_read_support_format_zip(a);
    if (archive_read_open_filename(a, zip.c_str(), 1 << 16) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a));
    archive_entry* entry = nullptr;
    // A name that the C locale cannot convert is a warning, not the end of the zip.
    for (int r; (r = archive_read_next_header(a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN;) {
        const char* name = archive_entry_pathname_utf8(entry);
        std::string content;
        char buf[4096];
        for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;)
            content.append(buf, static_cast<std::size_t>(n));
        out.emplace_back(name ? name : archive_entry_pathname(entry), content);
    }
    archive_read_free(a);
    return out;
}

}  // namespace test_support
