#pragma once
// The worker's end of the channel: blocking reads of request frames, writes of reply frames.

#include <cstdint>
#include <span>
#include <string_view>

#include "grader/sandbox/protocol.hpp"

namespace grader::sandbox::worker {

enum class ReadStatus { Frame, End, Bad };

// Reads one request frame from kRequestFd. End: the grader closed the channel between frames.
ReadStatus read_request(protocol::Frame& out);

// Writes one frame to kReplyFd; false if the grader is gone.
bool write_reply(protocol::Type type, std::uint32_t seq, std::span<const std::byte> payload);

// Reports a failure of the worker itself and returns the exit status to use.
int fatal(std::string_view message);

}  // namespace grader::sandbox::worker
