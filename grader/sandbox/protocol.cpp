#include "grader/sandbox/protocol.hpp"

#include <cstring>

namespace grader::sandbox::protocol {

std::uint32_t checksum(const std::byte* data, std::size_t size) {
    // FNV-1a over 8-byte words (a byte at a time costs more than the pipe for large batches).
    // It catches garbage and torn frames; it is no defence against a forger, and needs none:
    // a forged reply is only a wrong answer.
    std::uint64_t h = 14695981039346656037ull ^ size;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        h = (h ^ word) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < size; ++i) h = (h ^ static_cast<std::uint8_t>(data[i])) * 1099511628211ull;
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

std::vector<std::byte> make_frame(Type type, std::uint32_t seq,
                                  std::span<const std::byte> payload) {
    Header h{kMagic,
             static_cast<std::uint32_t>(type),
             seq,
             static_cast<std::uint32_t>(payload.size()),
             checksum(payload.data(), payload.size()),
             0};
    std::vector<std::byte> out(sizeof h + payload.size());
    std::memcpy(out.data(), &h, sizeof h);
    if (!payload.empty()) std::memcpy(out.data() + sizeof h, payload.data(), payload.size());
    return out;
}

void FrameReader::feed(const std::byte* data, std::size_t size) {
    if (start_ > 0 && start_ == buffer_.size()) {
        buffer_.clear();
        start_ = 0;
    }
    buffer_.insert(buffer_.end(), data, data + size);
}

bool FrameReader::header_ok(const Header& h, std::string* why) const {
    const auto type = static_cast<Type>(h.type);
    const char* problem = nullptr;
    if (h.magic != kMagic)
        problem = "a reply did not start with the protocol's magic number";
    else if (type != Type::Loaded && type != Type::Results && type != Type::Fatal)
        problem = "a reply had an unknown type";
    else if (h.length > kMaxPayload)
        problem = "a reply announced an impossible length";
    else if (type == Type::Results && h.length > results_limit_) {
        if (why)
            *why = "a reply announced " + std::to_string(h.length) +
                   " bytes of results, more than the " + std::to_string(results_limit_) +
                   " bytes the calls asked for can fill";
        return false;
    } else if ((type == Type::Loaded && h.length > kMaxLoadedPayload) ||
               (type == Type::Fatal && h.length > kMaxFatalPayload))
        problem = "a reply announced more bytes than a message of its kind can hold";
    if (problem && why) *why = problem;
    return !problem;
}

bool FrameReader::ready() const {
    const std::size_t available = buffer_.size() - start_;
    if (available < sizeof(Header)) return false;
    Header h;
    std::memcpy(&h, buffer_.data() + start_, sizeof h);
    return !header_ok(h, nullptr) || available >= sizeof h + h.length;
}

FrameReader::Next FrameReader::next(Frame& out, std::string& why) {
    const std::size_t available = buffer_.size() - start_;
    if (available < sizeof(Header)) return Next::NeedMore;
    Header h;
    std::memcpy(&h, buffer_.data() + start_, sizeof h);
    if (!header_ok(h, &why)) return Next::Bad;
    const auto type = static_cast<Type>(h.type);
    if (available < sizeof h + h.length) return Next::NeedMore;
    const std::byte* payload = buffer_.data() + start_ + sizeof h;
    if (checksum(payload, h.length) != h.checksum) {
        why = "a reply's checksum did not match";
        return Next::Bad;
    }
    out.type = type;
    out.seq = h.seq;
    out.payload.assign(payload, payload + h.length);
    start_ += sizeof h + h.length;
    // Keep the buffer from growing without bound while frames stream in.
    if (start_ > (1u << 20) && start_ * 2 > buffer_.size()) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
        start_ = 0;
    }
    return Next::Frame;
}

void Encoder::put(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::byte*>(p);
    bytes_.insert(bytes_.end(), b, b + n);
}

std::byte* Encoder::extend(std::size_t n) {
    bytes_.resize(bytes_.size() + n);
    return bytes_.data() + bytes_.size() - n;
}

void Encoder::str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    put(s.data(), s.size());
}

void Encoder::doubles(const double* values, std::size_t count) {
    put(values, count * sizeof(double));
}

