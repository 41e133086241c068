// Scanning plugin directories: no plugin code runs here.
#include <bmil/plugin_host.hpp>

#include "host/elf_section_reader.hpp"
#include "host/trusted_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <system_error>

namespace bmil {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxManifestBytes = 64 * 1024;

bool IsPluginFile(const fs::directory_entry& entry) {
  std::error_code ec;
  return entry.path().extension() == ".so" && entry.is_regular_file(ec);
}

std::vector<fs::directory_entry> SortedEntries(const fs::path& dir, std::error_code& ec) {
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  return entries;
}

}  // namespace

fs::path CurrentExecutable() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe;
}

fs::path BundledPluginDir(const fs::path& executable) {
  return executable.parent_path().parent_path() / BMIL_PLUGIN_INSTALL_DIR;
}

std::vector<fs::path> PluginSearchPath(std::span<const fs::path> explicit_dirs,
                                       const char* env_path, const fs::path& executable,
                                       std::vector<std::string>* ignored) {
  std::vector<fs::path> candidates(explicit_dirs.begin(), explicit_dirs.end());
  if (env_path != nullptr) {
    std::string_view rest(env_path);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      std::string_view part = rest.substr(0, colon);
      // An empty entry would mean the current directory in PATH-like lists: never.
      if (!part.empty() && fs::path(part).is_absolute()) {
        candidates.emplace_back(part);
      } else if (!part.empty() && ignored != nullptr) {
        ignored->emplace_back(part);
      }
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  if (!executable.empty()) {
    candidates.push_back(BundledPluginDir(executable));
  }
  std::vector<fs::path> out;
  std::set<fs::path> seen;
  for (const auto& dir : candidates) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    if (ec) key = dir;
    if (seen.insert(key).second) out.push_back(dir);
  }
  return out;
}

PluginHost PluginHost::Scan(std::span<const fs::path> dirs) {
  PluginHost host;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      host.problems_.push_back({dir, "plugin directory does not exist"});
      continue;
    }
    if (std::string why = UnsafeDirectoryChain(dir, "plugin directory"); !why.empty()) {
      host.problems_.push_back({dir, why + "; its plugins are not loaded"});
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& entry : SortedEntries(dir, ec)) {
      // Not `ec`: that holds the listing's error, and an entry that cannot be stat-ed (a
      // dangling symlink) is simply not a plugin.
      std::error_code entry_ec;
      if (IsPluginFile(entry)) {
        files.push_back(entry.path());
      } else if (entry.is_directory(entry_ec)) {
        std::vector<fs::path> inner;
        std::error_code inner_ec;
        for (const auto& sub : SortedEntries(entry.path(), inner_ec)) {
          if (IsPluginFile(sub)) inner.push_back(sub.path());
        }
        if (inner.empty()) continue;
        if (std::string why = UnsafeDirectoryChain(entry.path(), "plugin directory");
            !why.empty()) {
          for (const auto& f : inner) {
            host.records_.push_back(
                {f, std::nullopt, PluginRecord::Status::kRefused, why, nullptr, {}, {}});
          }
          continue;
        }
        files.insert(files.end(), inner.begin(), inner.end());
      }
    }
    if (ec) host.problems_.push_back({dir, "cannot list directory: " + ec.message()});

    for (const auto& file : files) host.records_.push_back(ReadRecord(file));
  }
  host.RefuseClashes();
  return host;
}

PluginHost PluginHost::ScanFiles(std::span<const fs::path> files) {
  PluginHost host;
  for (const auto& file : files) host.records_.push_back(ReadRecord(file));
  host.RefuseClashes();
  return host;
}

PluginRecord PluginHost::ReadRecord(const fs::path& file) {
  PluginRecord record{file, std::nullopt, PluginRecord::Status::kAvailable, "", nullptr, {}, {}};
  // Opened once: the checks, the manifest and the later load all use this open file.
  auto opened = TrustedFile::Open(file);
  if (!opened) {
    record.status = PluginRecord::Status::kRefused;
    record.reason = opened.error();
    return record;
  }
  record.file = opened.value();
  if (auto text = ReadElfSectionFromFd(record.file->fd(), file.string(), BMIL_MANIFEST_SECTION,
                                       kMaxManifestBytes);
      !text) {
    record.status = PluginRecord::Status::kRefused;
    record.reason = "cannot read manifest: " + text.error();
  } else if (auto manifest = ParseManifest(text.value()); !manifest) {
    record.status = PluginRecord::Status::kRefused;
    record.reason = manifest.error();
  } else {
    record.manifest = manifest.value();
    if (auto abi =
            CheckAbi(manifest->abi_major, manifest->abi_minor, BMIL_ABI_MAJOR, BMIL_ABI_MINOR);
        !abi) {
      record.status = PluginRecord::Status::kRefused;
      record.reason = abi.error();
    }
  }
  return record;
}

