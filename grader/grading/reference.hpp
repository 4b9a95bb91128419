#pragma once
// The trusted reference implementation, loaded into the grader's own process. It computes the
// expected outputs once per spec; student code never runs here.

#include <memory>
#include <string>
#include <vector>

#include "grader/abi/ffi_call.hpp"
#include "grader/sandbox/runner.hpp"
#include "grader/spec/spec.hpp"

namespace grader::grading {

// What one call produced: the return value (as a double) and every output array.
struct Outputs {
    double result = 0;                        // the return value, for comparison
    abi::Word raw{};                          // the same, as the function's own type
    std::vector<std::vector<double>> arrays;  // per parameter; empty for inputs
};

class Reference {
  public:
    // Throws grader::Error when the library cannot be loaded or lacks a function of the spec.
    Reference(const std::string& path, const std::vector<spec::Function>& functions);
    ~Reference();
    Reference(const Reference&) = delete;
    Reference& operator=(const Reference&) = delete;

    Outputs call(const sandbox::Call& call) const;
    const std::string& path() const { return path_; }
    const std::string& sha256() const { return sha256_; }  // of the library file, in hex

  private:
    std::string path_;
    std::string sha256_;
    void* handle_ = nullptr;
    std::vector<abi::Caller> callers_;
    std::vector<abi::FunctionPointer> pointers_;
};

// Converts a result Word of the given type to a double for comparison.
double to_double(abi::Word w, abi::Scalar type);

}  // namespace grader::grading
