#include "grader/policy/local_time.hpp"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "grader/error.hpp"

namespace grader::policy {

namespace {

bool is_utc(const std::string& zone) {
    return zone.empty() || zone == "UTC" || zone == "Z";
}

// The zone's rules are read by the C library from TZ; the old value is put back afterwards.
class ZoneScope {
  public:
    explicit ZoneScope(const std::string& zone) {
        if (const char* old = std::getenv("TZ")) old_ = old;
        ::setenv("TZ", zone.c_str(), 1);
        ::tzset();
    }
    ~ZoneScope() {
        if (old_)
            ::setenv("TZ", old_->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }
    ZoneScope(const ZoneScope&) = delete;
    ZoneScope& operator=(const ZoneScope&) = delete;

  private:
    std::optional<std::string> old_;
};

}  // namespace

void check_zone(const std::string& zone, const std::string& what) {
    if (is_utc(zone)) return;
    std::error_code ec;
    const bool known = zone.find("..") == std::string::npos && zone.front() != '/' &&
                       std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone, ec);
    if (!known)
        throw Error(what + ": '" + zone +
                    "' is no time zone this machine knows; name the LMS's zone as the IANA "
                    "database does, e.g. Europe/Paris or America/New_York (or UTC)");
}

Instant local_instant(std::tm wall, const std::string& zone) {
    wall.tm_isdst = -1;
    if (is_utc(zone)) return Instant{std::chrono::seconds{::timegm(&wall)}};
    ZoneScope scope(zone);
    return Instant{std::chrono::seconds{std::mktime(&wall)}};
}

std::optional<Instant> blackboard_stamp(std::string_view stamp, const std::string& zone) {
    std::tm tm{};
    const std::string text(stamp);
    const char* end = ::strptime(text.c_str(), "%Y-%m-%d-%H-%M-%S", &tm);
    if (!end || *end) return std::nullopt;
    return local_instant(tm, zone);
}

std::optional<Instant> gradescope_time(std::string_view text) {
    std::string s(text);
    // Ruby writes a space before the offset; ISO 8601 wants none.
    const auto space = s.rfind(' ');
    if (space != std::string::npos && space > 10 && space + 1 < s.size() &&
        (s[space + 1] == '+' || s[space + 1] == '-' || s[space + 1] == 'Z' || s[space + 1] == 'U'))
        s = s.substr(0, space) + (s.compare(space + 1, 3, "UTC") == 0 ? "Z" : s.substr(space + 1));
    try {
        return parse_instant(s, "created_at");
    } catch (const Error&) {
        return std::nullopt;
    }
}

}  // namespace grader::policy
