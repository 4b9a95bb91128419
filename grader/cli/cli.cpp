#include "grader/cli/cli.hpp"

#include <csignal>
#include <cstring>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "grader/cli/commands.hpp"
#include "grader/cli/man_page.hpp"
#include "grader/error.hpp"
#include "grader/grading/expected_cache.hpp"

namespace grader::cli {

namespace {

// What --version prints: the version, then how this binary was built; the build id is the one
// the cache of expected values is keyed by.
std::string version_text(const std::string& build) {
    std::string text = std::string("grader (kl-grader) ") + GRADER_VERSION + "\n";
    text += "build: " + (build.empty() ? std::string("unknown") : build);
    const std::string id = grading::own_build_id();
    if (!id.empty()) text += ", build id " + id;
    return text + "\n";
}

}  // namespace

int run(int argc, char** argv, const std::string& build, const std::string& date) {
    // A worker that dies mid-write must not take the grader with it.
    std::signal(SIGPIPE, SIG_IGN);
    spdlog::set_default_logger(spdlog::stderr_color_mt("grader"));
    spdlog::set_pattern("grader: %l: %v");
    spdlog::set_level(spdlog::level::warn);

    CLI::App app{"Grades compiled submissions of an exercise set against its reference.", "grader"};
    app.require_subcommand(1);
    app.fallthrough();  // -v works after the subcommand too
    app.set_version_flag("--version", version_text(build), "Print the version and build, and exit");
    int verbosity = 0;
    app.add_flag("-v,--verbose", verbosity, "More diagnostics on stderr (-vv for debug)");
    app.parse_complete_callback([&] {
        if (verbosity == 1) spdlog::set_level(spdlog::level::info);
        if (verbosity >= 2) spdlog::set_level(spdlog::level::debug);
    });
    int status = kExitFailure;
    setup_grade(app, status);
    setup_validate(app, status);
    setup_header(app, status);
    setup_list(app, status);
    setup_bundle(app, status);
    setup_batch(app, status);
    setup_export(app, status);
    setup_feedback(app, status);
    setup_regrade(app, status);
    setup_merge(app, status);
    setup_summary(app, status);
    setup_adjust(app, status);
    setup_history(app, status);
    if (argc == 2 && std::strcmp(argv[1], kManCommand) == 0) {
        write_man_page(app, GRADER_VERSION, date, std::cout);
        return std::cout.flush() ? 0 : kExitFailure;
    }
    if (argc == 2 && std::strcmp(argv[1], kCompletionCommand) == 0) {
        write_bash_completion(app, std::cout);
        return std::cout.flush() ? 0 : kExitFailure;
    }
    try {
        app.parse(argc, argv);
        return status;
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::CallForVersion&) {
        std::cout << version_text(build);
        return 0;
    } catch (const CLI::ParseError& e) {
        // CLI11's own exit codes start at 100; this tool promises 2 for bad arguments.
        std::cerr << "grader: " << e.what() << "\n";
        if (e.get_exit_code() != 0) std::cerr << "Run `grader --help` for usage.\n";
        return e.get_exit_code() == 0 ? 0 : kExitFailure;
    } catch (const Error& e) {
        std::cerr << "grader: " << e.what() << "\n";
        return kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "grader: internal error: " << e.what() << "\n";
        return kExitFailure;
    }
}

}  // namespace grader::cli
