#include "grader/spec/c_header.hpp"

#include <algorithm>
#include <cctype>

namespace grader::spec {

namespace {

// The header's macros are named after the set, so that two sets' headers can be told apart (and
// included together): "KL divergence exercises" gives KL_DIVERGENCE_EXERCISES_H.
std::string macro_prefix(const std::string& title) {
    std::string out;
    for (unsigned char c : title) {
        if (std::isalnum(c) && c < 0x80)
            out += static_cast<char>(std::toupper(c));
        else if (!out.empty() && out.back() != '_')
            out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    if (out.empty()) return "EXERCISES";
    // An identifier cannot start with a digit.
    if (std::isdigit(static_cast<unsigned char>(out.front()))) out = "SET_" + out;
    return out;
}

std::string wrap_comment(const std::string& text, const std::string& indent) {
    // Contracts are one line in the spec; wrap at about 96 columns for the header.
    std::string out, line;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > 92) {
            out += indent + " * " + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        start = end + 1;
    }
    if (!line.empty()) out += indent + " * " + line + "\n";
    return out;
}

// Whether some function of the spec uses a type, as a parameter (or array element) or a result.
bool uses(const Spec& spec, bool (*which)(abi::Scalar)) {
    for (const Function& f : spec.functions) {
        if (which(f.signature.result)) return true;
        for (const abi::Param& p : f.signature.params)
            if (which(p.type)) return true;
    }
    return false;
}

bool only_double_arrays(const Spec& spec) {
    for (const Function& f : spec.functions)
        for (const abi::Param& p : f.signature.params)
            if (p.pointer && p.type != abi::Scalar::Double) return false;
    return true;
}

}  // namespace

std::string c_header(const Spec& spec) {
    std::string h;
    h += "/* " + (spec.title.empty() ? std::string("Exercises") : spec.title) +
         ": the functions a submission exports.\n";
    h += " * Generated from the spec by `grader header`; do not edit by hand.\n";
    h += " *\n";
    // A set of double arrays keeps the wording its header has always had.
    if (only_double_arrays(spec))
        h += " * All arrays are double, contiguous, row-major; the size parameters give their "
             "lengths.\n";
    else
        h += " * Arrays are contiguous, row-major, of the type each prototype names; the size "
             "parameters give\n * their lengths.\n";
    h += " * Output arrays are allocated by the caller.\n";
    if (!spec.conventions.empty()) h += wrap_comment(spec.conventions, "");
    h += " * Export every function with C linkage: in C++, include this header (it adds extern "
         "\"C\"). */\n";
    const std::string prefix = macro_prefix(spec.title);
    const std::string guard = prefix + "_H";
    h += "#ifndef " + guard + "\n#define " + guard + "\n\n";
    h += "#include <stddef.h>\n#include <stdint.h>\n";
    if (uses(spec, [](abi::Scalar t) { return t == abi::Scalar::Bool; }))
        h += "#include <stdbool.h>\n";
    h += "\n";
    h += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
    h += "#define " + prefix + "_ABI_VERSION " + std::to_string(spec.version) + "\n";
    for (const Exercise& ex : spec.exercises) {
        h += "\n/* " + ex.id + (ex.title.empty() ? "" : ": " + ex.title) + " */\n";
        for (const std::string& name : ex.functions) {
            const Function* f = spec.function(name);
            if (!f) continue;
            if (!f->contract.empty()) h += "\n/*\n" + wrap_comment(f->contract, "") + " */\n";
            h += abi::to_c(f->signature) + ";\n";
        }
    }
    h += "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " + guard + " */\n";
    return h;
}

}  // namespace grader::spec
