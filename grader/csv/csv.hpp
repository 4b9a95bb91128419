#pragma once
// CSV as RFC 4180 has it: reading through libcsv (quoted fields, doubled quotes, line breaks
// inside quotes, CRLF or LF), and writing with a field quoted exactly when it holds a comma, a
// quote or a line break, so that a name like `O'Neil, "Jo"` survives any spreadsheet or LMS.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace grader::csv {

struct Row {
    std::vector<std::string> fields;
    int line = 0;  // 1-based line where the row starts, for messages
};

// Parses a whole CSV text (a UTF-8 byte-order mark is skipped), its fields separated by
// `delimiter` (a tab for a tab-delimited export). Throws grader::Error naming `source` and the
// line for malformed input (an unclosed quote, text after a closing quote).
std::vector<Row> parse(std::string_view text, const std::string& source, char delimiter = ',');
// Reads and parses a file; throws grader::Error when it cannot be read.
std::vector<Row> read_file(const std::string& path);

// Writes rows ending in CRLF, as RFC 4180 asks.
class Writer {
  public:
    explicit Writer(std::ostream& out) : out_(out) {}
    void row(const std::vector<std::string>& fields);

  private:
    std::ostream& out_;
};

// One field as written: quoted (with quotes doubled) only when it must be.
std::string field(std::string_view value);

// A cell as people mean it: without the spaces, tabs and line ends around it.
std::string trimmed(std::string_view cell);
// A header cell as the readers match it: trimmed and lower-cased (ASCII), so "ID " is "id".
std::string header_key(std::string_view cell);

}  // namespace grader::csv
