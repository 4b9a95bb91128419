#include "grader/batch/intake.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "grader/error.hpp"

namespace grader::batch {

namespace fs = std::filesystem;

Discovery from_download(const intake::Download& d) {
    Discovery out;
    // key -> attempt -> its libraries
    std::map<std::string, std::map<std::string, std::vector<const intake::Attributed*>>> by_key;
    for (const intake::Attributed& a : d.libraries) by_key[a.key][a.attempt].push_back(&a);
    for (const auto& [key, attempts] : by_key) {
        const auto& [stamp, libs] = *attempts.rbegin();  // the latest: stamps sort as text
        for (auto it = attempts.begin(); it != std::prev(attempts.end()); ++it)
            for (const intake::Attributed* a : it->second)
                out.notes.push_back("earlier attempt, not graded (the latest counts): " + a->entry);
        if (libs.size() > 1) {
            std::string list;
            for (const intake::Attributed* a : libs) list += (list.empty() ? "" : ", ") + a->entry;
            out.problems.push_back({key, key + ": the submission holds " +
                                             std::to_string(libs.size()) + " libraries (" + list +
                                             "); grade the right one alone with `grader grade`"});
            continue;
        }
        out.submissions.push_back({key, libs.front()->path});
        if (libs.front()->late) out.notes.push_back("late (as the LMS marked it): " + key);
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
               const fs::path& unpack_under) {
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
        return in;
    }
    in.found = from_download(intake::read_download(root, layout));
    return in;
}

}  // namespace grader::batch
