// A public bundle's JSON in: an error naming the bundle, or a bundle that grading can use. An
// accepted bundle is then graded, against a stand-in runner that answers every call with outputs
// of the asked lengths (and now and then a failure), and its reports are rendered: whatever a
// student writes into a bundle, the grader neither crashes nor reads past what it holds.

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "grader/error.hpp"
#include "grader/grading/bundle.hpp"
#include "grader/grading/grade.hpp"
#include "grader/report/report.hpp"

namespace {

using namespace grader;
using grader::fuzz::require;

class StandIn final : public sandbox::Runner {
  public:
    explicit StandIn(std::size_t functions) {
        load_.present.assign(functions, true);
        load_.hints.assign(functions, "");
        load_.layers = {"stand-in"};
    }
    const sandbox::LoadResult& load() override { return load_; }
    sandbox::BatchResult run(std::span<const sandbox::Call> calls) override {
        sandbox::BatchResult out;
        for (const sandbox::Call& call : calls) {
            sandbox::CallResult r;
            // Mostly answers; every seventh call fails, so that every path of grading is taken.
            r.status = ++count_ % 7 == 0 ? sandbox::Status::Crash : sandbox::Status::Ok;
            r.detail = r.status == sandbox::Status::Ok ? "" : "SIGSEGV (segmentation fault)";
            r.result.f = 0.25 * static_cast<double>(count_ % 5);
            for (const sandbox::Arg& a : call.args)
                r.outputs.push_back(a.kind == sandbox::Arg::Kind::Output
                                        ? std::vector<double>(a.length, 0.5)
                                        : std::vector<double>{});
            out.calls.push_back(std::move(r));
        }
        out.printed = "stand-in output\n";
        out.printed_bytes = out.printed.size();
        return out;
    }

  private:
    sandbox::LoadResult load_;
    std::size_t count_ = 0;
};

// The shapes grading indexes without checking: what the reader promises.
void check_promises(const grading::Prepared& p) {
    for (const auto& ex : p.exercises)
        for (const auto& pc : ex.cases) {
            require(!pc.instances.empty(), "a case has an instance");
            require(pc.points >= 0 && pc.points <= spec::kMaxPoints, "points are in range");
            for (const auto& inst : pc.instances) {
                require(pc.property ? !inst.calls.empty() : inst.calls.size() == 1,
                        "a value case has one call, a property at least one");
                for (const auto& call : inst.calls) {
                    require(call.call.function < p.functions.size(), "calls name known functions");
                    const abi::Signature& sig = p.functions[call.call.function];
                    require(call.call.args.size() == sig.params.size(), "an argument a parameter");
                    require(call.expected.arrays.size() == sig.params.size(),
                            "an expected array a parameter");
                    for (std::size_t i = 0; i < sig.params.size(); ++i)
                        require(call.expected.arrays[i].size() ==
                                    (sig.params[i].is_output() ? call.call.args[i].length : 0),
                                "expected outputs have their output's length");
                }
            }
        }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    grading::Prepared prepared;
    try {
        prepared = grading::parse_bundle(text, "fuzz.json");
    } catch (const Error& e) {
        const std::string_view what = e.what();
        require(what.rfind("the bundle fuzz.json ", 0) == 0, "a bundle error names the bundle",
                std::string(what));
        return 0;
    }
    check_promises(prepared);
    StandIn runner(prepared.functions.size());
    const result::Result r = grading::grade(prepared, runner, "fuzz.so");
    for (const report::Format f : {report::Format::Text, report::Format::Json,
                                   report::Format::Junit, report::Format::Gradescope}) {
        std::ostringstream out;
        report::render(r, f, out);
        require(!out.str().empty(), "every report says something");
    }
    return 0;
}
