#include "grader/spec/expr.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace grader::spec {

namespace {

const char* const kFunctions[] = {"sum", "abs", "sqrt", "log", "exp", "min", "max", "len"};

bool known_function(std::string_view f) {
    return std::find(std::begin(kFunctions), std::end(kFunctions), f) != std::end(kFunctions);
}

// Recursive descent over: expr := term (('+'|'-') term)*; term := unary (('*'|'/') unary)*;
// unary := '-' unary | primary; primary := number | name ['(' args ')'] | '(' expr ')'.
class Parser {
  public:
    explicit Parser(std::string_view s) : s_(s) {
        if (s_.size() > kMaxExpressionLength)
            fail("the text is " + std::to_string(s_.size()) + " characters long; at most " +
                 std::to_string(kMaxExpressionLength) + " are allowed");
    }

    Expr whole() {
        Expr e = expr();
        skip();
        if (at_ < s_.size()) fail("unexpected '" + std::string(1, s_[at_]) + "'");
        return e;
    }

    Check check() {
        Check c;
        c.text = std::string(s_);
        c.lhs = expr();
        skip();
        const std::size_t where = at_;
        if (take("=="))
            c.relation = Relation::Equal;
        else if (take("!="))
            c.relation = Relation::NotEqual;
        else if (take("<="))
            c.relation = Relation::LessEqual;
        else if (take(">="))
            c.relation = Relation::GreaterEqual;
        else if (take("<"))
            c.relation = Relation::Less;
        else if (take(">"))
            c.relation = Relation::Greater;
        else {
            at_ = where;
            fail("expected a comparison (==, !=, <=, >=, <, >)");
        }
        c.rhs = expr();
        skip();
        if (at_ < s_.size()) fail("unexpected '" + std::string(1, s_[at_]) + "'");
        return c;
    }

  private:
    // Counts the parser's own recursion (parentheses, unary minus, call arguments) while a
    // rule is open: "((((x))))" nests without making tree levels.
    class Nesting {
      public:
        explicit Nesting(Parser& p) : p_(p) {
            if (++p_.nesting_ > kMaxExpressionDepth) p_.too_deep();
        }
        ~Nesting() { --p_.nesting_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

      private:
        Parser& p_;
    };

    [[noreturn]] void too_deep() const {
        fail("the expression is nested more than " + std::to_string(kMaxExpressionDepth) +
             " levels deep; split it into simpler checks or calls");
    }

    // Sets a new node's depth from its operands, refusing a tree deeper than the limit.
    void deepen(Expr& e) const {
        std::size_t below = 0;
        for (const Expr& a : e.args) below = std::max(below, a.depth);
        e.depth = below + 1;
        if (e.depth > kMaxExpressionDepth) too_deep();
    }

    Expr expr() {
        const Nesting nesting(*this);
        Expr left = term();
        for (;;) {
            skip();
            if (at_ < s_.size() && (s_[at_] == '+' || s_[at_] == '-')) {
                const char op = s_[at_++];  // before parsing the right side, which moves at_
                left = binary(op, std::move(left), term());
            } else {
                return left;
            }
        }
    }

    Expr term() {
        Expr left = unary();
        for (;;) {
            skip();
            if (at_ < s_.size() && (s_[at_] == '*' || s_[at_] == '/')) {
                const char op = s_[at_++];
                left = binary(op, std::move(left), unary());
            } else {
                return left;
            }
        }
    }

    Expr unary() {
        skip();
        if (at_ < s_.size() && s_[at_] == '-') {
            const Nesting nesting(*this);
            Expr e;
            e.kind = Expr::Kind::Negate;
            e.column = at_++;
            e.args.push_back(unary());
            deepen(e);
            return e;
        }
        return primary();
    }

    Expr primary() {
        skip();
        Expr e;
        e.column = at_;
        if (at_ >= s_.size()) fail("expected a number, a name or '('");
        const char c = s_[at_];
        if (c == '(') {
            ++at_;
            e = expr();
            skip();
            if (!take(")")) fail("expected ')'");
            return e;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            char* end = nullptr;
            // strtod needs a terminated string; the view may not be, so copy the tail.
            const std::string tail(s_.substr(at_));
            e.number = std::strtod(tail.c_str(), &end);
            const std::size_t used = static_cast<std::size_t>(end - tail.c_str());
            if (used == 0) fail("malformed number");
            at_ += used;
            e.kind = Expr::Kind::Number;
            return e;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = at_;
            while (j < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[j])) ||
                                     s_[j] == '_' || s_[j] == '.'))
                ++j;
            e.name = std::string(s_.substr(at_, j - at_));
            at_ = j;
            skip();
            if (at_ < s_.size() && s_[at_] == '(') {
                if (!known_function(e.name)) {
                    at_ = e.column;
                    fail("unknown function '" + e.name +
                         "' (available: sum, abs, sqrt, log, exp, min, max, len)");
                }
                ++at_;
                e.kind = Expr::Kind::Call;
                skip();
                if (!take(")")) {
                    for (;;) {
                        e.args.push_back(expr());
                        skip();
                        if (take(",")) continue;
                        if (!take(")")) fail("expected ',' or ')'");
                        break;
                    }
                }
                const bool binary_fn = e.name == "min" || e.name == "max";
                if (e.args.size() != 1 && !(binary_fn && e.args.size() == 2)) {
                    at_ = e.column;
                    fail("'" + e.name + "' takes " +
                         (binary_fn ? "one or two arguments" : "one argument"));
                }
                deepen(e);
                return e;
            }
            e.kind = Expr::Kind::Name;
            return e;
        }
        fail("unexpected '" + std::string(1, c) + "'");
    }

    Expr binary(char op, Expr a, Expr b) {
        Expr e;
        e.kind = Expr::Kind::Binary;
        e.op = op;
        e.column = a.column;
        e.args.push_back(std::move(a));
        e.args.push_back(std::move(b));
        deepen(e);
        return e;
    }

    bool take(std::string_view token) {
        skip();
        if (s_.substr(at_, token.size()) == token) {
            at_ += token.size();
            return true;
        }
        return false;
    }

    void skip() {
        while (at_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[at_]))) ++at_;
    }

    [[noreturn]] void fail(std::string message) const { throw ExprError{at_, std::move(message)}; }

    std::string_view s_;
    std::size_t at_ = 0;
    std::size_t nesting_ = 0;
};

