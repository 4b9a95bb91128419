#include "grader/grading/shrink_case.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "grader/grading/contract.hpp"
#include "grader/grading/expand.hpp"
#include "grader/shrink/shrink.hpp"

namespace grader::grading {

namespace {

using Clock = std::chrono::steady_clock;
using NamedInputs = std::vector<std::pair<std::string, std::vector<double>>>;
using spec::Generator;

// Calls per message to the worker while shrinking.
constexpr std::size_t kBatch = 512;

// A shrinking call never gets less time than this, so a deadline close by does not turn a
// normal call into a time-out.
constexpr double kMinCallSeconds = 0.05;

// The names multiplied in a size expression ("rows * cols" -> rows, cols), outermost first; none
// when it is not such a product.
std::optional<std::vector<std::string>> factors(const spec::Expr& e) {
    if (e.kind == spec::Expr::Kind::Name) return std::vector<std::string>{e.name};
    if (e.kind == spec::Expr::Kind::Binary && e.op == '*' && e.args.size() == 2) {
        auto a = factors(e.args[0]);
        auto b = factors(e.args[1]);
        if (!a || !b) return std::nullopt;
        a->insert(a->end(), b->begin(), b->end());
        return a;
    }
    return std::nullopt;
}

bool derived(const Generator& g) {
    return g.kind == Generator::Kind::Copy || g.kind == Generator::Kind::Mixture ||
           g.kind == Generator::Kind::Linspace;
}

std::size_t count_values(const NamedInputs& inputs) {
    std::size_t n = 0;
    for (const auto& [name, values] : inputs) n += values.size();
    return n;
}

const std::vector<double>* find_input(const NamedInputs& inputs, const std::string& name) {
    for (const auto& [n, values] : inputs)
        if (n == name) return &values;
    return nullptr;
}

std::string value_class(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return "finite";
}

// What the shrinker may change in a case's inputs, read from the spec's generators and sizes.
class Plan {
  public:
    Plan(const spec::Spec& spec, const spec::Exercise& ex, const PreparedCase& pc,
         const NamedInputs& drawn)
        : drawn_(drawn) {
        const spec::Function* f = nullptr;
        const std::vector<spec::Input>* inputs = nullptr;
        if (pc.property) {
            for (const spec::Property& p : ex.properties)
                if (p.id == pc.id) inputs = &p.inputs;
        } else {
            for (const spec::ValueCase& c : ex.cases)
                if (c.id == pc.id) {
                    inputs = &c.inputs;
                    f = spec.function(c.function);
                }
        }
        if (!inputs) return;
        // The size expression of each array input.
        std::map<std::string, const spec::Expr*> size_of;
        for (const spec::Input& in : *inputs) {
            if (f) {
                const auto it = f->sizes.find(in.name);
                if (it != f->sizes.end()) size_of[in.name] = &it->second;
            } else if (in.gen.size) {
                size_of[in.name] = &*in.gen.size;
            }
        }
        // A size may change when every array it sizes is drawn or derived (a literal array keeps
        // its length), and only through products of sizes, whose layout is then row-major.
        std::set<std::string> fixed;
        std::map<std::string, std::vector<std::string>> dims;
        // A categorical input's samples were drawn below its k: changing k would hand the
        // functions samples outside their contract (and an index past their arrays).
        std::set<std::string> category_counts;
        for (const spec::Input& in : *inputs) {
            if (!in.gen.categories) continue;
            std::vector<const spec::Expr*> names;
            spec::collect_names(*in.gen.categories, names);
            for (const spec::Expr* n : names) category_counts.insert(n->name);
        }
        fixed.insert(category_counts.begin(), category_counts.end());
        for (const auto& [array, expr] : size_of) {
            std::vector<const spec::Expr*> names;
            spec::collect_names(*expr, names);
            const auto product = factors(*expr);
            const spec::Input* in = input(*inputs, array);
            const bool literal = in && in->gen.kind == Generator::Kind::Literal;
            for (const spec::Expr* n : names)
                if (!product || literal) fixed.insert(n->name);
            if (product) dims[array] = *product;
        }
        std::set<std::string> sizes;
        for (const spec::Input& in : *inputs) {
            const std::vector<double>* v = find_input(drawn_, in.name);
            if (!v) continue;
            const bool is_dim = std::any_of(dims.begin(), dims.end(), [&](const auto& d) {
                return std::find(d.second.begin(), d.second.end(), in.name) != d.second.end();
            });
            if (!is_dim || v->size() != 1 || !(v->front() >= 0)) continue;
            const auto value = static_cast<std::size_t>(v->front());
            const bool movable = in.gen.kind == Generator::Kind::Int && !fixed.count(in.name);
            const auto low = static_cast<std::size_t>(std::max(0.0, std::ceil(in.gen.low)));
            start_.sizes.push_back({in.name, value, movable ? std::min(low, value) : value});
            sizes.insert(in.name);
        }
        // Sizes that are not inputs of their own (implied by a literal array) stay as they are.
        for (const auto& [array, names] : dims)
            for (const std::string& n : names)
                if (!sizes.count(n))
                    if (const std::vector<double>* v = find_input(drawn_, n); v && v->size() == 1) {
                        const auto value = static_cast<std::size_t>(std::max(0.0, v->front()));
                        start_.sizes.push_back({n, value, value});
                        sizes.insert(n);
                    }
        for (const spec::Input& in : *inputs) {
            const Generator& g = in.gen;
            if (g.kind == Generator::Kind::Literal || derived(g) || sizes.count(in.name) ||
                category_counts.count(in.name))
                continue;
            const std::vector<double>* v = find_input(drawn_, in.name);
            if (!v) continue;
            shrink::Var var;
            var.name = in.name;
            var.values = *v;
            switch (g.kind) {
                case Generator::Kind::Int:
                    var.kind = shrink::Kind::Integer;
                    var.low = g.low;
                    var.high = g.high;
                    break;
                case Generator::Kind::Uniform:
                case Generator::Kind::LogUniform:
                    var.low = g.low;
                    var.high = g.high;
                    break;
                case Generator::Kind::Normal:  // the generator's draws stay within 6 sd
                    var.low = g.low - 6 * g.high;
                    var.high = g.low + 6 * g.high;
                    break;
                case Generator::Kind::Prob:
                    var.kind = shrink::Kind::Probability;
                    var.zeros = g.zeros > 0;
                    break;
                default:
                    continue;
            }
            if (const auto d = dims.find(in.name); d != dims.end()) var.dims = d->second;
            start_.vars.push_back(std::move(var));
        }
    }

