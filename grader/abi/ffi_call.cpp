#include "grader/abi/ffi_call.hpp"

#include <ffi.h>

#include <vector>

#include "grader/error.hpp"

namespace grader::abi {

namespace {

ffi_type* ffi_type_of(Scalar type, bool pointer) {
    if (pointer) return &ffi_type_pointer;
    switch (type) {
        case Scalar::Void:
            return &ffi_type_void;
        case Scalar::Double:
            return &ffi_type_double;
        case Scalar::SizeT:
            static_assert(sizeof(std::size_t) == 8, "size_t is assumed to be 64-bit");
            return &ffi_type_uint64;
        case Scalar::UInt64:
            return &ffi_type_uint64;
        case Scalar::Int64:
            return &ffi_type_sint64;
        case Scalar::Int32:
            return &ffi_type_sint32;
        case Scalar::Float:
            return &ffi_type_float;
        case Scalar::UInt8:
            return &ffi_type_uint8;
        case Scalar::Bool:
            // _Bool is one byte holding 0 or 1 in every ABI the grader runs on.
            static_assert(sizeof(bool) == 1);
            return &ffi_type_uint8;
    }
    return &ffi_type_void;
}

}  // namespace

struct Caller::Impl {
    Signature sig;
    std::vector<ffi_type*> arg_types;
    ffi_cif cif{};
};

Caller::Caller(const Signature& sig) : impl_(std::make_unique<Impl>()) {
    impl_->sig = sig;
    for (const Param& p : sig.params) impl_->arg_types.push_back(ffi_type_of(p.type, p.pointer));
    const ffi_status status =
        ffi_prep_cif(&impl_->cif, FFI_DEFAULT_ABI, static_cast<unsigned>(impl_->arg_types.size()),
                     ffi_type_of(sig.result, false), impl_->arg_types.data());
    if (status != FFI_OK) throw Error("cannot prepare a call to " + to_c(sig));
}

Caller::~Caller() = default;
Caller::Caller(Caller&&) noexcept = default;
Caller& Caller::operator=(Caller&&) noexcept = default;

const Signature& Caller::signature() const {
    return impl_->sig;
}

Word Caller::call(FunctionPointer fn, std::span<Word> args) const {
    // libffi wants one pointer per argument, at storage of the argument's own type; each Word
    // member starts at the union's address, so &args[i] serves for every type.
    // No allocation for the usual handful of arguments: the worker guards every block allocated
    // while a call runs (grader/sandbox/guarded_heap.hpp), and this is on that path.
    constexpr std::size_t kInline = 16;
    void* inline_values[kInline];
    std::vector<void*> more;
    void** values = inline_values;
    if (args.size() > kInline) {
        more.resize(args.size());
        values = more.data();
    }
    for (std::size_t i = 0; i < args.size(); ++i) values[i] = &args[i];
    // Integer results are widened to ffi_arg by libffi; keep room for that.
    union {
        ffi_arg integer;
        double f;
        float f32;
    } raw{};
    ffi_call(&impl_->cif, fn, &raw, values);
    Word out{};
    switch (impl_->sig.result) {
        case Scalar::Double:
            out.f = raw.f;
            break;
        case Scalar::Int32:
            out.i = static_cast<std::int32_t>(raw.integer);
            break;
        case Scalar::Int64:
            out.i = static_cast<std::int64_t>(raw.integer);
            break;
        case Scalar::SizeT:
        case Scalar::UInt64:
            out.u = static_cast<std::uint64_t>(raw.integer);
            break;
        case Scalar::Float:
            out.f32 = raw.f32;
            break;
        case Scalar::UInt8:
            out.u = static_cast<std::uint8_t>(raw.integer);
            break;
        case Scalar::Bool:
            // Only the low byte is defined; a submission's stray upper bits mean nothing.
            out.u = static_cast<std::uint8_t>(raw.integer) != 0;
            break;
        case Scalar::Void:
            break;
    }
    return out;
}

}  // namespace grader::abi
