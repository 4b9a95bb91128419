#include "grader/csv/csv.hpp"

#include <cctype>

#include <csv.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "grader/error.hpp"

namespace grader::csv {

namespace {

struct Parsing {
    std::vector<Row> rows;
    Row current;
    int line = 1;  // line being parsed
};

void on_field(void* data, std::size_t size, void* state) {
    auto& p = *static_cast<Parsing*>(state);
    if (p.current.fields.empty()) p.current.line = p.line;
    p.current.fields.emplace_back(static_cast<const char*>(data), data ? size : 0);
}

void on_row(int, void* state) {
    auto& p = *static_cast<Parsing*>(state);
    // A blank line is no row at all.
    if (!(p.current.fields.size() == 1 && p.current.fields[0].empty()))
        p.rows.push_back(std::move(p.current));
    p.current = Row{};
}

}  // namespace

std::vector<Row> parse(std::string_view text, const std::string& source, char delimiter) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        throw Error("cannot start reading " + source + " (out of memory)");
    csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
    Parsing p;
    // Line by line, so that an error names its line (a quoted field may span lines: the row
    // keeps the line it started on).
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end + 1;
        const std::string_view piece = text.substr(start, end - start);
        if (csv_parse(&parser, piece.data(), piece.size(), on_field, on_row, &p) != piece.size()) {
            const std::string why = csv_strerror(csv_error(&parser));
            csv_free(&parser);
            throw Error(SourceLocation{source, p.line},
                        "this is not valid CSV (" + why +
                            "): a field with a comma, quote or line break must be in double "
                            "quotes, with any quote inside doubled");
        }
        start = end;
        ++p.line;
    }
    if (csv_fini(&parser, on_field, on_row, &p) != 0) {
        csv_free(&parser);
        throw Error(SourceLocation{source, p.line - 1},
                    "this CSV ends inside a quoted field: a closing double quote is missing");
    }
    csv_free(&parser);
    return std::move(p.rows);
}

std::vector<Row> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read " + path + ": " + std::strerror(errno));
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse(buffer.str(), path);
}

std::string field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void Writer::row(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) out_ << (i ? "," : "") << field(fields[i]);
    out_ << "\r\n";
}

std::string trimmed(std::string_view cell) {
    const auto first = cell.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return "";
    return std::string(cell.substr(first, cell.find_last_not_of(" \t\r\n") - first + 1));
}

std::string header_key(std::string_view cell) {
    std::string s = trimmed(cell);
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace grader::csv
