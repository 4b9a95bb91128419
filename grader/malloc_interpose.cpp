// The grader executable's malloc family, which replaces the C library's for the whole process
// (glibc supports this: its own functions, strdup and operator new among them, call these too).
// Everything forwards to grader/sandbox/guarded_heap.cpp, which hands out guard-paged blocks while
// a worker runs a submission's call and the C library's blocks otherwise.
//
// Linked into the grader executable only, never into grader_core: a test executable linking the
// library must keep the C library's allocator. No header declaring malloc is included, so that
// these definitions need not repeat the C library's attributes.

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "grader/sandbox/guarded_heap.hpp"

namespace {

namespace heap = grader::sandbox::heap;

constexpr std::size_t kMallocAlignment = 16;

bool power_of_two(std::size_t n) {
    return n != 0 && (n & (n - 1)) == 0;
}

// n * m, or false if it does not fit.
bool product(std::size_t n, std::size_t m, std::size_t& out) {
    return !__builtin_mul_overflow(n, m, &out);
}

std::size_t page_size() {
    return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

#define GRADER_EXPORT extern "C" __attribute__((visibility("default")))

GRADER_EXPORT void* malloc(std::size_t size) noexcept {
    return heap::allocate(size, kMallocAlignment, false);
}

GRADER_EXPORT void free(void* p) noexcept {
    heap::release(p);
}

GRADER_EXPORT void* calloc(std::size_t n, std::size_t size) noexcept {
    std::size_t bytes = 0;
    if (!product(n, size, bytes)) {
        errno = ENOMEM;
        return nullptr;
    }
    return heap::allocate(bytes, kMallocAlignment, true);
}

GRADER_EXPORT void* realloc(void* p, std::size_t size) noexcept {
    return heap::reallocate(p, size);
}

GRADER_EXPORT void* reallocarray(void* p, std::size_t n, std::size_t size) noexcept {
    std::size_t bytes = 0;
    if (!product(n, size, bytes)) {
        errno = ENOMEM;
        return nullptr;
    }
    return heap::reallocate(p, bytes);
}

GRADER_EXPORT int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
    if (!power_of_two(alignment) || alignment % sizeof(void*) != 0) return EINVAL;
    void* p = heap::allocate(size, alignment, false);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

GRADER_EXPORT void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    if (!power_of_two(alignment)) {
        errno = EINVAL;
        return nullptr;
    }
    return heap::allocate(size, alignment, false);
}

GRADER_EXPORT void* memalign(std::size_t alignment, std::size_t size) noexcept {
    // glibc rounds an alignment that is not a power of two up to one.
    std::size_t a = kMallocAlignment;
    while (a < alignment && a != 0) a <<= 1;
    if (a == 0) {
        errno = EINVAL;
        return nullptr;
    }
    return heap::allocate(size, a, false);
}

GRADER_EXPORT void* valloc(std::size_t size) noexcept {
    return heap::allocate(size, page_size(), false);
}

GRADER_EXPORT void* pvalloc(std::size_t size) noexcept {
    const std::size_t page = page_size();
    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return nullptr;
    }
    return heap::allocate((size + page - 1) & ~(page - 1), page, false);
}

GRADER_EXPORT std::size_t malloc_usable_size(void* p) noexcept {
    return heap::usable_size(p);
}
