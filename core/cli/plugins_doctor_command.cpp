#include "plugins_doctor_command.hpp"

#include "host/runner_process.hpp"
#include "host/scan_record.hpp"
#include "host/trusted_file.hpp"
#include "report/terminal_text.hpp"
#include "text_wrap.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

namespace bmil::cli {
namespace {

namespace fs = std::filesystem;

// What the doctor says of one plugin file found on the search path.
struct Finding {
  std::string id;  // "?" when its manifest could not be read
  std::string path;
  std::string level;                 // "in-process", "child", "" when refused at scan
  std::string state;                 // "ok", "failed", "unchecked", "changed", "child", "refused"
  std::string detail;                // one line for a person
  const ScanEntry* entry = nullptr;  // the record's entry for this path, if any
  std::optional<FileIdentity> identity;
};

bool Selected(const std::vector<std::string>& wanted, const std::string& id,
              const std::string& path) {
  if (wanted.empty()) return true;
  for (const std::string& w : wanted) {
    if (w == id || w == path) return true;
    std::error_code ec;
    if (fs::weakly_canonical(w, ec) == fs::path(path)) return true;
  }
  return false;
}

std::string Size(std::uint64_t bytes) {
  if (bytes < 10 * 1024) return std::to_string(bytes) + " bytes";
  return std::to_string((bytes + 512) / 1024) + " KiB";
}

Finding Examine(const PluginRecord& r, const IsolationPolicy& policy, const ScanRecord& scan) {
  Finding f;
  f.id = r.manifest ? r.manifest->id : "?";
  f.path = r.file ? r.file->real_path().string() : r.path.string();
  if (r.status == PluginRecord::Status::kRefused || !r.manifest || !r.file) {
    f.state = "refused";
    f.detail = "refused before loading: " + r.reason;
    return f;
  }
  const Isolation level = policy.For(r.manifest->id, r.path);
  f.level = IsolationName(level);
  auto identity = FileIdentity::Of(r.file->fd(), r.file->status(), f.path);
  if (!identity) {
    f.state = "refused";
    f.detail = identity.error();
    return f;
  }
  f.identity = std::move(identity).value();
  f.entry = scan.FindPath(f.path);
  const ScanEntry* same = scan.Find(*f.identity);
  if (same != nullptr && same->verdict == ScanVerdict::kRefused) {
    f.state = "refused";
    f.detail = "its entry table was refused when first loaded in a child on " + same->when + ": " +
               same->why;
    return f;
  }
  if (same != nullptr && same->verdict != ScanVerdict::kLoads) {
    f.state = "failed";
    f.detail = std::string(ScanVerdictName(same->verdict)) + " when first loaded in a child on " +
               same->when + ": " + same->why;
    return f;
  }
  if (level == Isolation::kChild) {
    f.state = "child";
    f.detail = "runs in a child; no first load in bmil's process";
  } else if (same != nullptr) {  // == f.entry
    f.state = "ok";
    f.detail = "loaded in a child on " + same->when + ", then loads in-process";
  } else if (f.entry != nullptr) {
    f.state = "changed";
    f.detail = "changed since it was first loaded in a child on " + f.entry->when +
               " (or scanned by another bmil version): loaded in a child first again";
  } else {
    f.state = "unchecked";
    f.detail = "not loaded yet: its first load will be in a child";
  }
  return f;
}

void Doctor(const GlobalOptions& options, const std::vector<std::string>& wanted, bool clear,
            const std::string& format, int& exit_code) {
  PluginHost host = OpenPlugins(options, /*load=*/false);
  const IsolationPolicy policy = MakeIsolationPolicy(options);
  std::string note;
  ScanRecord scan = ScanRecord::Read(policy.scan_record, &note);
  if (!note.empty()) std::cerr << "bmil: " << note << "\n";

  // The plugins asked about must exist.
  for (const std::string& w : wanted) {
    bool found = false;
    for (const auto& r : host.records()) {
      const std::string path = r.file ? r.file->real_path().string() : r.path.string();
      found = found || Selected({w}, r.manifest ? r.manifest->id : "", path);
    }
    for (const ScanEntry& e : scan.entries()) found = found || Selected({w}, e.plugin, e.file.path);
    if (!found) {
      std::cerr << "bmil: no plugin \"" << w << "\" on the search path or in the scan record\n";
      exit_code = kExitUsage;
      return;
    }
  }

  std::vector<std::string> cleared;
  if (clear) {
    std::set<std::string> present;
    for (const auto& r : host.records()) {
      if (r.file) present.insert(r.file->real_path().string());
    }
    std::error_code ec;
    scan.Forget([&](const ScanEntry& e) {
      if (!Selected(wanted, e.plugin, e.file.path)) return false;
      const bool gone = !present.contains(e.file.path) && !fs::exists(e.file.path, ec);
      if (e.verdict == ScanVerdict::kLoads && !gone) return false;
      cleared.push_back(e.plugin + " (" + e.file.path + (gone ? ", file gone" : "") + ")");
      return true;
    });
    if (auto saved = scan.Save(); !saved) {
      std::cerr << "bmil: cannot save the scan record: " << saved.error() << "\n";
      exit_code = kExitInternal;
      return;
    }
  }

  std::vector<Finding> findings;
  for (const auto& r : host.records()) {
    Finding f = Examine(r, policy, scan);
    if (Selected(wanted, f.id, f.path)) findings.push_back(std::move(f));
  }
  std::set<std::string> shown;
  for (const Finding& f : findings) shown.insert(f.path);
  std::vector<const ScanEntry*> stale;  // entries about files that are not on the path now
  for (const ScanEntry& e : scan.entries()) {
    if (!shown.contains(e.file.path) && Selected(wanted, e.plugin, e.file.path)) {
      std::error_code ec;
      if (!fs::exists(e.file.path, ec)) stale.push_back(&e);
    }
  }
  const fs::path runner = FindRunner();
  bool trouble = false;
  for (const Finding& f : findings)
    trouble = trouble || f.state == "failed" || f.state == "refused";

  if (format == "json") {
    nlohmann::ordered_json out;
    out["scan_record"] = scan.path().string();
    out["runner"] = runner.string();
    out["cleared"] = cleared;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Finding& f : findings) {
      nlohmann::ordered_json j = {{"id", f.id},
                                  {"path", f.path},
                                  {"level", f.level},
                                  {"state", f.state},
                                  {"detail", f.detail}};
      if (f.identity) {
        j["size"] = f.identity->size;
        j["mtime"] = IsoUtc(f.identity->mtime_ns / 1'000'000'000);
        j["xxh3_128"] = f.identity->xxh3;
      }
      list.push_back(std::move(j));
    }
    out["plugins"] = std::move(list);
    nlohmann::ordered_json gone = nlohmann::ordered_json::array();
    for (const ScanEntry* e : stale) gone.push_back({{"id", e->plugin}, {"path", e->file.path}});
    out["stale"] = std::move(gone);
    std::cout << JsonText(out);
  } else {
    std::ostringstream text;
    text << "Scan record:   "
         << (scan.path().empty() ? "(none kept: BMIL_SCAN_RECORD is empty)" : scan.path().string())
         << "\n";
    text << "Plugin runner: "
         << (runner.empty() ? "NOT FOUND (plugins cannot run in a child)" : runner.string())
         << "\n";
    for (const std::string& c : cleared) text << "Cleared:       " << c << "\n";
    text << "\n";
    std::size_t id_width = 8;
    for (const Finding& f : findings) id_width = std::max(id_width, f.id.size() + 2);
    text << Pad("PLUGIN", id_width) << Pad("RUNS IN", 12) << "FIRST LOAD\n";
    for (const Finding& f : findings) {
      text << Pad(TerminalSafe(f.id), id_width) << Pad(f.level.empty() ? "-" : f.level, 12);
      if (f.state == "ok") {
        text << "ok (in a child on " << f.entry->when << ")\n";
        continue;
      }
      if (f.state == "child") {
        text << "not needed (runs in a child)\n";
        continue;
      }
      text << (f.state == "failed"    ? "FAILED"
               : f.state == "refused" ? "REFUSED"
               : f.state == "changed" ? "changed: in a child first again"
                                      : "not yet: in a child first")
           << "\n";
      std::string about = f.path;
      if (f.identity) {
        about += " (" + Size(f.identity->size) + ", modified " +
                 IsoUtc(f.identity->mtime_ns / 1'000'000'000) + ", xxh3-128 " + f.identity->xxh3 +
                 ")";
      }
      text << Wrapped(about, 4) << Wrapped(f.detail, 4);
      if (f.state == "failed") {
        text << "    Not loaded again until the file changes. To try it again:\n"
             << "    bmil plugins doctor --clear " << TerminalSafe(f.id) << "\n";
      }
    }
    if (findings.empty()) text << "(no plugins found)\n";
    if (!stale.empty()) {
      text << "\n"
           << stale.size() << " entr" << (stale.size() == 1 ? "y" : "ies")
           << " about files that are gone (--clear removes them):\n";
      for (const ScanEntry* e : stale) text << Wrapped(e->plugin + "  " + e->file.path, 4);
    }
    std::cout << text.str();
  }
  if (trouble && exit_code == kExitOk) exit_code = kExitPluginFailure;
}

}  // namespace

void AddPluginsDoctorCommand(CLI::App& plugins, GlobalOptions& options, int& exit_code) {
  auto wanted = std::make_shared<std::vector<std::string>>();
  auto clear = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("text");
  CLI::App* doctor = plugins.add_subcommand(
      "doctor",
      "How each plugin's first load in a child went (the scan record): a file that crashed, "
      "hung or was refused there is not loaded again until it changes. --clear forgets those "
      "failures (and entries of files that are gone) so that the next run tries again. "
      "Runs no plugin code. Exit 0 when every plugin can be loaded, 4 otherwise.");
  doctor->add_option("plugin", *wanted, "Only these plugins (ids or file paths)");
  doctor->add_flag("--clear", *clear,
                   "Forget the recorded failures of the plugins (all, or those named)");
  doctor->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  doctor->callback([&options, wanted, clear, format, &exit_code] {
    Doctor(options, *wanted, *clear, *format, exit_code);
  });
}

}  // namespace bmil::cli
