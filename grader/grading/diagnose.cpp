#include "grader/grading/diagnose.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <optional>

#include <fmt/format.h>

#include "grader/compare/tolerance.hpp"
#include "grader/grading/contract.hpp"
#include "grader/grading/shrink_case.hpp"

namespace grader::grading {

namespace {

using result::Diagnosis;
using result::DiagnosisKind;
using sandbox::Status;

// Swapped arguments are checked on at most this many failing inputs: the reference runs in
// the grader's process and a few agreeing inputs leave no doubt.
constexpr std::size_t kSwapEvidence = 8;

// A relation (got = factor * expected) holds to this precision: far tighter than a mistake.
constexpr double kRelTol = 1e-8;
constexpr double kAbsTol = 1e-12;

// Tamer inputs divide a large input by this much.
constexpr double kTame = 1000;

// What the worker fills an output with before the call (worker_calls.cpp): a function that never
// writes an element leaves exactly these bits.
const std::uint64_t kFillBits =
    std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN());

// One output of one call: its return value (param empty) or an output parameter.
struct Target {
    std::size_t call = 0;
    std::optional<std::size_t> param;
};

std::string number(double v) {
    if (std::isnan(v)) return "NaN";  // whatever its sign bit
    return fmt::format("{:.6g}", v);
}

std::vector<double> got_of(const abi::Signature& sig, const sandbox::CallResult& r,
                           const Target& t) {
    if (!t.param) return {to_double(r.result, sig.result)};
    return *t.param < r.outputs.size() ? r.outputs[*t.param] : std::vector<double>{};
}

std::vector<double> expected_of(const Outputs& o, const Target& t) {
    if (!t.param) return {o.result};
    return *t.param < o.arrays.size() ? o.arrays[*t.param] : std::vector<double>{};
}

bool matches(const std::vector<double>& got, const std::vector<double>& expected,
             const compare::Tolerance& tol) {
    return compare::match(got, expected, tol).ok;
}

// got == factor * expected, element by element (infinities and NaN exactly).
bool scaled(const std::vector<double>& got, const std::vector<double>& expected, double factor) {
    if (got.size() != expected.size() || !std::isfinite(factor)) return false;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double want = factor * expected[i];
        if (std::isnan(want)) {
            if (!std::isnan(got[i])) return false;
        } else if (!std::isfinite(want)) {
            if (got[i] != want) return false;
        } else if (!std::isfinite(got[i]) ||
                   std::fabs(got[i] - want) > kRelTol * std::fabs(want) + kAbsTol) {
            return false;
        }
    }
    return true;
}

// Some element tells `factor * expected` from `expected`.
bool telling(const std::vector<double>& expected, double factor) {
    for (double e : expected)
        if (std::isfinite(e) && std::fabs(factor * e - e) > kRelTol * std::fabs(e) + kAbsTol)
            return true;
    return false;
}

// The first element where got and expected differ, for quoting.
std::size_t worst(const std::vector<double>& got, const std::vector<double>& expected,
                  const compare::Tolerance& tol) {
    const compare::VectorMatch m = compare::match(got, expected, tol);
    return m.worst.value_or(0);
}

class Diagnoser {
  public:
    Diagnoser(const Prepared& prepared, const PreparedCase& pc, std::span<const Evidence> failing,
              const DiagnoseWith& with)
        : prepared_(prepared), pc_(pc), failing_(failing), with_(with) {}

    std::vector<Diagnosis> run() {
        std::vector<Diagnosis> out;
        if (failing_.empty()) return out;
        // One diagnosis of a kind per function: the return value and an output of one call,
        // or two calls of one function, wrong for the same reason are one mistake.
        std::vector<std::pair<DiagnosisKind, std::string>> seen;
        for (const Target& t : targets()) {
            for (Diagnosis& d : diagnose(t)) {
                const std::pair<DiagnosisKind, std::string> key{d.kind, sig(t).name};
                if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
                seen.push_back(key);
                out.push_back(std::move(d));
            }
        }
        return out;
    }

  private:
    const abi::Signature& sig(const Target& t) const {
        return prepared_.functions.at(first().calls.at(t.call).call.function);
    }
    const Instance& first() const { return *failing_.front().instance; }
    const std::vector<sandbox::CallResult>& first_got() const { return *failing_.front().got; }

