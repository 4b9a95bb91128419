#pragma once
// The one exception type of the grader: thrown when the grader itself cannot do its job (bad
// arguments, a broken spec, no reference). A student's fault is never an exception: it is a
// verdict in the result.

#include <optional>
#include <stdexcept>
#include <string>

namespace grader {

struct SourceLocation {
    std::string file;
    int line = 0;  // 1-based; 0 when unknown
};

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
    Error(const SourceLocation& where, const std::string& message)
        : std::runtime_error(format_with(where, message)), where_(where) {}

    const std::optional<SourceLocation>& where() const { return where_; }

  private:
    static std::string format_with(const SourceLocation& where, const std::string& message) {
        if (where.line > 0) return where.file + ":" + std::to_string(where.line) + ": " + message;
        return where.file + ": " + message;
    }
    std::optional<SourceLocation> where_;
};

// Throws Error for a failed system call: "<what>: <strerror(errno)>".
[[noreturn]] void throw_errno(const std::string& what);

}  // namespace grader
