#pragma once
// The framed binary protocol between the grader and its worker.
//
// Every message is a frame: a 24-byte header (magic, type, sequence number, payload length,
// checksum of the payload) and the payload. The grader treats everything the worker sends
// as untrusted: a frame with a wrong magic, length, checksum or sequence number, or a payload that
// does not decode exactly, is "garbled" and never yields a result.
//
//   grader → worker   Hello   (library path, signatures, limits)      once per worker
//                     Batch   (many calls; see encode_batch)          seq = batch number
//   worker → grader   Loaded  (load error or per-function presence, sandbox layers)
//                     Results (results of consecutive calls of the current batch, in order)
//                     Fatal   (the worker itself failed: one sentence)

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "grader/abi/ffi_call.hpp"
#include "grader/abi/signature.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::sandbox::protocol {

// The worker's descriptors, set up by ChildProcess before exec. stdin is /dev/null; stdout and
// stderr are the capture pipe.
inline constexpr int kRequestFd = 3;  // grader → worker
inline constexpr int kReplyFd = 4;    // worker → grader
// The worker's exit status when its channel to the grader is gone (the library closed or
// replaced descriptor 3 or 4): the grader can then say so instead of blaming an exit.
inline constexpr int kChannelLostExit = 75;
// The worker's exit status when its check after a call found the call had tampered with it.
inline constexpr int kTamperedExit = 76;
// The exit status of a worker's init (worker_main.cpp) once it has written how the worker ended.
inline constexpr int kRelayedExit = 77;
inline constexpr int kSharedFd = 5;  // memfd holding SharedState; the worker closes it once mapped

enum class Type : std::uint32_t {
    Hello = 1,
    Batch = 2,
    Loaded = 0x101,
    Results = 0x102,
    Fatal = 0x103
};

struct Header {
    std::uint32_t magic;
    std::uint32_t type;
    std::uint32_t seq;
    std::uint32_t length;
    std::uint32_t checksum;
    std::uint32_t reserved;
};
static_assert(sizeof(Header) == 24);

inline constexpr std::uint32_t kMagic = 0x52474c4b;     // "KLGR"
inline constexpr std::size_t kMaxPayload = 512u << 20;  // far above any real batch or result
// The largest replies of the other kinds: a load report (presence, layers, warnings) and a
// worker's last sentence. A Results frame is bounded by the calls asked (results_bytes).
inline constexpr std::size_t kMaxLoadedPayload = 1u << 20;
inline constexpr std::size_t kMaxFatalPayload = (64u << 10) + 4;

// A fast FNV-style hash of the payload. Pure computation: safe anywhere.
std::uint32_t checksum(const std::byte* data, std::size_t size);

std::vector<std::byte> make_frame(Type type, std::uint32_t seq, std::span<const std::byte> payload);

struct Frame {
    Type type{};
    std::uint32_t seq = 0;
    std::vector<std::byte> payload;
};

// Reassembles frames from a byte stream (the grader reads the reply pipe without blocking).
class FrameReader {
  public:
    enum class Next { NeedMore, Frame, Bad };
    void feed(const std::byte* data, std::size_t size);
    // The largest Results payload accepted from now on: what the calls still awaited can need.
    // A header announcing more is Bad as soon as it is read, before any of its payload.
    void limit_results(std::size_t bytes) { results_limit_ = bytes; }
    // True when what is buffered settles the next next(): a whole frame, or a header next() will
    // refuse. The grader stops reading the pipe there, so a worker streaming a huge reply costs
    // it no more memory than the calls it asked for.
    bool ready() const;
    // On Bad, `why` says what was wrong; the stream cannot be resynchronised after that.
    Next next(Frame& out, std::string& why);

  private:
    bool header_ok(const Header& h, std::string* why) const;

    std::vector<std::byte> buffer_;
    std::size_t start_ = 0;
    std::size_t results_limit_ = kMaxPayload;
};

class Encoder {
  public:
    void u8(std::uint8_t v) { put(&v, 1); }
    void u32(std::uint32_t v) { put(&v, sizeof v); }
    void u64(std::uint64_t v) { put(&v, sizeof v); }
    void f64(double v) { put(&v, sizeof v); }
    void str(std::string_view s);
    void doubles(const double* values, std::size_t count);
    void put(const void* p, std::size_t n);
    // Room for `n` more bytes at the end, for the caller to fill.
    std::byte* extend(std::size_t n);
    const std::vector<std::byte>& bytes() const { return bytes_; }
    std::size_t size() const { return bytes_.size(); }
    void clear() { bytes_.clear(); }

