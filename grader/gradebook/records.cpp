#include "grader/gradebook/records.hpp"

namespace grader::gradebook {

std::string_view name(Status status) {
    switch (status) {
        case Status::Graded:
            return "graded";
        case Status::LoadError:
            return "load_error";
        case Status::SystemError:
            return "system_error";
    }
    return "system_error";
}

std::optional<Status> parse_status(std::string_view text) {
    for (Status s : {Status::Graded, Status::LoadError, Status::SystemError})
        if (name(s) == text) return s;
    return std::nullopt;
}

int ExerciseOutline::max_points() const {
    int total = 0;
    for (const CaseOutline& c : cases) total += c.max_points;
    return total;
}

int SpecOutline::max_points() const {
    int total = 0;
    for (const ExerciseOutline& e : exercises) total += e.max_points();
    return total;
}

SpecOutline outline_of(const result::Result& result, std::string sha256) {
    SpecOutline out;
    out.sha256 = std::move(sha256);
    out.title = result.spec_title;
    out.path = result.spec;
    for (const result::ExerciseResult& e : result.exercises) {
        ExerciseOutline ex{e.id, e.title, {}};
        for (const result::CaseResult& c : e.cases)
            ex.cases.push_back({c.id, c.function, c.property, c.hidden, c.max_points});
        out.exercises.push_back(std::move(ex));
    }
    return out;
}

}  // namespace grader::gradebook
