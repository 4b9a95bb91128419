#include <fstream>
#include <iostream>
#include <sstream>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"
#include "grader/spec/public_text.hpp"

namespace grader::cli {

void setup_bundle(CLI::App& app, int& status) {
    struct Options {
        SpecOptions spec;
        std::string output;
    };
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand("bundle",
                                       "Write the public bundle: the public cases with expected "
                                       "outputs, for students to self-check");
    add_spec_option(*sub, o->spec.spec, "The exercise spec");
    add_reference_option(*sub, o->spec);
    sub->add_option("-o,--output", o->output, "Write to this file instead of stdout");
    sub->callback([o, &status] {
        o->spec.spec = resolve_spec(o->spec.spec);
        if (is_bundle(o->spec.spec))
            throw Error("bundle needs exercises.yaml and the reference, not another bundle");
        grading::PrepareOptions public_only;
        public_only.public_only = true;
        const Loaded loaded = load_cases(o->spec, public_only);
        std::ostringstream spec_text;
        spec_text << std::ifstream(o->spec.spec, std::ios::binary).rdbuf();
        const std::string public_spec = spec::public_text(spec_text.str(), o->spec.spec);
        if (o->output.empty()) {
            grading::write_bundle(loaded.prepared, std::cout, public_spec);
        } else {
            std::ofstream out(o->output, std::ios::binary | std::ios::trunc);
            grading::write_bundle(loaded.prepared, out, public_spec);
            if (!out.flush()) throw Error("cannot write the bundle to " + o->output);
        }
        status = kExitFullMarks;
    });
}

}  // namespace grader::cli
