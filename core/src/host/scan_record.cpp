#include "host/scan_record.hpp"

#include "host/trusted_file.hpp"
#include "io/atomic_file.hpp"
#include "io/digest.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace bmil {

namespace fs = std::filesystem;

namespace {

constexpr int kFormatVersion = 1;

// Reads the file at `path` when it is safe and small enough; nullopt with `note` set when
// it exists but is ignored, nullopt with an empty note when it does not exist.
std::optional<std::string> ReadSafely(const fs::path& path, std::string& note) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno != ENOENT) note = std::string("cannot open it: ") + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  std::string text;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    note = "it is not a regular file";
  } else if (std::string unsafe = UnsafeReason(st, "it"); !unsafe.empty()) {
    note = unsafe;
  } else if (static_cast<std::uintmax_t>(st.st_size) > ScanRecord::kMaxBytes) {
    note = "it is larger than " + std::to_string(ScanRecord::kMaxBytes >> 20) + " MiB";
  } else {
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < text.size()) {
      const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    text.resize(got);
  }
  ::close(fd);
  if (!note.empty()) return std::nullopt;
  return text;
}

}  // namespace

FileIdentity FileIdentity::Stat(const struct stat& st, std::string real_path) {
  FileIdentity id;
  id.path = std::move(real_path);
  id.size = static_cast<std::uint64_t>(st.st_size);
  id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  id.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  id.inode = static_cast<std::uint64_t>(st.st_ino);
  return id;
}

Result<FileIdentity> FileIdentity::Of(int fd, const struct stat& st, std::string real_path) {
  StreamDigest digest;
  std::vector<char> buffer(1 << 16);
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failure{std::string("cannot read it: ") + std::strerror(errno)};
    if (n == 0) break;
    digest.Update(buffer.data(), static_cast<std::size_t>(n));
    offset += n;
  }
  FileIdentity id = Stat(st, std::move(real_path));
  id.size = static_cast<std::uint64_t>(offset);
  id.xxh3 = digest.Hex();
  return id;
}

const char* ScanVerdictName(ScanVerdict verdict) {
  switch (verdict) {
    case ScanVerdict::kLoads:
      return "loads";
    case ScanVerdict::kCrashed:
      return "crashed";
    case ScanVerdict::kHung:
      return "hung";
    case ScanVerdict::kRefused:
      return "refused";
  }
  return "?";
}

std::optional<ScanVerdict> ParseScanVerdict(std::string_view name) {
  for (ScanVerdict v :
       {ScanVerdict::kLoads, ScanVerdict::kCrashed, ScanVerdict::kHung, ScanVerdict::kRefused}) {
    if (name == ScanVerdictName(v)) return v;
  }
  return std::nullopt;
}

std::string IsoUtc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

fs::path DefaultScanRecordPath() {
  if (const char* explicit_path = std::getenv("BMIL_SCAN_RECORD")) return explicit_path;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return fs::path(xdg) / "bmil" / "plugin-scan.json";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return fs::path(home) / ".cache" / "bmil" / "plugin-scan.json";
  }
  return {};
}

std::string ScanRecordText(const std::vector<ScanEntry>& entries) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ScanEntry& e : entries) {
    nlohmann::ordered_json j;
    j["path"] = e.file.path;
    j["size"] = e.file.size;
    j["mtime_ns"] = e.file.mtime_ns;
    j["ctime_ns"] = e.file.ctime_ns;
    j["inode"] = e.file.inode;
    j["xxh3_128"] = e.file.xxh3;
    j["bmil"] = e.bmil_version;
    j["plugin"] = e.plugin;
    j["version"] = e.version;
    j["verdict"] = ScanVerdictName(e.verdict);
    if (!e.why.empty()) j["why"] = e.why;
    j["when"] = e.when;
    list.push_back(std::move(j));
  }
  nlohmann::ordered_json doc;
  doc["bmil_scan_record"] = kFormatVersion;
  doc["entries"] = std::move(list);
  return doc.dump(1, '\t', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<std::vector<ScanEntry>> ParseScanRecord(std::string_view text) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Failure{"it is not JSON"};
  if (!doc.is_object() || doc.value("bmil_scan_record", 0) != kFormatVersion ||
      !doc.contains("entries") || !doc["entries"].is_array()) {
    return Failure{"it is not a version-1 scan record"};
  }
  std::vector<ScanEntry> entries;
  for (const auto& j : doc["entries"]) {
    auto str = [&](const char* key) -> std::optional<std::string> {
      const auto it = j.find(key);
      if (it == j.end() || !it->is_string()) return std::nullopt;
      return it->get<std::string>();
    };
    if (!j.is_object()) return Failure{"an entry is not an object"};
    const auto path = str("path"), hash = str("xxh3_128"), bmil = str("bmil"),
               plugin = str("plugin"), version = str("version"), verdict = str("verdict"),
               when = str("when");
    const auto size = j.find("size"), mtime = j.find("mtime_ns");
    if (!path || !hash || !IsDigestHex(*hash) || !bmil || !plugin || !version || !verdict ||
        !when || size == j.end() || !size->is_number_unsigned() || mtime == j.end() ||
        !mtime->is_number_integer() || !ParseScanVerdict(*verdict)) {
      return Failure{"entry " + std::to_string(entries.size()) + " is malformed"};
    }
    ScanEntry e;
    e.file.path = *path;
    e.file.size = size->get<std::uint64_t>();
    e.file.mtime_ns = mtime->get<std::int64_t>();
    // Optional: without them an entry is found by content only.
    if (const auto c = j.find("ctime_ns"); c != j.end() && c->is_number_integer()) {
      e.file.ctime_ns = c->get<std::int64_t>();
    }
    if (const auto n = j.find("inode"); n != j.end() && n->is_number_unsigned()) {
      e.file.inode = n->get<std::uint64_t>();
    }
    e.file.xxh3 = *hash;
    e.bmil_version = *bmil;
    e.plugin = *plugin;
    e.version = *version;
    e.verdict = *ParseScanVerdict(*verdict);
    e.why = str("why").value_or("");
    e.when = *when;
    entries.push_back(std::move(e));
  }
  return entries;
}

