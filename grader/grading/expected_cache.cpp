#include "grader/grading/expected_cache.hpp"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>

#include <spdlog/spdlog.h>

#include "grader/error.hpp"
#include "grader/grading/expand.hpp"
#include "grader/hash/sha256.hpp"

namespace grader::grading {

namespace fs = std::filesystem;

namespace {

// Bumped whenever the layout below or what prepare() computes changes without a new grader
// version, so that no older file is taken for a newer one.
constexpr std::uint32_t kFormat = 3;
constexpr std::string_view kMagic = "kl-grader expected values\n";
// Far above the project's cases (about 2 MB): a larger file is not one of ours.
constexpr std::uint64_t kMaxFileBytes = 1ull << 30;

// Little copies of the in-memory bytes: the file never leaves the machine that wrote it, and a
// file from a machine of another byte order fails its key (the format number reads wrong).
class Writer {
  public:
    template <typename T>
    void raw(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        out_.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void u64(std::uint64_t v) { raw(v); }
    void f64(double v) { raw(v); }
    void flag(bool v) { raw(static_cast<std::uint8_t>(v)); }
    void text(std::string_view s) {
        u64(s.size());
        out_.append(s);
    }
    void doubles(const std::vector<double>& v) {
        u64(v.size());
        out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
    }
    void seed(const std::optional<std::uint64_t>& s) {
        flag(s.has_value());
        u64(s.value_or(0));
    }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

class Reader {
  public:
    explicit Reader(std::string_view in) : in_(in) {}
    template <typename T>
    T raw() {
        static_assert(std::is_trivially_copyable_v<T>);
        need(sizeof(T));
        T v;
        std::memcpy(&v, in_.data() + at_, sizeof v);
        at_ += sizeof v;
        return v;
    }
    std::uint64_t u64() { return raw<std::uint64_t>(); }
    double f64() { return raw<double>(); }
    bool flag() {
        const auto b = raw<std::uint8_t>();
        if (b > 1) bad();
        return b == 1;
    }
    std::string text() {
        const std::uint64_t n = u64();
        need(n);
        std::string s(in_.substr(at_, n));
        at_ += n;
        return s;
    }
    std::vector<double> doubles() {
        const std::uint64_t n = u64();
        if (n > (in_.size() - at_) / sizeof(double)) bad();
        std::vector<double> v(n);
        if (n) std::memcpy(v.data(), in_.data() + at_, n * sizeof(double));  // no null data()
        at_ += n * sizeof(double);
        return v;
    }
    // A count of things of at least `each` bytes: bounded by what is left, so that a damaged
    // count cannot ask for a huge allocation.
    std::size_t count(std::size_t each = 1) {
        const std::uint64_t n = u64();
        if (n > (in_.size() - at_) / each) bad();
        return n;
    }
    template <typename E>
    E choice(E last) {
        const auto v = raw<std::uint8_t>();
        if (v > static_cast<std::uint8_t>(last)) bad();
        return static_cast<E>(v);
    }
    std::optional<std::uint64_t> seed() {
        const bool has = flag();
        const std::uint64_t v = u64();
        if (!has) return std::nullopt;
        return v;
    }
    bool done() const { return at_ == in_.size(); }
    [[noreturn]] static void bad() { throw Error("the cached cases are damaged"); }

  private:
    void need(std::uint64_t n) const {
        if (n > in_.size() - at_) bad();
    }
    std::string_view in_;
    std::size_t at_ = 0;
};

void put_word(Writer& w, abi::Word v) {
    w.u64(v.u);
}
abi::Word get_word(Reader& r) {
    abi::Word v{};
    v.u = r.u64();
    return v;
}

void put_call(Writer& w, const PreparedCall& c) {
    w.text(c.name);
    w.u64(c.call.function);
    w.u64(c.call.args.size());
    for (const sandbox::Arg& a : c.call.args) {
        w.raw(static_cast<std::uint8_t>(a.kind));
        put_word(w, a.scalar);
        w.doubles(a.values);
        w.u64(a.length);
    }
    w.f64(c.call.time_limit_seconds);
    w.u64(c.call.memory_bytes);
    w.f64(c.expected.result);
    put_word(w, c.expected.raw);
    w.u64(c.expected.arrays.size());
    for (const auto& a : c.expected.arrays) w.doubles(a);
    w.flag(c.student);
}

PreparedCall get_call(Reader& r, std::size_t functions) {
    PreparedCall c;
    c.name = r.text();
    c.call.function = r.u64();
    if (c.call.function >= functions) Reader::bad();
    c.call.args.resize(r.count(25));
    for (sandbox::Arg& a : c.call.args) {
        a.kind = r.choice(sandbox::Arg::Kind::Output);
        a.scalar = get_word(r);
        a.values = r.doubles();
        a.length = r.u64();
    }
    c.call.time_limit_seconds = r.f64();
    c.call.memory_bytes = r.u64();
    c.expected.result = r.f64();
    c.expected.raw = get_word(r);
    c.expected.arrays.resize(r.count(8));
    for (auto& a : c.expected.arrays) a = r.doubles();
    c.student = r.flag();
    return c;
}

void put_case(Writer& w, const PreparedCase& c) {
    w.text(c.id);
    w.u64(c.order);
    w.flag(c.property);
    w.flag(c.hidden);
    w.raw(static_cast<std::int64_t>(c.points));
    w.u64(c.functions.size());
    for (const std::string& f : c.functions) w.text(f);
    w.f64(c.tolerance.rtol);
    w.f64(c.tolerance.atol);
    w.f64(c.time_limit);
    w.f64(c.memory_limit_mb);
    w.text(c.hint);
    w.u64(c.instances.size());
    for (const Instance& inst : c.instances) {
        w.u64(inst.calls.size());
        for (const PreparedCall& call : inst.calls) put_call(w, call);
        w.u64(inst.shown_inputs.size());
        for (const std::string& s : inst.shown_inputs) w.text(s);
        w.u64(inst.inputs.size());
        for (const auto& [name, values] : inst.inputs) {
            w.text(name);
            w.doubles(values);
        }
    }
    // A check is kept as its text: parsing it again gives the tree the spec loader made from
    // the same text.
    w.u64(c.checks.size());
    for (const spec::Check& k : c.checks) w.text(k.text);
    // A let too: its name and its text.
    w.u64(c.lets.size());
    for (const spec::Let& l : c.lets) {
        w.text(l.name);
        w.text(l.text);
    }
    w.flag(c.random);
}

PreparedCase get_case(Reader& r, std::size_t functions) {
    PreparedCase c;
    c.id = r.text();
    c.order = r.u64();
    c.property = r.flag();
    c.hidden = r.flag();
    const auto points = r.raw<std::int64_t>();
    if (points < 0 || points > std::numeric_limits<int>::max()) Reader::bad();
    c.points = static_cast<int>(points);
    c.functions.resize(r.count(8));
    for (std::string& f : c.functions) f = r.text();
    c.tolerance.rtol = r.f64();
    c.tolerance.atol = r.f64();
    c.time_limit = r.f64();
    c.memory_limit_mb = r.f64();
    c.hint = r.text();
    c.instances.resize(r.count(24));
    for (Instance& inst : c.instances) {
        inst.calls.resize(r.count(8));
        for (PreparedCall& call : inst.calls) call = get_call(r, functions);
        inst.shown_inputs.resize(r.count(8));
        for (std::string& s : inst.shown_inputs) s = r.text();
        inst.inputs.resize(r.count(16));
        for (auto& [name, values] : inst.inputs) {
            name = r.text();
            values = r.doubles();
        }
    }
    c.checks.resize(r.count(8));
    for (spec::Check& k : c.checks) {
        try {
            k = spec::parse_check(r.text());
        } catch (const spec::ExprError&) {
            Reader::bad();
        }
    }
    c.lets.resize(r.count(16));
    for (spec::Let& l : c.lets) {
        l.name = r.text();
        l.text = r.text();
        try {
            l.expr = spec::parse_expression(l.text);
        } catch (const spec::ExprError&) {
            Reader::bad();
        }
    }
    c.random = r.flag();
    return c;
}

// What chooses the cases, besides the files: the same text goes into the file's name and key.
std::string options_text(const PrepareOptions& o) {
    return std::string(o.public_only   ? "public"
                       : o.hidden_only ? "hidden"
                                       : "all") +
           "\n" + (o.hidden_seed ? std::to_string(*o.hidden_seed) : "-") + "\n" + o.hidden_from +
           "\n" + o.student + "\n";
}

std::string absolute(const std::string& path) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
    return ec ? path : p.string();
}

// What the cases are made from: the contents of the spec and the reference, the options, the
// grader (its version and build) and this layout.
std::string key_of(const std::string& spec_sha256, const Reference& reference,
                   const PrepareOptions& options) {
    static const std::string build = own_build_id();
    return hash::sha256_hex("key\n" + std::to_string(kFormat) + "\n" + GRADER_VERSION + "\n" +
                            build + "\n" + spec_sha256 + "\n" + reference.sha256() + "\n" +
                            options_text(options));
}

// The bytes of a file: the magic line, the key, the payload's length and SHA-256, the payload.
std::string file_bytes(const std::string& key, const std::string& payload) {
    Writer w;
    w.raw(kFormat);
    w.text(key);
    w.text(hash::sha256_hex(payload));
    w.u64(payload.size());
    return std::string(kMagic) + w.take() + payload;
}

std::optional<std::string> read_all(const std::string& path, std::string& why) {
    // O_NOFOLLOW: a link planted in the cache directory is not followed to another file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno != ENOENT) why = std::string("it cannot be read: ") + std::strerror(errno);
        return std::nullopt;
    }
    struct stat st {};
    std::string out;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        why = "it is not a regular file";
    } else if (st.st_uid != ::geteuid()) {
        why = "it belongs to another user";
    } else if (static_cast<std::uint64_t>(st.st_size) > kMaxFileBytes) {
        why = "it is too large to be one of the grader's";
    } else {
        out.resize(static_cast<std::size_t>(st.st_size));
        std::size_t got = 0;
        while (got < out.size()) {
            const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        if (got != out.size()) why = "it could not be read whole";
    }
    ::close(fd);
    if (!why.empty()) return std::nullopt;
    return out;
}

}  // namespace

// The linker's build id of the running program, in hex; empty when it has none. The version
// number alone would let a rebuilt grader whose case drawing changed read the cases an older
// build drew: the build id changes with every change to the code.
std::string own_build_id() {
    std::string id;
    ::dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* out) {
            auto& hex = *static_cast<std::string*>(out);
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& ph = info->dlpi_phdr[i];
                if (ph.p_type != PT_NOTE) continue;
                const auto* p =
                    reinterpret_cast<const unsigned char*>(info->dlpi_addr + ph.p_vaddr);
                const unsigned char* end = p + ph.p_memsz;
                while (p + sizeof(ElfW(Nhdr)) <= end) {
                    ElfW(Nhdr) n;
                    std::memcpy(&n, p, sizeof n);
                    const unsigned char* name = p + sizeof n;
                    const unsigned char* desc = name + ((n.n_namesz + 3) & ~3u);
                    if (desc + n.n_descsz > end) break;
                    if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 &&
                        std::memcmp(name, "GNU", 4) == 0) {
                        static const char digits[] = "0123456789abcdef";
                        for (unsigned k = 0; k < n.n_descsz; ++k) {
                            hex += digits[desc[k] >> 4];
                            hex += digits[desc[k] & 15];
                        }
                        return 1;
                    }
                    p = desc + ((n.n_descsz + 3) & ~3u);
                }
            }
            return 1;  // the first object is the program itself: the libraries do not count
        },
        &id);
    return id;
}

