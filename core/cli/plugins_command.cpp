// `bmil plugins list|info`: what plugins there are, without running their code.
#include "cli_common.hpp"
#include "plugins_doctor_command.hpp"
#include "plugins_replay_command.hpp"
#include "text_wrap.hpp"

#include <spdlog/spdlog.h>
#include <bmil/conformance.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

namespace bmil::cli {
namespace {

nlohmann::ordered_json ManifestJson(const Manifest& m) {
  nlohmann::ordered_json lines = nlohmann::ordered_json::array();
  for (const auto& l : m.lines) lines.push_back({{"id", l.id}, {"code", l.code}, {"name", l.name}});
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  for (const auto& b : m.blocks) blocks.push_back({{"id", b.id}, {"name", b.name}});
  return {{"id", m.id},
          {"name", m.name},
          {"version", m.version},
          {"kind", m.kind},
          {"abi", std::to_string(m.abi_major) + "." + std::to_string(m.abi_minor)},
          {"lines", lines},
          {"blocks", blocks},
          {"description", m.description},
          {"license", m.license},
          {"vendor", m.vendor}};
}

void List(const GlobalOptions& options, const std::string& format, int& exit_code) {
  PluginHost host = OpenPlugins(options, /*load=*/false);
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : host.records()) {
      nlohmann::ordered_json row = {{"id", r.manifest ? r.manifest->id : ""},
                                    {"kind", r.manifest ? r.manifest->kind : ""},
                                    {"version", r.manifest ? r.manifest->version : ""},
                                    {"path", r.path.string()},
                                    {"status", StatusName(r.status)}};
      if (!r.reason.empty()) row["reason"] = r.reason;
      out.push_back(row);
    }
    std::cout << JsonText(out);
    return;
  }
  std::ostringstream text;
  std::size_t id_width = 4, version_width = 9;
  for (const auto& r : host.records()) {
    if (!r.manifest) continue;
    id_width = std::max(id_width, r.manifest->id.size() + 2);
    version_width = std::max(version_width, r.manifest->version.size() + 2);
  }
  text << Pad("ID", id_width) << Pad("KIND", 10) << Pad("VERSION", version_width)
       << Pad("STATUS", 11) << "PATH\n";
  for (const auto& r : host.records()) {
    text << Pad(r.manifest ? r.manifest->id : "?", id_width)
         << Pad(r.manifest ? r.manifest->kind : "?", 10)
         << Pad(r.manifest ? r.manifest->version : "?", version_width)
         << Pad(StatusName(r.status), 11) << r.path.string() << "\n";
    if (!r.reason.empty()) text << "    reason: " << r.reason << "\n";
  }
  if (host.records().empty()) {
    text << "(no plugins found; searched:";
    for (const auto& d : SearchPath(options)) text << " " << d.string();
    text << ")\n";
  }
  std::cout << text.str();
  (void)exit_code;
}

void Info(const GlobalOptions& options, const std::string& id, bool describe, int& exit_code) {
  PluginHost host = OpenPlugins(options, /*load=*/describe);
  const PluginRecord* found = nullptr;
  for (const auto& r : host.records()) {
    if (r.manifest && r.manifest->id == id) found = &r;
  }
  if (found == nullptr) {
    spdlog::error("no plugin with id \"{}\" (see `bmil plugins list`)", id);
    exit_code = kExitInputProblem;
    return;
  }
  nlohmann::ordered_json out = ManifestJson(*found->manifest);
  out["path"] = found->path.string();
  out["status"] = StatusName(found->status);
  if (!found->reason.empty()) out["reason"] = found->reason;
  if (describe) {
    if (const LoadedPlugin* plugin = host.Find(id)) {
      auto instance = plugin->Create();
      if (auto* error = std::get_if<CallError>(&instance)) {
        spdlog::error("{}", error->ToString());
        exit_code = kExitPluginFailure;
      } else {
        auto described = std::get<PluginInstance>(instance).Describe();
        if (auto* d = std::get_if<nlohmann::json>(&described)) {
          out["descriptor"] = *d;
        } else {
          spdlog::error("{}", std::get<CallError>(described).ToString());
          exit_code = kExitPluginFailure;
        }
      }
    } else {
      exit_code = kExitPluginFailure;
    }
  }
  std::cout << JsonText(out);
}

void Check(const GlobalOptions& options, const std::string& file, const std::string& format,
           int& exit_code) {
  // The installed/search-path plugins give the sample cases their lines; scanning them runs
  // no code, and only those whose ids the plugin under test does not claim are loaded.
  const PluginHost found = PluginHost::Scan(SearchPath(options));
  std::vector<std::filesystem::path> context;
  for (const auto& r : found.records()) context.push_back(r.path);
  const ConformanceReport report =
      CheckPluginConformance(file, context, MakeIsolationPolicy(options).limits);
  std::cout << (format == "json" ? JsonText(report.ToJson()) : report.ToText());
  if (!report.ok()) exit_code = kExitPluginFailure;
}

}  // namespace

void AddPluginsCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* plugins = app.add_subcommand("plugins", "List and inspect plugins");
  plugins->require_subcommand(1);

  auto format = std::make_shared<std::string>("text");
  CLI::App* list = plugins->add_subcommand(
      "list", "List every plugin found: id, kind, version, status, path (runs no plugin code)");
  list->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  list->callback([&options, format, &exit_code] { List(options, *format, exit_code); });

  auto id = std::make_shared<std::string>();
  auto describe = std::make_shared<bool>(false);
  CLI::App* info = plugins->add_subcommand(
      "info", "Show a plugin's manifest as JSON; --describe also loads it and adds its descriptor");
  info->add_option("id", *id, "Plugin id")->required();
  info->add_flag("--describe", *describe,
                 "Load the plugin and include its descriptor (a line's SWOT and questions)");
  info->callback(
      [&options, id, describe, &exit_code] { Info(options, *id, *describe, exit_code); });

  auto file = std::make_shared<std::string>();
  auto check_format = std::make_shared<std::string>("text");
  CLI::App* check = plugins->add_subcommand(
      "check",
      "Conformance check of a plugin file before deploying it: manifest, ABI, entry table, "
      "descriptor completeness, every call on sample cases, errors returned not thrown, an "
      "analyzer's save/load round trip and merge, nothing written to stdout, no write into the "
      "read-only case view, memory growth within the leak budget; the plugin runs in a child "
      "(sandboxed where seccomp is available). Exit 0 when every check passes, 4 otherwise.");
  check->add_option("file", *file, "The plugin's shared library (.so)")
      ->required()
      ->check(CLI::ExistingFile);
  check->add_option("--format", *check_format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  check->callback([&options, file, check_format, &exit_code] {
    Check(options, *file, *check_format, exit_code);
  });

  AddPluginsDoctorCommand(*plugins, options, exit_code);
  AddPluginsReplayCommand(*plugins, options, exit_code);
}

}  // namespace bmil::cli