bool Decoder::get(void* p, std::size_t n) {
    if (!ok_ || bytes_.size() - pos_ < n) return ok_ = false;
    std::memcpy(p, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
}

bool Decoder::str(std::string& s, std::size_t max_size) {
    std::uint32_t n = 0;
    if (!u32(n) || n > max_size || bytes_.size() - pos_ < n) return ok_ = false;
    s.assign(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
    pos_ += n;
    return true;
}

bool Decoder::doubles_view(std::uint64_t count, const std::byte*& at) {
    if (!ok_ || count > (bytes_.size() - pos_) / sizeof(double)) return ok_ = false;
    at = bytes_.data() + pos_;
    pos_ += count * sizeof(double);
    return true;
}

bool Decoder::doubles(std::vector<double>& out, std::uint64_t count) {
    const std::byte* at = nullptr;
    if (!doubles_view(count, at)) return false;
    out.resize(count);
    if (count) std::memcpy(out.data(), at, count * sizeof(double));
    return true;
}

namespace {

void encode_signature(Encoder& e, const abi::Signature& sig) {
    e.str(sig.name);
    e.u8(static_cast<std::uint8_t>(sig.result));
    e.u32(static_cast<std::uint32_t>(sig.params.size()));
    for (const abi::Param& p : sig.params) {
        e.str(p.name);
        e.u8(static_cast<std::uint8_t>(p.type));
        e.u8(p.pointer);
        e.u8(p.is_const);
    }
}

bool decode_scalar(Decoder& d, abi::Scalar& type) {
    std::uint8_t v = 0;
    if (!d.u8(v) || v > static_cast<std::uint8_t>(abi::Scalar::Bool)) return false;
    type = static_cast<abi::Scalar>(v);
    return true;
}

bool decode_signature(Decoder& d, abi::Signature& sig) {
    std::uint32_t count = 0;
    if (!d.str(sig.name, abi::kMaxNameLength) || !decode_scalar(d, sig.result) || !d.u32(count) ||
        count > abi::kMaxParams)
        return false;
    sig.params.resize(count);
    for (abi::Param& p : sig.params) {
        std::uint8_t pointer = 0, is_const = 0;
        if (!d.str(p.name, abi::kMaxNameLength) || !decode_scalar(d, p.type) || !d.u8(pointer) ||
            !d.u8(is_const))
            return false;
        p.pointer = pointer != 0;
        p.is_const = is_const != 0;
    }
    return true;
}

void encode_strings(Encoder& e, const std::vector<std::string>& v) {
    e.u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) e.str(s);
}

bool decode_strings(Decoder& d, std::vector<std::string>& v) {
    std::uint32_t n = 0;
    if (!d.u32(n) || n > 1024) return false;
    v.resize(n);
    for (auto& s : v)
        if (!d.str(s)) return false;
    return true;
}

}  // namespace

std::vector<std::byte> encode(const Hello& hello) {
    Encoder e;
    e.str(hello.library);
    e.u32(static_cast<std::uint32_t>(hello.functions.size()));
    for (const auto& sig : hello.functions) encode_signature(e, sig);
    e.u64(hello.memory_bytes);
    e.u32(hello.open_files);
    e.f64(hello.cpu_seconds);
    e.u32(hello.namespaces);
    encode_strings(e, hello.hidden);
    e.str(hello.load_filter);
    e.str(hello.call_filter);
    encode_strings(e, hello.filter_warnings);
    return e.bytes();
}

bool decode(std::span<const std::byte> payload, Hello& hello) {
    Decoder d(payload);
    std::uint32_t count = 0;
    if (!d.str(hello.library, 4096) || !d.u32(count) || count > 4096) return false;
    hello.functions.resize(count);
    for (auto& sig : hello.functions)
        if (!decode_signature(d, sig)) return false;
    return d.u64(hello.memory_bytes) && d.u32(hello.open_files) && d.f64(hello.cpu_seconds) &&
           d.u32(hello.namespaces) && decode_strings(d, hello.hidden) && d.str(hello.load_filter) &&
           d.str(hello.call_filter) && decode_strings(d, hello.filter_warnings) && d.at_end();
}

std::vector<std::byte> encode(const Loaded& loaded) {
    Encoder e;
    e.u8(loaded.error.has_value());
    if (loaded.error) e.str(*loaded.error);
    e.u32(static_cast<std::uint32_t>(loaded.present.size()));
    for (bool p : loaded.present) e.u8(p);
    encode_strings(e, loaded.layers);
    encode_strings(e, loaded.warnings);
    return e.bytes();
}

bool decode(std::span<const std::byte> payload, Loaded& loaded) {
    Decoder d(payload);
    std::uint8_t has_error = 0;
    std::uint32_t count = 0;
    if (!d.u8(has_error)) return false;
    if (has_error) {
        std::string message;
        if (!d.str(message, 64 * 1024)) return false;
        loaded.error = std::move(message);
    }
    if (!d.u32(count) || count > 4096) return false;
    loaded.present.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::uint8_t p = 0;
        if (!d.u8(p) || p > 1) return false;
        loaded.present[i] = p != 0;
    }
    return decode_strings(d, loaded.layers) && decode_strings(d, loaded.warnings) && d.at_end();
}