std::string default_cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "kl-grader").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".cache" / "kl-grader").string();
    return "";
}

std::string serialize(const Prepared& p) {
    Writer w;
    w.text(p.title);
    w.u64(p.functions.size());
    for (const abi::Signature& s : p.functions) {
        w.text(s.name);
        w.raw(static_cast<std::uint8_t>(s.result));
        w.u64(s.params.size());
        for (const abi::Param& q : s.params) {
            w.text(q.name);
            w.raw(static_cast<std::uint8_t>(q.type));
            w.flag(q.pointer);
            w.flag(q.is_const);
        }
    }
    w.u64(p.exercises.size());
    for (const PreparedExercise& ex : p.exercises) {
        w.text(ex.id);
        w.text(ex.title);
        w.u64(ex.cases.size());
        for (const PreparedCase& c : ex.cases) put_case(w, c);
    }
    w.flag(p.has_hidden);
    w.text(p.source_sha256);
    w.text(p.reference_sha256);
    w.seed(p.public_seed);
    w.seed(p.hidden_seed);
    w.text(p.hidden_from);
    w.text(p.student);
    // `source` is not kept: the same spec may be reached by another path, which the report shows.
    return w.take();
}

Prepared deserialize(std::string_view bytes) {
    Reader r(bytes);
    Prepared p;
    p.title = r.text();
    p.functions.resize(r.count(17));
    for (abi::Signature& s : p.functions) {
        s.name = r.text();
        s.result = r.choice(abi::Scalar::Bool);
        s.params.resize(r.count(11));
        for (abi::Param& q : s.params) {
            q.name = r.text();
            q.type = r.choice(abi::Scalar::Bool);
            q.pointer = r.flag();
            q.is_const = r.flag();
        }
    }
    p.exercises.resize(r.count(24));
    for (PreparedExercise& ex : p.exercises) {
        ex.id = r.text();
        ex.title = r.text();
        ex.cases.resize(r.count(64));
        for (PreparedCase& c : ex.cases) c = get_case(r, p.functions.size());
    }
    p.has_hidden = r.flag();
    p.source_sha256 = r.text();
    p.reference_sha256 = r.text();
    p.public_seed = r.seed();
    p.hidden_seed = r.seed();
    p.hidden_from = r.text();
    p.student = r.text();
    if (!r.done()) Reader::bad();
    return p;
}