  private:
    std::vector<std::byte> bytes_;
};

// Reads a payload; every getter returns false (and stays failed) on a short or invalid payload.
class Decoder {
  public:
    explicit Decoder(std::span<const std::byte> bytes) : bytes_(bytes) {}
    bool u8(std::uint8_t& v) { return get(&v, 1); }
    bool u32(std::uint32_t& v) { return get(&v, sizeof v); }
    bool u64(std::uint64_t& v) { return get(&v, sizeof v); }
    bool f64(double& v) { return get(&v, sizeof v); }
    bool str(std::string& s, std::size_t max_size = 1 << 20);
    // Points at `count` doubles inside the payload (possibly unaligned: copy them out).
    bool doubles_view(std::uint64_t count, const std::byte*& at);
    bool doubles(std::vector<double>& out, std::uint64_t count);
    bool ok() const { return ok_; }
    bool at_end() const { return ok_ && pos_ == bytes_.size(); }

  private:
    bool get(void* p, std::size_t n);
    std::span<const std::byte> bytes_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

// --- Messages -------------------------------------------------------------------------------

struct Hello {
    std::string library;
    std::vector<abi::Signature> functions;
    std::uint64_t memory_bytes = 0;
    std::uint32_t open_files = 0;
    double cpu_seconds = 0;           // the per-call CPU limit, for the RLIMIT_CPU backstop
    std::uint32_t namespaces = 0;     // the Namespace set the grader started the worker in
    std::vector<std::string> hidden;  // files the worker's root must not show (worker_root.hpp)
    // The seccomp filters, compiled by the grader (seccomp_filter.hpp), and why one is missing.
    std::string load_filter, call_filter;
    std::vector<std::string> filter_warnings;
};
std::vector<std::byte> encode(const Hello& hello);
bool decode(std::span<const std::byte> payload, Hello& hello);

struct Loaded {
    std::optional<std::string> error;
    std::vector<bool> present;
    std::vector<std::string> layers;
    std::vector<std::string> warnings;
};
std::vector<std::byte> encode(const Loaded& loaded);
bool decode(std::span<const std::byte> payload, Loaded& loaded);

// A call as the worker receives it: arrays stay inside the request payload until the worker
// copies them into its guarded arena.
struct WireArg {
    abi::Word scalar{};
    const std::byte* data = nullptr;  // input arrays: `length` doubles, possibly unaligned
    std::uint64_t length = 0;         // input and output arrays
};
struct WireCall {
    std::uint32_t function = 0;
    double cpu_seconds = 0;
    std::vector<WireArg> args;
};

// Batch payload: u32 count, then per call: u32 function, f64 cpu limit, and per parameter of the
// function's signature: a scalar's 8 bytes, an input's u64 length and doubles, or an output's u64
// length. The worker checks every length against the payload. Arrays of every element type travel
// as doubles; the worker converts them to the parameter's type (the Hello's signatures say it).
bool decode_batch(std::span<const std::byte> payload, const std::vector<abi::Signature>& functions,
                  std::vector<WireCall>& calls);

// Results payload: u32 count, then per call: u32 index in the batch, f64 cpu seconds, f64 wall
// seconds, u64 return value, and per output parameter u64 length and doubles.
struct WireResult {
    std::uint32_t index = 0;
    double cpu_seconds = 0;
    double wall_seconds = 0;
    abi::Word result{};
    std::vector<std::vector<double>> outputs;  // one per parameter; empty unless an output
};

// The grader's side of the same two payloads. The caller has checked each Call against its
// signature (check_call in process_runner.cpp). decode_results accepts only results whose indices
// continue from `next_index` within `chunk` and whose outputs have exactly the asked lengths.
void encode_batch(Encoder& out, std::span<const Call* const> chunk,
                  const std::vector<abi::Signature>& functions, std::span<const double> cpu_limits);
bool decode_results(std::span<const std::byte> payload, std::span<const Call* const> chunk,
                    const std::vector<abi::Signature>& functions, std::size_t next_index,
                    std::vector<WireResult>& out);
// The largest Results payload that can hold the results of chunk[next_index...]: the bound a
// reply frame is checked against before it is read.
std::size_t results_bytes(std::span<const Call* const> chunk,
                          const std::vector<abi::Signature>& functions, std::size_t next_index);

std::vector<std::byte> encode_fatal(std::string_view message);
bool decode_fatal(std::span<const std::byte> payload, std::string& message);

}  // namespace grader::sandbox::protocol
