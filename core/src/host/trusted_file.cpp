#include "host/trusted_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bmil {

namespace fs = std::filesystem;

std::string UnsafeReason(const struct stat& st, const char* what, bool sticky_ok) {
  const bool sticky_root_dir =
      sticky_ok && S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & S_ISVTX) != 0;
  if (!sticky_root_dir) {
    if (st.st_mode & S_IWOTH) return std::string(what) + " is world-writable";
    if (st.st_mode & S_IWGRP) return std::string(what) + " is group-writable";
  }
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return std::string(what) + " is owned by another user (uid " + std::to_string(st.st_uid) +
           "); plugins must belong to you or to root";
  }
  return {};
}

std::string UnsafeDirectoryChain(const fs::path& dir, const char* what) {
  std::error_code error;
  fs::path at = fs::absolute(dir, error).lexically_normal();
  if (error) return std::string("cannot resolve ") + what + " " + dir.string();
  if (at.has_filename() == false && at != at.root_path()) at = at.parent_path();
  bool first = true;
  for (;;) {
    struct stat st {};
    if (::stat(at.c_str(), &st) != 0) {
      return std::string("cannot stat ") + (first ? what : "a directory above it") + " " +
             at.string() + ": " + std::strerror(errno);
    }
    const std::string name =
        first ? std::string(what) : "directory " + at.string() + " above the " + what;
    if (std::string why = UnsafeReason(st, name.c_str(), /*sticky_ok=*/!first); !why.empty()) {
      return why;
    }
    if (at == at.root_path() || at.parent_path() == at) return {};
    at = at.parent_path();
    first = false;
  }
}

Result<std::shared_ptr<const TrustedFile>> TrustedFile::Open(const fs::path& path) {
  // O_NONBLOCK: a FIFO named *.so never blocks the scan; it is refused below.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return Failure{std::string("cannot open plugin file: ") + std::strerror(errno)};
  auto fail = [fd](std::string why) {
    ::close(fd);
    return Failure{std::move(why)};
  };
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return fail(std::string("cannot stat plugin file: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail("not a regular file");
  if (std::string why = UnsafeReason(st, "plugin file"); !why.empty()) return fail(why);
  // Where the opened file really is: the kernel's name for this descriptor.
  std::error_code error;
  const fs::path real = fs::read_symlink("/proc/self/fd/" + std::to_string(fd), error);
  if (error || !real.is_absolute()) {
    return fail("cannot tell where the plugin file is (/proc is needed to load plugins safely)");
  }
  if (std::string why =
          UnsafeDirectoryChain(fs::absolute(path, error).parent_path(), "plugin directory");
      !why.empty()) {
    return fail(why);
  }
  if (real.parent_path() != fs::absolute(path, error).parent_path()) {
    if (std::string why = UnsafeDirectoryChain(real.parent_path(), "directory the link leads to");
        !why.empty()) {
      return fail("it is a link to " + real.string() + ", and the " + why);
    }
  }
  return std::shared_ptr<const TrustedFile>(new TrustedFile(fd, real, st));
}

TrustedFile::~TrustedFile() { ::close(fd_); }

std::string TrustedFile::LoadPath() const { return "/proc/self/fd/" + std::to_string(fd_); }

}  // namespace bmil
