#pragma once
// The signature model of the C ABI: what a prototype in exercises.yaml can say. Only the types
// numeric exercise functions need are supported; anything else is refused when the spec loads.
// Values travel through the grader as doubles whatever their C type (every float, int32_t and
// uint8_t is exact in a double, an int64_t up to 2^53); abi/element.hpp converts at the call.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace grader::abi {

// The numbers are on the worker's channel and in the expected-value cache: add, never reorder.
enum class Scalar : std::uint8_t { Void, Double, SizeT, UInt64, Int64, Int32, Float, UInt8, Bool };

struct Param {
    std::string name;
    Scalar type = Scalar::Double;
    bool pointer = false;   // an array of `type` (see can_point_to), or a scalar out-parameter
    bool is_const = false;  // const T* is an input array; T* is an output
    bool is_input_array() const { return pointer && is_const; }
    bool is_output() const { return pointer && !is_const; }
};

struct Signature {
    std::string name;
    Scalar result = Scalar::Void;
    std::vector<Param> params;

    // Index of the parameter with this name, or -1.
    int find(std::string_view param) const;
};

// What a prototype may hold: far above any exercise function, and what the worker's greeting
// carries (a longer name or list would make the worker refuse it).
inline constexpr std::size_t kMaxParams = 64;
inline constexpr std::size_t kMaxNameLength = 256;

// Parses one C prototype such as "double kl_divergence(const double *p, const double *q,
// size_t n)". A trailing ';' is allowed. Throws ParseError with the column of the problem, also for
// a prototype beyond the limits above.
Signature parse_prototype(std::string_view text);

struct ParseError {
    std::size_t column;  // 0-based offset into the prototype text
    std::string message;
};

// Renders the canonical C text of a signature (used in the generated header and in messages).
std::string to_c(const Signature& sig);
std::string to_c(Scalar type);

// True for the integer scalar types (size parameters must be one of these). Bool is not one:
// it is a result only.
bool is_integer(Scalar type);
// The element types an array parameter may have.
bool can_point_to(Scalar type);

}  // namespace grader::abi
