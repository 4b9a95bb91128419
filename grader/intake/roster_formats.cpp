#include "grader/intake/roster_formats.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "grader/error.hpp"

namespace grader::intake {

namespace {

std::string cell(const csv::Row& row, std::optional<std::size_t> column) {
    if (!column || *column >= row.fields.size()) return "";
    return csv::trimmed(row.fields[*column]);
}

std::string joined(const std::string& a, const std::string& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return a + " " + b;
}

void append_utf8(std::string& out, std::uint32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// UTF-16 after its byte-order mark, as UTF-8; a lone surrogate becomes U+FFFD.
std::string utf8_of_utf16(std::string_view bytes, bool little_endian) {
    std::string out;
    auto unit = [&](std::size_t i) -> std::uint32_t {
        const auto a = static_cast<unsigned char>(bytes[i]),
                   b = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? (b << 8 | a) : (a << 8 | b);
    };
    for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
        std::uint32_t c = unit(i);
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < bytes.size()) {
            const std::uint32_t low = unit(i + 2);
            if (low >= 0xDC00 && low < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        append_utf8(out, c);
    }
    return out;
}

}  // namespace

std::vector<csv::Row> read_export(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read " + path + ": " + std::strerror(errno));
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.size() >= 2 && text[0] == '\xFF' && text[1] == '\xFE')
        text = utf8_of_utf16(text, true);
    else if (text.size() >= 2 && text[0] == '\xFE' && text[1] == '\xFF')
        text = utf8_of_utf16(text, false);
    const std::string_view first_line = std::string_view(text).substr(0, text.find('\n'));
    // A column title may hold a comma ("Lab 1, part 2 [Total Pts: 10 Score] |12"), never a tab.
    const bool tabs = std::count(first_line.begin(), first_line.end(), '\t') >
                      std::count(first_line.begin(), first_line.end(), ',');
    return csv::parse(text, path, tabs ? '\t' : ',');
}

std::optional<RosterFormat> parse_roster_format(std::string_view name) {
    if (name == "auto") return RosterFormat::Auto;
    if (name == "ours" || name == "csv") return RosterFormat::Ours;
    if (name == "canvas") return RosterFormat::Canvas;
    if (name == "moodle") return RosterFormat::Moodle;
    if (name == "blackboard") return RosterFormat::Blackboard;
    if (name == "gradescope") return RosterFormat::Gradescope;
    return std::nullopt;
}

std::string_view name(RosterFormat format) {
    switch (format) {
        case RosterFormat::Auto:
            return "auto";
        case RosterFormat::Ours:
            return "ours";
        case RosterFormat::Canvas:
            return "canvas";
        case RosterFormat::Moodle:
            return "moodle";
        case RosterFormat::Blackboard:
            return "blackboard";
        case RosterFormat::Gradescope:
            return "gradescope";
    }
    return "ours";
}

std::optional<std::size_t> column_of(const csv::Row& header, std::string_view title) {
    const std::string wanted = csv::header_key(title);
    for (std::size_t i = 0; i < header.fields.size(); ++i)
        if (csv::header_key(header.fields[i]) == wanted) return i;
    return std::nullopt;
}

RosterFormat detect_roster_format(const csv::Row& header) {
    auto has = [&](std::string_view t) { return column_of(header, t).has_value(); };
    if (has("Student") && has("ID") && has("SIS User ID")) return RosterFormat::Canvas;
    if (has("Identifier") && has("Full name")) return RosterFormat::Moodle;
    if (has("Username") && has("Last Name") && has("First Name")) return RosterFormat::Blackboard;
    if (has("SID") && has("Email") && (has("Name") || has("First Name")))
        return RosterFormat::Gradescope;
    return RosterFormat::Ours;
}

std::string moodle_participant(std::string_view identifier) {
    const std::string s = csv::trimmed(identifier);
    std::size_t end = s.size();
    std::size_t start = end;
    while (start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9') --start;
    return s.substr(start, end - start);
}

std::vector<gradebook::Student> read_lms_roster(const std::vector<csv::Row>& rows,
                                                RosterFormat format, const std::string& source) {
    if (rows.empty()) throw Error(SourceLocation{source, 1}, "the roster is empty");
    const csv::Row& header = rows.front();
    auto required = [&](std::string_view title, std::string_view what) {
        const auto c = column_of(header, title);
        if (!c)
            throw Error(SourceLocation{source, header.line},
                        "this " + std::string(name(format)) + " export has no \"" +
                            std::string(title) + "\" column (" + std::string(what) +
                            "); export it again with that column, or give --roster-format");
        return *c;
    };
    std::vector<gradebook::Student> out;
    std::map<std::string, int> seen;
    const char* key_title = "";
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const csv::Row& row = rows[r];
        gradebook::Student s;
        switch (format) {
            case RosterFormat::Canvas: {
                key_title = "ID";
                const std::string student = cell(row, column_of(header, "Student"));
                // Canvas's second row holds each column's points, and newer exports add a
                // posting-policy row: neither is a student, and neither has a user ID.
                if (student == "Points Possible") continue;
                s.id = cell(row, required("ID", "the Canvas user ID grades go back by"));
                if (s.id.empty() && student.empty()) continue;
                s.name = student;
                s.sis_id = cell(row, column_of(header, "SIS User ID"));
                s.email = cell(row, column_of(header, "SIS Login ID"));
                s.section = cell(row, column_of(header, "Section"));
                break;
            }
            case RosterFormat::Moodle: {
                key_title = "Identifier";
                // Forced on a localised worksheet, the identifier is the first column.
                auto id = column_of(header, "Identifier");
                const std::string text = cell(row, id ? id : std::optional<std::size_t>(0));
                s.id = moodle_participant(text);
                if (text.empty()) continue;
                if (s.id.empty())
                    throw Error(
                        SourceLocation{source, row.line},
                        "\"" + text + "\" is no Moodle identifier (\"Participant 880101\")");
                s.name = cell(row, column_of(header, "Full name"));
                s.email = cell(row, column_of(header, "Email address"));
                s.sis_id = cell(row, column_of(header, "ID number"));
                break;
            }
            case RosterFormat::Blackboard: {
                key_title = "Username";
                s.id = cell(row, required("Username", "the username grades go back by"));
                s.name = joined(cell(row, column_of(header, "First Name")),
                                cell(row, column_of(header, "Last Name")));
                s.sis_id = cell(row, column_of(header, "Student ID"));
                s.email = cell(row, column_of(header, "Email"));
                break;
            }
            case RosterFormat::Gradescope: {
                key_title = "SID";
                s.id = cell(row, required("SID", "the student id Gradescope matches on"));
                s.email = cell(row, column_of(header, "Email"));
                if (s.id.empty()) s.id = s.email;
                s.name = cell(row, column_of(header, "Name"));
                if (s.name.empty())
                    s.name = joined(cell(row, column_of(header, "First Name")),
                                    cell(row, column_of(header, "Last Name")));
                s.sis_id = cell(row, column_of(header, "SID"));
                break;
            }
            case RosterFormat::Auto:
            case RosterFormat::Ours:
                throw Error("internal: read_lms_roster of our own roster");
        }
        if (s.id.empty())
            throw Error(SourceLocation{source, row.line},
                        "this student has no \"" + std::string(key_title) +
                            "\", which their grade goes back by; fill it in or delete the row");
        if (const auto it = seen.find(s.id); it != seen.end())
            throw Error(SourceLocation{source, row.line}, "\"" + s.id + "\" is already on line " +
                                                              std::to_string(it->second) +
                                                              "; each student appears once");
        seen[s.id] = row.line;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace grader::intake
