#pragma once
// Making arbitrary bytes safe to show. Student code can print anything, and its symbol names end
// up in messages, so every string from a Result goes through one of these before it is written.

#include <string>
#include <string_view>
#include <vector>

namespace grader::report {

// For a terminal or a plain-text page: keeps printable UTF-8 and tabs; writes control
// characters (C0, DEL, C1, so no escape sequence or carriage return can rewrite what is on
// screen), bidirectional overrides and line separators as "\xNN" or "\u{NNNN}", and each byte
// of invalid UTF-8 as "\xNN". A newline becomes "\n": the result is always one line.
std::string terminal_safe(std::string_view text);

// For XML 1.0 text (attribute = false) or a double-quoted attribute value (attribute = true):
// escapes & < > " ' and, in attributes, tab, newline and carriage return as character
// references (a parser would otherwise normalise them to spaces). Characters XML 1.0 forbids
// (most C0 controls, U+FFFE, U+FFFF) and invalid UTF-8 become "\xNN" / "\u{NNNN}" text.
std::string xml_escape(std::string_view text, bool attribute = false);

// Splits on '\n'; a final newline does not start another line, and a '\r' before a '\n' is
// dropped (Windows line ends). The lines are not escaped.
std::vector<std::string_view> split_lines(std::string_view text);

}  // namespace grader::report
