#include <fstream>
#include <iostream>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/error.hpp"
#include "grader/spec/c_header.hpp"

namespace grader::cli {

void setup_header(CLI::App& app, int& status) {
    struct Options {
        std::string spec;
        std::string output;
    };
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "header", "Write the C header students include, generated from the spec");
    add_spec_option(*sub, o->spec, "The exercise spec");
    sub->add_option("-o,--output", o->output, "Write to this file instead of stdout");
    sub->callback([o, &status] {
        const std::string text = spec::c_header(spec::load(resolve_spec(o->spec)));
        if (o->output.empty()) {
            std::cout << text;
        } else {
            std::ofstream out(o->output, std::ios::binary | std::ios::trunc);
            if (!(out << text) || !out.flush())
                throw Error("cannot write the header to " + o->output);
        }
        status = kExitFullMarks;
    });
}

}  // namespace grader::cli
