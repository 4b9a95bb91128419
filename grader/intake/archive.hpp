#pragma once
// The zip an LMS gives for download, unpacked for grading: into a private temporary folder
// removed afterwards, or into a folder kept beside the gradebook (unpack_zip_to_keep). Only plain
// files and folders come out: an entry with an absolute path, a
// `..`, a link, a device, or sizes past any class's (a zip bomb) stops the unpacking with a
// sentence saying which entry and why.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace grader::intake {

struct ArchiveLimits {
    std::uint64_t max_entry_bytes = std::uint64_t{1} << 30;  // one file
    std::uint64_t max_total_bytes = std::uint64_t{4} << 30;  // the whole download
    std::size_t max_entries = 100000;
};

// True for a file that is a zip (by its first bytes, whatever its name).
bool is_zip(const std::filesystem::path& path);

// A folder of its own under TMPDIR, removed with everything in it when this goes.
class Unpacked {
  public:
    Unpacked() = default;
    explicit Unpacked(std::filesystem::path dir) : dir_(std::move(dir)) {}
    ~Unpacked();
    Unpacked(Unpacked&& other) noexcept : dir_(std::move(other.dir_)) { other.dir_.clear(); }
    Unpacked& operator=(Unpacked&& other) noexcept;
    Unpacked(const Unpacked&) = delete;
    Unpacked& operator=(const Unpacked&) = delete;
    const std::filesystem::path& dir() const { return dir_; }
    // Keeps the folder: it is no longer removed when this goes.
    void release() { dir_.clear(); }

  private:
    std::filesystem::path dir_;
};

// Throws grader::Error naming the zip (and the entry) when it cannot be read or is refused. The
// folder is made under TMPDIR, or under `parent` when one is given.
Unpacked unpack_zip(const std::filesystem::path& zip, const ArchiveLimits& limits = {},
                    const std::filesystem::path& parent = {});

// The zip unpacked to stay, so that `grader regrade` later finds the libraries a batch recorded:
// into `under/<zip's stem>-<first 12 hex digits of its SHA-256>/`, made whole or not at all
// (unpacked beside it under a hidden temporary name, renamed into place), and taken as it is
// when the same zip is graded again. Hidden folders an earlier grader was killed while unpacking
// into (untouched for an hour) are removed first. Throws as unpack_zip does.
std::filesystem::path unpack_zip_to_keep(const std::filesystem::path& zip,
                                         const std::filesystem::path& under,
                                         const ArchiveLimits& limits = {});

// Writes a zip of these (name, content) files, to a temporary name renamed at the end: whole or
// absent. Throws grader::Error when it cannot be written.
void write_zip(const std::filesystem::path& zip,
               const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace grader::intake
