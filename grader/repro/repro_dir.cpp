#include "grader/repro/repro_dir.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include "grader/error.hpp"
#include "grader/repro/c_program.hpp"
#include "grader/repro/property_program.hpp"

namespace grader::repro {

namespace fs = std::filesystem;

namespace {

// What every program's first line holds (c_program.cpp): how a later run knows it for its own.
constexpr std::string_view kMark = "made by `grader grade ... --repro`";

std::string file_name(const std::string& exercise, const std::string& id) {
    std::string out = exercise + "_" + id;
    for (char& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    return out;
}

void remove_earlier(const fs::path& dir) {
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() != ".c") continue;
        std::ifstream in(e.path());
        std::string first;
        std::getline(in, first);
        if (first.find(kMark) == std::string::npos) continue;
        fs::remove(e.path(), ec);
        fs::remove(fs::path(e.path()).replace_extension(), ec);
    }
}

// Why a failure of this kind gets no program, or "" when it gets one: a program runs outside
// the sandbox, without its limits and its system call filter.
std::string no_program(result::Verdict v) {
    switch (v) {
        case result::Verdict::Missing:
            return "the function is not exported, so there is nothing to call";
        case result::Verdict::Timeout:
            return "it ran out of time, and a program would run as long; rerun the grader";
        case result::Verdict::Memory:
        case result::Verdict::Forbidden:
            return "the sandbox stopped it, and a program runs outside the sandbox; rerun the "
                   "grader";
        default:
            return "";
    }
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw Error("cannot write " + path.string());
}

}  // namespace

std::string makefile(const std::vector<std::string>& programs) {
    std::string list;
    for (const std::string& p : programs) list += " " + p;
    // LIB is named from where make was started (PWD, which make -C leaves as it was), so
    // `make -C DIR LIB=build/libsolution.so` finds the library the student means.
    return "# Made by `grader grade ... --repro`: the failing public cases as C programs.\n"
           "#   make -C DIR LIB=build/libsolution.so   builds them all\n"
           "#   make -C DIR LIB=... check              runs them all: fails while one fails\n"
           "# Each program exits 1 while its case fails and 0 once it passes; run one alone, or\n"
           "# in a debugger (gdb DIR/NAME), to step through the failing call.\n"
           "LIB ?= libsolution.so\n"
           "CC ?= cc\n"
           "CFLAGS ?= -g -O0 -std=c99 -Wall\n"
           "FROM := $(if $(PWD),$(PWD),$(CURDIR))\n"
           "LIBRARY := $(abspath $(if $(filter /%,$(LIB)),$(LIB),$(FROM)/$(LIB)))\n"
           "PROGRAMS =" +
           list +
           "\n\n"
           ".PHONY: all check clean\n"
           "all: $(PROGRAMS)\n\n" +
           // A static pattern rule needs at least one target.
           (programs.empty()
                ? std::string()
                : "$(PROGRAMS): %: %.c $(LIBRARY)\n"
                  "\t$(CC) $(CFLAGS) -o $@ $< $(LIBRARY) -lm -Wl,-rpath,$(dir $(LIBRARY))\n\n") +
           "check: all\n"
           "\t@status=0; for p in $(PROGRAMS); do ./$$p || status=1; done; exit $$status\n\n"
           "clean:\n"
           "\trm -f $(PROGRAMS)\n";
}

Written write_repro(const std::string& dir, const grading::Prepared& prepared,
                    const std::vector<grading::FailedCase>& failed) {
    const fs::path root(dir);
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec || !fs::is_directory(root))
        throw Error("cannot make the folder " + dir + " for --repro: " + ec.message());
    remove_earlier(root);
    Written written;
    std::set<std::string> taken;
    for (const grading::FailedCase& f : failed) {
        const grading::PreparedCase& pc = *f.pc;
        const std::string title = f.exercise + "/" + pc.id;
        if (pc.hidden) continue;
        if (const std::string why = no_program(f.verdict); !why.empty()) {
            written.skipped.push_back(title + ": " + why);
            continue;
        }
        if (!pc.property && f.instance.calls.size() != 1) continue;
        std::string text;
        try {
            if (pc.property) {
                text = property_program(title, f.message, prepared, pc, f.instance, f.shrunk);
            } else {
                const grading::PreparedCall& call = f.instance.calls[0];
                text = c_program(title, f.message, prepared.functions.at(call.call.function), call,
                                 pc.tolerance, f.shrunk);
            }
        } catch (const Error& e) {
            written.skipped.push_back(title + ": " + e.what());
            continue;
        }
        std::string name = file_name(f.exercise, pc.id);
        for (int n = 2; !taken.insert(name).second; ++n)
            name = file_name(f.exercise, pc.id) + "_" + std::to_string(n);
        write_file(root / (name + ".c"), text);
        written.programs.push_back(name);
    }
    write_file(root / "Makefile", makefile(written.programs));
    return written;
}

}  // namespace grader::repro
