#include "grader/repro/call_code.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "grader/abi/element.hpp"

namespace grader::repro {

namespace {

// Inputs longer than this are printed in part (the program holds them all).
constexpr std::size_t kPrintedValues = 32;
// Elements past the end of each output that a write there would change.
constexpr std::size_t kGuard = 8;

// The program's helpers: every value is printed and compared as a double, as the grader does.
const char* const kHelpers =
    R"C(/* The shortest decimal that reads back as the same double, as the grader's report writes it. */
static inline const char *number(double x) {
    static char buf[4][40];
    static int next;
    char *out = buf[next++ % 4];
    for (int digits = 15; digits <= 17; ++digits) {
        snprintf(out, sizeof buf[0], "%.*g", digits, x);
        if (strtod(out, NULL) == x) break;
    }
    return out;
}

static inline void print_values(const char *name, const double *v, size_t n) {
    printf("  %s = ", name);
    if (n != 1) printf("[");
    size_t shown = n <= PRINTED ? n : 8;
    for (size_t i = 0; i < shown; ++i) printf("%s%s", i ? ", " : "", number(v[i]));
    if (shown < n) printf(", ... (%zu values: all of them are in this file)", n);
printf("%s\n", n != 1 ? "]" : "");
}

/* The grader's rule: |got - expected| <= atol + rtol * |expected|; NaN matches only NaN, an
 * infinity only the same infinity. Integers and bools are compared exactly (both tolerances 0). */
static inline int matches(double got, double expected, double rtol, double atol) {
    if (isnan(expected)) return isnan(got);
    if (isnan(got)) return 0;
    if (isinf(expected) || isinf(got)) return got == expected;
    return fabs(got - expected) <= atol + rtol * fabs(expected);
}

static inline int check(const char* name, const double* got, const double* expected, size_t n, double rtol,
                 double atol) {
    int failed = 0;
    for (size_t i = 0; i < n; ++i) {
        if (matches(got[i], expected[i], rtol, atol)) continue;
        if (failed++ >= 10) continue;
        if (n == 1)
            printf("  %s: expected %s, got %s", name, number(expected[i]), number(got[i]));
        else
            printf("  %s[%zu]: expected %s, got %s", name, i, number(expected[i]), number(got[i]));
        printf(" (abs error %.2g; tolerance rtol %g, atol %g)\n", fabs(got[i] - expected[i]), rtol,
               atol);
    }
    if (failed > 10) printf("  ... and %d more elements of %s are wrong\n", failed - 10, name);
    if (!failed) printf("  %s: as expected\n", name);
    return failed != 0;
}
)C";

// The fill of an output before the call, as the worker fills it (abi::poison).
std::string fill_of(abi::Scalar type) {
    switch (type) {
        case abi::Scalar::Int32:
            return "INT32_MIN";
        case abi::Scalar::Int64:
            return "INT64_MIN";
        case abi::Scalar::UInt8:
            return "0xA5";
        default:
            return "NAN";
    }
}

}  // namespace

std::string c_literal(double v, abi::Scalar type) {
    if (std::isnan(v)) return "NAN";
    if (std::isinf(v)) return v > 0 ? "INFINITY" : "-INFINITY";
    switch (type) {
        case abi::Scalar::Double:
            return fmt::format("{:a}", v);
        case abi::Scalar::Float:
            return fmt::format("{:a}f", static_cast<float>(v));
        case abi::Scalar::Int64:
            return fmt::format("INT64_C({})", static_cast<long long>(v));
        case abi::Scalar::SizeT:
        case abi::Scalar::UInt64:
            return fmt::format("UINT64_C({})", static_cast<unsigned long long>(v));
        case abi::Scalar::Bool:
            return v != 0 ? "true" : "false";
        default:
            return fmt::format("{}", static_cast<long long>(v));
    }
}

std::string c_literals(const std::vector<double>& values, abi::Scalar type) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        out += i == 0 ? "    " : i % 4 == 0 ? ",\n    " : ", ";
        out += c_literal(values[i], type);
    }
    return out;
}

std::string c_array(const std::string& name, const std::vector<double>& values, abi::Scalar type) {
    return fmt::format("static const {} {}[{}] = {{\n{}\n}};\n", abi::to_c(type), name,
                       std::max<std::size_t>(values.size(), 1),
                       values.empty() ? "    0" : c_literals(values, type));
}

