#pragma once
// Shared by the harnesses: turning a fuzzer's bytes into typed input, and stopping loudly when a
// promise the grader makes does not hold (libFuzzer, and the replay, report the abort as a crash).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>

namespace grader::fuzz {

// Reads from the front of the input; past the end every read gives zeros, so any input, however
// short, means something.
class Bytes {
  public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    std::uint8_t u8() { return at_ < size_ ? data_[at_++] : 0; }
    std::uint16_t u16() {
        const std::uint16_t low = u8();
        return static_cast<std::uint16_t>(low | (u8() << 8));
    }
    // Up to n bytes: fewer when the input runs out.
    std::span<const std::uint8_t> take(std::size_t n) {
        const std::size_t k = n < size_ - at_ ? n : size_ - at_;
        const std::span<const std::uint8_t> out(data_ + at_, k);
        at_ += k;
        return out;
    }
    std::span<const std::uint8_t> rest() { return take(size_ - at_); }
    bool empty() const { return at_ >= size_; }

  private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

// A broken promise: say which, and abort so that the input is kept as a crash.
[[noreturn]] inline void broken(const char* promise, const std::string& detail = "") {
    std::fprintf(stderr, "fuzz: broken promise: %s%s%s\n", promise, detail.empty() ? "" : ": ",
                 detail.c_str());
    std::abort();
}

inline void require(bool holds, const char* promise, const std::string& detail = "") {
    if (!holds) broken(promise, detail);
}

}  // namespace grader::fuzz
