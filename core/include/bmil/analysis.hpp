// Running the loaded plugins over cases: every line assesses and proposes for every
// business model, every analyzer accumulates every case and finishes. A failing plugin
// call is recorded with the plugin and the call; every other plugin's results stay whole.
#ifndef BMIL_ANALYSIS_HPP_
#define BMIL_ANALYSIS_HPP_

#include <bmil/model.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <vector>

namespace bmil {

struct LineReport {
  std::string plugin;
  nlohmann::json descriptor;                    // from describe
  std::vector<nlohmann::json> assessments;      // one per business model (all cases)
  std::vector<nlohmann::json> proposals;        // one per business model (all cases)
  bool failed = false;                          // a call failed: see AnalysisReport::failures
  Isolation isolation = Isolation::kInProcess;  // where the plugin ran
};

struct AnalyzerReport {
  std::string plugin;
  nlohmann::json descriptor;
  nlohmann::json result;                        // result model; null when the analyzer failed
  Isolation isolation = Isolation::kInProcess;  // where the plugin ran
};

struct AnalysisReport {
  std::vector<std::string> cases;  // business ids, in input order
  std::vector<LineReport> lines;
  std::vector<AnalyzerReport> analyzers;
  std::vector<CallError> failures;

  // {"bmil_version","cases","lines":[...],"analyzers":[...],"failures":[...]}
  nlohmann::ordered_json ToJson() const;
};

// The configuration every analyzer instance is created with (a JSON object):
// {"lines": [<describe() output of every loaded line plugin, in registry order>]}, so that
// analyzers can use the lines' codes, guiding questions and threat rules without calling
// other plugins. Describe failures are appended to `failures`.
nlohmann::json AnalyzerConfig(const PluginHost& host, const Registry& registry,
                              std::vector<CallError>& failures);

// Runs every loaded plugin of `host` over `cases` (validated against `registry`).
// Thread-compatible; plugins are called from the calling thread.
AnalysisReport Analyze(const PluginHost& host, const Registry& registry,
                       std::span<const Case> cases);

// The businesses split by one attribute, each group analyzed on its own.
struct GroupedReport {
  std::string by;  // "industry", "country", "size" or "year"
  struct Group {
    std::string value;  // the attribute's value; "(not stated)" when the case has none
    AnalysisReport report;
  };
  std::vector<Group> groups;  // sorted by value, "(not stated)" last

  // {"bmil_version","group_by","groups":[{"group","cases","report"}]}
  nlohmann::ordered_json ToJson() const;
};

// The value of attribute `by` (industry, country, size, year = year founded) of case `c`,
// or "(not stated)".
std::string GroupValue(const Case& c, const std::string& by);

// Analyze() for each group of `cases` by attribute `by`.
GroupedReport AnalyzeGrouped(const PluginHost& host, const Registry& registry,
                             std::span<const Case> cases, const std::string& by);

}  // namespace bmil

#endif  // BMIL_ANALYSIS_HPP_
