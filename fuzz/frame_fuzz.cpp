// Bytes from the worker's reply channel in: the grader's side of the protocol (FrameReader, then
// decode of Loaded, decode_results, decode_fatal) turns them into frames and replies, or refuses
// them with a reason. Never a crash, a hang, or an allocation the bytes ask for: run with
// -malloc_limit_mb so that one would be caught.
//
// The first byte picks how the rest is read:
//   even  the rest is the raw stream, as the worker could write it (headers, checksums and all);
//   odd   the rest is a list of (type, seq, length, payload) that the harness frames with valid
//         checksums, so that the payload decoders see arbitrary payloads too.
// Either way the stream reaches the reader in pieces of sizes taken from the input, and the
// reader is bounded, as the grader bounds it, by the results the batch can still hold.

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "grader/sandbox/protocol.hpp"

namespace {

using namespace grader;
using namespace grader::sandbox;
using grader::fuzz::Bytes;
using grader::fuzz::require;

const std::vector<abi::Signature>& functions() {
    static const std::vector<abi::Signature> sigs = {
        abi::parse_prototype("double kl_divergence(const double *p, const double *q, size_t n)"),
        abi::parse_prototype("void gibbs_terms(const double *p, const double *q, size_t n, double "
                             "*log_ratio, double *linear)"),
        abi::parse_prototype("void kl_vae_grad(double mu, double sigma, double *d_mu, double "
                             "*d_sigma)"),
        abi::parse_prototype("double rlhf_optimal_policy(const double *log_ref, const double "
                             "*reward, size_t n, double beta, double *log_pi)"),
    };
    return sigs;
}

Call make_call(std::size_t function, std::size_t n) {
    Call call;
    call.function = function;
    for (const abi::Param& p : functions()[function].params) {
        Arg arg;
        if (p.is_input_array()) {
            arg.kind = Arg::Kind::Input;
            arg.values.assign(n, 0.5);
        } else if (p.is_output()) {
            arg.kind = Arg::Kind::Output;
            arg.length = function == 2 ? 1 : n;
        } else {
            arg.scalar.u = n;
        }
        call.args.push_back(std::move(arg));
    }
    return call;
}

// The batch the grader is waiting on: calls with outputs of several lengths, 0 included.
const std::vector<Call>& batch() {
    static const std::vector<Call> calls = {make_call(0, 3), make_call(1, 2), make_call(2, 1),
                                            make_call(3, 4), make_call(1, 0)};
    return calls;
}

// What run_chunk does with a frame: results for the calls in order, a load report, a last word.
void handle(const protocol::Frame& frame, std::size_t& received) {
    std::vector<const Call*> chunk;
    for (const Call& c : batch()) chunk.push_back(&c);
    switch (frame.type) {
        case protocol::Type::Results: {
            std::vector<protocol::WireResult> wire;
            if (!protocol::decode_results(frame.payload, chunk, functions(), received, wire)) break;
            require(!wire.empty() && wire.size() <= chunk.size() - received,
                    "a reply holds results only for calls still awaited");
            for (std::size_t k = 0; k < wire.size(); ++k) {
                require(wire[k].index == received + k, "results come in order");
                const Call& call = *chunk[wire[k].index];
                const abi::Signature& sig = functions()[call.function];
                require(wire[k].outputs.size() == sig.params.size(), "one output slot a parameter");
                for (std::size_t i = 0; i < sig.params.size(); ++i)
                    require(wire[k].outputs[i].size() ==
                                (sig.params[i].is_output() ? call.args[i].length : 0),
                            "outputs have exactly the lengths asked");
            }
            received += wire.size();
            if (received == chunk.size()) received = 0;  // the next batch
            break;
        }
        case protocol::Type::Loaded: {
            protocol::Loaded loaded;
            if (!protocol::decode(frame.payload, loaded)) break;
            require(loaded.present.size() <= 4096 && loaded.layers.size() <= 1024 &&
                        loaded.warnings.size() <= 1024,
                    "a load report is bounded");
            break;
        }
        case protocol::Type::Fatal: {
            std::string message;
            if (protocol::decode_fatal(frame.payload, message))
                require(message.size() <= 64 * 1024, "a last word is bounded");
            break;
        }
        default:
            fuzz::broken("the reader passes on only the worker's frame types");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    const bool framed = in.u8() & 1;
    const std::uint8_t piece_seed = in.u8();
    std::vector<std::byte> stream;
    if (framed) {
        while (!in.empty()) {
            const std::uint8_t kind = in.u8();
            const std::uint32_t type = kind % 4 == 0   ? 0x101u
                                       : kind % 4 == 1 ? 0x102u
                                       : kind % 4 == 2 ? 0x103u
                                                       : kind;  // some other type
            const std::uint32_t seq = in.u8();
            const auto payload = in.take(in.u16());
            const auto frame = protocol::make_frame(
                static_cast<protocol::Type>(type), seq,
                std::span<const std::byte>(reinterpret_cast<const std::byte*>(payload.data()),
                                           payload.size()));
            stream.insert(stream.end(), frame.begin(), frame.end());
        }
    } else {
        const auto raw = in.rest();
        const auto* b = reinterpret_cast<const std::byte*>(raw.data());
        stream.assign(b, b + raw.size());
    }

    std::vector<const Call*> chunk;
    for (const Call& c : batch()) chunk.push_back(&c);
    protocol::FrameReader reader;
    std::size_t fed = 0, received = 0, piece = 1 + piece_seed % 64;
    for (;;) {
        // As run_chunk does: a Results frame may hold no more than the calls still awaited.
        const std::size_t limit = protocol::results_bytes(chunk, functions(), received);
        reader.limit_results(limit);
        protocol::Frame frame;
        std::string why;
        const bool ready = reader.ready();
        const auto next = reader.next(frame, why);
        require(ready == (next != protocol::FrameReader::Next::NeedMore),
                "ready() says whether next() has something to say");
        if (next == protocol::FrameReader::Next::Frame && frame.type == protocol::Type::Results)
            require(frame.payload.size() <= limit, "a results frame fits the calls awaited");
        if (next == protocol::FrameReader::Next::Bad) {
            require(!why.empty(), "a refused stream says why");
            break;  // the grader buries the worker: nothing after a bad frame is read
        }
        if (next == protocol::FrameReader::Next::Frame) {
            require(frame.payload.size() <= protocol::kMaxPayload, "a frame's payload is bounded");
            handle(frame, received);
            continue;
        }
        if (fed == stream.size()) break;  // NeedMore, and nothing more will come
        const std::size_t n = std::min(piece, stream.size() - fed);
        reader.feed(stream.data() + fed, n);
        fed += n;
        piece = piece * 5 % 251 + 1;  // irregular piece sizes, as a pipe delivers them
    }
    return 0;
}
