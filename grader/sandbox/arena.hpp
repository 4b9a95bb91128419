#pragma once
// The worker's guarded buffers for one call: every array (input or output) ends exactly where a
// PROT_NONE guard page begins, so touching element n faults. The mapping is reused across calls;
// page protections are redone only when the page layout changes.

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/mapping.hpp"

namespace grader::sandbox {

class Arena {
public:
    static constexpr std::size_t kMaxArrays = 64;

    struct Request {
        std::size_t length = 0;  // doubles
        bool input = false;
        int param = -1;
    };

    // Lays out the arrays; false when memory could not be mapped.
    bool prepare(std::span<const Request> arrays);
    double* array(std::size_t i) const { return pointers_[i]; }
    // Inputs are read-only while the submission runs; false if mprotect failed.
    bool protect_inputs(bool read_only);
    const GuardedRegion* regions() const { return regions_.data(); }
    int region_count() const { return static_cast<int>(count_); }

private:
    std::size_t page_ = 0;
    Mapping mapping_;
    std::vector<std::size_t> layout_;  // data pages per array, plus input flags: the reuse key
    std::array<double*, kMaxArrays> pointers_{};
    std::array<GuardedRegion, kMaxArrays> regions_{};
    std::array<std::size_t, kMaxArrays> region_bytes_{};  // page-rounded data size
    std::size_t count_ = 0;
};

}  // namespace grader::sandbox
