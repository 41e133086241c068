// Plugin files checked as they are opened, then loaded from that same open file: what is
// checked is what is loaded, never a name opened twice (docs/plugin-guide.md, "Where
// plugins are loaded from").
#ifndef BMIL_CORE_HOST_TRUSTED_FILE_HPP_
#define BMIL_CORE_HOST_TRUSTED_FILE_HPP_

#include <bmil/result.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>

namespace bmil {

// Why a file or directory with status `st` is unsafe to load code from, or "" when it is
// safe: owned by someone other than the user running bmil or root, or writable by its group
// or by others (root-owned files are trusted as sshd trusts them: only root, who could
// replace bmil itself, can change them, and a .deb installs the bundled plugins as root's).
// `what` names it in the message ("plugin file is world-writable"). With
// `sticky_ok`, a root-owned directory with the sticky bit (such as /tmp) passes although
// world-writable: others cannot rename or remove what they do not own in it. That is allowed
// for the directories above a plugin directory, never for a plugin directory itself. Pure.
std::string UnsafeReason(const struct stat& st, const char* what, bool sticky_ok = false);

// Checks directory `dir` (strictly) and every directory above it up to / (sticky_ok), each by
// stat as it is now. `dir` is made absolute; symbolic links in it are followed (each link
// lies in a directory of the chain, and its target is what stat sees). Returns the first
// problem, e.g. "directory /srv/plugins above the plugin is world-writable", or "".
std::string UnsafeDirectoryChain(const std::filesystem::path& dir, const char* what);

// A plugin file opened once. Open() follows symbolic links, then checks the opened file
// (fstat: a regular file, owned by the user or root, not group/world-writable), the
// directories that hold it as named (UnsafeDirectoryChain of its parent) and those that
// hold it where it really is (its resolved path, through /proc/self/fd). Load it with
// LoadPath(), which names this open file, so that a file swapped in by rename after the
// check is never the one loaded. The descriptor stays open while the object lives; keep
// it for as long as the library may be loaded (a reused descriptor number would make the
// dynamic loader mistake a new file for an old one). Thread-safe after Open().
class TrustedFile {
 public:
  static Result<std::shared_ptr<const TrustedFile>> Open(const std::filesystem::path& path);
  ~TrustedFile();
  TrustedFile(const TrustedFile&) = delete;
  TrustedFile& operator=(const TrustedFile&) = delete;

  int fd() const { return fd_; }
  // "/proc/self/fd/N": the open file, for dlopen.
  std::string LoadPath() const;
  // Where the file really is (all links resolved), for messages.
  const std::filesystem::path& real_path() const { return real_path_; }
  const struct stat& status() const { return status_; }

 private:
  TrustedFile(int fd, std::filesystem::path real_path, const struct stat& st)
      : fd_(fd), real_path_(std::move(real_path)), status_(st) {}
  int fd_;
  std::filesystem::path real_path_;
  struct stat status_;
};

}  // namespace bmil

#endif  // BMIL_CORE_HOST_TRUSTED_FILE_HPP_