    // The wrong outputs of the first failing instance.
    std::vector<Target> targets() const {
        constexpr std::size_t kMax = 3;
        std::vector<Target> out;
        for (std::size_t k = 0; k < first().calls.size() && out.size() < kMax; ++k) {
            const PreparedCall& call = first().calls[k];
            if (!call.student || k >= first_got().size() || first_got()[k].status != Status::Ok)
                continue;
            const abi::Signature& s = prepared_.functions.at(call.call.function);
            std::vector<Target> outputs;
            if (s.result != abi::Scalar::Void) outputs.push_back({k, std::nullopt});
            for (std::size_t i = 0; i < s.params.size(); ++i)
                if (s.params[i].is_output()) outputs.push_back({k, i});
            for (const Target& t : outputs)
                if (out.size() < kMax && !matches(got_of(s, first_got()[k], t),
                                                  expected_of(call.expected, t), pc_.tolerance))
                    out.push_back(t);
        }
        return out;
    }

    // "The return value", "log_ratio", "K (kl_divergence)", "G.log_ratio (gibbs_terms)".
    std::string what(const Target& t) const {
        const PreparedCall& call = first().calls.at(t.call);
        const abi::Signature& s = sig(t);
        if (!pc_.property) return t.param ? s.params[*t.param].name : "The return value";
        const std::string name = t.param ? call.name + "." + s.params[*t.param].name : call.name;
        return name + " (" + s.name + ")";
    }

    // ", on all 25 failing inputs" when there is more than one (of the case's own: a shrunk
    // input is not counted, though the diagnosis holds there too).
    static std::string on_all(const std::vector<const Evidence*>& evidence) {
        const auto n = std::count_if(evidence.begin(), evidence.end(),
                                     [](const Evidence* e) { return !e->shrunk; });
        return n > 1 ? fmt::format(", on all {} failing inputs", n) : "";
    }

    // "0.244 instead of 0.169" at the worst element of the first failing instance.
    std::string quote(const Target& t) const {
        const std::vector<double> got = got_of(sig(t), first_got()[t.call], t);
        const std::vector<double> exp = expected_of(first().calls[t.call].expected, t);
        const std::size_t i = worst(got, exp, pc_.tolerance);
        if (i >= got.size() || i >= exp.size()) return "";
        const std::string at = got.size() > 1 ? fmt::format(" at index {}", i) : "";
        return fmt::format("{} instead of {}{}", number(got[i]), number(exp[i]), at);
    }

    struct Relation {
        DiagnosisKind kind;
        std::string label;
        std::function<double(const Instance&)> factor;
        std::function<std::string(const std::string& what, const std::string& quote,
                                  const std::string& all)>
            sentence;
    };

