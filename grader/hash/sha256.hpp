#pragma once
// SHA-256 digests as lowercase hex: of files (submissions, the spec, the reference) so that a
// gradebook can tell an unchanged submission from a changed one, and of bytes (the fingerprint of
// what a function returned). OpenSSL does the hashing.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace grader::hash {

// Incremental hashing, for data that arrives in pieces.
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    // The digest as 64 hex digits; the object cannot be updated afterwards.
    std::string hex();

  private:
    void* ctx_;  // EVP_MD_CTX, kept out of this header
};

std::string sha256_hex(std::string_view bytes);

// Throws grader::Error naming the path when the file cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace grader::hash
