#include "grader/batch/intake.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "grader/error.hpp"
#include "grader/policy/local_time.hpp"

namespace grader::batch {

namespace fs = std::filesystem;

namespace {

// When the LMS says the library came in: Blackboard's stamp in the LMS's zone, Gradescope's
// created_at, Canvas's LATE (late, time unknown). Moodle's download says nothing: its worksheet
// does (grader/batch/roster).
void time_of(const intake::Attributed& a, intake::Layout layout, const std::string& zone,
             Submission& s) {
    std::optional<policy::Instant> t;
    if (layout == intake::Layout::Blackboard) {
        t = policy::blackboard_stamp(a.attempt, zone);
        s.submitted_source = "blackboard";
    } else if (layout == intake::Layout::Gradescope && !a.created_at.empty()) {
        t = policy::gradescope_time(a.created_at);
        s.submitted_source = "gradescope";
    } else if (layout == intake::Layout::Canvas) {
        // Canvas says late or nothing: no marker is its word that the submission was on time.
        s.marked_late = a.late;
        s.submitted_source = "canvas";
    }
    if (t) s.submitted_at = policy::format_instant(*t);
    if (!t && layout != intake::Layout::Canvas) s.submitted_source.clear();
}

// A file's modification time: anyone who copies or touches the file changes it.
void mtime_of(Submission& s) {
    std::error_code ec;
    const auto t = fs::last_write_time(s.path, ec);
    if (ec) return;
    const auto utc = std::chrono::file_clock::to_sys(t);
    s.submitted_at =
        policy::format_instant(std::chrono::time_point_cast<std::chrono::seconds>(utc));
    s.submitted_source = "mtime";
}

}  // namespace

std::optional<AttemptRule> parse_attempt_rule(std::string_view name) {
    if (name == "latest") return AttemptRule::Latest;
    if (name == "best") return AttemptRule::Best;
    return std::nullopt;
}

Discovery from_download(const intake::Download& d, const std::string& zone, AttemptRule rule) {
    Discovery out;
    // key -> attempt -> its libraries
    std::map<std::string, std::map<std::string, std::vector<const intake::Attributed*>>> by_key;
    for (const intake::Attributed& a : d.libraries) by_key[a.key][a.attempt].push_back(&a);
    const std::string counts = rule == AttemptRule::Best ? "the best counts" : "the latest counts";
    for (const auto& [key, attempts] : by_key) {
        const bool several = attempts.size() > 1;
        if (several)
            out.notes.push_back(key + ": " + std::to_string(attempts.size()) +
                                " attempts, each graded and kept in the history (" + counts +
                                ", --attempt)");
        for (const auto& [stamp, libs] : attempts) {  // stamps sort as text: oldest first
            if (libs.size() > 1) {
                std::string list;
                for (const intake::Attributed* a : libs)
                    list += (list.empty() ? "" : ", ") + a->entry;
                out.problems.push_back(
                    {key, key + ": the submission holds " + std::to_string(libs.size()) +
                              " libraries (" + list +
                              "); grade the right one alone with `grader grade`"});
                continue;
            }
            Submission s{key, libs.front()->path};
            s.several = several;
            s.attempt = stamp;
            time_of(*libs.front(), d.layout, zone, s);
            out.submissions.push_back(std::move(s));
            if (libs.front()->late) out.notes.push_back("late (as the LMS marked it): " + key);
        }
    }
    for (const std::string& e : d.not_libraries)
        out.notes.push_back("not a library, not graded: " + e);
    for (const std::string& e : d.unmatched)
        out.notes.push_back("named as no student's submission in a " +
                            std::string(intake::name(d.layout)) + " download, not graded: " + e);
    return out;
}

fs::path downloads_folder(const std::string& gradebook) {
    const fs::path book(gradebook);
    return book.parent_path() / (book.filename().string() + ".downloads");
}

Intake take_in(const std::vector<std::string>& inputs, intake::Layout layout,
               const fs::path& unpack_under, const std::string& zone, AttemptRule rule) {
    Intake in;
    std::error_code ec;
    const bool one = inputs.size() == 1;
    const bool zip =
        one && fs::is_regular_file(inputs.front(), ec) && intake::is_zip(inputs.front());
    const bool folder = one && fs::is_directory(inputs.front(), ec);
    if (!zip && !folder) {
        if (layout != intake::Layout::Auto && layout != intake::Layout::Plain)
            throw Error("--layout " + std::string(intake::name(layout)) +
                        " reads one LMS download: give its folder or its zip, alone");
        in.found = discover(inputs);
        for (Submission& s : in.found.submissions) mtime_of(s);
        return in;
    }
    fs::path root = inputs.front();
    if (zip) {
        in.unpacked = intake::unpack_zip_to_keep(root, unpack_under);
        root = intake::class_folder(*in.unpacked);
    }
    if (layout == intake::Layout::Auto) {
        layout = intake::detect_layout(root);
        // An unzipped download may still sit in the zip's own folder.
        if (layout == intake::Layout::Plain && !zip) {
            const fs::path inner = intake::class_folder(root);
            if (inner != root && intake::detect_layout(inner) != intake::Layout::Plain) {
                root = inner;
                layout = intake::detect_layout(inner);
            }
        }
    }
    in.layout = layout;
    if (layout == intake::Layout::Plain) {
        // Our own folder exactly as before: the paths as given.
        in.found = discover({zip ? root.string() : inputs.front()});
        for (Submission& s : in.found.submissions) mtime_of(s);
        return in;
    }
    in.found = from_download(intake::read_download(root, layout), zone, rule);
    return in;
}

}  // namespace grader::batch
