#include "grader/batch/record.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "grader/batch/run.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::batch {

namespace fs = std::filesystem;

namespace {

bool has_verdict(const result::Result& r, result::Verdict v) {
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases)
            if (c.verdict == v) return true;
    return false;
}

std::string one_line(std::string text, std::size_t max = 100) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    if (text.size() > max) text = text.substr(0, max - 3) + "...";
    return text;
}

}  // namespace

FileFacts file_facts(const std::string& path) {
    FileFacts f;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return f;
    f.size = static_cast<std::uint64_t>(fs::file_size(path, ec));
    f.sha256 = hash::sha256_file(path);
    return f;
}

gradebook::RunKey run_key(const Grading& g, const std::string& student, const FileFacts& facts) {
    return {student,        facts.sha256,
            g.spec_sha256,  g.reference_sha256,
            GRADER_VERSION, g.seed_for ? g.seed_for(student) : std::nullopt};
}

gradebook::RunRecord run_record(const Grading& g, const Submission& s, const FileFacts& facts,
                                const Finished& f) {
    gradebook::RunRecord run;
    run.uid = gradebook::new_uid();
    run.key = run_key(g, s.id, facts);
    std::error_code ec;
    const fs::path absolute = fs::absolute(s.path, ec);
    run.submission_path = ec ? s.path : absolute.lexically_normal().string();
    run.submission_size = facts.size;
    run.spec_path = g.spec_path;
    run.submitted_at = s.submitted_at;
    run.submitted_source = s.submitted_source;
    run.marked_late = s.marked_late;
    run.counted = !s.several;  // one of several attempts counts once they are all graded
    run.started_at = f.started_at;
    run.ended_at = f.ended_at;
    if (!f.result) {
        run.status = gradebook::Status::SystemError;
        run.message = f.system_error;
    } else if (f.result->load_error) {
        run.status = gradebook::Status::LoadError;
        run.message = *f.result->load_error;
    }
    return run;
}

std::string account(const Submission& s, const Finished& f, Tally& tally) {
    ++tally.done;
    if (!f.result) {
        ++tally.system_errors;
        return fmt::format("{}  system error (after {} attempts): {}", s.id, f.attempts,
                           one_line(f.system_error));
    }
    const result::Result& r = *f.result;
    if (r.load_error) {
        ++tally.load_errors;
        return fmt::format("{}  0/{}  load error: {}", s.id, r.max_score(),
                           one_line(*r.load_error));
    }
    tally.crashed += has_verdict(r, result::Verdict::Crash);
    tally.timed_out += has_verdict(r, result::Verdict::Timeout);
    return fmt::format("{}  {}/{}  ({:.1f} s)", s.id, r.score(), r.max_score(), r.seconds);
}

}  // namespace grader::batch