    const shrink::Input& start() const { return start_; }

    // The case's inputs with the shrinker's values in place.
    NamedInputs inputs(const shrink::Input& in) const {
        NamedInputs out = drawn_;
        for (auto& [name, values] : out) {
            if (const shrink::Size* s = in.size(name)) values = {static_cast<double>(s->value)};
            for (const shrink::Var& v : in.vars)
                if (v.name == name) values = v.values;
        }
        return out;
    }

  private:
    static const spec::Input* input(const std::vector<spec::Input>& inputs,
                                    const std::string& name) {
        for (const spec::Input& in : inputs)
            if (in.name == name) return &in;
        return nullptr;
    }

    NamedInputs drawn_;
    shrink::Input start_;
};

}  // namespace

std::string failure_signature(const Outcome& o) {
    std::string s(result::name(o.verdict));
    if (o.verdict == result::Verdict::Wrong) {
        if (!o.check.empty()) return s + " check " + o.check;
        if (o.mismatch) return s + " " + o.mismatch->output + " " + value_class(o.mismatch->got);
        return s + " " + o.message;
    }
    // The numbers in a message (a length, a block's size) change as the input shrinks.
    std::string what;
    for (char c : o.message)
        if (c < '0' || c > '9') what += c;
    return s + " " + o.call + " " + what;
}

std::vector<sandbox::CallResult> run_calls(sandbox::Runner& runner,
                                           const std::vector<sandbox::Call>& calls) {
    std::vector<sandbox::CallResult> out;
    for (std::size_t from = 0; from < calls.size(); from += kBatch) {
        const std::size_t count = std::min(kBatch, calls.size() - from);
        // What the submission prints meanwhile is not kept: grading is over, and some of these
        // calls are hidden cases'.
        sandbox::BatchResult b =
            runner.run(std::span<const sandbox::Call>(calls).subspan(from, count));
        for (std::size_t j = 0; j < count; ++j) {
            if (j < b.calls.size()) {
                out.push_back(std::move(b.calls[j]));
            } else {
                sandbox::CallResult r;
                r.status = sandbox::Status::Error;
                r.detail = "the worker returned too few results";
                out.push_back(std::move(r));
            }
        }
    }
    return out;
}

bool shrinks_without_reference(const spec::Exercise& ex, const PreparedCase& pc) {
    if (!pc.property) return false;
    for (const spec::Property& p : ex.properties) {
        if (p.id != pc.id) continue;
        std::set<std::string> calls;
        for (const spec::PropertyCall& call : p.calls) {
            if (std::find(ex.functions.begin(), ex.functions.end(), call.function) ==
                ex.functions.end())
                return false;
            // An argument made from an earlier call's result would be made from the reference's.
            std::vector<const spec::Expr*> names;
            for (const spec::Expr& arg : call.args) spec::collect_names(arg, names);
            for (const spec::Expr* n : names)
                if (calls.count(n->name.substr(0, n->name.find('.')))) return false;
            calls.insert(call.name);
        }
        return true;
    }
    return false;
}

ShrinkFound shrink_failure(const Feedback& feedback, const Prepared& prepared,
                           const spec::Exercise& ex, const PreparedCase& pc,
                           const Instance& failing, const Outcome& failure, sandbox::Runner& runner,
                           Clock::time_point deadline) {
    ShrinkFound found;
    found.shrunk.original_values = count_values(failing.inputs);
    const Plan plan(*feedback.spec, ex, pc, failing.inputs);
    const std::string target = failure_signature(failure);
    std::size_t student_calls = 0;
    for (const PreparedCall& c : failing.calls) student_calls += c.student;
    if (student_calls == 0) return found;

    std::size_t calls_used = 0;
    struct Taken {
        Instance instance;
        std::vector<sandbox::CallResult> got;
        Outcome outcome;
    };
    std::optional<Taken> last;
    const shrink::Test test = [&](std::span<const shrink::Input> candidates) {
        std::vector<std::optional<Instance>> built(candidates.size());
        std::vector<sandbox::Call> calls;
        const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            try {
                built[i] = rebuild_instance(*feedback.spec, feedback.reference, ex, pc,
                                            plan.inputs(candidates[i]));
            } catch (const Error&) {
                continue;  // the sizes do not fit: not a candidate after all
            }
            for (const PreparedCall& c : built[i]->calls)
                if (!meets_contract(feedback.spec->functions.at(c.call.function), c.call)) {
                    built[i].reset();
                    break;
                }
            if (!built[i]) continue;
            for (const PreparedCall& c : built[i]->calls) {
                if (!c.student) continue;
                sandbox::Call call = c.call;
                const double limit =
                    call.time_limit_seconds > 0 ? call.time_limit_seconds : pc.time_limit;
                call.time_limit_seconds = std::min(limit, std::max(kMinCallSeconds, left));
                calls.push_back(std::move(call));
            }
        }
        std::vector<sandbox::CallResult> results = run_calls(runner, calls);
        calls_used += calls.size();
        std::vector<bool> fails(candidates.size(), false);
        std::size_t next = 0;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            if (!built[i]) continue;
            std::vector<sandbox::CallResult> got(built[i]->calls.size());
            for (std::size_t k = 0; k < got.size(); ++k)
                if (built[i]->calls[k].student) got[k] = std::move(results.at(next++));
            const Outcome o = grade_instance(prepared, pc, *built[i], got);
            fails[i] = failure_signature(o) == target;
            // The shrinker takes the first candidate that still fails.
            if (fails[i]) {
                last = Taken{std::move(*built[i]), std::move(got), o};
                fails.resize(i + 1);
                break;
            }
        }
        return fails;
    };
    shrink::Budget budget;
    budget.candidates = std::max<std::size_t>(1, feedback.shrink_calls / student_calls);
    if (failure.verdict != result::Verdict::Wrong) {
        // Every crash costs a fresh worker: fewer tries, in small batches.
        budget.candidates = std::max<std::size_t>(1, budget.candidates / 8);
        budget.batch = 4;
    }
    budget.deadline = deadline;
    const shrink::Outcome o = shrink::minimise(plan.start(), test, budget);

    result::Shrunk& s = found.shrunk;
    s.steps = o.steps;
    s.calls = calls_used;
    s.stopped = o.stop == shrink::Stop::Done         ? "done"
                : o.stop == shrink::Stop::Candidates ? "calls"
                                                     : "time";
    if (o.steps == 0 || !last) return found;
    // A value case's inputs are its function's parameters; a property's are the spec's own.
    const spec::Function* f = pc.property || pc.functions.size() != 1
                                  ? nullptr
                                  : feedback.spec->function(pc.functions[0]);
    for (const auto& [name, values] : last->instance.inputs)
        s.inputs.push_back(name + " = " + show_all_values(values, f && single_precision(*f, name)));
    s.values = count_values(last->instance.inputs);
    s.message = last->outcome.message;
    collect_values(prepared, pc, last->instance, last->got, std::numeric_limits<std::size_t>::max(),
                   s.returned, s.expected);
    // Without the reference the student's calls expected nothing: only what they returned shows.
    if (!feedback.reference) s.expected.clear();
    found.instance = std::move(last->instance);
    found.got = std::move(last->got);
    found.outcome = std::move(last->outcome);
    return found;
}

}  // namespace grader::grading