    std::vector<Relation> relations(const Target& t) const {
        std::vector<Relation> r;
        const double ln2 = std::numbers::ln2;
        r.push_back({DiagnosisKind::Bits, "1/ln2", [=](const Instance&) { return 1 / ln2; },
                     [](const std::string& w, const std::string& q, const std::string& a) {
                         return fmt::format(
                             "{} is the expected value divided by ln 2 ({}{}): a base-2 "
                             "logarithm, bits where the contract asks for nats (natural "
                             "logarithms).",
                             w, q, a);
                     }});
        r.push_back({DiagnosisKind::Bits, "ln2", [=](const Instance&) { return ln2; },
                     [](const std::string& w, const std::string& q, const std::string& a) {
                         return fmt::format(
                             "{} is the expected value times ln 2 ({}{}): bits and nats "
                             "converted the wrong way round.",
                             w, q, a);
                     }});
        r.push_back({DiagnosisKind::Sign, "-1", [](const Instance&) { return -1.0; },
                     [](const std::string& w, const std::string& q, const std::string& a) {
                         return fmt::format(
                             "{} has the expected size but the opposite sign ({}{}): a sign "
                             "flipped, or a difference or ratio taken the wrong way round.",
                             w, q, a);
                     }});
        for (const auto& [factor, label] : {std::pair{2.0, "twice"}, std::pair{0.5, "half"}}) {
            const std::string l = label;
            const double c = factor;  // a structured binding cannot be captured before C++20
            r.push_back({DiagnosisKind::Factor, l, [c](const Instance&) { return c; },
                         [l, c](const std::string& w, const std::string& q, const std::string& a) {
                             return fmt::format(
                                 "{} is {} the expected value ({}{}): a stray "
                                 "factor of {}.",
                                 w, l, q, a, c == 2 ? "2" : "1/2");
                         }});
        }
        // A factor some scalar argument of the call gives: tau^2, 1/beta...
        const abi::Signature& s = sig(t);
        const std::size_t k = t.call;
        for (std::size_t i = 0; i < s.params.size(); ++i) {
            const abi::Param& p = s.params[i];
            if (p.pointer || p.is_output() || p.type != abi::Scalar::Double) continue;
            auto arg = [i, k](const Instance& inst) {
                return inst.calls.at(k).call.args.at(i).scalar.f;
            };
            struct Power {
                int power;
                const char* shown;
            };
            for (const Power pw : {Power{2, "²"}, Power{1, ""}, Power{-1, ""}, Power{-2, "²"}}) {
                const std::string x = p.name;
                r.push_back(
                    {DiagnosisKind::Factor, x + "^" + std::to_string(pw.power),
                     [arg, pw](const Instance& inst) { return std::pow(arg(inst), pw.power); },
                     [x, pw, arg, this](const std::string& w, const std::string& q,
                                        const std::string& a) {
                         const double v = std::pow(arg(first()), std::abs(pw.power));
                         const std::string f = fmt::format("{}{} = {}", x, pw.shown, number(v));
                         if (pw.power > 0)
                             return fmt::format(
                                 "{} is {} times the expected value ({}{}), whatever {} is: a "
                                 "factor {}{} that the contract does not ask for.",
                                 w, f, q, a, x, x, pw.shown);
                         return fmt::format(
                             "{} is the expected value divided by {} ({}{}), whatever {} is: a "
                             "division by {}{} that the contract does not ask for.",
                             w, f, q, a, x, x, pw.shown);
                     }});
            }
        }
        return r;
    }

    // The failing instances where this output can be read.
    std::vector<const Evidence*> readable(const Target& t) const {
        std::vector<const Evidence*> out;
        for (const Evidence& e : failing_)
            if (t.call < e.got->size() && (*e.got)[t.call].status == Status::Ok &&
                t.call < e.instance->calls.size())
                out.push_back(&e);
        return out;
    }

    std::vector<Diagnosis> diagnose(const Target& t) const {
        std::vector<Diagnosis> out;
        const abi::Signature& s = sig(t);
        const std::vector<double> got = got_of(s, first_got()[t.call], t);
        const std::vector<double> exp = expected_of(first().calls[t.call].expected, t);

        // Never written: the bits the worker filled in are still there.
        if (t.param) {
            std::size_t unwritten = 0;
            for (std::size_t i = 0; i < got.size() && i < exp.size(); ++i)
                unwritten +=
                    std::bit_cast<std::uint64_t>(got[i]) == kFillBits && !std::isnan(exp[i]);
            if (unwritten > 0) {
                const std::string where =
                    unwritten == got.size()
                        ? (got.size() == 1 ? "" : fmt::format(" in all {} elements", got.size()))
                        : fmt::format(" in {} of its {} elements", unwritten, got.size());
                // An integer output is filled with a sentinel the worker reads back as NaN.
                const abi::Scalar type = s.params[*t.param].type;
                const std::string fill = type == abi::Scalar::Int32   ? "INT32_MIN"
                                         : type == abi::Scalar::Int64 ? "INT64_MIN"
                                                                      : "the NaN";
                out.push_back({DiagnosisKind::Unwritten,
                               fmt::format("{} came back holding {} the grader filled it "
                                           "with before the call{}: it was never written (are "
                                           "the results stored in the output array?).",
                                           what(t), fill, where)});
                return out;
            }
        }

        const std::vector<const Evidence*> evidence = readable(t);
        std::vector<const Relation*> holding;
        const std::vector<Relation> rels = relations(t);
        for (const Relation& r : rels) {
            bool all = !evidence.empty(), tells = false;
            for (const Evidence* e : evidence) {
                const double f = r.factor(*e->instance);
                const std::vector<double> g = got_of(s, (*e->got)[t.call], t);
                const std::vector<double> x = expected_of(e->instance->calls[t.call].expected, t);
                if (!scaled(g, x, f)) {
                    all = false;
                    break;
                }
                tells = tells || telling(x, f);
            }
            if (all && tells) holding.push_back(&r);
        }

        const std::optional<std::string> swapped = swap_found(t, evidence);
        const bool sign = std::any_of(holding.begin(), holding.end(), [](const Relation* r) {
            return r->kind == DiagnosisKind::Sign;
        });
        if (swapped) {
            out.push_back({DiagnosisKind::Swapped,
                           fmt::format("{} is what the reference returns with {} swapped ({}{}){}: "
                                       "are they used the wrong way round?",
                                       what(t), *swapped, quote(t), on_all(evidence),
                                       sign ? ", which here is the same as a flipped sign" : "")});
            std::erase_if(holding,
                          [](const Relation* r) { return r->kind == DiagnosisKind::Sign; });
        }
        // One factor explains the numbers: name it. Two or more (tau happens to be 2 in every
        // input): the numbers do not tell which, so say nothing.
        if (holding.size() == 1)
            out.push_back({holding.front()->kind,
                           holding.front()->sentence(what(t), quote(t), on_all(evidence))});
        if (holding.empty() && !swapped)
            if (auto d = common_factor(t, evidence)) out.push_back(std::move(*d));
        if (out.empty())
            if (auto d = overflow(t, got, exp)) out.push_back(std::move(*d));
        return out;
    }

