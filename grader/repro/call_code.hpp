#pragma once
// The C code of one call of a student's function, shared by the programs of value cases
// (c_program.hpp) and of properties (property_program.hpp): its arguments as file-scope data
// (every double a hex float literal), lines printing its inputs, lines filling its outputs as the
// worker fills them, and, for each output, how to read an element back and whether anything was
// written past its end.

#include <string>
#include <vector>

#include "grader/abi/signature.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::repro {

struct OutputCode {
    std::size_t param = 0;  // index into the signature's parameters
    std::string name;       // the parameter's name, as the report names it
    std::string var;        // the C array
    std::size_t length = 0;
    std::string got;    // element i as a double (an unwritten integer reads as NaN)
    std::string guard;  // statements: print and set `failed` when written past the end
};

struct CallCode {
    std::string data;          // file-scope declarations
    std::string print_inputs;  // statements printing every input argument
    std::string fill;          // statements before the call
    std::string call;          // the call expression, "kl_divergence(arg_p, arg_q, arg_n)"
    std::vector<OutputCode> outputs;
};

// `prefix` keeps the names of two calls in one program apart ("call0_"); `indent` goes before
// each printed input's name.
CallCode call_code(const abi::Signature& sig, const sandbox::Call& call, const std::string& prefix,
                   const std::string& indent = "");

// The helpers every program starts with: number(), print_values(), matches() and check().
const char* c_helpers();

// The first statement of main: what was printed before a crash in the student's function still
// shows.
inline constexpr const char* kUnbuffered = "    setvbuf(stdout, NULL, _IONBF, 0);\n";

// The program's #includes and limits, and the comment at its top.
std::string c_prelude();
std::string c_comment(const std::string& title, const std::string& why);

// `v` as a C literal of `type` that reads back as exactly the same value.
std::string c_literal(double v, abi::Scalar type);
// Comma-separated literals, four to a line.
std::string c_literals(const std::vector<double>& values, abi::Scalar type);
// `static const <type> <name>[n] = {...};` holding `values`; an empty array still gets one
// element, so that it is a valid pointer, as the worker gives one.
std::string c_array(const std::string& name, const std::vector<double>& values, abi::Scalar type);
// A C string literal of `text`.
std::string c_quoted(const std::string& text);

}  // namespace grader::repro
