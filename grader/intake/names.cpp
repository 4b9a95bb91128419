#include "grader/intake/names.hpp"

#include <regex>
#include <vector>

namespace grader::intake {

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

std::optional<CanvasName> parse_canvas(std::string_view entry) {
    const std::string s(entry);
    // Anonymous grading first: an anonymous id may be all digits, and would read as a user id.
    static const std::regex anonymous(R"(^(LATE_)?anon_([A-Za-z0-9]+)_(\d+)_(.+)$)");
    std::smatch m;
    if (std::regex_match(s, m, anonymous))
        return CanvasName{"", "anon_" + m[2].str(), m[3].str(), m[4].str(), m[1].matched};
    // Canvas's own rule when a graded file comes back: the first two all-digit words are the user
    // id and the attachment id (it strips `_<digits>_` out of names for that very reason).
    std::vector<std::string_view> words;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '_') {
            words.push_back(entry.substr(start, i - start));
            start = i + 1;
        }
    }
    for (std::size_t i = 1; i + 2 < words.size(); ++i) {
        if (!all_digits(words[i]) || !all_digits(words[i + 1])) continue;
        CanvasName out;
        std::size_t name_end = i;
        if (words[i - 1] == "LATE") {
            out.late = true;
            --name_end;
        }
        for (std::size_t k = 0; k < name_end; ++k)
            out.name += (k ? "_" : "") + std::string(words[k]);
        if (out.name.empty()) return std::nullopt;
        out.user_id = std::string(words[i]);
        out.attachment_id = std::string(words[i + 1]);
        // The file's own name: everything after the attachment id, underscores and all.
        std::size_t offset = 0;
        for (std::size_t k = 0; k < i + 2; ++k) offset += words[k].size() + 1;
        out.file = s.substr(offset);
        if (out.file.empty()) return std::nullopt;
        return out;
    }
    return std::nullopt;
}

std::optional<MoodleName> parse_moodle(std::string_view entry, bool is_folder) {
    const std::string s(entry);
    // Greedy: the last `_<id>_assignsubmission_` is Moodle's, whatever the name holds.
    static const std::regex folder(R"(^(.+)_(\d+)_assignsubmission_([a-z]+)_?$)");
    static const std::regex flat(R"(^(.+)_(\d+)_assignsubmission_([a-z]+)_(.+)$)");
    std::smatch m;
    if (is_folder) {
        if (!std::regex_match(s, m, folder)) return std::nullopt;
        return MoodleName{m[1].str(), m[2].str(), m[3].str(), ""};
    }
    if (!std::regex_match(s, m, flat)) return std::nullopt;
    return MoodleName{m[1].str(), m[2].str(), m[3].str(), m[4].str()};
}

std::optional<BlackboardName> parse_blackboard(std::string_view entry) {
    const std::string s(entry);
    static const std::regex file(
        R"(^(.+)_attempt_(\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)(?:_(.+)|\.txt)$)");
    std::smatch m;
    if (!std::regex_match(s, m, file)) return std::nullopt;
    BlackboardName out;
    out.prefix = m[1].str();
    const auto cut = out.prefix.rfind('_');
    if (cut == std::string::npos || cut + 1 == out.prefix.size()) return std::nullopt;
    out.username = out.prefix.substr(cut + 1);
    out.stamp = m[2].str();
    out.file = m[3].matched ? m[3].str() : "";
    return out;
}

std::optional<BlackboardRecord> parse_blackboard_record(std::string_view text) {
    const std::string s(text);
    static const std::regex name_line(R"((?:^|\n)Name:\s*(.*?)\s*\(([^()\s]+)\)\s*\r?(?:\n|$))");
    std::smatch m;
    if (!std::regex_search(s, m, name_line)) return std::nullopt;
    return BlackboardRecord{m[1].str(), m[2].str()};
}

}  // namespace grader::intake
