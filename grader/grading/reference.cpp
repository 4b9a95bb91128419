#include "grader/grading/reference.hpp"

#include <dlfcn.h>

#include <cmath>
#include <limits>

#include "grader/error.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::grading {

double to_double(abi::Word w, abi::Scalar type) {
    switch (type) {
        case abi::Scalar::Double:
            return w.f;
        case abi::Scalar::SizeT:
        case abi::Scalar::UInt64:
            return static_cast<double>(w.u);
        case abi::Scalar::Int64:
        case abi::Scalar::Int32:
            return static_cast<double>(w.i);
        case abi::Scalar::Void:
            return 0;
    }
    return 0;
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
    std::vector<std::vector<double>> inputs(sig.params.size());
    std::vector<abi::Word> words(sig.params.size());
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const sandbox::Arg& arg = call.args.at(i);
        switch (arg.kind) {
            case sandbox::Arg::Kind::Scalar:
                words[i] = arg.scalar;
                break;
            case sandbox::Arg::Kind::Input:
                inputs[i] = arg.values;
                words[i].ptr = inputs[i].data();
                break;
            case sandbox::Arg::Kind::Output:
                out.arrays[i].assign(arg.length, std::numeric_limits<double>::quiet_NaN());
                words[i].ptr = out.arrays[i].data();
                break;
        }
    }
    out.raw = caller.call(pointers_.at(call.function), words);
    out.result = to_double(out.raw, sig.result);
    return out;
}

}  // namespace grader::grading