std::string ExpectedCache::path_for(const spec::Spec& spec, const Reference& reference,
                                    const PrepareOptions& options) const {
    const std::string name =
        hash::sha256_hex("name\n" + absolute(spec.path) + "\n" + absolute(reference.path()) + "\n" +
                         options_text(options));
    return (fs::path(dir_) / (name.substr(0, 32) + ".cases")).string();
}

Prepared ExpectedCache::prepare(const spec::Spec& spec, const Reference& reference,
                                const PrepareOptions& options) const {
    std::string spec_sha256;
    try {
        spec_sha256 = hash::sha256_file(spec.path);
    } catch (const Error&) {
        // A spec made from a string (tests): no file to key it by.
        return grading::prepare(spec, reference, options);
    }
    const std::string path = path_for(spec, reference, options);
    const std::string key = key_of(spec_sha256, reference, options);
    if (std::optional<Prepared> hit = read(path, key)) {
        hit->source = spec.path;
        return std::move(*hit);
    }
    Prepared prepared = grading::prepare(spec, reference, options);
    // The digest prepare() took is of the file as it read it; an edit in between must not be
    // stored under the older key.
    if (prepared.source_sha256 == spec_sha256) write(path, key, prepared);
    return prepared;
}

std::optional<Prepared> ExpectedCache::read(const std::string& path, const std::string& key) const {
    std::string why;
    const std::optional<std::string> bytes = read_all(path, why);
    if (!bytes) {
        if (!why.empty())
            spdlog::warn("ignoring the cached expected values {}: {}; computing them again", path,
                         why);
        return std::nullopt;
    }
    try {
        std::string_view in = *bytes;
        if (in.substr(0, kMagic.size()) != kMagic) Reader::bad();
        in.remove_prefix(kMagic.size());
        Reader header(in);
        const auto format = header.raw<std::uint32_t>();
        const std::string stored_key = header.text();
        const std::string digest = header.text();
        const std::uint64_t size = header.u64();
        const std::size_t header_bytes =
            sizeof format + 3 * sizeof(std::uint64_t) + stored_key.size() + digest.size();
        const std::string_view payload = in.substr(header_bytes);
        if (format != kFormat || stored_key != key) {
            // Only with -v: every rebuild or spec edit makes the entry stale, which is routine
            // and must not add a line to reports (a damaged file, below, is not routine).
            spdlog::info(
                "the cached expected values {} are stale (the spec, the reference or the grader "
                "changed); computing them again",
                path);
            return std::nullopt;
        }
        if (size != payload.size() || hash::sha256_hex(payload) != digest) Reader::bad();
        return deserialize(payload);
    } catch (const Error&) {
        spdlog::warn(
            "the cached expected values {} are damaged (cut short or altered); computing them "
            "again",
            path);
        return std::nullopt;
    }
}

void ExpectedCache::write(const std::string& path, const std::string& key,
                          const Prepared& prepared) const {
    // Only with -v: a read-only home (a student's CI) must not add a line to every report.
    auto fail = [&](const std::string& why) {
        spdlog::info("cannot cache the expected values in {}: {}", dir_, why);
    };
    std::error_code ec;
    if (!fs::exists(dir_, ec)) {
        fs::create_directories(dir_, ec);
        if (ec) return fail(ec.message());
        // Hidden cases' inputs and expected values: for this user's eyes only.
        fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    const std::string bytes = file_bytes(key, serialize(prepared));
    // A name of its own per writer, so that two graders filling the cache at once never share a
    // temporary file; the rename makes the whole file appear at once.
    std::random_device random;
    const std::string tmp =
        path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(random());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return fail(std::string("cannot create ") + tmp + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    const int saved = errno;
    const bool ok = ::close(fd) == 0 && done == bytes.size();
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(ok ? errno : saved);
        ::unlink(tmp.c_str());
        return fail("cannot write " + path + ": " + why);
    }
}

}  // namespace grader::grading
