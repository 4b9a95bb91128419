#pragma once
// The worker's own root, built in its mount namespace before anything of the submission runs: an
// empty tmpfs holding read-only binds of the system library directories and the loader's cache,
// and a copy of the submission. Nothing else of the machine is in it: not the grader's working
// directory, not the spec, the reference or the cache of expected values, not /proc, /tmp or
// /dev/shm. Everything in it is read-only. The same steps as bubblewrap's --ro-bind, done in a
// few system calls of the worker's own (see README: "Isolation").

#include <string>
#include <vector>

namespace grader::sandbox::worker {

// Where the submission's copy lies inside the new root.
inline constexpr char kRootLibrary[] = "/submission.so";

// The directories the dynamic loader finds system libraries in, as they are named outside; each
// one the machine has is bound read-only (a symbolic link, as on merged-/usr systems, is made
// again as the same link).
extern const char* const kLibraryDirs[];
inline constexpr char kLoaderCache[] = "/etc/ld.so.cache";

// Builds the root from `library` (an open descriptor of the submission) and moves the worker into
// it (pivot_root, working directory "/"). `hidden`: absolute paths of files the worker must not
// see even where they lie among the system libraries (the reference library of an installed
// grader); each is covered by an empty file, or its directory by an empty one when that is not
// itself a system directory. Needs CAP_SYS_ADMIN in the worker's mount namespace. On failure
// returns false with `error` saying which step failed; the worker is then left where it was.
bool enter_own_root(int library, const std::vector<std::string>& hidden, std::string& error);

}  // namespace grader::sandbox::worker
