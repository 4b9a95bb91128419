#include "grader/grading/contract.hpp"

#include <map>

#include "grader/grading/check_eval.hpp"
#include "grader/grading/reference.hpp"

namespace grader::grading {

bool meets_contract(const spec::Function& f, const sandbox::Call& call) {
    std::map<std::string, std::vector<double>, std::less<>> env;
    for (std::size_t i = 0; i < f.signature.params.size() && i < call.args.size(); ++i) {
        const sandbox::Arg& a = call.args[i];
        if (a.kind == sandbox::Arg::Kind::Input) env[f.signature.params[i].name] = a.values;
        if (a.kind == sandbox::Arg::Kind::Scalar)
            env[f.signature.params[i].name] = {to_double(a.scalar, f.signature.params[i].type)};
    }
    const spec::Lookup lookup = [&](std::string_view n) -> std::optional<spec::Value> {
        const auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
    };
    const compare::Tolerance tol{0, 1e-12};
    for (const spec::Check& req : f.requires_)
        if (failed_check(req, lookup, tol)) return false;
    return true;
}

}  // namespace grader::grading
