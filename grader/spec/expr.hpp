#pragma once
// The small expression language of exercises.yaml: array sizes ("rows*cols") and the checks of
// properties ("H == Hp + K", "sum(p * G.log_ratio) <= 0"). Values are vectors of doubles; a
// scalar is a vector of length 1 and broadcasts.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grader::spec {

struct Expr {
    enum class Kind { Number, Name, Negate, Binary, Call };
    Kind kind = Kind::Number;
    double number = 0;
    std::string name;        // Name: an input, a call ("K") or a call's output ("G.log_ratio");
                             // Call: the function (sum, abs, sqrt, log, exp, min, max, len)
    char op = 0;             // Binary: + - * /
    std::vector<Expr> args;  // operands
    std::size_t column = 0;  // 0-based, for error messages
    std::size_t depth = 1;   // levels of the tree from this node down (a leaf is 1)
};

// What the parser accepts. Evaluating, copying and destroying a tree recurse over its levels, so
// the depth bound is what keeps a hand-written or hostile expression from overflowing the stack;
// a chain like 1+1+1+... is as deep as it is long, hence the bound on length too. Real checks
// are far inside both (a few levels, under 200 characters).
inline constexpr std::size_t kMaxExpressionLength = 4096;
inline constexpr std::size_t kMaxExpressionDepth = 64;

enum class Relation { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

struct Check {
    Expr lhs;
    Relation relation = Relation::Equal;
    Expr rhs;
    std::string text;
};

// A name a property binds for its checks, e.g. `qF: "wF / sum(wF)"`. Lets are evaluated in order
// while grading, after the calls, on the values the checks see; each may use the ones before it.
// A let holds what an expression gives: a scalar or an array.
struct Let {
    std::string name;
    Expr expr;
    std::string text;
};

struct ExprError {
    std::size_t column;
    std::string message;
};

// Parse errors throw ExprError, and so does text beyond the limits above.
Expr parse_expression(std::string_view text);
Check parse_check(std::string_view text);

// Every Name in the expression (in order of appearance, with repeats).
void collect_names(const Expr& e, std::vector<const Expr*>& out);

// The functions an expression may call (sum, abs, ...): a let may not take one of their names.
const std::vector<std::string>& builtin_functions();

using Value = std::vector<double>;
using Lookup = std::function<std::optional<Value>(std::string_view name)>;

// Evaluates; throws ExprError for an unknown name or mismatched lengths.
Value evaluate(const Expr& e, const Lookup& lookup);

std::string_view to_string(Relation r);

}  // namespace grader::spec
