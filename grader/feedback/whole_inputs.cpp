#include "grader/feedback/whole_inputs.hpp"

#include <fmt/format.h>

#include "grader/abi/element.hpp"

namespace grader::feedback {

namespace {

// As grading writes values (grading/expand.cpp): a float as the float it is.
std::string all_values(const std::vector<double>& values, bool single) {
    auto one = [single](double v) {
        return single ? fmt::format("{}", static_cast<float>(v)) : fmt::format("{}", v);
    };
    if (values.size() == 1) return one(values[0]);
    std::string out = "[";
    for (std::size_t i = 0; i < values.size() && out.size() <= kWholeInputWidth; ++i)
        out += (i ? ", " : "") + one(values[i]);
    return out + "]";
}

}  // namespace

std::vector<std::string> whole_inputs(const abi::Signature& sig, const grading::Instance& inst,
                                      const std::string& whereabouts) {
    std::vector<std::string> lines;
    if (inst.calls.size() != 1) return inst.shown_inputs;
    const sandbox::Call& call = inst.calls[0].call;
    bool cut = false;
    for (const std::string& shown : inst.shown_inputs) {
        const std::string name = shown.substr(0, shown.find(" = "));
        const int i = sig.find(name);
        if (i < 0 || static_cast<std::size_t>(i) >= call.args.size()) {
            lines.push_back(shown);
            continue;
        }
        const sandbox::Arg& arg = call.args[static_cast<std::size_t>(i)];
        const abi::Scalar type = sig.params[static_cast<std::size_t>(i)].type;
        std::vector<double> values;
        if (arg.kind == sandbox::Arg::Kind::Input)
            values = arg.values;
        else if (arg.kind == sandbox::Arg::Kind::Scalar)
            values = {abi::double_of(arg.scalar, type)};
        else {
            lines.push_back(shown);
            continue;
        }
        const std::string whole = name + " = " + all_values(values, type == abi::Scalar::Float);
        if (whole.size() <= kWholeInputWidth) {
            lines.push_back(whole);
        } else {
            lines.push_back(shown);
            cut = true;
        }
    }
    if (cut && !whereabouts.empty())
        lines.push_back("(cut short; the whole input: " + whereabouts + ")");
    return lines;
}

}  // namespace grader::feedback