Value elementwise(const Value& a, const Value& b, std::size_t column, double (*f)(double, double)) {
    if (a.size() != b.size() && a.size() != 1 && b.size() != 1)
        throw ExprError{column, "cannot combine values of lengths " + std::to_string(a.size()) +
                                    " and " + std::to_string(b.size())};
    const std::size_t n = std::max(a.size(), b.size());
    Value out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = f(a.size() == 1 ? a[0] : a[i], b.size() == 1 ? b[0] : b[i]);
    return out;
}

Value map(Value v, double (*f)(double)) {
    for (double& x : v) x = f(x);
    return v;
}

}  // namespace

Expr parse_expression(std::string_view text) {
    return Parser(text).whole();
}
Check parse_check(std::string_view text) {
    return Parser(text).check();
}

const std::vector<std::string>& builtin_functions() {
    static const std::vector<std::string> names(std::begin(kFunctions), std::end(kFunctions));
    return names;
}

void collect_names(const Expr& e, std::vector<const Expr*>& out) {
    if (e.kind == Expr::Kind::Name) out.push_back(&e);
    for (const Expr& a : e.args) collect_names(a, out);
}

Value evaluate(const Expr& e, const Lookup& lookup) {
    switch (e.kind) {
        case Expr::Kind::Number:
            return {e.number};
        case Expr::Kind::Name: {
            auto v = lookup(e.name);
            if (!v) throw ExprError{e.column, "unknown name '" + e.name + "'"};
            return *v;
        }
        case Expr::Kind::Negate:
            return map(evaluate(e.args[0], lookup), [](double x) { return -x; });
        case Expr::Kind::Binary: {
            const Value a = evaluate(e.args[0], lookup);
            const Value b = evaluate(e.args[1], lookup);
            switch (e.op) {
                case '+':
                    return elementwise(a, b, e.column, [](double x, double y) { return x + y; });
                case '-':
                    return elementwise(a, b, e.column, [](double x, double y) { return x - y; });
                case '*':
                    return elementwise(a, b, e.column, [](double x, double y) { return x * y; });
                default:
                    return elementwise(a, b, e.column, [](double x, double y) { return x / y; });
            }
        }
        case Expr::Kind::Call: {
            const Value a = evaluate(e.args[0], lookup);
            if (e.name == "sum") {
                double s = 0;
                for (double x : a) s += x;
                return {s};
            }
            if (e.name == "len") return {static_cast<double>(a.size())};
            if (e.name == "abs") return map(a, [](double x) { return std::fabs(x); });
            if (e.name == "sqrt") return map(a, [](double x) { return std::sqrt(x); });
            if (e.name == "log") return map(a, [](double x) { return std::log(x); });
            if (e.name == "exp") return map(a, [](double x) { return std::exp(x); });
            const bool is_max = e.name == "max";
            if (e.args.size() == 2) {
                const Value b = evaluate(e.args[1], lookup);
                return elementwise(
                    a, b, e.column,
                    is_max ? [](double x, double y) { return std::fmax(x, y); }
                           : [](double x, double y) { return std::fmin(x, y); });
            }
            if (a.empty()) throw ExprError{e.column, "'" + e.name + "' of an empty value"};
            return {is_max ? *std::max_element(a.begin(), a.end())
                           : *std::min_element(a.begin(), a.end())};
        }
    }
    return {};
}

std::string_view to_string(Relation r) {
    switch (r) {
        case Relation::Equal:
            return "==";
        case Relation::NotEqual:
            return "!=";
        case Relation::Less:
            return "<";
        case Relation::LessEqual:
            return "<=";
        case Relation::Greater:
            return ">";
        case Relation::GreaterEqual:
            return ">=";
    }
    return "==";
}

}  // namespace grader::spec
