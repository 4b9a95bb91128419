#pragma once
// Zips written in a test with libarchive, as an LMS's download would come: plain files, and on
// request the entries no download holds (links, `..`, absolute paths) to see them refused.

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace test_support {

struct ZipEntry {
    std::string name;
    std::string content;
    std::string symlink_to;  // non-empty: a symbolic link instead of a file
};

inline void write_zip(const std::filesystem::path& zip, const std::vector<ZipEntry>& entries) {
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    if (archive_write_open_filename(a, zip.c_str()) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a));
    for (const ZipEntry& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.name.c_str());
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

}  // namespace test_support
