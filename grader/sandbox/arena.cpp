#include "grader/sandbox/arena.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

namespace grader::sandbox {

bool Arena::lay_out(Space& space, bool inputs, std::span<const Request> arrays) {
    std::array<std::size_t, kMaxArrays> key{};
    std::size_t key_count = 0;
    std::size_t total = page_;  // the leading guard page: an underrun of the first array faults too
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        if (arrays[i].input != inputs) continue;
        const std::size_t pages = (arrays[i].bytes + page_ - 1) / page_;
        key[key_count++] = pages;
        offset_[i] = total;
        data_bytes_[i] = pages * page_;
        total += (pages + 1) * page_;
    }
    if (key_count == space.key_count &&
        std::equal(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(key_count),
                   space.key.begin()))
        return true;
    space.key_count = static_cast<std::size_t>(-1);

    if (total > space.capacity) {
        space.view.reset();
        space.alias.reset();
        const std::size_t bytes = std::max(total, 16 * page_);
        if (inputs) {
            space.alias = Mapping::map(bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
            if (!space.alias) return false;
            // mremap of a shared mapping with old size 0 maps the same pages a second time.
            void* view = ::mremap(space.alias.data(), 0, bytes, MREMAP_MAYMOVE);
            if (view == MAP_FAILED) return false;
            space.view = Mapping(view, bytes);
        } else {
            space.view =
                Mapping::map(bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
            if (!space.view) return false;
        }
        space.capacity = bytes;
    }
    if (::mprotect(space.view.data(), space.capacity, PROT_NONE) != 0) return false;
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        if (arrays[i].input != inputs || data_bytes_[i] == 0) continue;
        if (::mprotect(space.view.data() + offset_[i], data_bytes_[i],
                       inputs ? PROT_READ : PROT_READ | PROT_WRITE) != 0)
            return false;
    }
    space.key = key;
    space.key_count = key_count;
    return true;
}

bool Arena::prepare(std::span<const Request> arrays) {
    if (arrays.size() > kMaxArrays) return false;
    if (page_ == 0) page_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    for (const Request& a : arrays)
        if (a.bytes > (std::size_t{1} << 39)) return false;
    if (!lay_out(inputs_, true, arrays) || !lay_out(outputs_, false, arrays)) return false;

    count_ = arrays.size();
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        const Space& space = arrays[i].input ? inputs_ : outputs_;
        const std::size_t end = offset_[i] + data_bytes_[i];
        const std::size_t start = end - arrays[i].bytes;
        view_[i] = reinterpret_cast<std::byte*>(space.view.data() + start);
        alias_[i] = reinterpret_cast<std::byte*>(
            (arrays[i].input ? space.alias : space.view).data() + start);
        GuardedRegion& r = regions_[i];
        r.begin = reinterpret_cast<std::uintptr_t>(space.view.data() + offset_[i]);
        r.end = reinterpret_cast<std::uintptr_t>(space.view.data() + end);
        r.param = arrays[i].param;
        r.input = arrays[i].input;
    }
    return true;
}

}  // namespace grader::sandbox
