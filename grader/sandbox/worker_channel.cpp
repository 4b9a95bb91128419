#include "grader/sandbox/worker_channel.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace grader::sandbox::worker {

namespace {

// Returns the bytes read before EOF (== size unless the stream ended), or -1 on error.
long read_exact(int fd, std::byte* data, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::read(fd, data + done, size - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            return -1;
        }
    }
    return static_cast<long>(done);
}

bool write_all(int fd, const std::byte* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

ReadStatus read_request(protocol::Frame& out) {
    protocol::Header h{};
    const long got = read_exact(protocol::kRequestFd, reinterpret_cast<std::byte*>(&h), sizeof h);
    if (got == 0) return ReadStatus::End;
    if (got != static_cast<long>(sizeof h) || h.magic != protocol::kMagic ||
        h.length > protocol::kMaxPayload)
        return ReadStatus::Bad;
    const auto type = static_cast<protocol::Type>(h.type);
    if (type != protocol::Type::Hello && type != protocol::Type::Batch) return ReadStatus::Bad;
    out.type = type;
    out.seq = h.seq;
    out.payload.resize(h.length);
    if (read_exact(protocol::kRequestFd, out.payload.data(), h.length) !=
        static_cast<long>(h.length))
        return ReadStatus::Bad;
    if (protocol::checksum(out.payload.data(), out.payload.size()) != h.checksum)
        return ReadStatus::Bad;
    return ReadStatus::Frame;
}

bool write_reply(protocol::Type type, std::uint32_t seq, std::span<const std::byte> payload) {
    protocol::Header h{protocol::kMagic,
                       static_cast<std::uint32_t>(type),
                       seq,
                       static_cast<std::uint32_t>(payload.size()),
                       protocol::checksum(payload.data(), payload.size()),
                       0};
    // Header and payload in one system call where the pipe takes it all.
    iovec parts[2] = {{&h, sizeof h}, {const_cast<std::byte*>(payload.data()), payload.size()}};
    ssize_t n;
    do n = ::writev(protocol::kReplyFd, parts, 2);
    while (n < 0 && errno == EINTR);
    if (n < 0) return false;
    const auto written = static_cast<std::size_t>(n);
    if (written < sizeof h) {
        return write_all(protocol::kReplyFd, reinterpret_cast<const std::byte*>(&h) + written,
                         sizeof h - written) &&
               write_all(protocol::kReplyFd, payload.data(), payload.size());
    }
    return write_all(protocol::kReplyFd, payload.data() + (written - sizeof h),
                     payload.size() - (written - sizeof h));
}

int fatal(std::string_view message) {
    write_reply(protocol::Type::Fatal, 0, protocol::encode_fatal(message));
    return 70;  // EX_SOFTWARE
}

}  // namespace grader::sandbox::worker
