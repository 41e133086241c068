#include <bmil/analysis.hpp>
#include <bmil/flat_case.hpp>

#include <bmil/sdk/vocabulary.hpp>

#include "model/view_guard.hpp"

#include <map>
#include <memory>

namespace bmil {
namespace {

template <typename T>
T* Value(CallResult<T>& result, std::vector<CallError>& failures) {
  if (auto* error = std::get_if<CallError>(&result)) {
    failures.push_back(*error);
    return nullptr;
  }
  return &std::get<T>(result);
}

// After a call of an in-process plugin on `view`: a failure when the plugin wrote into it
// (what it wrote is put back first).
std::optional<CallError> WroteInto(const LoadedPlugin& plugin, const char* call, ViewGuard& guard,
                                   const bmil_case_view& view) {
  if (!plugin.guarded()) return std::nullopt;
  const std::size_t changed = guard.CheckAndRestore();
  if (changed == 0) [[likely]]
    return std::nullopt;
  return CallError{
      plugin.id(), call, BMIL_ERROR_INTERNAL,
      ViewWriteMessage(changed) + ", on case \"" + std::string(view.id.data, view.id.size) + "\""};
}

void RunLine(const LoadedPlugin& plugin, std::span<const std::unique_ptr<FlatCase>> flats,
             std::span<ViewGuard> guards, AnalysisReport& report) {
  LineReport line{plugin.id(), nullptr, {}, {}, false, plugin.isolation()};
  auto created = plugin.Create();
  PluginInstance* instance = Value(created, report.failures);
  if (instance == nullptr) {
    line.failed = true;
    report.lines.push_back(std::move(line));
    return;
  }
  auto described = instance->Describe();
  if (auto* d = Value(described, report.failures))
    line.descriptor = std::move(*d);
  else
    line.failed = true;
  for (std::size_t f = 0; f < flats.size(); ++f) {
    const bmil_case_view& view = flats[f]->view();
    for (uint32_t m = 0; m < view.business_model_count; ++m) {
      auto assessed = instance->Assess(view, m);
      if (auto wrote = WroteInto(plugin, "assess", guards[f], view)) assessed = *std::move(wrote);
      if (auto* a = Value(assessed, report.failures))
        line.assessments.push_back(std::move(*a));
      else
        line.failed = true;
      auto proposed = instance->Propose(view, m);
      if (auto wrote = WroteInto(plugin, "propose", guards[f], view)) proposed = *std::move(wrote);
      if (auto* p = Value(proposed, report.failures))
        line.proposals.push_back(std::move(*p));
      else
        line.failed = true;
    }
  }
  report.lines.push_back(std::move(line));
}

void RunAnalyzer(const LoadedPlugin& plugin, std::span<const std::unique_ptr<FlatCase>> flats,
                 std::span<ViewGuard> guards, const std::string& config, AnalysisReport& report) {
  AnalyzerReport out{plugin.id(), nullptr, nullptr, plugin.isolation()};
  auto created = plugin.Create(config);
  PluginInstance* instance = Value(created, report.failures);
  if (instance == nullptr) {
    report.analyzers.push_back(std::move(out));
    return;
  }
  auto described = instance->Describe();
  if (auto* d = Value(described, report.failures)) out.descriptor = std::move(*d);
  bool ok = true;
  for (std::size_t f = 0; f < flats.size(); ++f) {
    auto error = instance->Add(flats[f]->view());
    if (!error) error = WroteInto(plugin, "add", guards[f], flats[f]->view());
    if (error) {
      report.failures.push_back(*error);
      ok = false;
      break;  // the accumulator is incomplete: its result would be wrong, not partial
    }
  }
  if (ok) {
    auto finished = instance->Finish();
    if (auto* r = Value(finished, report.failures)) out.result = std::move(*r);
  }
  report.analyzers.push_back(std::move(out));
}

}  // namespace

nlohmann::json AnalyzerConfig(const PluginHost& host, const Registry& registry,
                              std::vector<CallError>& failures) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : registry.lines()) {
    const LoadedPlugin* plugin = host.Find(line.plugin);
    if (plugin == nullptr || !plugin->is_line()) continue;
    auto created = plugin->Create();
    PluginInstance* instance = Value(created, failures);
    if (instance == nullptr) continue;
    auto described = instance->Describe();
    if (auto* d = Value(described, failures)) lines.push_back(std::move(*d));
  }
  return {{"lines", std::move(lines)}};
}

