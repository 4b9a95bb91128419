#include "grader/policy/instant.hpp"

#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "grader/error.hpp"

namespace grader::policy {
namespace {

using namespace std::chrono;

// Reads exactly `digits` digits at `pos`, or nothing.
std::optional<int> number(std::string_view s, std::size_t& pos, int digits) {
    if (pos + static_cast<std::size_t>(digits) > s.size()) return std::nullopt;
    int v = 0;
    for (int i = 0; i < digits; ++i) {
        const char c = s[pos + static_cast<std::size_t>(i)];
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(digits);
    return v;
}

bool take(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

[[noreturn]] void bad_instant(std::string_view text, const std::string& what,
                              const std::string& why) {
    throw Error(what + ": '" + std::string(text) + "' is not a date and time " + why +
                "; write it in ISO 8601 with its offset from UTC, e.g. 2026-12-01T23:59:00Z "
                "(UTC) or 2026-12-01T23:59:00+01:00");
}

}  // namespace

Instant parse_instant(std::string_view text, const std::string& what) {
    std::size_t pos = 0;
    const auto y = number(text, pos, 4);
    const bool dash1 = take(text, pos, '-');
    const auto mo = number(text, pos, 2);
    const bool dash2 = take(text, pos, '-');
    const auto d = number(text, pos, 2);
    if (!y || !dash1 || !mo || !dash2 || !d) bad_instant(text, what, "(no date YYYY-MM-DD)");
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) bad_instant(text, what, "(no such day)");
    if (!take(text, pos, 'T') && !take(text, pos, 't') && !take(text, pos, ' '))
        bad_instant(text, what, "(no time of day after the date)");
    const auto h = number(text, pos, 2);
    const bool colon = take(text, pos, ':');
    const auto mi = number(text, pos, 2);
    if (!h || !colon || !mi) bad_instant(text, what, "(no time HH:MM)");
    int sec = 0;
    if (take(text, pos, ':')) {
        const auto s = number(text, pos, 2);
        if (!s) bad_instant(text, what, "(seconds need two digits)");
        sec = *s;
        if (take(text, pos, '.') || take(text, pos, ','))
            while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    }
    // 24:00:00 is the end of the day in ISO 8601; a leap second (:60) is taken as the next second.
    if (*h > 24 || *mi > 59 || sec > 60 || (*h == 24 && (*mi != 0 || sec != 0)))
        bad_instant(text, what, "(no such time of day)");
    seconds offset{0};
    if (take(text, pos, 'Z') || take(text, pos, 'z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        const auto oh = number(text, pos, 2);
        if (!oh) bad_instant(text, what, "(an offset needs hours, e.g. +01:00)");
        int om = 0;
        const bool with_colon = take(text, pos, ':');
        if (pos < text.size()) {
            const auto m = number(text, pos, 2);
            if (!m) bad_instant(text, what, "(an offset's minutes need two digits)");
            om = *m;
        } else if (with_colon) {
            bad_instant(text, what, "(an offset's minutes need two digits)");
        }
        if (*oh > 23 || om > 59) bad_instant(text, what, "(no such offset from UTC)");
        offset = seconds{sign * (*oh * 3600 + om * 60)};
    } else if (pos == text.size()) {
        bad_instant(text, what, "with a known zone (it has no offset from UTC)");
    }
    if (pos != text.size()) bad_instant(text, what, "(unexpected text after it)");
    return sys_days{date} + hours{*h} + minutes{*mi} + seconds{sec} - offset;
}

std::string format_instant(Instant t) {
    const auto day_start = floor<days>(t);
    const year_month_day date{day_start};
    const hh_mm_ss<seconds> time{t - day_start};
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count());
}

std::chrono::seconds parse_span(std::string_view text, const std::string& what) {
    auto bad = [&](const std::string& why) -> Error {
        return Error(what + ": '" + std::string(text) + "' is not a length of time (" + why +
                     "); write a number and a unit: 90s, 15m, 2h, 1d, 1w, or a sum such as 1h30m");
    };
    if (text == "0") return seconds{0};
    if (text.empty()) throw bad("it is empty");
    seconds total{0};
    std::size_t pos = 0;
    while (pos < text.size()) {
        long long n = 0;
        const std::size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            n = n * 10 + (text[pos] - '0');
            if (n > 100'000'000) throw bad("too long");
            ++pos;
        }
        if (pos == start) throw bad("a unit without a number");
        if (pos == text.size()) throw bad("a number without a unit");
        long long unit = 0;
        switch (text[pos]) {
            case 's':
                unit = 1;
                break;
            case 'm':
                unit = 60;
                break;
            case 'h':
                unit = 3600;
                break;
            case 'd':
                unit = 86400;
                break;
            case 'w':
                unit = 7 * 86400;
                break;
            default:
                throw bad(std::string("unknown unit '") + text[pos] + "'");
        }
        ++pos;
        total += seconds{n * unit};
    }
    return total;
}

std::string describe_span(std::chrono::seconds s) {
    const long long total = s.count() < 0 ? -s.count() : s.count();
    const long long d = total / 86400, h = total % 86400 / 3600, m = total % 3600 / 60;
    std::string out;
    if (d > 0) out = std::to_string(d) + (d == 1 ? " day" : " days");
    if (h > 0) out += (out.empty() ? "" : " ") + std::to_string(h) + " h";
    if (m > 0 && d == 0) out += (out.empty() ? "" : " ") + std::to_string(m) + " min";
    if (out.empty()) out = std::to_string(total % 60) + " s";
    return out;
}

}  // namespace grader::policy
