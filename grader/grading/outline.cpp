#include "grader/grading/outline.hpp"

namespace grader::grading {

result::Result outline(const Prepared& prepared) {
    result::Result r;
    r.spec = prepared.source;
    r.spec_title = prepared.title;
    r.public_only = !prepared.has_hidden;
    for (const PreparedExercise& ex : prepared.exercises) {
        result::ExerciseResult er{ex.id, ex.title, {}};
        for (const bool properties : {false, true})
            for (const PreparedCase& pc : ex.cases) {
                if (pc.property != properties) continue;
                result::CaseResult c;
                c.id = pc.id;
                c.property = pc.property;
                c.hidden = pc.hidden;
                c.max_points = pc.points;
                for (std::size_t k = 0; k < pc.functions.size(); ++k)
                    c.function += (k ? ", " : "") + pc.functions[k];
                er.cases.push_back(std::move(c));
            }
        r.exercises.push_back(std::move(er));
    }
    return r;
}

}  // namespace grader::grading
