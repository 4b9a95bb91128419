#include "grader/abi/signature.hpp"

#include <cctype>
#include <optional>

namespace grader::abi {

int Signature::find(std::string_view param) const {
    for (std::size_t i = 0; i < params.size(); ++i)
        if (params[i].name == param) return static_cast<int>(i);
    return -1;
}

bool is_integer(Scalar type) {
    return type == Scalar::SizeT || type == Scalar::UInt64 || type == Scalar::Int64 ||
           type == Scalar::Int32 || type == Scalar::UInt8;
}

bool can_point_to(Scalar type) {
    return type == Scalar::Double || type == Scalar::Float || type == Scalar::Int32 ||
           type == Scalar::Int64 || type == Scalar::UInt8;
}

std::string to_c(Scalar type) {
    switch (type) {
        case Scalar::Void:
            return "void";
        case Scalar::Double:
            return "double";
        case Scalar::SizeT:
            return "size_t";
        case Scalar::UInt64:
            return "uint64_t";
        case Scalar::Int64:
            return "int64_t";
        case Scalar::Int32:
            return "int32_t";
        case Scalar::Float:
            return "float";
        case Scalar::UInt8:
            return "uint8_t";
        case Scalar::Bool:
            return "bool";
    }
    return "?";
}

std::string to_c(const Signature& sig) {
    std::string out = to_c(sig.result) + " " + sig.name + "(";
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const Param& p = sig.params[i];
        if (i) out += ", ";
        if (p.is_const) out += "const ";
        out += to_c(p.type);
        out += p.pointer ? " *" : " ";
        out += p.name;
    }
    return out + ")";
}

namespace {

// A tiny tokenizer: identifiers, '*', '(', ')', ',', ';'. Positions are kept for errors.
struct Token {
    std::string text;
    std::size_t pos;
};

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
                ++j;
            out.push_back({std::string(s.substr(i, j - i)), i});
            i = j;
        } else if (c == '*' || c == '(' || c == ')' || c == ',' || c == ';') {
            out.push_back({std::string(1, c), i});
            ++i;
        } else {
            throw ParseError{i, std::string("unexpected character '") + c + "'"};
        }
    }
    return out;
}

std::optional<Scalar> scalar_named(std::string_view word) {
    if (word == "void") return Scalar::Void;
    if (word == "double") return Scalar::Double;
    if (word == "size_t") return Scalar::SizeT;
    if (word == "uint64_t") return Scalar::UInt64;
    if (word == "int64_t") return Scalar::Int64;
    if (word == "int" || word == "int32_t") return Scalar::Int32;
    if (word == "float") return Scalar::Float;
    if (word == "uint8_t") return Scalar::UInt8;
    if (word == "bool" || word == "_Bool") return Scalar::Bool;
    return std::nullopt;
}

bool is_identifier(const std::string& t) {
    return !t.empty() && (std::isalpha(static_cast<unsigned char>(t[0])) || t[0] == '_');
}

class Parser {
  public:
    Parser(std::vector<Token> tokens, std::size_t end) : toks_(std::move(tokens)), end_(end) {}

    Signature parse() {
        Signature sig;
        bool is_const = false;
        bool pointer = false;
        sig.result = parse_type(is_const, pointer);
        if (pointer || is_const)
            fail(0, "a function may return only void, a number or bool, not a pointer");
        sig.name = expect_identifier("the function name");
        expect("(");
        if (peek() == "void" && peek(1) == ")") {
            ++at_;
        } else if (peek() != ")") {
            for (;;) {
                if (sig.params.size() == kMaxParams)
                    fail(pos(), "a function may have at most " + std::to_string(kMaxParams) +
                                    " parameters");
                sig.params.push_back(parse_param(sig));
                if (peek() == ",") {
                    ++at_;
                    continue;
                }
                break;
            }
        }
        expect(")");
        if (peek() == ";") ++at_;
        if (at_ < toks_.size())
            fail(toks_[at_].pos, "unexpected '" + toks_[at_].text + "' after the prototype");
        return sig;
    }

  private:
    Param parse_param(const Signature& sig) {
        Param p;
        const std::size_t start = pos();
        p.type = parse_type(p.is_const, p.pointer);
        if (p.type == Scalar::Void) fail(start, "a parameter cannot be void");
        if (p.type == Scalar::Bool)
            fail(start, "bool is supported as a return type only; pass an int32_t or uint8_t");
        if (p.pointer && !can_point_to(p.type))
            fail(start,
                 "pointer parameters must point to double, float, int32_t, int64_t or "
                 "uint8_t, not " +
                     to_c(p.type));
        if (p.is_const && !p.pointer)
            fail(start, "'const' is only meaningful on input arrays such as 'const double *'");
        p.name = expect_identifier("a parameter name");
        if (sig.find(p.name) >= 0) fail(start, "parameter '" + p.name + "' is declared twice");
        return p;
    }

    Scalar parse_type(bool& is_const, bool& pointer) {
        is_const = false;
        pointer = false;
        if (peek() == "const") {
            is_const = true;
            ++at_;
        }
        const std::size_t where = pos();
        const std::string word = peek();
        const auto type = scalar_named(word);
        if (!type)
            fail(where,
                 word.empty()
                     ? "expected a type"
                     : "unsupported type '" + word +
                           "' (use double, float, int32_t or int, int64_t, uint64_t, size_t, "
                           "uint8_t, or bool as a result)");
        ++at_;
        if (peek() == "const") {
            is_const = true;
            ++at_;
        }
        if (peek() == "*") {
            pointer = true;
            ++at_;
        }
        if (peek() == "*") fail(pos(), "pointers to pointers are not supported");
        return *type;
    }

    std::string expect_identifier(const char* what) {
        const std::string t = peek();
        if (!is_identifier(t) || scalar_named(t) || t == "const")
            fail(pos(), std::string("expected ") + what + (t.empty() ? "" : ", got '" + t + "'"));
        if (t.size() > kMaxNameLength)
            fail(pos(), std::string(what) + " is " + std::to_string(t.size()) +
                            " characters long; at most " + std::to_string(kMaxNameLength) +
                            " are allowed");
        ++at_;
        return t;
    }

    void expect(const char* text) {
        if (peek() != text)
            fail(pos(), std::string("expected '") + text + "'" +
                            (peek().empty() ? "" : ", got '" + peek() + "'"));
        ++at_;
    }

    std::string peek(std::size_t ahead = 0) const {
        return at_ + ahead < toks_.size() ? toks_[at_ + ahead].text : std::string();
    }
    std::size_t pos() const { return at_ < toks_.size() ? toks_[at_].pos : end_; }
    [[noreturn]] static void fail(std::size_t column, std::string message) {
        throw ParseError{column, std::move(message)};
    }

    std::vector<Token> toks_;
    std::size_t end_;
    std::size_t at_ = 0;
};

}  // namespace

Signature parse_prototype(std::string_view text) {
    return Parser(tokenize(text), text.size()).parse();
}

}  // namespace grader::abi
