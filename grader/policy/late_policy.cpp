#include "grader/policy/late_policy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "grader/error.hpp"

namespace grader::policy {
namespace {

// A non-negative number and its unit ("10%", "5pt", "5pts", "0.5 points").
Amount parse_amount(std::string_view text, const std::string& what, const std::string& example) {
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    std::string unit(end);
    unit.erase(0, unit.find_first_not_of(' '));
    auto bad = [&](const std::string& why) {
        return Error(what + ": '" + s + "' " + why + "; write e.g. " + example);
    };
    if (end == s.c_str()) throw bad("does not start with a number");
    if (!std::isfinite(v) || v < 0) throw bad("is not a non-negative amount");
    Amount a;
    a.value = v;
    if (unit == "%") {
        a.unit = Amount::Unit::Percent;
        if (v > 100) throw bad("takes more than the whole score");
    } else if (unit == "pt" || unit == "pts" || unit == "point" || unit == "points") {
        a.unit = Amount::Unit::Points;
    } else {
        throw bad(unit.empty() ? "has no unit (% or pt)" : "has the unknown unit '" + unit + "'");
    }
    return a;
}

std::string amount_text(const Amount& a) {
    return a.unit == Amount::Unit::Percent ? fmt::format("{:g}%", a.value)
                                           : fmt::format("{:g} points", a.value);
}

}  // namespace

Penalty parse_penalty(std::string_view text, const std::string& what) {
    const std::string example = "10%/day, 5pt/day or 2%/hour";
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        throw Error(what + ": '" + std::string(text) + "' names no period; write e.g. " + example);
    Penalty p;
    p.amount = parse_amount(text.substr(0, slash), what, example);
    const std::string_view per = text.substr(slash + 1);
    if (per == "day" || per == "d") {
        p.period = std::chrono::hours{24};
    } else if (per == "hour" || per == "h") {
        p.period = std::chrono::hours{1};
    } else if (per == "week" || per == "w") {
        p.period = std::chrono::hours{24 * 7};
    } else if (per == "minute" || per == "min" || per == "m") {
        p.period = std::chrono::minutes{1};
    } else {
        p.period = parse_span(per, what + " (the period after '/')");
        if (p.period.count() <= 0)
            throw Error(what + ": the period of '" + std::string(text) + "' is empty; write e.g. " +
                        example);
    }
    return p;
}

Amount parse_cap(std::string_view text, const std::string& what) {
    return parse_amount(text, what, "50% (of the student's score) or 20pt");
}

LateOutcome apply(const LatePolicy& policy, Instant due, const SubmittedAt& submitted, double raw) {
    LateOutcome out;
    out.raw = raw;
    out.final_score = raw;
    auto charge = [&](long long periods) {
        out.periods = periods;
        if (!policy.penalty) return;
        const Amount& a = policy.penalty->amount;
        double taken = static_cast<double>(periods) *
                       (a.unit == Amount::Unit::Percent ? raw * a.value / 100.0 : a.value);
        if (policy.cap)
            taken = std::min(taken, policy.cap->unit == Amount::Unit::Percent
                                        ? raw * policy.cap->value / 100.0
                                        : policy.cap->value);
        out.penalty = std::clamp(taken, 0.0, std::max(raw, 0.0));
        out.final_score = raw - out.penalty;
    };
    if (!submitted.time) {
        if (!submitted.marked_late) {
            out.status = LateOutcome::Status::TimeUnknown;
            return out;
        }
        out.status = LateOutcome::Status::LateTimeUnknown;
        charge(1);
        return out;
    }
    const auto late_by = *submitted.time - due;
    if (late_by <= std::chrono::seconds{0}) return out;
    out.late_by = late_by;
    // The cutoff moves with the student's extension.
    if (policy.cutoff && *submitted.time > *policy.cutoff + (due - policy.due)) {
        out.status = LateOutcome::Status::PastCutoff;
        out.penalty = std::max(raw, 0.0);
        out.final_score = raw - out.penalty;
        return out;
    }
    if (late_by <= policy.grace) {
        out.status = LateOutcome::Status::WithinGrace;
        return out;
    }
    out.status = LateOutcome::Status::Late;
    const long long period = policy.penalty ? policy.penalty->period.count() : 86400;
    charge((late_by.count() + period - 1) / period);
    return out;
}

std::string describe(const LatePolicy& policy, const LateOutcome& o) {
    auto taken = [&]() -> std::string {
        if (!policy.penalty || o.penalty <= 0) return "no penalty";
        std::string s = "-" + amount_text(policy.penalty->amount);
        if (o.periods > 1) s += fmt::format(" x {}", o.periods);
        if (policy.cap &&
            o.penalty + 1e-12 < o.periods * (policy.penalty->amount.unit == Amount::Unit::Percent
                                                 ? o.raw * policy.penalty->amount.value / 100.0
                                                 : policy.penalty->amount.value))
            s += ", capped at " + amount_text(*policy.cap);
        return s + fmt::format(" ({:g} points)", -o.penalty);
    };
    switch (o.status) {
        case LateOutcome::Status::OnTime:
        case LateOutcome::Status::TimeUnknown:
            return "";
        case LateOutcome::Status::WithinGrace:
            return "submitted " + describe_span(o.late_by) +
                   " after the due date, within the grace period: no penalty";
        case LateOutcome::Status::Late:
            return "submitted " + describe_span(o.late_by) + " after the due date: " + taken();
        case LateOutcome::Status::LateTimeUnknown:
            return "marked late by the LMS, at a time it does not say: one period's penalty, " +
                   taken();
        case LateOutcome::Status::PastCutoff:
            return "submitted " + describe_span(o.late_by) +
                   " after the due date, past the cutoff: scored 0";
    }
    return "";
}

std::string_view name(LateOutcome::Status status) {
    using S = LateOutcome::Status;
    switch (status) {
        case S::OnTime:
            return "on_time";
        case S::WithinGrace:
            return "grace";
        case S::Late:
            return "late";
        case S::PastCutoff:
            return "past_cutoff";
        case S::LateTimeUnknown:
            return "late_unknown";
        case S::TimeUnknown:
            return "time_unknown";
    }
    return "time_unknown";
}

}  // namespace grader::policy
