#include <iostream>

#include <fmt/format.h>

#include "grader/cli/cli.hpp"
#include "grader/cli/commands.hpp"
#include "grader/cli/common.hpp"
#include "grader/spec/spec.hpp"

namespace grader::cli {

namespace {

int run_list(const std::string& path) {
    const spec::Spec spec = spec::load(path);
    int total = 0, hidden_total = 0;
    std::cout << (spec.title.empty() ? path : spec.title) << "\n";
    for (const spec::Exercise& ex : spec.exercises) {
        int points = 0, hidden = 0, cases = 0, draws = 0;
        for (const auto& c : ex.cases) {
            points += c.points;
            hidden += c.visibility == spec::Visibility::Hidden ? c.points : 0;
            ++cases;
            draws += c.repeat;
        }
        for (const auto& p : ex.properties) {
            points += p.points;
            hidden += p.visibility == spec::Visibility::Hidden ? p.points : 0;
            ++cases;
            draws += p.repeat;
        }
        total += points;
        hidden_total += hidden;
        std::cout << fmt::format(
            "\n{}  {}  ({} points, {} of them hidden; {} cases and properties, {} inputs)\n", ex.id,
            ex.title, points, hidden, cases, draws);
        for (const std::string& f : ex.functions)
            std::cout << "    " << abi::to_c(spec.function(f)->signature) << "\n";
        for (const auto& c : ex.cases)
            std::cout << fmt::format("  {:<7} {:<34} {:<24} {:>3} pt{}\n",
                                     c.visibility == spec::Visibility::Hidden ? "hidden" : "public",
                                     c.id, c.function, c.points,
                                     c.repeat > 1 ? fmt::format("  x{}", c.repeat) : "");
        for (const auto& p : ex.properties)
            std::cout << fmt::format("  {:<7} {:<34} {:<24} {:>3} pt{}\n",
                                     p.visibility == spec::Visibility::Hidden ? "hidden" : "public",
                                     p.id, "(property)", p.points,
                                     p.repeat > 1 ? fmt::format("  x{}", p.repeat) : "");
    }
    std::cout << fmt::format("\nTotal: {} points in {} exercises ({} hidden)\n", total,
                             spec.exercises.size(), hidden_total);
    return kExitFullMarks;
}

}  // namespace

void setup_list(CLI::App& app, int& status) {
    auto path = std::make_shared<std::string>();
    CLI::App* sub =
        app.add_subcommand("list", "List the exercises, functions, cases and points of the spec");
    add_spec_option(*sub, *path, "The exercise spec");
    sub->callback([path, &status] { status = run_list(resolve_spec(*path)); });
}

}  // namespace grader::cli
