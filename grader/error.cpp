#include "grader/error.hpp"

#include <cerrno>
#include <cstring>

namespace grader {

void throw_errno(const std::string& what) {
    throw Error(what + ": " + std::strerror(errno));
}

}  // namespace grader
