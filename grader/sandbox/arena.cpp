#include "grader/sandbox/arena.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

namespace grader::sandbox {

Arena::Space* Arena::lay_out(Family& family, bool inputs, std::span<const Request> arrays) {
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
    auto same = [&](const Space& space) {
        return key_count == space.key_count &&
               std::equal(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(key_count),
                          space.key.begin());
    };
    Space* chosen = nullptr;
    if (total > kKeptBytes) {
        chosen = &family[0];
    } else {
        for (std::size_t k = 1; k < family.size() && !chosen; ++k)
            if (same(family[k])) chosen = &family[k];
        if (!chosen) {  // the least recently used kept layout makes room
            chosen = &family[1];
            for (std::size_t k = 2; k < family.size(); ++k)
                if (family[k].last_use < chosen->last_use) chosen = &family[k];
        }
    }
    chosen->last_use = ++uses_;
    if (same(*chosen)) return chosen;
    chosen->key_count = static_cast<std::size_t>(-1);
    if (!map_and_protect(*chosen, inputs, arrays, total)) return nullptr;
    chosen->key = key;
    chosen->key_count = key_count;
    return chosen;
}

bool Arena::map_and_protect(Space& space, bool inputs, std::span<const Request> arrays,
                            std::size_t total) {
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
    return true;
}

bool Arena::prepare(std::span<const Request> arrays) {
    if (arrays.size() > kMaxArrays) return false;
    if (page_ == 0) page_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    for (const Request& a : arrays)
        if (a.bytes > (std::size_t{1} << 39)) return false;
    const Space* in = lay_out(inputs_, true, arrays);
    const Space* out = in ? lay_out(outputs_, false, arrays) : nullptr;
    if (!out) return false;

    count_ = arrays.size();
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        const Space& space = arrays[i].input ? *in : *out;
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
