#include "grader/hash/sha256.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "grader/error.hpp"

namespace grader::hash {

namespace {

EVP_MD_CTX* ctx_of(void* p) {
    return static_cast<EVP_MD_CTX*>(p);
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_of(ctx_), EVP_sha256(), nullptr) != 1)
        throw Error("cannot start a SHA-256 digest (OpenSSL failed)");
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(ctx_of(ctx_));
}

void Sha256::update(const void* data, std::size_t size) {
    if (size && EVP_DigestUpdate(ctx_of(ctx_), data, size) != 1)
        throw Error("cannot update a SHA-256 digest (OpenSSL failed)");
}

std::string Sha256::hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_of(ctx_), digest, &length) != 1)
        throw Error("cannot finish a SHA-256 digest (OpenSSL failed)");
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        out += kDigits[digest[i] >> 4];
        out += kDigits[digest[i] & 15];
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 h;
    h.update(bytes);
    return h.hex();
}

std::string sha256_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read " + path + " to hash it: " + std::strerror(errno));
    Sha256 h;
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        h.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) throw Error("cannot read " + path + " to hash it: the read failed");
    return h.hex();
}

}  // namespace grader::hash
