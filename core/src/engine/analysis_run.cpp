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

}  // namespace

nlohmann::json ListingOptions::ToJson() const {
  if (all) return {{"all", true}};
  if (max_rows > 0) return {{"max_rows", max_rows}};
  return nullptr;
}

nlohmann::json AnalyzerConfig(const PluginHost& host, const Registry& registry,
                              std::vector<CallError>& failures, const ListingOptions& listing) {
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
  nlohmann::json config = {{"lines", std::move(lines)}};
  if (nlohmann::json l = listing.ToJson(); !l.is_null()) config["listing"] = std::move(l);
  return config;
}

std::uint64_t LineThreats::EvidenceKey(const std::string& code, const nlohmann::json& evidence) {
  // FNV-1a over the code, a newline and the evidence's JSON text: stable within a run,
  // which is all the key is for.
  std::uint64_t h = 14695981039346656037ull;
  auto add = [&h](std::string_view text) {
    for (const char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
  };
  add(code);
  add("\n");
  add(evidence.dump());
  return h;
}

struct AnalysisRun::Impl {
  const PluginHost& host;
  const Registry& registry;
  LineResultSink* sink;
  AnalysisReport report;
  struct Line {
    const LoadedPlugin* plugin;
    std::unique_ptr<PluginInstance> instance;  // null when create failed
  };
  struct Analyzer {
    const LoadedPlugin* plugin;
    std::unique_ptr<PluginInstance> instance;  // null when create failed
    bool ok = true;                            // every add so far succeeded
  };
  std::vector<Line> lines;          // parallel to report.lines
  std::vector<Analyzer> analyzers;  // parallel to report.analyzers

  Impl(const PluginHost& h, const Registry& r, LineResultSink* s, const ListingOptions& listing)
      : host(h), registry(r), sink(s) {
    for (const auto& plugin : host.loaded()) {
      if (!plugin->is_line()) continue;
      LineReport line{plugin->id(), nullptr, {}, {}, false, plugin->isolation()};
      auto created = plugin->Create();
      std::unique_ptr<PluginInstance> instance;
      if (auto* i = Value(created, report.failures))
        instance = std::make_unique<PluginInstance>(std::move(*i));
      if (instance == nullptr) {
        line.failed = true;
      } else {
        auto described = instance->Describe();
        if (auto* d = Value(described, report.failures))
          line.descriptor = std::move(*d);
        else
          line.failed = true;
      }
      report.lines.push_back(std::move(line));
      lines.push_back({plugin.get(), std::move(instance)});
    }
    std::vector<CallError> config_failures;  // the same failures the lines reported already
    const std::string config = AnalyzerConfig(host, registry, config_failures, listing).dump();
    for (const auto& plugin : host.loaded()) {
      if (!plugin->is_analyzer()) continue;
      AnalyzerReport out{plugin->id(), nullptr, nullptr, plugin->isolation()};
      auto created = plugin->Create(config);
      std::unique_ptr<PluginInstance> instance;
      if (auto* i = Value(created, report.failures))
        instance = std::make_unique<PluginInstance>(std::move(*i));
      if (instance != nullptr) {
        auto described = instance->Describe();
        if (auto* d = Value(described, report.failures)) out.descriptor = std::move(*d);
      }
      report.analyzers.push_back(std::move(out));
      analyzers.push_back({plugin.get(), std::move(instance), true});
    }
  }

  void NoteThreats(const nlohmann::json& assessment) {
    LineThreats& t = report.threats;
    for (const auto& threat : assessment.value("threats", nlohmann::json::array())) {
      if (!threat.value("triggered", false)) continue;
      const std::string code = threat.value("code", "");
      const nlohmann::json evidence = threat.value("evidence", nlohmann::json::array());
      if (report.cases.size() <= 1) {
        t.entries.push_back({code, threat.value("threat", ""), threat.value("source", ""),
                             assessment.value("business_model", ""), evidence});
      }
      LineThreats::Tally& tally = t.tallies[code];
      if (tally.models.empty()) {
        tally.threat = threat.value("threat", "");
        tally.source = threat.value("source", "");
      }
      ++tally.models[LineThreats::EvidenceKey(code, evidence)];
    }
  }

  void Add(const Case& c) {
    report.cases.push_back(c.business.id);
    if (report.cases.size() == 2) report.threats.entries = {};  // tallies from now on
    const FlatCase flat(c, registry);
    const bmil_case_view& view = flat.view();
    ViewGuard guard;  // the view as it was built, to check after every in-process call
    guard.Take(view);
    for (std::size_t l = 0; l < lines.size(); ++l) {
      PluginInstance* instance = lines[l].instance.get();
      if (instance == nullptr) continue;
      LineReport& line = report.lines[l];
      for (uint32_t m = 0; m < view.business_model_count; ++m) {
        auto assessed = instance->Assess(view, m);
        if (auto wrote = WroteInto(*lines[l].plugin, "assess", guard, view))
          assessed = *std::move(wrote);
        if (auto* a = Value(assessed, report.failures)) {
          NoteThreats(*a);
          if (sink != nullptr) {
            sink->OnAssessment(l, *a);
          } else {
            line.assessments.push_back(std::move(*a));
          }
        } else {
          line.failed = true;
        }
        auto proposed = instance->Propose(view, m);
        if (auto wrote = WroteInto(*lines[l].plugin, "propose", guard, view))
          proposed = *std::move(wrote);
        if (auto* p = Value(proposed, report.failures)) {
          if (sink != nullptr) {
            sink->OnProposal(l, *p);
          } else {
            line.proposals.push_back(std::move(*p));
          }
        } else {
          line.failed = true;
        }
      }
    }
    for (Analyzer& a : analyzers) {
      if (a.instance == nullptr || !a.ok) continue;
      auto error = a.instance->Add(view);
      if (!error) error = WroteInto(*a.plugin, "add", guard, view);
      if (error) {
        report.failures.push_back(*error);
        a.ok = false;  // the accumulator is incomplete: its result would be wrong, not partial
      }
    }
  }

  AnalysisReport Finish() {
    for (std::size_t i = 0; i < analyzers.size(); ++i) {
      Analyzer& a = analyzers[i];
      if (a.instance == nullptr || !a.ok) continue;
      auto finished = a.instance->Finish();
      if (auto* r = Value(finished, report.failures)) report.analyzers[i].result = std::move(*r);
    }
    return std::move(report);
  }
};

AnalysisRun::AnalysisRun(const PluginHost& host, const Registry& registry, LineResultSink* sink,
                         const ListingOptions& listing)
    : impl_(std::make_unique<Impl>(host, registry, sink, listing)) {}
AnalysisRun::~AnalysisRun() = default;
void AnalysisRun::Add(const Case& c) { impl_->Add(c); }
AnalysisReport AnalysisRun::Finish() { return impl_->Finish(); }

AnalysisReport Analyze(const PluginHost& host, const Registry& registry,
                       std::span<const Case> cases) {
  AnalysisRun run(host, registry);
  for (const Case& c : cases) run.Add(c);
  return run.Finish();
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
