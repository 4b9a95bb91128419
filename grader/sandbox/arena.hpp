#pragma once
// The worker's guarded buffers for one call: every array ends exactly where a PROT_NONE guard
// page begins, so touching element n faults.
//
// Inputs live in shared anonymous memory mapped twice: the submission gets a read-only view, the
// worker copies each call's inputs through a writable alias of the same pages. So inputs are
// read-only during every call without a single mprotect per call (they cost microseconds each).
// Outputs live in private memory. Protections are redone only when the page layout changes,
// which for arrays of up to one page (512 doubles, 1024 floats) is never.

#include <array>
#include <cstddef>
#include <span>

#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/mapping.hpp"

namespace grader::sandbox {

class Arena {
  public:
    static constexpr std::size_t kMaxArrays = 64;

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
    };
    bool lay_out(Space& space, bool inputs, std::span<const Request> arrays);

    std::size_t page_ = 0;
    Space inputs_, outputs_;
    std::array<std::byte*, kMaxArrays> view_{};
    std::array<std::byte*, kMaxArrays> alias_{};
    std::array<std::size_t, kMaxArrays> offset_{};      // of the data block in its space
    std::array<std::size_t, kMaxArrays> data_bytes_{};  // page-rounded
    std::array<GuardedRegion, kMaxArrays> regions_{};
    std::size_t count_ = 0;
};

}  // namespace grader::sandbox
