#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"

namespace grader::cli {

namespace {

struct MergeCmdOptions {
    std::string out;
    std::vector<std::string> inputs;
    bool allow_mixed_specs = false;
};

std::string short_hash(const std::string& sha) {
    return sha.substr(0, 12);
}

int run_merge(const MergeCmdOptions& o) {
    // Every input is read (and refused if it is not a gradebook) before anything is written.
    std::set<std::string> specs;
    std::map<std::string, std::string> spec_of;  // a spec -> the first file graded with it
    auto note_specs = [&](gradebook::Gradebook& book) {
        for (const std::string& s : book.spec_hashes())
            if (specs.insert(s).second) spec_of[s] = book.path();
    };
    for (const std::string& in : o.inputs) {
        if (in == o.out) continue;
        gradebook::Gradebook book(in, gradebook::Access::ReadOnly);
        note_specs(book);
    }
    gradebook::Gradebook out(o.out, gradebook::Access::ReadWrite);
    note_specs(out);
    if (specs.size() > 1 && !o.allow_mixed_specs) {
        std::string list;
        for (const std::string& s : specs)
            list +=
                fmt::format("{}{} (in {})", list.empty() ? "" : ", ", short_hash(s), spec_of[s]);
        throw Error("these gradebooks hold grades of " + std::to_string(specs.size()) +
                    " different specs: " + list +
                    ". Merging would mix grades made by different rules: regrade them with one "
                    "spec, or pass --allow-mixed-specs");
    }
    std::size_t added = 0, conflicts = 0;
    for (const std::string& in : o.inputs) {
        if (in == o.out) continue;
        const auto report = out.merge_from(in);
        added += report.runs_added;
        std::cout << fmt::format("{}: {} student{}, {} new run{}\n", in, report.students,
                                 report.students == 1 ? "" : "s", report.runs_added,
                                 report.runs_added == 1 ? "" : "s");
        for (const auto& c : report.conflicts) {
            ++conflicts;
            const bool theirs_newer = c.theirs.ended_at > c.ours.ended_at;
            std::cout << fmt::format(
                "  {} was graded twice with different {}: {} (ended {}) and {} (ended {}); the "
                "newer, from {}, is the current grade\n",
                c.student,
                c.ours.key.submission_sha256 != c.theirs.key.submission_sha256 ? "files" : "specs",
                short_hash(c.ours.key.submission_sha256), c.ours.ended_at,
                short_hash(c.theirs.key.submission_sha256), c.theirs.ended_at,
                theirs_newer ? in : o.out);
        }
    }
    std::cout << fmt::format("Merged into {}: {} new run{}, {} conflict{} reported\n", o.out, added,
                             added == 1 ? "" : "s", conflicts, conflicts == 1 ? "" : "s");
    return kExitFullMarks;
}

}  // namespace

void setup_merge(CLI::App& app, int& status) {
    auto o = std::make_shared<MergeCmdOptions>();
    CLI::App* sub = app.add_subcommand(
        "merge",
        "Join gradebooks (the shards of one class) into one; merging again changes nothing");
    sub->add_option("out", o->out, "The gradebook to merge into (created if missing)")->required();
    sub->add_option("gradebooks", o->inputs, "The gradebooks to merge in")->required();
    sub->add_flag("--allow-mixed-specs", o->allow_mixed_specs,
                  "Merge gradebooks graded with different specs");
    sub->callback([o, &status] { status = run_merge(*o); });
}

}  // namespace grader::cli
