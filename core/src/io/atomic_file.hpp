// Writing a file so that readers see either its old or its new content, never a mix, and
// no temporary file is left behind by a failure, an interruption or a crash.
#ifndef BMIL_CORE_IO_ATOMIC_FILE_HPP_
#define BMIL_CORE_IO_ATOMIC_FILE_HPP_

#include <bmil/result.hpp>

#include <filesystem>
#include <memory>
#include <string_view>

namespace bmil {

// Writes `content` to a new temporary file in the directory of `path`, flushes it to disk
// (fsync), and renames it over `path`, replacing any file there; then syncs the directory.
// A replaced file's permission bits are kept; a new file gets 0666 minus the umask. On
// failure nothing is left behind (the temporary file is removed, `path` is untouched) and
// the error says which step failed, with the path and the system's reason. When `path` is
// a symbolic link, the file it names is replaced and the link stays. Something that is not
// a regular file (/dev/null, a FIFO, a terminal) is written in place. Thread-safe;
// concurrent writers to one path leave one of their contents in place.
Result<bool> WriteFileAtomically(const std::filesystem::path& path, std::string_view content);

// The same, for output produced bit by bit (a rejects file written while a batch runs):
// Open() creates the temporary file, Write() appends, Commit() flushes and renames it over
// the path. Destroyed without Commit(), the temporary file is removed and `path` keeps its
// old content. Not thread-safe: one writer per object.
class AtomicFileWriter {
 public:
  static Result<std::unique_ptr<AtomicFileWriter>> Open(const std::filesystem::path& path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Appends; false after the first failed write (Commit() then reports it).
  bool Write(std::string_view content);
  Result<bool> Commit();

 private:
  struct State;
  explicit AtomicFileWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Creates `dir` and any missing parents when it does not exist yet, the directory itself
// readable only by its owner (0700): for bmil's own state (the scan record, reproducers).
// An existing directory is left as it is. The failure names the directory and the reason.
Result<bool> CreatePrivateDirectory(const std::filesystem::path& dir);

// Temporary files are named ".NAME.tmp-PID-N-R" beside their target and held under an
// exclusive flock while written. Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE
// that remove this process's temporary files, then end the process by the same signal
// (exit status 128 + signal, as without the handler). Call once, early in main().
void InstallTemporaryFileCleanup();

// Removes the temporary files that interrupted writers (killed, crashed, powered off) left
// in `directory`: names of the form above whose flock nobody holds and that were last
// written more than `min_age_seconds` ago. A live writer holds its lock, in any process or
// PID namespace, so it is never touched. Returns how many files were removed. Every write
// of WriteFileAtomically/AtomicFileWriter sweeps its directory first.
std::size_t SweepStaleTemporaryFiles(const std::filesystem::path& directory,
                                     int min_age_seconds = 10);

}  // namespace bmil

#endif  // BMIL_CORE_IO_ATOMIC_FILE_HPP_
