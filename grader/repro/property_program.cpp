#include "grader/repro/property_program.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "grader/error.hpp"
#include "grader/repro/call_code.hpp"

namespace grader::repro {

namespace {

// The values of the check language (spec/expr.cpp) in C: an array of doubles, a single value
// broadcasting against any length. A mismatch of lengths is the grader's "could not be
// evaluated", so the program says so and fails. Nothing is freed: the program is short-lived.
const char* const kValues = R"C(
#define RUNTIME static inline
typedef struct { size_t n; double *v; } value;

RUNTIME value make(size_t n) {
    value r = { n, calloc(n ? n : 1, sizeof(double)) };
    if (!r.v) { printf("out of memory\nFAIL\n"); exit(1); }
    return r;
}
RUNTIME value num(double x) { value r = make(1); r.v[0] = x; return r; }
RUNTIME value of(const double *v, size_t n) {
    value r = make(n);
    if (n) memcpy(r.v, v, n * sizeof(double));
    return r;
}
RUNTIME double at(value a, size_t i) { return a.n == 1 ? a.v[0] : a.v[i]; }
RUNTIME size_t common(value a, value b) {
    if (a.n != b.n && a.n != 1 && b.n != 1) {
        printf("  cannot combine values of lengths %zu and %zu\nFAIL\n", a.n, b.n);
        exit(1);
    }
    return a.n > b.n ? a.n : b.n;
}
RUNTIME value op(char o, value a, value b) {
    size_t n = common(a, b);
    value r = make(n);
    for (size_t i = 0; i < n; ++i) {
        double x = at(a, i), y = at(b, i);
        r.v[i] = o == '+' ? x + y : o == '-' ? x - y : o == '*' ? x * y : o == '/' ? x / y
               : o == 'm' ? fmin(x, y) : fmax(x, y);
    }
    return r;
}
RUNTIME double negate(double x) { return -x; }
RUNTIME value each(double (*f)(double), value a) {
    value r = make(a.n);
    for (size_t i = 0; i < a.n; ++i) r.v[i] = f(a.v[i]);
    return r;
}
RUNTIME value sum(value a) {
    double s = 0;
    for (size_t i = 0; i < a.n; ++i) s += a.v[i];
    return num(s);
}
RUNTIME value len(value a) { return num((double)a.n); }
RUNTIME value extreme(int largest, value a) {
    if (!a.n) { printf("  %s of an empty value\nFAIL\n", largest ? "max" : "min"); exit(1); }
    double m = a.v[0];
    for (size_t i = 1; i < a.n; ++i) m = largest ? (a.v[i] > m ? a.v[i] : m) : (a.v[i] < m ? a.v[i] : m);
    return num(m);
}

enum relation { EQ, NE, LT, LE, GT, GE };

/* As the grader decides: == within the tolerance, != when some element differs, <= and >=
 * with atol of slack, < and > strictly. */
RUNTIME int holds(enum relation r, double a, double b, double rtol, double atol) {
    switch (r) {
        case EQ: return matches(a, b, rtol, atol);
        case NE: return !matches(a, b, rtol, atol);
        case LE: return a <= b + atol;
        case GE: return a + atol >= b;
        case LT: return a < b;
        default: return a > b;
    }
}

/* Prints whether the check holds and returns 1 when it does not. */
RUNTIME int check_that(const char *text, value l, value r, enum relation rel, double rtol,
                      double atol) {
    printf("  `%s`: ", text);
    if (!l.n || !r.n || (l.n != r.n && l.n != 1 && r.n != 1)) {
        printf("compares %zu values with %zu\n", l.n, r.n);
        return 1;
    }
    size_t n = l.n > r.n ? l.n : r.n;
    if (rel == NE) {
        for (size_t i = 0; i < n; ++i)
            if (holds(rel, at(l, i), at(r, i), rtol, atol)) { printf("holds\n"); return 0; }
        printf("does not hold: both sides are %s\n", number(at(l, 0)));
        return 1;
    }
    for (size_t i = 0; i < n; ++i) {
        if (holds(rel, at(l, i), at(r, i), rtol, atol)) continue;
        if (n == 1)
            printf("does not hold: left side %s, right side %s", number(l.v[0]), number(r.v[0]));
        else
            printf("does not hold at index %zu: left side %s, right side %s", i,
                   number(at(l, i)), number(at(r, i)));
        printf(" (tolerance rtol %g, atol %g)\n", rtol, atol);
        return 1;
    }
    printf("holds\n");
    return 0;
}
)C";

using Names = std::map<std::string, std::string, std::less<>>;

std::string relation_code(spec::Relation r) {
    switch (r) {
        case spec::Relation::Equal:
            return "EQ";
        case spec::Relation::NotEqual:
            return "NE";
        case spec::Relation::Less:
            return "LT";
        case spec::Relation::LessEqual:
            return "LE";
        case spec::Relation::Greater:
            return "GT";
        case spec::Relation::GreaterEqual:
            return "GE";
    }
    return "EQ";
}

// The expression as a C expression over `value`s; the parser bounds its depth (spec/expr.hpp).
std::string expression(const spec::Expr& e, const Names& names) {
    switch (e.kind) {
        case spec::Expr::Kind::Number:
            return "num(" + c_literal(e.number, abi::Scalar::Double) + ")";
        case spec::Expr::Kind::Name: {
            const auto it = names.find(e.name);
            if (it == names.end())
                throw Error("the checks name '" + e.name + "', which is unknown");
            return it->second;
        }
        case spec::Expr::Kind::Negate:
            return "each(negate, " + expression(e.args.at(0), names) + ")";
        case spec::Expr::Kind::Binary:
            return fmt::format("op('{}', {}, {})", e.op, expression(e.args.at(0), names),
                               expression(e.args.at(1), names));
        case spec::Expr::Kind::Call: {
            const std::string a = expression(e.args.at(0), names);
            if (e.name == "min" || e.name == "max") {
                if (e.args.size() == 2)
                    return fmt::format("op('{}', {}, {})", e.name == "min" ? 'm' : 'M', a,
                                       expression(e.args[1], names));
                return fmt::format("extreme({}, {})", e.name == "max" ? 1 : 0, a);
            }
            if (e.name == "sum" || e.name == "len") return e.name + "(" + a + ")";
            // abs, sqrt, log, exp: the C library's, element by element.
            return "each(" + std::string(e.name == "abs" ? "fabs" : e.name) + ", " + a + ")";
        }
    }
    return "num(0)";
}

std::string parameters(const abi::Signature& sig) {
    std::string out;
    for (const abi::Param& p : sig.params) out += (out.empty() ? "" : ", ") + p.name;
    return out;
}

}  // namespace

