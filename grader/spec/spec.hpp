#pragma once
// The exercise set as plain structs: what exercises.yaml says, checked and resolved, with every
// element's source line kept for later messages. Only spec/load.cpp reads YAML.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "grader/abi/signature.hpp"
#include "grader/compare/tolerance.hpp"
#include "grader/error.hpp"
#include "grader/spec/expr.hpp"

namespace grader::spec {

// Settings that cascade: file defaults, then the exercise, then the case.
struct Settings {
    std::optional<double> rtol;
    std::optional<double> atol;
    std::optional<double> time_limit;       // seconds of wall time per call
    std::optional<double> memory_limit_mb;  // address space of the worker

    // Fields of `over` win over this one's.
    Settings merged(const Settings& over) const;
};

struct Function {
    std::string name;
    std::string prototype;  // as written
    std::string contract;   // one line for the generated header
    abi::Signature signature;
    std::map<std::string, Expr> sizes;  // pointer parameter -> its length
    std::vector<Check> requires_;       // the contract on inputs, checked by `validate`
    std::string exercise;               // the exercise that owns it
    SourceLocation where;
};

// How one input of a case is made.
struct Generator {
    enum class Kind {
        Literal,     // values as written (a scalar is a list of one)
        Int,         // uniform integer in [low, high]
        Uniform,     // uniform double in [low, high), per element for arrays
        LogUniform,  // exp(uniform(log low, log high)): scales over decades (beta, tau, sigma)
        Normal,      // mean + sd * (approximately) standard normal
        Prob,        // a probability vector: positive weights normalised; `zeros` of them set to 0
        Linspace,    // low .. high inclusive, evenly spaced
        Mixture,     // a normalised Gaussian mixture evaluated on the grid input `of`
        Copy,        // the same values as input `of`
        // Uniform whole numbers in 0 .. k-1: samples of a variable with k values.
        Categorical,
    };
    Kind kind = Kind::Literal;
    std::vector<double> values;  // Literal
    double low = 0, high = 0;    // Int, Uniform, LogUniform, Linspace; Normal: mean, sd
    double zeros = 0;            // Prob: chance that an entry is 0 (one entry always stays > 0)
    std::vector<double> means, sigmas, weights;  // Mixture
    std::string of;                              // Mixture (the grid), Copy (the input copied)
    std::optional<Expr> size;  // an array's length where no function parameter gives it
    // Categorical: k, a number or an expression over earlier inputs.
    std::optional<Expr> categories;
    SourceLocation where;
};

struct Input {
    std::string name;
    Generator gen;
};

enum class Visibility { Public, Hidden };

// An expected value written in the spec: the return value and/or named outputs.
struct Literal {
    std::optional<std::vector<double>> result;
    std::map<std::string, std::vector<double>> outputs;
    SourceLocation where;
    bool empty() const { return !result && outputs.empty(); }
};

// A call to one function, graded against the reference.
struct ValueCase {
    std::string id;
    std::string function;
    int points = 1;
    int repeat = 1;
    Visibility visibility = Visibility::Public;
    std::vector<Input> inputs;  // in the order written; scalars before arrays when expanding
    Literal expect;             // literal figures: also held against the reference
    std::optional<std::string> expect_from;  // expected value from another reference function
    Settings settings;
    std::string hint;
    std::string note;  // why the case exists, e.g. a corrected notebook claim
    SourceLocation where;
};

// A call inside a property: `K: kl_divergence(p, q, n)`. Arguments are expressions over the
// property's inputs and earlier calls; output parameters are not written.
struct PropertyCall {
    std::string name;
    std::string function;
    std::vector<Expr> args;  // one per non-output parameter
    SourceLocation where;
};

// A relation between several calls on the same inputs. Calls to the owning exercise's
// functions are the student's; the others come from the reference.
struct Property {
    std::string id;
    int points = 1;
    int repeat = 1;
    Visibility visibility = Visibility::Public;
    std::vector<Input> inputs;
    std::vector<PropertyCall> calls;
    std::vector<Let> lets;  // evaluated while grading, after the calls, before the checks
    std::vector<Check> checks;
    Settings settings;
    std::string hint;
    std::string note;
    SourceLocation where;
};

struct Exercise {
    std::string id;
    std::string title;
    std::vector<std::string> functions;
    Settings settings;
    std::vector<ValueCase> cases;
    std::vector<Property> properties;
    SourceLocation where;
};

struct Spec {
    std::string path;
    int version = 1;
    std::string title;
    // What every function of the set takes for granted (units, what inputs hold), for the top of
    // the generated header.
    std::string conventions;
    std::uint64_t seed = 0;  // random cases; hidden ones may be redrawn with --seed
    Settings defaults;
    std::vector<Function> functions;
    std::vector<Exercise> exercises;

    const Function* function(const std::string& name) const;
    const Exercise* exercise(const std::string& id) const;
};

// The largest slack an inequality may be given: a claim that holds only thanks to a generous
// tolerance is not a claim the spec may make.
inline constexpr double kMaxInequalitySlack = 1e-9;

// Limits every spec obeys, and every public bundle made from one (grading/bundle.cpp holds a
// bundle to the same): beyond them a number is a mistake, not a test.
inline constexpr int kMaxPoints = 1000;
inline constexpr int kMaxRepeat = 10000;
// A list longer than this: also the longest array a case may make.
inline constexpr std::size_t kMaxListLength = 1u << 22;
// Integer inputs stay where a double holds them exactly (int64_t values too, in magnitude), and an
// int parameter within its type.
inline constexpr double kMaxWholeInput = 9007199254740992.0;  // 2^53
inline constexpr double kMaxInt32Input = 2147483647.0;
// The most categories a categorical input may have (its samples are int32_t values).
inline constexpr double kMaxCategories = 2147483647.0;
// Far above any real set; the worker's greeting carries at most this many functions.
inline constexpr std::size_t kMaxFunctions = 4096;
// Per call: time_limit in seconds, in (0, kMaxTimeLimit]; memory_limit in MiB, 16 MiB to 1 TiB.
inline constexpr double kMaxTimeLimit = 600;
inline constexpr double kMinMemoryMiB = 16;
inline constexpr double kMaxMemoryMiB = 1024.0 * 1024.0;

// Loads and checks a spec. Throws grader::Error naming file and line.
Spec load(const std::string& path);
Spec load_from_string(const std::string& text, const std::string& path);

// The tolerance and limits in force for a case of an exercise (built-in defaults filled in).
compare::Tolerance tolerance_of(const Spec& spec, const Exercise& ex, const Settings& own);
double time_limit_of(const Spec& spec, const Exercise& ex, const Settings& own);
double memory_limit_mb_of(const Spec& spec, const Exercise& ex, const Settings& own);

}  // namespace grader::spec
