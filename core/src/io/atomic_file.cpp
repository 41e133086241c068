#include "io/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <random>
#include <string>

namespace bmil {
namespace {

std::string Reason(int error) { return std::strerror(error); }

Failure Fail(std::string what, const std::filesystem::path& path, int error) {
  return Failure{"cannot " + what + " " + path.string() + ": " + Reason(error)};
}

// ------------------------------------------------------------ live temporary files
// The paths of this process's temporary files, readable from a signal handler: fixed
// slots, no allocation, no locks. A slot is free (0), being filled (1) or live (2).
constexpr int kSlots = 64;
constexpr std::size_t kSlotPath = 4096;
struct Slot {
  std::atomic<int> state{0};
  char path[kSlotPath];
};
Slot g_slots[kSlots];

int RegisterTemporary(const std::string& path) {
  if (path.size() >= kSlotPath) return -1;  // left to the stale sweep
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(2);
      return i;
    }
  }
  return -1;
}

void ForgetTemporary(int slot) {
  if (slot >= 0) g_slots[slot].state.store(0);
}

extern "C" void RemoveTemporariesAndDie(int signal_number) {
  const int saved = errno;
  for (auto& slot : g_slots) {
    if (slot.state.load() == 2) ::unlink(slot.path);
  }
  errno = saved;
  // Die of the same signal, as the process would have without this handler: the signal is
  // blocked while the handler runs and delivered when it returns.
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// ------------------------------------------------------------ names

constexpr std::string_view kTemporaryMark = ".tmp-";

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
  name += std::string(kTemporaryMark) + std::to_string(::getpid()) + "-" +
          std::to_string(counter.fetch_add(1)) + "-" + std::to_string(random() % 1000000);
  return path.parent_path() / name;
}

// ".NAME.tmp-DIGITS-DIGITS-DIGITS": the names TemporaryName makes.
bool IsTemporaryName(std::string_view name) {
  if (name.size() < 2 || name[0] != '.') return false;
  const std::size_t mark = name.rfind(kTemporaryMark);
  if (mark == std::string_view::npos || mark < 2) return false;
  std::string_view tail = name.substr(mark + kTemporaryMark.size());
  int groups = 0;
  while (true) {
    std::size_t digits = 0;
    while (digits < tail.size() && tail[digits] >= '0' && tail[digits] <= '9') ++digits;
    if (digits == 0) return false;
    ++groups;
    tail.remove_prefix(digits);
    if (tail.empty()) return groups == 3;
    if (tail[0] != '-' || groups == 3) return false;
    tail.remove_prefix(1);
  }
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

// Something that is not a regular file (a device such as /dev/null, a FIFO, a terminal,
// /dev/stdout on a terminal) is written in place: replacing it would destroy it.
bool IsSpecialFile(const std::filesystem::path& path) {
  struct stat target {};
  return ::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode) && !S_ISDIR(target.st_mode);
}

// The file to replace: `path`, or the file a symbolic link `path` names (the link stays).
std::filesystem::path ReplacedFile(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_symlink(path, error)) {
    std::filesystem::path resolved = std::filesystem::canonical(path, error);
    if (!error) return resolved;
  }
  return path;
}

}  // namespace

// ------------------------------------------------------------ the writer

struct AtomicFileWriter::State {
  std::filesystem::path path;       // the file replaced on Commit
  std::filesystem::path temporary;  // empty when writing in place
  int fd = -1;
  int slot = -1;
  int error = 0;  // errno of the first failed write
  bool committed = false;

  void Abandon() {
    if (fd >= 0) ::close(fd);
    fd = -1;
    if (!temporary.empty() && !committed) ::unlink(temporary.c_str());
    ForgetTemporary(slot);
    slot = -1;
  }
};

AtomicFileWriter::AtomicFileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}