std::string property_program(const std::string& title, const std::string& why,
                             const grading::Prepared& prepared, const grading::PreparedCase& pc,
                             const grading::Instance& instance, bool shrunk) {
    Names names;
    std::string data, body, prototypes;
    std::set<std::string> declared;
    body +=
        fmt::format("    printf(\"%s\\n\", {});\n",
                    c_quoted(title + ": the property on " +
                             (shrunk ? "the smallest failing input found" : "the failing input")));
    body += "    printf(\"inputs:\\n\");\n";
    for (std::size_t k = 0; k < instance.inputs.size(); ++k) {
        const auto& [name, values] = instance.inputs[k];
        const std::string var = fmt::format("input{}", k);
        data += c_array(var + "_data", values, abi::Scalar::Double);
        body += fmt::format("    value {0} = of({0}_data, {1});\n", var, values.size());
        body += fmt::format("    print_values({0}, {1}.v, {1}.n);\n", c_quoted(name), var);
        names[name] = var;
    }
    body += "    printf(\"calls:\\n\");\n";
    for (std::size_t k = 0; k < instance.calls.size(); ++k) {
        const grading::PreparedCall& call = instance.calls[k];
        const abi::Signature& sig = prepared.functions.at(call.call.function);
        const std::string prefix = fmt::format("call{}_", k);
        std::vector<std::pair<std::string, std::string>> bound;  // name in the checks, C value
        if (call.student) {
            if (declared.insert(sig.name).second) prototypes += abi::to_c(sig) + ";\n";
            const CallCode code = call_code(sig, call.call, prefix, "  ");
            data += code.data;
            body += fmt::format("    printf(\"  {}: {}({}), called with\\n\");\n", call.name,
                                sig.name, parameters(sig));
            body += code.print_inputs + code.fill;
            if (sig.result != abi::Scalar::Void) {
                body += fmt::format("    value {}result = num((double){});\n", prefix, code.call);
                bound.emplace_back(call.name, prefix + "result");
            } else {
                body += "    " + code.call + ";\n";
            }
            for (const OutputCode& o : code.outputs) {
                const std::string var = prefix + "out_" + o.name;
                body += fmt::format(
                    "    value {0} = make({1}); for (size_t i = 0; i < {1}; ++i) {0}.v[i] = {2};\n",
                    var, o.length, o.got);
                body += o.guard;
                bound.emplace_back(call.name + "." + o.name, var);
            }
        } else {
            // Another exercise's function: the grader takes the reference's values, and so
            // does the program.
            body += fmt::format(
                "    printf(\"  {} = {}({}): the reference's values (another exercise's "
                "function)\\n\");\n",
                call.name, sig.name, parameters(sig));
            if (sig.result != abi::Scalar::Void) {
                body += fmt::format("    value {}result = num({});\n", prefix,
                                    c_literal(call.expected.result, abi::Scalar::Double));
                bound.emplace_back(call.name, prefix + "result");
            }
            for (std::size_t i = 0; i < sig.params.size(); ++i) {
                if (!sig.params[i].is_output()) continue;
                const std::vector<double> none;
                const std::vector<double>& v =
                    i < call.expected.arrays.size() ? call.expected.arrays[i] : none;
                const std::string var = prefix + "out_" + sig.params[i].name;
                data += c_array(var + "_data", v, abi::Scalar::Double);
                body += fmt::format("    value {0} = of({0}_data, {1});\n", var, v.size());
                bound.emplace_back(call.name + "." + sig.params[i].name, var);
            }
        }
        // A void function with one output is named by the call alone, as in the grader.
        const bool one_output = bound.size() == 1 && sig.result == abi::Scalar::Void;
        if (one_output) bound.emplace_back(call.name, bound[0].second);
        for (const auto& [name, var] : bound) {
            names[name] = var;
            if (one_output && name == call.name) continue;
            body += fmt::format("    print_values({0}, {1}.v, {1}.n);\n", c_quoted(name), var);
        }
    }
    if (!pc.lets.empty()) body += "    printf(\"names the checks use:\\n\");\n";
    for (std::size_t k = 0; k < pc.lets.size(); ++k) {
        const spec::Let& let = pc.lets[k];
        const std::string var = fmt::format("let{}", k);
        std::string text = let.text;
        for (std::size_t at; (at = text.find("*/")) != std::string::npos;)
            text.replace(at, 2, "* /");
        body += fmt::format("    value {} = {}; /* {} = {} */\n", var, expression(let.expr, names),
                            let.name, text);
        body += fmt::format("    print_values({0}, {1}.v, {1}.n);\n", c_quoted(let.name), var);
        names[let.name] = var;
    }
    body += "    printf(\"checks:\\n\");\n";
    for (const spec::Check& check : pc.checks)
        body += fmt::format("    failed |= check_that({}, {}, {}, {}, {}, {});\n",
                            c_quoted(check.text), expression(check.lhs, names),
                            expression(check.rhs, names), relation_code(check.relation),
                            c_literal(pc.tolerance.rtol, abi::Scalar::Double),
                            c_literal(pc.tolerance.atol, abi::Scalar::Double));
    return c_comment(title, why) + c_prelude() + prototypes + "\n" + data + "\n" + c_helpers() +
           kValues + "\nint main(void) {\n    int failed = 0;\n" + kUnbuffered + body +
           "    printf(\"%s\\n\", failed ? \"FAIL\" : \"PASS\");\n    return failed;\n}\n";
}

}  // namespace grader::repro
