#include "grader/grading/reference.hpp"

#include <dlfcn.h>

#include <cmath>
#include <limits>

#include "grader/abi/element.hpp"
#include "grader/error.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::grading {

double to_double(abi::Word w, abi::Scalar type) {
    return abi::double_of(w, type);
}

Reference::Reference(const std::string& path, const std::vector<spec::Function>& functions)
    : path_(path) {
    // Hashed before loading, so the digest is of the bytes that were loaded.
    sha256_ = hash::sha256_file(path);
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
        const char* why = dlerror();
        throw Error("cannot load the reference library " + path + ": " +
                    (why ? why : "unknown error") +
                    " (build it with `make`, or pass --reference PATH)");
    }
    for (const spec::Function& f : functions) {
        dlerror();
        void* symbol = dlsym(handle_, f.name.c_str());
        if (!symbol)
            throw Error("the reference library " + path + " does not export " + f.name +
                        "; it does not implement this spec");
        callers_.emplace_back(f.signature);
        // POSIX guarantees data and function pointers convert through dlsym's void*.
        pointers_.push_back(reinterpret_cast<abi::FunctionPointer>(symbol));
    }
}

Reference::~Reference() {
    // The library stays mapped: other Reference objects for the same path share the handle,
    // and unloading code that registered atexit handlers is unsafe.
}

Outputs Reference::call(const sandbox::Call& call) const {
    const abi::Caller& caller = callers_.at(call.function);
    const abi::Signature& sig = caller.signature();
    Outputs out;
    out.arrays.resize(sig.params.size());
    // Each array in its C type, as the student's function gets it in the worker; 8-byte
    // elements keep every type aligned.
    std::vector<std::vector<std::uint64_t>> native(sig.params.size());
    std::vector<abi::Word> words(sig.params.size());
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const sandbox::Arg& arg = call.args.at(i);
        const abi::Scalar type = sig.params[i].type;
        switch (arg.kind) {
            case sandbox::Arg::Kind::Scalar:
                words[i] = arg.scalar;
                break;
            case sandbox::Arg::Kind::Input:
                native[i].resize(arg.values.size());
                abi::store(type, reinterpret_cast<const std::byte*>(arg.values.data()),
                           arg.values.size(), native[i].data());
                words[i].ptr = native[i].data();
                break;
            case sandbox::Arg::Kind::Output:
                native[i].resize(arg.length);
                abi::poison(type, native[i].data(), arg.length);
                words[i].ptr = native[i].data();
                break;
        }
    }
    out.raw = caller.call(pointers_.at(call.function), words);
    out.result = to_double(out.raw, sig.result);
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        if (call.args[i].kind != sandbox::Arg::Kind::Output) continue;
        const abi::Scalar type = sig.params[i].type;
        out.arrays[i].resize(call.args[i].length);
        abi::load(type, native[i].data(), call.args[i].length,
                  reinterpret_cast<std::byte*>(out.arrays[i].data()));
        if (type != abi::Scalar::Int32 && type != abi::Scalar::Int64) continue;
        // A student's integer element holding the poison reads as unwritten; the reference's
        // must never, or an unwritten one would match it.
        for (std::size_t k = 0; k < out.arrays[i].size(); ++k)
            if (std::isnan(out.arrays[i][k]))
                throw Error("the reference's " + sig.name + " left element " + std::to_string(k) +
                            " of its output " + sig.params[i].name + " holding " +
                            (type == abi::Scalar::Int32 ? "INT32_MIN" : "INT64_MIN") +
                            ", the value that marks an unwritten " + abi::to_c(type) +
                            " output; it must write every element, and never that value");
    }
    return out;
}

}  // namespace grader::grading
