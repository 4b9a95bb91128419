#pragma once
// `grader batch`: discovery, the roster, resume, N parallel graders, reports, the gradebook and
// the closing summary. The spec is prepared once by the caller (expected values included) and
// every submission is graded against that same preparation, exactly as `grader grade` grades one.

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "grader/batch/deadlines.hpp"
#include "grader/batch/engine.hpp"
#include "grader/batch/intake.hpp"
#include "grader/batch/progress.hpp"
#include "grader/batch/shard.hpp"
#include "grader/grading/prepared.hpp"
#include "grader/intake/download.hpp"
#include "grader/intake/roster_formats.hpp"
#include "grader/report/report.hpp"

namespace grader::batch {

// What the grades depend on besides the submission.
struct Grading {
    const grading::Prepared* prepared = nullptr;
    std::string spec_path;
    std::string spec_sha256;
    std::string reference_sha256;  // empty for a public bundle
    // The seed of a student's hidden cases (their own with a course secret), or none.
    std::function<std::optional<std::uint64_t>(const std::string& student)> seed_for;
    GradeFn grade;  // grades one submission: *prepared's cases, or the student's own
};

struct BatchOptions {
    std::vector<std::string> inputs;  // folders and libraries, or one LMS download (or its zip)
    intake::Layout layout = intake::Layout::Auto;
    int jobs = 1;
    std::string out_dir;                  // empty: no reports
    std::vector<report::Format> formats;  // written beside <id>.json
    std::string roster;                   // empty: none given
    intake::RosterFormat roster_format = intake::RosterFormat::Auto;
    std::string gradebook = "gradebook.sqlite";
    bool force = false;          // regrade what is already graded
    std::optional<Shard> shard;  // grade only this slice of the class
    bool timings = true;         // false: reports without time figures (reruns compare equal)
    ProgressMode progress = ProgressMode::Lines;
    Deadlines deadlines;  // recorded before grading; the gradebook's policy marks the reports
    AttemptRule attempts = AttemptRule::Latest;  // which of a student's attempts counts
};

// Exit status: 0 every submission graded (whatever the scores), 1 some could not be (system
// errors, ambiguous inputs), 130 and the like when interrupted. Throws grader::Error when the
// batch cannot run at all (the caller exits 2).
int run_batch(const Grading& grading, const BatchOptions& options, std::ostream& out);

// Writes the report files of one result: <dir>/<id>.json and one per extra format, each written
// to a temporary name and renamed, so that a report is whole or absent.
void write_reports(const result::Result& result, const std::string& dir, const std::string& id,
                   const std::vector<report::Format>& formats, bool timings = true);

// The default for --jobs: the cores this process may use.
int default_jobs();

}  // namespace grader::batch
