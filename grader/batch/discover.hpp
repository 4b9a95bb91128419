#pragma once
// Finds a class's submissions. A folder holds either `*.so` files (the student id is the file's
// stem) or one folder per student holding exactly one `.so` somewhere inside (the id is the
// folder's name); both may be mixed. A file named on the command line is a submission whatever
// its name (one that cannot load is graded with its load error, as `grade` does).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace grader::batch {

struct Submission {
    std::string id;
    std::string path;
    // When it came in, as far as the input says (grader/policy/local_time): ISO 8601 UTC, and
    // how it is known (gradebook::RunRecord::submitted_source).
    std::optional<std::string> submitted_at{};
    std::string submitted_source{};
    bool marked_late = false;
    // One of several attempts of the student's (an LMS's download keeps them all): every one is
    // graded and kept, and the batch then picks the one that counts. `attempt` sorts in time.
    bool several = false;
    std::string attempt{};
};

// Something found that cannot be graded, and whose it is (empty for a path given that is no
// student's, such as a folder that does not exist).
struct Problem {
    std::string id;
    std::string text;  // one sentence
};

struct Discovery {
    std::vector<Submission> submissions;  // sorted by id
    // What could not be graded, one sentence each (two libraries in one folder, an id used
    // twice, a path that does not exist): reported, and the batch exits 1.
    std::vector<Problem> problems;
    std::size_t ignored_files = 0;           // sources, READMEs and the like
    std::vector<std::string> empty_folders;  // student folders with no library at all
    // What an LMS's download held besides the libraries graded (files that are no library,
    // names that are no student's, earlier attempts), one sentence each: reported, not graded.
    std::vector<std::string> notes;
};

Discovery discover(const std::vector<std::string>& inputs);

}  // namespace grader::batch