ScanRecord ScanRecord::Read(const fs::path& path, std::string* note) {
  ScanRecord record;
  record.path_ = path;
  if (path.empty()) return record;
  std::string why;
  if (auto text = ReadSafely(path, why)) {
    auto parsed = ParseScanRecord(*text);
    if (parsed) {
      record.entries_ = std::move(parsed).value();
    } else {
      why = parsed.error();
    }
  }
  if (note != nullptr) {
    *note = why.empty() ? std::string()
                        : "scan record " + path.string() + " ignored (" + why +
                              "): every plugin file is checked in a child again";
  }
  return record;
}

const ScanEntry* ScanRecord::FindPath(std::string_view real_path) const {
  for (const ScanEntry& e : entries_) {
    if (e.file.path == real_path) return &e;
  }
  return nullptr;
}

const ScanEntry* ScanRecord::FindByStat(const FileIdentity& stat) const {
  const ScanEntry* e = FindPath(stat.path);
  if (e == nullptr || !e->file.SameStat(stat) || e->bmil_version != BMIL_VERSION) return nullptr;
  return e;
}

const ScanEntry* ScanRecord::Find(const FileIdentity& identity) const {
  const ScanEntry* e = FindPath(identity.path);
  if (e == nullptr || !e->file.SameContent(identity) || e->bmil_version != BMIL_VERSION) {
    return nullptr;
  }
  return e;
}

namespace {

void PutInto(std::vector<ScanEntry>& entries, const ScanEntry& entry) {
  for (ScanEntry& e : entries) {
    if (e.file.path == entry.file.path) {
      e = entry;
      return;
    }
  }
  entries.push_back(entry);
}

}  // namespace

void ScanRecord::Put(ScanEntry entry) {
  PutInto(entries_, entry);
  put_.push_back(std::move(entry));
}

std::size_t ScanRecord::Forget(const std::function<bool(const ScanEntry&)>& forget) {
  std::size_t removed = 0;
  std::erase_if(entries_, [&](const ScanEntry& e) {
    if (!forget(e)) return false;
    forgotten_.push_back(e.file.path);
    std::erase_if(put_, [&](const ScanEntry& p) { return p.file.path == e.file.path; });
    ++removed;
    return true;
  });
  return removed;
}

Result<bool> ScanRecord::Save() {
  if (path_.empty() || (put_.empty() && forgotten_.empty())) return true;
  if (auto made = CreatePrivateDirectory(path_.parent_path()); !made) {
    return Failure{made.error()};
  }
  const std::string lock_path = path_.string() + ".lock";
  const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock < 0) return Failure{"cannot open " + lock_path + ": " + std::strerror(errno)};
  while (::flock(lock, LOCK_EX) != 0 && errno == EINTR) {
  }
  // Another run may have saved since Read(): start from what is there now.
  std::string ignored;
  std::vector<ScanEntry> merged;
  if (auto text = ReadSafely(path_, ignored)) {
    if (auto parsed = ParseScanRecord(*text)) merged = std::move(parsed).value();
  }
  for (const std::string& p : forgotten_) {
    std::erase_if(merged, [&](const ScanEntry& e) { return e.file.path == p; });
  }
  for (const ScanEntry& e : put_) PutInto(merged, e);
  // Entries of files that are gone are dropped, so that the record stays the size of what is
  // installed (plugins tried from temporary directories come and go).
  std::erase_if(merged, [](const ScanEntry& e) {
    std::error_code gone;
    return !fs::exists(e.file.path, gone) && !gone;
  });
  auto written = WriteFileAtomically(path_, ScanRecordText(merged));
  ::close(lock);  // releases the lock
  if (!written) return Failure{written.error()};
  entries_ = std::move(merged);
  put_.clear();
  forgotten_.clear();
  return true;
}

}  // namespace bmil
