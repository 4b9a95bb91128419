#include "grader/grading/student_seed.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "grader/error.hpp"

namespace grader::grading {

namespace {

// Ties the seeds to this use: the same secret used for something else gives other numbers.
constexpr std::string_view kLabel = "kl-grader hidden cases v1";

const char* const kHowTo =
    "make one with `head -c 32 /dev/urandom | base64 > course.secret` and keep it out of "
    "anything handed to students";

}  // namespace

std::string read_course_secret(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read the course secret " + path + "; " + kHowTo);
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() < kMinSecretBytes)
        throw Error("the course secret " + path + " has " + std::to_string(secret.size()) +
                    " bytes; it needs at least " + std::to_string(kMinSecretBytes) + ": " + kHowTo);
    return secret;
}

std::optional<std::string> find_course_secret(const std::string& spec_path,
                                              const std::string& secret_file) {
    if (!secret_file.empty()) return read_course_secret(secret_file);
    const std::filesystem::path beside =
        std::filesystem::path(spec_path).parent_path() / std::string(kSecretFileName);
    std::error_code ec;
    if (!std::filesystem::exists(beside, ec)) return std::nullopt;
    return read_course_secret(beside.string());
}

std::uint64_t student_seed(std::string_view secret, std::string_view student_id) {
    if (student_id.empty()) throw Error("a student id may not be empty");
    // The label, a NUL that no label contains, then the id: no two (label, id) give one message.
    std::string message(kLabel);
    message.push_back('\0');
    message.append(student_id);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
              &length) ||
        length < 8)
        throw Error("HMAC-SHA-256 failed in OpenSSL: the per-student seed cannot be derived");
    std::uint64_t seed = 0;
    for (int i = 0; i < 8; ++i) seed = (seed << 8) | mac[i];
    return seed;
}

}  // namespace grader::grading
