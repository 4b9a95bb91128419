#pragma once
// The gradebook's schema: one script per version and the steps between them. A gradebook records
// its version in `PRAGMA user_version` and that it is a gradebook in `PRAGMA application_id`, so
// a file from a newer grader, or a database that is not a gradebook, is refused before anything
// is read or written.

#include <string>

#include <SQLiteCpp/Database.h>

namespace grader::gradebook {

// The version this grader writes and reads.
inline constexpr int kSchemaVersion = 2;
// "KLGB" in ASCII: the mark of a gradebook file.
inline constexpr int kApplicationId = 0x4b4c4742;

// Thrown when a gradebook opened read-only was written by an older grader: the opener upgrades it
// through a writable connection, then reads it.
struct OlderSchema {};

// Brings an open database to kSchemaVersion: creates the tables of an empty file, migrates an
// older gradebook, and throws grader::Error for a newer one or a foreign database (naming `path`).
// `writable` false: only checks, never writes.
void prepare_schema(SQLite::Database& db, const std::string& path, bool writable);

}  // namespace grader::gradebook
