#pragma once
// A move-only owner of an mmap'd region: unmaps it in the destructor.

#include <sys/mman.h>

#include <cstddef>
#include <utility>

namespace grader::sandbox {

class Mapping {
  public:
    Mapping() = default;
    Mapping(void* address, std::size_t size) : address_(address), size_(size) {}
    ~Mapping() { reset(); }
    Mapping(Mapping&& other) noexcept
        : address_(std::exchange(other.address_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    Mapping& operator=(Mapping&& other) noexcept {
        if (this != &other) {
            reset();
            address_ = std::exchange(other.address_, nullptr);
            size_ = std::exchange(other.size_, 0);
        }
        return *this;
    }
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    // Maps `size` bytes of `fd` (or anonymous memory when fd < 0); an empty Mapping on failure.
    static Mapping map(std::size_t size, int prot, int flags, int fd = -1) {
        void* p = ::mmap(nullptr, size, prot, flags, fd, 0);
        if (p == MAP_FAILED) return {};
        return Mapping(p, size);
    }

    std::byte* data() const { return static_cast<std::byte*>(address_); }
    std::size_t size() const { return size_; }
    explicit operator bool() const { return address_ != nullptr; }
    void reset() {
        if (address_) ::munmap(address_, size_);
        address_ = nullptr;
        size_ = 0;
    }

  private:
    void* address_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace grader::sandbox
