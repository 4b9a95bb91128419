#include "grader/sandbox/arena.hpp"

#include <sys/mman.h>
#include <unistd.h>

namespace grader::sandbox {

bool Arena::prepare(std::span<const Request> arrays) {
    if (arrays.size() > kMaxArrays) return false;
    if (page_ == 0) page_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

    std::vector<std::size_t> layout;
    layout.reserve(arrays.size() * 2);
    std::size_t total_pages = 1;  // a leading guard page: an underrun of the first array faults too
    for (const Request& a : arrays) {
        if (a.length > (std::size_t{1} << 40)) return false;
        const std::size_t pages = (a.length * sizeof(double) + page_ - 1) / page_;
        layout.push_back(pages);
        layout.push_back(a.input);
        total_pages += pages + 1;
    }

    if (layout != layout_ || !mapping_) {
        const std::size_t bytes = total_pages * page_;
        if (bytes > mapping_.size()) {
            mapping_.reset();
            // Grow geometrically so a batch with rising sizes maps only a few times.
            const std::size_t want = std::max(bytes, std::size_t{64} * page_);
            mapping_ = Mapping::map(want, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
            if (!mapping_) {
                layout_.clear();
                return false;
            }
        } else if (::mprotect(mapping_.data(), mapping_.size(), PROT_NONE) != 0) {
            return false;
        }
        std::byte* at = mapping_.data() + page_;
        for (std::size_t i = 0; i < arrays.size(); ++i) {
            const std::size_t data_bytes = layout[2 * i] * page_;
            if (data_bytes && ::mprotect(at, data_bytes, PROT_READ | PROT_WRITE) != 0) {
                layout_.clear();
                return false;
            }
            regions_[i].begin = reinterpret_cast<std::uintptr_t>(at);
            region_bytes_[i] = data_bytes;
            at += data_bytes + page_;
        }
        layout_ = std::move(layout);
    }

    count_ = arrays.size();
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        GuardedRegion& r = regions_[i];
        r.end = r.begin + region_bytes_[i];
        r.param = arrays[i].param;
        r.input = arrays[i].input;
        pointers_[i] = reinterpret_cast<double*>(r.end) - arrays[i].length;
    }
    return true;
}

bool Arena::protect_inputs(bool read_only) {
    const int prot = read_only ? PROT_READ : PROT_READ | PROT_WRITE;
    bool ok = true;
    for (std::size_t i = 0; i < count_; ++i) {
        if (!regions_[i].input || region_bytes_[i] == 0) continue;
        ok &= ::mprotect(reinterpret_cast<void*>(regions_[i].begin), region_bytes_[i], prot) == 0;
    }
    return ok;
}

}  // namespace grader::sandbox