AtomicFileWriter::~AtomicFileWriter() { state_->Abandon(); }

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::Open(
    const std::filesystem::path& path) {
  if (path.filename().empty()) {
    return Failure{"cannot write " + path.string() + ": the path names no file"};
  }
  auto state = std::make_unique<State>();
  if (IsSpecialFile(path)) {
    state->path = path;
    state->fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (state->fd < 0) return Fail("open", path, errno);
    return std::unique_ptr<AtomicFileWriter>(new AtomicFileWriter(std::move(state)));
  }
  state->path = ReplacedFile(path);
  const std::filesystem::path directory =
      state->path.parent_path().empty() ? "." : state->path.parent_path();
  SweepStaleTemporaryFiles(directory);
  for (int attempt = 0; attempt < 100 && state->fd < 0; ++attempt) {
    state->temporary = TemporaryName(state->path);
    // Registered before it is created: a signal that comes right after the file appears
    // must find its name (a name not created yet is harmless to unlink: it is ours).
    state->slot = RegisterTemporary(state->temporary.string());
    state->fd = ::open(state->temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (state->fd < 0) {
      const int error = errno;
      ForgetTemporary(state->slot);  // not created: nothing of ours to remove
      state->slot = -1;
      errno = error;
      if (error != EEXIST) break;
    }
  }
  if (state->fd < 0) {
    const int error = errno;
    state->temporary.clear();
    return Fail("create a temporary file in", directory, error);
  }
  // Held until the rename: the stale sweep of any process leaves a locked file alone.
  (void)::flock(state->fd, LOCK_EX);
  // Keep the permission bits of the file being replaced.
  struct stat existing {};
  if (::stat(state->path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
    if (::fchmod(state->fd, existing.st_mode & 07777) != 0) {
      const int error = errno;
      state->Abandon();
      return Fail("set the permissions of", state->path, error);
    }
  }
  return std::unique_ptr<AtomicFileWriter>(new AtomicFileWriter(std::move(state)));
}

bool AtomicFileWriter::Write(std::string_view content) {
  if (state_->error != 0 || state_->fd < 0) return false;
  if (!WriteAll(state_->fd, content)) {
    state_->error = errno;
    return false;
  }
  return true;
}

Result<bool> AtomicFileWriter::Commit() {
  State& s = *state_;
  if (s.fd < 0) return Failure{"cannot write " + s.path.string() + ": already closed"};
  if (s.error != 0) {
    const int error = s.error;
    s.Abandon();
    return Fail("write", s.path, error);
  }
  if (s.temporary.empty()) {  // in place
    const int closed = ::close(s.fd);
    s.fd = -1;
    if (closed != 0) return Fail("write", s.path, errno);
    return true;
  }
  if (::fsync(s.fd) != 0) {
    const int error = errno;
    s.Abandon();
    return Fail("flush", s.path, error);
  }
  if (::rename(s.temporary.c_str(), s.path.c_str()) != 0) {
    const int error = errno;
    const std::string temporary = s.temporary.string();
    s.Abandon();
    return Failure{"cannot rename " + temporary + " to " + s.path.string() + ": " + Reason(error)};
  }
  s.committed = true;
  ForgetTemporary(s.slot);
  s.slot = -1;
  const int closed = ::close(s.fd);  // releases the lock, after the rename
  s.fd = -1;
  SyncDirectory(s.path.parent_path());
  if (closed != 0) return Fail("write", s.path, errno);
  return true;
}

Result<bool> WriteFileAtomically(const std::filesystem::path& path, std::string_view content) {
  auto opened = AtomicFileWriter::Open(path);
  if (!opened) return Failure{opened.error()};
  AtomicFileWriter& writer = *opened.value();
  writer.Write(content);
  return writer.Commit();
}

// ------------------------------------------------------------ signals and the sweep

void InstallTemporaryFileCleanup() {
  struct sigaction action {};
  action.sa_handler = &RemoveTemporariesAndDie;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    struct sigaction previous {};
    // A signal the parent set to be ignored (nohup, a shell's `trap '' INT`) stays ignored.
    if (::sigaction(signal_number, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) {
      continue;
    }
    ::sigaction(signal_number, &action, nullptr);
  }
}

std::size_t SweepStaleTemporaryFiles(const std::filesystem::path& directory, int min_age_seconds) {
  const int dir_fd =
      ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return 0;
  DIR* dir = ::fdopendir(dir_fd);
  if (dir == nullptr) {
    ::close(dir_fd);
    return 0;
  }
  const std::time_t now = std::time(nullptr);
  std::size_t removed = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (!IsTemporaryName(entry->d_name)) continue;
    const int fd = ::openat(dir_fd, entry->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat opened {};
    struct stat named {};
    if (::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) &&
        now - opened.st_mtime >= min_age_seconds && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        ::fstatat(dir_fd, entry->d_name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
        named.st_dev == opened.st_dev && named.st_ino == opened.st_ino &&
        ::unlinkat(dir_fd, entry->d_name, 0) == 0) {
      ++removed;
    }
    ::close(fd);
  }
  ::closedir(dir);
  return removed;
}

Result<bool> CreatePrivateDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (dir.empty() || std::filesystem::exists(dir, ec)) return true;
  std::filesystem::create_directories(dir, ec);
  if (!ec) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec) return Failure{"cannot create " + dir.string() + ": " + ec.message()};
  return true;
}

}  // namespace bmil
