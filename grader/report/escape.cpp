#include "grader/report/escape.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace grader::report {
namespace {

// One step of UTF-8 decoding: a code point and its length, or invalid (length 1, so the caller
// escapes that byte and goes on). Overlong forms, surrogates and values above U+10FFFF are
// invalid, as the standard says; accepting them would let a student smuggle a '<' or a control
// character past a check that looks at code points.
struct Decoded {
    char32_t code_point = 0;
    std::size_t length = 1;
    bool valid = false;
};

Decoded decode(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return {lead, 1, true};
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t min = 0;  // the smallest code point that needs this many bytes
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1Fu;
        min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0Fu;
        min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07u;
        min = 0x10000;
    } else {
        return {};
    }
    if (at + length > text.size()) return {};
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char next = byte(at + i);
        if ((next & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (next & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
    return {cp, length, true};
}

std::string byte_escape(unsigned char byte) {
    return fmt::format("\\x{:02x}", byte);
}

std::string code_point_escape(char32_t cp) {
    return fmt::format("\\u{{{:04x}}}", static_cast<std::uint32_t>(cp));
}

// Invisible characters that reorder or break what a reader sees (the "Trojan Source" set plus
// the Unicode line and paragraph separators).
bool is_layout_control(char32_t cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const Decoded d = decode(text, at);
        if (!d.valid) {
            out += byte_escape(static_cast<unsigned char>(text[at]));
        } else if (d.code_point == '\n') {
            out += "\\n";
        } else if (d.code_point == '\r') {
            out += "\\r";
        } else if ((d.code_point < 0x20 && d.code_point != '\t') || d.code_point == 0x7F) {
            out += byte_escape(static_cast<unsigned char>(d.code_point));
        } else if ((d.code_point >= 0x80 && d.code_point < 0xA0) ||
                   is_layout_control(d.code_point)) {
            out += code_point_escape(d.code_point);
        } else {
            out.append(text.substr(at, d.length));
        }
        at += d.length;
    }
    return out;
}

std::string xml_escape(std::string_view text, bool attribute) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const Decoded d = decode(text, at);
        const char32_t cp = d.code_point;
        if (!d.valid) {
            out += byte_escape(static_cast<unsigned char>(text[at]));
        } else if (cp == '&') {
            out += "&amp;";
        } else if (cp == '<') {
            out += "&lt;";
        } else if (cp == '>') {
            out += "&gt;";
        } else if (cp == '"') {
            out += "&quot;";
        } else if (cp == '\'') {
            out += "&apos;";
        } else if (cp == '\r') {
            out += "&#13;";  // a parser turns a raw CR (and CR LF) into LF
        } else if ((cp == '\n' || cp == '\t') && attribute) {
            out += cp == '\n' ? "&#10;" : "&#9;";
        } else if (cp < 0x20 && cp != '\n' && cp != '\t') {
            out += byte_escape(static_cast<unsigned char>(cp));
        } else if (cp == 0xFFFE || cp == 0xFFFF) {
            out += code_point_escape(cp);
        } else {
            out.append(text.substr(at, d.length));
        }
        at += d.length;
    }
    return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (end != std::string_view::npos && !line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

}  // namespace grader::report
