// The scan record: what happened when each plugin file was first loaded in a child, before
// bmil loads it into its own process (GStreamer's registry plays this part for its plugin
// scanner). A file that crashed, hung or was refused there is not loaded again until it
// changes or `bmil plugins doctor --clear` forgets it (docs/plugin-isolation.md, "First
// load in a child").
//
// The record is a small JSON file bmil owns ($BMIL_SCAN_RECORD, else
// $XDG_CACHE_HOME/bmil/plugin-scan.json, else ~/.cache/bmil/plugin-scan.json). It is a
// cache: a record that is missing, unreadable, malformed, too large or unsafe (writable by
// others) is ignored with a note, and every file is then checked in a child again.
#ifndef BMIL_CORE_HOST_SCAN_RECORD_HPP_
#define BMIL_CORE_HOST_SCAN_RECORD_HPP_

#include <bmil/result.hpp>

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

// Which plugin file an entry is about: where it really is, and what it contains.
struct FileIdentity {
  std::string path;           // the real path (links resolved)
  std::uint64_t size = 0;     // bytes
  std::int64_t mtime_ns = 0;  // last modification, ns since the epoch
  std::string xxh3;           // XXH3-128 of the content, 32 lower-case hex digits
  // What stat says besides: a file with the same path, size, times and inode is taken to be
  // the same file without reading it again (the record is a cache, not a trust decision).
  std::int64_t ctime_ns = 0;
  std::uint64_t inode = 0;

  // The identity of `st` at `real_path` from stat alone (no xxh3).
  static FileIdentity Stat(const struct stat& st, std::string real_path);
  // Whether `other` has the same path, size, times and inode.
  bool SameStat(const FileIdentity& other) const {
    return path == other.path && size == other.size && mtime_ns == other.mtime_ns &&
           ctime_ns == other.ctime_ns && inode == other.inode && inode != 0;
  }

  // The identity of the open file `fd` with status `st`, found at `real_path`: reads the
  // whole file (pread: the file offset is left alone). Fails when it cannot be read.
  static Result<FileIdentity> Of(int fd, const struct stat& st, std::string real_path);
  // The same content at the same place: path, size and hash (a touched file that did not
  // change is the same file; a changed one never is).
  bool SameContent(const FileIdentity& other) const {
    return path == other.path && size == other.size && xxh3 == other.xxh3;
  }
};

// What the first load in a child showed.
enum class ScanVerdict {
  kLoads,    // loaded and its entry table passed the checks: bmil may load it in-process
  kCrashed,  // its process died while loading it (signal, abort, exit)
  kHung,     // it did not finish loading within the deadline
  kRefused,  // it loaded, but its entry table failed the checks (the reason says why)
};
const char* ScanVerdictName(ScanVerdict verdict);  // "loads", "crashed", "hung", "refused"
std::optional<ScanVerdict> ParseScanVerdict(std::string_view name);

struct ScanEntry {
  FileIdentity file;
  std::string bmil_version;  // of the bmil that scanned it: another version scans again
  std::string plugin;        // the manifest's id and version
  std::string version;
  ScanVerdict verdict = ScanVerdict::kLoads;
  std::string why;   // for a failure: what ended the load, with the end of its stderr
  std::string when;  // UTC, ISO 8601 ("2026-12-07T01:02:03Z")
};

// "2026-12-07T01:02:03Z" for `seconds` since the epoch.
std::string IsoUtc(std::int64_t seconds);

// The record's default place: $BMIL_SCAN_RECORD when set (empty: keep no record), else
// $XDG_CACHE_HOME/bmil/plugin-scan.json, else $HOME/.cache/bmil/plugin-scan.json; empty
// when none of these is set.
std::filesystem::path DefaultScanRecordPath();

class ScanRecord {
 public:
  // At most this many bytes are read; a larger file is ignored (a record of a few hundred
  // plugins takes a few hundred KiB).
  static constexpr std::uintmax_t kMaxBytes = 4u << 20;

  // Reads the record at `path` (empty: an empty record kept nowhere). `note` gets why an
  // existing file was ignored ("" when it was read or did not exist).
  static ScanRecord Read(const std::filesystem::path& path, std::string* note = nullptr);

  const std::filesystem::path& path() const { return path_; }
  const std::vector<ScanEntry>& entries() const { return entries_; }

  // The entry for the file at `identity.path` when it is about the same content and was
  // made by this bmil version; null otherwise (the file must be checked again).
  const ScanEntry* Find(const FileIdentity& identity) const;
  // The same, by stat alone (FileIdentity::SameStat): no need to read the file.
  const ScanEntry* FindByStat(const FileIdentity& stat) const;
  // The entry for the file at `real_path`, whatever its content or version.
  const ScanEntry* FindPath(std::string_view real_path) const;

  // Replaces the entry for the same path, or adds it; saved by Save().
  void Put(ScanEntry entry);
  // Removes the entries `forget` selects; returns how many.
  std::size_t Forget(const std::function<bool(const ScanEntry&)>& forget);

  // Writes the changes made by Put() and Forget() to the file: under an exclusive lock on
  // "<path>.lock", reads the file again, applies them, and replaces it atomically, so
  // that two bmil runs scanning at once lose neither's entries; entries of files that no
  // longer exist are dropped. Creates the directory (0700). Nothing to do when nothing
  // changed or the record is kept nowhere.
  Result<bool> Save();

 private:
  std::filesystem::path path_;
  std::vector<ScanEntry> entries_;
  std::vector<ScanEntry> put_;          // changes since Read(), in order
  std::vector<std::string> forgotten_;  // paths
};

// The record's text (what Save() writes) and its parse. Parse fails, saying why, on any
// text that is not a record this bmil wrote (the record is then ignored).
std::string ScanRecordText(const std::vector<ScanEntry>& entries);
Result<std::vector<ScanEntry>> ParseScanRecord(std::string_view text);

}  // namespace bmil

#endif  // BMIL_CORE_HOST_SCAN_RECORD_HPP_
