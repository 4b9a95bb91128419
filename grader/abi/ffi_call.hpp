#pragma once
// The generic call: any function whose prototype the spec gives is called through libffi, so
// nothing in the grader is written per exercise.

#include <cstdint>
#include <memory>
#include <span>

#include "grader/abi/signature.hpp"

namespace grader::abi {

// One argument or result. Which member is live follows the parameter's Scalar type; pointer
// parameters use `ptr`.
union Word {
    double f;
    std::uint64_t u;
    std::int64_t i;
    std::int32_t i32;
    float f32;
    std::uint8_t u8;  // uint8_t, and bool results (0 or 1)
    void* ptr;
};

using FunctionPointer = void (*)();

// A call interface prepared once per signature and reused for every call.
class Caller {
  public:
    explicit Caller(const Signature& sig);
    ~Caller();
    Caller(Caller&&) noexcept;
    Caller& operator=(Caller&&) noexcept;
    Caller(const Caller&) = delete;
    Caller& operator=(const Caller&) = delete;

    // Calls fn with one Word per parameter; returns the result (f for double, f32 for float, u/i
    // for integers, u = 0 or 1 for bool, unspecified for void).
    Word call(FunctionPointer fn, std::span<Word> args) const;

    const Signature& signature() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace grader::abi
