// Moodle writes a worksheet's dates with its language pack's day-and-time format, the names of
// days and months in the site's language: English "%A, %d %B %Y, %I:%M %p", French
// "%A %d %B %Y, %H:%M", German "%A, %d. %B %Y, %H:%M", Spanish "... %d de %B de %Y ...". Rather
// than one strptime format per language (and a locale installed for each), the text is read by
// its parts: one month name, one day of the month, one four-digit year, one time, an AM or PM
// marker if any; other words (the weekday, "de", "à") are passed over. Anything else, or a part
// twice, and it is not a date.
#include <cctype>
#include <ctime>
#include <string>

#include "grader/policy/local_time.hpp"

namespace grader::policy {

namespace {

struct MonthName {
    std::string_view name;  // lower case, UTF-8
    int month;              // 1..12
};

// Full month names (%B) in English, French, German, Spanish, Italian, Portuguese and Dutch.
// A name shared by two languages means the same month in both.
constexpr MonthName kMonths[] = {
    {"january", 1},   {"february", 2},   {"march", 3},      {"april", 4},     {"may", 5},
    {"june", 6},      {"july", 7},       {"august", 8},     {"september", 9}, {"october", 10},
    {"november", 11}, {"december", 12},  {"janvier", 1},    {"février", 2},   {"mars", 3},
    {"avril", 4},     {"mai", 5},        {"juin", 6},       {"juillet", 7},   {"août", 8},
    {"septembre", 9}, {"octobre", 10},   {"novembre", 11},  {"décembre", 12}, {"januar", 1},
    {"februar", 2},   {"märz", 3},       {"juni", 6},       {"juli", 7},      {"oktober", 10},
    {"dezember", 12}, {"enero", 1},      {"febrero", 2},    {"marzo", 3},     {"abril", 4},
    {"mayo", 5},      {"junio", 6},      {"julio", 7},      {"agosto", 8},    {"septiembre", 9},
    {"octubre", 10},  {"noviembre", 11}, {"diciembre", 12}, {"gennaio", 1},   {"febbraio", 2},
    {"aprile", 4},    {"maggio", 5},     {"giugno", 6},     {"luglio", 7},    {"settembre", 9},
    {"ottobre", 10},  {"dicembre", 12},  {"janeiro", 1},    {"fevereiro", 2}, {"março", 3},
    {"maio", 5},      {"junho", 6},      {"julho", 7},      {"setembro", 9},  {"outubro", 10},
    {"dezembro", 12}, {"januari", 1},    {"februari", 2},   {"maart", 3},     {"mei", 5},
    {"augustus", 8},
};

// Letters: ASCII ones and every byte of a multi-byte UTF-8 character (é, ä, ç).
bool letter(unsigned char c) {
    return std::isalpha(c) || c >= 0x80;
}

}  // namespace

std::optional<Instant> moodle_date(std::string_view text, const std::string& zone) {
    int day = 0, month = 0, year = 0, hour = -1, minute = -1, second = 0;
    int meridiem = 0;  // 1 AM, 2 PM
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (letter(c)) {
            std::string word;
            for (; i < text.size() && letter(static_cast<unsigned char>(text[i])); ++i)
                word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
            if (word == "am" || word == "pm") {
                if (meridiem) return std::nullopt;
                meridiem = word == "am" ? 1 : 2;
                continue;
            }
            for (const MonthName& m : kMonths)
                if (word == m.name) {
                    if (month) return std::nullopt;
                    month = m.month;
                }
            continue;
        }
        if (std::isdigit(c)) {
            std::size_t start = i;
            for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
            }
            const std::string digits(text.substr(start, i - start));
            if (i < text.size() && text[i] == ':') {
                // A time: H:MM or H:MM:SS.
                if (hour >= 0 || digits.size() > 2) return std::nullopt;
                hour = std::stoi(digits);
                int parts[2] = {-1, 0};
                for (int k = 0; k < 2 && i < text.size() && text[i] == ':'; ++k) {
                    start = ++i;
                    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
                         ++i) {
                    }
                    if (i - start != 2) return std::nullopt;
                    parts[k] = std::stoi(std::string(text.substr(start, 2)));
                }
                minute = parts[0];
                second = parts[1];
                continue;
            }
            if (digits.size() == 4) {
                if (year) return std::nullopt;
                year = std::stoi(digits);
            } else if (digits.size() <= 2) {
                if (day) return std::nullopt;
                day = std::stoi(digits);
            } else {
                return std::nullopt;
            }
            continue;
        }
        ++i;  // spaces, commas, the period after a German day
    }
    if (!day || !month || !year || hour < 0 || minute < 0) return std::nullopt;
    if (day > 31 || minute > 59 || second > 59) return std::nullopt;
    if (meridiem) {
        if (hour < 1 || hour > 12) return std::nullopt;
        hour = hour % 12 + (meridiem == 2 ? 12 : 0);
    } else if (hour > 23) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return local_instant(tm, zone);
}

}  // namespace grader::policy
