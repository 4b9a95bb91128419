// exercises.yaml text in: a spec out, or a grader::Error naming the file. Never a crash, a hang,
// another exception, or a spec that breaks the promises the rest of the grader relies on.

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "grader/error.hpp"
#include "grader/spec/spec.hpp"

namespace {

using namespace grader;
using grader::fuzz::require;

// Evaluates an expression with every name standing for a short vector: what expansion and
// grading do with it, minus the reference.
void evaluate_all(const spec::Expr& e) {
    require(e.depth <= spec::kMaxExpressionDepth, "expressions are at most 64 levels deep");
    const spec::Lookup lookup = [](std::string_view) -> std::optional<spec::Value> {
        return spec::Value{0.5, 2.0};
    };
    try {
        spec::evaluate(e, lookup);
    } catch (const spec::ExprError& err) {
        require(!err.message.empty(), "an expression error says what is wrong");
    }
}

void check_promises(const spec::Spec& s) {
    require(s.functions.size() <= spec::kMaxFunctions, "the functions are within the limit");
    for (const spec::Function& f : s.functions) {
        require(s.exercise(f.exercise) != nullptr, "every function belongs to an exercise");
        require(f.signature.params.size() <= abi::kMaxParams, "prototypes fit the worker");
        for (const abi::Param& p : f.signature.params)
            if (p.pointer) require(f.sizes.count(p.name) == 1, "every array has a size");
        for (const auto& [param, size] : f.sizes) evaluate_all(size);
        for (const spec::Check& c : f.requires_) {
            evaluate_all(c.lhs);
            evaluate_all(c.rhs);
        }
    }
    for (const spec::Exercise& ex : s.exercises) {
        for (const spec::ValueCase& c : ex.cases) {
            const spec::Function* f = s.function(c.function);
            require(f != nullptr && f->exercise == ex.id, "a case calls its exercise's function");
            require(c.points >= 0 && c.points <= spec::kMaxPoints, "points are in range");
            require(c.repeat >= 1 && c.repeat <= spec::kMaxRepeat, "repeat is in range");
            for (const spec::Input& in : c.inputs)
                if (in.gen.size) evaluate_all(*in.gen.size);
        }
        for (const spec::Property& p : ex.properties) {
            require(!p.checks.empty(), "a property has a check");
            require(p.repeat >= 1 && p.repeat <= spec::kMaxRepeat, "repeat is in range");
            for (const spec::PropertyCall& call : p.calls) {
                require(s.function(call.function) != nullptr, "a property calls known functions");
                for (const spec::Expr& a : call.args) evaluate_all(a);
            }
            for (const spec::Check& c : p.checks) {
                evaluate_all(c.lhs);
                evaluate_all(c.rhs);
            }
        }
        (void)spec::tolerance_of(s, ex, {});
        (void)spec::time_limit_of(s, ex, {});
        (void)spec::memory_limit_mb_of(s, ex, {});
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        check_promises(spec::load_from_string(text, "fuzz.yaml"));
    } catch (const Error& e) {
        // A spec error names the file (and the line where there is one).
        const std::string_view what = e.what();
        require(what.rfind("fuzz.yaml:", 0) == 0 && what.size() > 12, "a spec error names the file",
                std::string(what));
    }
    return 0;
}
