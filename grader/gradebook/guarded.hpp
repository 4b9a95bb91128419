#pragma once
// The gradebook's words for what SQLite says (a full disk, another grader holding the lock, a
// file that is no gradebook), with what to do about it: every query of the gradebook's files
// (gradebook.cpp, decisions.cpp, ...) runs through guarded(). Internal to grader/gradebook.

#include <sqlite3.h>

#include <string>

#include <SQLiteCpp/Exception.h>

#include "grader/error.hpp"

namespace grader::gradebook {

// Long enough for another grader's transactions (milliseconds each) to pass; short enough that
// one stuck elsewhere is reported rather than waited on forever.
inline constexpr int kBusyMilliseconds = 30000;

// The grader's words for what SQLite says, with what to do about it.
[[noreturn]] inline void fail(const std::string& path, const std::string& doing,
                              const SQLite::Exception& e) {
    switch (e.getErrorCode()) {
        case SQLITE_FULL:
            throw Error("cannot " + doing + " in the gradebook " + path +
                        ": the disk is full. Everything graded before is saved; free some space "
                        "and run the same command again to resume");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw Error("the gradebook " + path +
                        " is busy: another grader has been writing to "
                        "it for " +
                        std::to_string(kBusyMilliseconds / 1000) +
                        " s. Wait for it to finish, then run this command again");
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
            throw Error("cannot " + doing + " in the gradebook " + path + ": " + e.what() +
                        " (is the file or its folder writable?)");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            throw Error(path + " is not a readable gradebook (" + e.what() +
                        "); name another file with --gradebook");
        default:
            throw Error("cannot " + doing + " in the gradebook " + path + ": " + e.what());
    }
}

template <typename F>
auto guarded(const std::string& path, const std::string& doing, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        fail(path, doing, e);
    }
}

}  // namespace grader::gradebook
