#include "grader/batch/deadlines.hpp"

#include <fmt/format.h>

#include "grader/error.hpp"
#include "grader/policy/extensions.hpp"
#include "grader/policy/local_time.hpp"

namespace grader::batch {

Deadlines deadlines_from(const policy::DeadlineSettings& s, const std::string& who) {
    Deadlines out;
    out.who = who;
    if (s.timezone) {
        policy::check_zone(*s.timezone, s.timezone_from);
        out.zone = *s.timezone;
    }
    const bool policy_settings = s.grace || s.cutoff || s.late_penalty || s.late_cap;
    if (policy_settings && !s.due) {
        const std::string& from = s.grace          ? s.grace_from
                                  : s.cutoff       ? s.cutoff_from
                                  : s.late_penalty ? s.penalty_from
                                                   : s.cap_from;
        throw Error(from +
                    " needs a due date: give --due (ISO 8601 with its offset, e.g. "
                    "2026-12-01T23:59:00Z) or write `due:` in course.yaml beside the spec");
    }
    if (s.due) {
        gradebook::StoredPolicy p;
        const policy::Instant due = policy::parse_instant(*s.due, s.due_from);
        p.due = policy::format_instant(due);
        if (s.grace) p.grace_seconds = policy::parse_span(*s.grace, s.grace_from).count();
        if (s.cutoff) {
            const policy::Instant cutoff = policy::parse_instant(*s.cutoff, s.cutoff_from);
            if (cutoff <= due)
                throw Error(s.cutoff_from + ": the cutoff (" + policy::format_instant(cutoff) +
                            ") must come after the due date (" + p.due +
                            "); leave it out for no cutoff");
            p.cutoff = policy::format_instant(cutoff);
        }
        if (s.late_penalty) {
            policy::parse_penalty(*s.late_penalty, s.penalty_from);
            p.penalty = *s.late_penalty;
        }
        if (s.late_cap) {
            if (!s.late_penalty)
                throw Error(s.cap_from + " caps a late penalty: give --late-penalty too");
            policy::parse_cap(*s.late_cap, s.cap_from);
            p.cap = *s.late_cap;
        }
        p.set_by = who;
        out.policy = p;
    }
    if (s.extensions)
        for (const auto& [id, due] : policy::read_extensions(*s.extensions))
            out.extensions.push_back({id, policy::format_instant(due), who, ""});
    return out;
}

std::vector<std::string> record_deadlines(gradebook::Gradebook& book, const Deadlines& d) {
    std::vector<std::string> lines;
    if (d.end_policy && book.end_policy(d.who))
        lines.push_back(
            "late policy ended: lateness no longer lowers a grade (`grader history` keeps the "
            "ended policy)");
    if (d.policy && book.set_policy(*d.policy)) {
        std::string text = "late policy recorded: due " + d.policy->due;
        if (d.policy->grace_seconds)
            text +=
                ", grace " + policy::describe_span(std::chrono::seconds{d.policy->grace_seconds});
        if (d.policy->penalty) text += ", " + *d.policy->penalty;
        if (d.policy->cap) text += " capped at " + *d.policy->cap;
        if (d.policy->cutoff) text += ", cutoff " + *d.policy->cutoff + " (scored 0 after it)";
        lines.push_back(text);
    }
    if (!d.extensions.empty()) {
        const std::size_t changed = book.set_extensions(d.extensions);
        if (changed)
            lines.push_back(
                fmt::format("extensions recorded: {} student{}", changed, changed == 1 ? "" : "s"));
    }
    return lines;
}

LateMarker::LateMarker(gradebook::Gradebook& book) : book_(book) {
    if (const auto stored = book.policy()) policy_ = gradebook::to_late_policy(*stored);
}

std::optional<result::Lateness> LateMarker::mark(const Submission& s, double raw) {
    if (!policy_) return std::nullopt;
    policy::Instant due = policy_->due;
    const auto ext = book_.extensions(s.id);
    if (!ext.empty()) due = policy::parse_instant(ext.back().due, "the gradebook's extension");
    policy::SubmittedAt when;
    if (s.submitted_at) when.time = policy::parse_instant(*s.submitted_at, "submission time");
    when.marked_late = s.marked_late;
    const policy::LateOutcome o = policy::apply(*policy_, due, when, raw);
    result::Lateness l;
    l.status = policy::name(o.status);
    l.text = policy::describe(*policy_, o);
    l.penalty = raw - o.final_score;
    l.final_score = o.final_score;
    l.late_by_seconds = o.late_by.count();
    l.due = policy::format_instant(due);
    l.submitted_at = s.submitted_at;
    l.submitted_source = s.submitted_source;
    return l;
}

void add_worksheet_times(std::vector<Submission>& submissions,
                         const std::map<std::string, std::string>& last_modified,
                         const std::string& zone) {
    for (Submission& s : submissions) {
        if (s.submitted_at || s.marked_late) continue;
        const auto it = last_modified.find(s.id);
        if (it == last_modified.end()) continue;
        if (const auto t = policy::moodle_date(it->second, zone)) {
            s.submitted_at = policy::format_instant(*t);
            s.submitted_source = "moodle";
        }
    }
}

}  // namespace grader::batch
