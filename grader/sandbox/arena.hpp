#pragma once
// The worker's guarded buffers for one call: every array ends exactly where a PROT_NONE guard
// page begins, so touching element n faults.
//
// Inputs live in shared anonymous memory mapped twice: the submission gets a read-only view, the
// worker copies each call's inputs through a writable alias of the same pages. So inputs are
// read-only during every call without a single mprotect per call (they cost microseconds each).
// Outputs live in private memory. Protections are redone only when a call needs a page layout
// none of the kept ones has: a few small layouts are kept side by side, because the calls of a
// property alternate between functions with different arrays (each change of layout cost
// several mprotect calls, about 430 per grading of the reference, 1.1 ms). Layouts larger than
// kKeptBytes share one space, laid out afresh when it changes, so that the address space the
// worker holds stays that of its largest call plus at most kKept * kKeptBytes per family.

#include <array>
#include <cstddef>
#include <span>

#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/mapping.hpp"

namespace grader::sandbox {

class Arena {
  public:
    static constexpr std::size_t kMaxArrays = 64;
    static constexpr std::size_t kKept = 7;                // small layouts kept per family
    static constexpr std::size_t kKeptBytes = 256 * 1024;  // what a kept layout may span

    struct Request {
        std::size_t bytes = 0;  // the array's length times its element's size
        bool input = false;
        int param = -1;
    };

    // Lays out the arrays; false when memory could not be mapped.
    bool prepare(std::span<const Request> arrays);
    // Where the submission finds array i.
    std::byte* array(std::size_t i) const { return view_[i]; }
    // Where the worker writes array i (an input's writable alias; an output itself).
    std::byte* writable(std::size_t i) const { return alias_[i]; }
    const GuardedRegion* regions() const { return regions_.data(); }
    int region_count() const { return static_cast<int>(count_); }

  private:
    // One family of arrays (inputs or outputs), laid out as
    // [guard][data 0][guard][data 1][guard]… with each data block page-rounded.
    struct Space {
        Mapping view;
        Mapping alias;                              // inputs only
        std::size_t capacity = 0;                   // bytes
        std::array<std::size_t, kMaxArrays> key{};  // data pages per array: the reuse key
        std::size_t key_count = static_cast<std::size_t>(-1);
        std::size_t last_use = 0;
    };
    // Spaces of one family: [0] for large layouts, the rest for kept small ones.
    using Family = std::array<Space, kKept + 1>;
    // The space of `family` laid out for the arrays, or nullptr when memory could not be mapped.
    Space* lay_out(Family& family, bool inputs, std::span<const Request> arrays);
    bool map_and_protect(Space& space, bool inputs, std::span<const Request> arrays,
                         std::size_t total);

    std::size_t page_ = 0;
    std::size_t uses_ = 0;
    Family inputs_, outputs_;
    std::array<std::byte*, kMaxArrays> view_{};
    std::array<std::byte*, kMaxArrays> alias_{};
    std::array<std::size_t, kMaxArrays> offset_{};      // of the data block in its space
    std::array<std::size_t, kMaxArrays> data_bytes_{};  // page-rounded
    std::array<GuardedRegion, kMaxArrays> regions_{};
    std::size_t count_ = 0;
};

}  // namespace grader::sandbox
