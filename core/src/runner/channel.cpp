#include "runner/channel.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace bmil::wire {
namespace {

// Reads exactly n bytes into `into`. kEnd when the connection closes before the first byte.
ReadStatus ReadExactly(int fd, char* into, std::size_t n, int poll_ms,
                       const std::function<bool()>& keep_waiting) {
  std::size_t done = 0;
  while (done < n) {
    if (poll_ms >= 0) {
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, poll_ms);
      if (ready < 0) {
        if (errno == EINTR) continue;
        return ReadStatus::kError;
      }
      if (ready == 0) {
        if (keep_waiting && !keep_waiting()) return ReadStatus::kGaveUp;
        continue;
      }
    }
    const ssize_t got = ::read(fd, into + done, n - done);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == ECONNRESET) return done == 0 ? ReadStatus::kEnd : ReadStatus::kTruncated;
      return ReadStatus::kError;
    }
    if (got == 0) return done == 0 ? ReadStatus::kEnd : ReadStatus::kTruncated;
    done += static_cast<std::size_t>(got);
  }
  return ReadStatus::kOk;
}

}  // namespace

ReadStatus ReadFrame(int fd, std::size_t max_frame, std::string& payload, int poll_ms,
                     const std::function<bool()>& keep_waiting) {
  char header[4];
  ReadStatus status = ReadExactly(fd, header, 4, poll_ms, keep_waiting);
  if (status != ReadStatus::kOk) return status;
  std::uint32_t n = 0;
  std::memcpy(&n, header, 4);
  if (n > max_frame) return ReadStatus::kTooLarge;
  payload.resize(n);
  status = ReadExactly(fd, payload.data(), n, poll_ms, keep_waiting);
  return status == ReadStatus::kEnd ? ReadStatus::kTruncated : status;
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace bmil::wire