AnalysisReport Analyze(const PluginHost& host, const Registry& registry,
                       std::span<const Case> cases) {
  AnalysisReport report;
  std::vector<std::unique_ptr<FlatCase>> flats;
  for (const Case& c : cases) {
    report.cases.push_back(c.business.id);
    flats.push_back(std::make_unique<FlatCase>(c, registry));
  }
  // Each view as it was built, to check after every in-process plugin's call.
  std::vector<ViewGuard> guards(flats.size());
  for (std::size_t f = 0; f < flats.size(); ++f) guards[f].Take(flats[f]->view());
  for (const auto& plugin : host.loaded()) {
    if (plugin->is_line()) RunLine(*plugin, flats, guards, report);
  }
  std::vector<CallError> config_failures;  // the same failures RunLine reports already
  const std::string config = AnalyzerConfig(host, registry, config_failures).dump();
  for (const auto& plugin : host.loaded()) {
    if (plugin->is_analyzer()) RunAnalyzer(*plugin, flats, guards, config, report);
  }
  return report;
}

std::string GroupValue(const Case& c, const std::string& by) {
  std::string value;
  if (by == "industry") value = c.business.industry;
  if (by == "country") value = c.business.country;
  if (by == "size")
    value = std::string(sdk::NameOf(sdk::kSizeNames, static_cast<unsigned>(c.business.size)));
  if (by == "year" && c.business.founded) value = std::to_string(*c.business.founded);
  return value.empty() ? "(not stated)" : value;
}

GroupedReport AnalyzeGrouped(const PluginHost& host, const Registry& registry,
                             std::span<const Case> cases, const std::string& by) {
  std::map<std::string, std::vector<Case>> groups;
  for (const Case& c : cases) groups[GroupValue(c, by)].push_back(c);
  GroupedReport out;
  out.by = by;
  for (auto& [value, members] : groups) {
    if (value == "(not stated)") continue;
    out.groups.push_back({value, Analyze(host, registry, members)});
  }
  if (auto it = groups.find("(not stated)"); it != groups.end()) {
    out.groups.push_back({it->first, Analyze(host, registry, it->second)});
  }
  return out;
}

nlohmann::ordered_json GroupedReport::ToJson() const {
  nlohmann::ordered_json out;
  out["bmil_version"] = BMIL_VERSION;
  out["group_by"] = by;
  out["groups"] = nlohmann::ordered_json::array();
  for (const auto& g : groups) {
    out["groups"].push_back(
        {{"group", g.value}, {"cases", g.report.cases.size()}, {"report", g.report.ToJson()}});
  }
  return out;
}

nlohmann::ordered_json AnalysisReport::ToJson() const {
  nlohmann::ordered_json out;
  out["bmil_version"] = BMIL_VERSION;
  out["cases"] = cases;
  out["lines"] = nlohmann::ordered_json::array();
  for (const auto& l : lines) {
    out["lines"].push_back({{"plugin", l.plugin},
                            {"isolation", IsolationName(l.isolation)},
                            {"descriptor", l.descriptor},
                            {"assessments", l.assessments},
                            {"proposals", l.proposals}});
  }
  out["analyzers"] = nlohmann::ordered_json::array();
  for (const auto& a : analyzers) {
    out["analyzers"].push_back({{"plugin", a.plugin},
                                {"isolation", IsolationName(a.isolation)},
                                {"descriptor", a.descriptor},
                                {"result", a.result}});
  }
  out["failures"] = nlohmann::ordered_json::array();
  for (const auto& f : failures) {
    out["failures"].push_back(
        {{"plugin", f.plugin}, {"call", f.call}, {"status", f.status}, {"message", f.message}});
  }
  return out;
}

}  // namespace bmil
