#pragma once
// Values of every C type the ABI supports, as the grader holds them (doubles) and as the called
// function sees them (native scalars and arrays). The grader, the reference and the worker all
// convert here, so a value means the same on every side of a call.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "grader/abi/ffi_call.hpp"
#include "grader/abi/signature.hpp"
#include "grader/compare/tolerance.hpp"

namespace grader::abi {

// Bytes of one array element of this type.
std::size_t element_size(Scalar type);

// Why `value` cannot be a value of `type` ("must be a whole number from 0 to 255"), or nothing
// when it can. A float takes any double: it is rounded (see round_to), and only a finite value
// beyond the float range is refused. int64_t and uint64_t values stop at 2^53 in magnitude, where
// doubles stop holding every whole number.
std::optional<std::string> out_of_range(Scalar type, double value);

// The value as the type holds it: a float rounded to single precision, others unchanged.
double round_to(Scalar type, double value);

// How values of this type are compared (compare/tolerance.hpp).
compare::Precision precision_of(Scalar type);

// A scalar argument or result and its double. word_of expects a value out_of_range accepts.
Word word_of(Scalar type, double value);
double double_of(Word w, Scalar type);

// What an output array is filled with before a call, so that an element the call never writes is
// seen: NaN for double and float, the type's most negative value for int32_t and int64_t, and
// 0xA5 for uint8_t (every byte is some answer; see docs/spec.md).
void poison(Scalar type, void* to, std::size_t count);

// `count` doubles at `from` (possibly unaligned, as in a channel payload) into native elements.
void store(Scalar type, const std::byte* from, std::size_t count, void* to);

// `count` native elements back into doubles at `to` (possibly unaligned). An int32_t or int64_t
// element still holding its poison becomes the NaN a double output is filled with, so an unwritten
// integer is reported, and diagnosed, as an unwritten double is.
void load(Scalar type, const void* from, std::size_t count, std::byte* to);

// The poison of an int32_t or int64_t output, which a correct answer therefore cannot be.
inline constexpr std::int32_t kInt32Poison = INT32_MIN;
inline constexpr std::int64_t kInt64Poison = INT64_MIN;
inline constexpr std::uint8_t kUInt8Poison = 0xA5;

}  // namespace grader::abi
