// Reading and writing runner-protocol frames (wire.hpp) on a socket, for both ends.
#ifndef BMIL_CORE_RUNNER_CHANNEL_HPP_
#define BMIL_CORE_RUNNER_CHANNEL_HPP_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace bmil::wire {

enum class ReadStatus {
  kOk,         // `payload` holds one frame (type and body)
  kEnd,        // the other end closed the connection before a frame began
  kTruncated,  // it closed inside a frame
  kTooLarge,   // the frame's length is over the bound: nothing was allocated for it
  kGaveUp,     // `keep_waiting` said to stop (a deadline passed)
  kError,      // a read failed (errno is set)
};

// Reads one frame from `fd` into `payload`. Waits with poll(); every `poll_ms` without data
// (when poll_ms >= 0) it asks `keep_waiting`, and gives up when that returns false.
ReadStatus ReadFrame(int fd, std::size_t max_frame, std::string& payload, int poll_ms = -1,
                     const std::function<bool()>& keep_waiting = {});

// Writes all of `bytes` (frames built with BeginFrame/FinishFrame). Never raises SIGPIPE;
// false when the other end is gone or a write fails.
bool WriteAll(int fd, std::string_view bytes);

}  // namespace bmil::wire

#endif  // BMIL_CORE_RUNNER_CHANNEL_HPP_