void PluginHost::RefuseClashes() {
  PluginHost& host = *this;

  // Two plugins claiming one id (or one line/block id): refuse all of them, since neither
  // can be trusted to be the one meant.
  std::map<std::string, std::vector<std::size_t>> claims;
  for (std::size_t i = 0; i < host.records_.size(); ++i) {
    const auto& r = host.records_[i];
    if (!r.manifest || r.status == PluginRecord::Status::kRefused) continue;
    std::set<std::string> ids = {"plugin " + r.manifest->id};
    for (const auto& l : r.manifest->lines) ids.insert("line " + l.id);
    for (const auto& b : r.manifest->blocks) ids.insert("block " + b.id);
    for (const auto& id : ids) claims[id].push_back(i);
  }
  for (const auto& [id, holders] : claims) {
    if (holders.size() < 2) continue;
    for (std::size_t i : holders) {
      std::string others;
      for (std::size_t j : holders) {
        if (j != i) others += (others.empty() ? "" : ", ") + host.records_[j].path.string();
      }
      auto& r = host.records_[i];
      r.status = PluginRecord::Status::kRefused;
      if (!r.reason.empty()) r.reason += "; ";
      r.reason += id.substr(0, id.find(' ')) + " id \"" + id.substr(id.find(' ') + 1) +
                  "\" is also claimed by " + others;
    }
  }
  // A block id that is built in, and ids beyond the registry's capacity (bit sets of
  // BMIL_MAX_IDS), cannot be registered: refuse the plugin rather than drop its ids.
  const Registry builtin;
  std::size_t block_count = builtin.blocks().size();
  std::size_t line_count = 0;
  for (auto& r : host.records_) {
    if (!r.manifest || r.status == PluginRecord::Status::kRefused) continue;
    std::string why;
    for (const auto& b : r.manifest->blocks) {
      if (builtin.BlockIndex(b.id)) why = "block id \"" + b.id + "\" is a built-in building block";
    }
    if (why.empty() && block_count + r.manifest->blocks.size() > BMIL_MAX_IDS) {
      why = "too many building blocks: at most " + std::to_string(BMIL_MAX_IDS) + " in all";
    }
    if (why.empty() && line_count + r.manifest->lines.size() > BMIL_MAX_IDS) {
      why = "too many leadership lines: at most " + std::to_string(BMIL_MAX_IDS) + " in all";
    }
    if (!why.empty()) {
      r.status = PluginRecord::Status::kRefused;
      r.reason = why;
      continue;
    }
    block_count += r.manifest->blocks.size();
    line_count += r.manifest->lines.size();
  }
}

Registry PluginHost::MakeRegistry() const {
  Registry registry;
  std::vector<std::pair<ProvidedId, std::string>> lines;
  for (const auto& r : records_) {
    if (!r.manifest || r.status == PluginRecord::Status::kRefused) continue;
    for (const auto& b : r.manifest->blocks) {
      registry.AddBlock({b.id, b.name.empty() ? b.id : b.name, b.code, r.manifest->id});
    }
    for (const auto& l : r.manifest->lines) lines.emplace_back(l, r.manifest->id);
  }
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
    return a.first.order != b.first.order ? a.first.order < b.first.order : a.first.id < b.first.id;
  });
  for (const auto& [l, plugin] : lines) {
    registry.AddLine({l.id, l.name.empty() ? l.id : l.name, l.code, plugin});
  }
  return registry;
}

const char* StatusName(PluginRecord::Status status) {
  switch (status) {
    case PluginRecord::Status::kAvailable:
      return "available";
    case PluginRecord::Status::kLoaded:
      return "loaded";
    case PluginRecord::Status::kRefused:
      return "refused";
  }
  return "?";
}

}  // namespace bmil
