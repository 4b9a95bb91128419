#include "grader/abi/element.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace grader::abi {

namespace {

constexpr double kMaxExactWhole = 9007199254740992.0;  // 2^53

template <typename T>
void store_as(const std::byte* from, std::size_t count, void* to) {
    auto* out = static_cast<T*>(to);
    for (std::size_t i = 0; i < count; ++i) {
        double v;
        std::memcpy(&v, from + i * sizeof v, sizeof v);
        out[i] = static_cast<T>(v);
    }
}

template <typename T>
void load_as(const void* from, std::size_t count, std::byte* to, std::optional<T> fill) {
    const auto* in = static_cast<const T*>(from);
    for (std::size_t i = 0; i < count; ++i) {
        const double v = fill && in[i] == *fill ? std::numeric_limits<double>::quiet_NaN()
                                                : static_cast<double>(in[i]);
        std::memcpy(to + i * sizeof v, &v, sizeof v);
    }
}

std::string whole_from(const char* low, const char* high) {
    return std::string("must be a whole number from ") + low + " to " + high;
}

}  // namespace

std::size_t element_size(Scalar type) {
    switch (type) {
        case Scalar::Double:
        case Scalar::SizeT:
        case Scalar::UInt64:
        case Scalar::Int64:
            return 8;
        case Scalar::Int32:
        case Scalar::Float:
            return 4;
        case Scalar::UInt8:
        case Scalar::Bool:
            return 1;
        case Scalar::Void:
            return 0;
    }
    return 0;
}

std::optional<std::string> out_of_range(Scalar type, double v) {
    const bool whole = std::isfinite(v) && v == std::floor(v);
    switch (type) {
        case Scalar::Double:
        case Scalar::Void:
            return std::nullopt;
        case Scalar::Float:
            if (std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max())
                return "is beyond the range of a float (about 3.4e38)";
            return std::nullopt;
        case Scalar::Int32:
            if (!whole || v < -2147483648.0 || v > 2147483647.0)
                return whole_from("-2147483648", "2147483647");
            return std::nullopt;
        case Scalar::Int64:
            if (!whole || std::fabs(v) > kMaxExactWhole)
                return whole_from("-2^53", "2^53 (9007199254740992)");
            return std::nullopt;
        case Scalar::SizeT:
        case Scalar::UInt64:
            if (!whole || v < 0 || v > kMaxExactWhole)
                return whole_from("0", "2^53 (9007199254740992)");
            return std::nullopt;
        case Scalar::UInt8:
            if (!whole || v < 0 || v > 255) return whole_from("0", "255");
            return std::nullopt;
        case Scalar::Bool:
            if (v != 0 && v != 1) return "must be 0 or 1";
            return std::nullopt;
    }
    return std::nullopt;
}

compare::Precision precision_of(Scalar type) {
    if (type == Scalar::Float) return compare::Precision::Single;
    if (is_integer(type) || type == Scalar::Bool) return compare::Precision::Exact;
    return compare::Precision::Double;
}

double round_to(Scalar type, double value) {
    return type == Scalar::Float ? static_cast<double>(static_cast<float>(value)) : value;
}

Word word_of(Scalar type, double v) {
    Word w{};
    switch (type) {
        case Scalar::Double:
            w.f = v;
            break;
        case Scalar::Float:
            w.f32 = static_cast<float>(v);
            break;
        case Scalar::SizeT:
        case Scalar::UInt64:
            w.u = static_cast<std::uint64_t>(v);
            break;
        case Scalar::Int64:
        case Scalar::Int32:
            // Sign-extended: the low four bytes are the int32_t libffi passes, and w.i reads back
            // the same value.
            w.i = static_cast<std::int64_t>(v);
            break;
        case Scalar::UInt8:
        case Scalar::Bool:
            w.u = static_cast<std::uint8_t>(v);
            break;
        case Scalar::Void:
            break;
    }
    return w;
}

double double_of(Word w, Scalar type) {
    switch (type) {
        case Scalar::Double:
            return w.f;
        case Scalar::Float:
            return static_cast<double>(w.f32);
        case Scalar::SizeT:
        case Scalar::UInt64:
            return static_cast<double>(w.u);
        case Scalar::Int64:
            return static_cast<double>(w.i);
        case Scalar::Int32:
            return static_cast<double>(w.i32);
        case Scalar::UInt8:
        case Scalar::Bool:
            return static_cast<double>(w.u8);
        case Scalar::Void:
            return 0;
    }
    return 0;
}

void poison(Scalar type, void* to, std::size_t count) {
    switch (type) {
        case Scalar::Float: {
            auto* out = static_cast<float*>(to);
            std::fill(out, out + count, std::numeric_limits<float>::quiet_NaN());
            break;
        }
        case Scalar::Int32: {
            auto* out = static_cast<std::int32_t*>(to);
            std::fill(out, out + count, kInt32Poison);
            break;
        }
        case Scalar::Int64: {
            auto* out = static_cast<std::int64_t*>(to);
            std::fill(out, out + count, kInt64Poison);
            break;
        }
        case Scalar::UInt8:
            std::memset(to, kUInt8Poison, count);
            break;
        default: {
            auto* out = static_cast<double*>(to);
            std::fill(out, out + count, std::numeric_limits<double>::quiet_NaN());
            break;
        }
    }
}

void store(Scalar type, const std::byte* from, std::size_t count, void* to) {
    switch (type) {
        case Scalar::Float:
            store_as<float>(from, count, to);
            break;
        case Scalar::Int32:
            store_as<std::int32_t>(from, count, to);
            break;
        case Scalar::Int64:
            store_as<std::int64_t>(from, count, to);
            break;
        case Scalar::UInt8:
            store_as<std::uint8_t>(from, count, to);
            break;
        default:
            if (count) std::memcpy(to, from, count * sizeof(double));
            break;
    }
}

void load(Scalar type, const void* from, std::size_t count, std::byte* to) {
    switch (type) {
        case Scalar::Float:
            load_as<float>(from, count, to, std::nullopt);
            break;
        case Scalar::Int32:
            load_as<std::int32_t>(from, count, to, kInt32Poison);
            break;
        case Scalar::Int64:
            load_as<std::int64_t>(from, count, to, kInt64Poison);
            break;
        case Scalar::UInt8:
            load_as<std::uint8_t>(from, count, to, std::nullopt);
            break;
        default:
            if (count) std::memcpy(to, from, count * sizeof(double));
            break;
    }
}

}  // namespace grader::abi
