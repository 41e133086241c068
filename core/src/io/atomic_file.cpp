#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <string>

namespace bmil {
namespace {

std::string Reason(int error) { return std::strerror(error); }

Failure Fail(std::string what, const std::filesystem::path& path, int error) {
  return Failure{"cannot " + what + " " + path.string() + ": " + Reason(error)};
}

// A name no other writer in this or another process is likely to pick; O_EXCL settles
// the rest.
std::filesystem::path TemporaryName(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937_64 random(
      std::random_device{}() ^
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  // Built with += rather than "." + ...: GCC 12 warns falsely (-Wrestrict) on the latter.
  std::string name = ".";
  name += path.filename().string();
  name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" +
          std::to_string(random() % 1000000);
  return path.parent_path() / name;
}

bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// Makes the rename durable. Some file systems refuse fsync on a directory; that is not an
// error of the write.
void SyncDirectory(const std::filesystem::path& directory) {
  const int fd =
      ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<bool> WriteFileAtomically(const std::filesystem::path& path, std::string_view content) {
  if (path.filename().empty()) {
    return Failure{"cannot write " + path.string() + ": the path names no file"};
  }
  // Something that is not a regular file (a device such as /dev/null, a FIFO, a terminal,
  // /dev/stdout) is written to in place: replacing it would destroy it. A symbolic link to
  // a regular file is followed, so the file it names is replaced and the link stays.
  struct stat target {};
  if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode) && !S_ISDIR(target.st_mode)) {
    const int out = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (out < 0) return Fail("open", path, errno);
    const bool ok = WriteAll(out, content);
    const int error = errno;
    if (::close(out) != 0 || !ok) return Fail("write", path, ok ? errno : error);
    return true;
  }
  std::error_code link_error;
  if (std::filesystem::is_symlink(path, link_error)) {
    const std::filesystem::path resolved = std::filesystem::canonical(path, link_error);
    if (!link_error) return WriteFileAtomically(resolved, content);
  }
  std::filesystem::path temporary;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temporary = TemporaryName(path);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    const std::filesystem::path directory = path.parent_path().empty() ? "." : path.parent_path();
    return Fail("create a temporary file in", directory, errno);
  }

  auto abandon = [&](std::string what, const std::filesystem::path& about) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    return Fail(std::move(what), about, error);
  };

  // Keep the permission bits of the file being replaced.
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
    if (::fchmod(fd, existing.st_mode & 07777) != 0) return abandon("set the permissions of", path);
  }
  if (!WriteAll(fd, content)) return abandon("write", path);
  if (::fsync(fd) != 0) return abandon("flush", path);
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) return abandon("write", path);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return Failure{"cannot rename " + temporary.string() + " to " + path.string() + ": " +
                   Reason(error)};
  }
  SyncDirectory(path.parent_path());
  return true;
}

}  // namespace bmil
