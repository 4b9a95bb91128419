#include "grader/repro/c_program.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "grader/abi/element.hpp"
#include "grader/repro/call_code.hpp"

namespace grader::repro {

std::string c_program(const std::string& title, const std::string& why, const abi::Signature& sig,
                      const grading::PreparedCall& call, const compare::Tolerance& tolerance,
                      bool shrunk) {
    const CallCode code = call_code(sig, call.call, "");
    std::string data = code.data, body;
    body +=
        fmt::format("    printf(\"%s\\n\", {});\n",
                    c_quoted(title + ": " + sig.name + " on " +
                             (shrunk ? "the smallest failing input found" : "the failing input")));
    body += "    printf(\"inputs:\\n\");\n" + code.print_inputs + code.fill;
    std::string calls_after;
    for (const OutputCode& o : code.outputs) {
        const std::vector<double>& expected = call.expected.arrays.at(o.param);
        data += c_array("expected_" + o.name, expected, abi::Scalar::Double);
        const compare::Tolerance tol =
            compare::for_precision(tolerance, abi::precision_of(sig.params[o.param].type));
        calls_after += fmt::format(
            "    {{ static double got[{}]; for (size_t i = 0; i < {}; ++i) got[i] = {};\n"
            "      failed |= check(\"{}\", got, expected_{}, {}, {}, {}); }}\n",
            std::max<std::size_t>(o.length, 1), o.length, o.got, o.name, o.name, expected.size(),
            c_literal(tol.rtol, abi::Scalar::Double), c_literal(tol.atol, abi::Scalar::Double));
        calls_after += o.guard;
    }
    if (sig.result != abi::Scalar::Void) {
        const compare::Tolerance tol =
            compare::for_precision(tolerance, abi::precision_of(sig.result));
        body += fmt::format("    {} result = {};\n", abi::to_c(sig.result), code.call);
        body += "    printf(\"results:\\n\");\n";
        body += fmt::format("    double got = (double)result, expected = {};\n",
                            c_literal(call.expected.result, abi::Scalar::Double));
        body += fmt::format("    failed |= check(\"return value\", &got, &expected, 1, {}, {});\n",
                            c_literal(tol.rtol, abi::Scalar::Double),
                            c_literal(tol.atol, abi::Scalar::Double));
    } else {
        body += "    " + code.call + ";\n";
        body += "    printf(\"results:\\n\");\n";
    }
    return c_comment(title, why) + c_prelude() + abi::to_c(sig) + ";\n\n" + data + "\n" +
           c_helpers() + "\nint main(void) {\n    int failed = 0;\n" + kUnbuffered + body +
           calls_after +
           "    printf(\"%s\\n\", failed ? \"FAIL\" : \"PASS\");\n    return failed;\n}\n";
}

}  // namespace grader::repro