    // Every element of a vector output off by one factor, its own on each input: the shape is
    // right and the scale is not (an unnormalised distribution, a stray constant).
    std::optional<Diagnosis> common_factor(const Target& t,
                                           const std::vector<const Evidence*>& evidence) const {
        if (!t.param || evidence.empty()) return std::nullopt;
        const abi::Signature& s = sig(t);
        std::optional<double> first_factor;
        bool varies = false;
        for (const Evidence* e : evidence) {
            const std::vector<double> g = got_of(s, (*e->got)[t.call], t);
            const std::vector<double> x = expected_of(e->instance->calls[t.call].expected, t);
            if (g.size() != x.size() || g.size() < 2) return std::nullopt;
            std::optional<double> factor;
            std::size_t nonzero = 0;
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (!std::isfinite(x[i]) || !std::isfinite(g[i])) return std::nullopt;
                if (x[i] == 0) continue;
                ++nonzero;
                if (!factor) factor = g[i] / x[i];
            }
            if (!factor || nonzero < 2 || !std::isfinite(*factor) || *factor == 0 ||
                !scaled(g, x, *factor) || !telling(x, *factor))
                return std::nullopt;
            if (!first_factor) first_factor = factor;
            varies = varies || std::fabs(*factor - *first_factor) > kRelTol * std::fabs(*factor);
        }
        // The factor of the first failing input is the one quoted.
        const std::vector<double> g = got_of(s, first_got()[t.call], t);
        const std::vector<double> x = expected_of(first().calls[t.call].expected, t);
        double factor = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i] != 0) {
                factor = g[i] / x[i];
                break;
            }
        return Diagnosis{
            DiagnosisKind::Factor,
            fmt::format("Every element of {} is the expected one times one factor ({}{}; the "
                        "factor is {} here{}): the shape is right but not the scale (a "
                        "normalisation missing, or a constant factor too many?).",
                        what(t), quote(t), on_all(evidence), number(factor),
                        varies ? " and changes with the input" : "")};
    }

    // The names of two same-typed arguments whose swap makes the reference return what the
    // student's call did ("p and q"), checked on every readable failing input (up to a few).
    std::optional<std::string> swap_found(const Target& t,
                                          const std::vector<const Evidence*>& evidence) const {
        if (!with_.reference || evidence.empty()) return std::nullopt;
        const abi::Signature& s = sig(t);
        for (std::size_t a = 0; a < s.params.size(); ++a)
            for (std::size_t b = a + 1; b < s.params.size(); ++b) {
                const abi::Param &pa = s.params[a], &pb = s.params[b];
                if (pa.is_output() || pb.is_output() || pa.pointer != pb.pointer ||
                    pa.type != abi::Scalar::Double || pb.type != abi::Scalar::Double)
                    continue;
                std::size_t checked = 0;
                bool all = true, differs = false;
                for (const Evidence* e : evidence) {
                    if (checked == kSwapEvidence) break;
                    sandbox::Call call = e->instance->calls[t.call].call;
                    if (call.args[a].values.size() != call.args[b].values.size()) {
                        all = false;
                        break;
                    }
                    std::swap(call.args[a], call.args[b]);
                    if (with_.spec &&
                        !meets_contract(with_.spec->functions.at(call.function), call))
                        continue;
                    ++checked;
                    const std::vector<double> ref = expected_of(with_.reference->call(call), t);
                    const std::vector<double> g = got_of(s, (*e->got)[t.call], t);
                    const std::vector<double> x =
                        expected_of(e->instance->calls[t.call].expected, t);
                    if (!matches(g, ref, pc_.tolerance)) {
                        all = false;
                        break;
                    }
                    differs = differs || !matches(ref, x, pc_.tolerance);
                }
                if (checked > 0 && all && differs) return pa.name + " and " + pb.name;
            }
        return std::nullopt;
    }

    // inf or NaN where a finite value was expected, and the right value once an input is tamed:
    // the student's function is called again on each tamer input (within the contract).
    std::optional<Diagnosis> overflow(const Target& t, const std::vector<double>& got,
                                      const std::vector<double>& exp) const {
        if (!with_.reference || !with_.runner) return std::nullopt;
        bool blown = false;
        for (std::size_t i = 0; i < got.size() && i < exp.size(); ++i)
            blown = blown || (std::isfinite(exp[i]) && !std::isfinite(got[i]));
        if (!blown) return std::nullopt;
        const abi::Signature& s = sig(t);
        const sandbox::Call& original = first().calls[t.call].call;
        struct Variant {
            sandbox::Call call;
            std::string change;
        };
        std::vector<Variant> variants;
        for (std::size_t i = 0; i < s.params.size(); ++i) {
            const abi::Param& p = s.params[i];
            if (p.is_output() || p.type != abi::Scalar::Double) continue;
            auto add = [&](sandbox::Call c, std::string change) {
                if (with_.spec && !meets_contract(with_.spec->functions.at(c.function), c)) return;
                variants.push_back({std::move(c), std::move(change)});
            };
            sandbox::Call c = original;
            if (p.pointer) {
                double largest = 0;
                for (double& v : c.args[i].values) {
                    largest = std::max(largest, std::fabs(v));
                    v /= kTame;
                }
                if (largest > 1)
                    add(c, fmt::format("{} is divided by {} (it reaches {})", p.name, kTame,
                                       number(largest)));
            } else {
                const double v = c.args[i].scalar.f;
                if (std::fabs(v) > 1) {
                    c.args[i].scalar.f = v / kTame;
                    add(c, fmt::format("{} is divided by {} (it is {})", p.name, kTame, number(v)));
                }
                if (v != 1) {
                    sandbox::Call one = original;
                    one.args[i].scalar.f = 1;
                    add(one, fmt::format("{} is 1 instead of {}", p.name, number(v)));
                }
            }
        }
        if (variants.empty()) return std::nullopt;
        std::vector<sandbox::Call> calls;
        std::vector<std::vector<double>> wanted;
        for (const Variant& v : variants) {
            wanted.push_back(expected_of(with_.reference->call(v.call), t));
            calls.push_back(v.call);
        }
        const std::vector<sandbox::CallResult> results = run_calls(*with_.runner, calls);
        for (std::size_t j = 0; j < variants.size(); ++j) {
            const bool finite = std::all_of(wanted[j].begin(), wanted[j].end(),
                                            [](double x) { return std::isfinite(x); });
            if (!finite || results[j].status != Status::Ok) continue;
            if (!matches(got_of(s, results[j], t), wanted[j], pc_.tolerance)) continue;
            return Diagnosis{DiagnosisKind::Overflow,
                             fmt::format("{} is {}, yet comes out right when {}: something "
                                         "overflows for large inputs (exp of a large number is "
                                         "inf); subtract the maximum before exponentiating, or "
                                         "work with logarithms.",
                                         what(t), quote(t), variants[j].change)};
        }
        return std::nullopt;
    }

    const Prepared& prepared_;
    const PreparedCase& pc_;
    std::span<const Evidence> failing_;
    const DiagnoseWith& with_;
};

}  // namespace

std::vector<result::Diagnosis> diagnose(const Prepared& prepared, const PreparedCase& pc,
                                        std::span<const Evidence> failing,
                                        const DiagnoseWith& with) {
    return Diagnoser(prepared, pc, failing, with).run();
}

}  // namespace grader::grading