void encode_batch(Encoder& out, std::span<const Call* const> chunk,
                  const std::vector<abi::Signature>& functions,
                  std::span<const double> cpu_limits) {
    out.u32(static_cast<std::uint32_t>(chunk.size()));
    for (std::size_t k = 0; k < chunk.size(); ++k) {
        const Call* call = chunk[k];
        const abi::Signature& sig = functions[call->function];
        out.u32(static_cast<std::uint32_t>(call->function));
        out.f64(cpu_limits[k]);
        for (std::size_t i = 0; i < sig.params.size(); ++i) {
            const Arg& arg = call->args[i];
            if (!sig.params[i].pointer) {
                out.u64(arg.scalar.u);
            } else if (sig.params[i].is_input_array()) {
                out.u64(arg.values.size());
                out.doubles(arg.values.data(), arg.values.size());
            } else {
                out.u64(arg.length);
            }
        }
    }
}

bool decode_batch(std::span<const std::byte> payload, const std::vector<abi::Signature>& functions,
                  std::vector<WireCall>& calls) {
    Decoder d(payload);
    std::uint32_t count = 0;
    if (!d.u32(count) || count > payload.size()) return false;
    calls.resize(count);
    for (WireCall& call : calls) {
        if (!d.u32(call.function) || call.function >= functions.size() || !d.f64(call.cpu_seconds))
            return false;
        const abi::Signature& sig = functions[call.function];
        call.args.resize(sig.params.size());
        for (std::size_t i = 0; i < sig.params.size(); ++i) {
            WireArg& arg = call.args[i];
            arg.data = nullptr;
            if (!sig.params[i].pointer) {
                if (!d.u64(arg.scalar.u)) return false;
            } else if (sig.params[i].is_input_array()) {
                if (!d.u64(arg.length) || !d.doubles_view(arg.length, arg.data)) return false;
            } else {
                if (!d.u64(arg.length) || arg.length > kMaxPayload / sizeof(double)) return false;
            }
        }
    }
    return d.at_end();
}

bool decode_results(std::span<const std::byte> payload, std::span<const Call* const> chunk,
                    const std::vector<abi::Signature>& functions, std::size_t next_index,
                    std::vector<WireResult>& out) {
    Decoder d(payload);
    std::uint32_t count = 0;
    if (!d.u32(count) || count == 0 || count > chunk.size() - std::min(next_index, chunk.size()))
        return false;
    out.resize(count);
    for (std::uint32_t k = 0; k < count; ++k) {
        WireResult& r = out[k];
        if (!d.u32(r.index) || r.index != next_index + k) return false;
        if (!d.f64(r.cpu_seconds) || !d.f64(r.wall_seconds) || !d.u64(r.result.u)) return false;
        const Call& call = *chunk[r.index];
        const abi::Signature& sig = functions[call.function];
        r.outputs.assign(sig.params.size(), {});
        for (std::size_t i = 0; i < sig.params.size(); ++i) {
            if (!sig.params[i].is_output()) continue;
            std::uint64_t length = 0;
            if (!d.u64(length) || length != call.args[i].length || !d.doubles(r.outputs[i], length))
                return false;
        }
    }
    return d.at_end();
}

std::size_t results_bytes(std::span<const Call* const> chunk,
                          const std::vector<abi::Signature>& functions, std::size_t next_index) {
    std::size_t bytes = sizeof(std::uint32_t);
    for (std::size_t k = next_index; k < chunk.size(); ++k) {
        const Call& call = *chunk[k];
        const abi::Signature& sig = functions[call.function];
        bytes += sizeof(std::uint32_t) + 2 * sizeof(double) + sizeof(std::uint64_t);
        for (std::size_t i = 0; i < sig.params.size() && i < call.args.size(); ++i)
            if (sig.params[i].is_output())
                bytes += sizeof(std::uint64_t) + call.args[i].length * sizeof(double);
    }
    return bytes;
}

std::vector<std::byte> encode_fatal(std::string_view message) {
    Encoder e;
    e.str(message);
    return e.bytes();
}

bool decode_fatal(std::span<const std::byte> payload, std::string& message) {
    Decoder d(payload);
    return d.str(message, 64 * 1024) && d.at_end();
}

}  // namespace grader::sandbox::protocol