std::string c_quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        // `?` too: with -std=c99 a "??" pair could start a trigraph.
        if (c == '"' || c == '\\' || c == '?') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

const char* c_helpers() {
    return kHelpers;
}

std::string c_prelude() {
    return "#include <math.h>\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
           "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n#define PRINTED " +
           std::to_string(kPrintedValues) + "\n#define GUARD " + std::to_string(kGuard) + "\n\n";
}

std::string c_comment(const std::string& title, const std::string& why) {
    std::string comment = "/* " + title + ", made by `grader grade ... --repro`.\n";
    for (std::string_view rest = why; !rest.empty();) {
        const std::size_t end = rest.find('\n');
        std::string line(rest.substr(0, end));
        for (std::size_t at; (at = line.find("*/")) != std::string::npos;)
            line.replace(at, 2, "* /");
        comment += " * " + line + "\n";
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
    return comment +
           " * Exits 1 while the failure remains and 0 once it is fixed. Build it with the "
           "Makefile\n * beside it: make LIB=path/to/libsolution.so */\n";
}

CallCode call_code(const abi::Signature& sig, const sandbox::Call& call, const std::string& prefix,
                   const std::string& indent) {
    CallCode out;
    std::string args;
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const abi::Param& p = sig.params[i];
        const sandbox::Arg& a = call.args.at(i);
        const std::string type = abi::to_c(p.type);
        const std::string name = prefix + "arg_" + p.name;
        args += (i ? ", " : "") + name;
        switch (a.kind) {
            case sandbox::Arg::Kind::Scalar: {
                const double v = abi::double_of(a.scalar, p.type);
                out.data +=
                    fmt::format("static const {} {} = {};\n", type, name, c_literal(v, p.type));
                out.print_inputs +=
                    fmt::format("    {{ double v = (double){}; print_values(\"{}{}\", &v, 1); }}\n",
                                name, indent, p.name);
                break;
            }
            case sandbox::Arg::Kind::Input: {
                const std::size_t n = a.values.size();
                out.data += c_array(name, a.values, p.type);
                out.print_inputs += fmt::format(
                    "    {{ static double v[{}]; for (size_t i = 0; i < {}; ++i) v[i] = "
                    "(double){}[i]; print_values(\"{}{}\", v, {}); }}\n",
                    std::max<std::size_t>(n, 1), n, name, indent, p.name, n);
                break;
            }
            case sandbox::Arg::Kind::Output: {
                const std::size_t n = a.length;
                // Guard elements past the end, filled as the output is: one written there is
                // the overflow the sandbox reports.
                out.data += fmt::format("static {} {}[{} + GUARD];\n", type, name, n);
                out.fill += fmt::format("    for (size_t i = 0; i < {} + GUARD; ++i) {}[i] = {};\n",
                                        n, name, fill_of(p.type));
                OutputCode o{i, p.name, name, n, "", ""};
                // An integer output still holding its fill was never written: NaN, as in the
                // grader's report.
                o.got = p.type == abi::Scalar::Int32 || p.type == abi::Scalar::Int64
                            ? fmt::format("({0}[i] == {1} ? NAN : (double){0}[i])", name,
                                          fill_of(p.type))
                            : fmt::format("(double){}[i]", name);
                const std::string untouched =
                    p.type == abi::Scalar::Double || p.type == abi::Scalar::Float
                        ? fmt::format("isnan({}[i])", name)
                        : fmt::format("{}[i] == {}", name, fill_of(p.type));
                o.guard = fmt::format(
                    "    for (size_t i = {0}; i < {0} + GUARD; ++i)\n"
                    "        if (!({1})) {{\n"
                    "            printf(\"  {2}: written past its end (index %zu; it has {0} "
                    "elements)\\n\", i);\n"
                    "            failed = 1;\n"
                    "            break;\n"
                    "        }}\n",
                    n, untouched, p.name);
                out.outputs.push_back(std::move(o));
                break;
            }
        }
    }
    out.call = sig.name + "(" + args + ")";
    return out;
}

}  // namespace grader::repro
