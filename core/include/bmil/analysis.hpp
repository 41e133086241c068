// Running the loaded plugins over cases: every line assesses and proposes for every
// business model, every analyzer accumulates every case and finishes. A failing plugin
// call is recorded with the plugin and the call; every other plugin's results stay whole.
#ifndef BMIL_ANALYSIS_HPP_
#define BMIL_ANALYSIS_HPP_

#include <bmil/model.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
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

// The threats the line plugins' assessments triggered (the text report lists them): each
// one while the run covers one case, and per threat code a tally over all cases (a list
// of every model of thousands of businesses helps nobody, and would grow with them).
struct LineThreats {
  struct Entry {
    std::string code, threat, source, business_model;
    nlohmann::json evidence;
  };
  std::vector<Entry> entries;  // every triggered threat; emptied when a second case comes
  struct Tally {
    std::string threat, source;  // of the first one seen
    // Business models per threat instance, keyed by EvidenceKey(code, evidence): an
    // analyzer's finding with the same key reports the same threat (text_report.cpp).
    std::map<std::uint64_t, std::size_t> models;
  };
  std::map<std::string, Tally> tallies;  // by threat code

  // A 64-bit key of a threat's code and evidence (their JSON text).
  static std::uint64_t EvidenceKey(const std::string& code, const nlohmann::json& evidence);
};

struct AnalysisReport {
  std::vector<std::string> cases;  // business ids, in input order
  std::vector<LineReport> lines;   // assessments and proposals empty in a streamed run
  std::vector<AnalyzerReport> analyzers;
  std::vector<CallError> failures;
  LineThreats threats;

  // {"bmil_version","cases","lines":[...],"analyzers":[...],"failures":[...]}
  nlohmann::ordered_json ToJson() const;
};

// How much the analyzers list (bmil --max-rows N, --all; docs/analyses.md, "Listings"):
// by default each analyzer's own caps (200 rows per listing table, 20 findings of their own,
// 10 evidence lines). Every count and metric covers all cases whatever the caps.
struct ListingOptions {
  std::size_t max_rows = 0;  // > 0: cap every listing at this many rows
  bool all = false;          // lift every cap (the state then grows with the cases)
  // {"max_rows": N} or {"all": true}; null when neither is set.
  nlohmann::json ToJson() const;
};

// The configuration every analyzer instance is created with (a JSON object):
// {"lines": [<describe() output of every loaded line plugin, in registry order>],
//  "listing": <ListingOptions::ToJson(), when set>}, so that analyzers can use the lines'
// codes, guiding questions and threat rules without calling other plugins. Describe
// failures are appended to `failures`.
nlohmann::json AnalyzerConfig(const PluginHost& host, const Registry& registry,
                              std::vector<CallError>& failures, const ListingOptions& listing = {});

// Where a streamed run sends the line plugins' results instead of keeping them.
class LineResultSink {
 public:
  virtual ~LineResultSink() = default;
  // `line` indexes AnalysisReport::lines; results come in case, then model order.
  virtual void OnAssessment(std::size_t line, const nlohmann::json& assessment) = 0;
  virtual void OnProposal(std::size_t line, const nlohmann::json& proposal) = 0;
};

// A sink that keeps nothing: for outputs that need only the threat tallies the run keeps
// itself (the text and HTML reports).
class DiscardLineResults : public LineResultSink {
 public:
  void OnAssessment(std::size_t, const nlohmann::json&) override {}
  void OnProposal(std::size_t, const nlohmann::json&) override {}
};

// Every loaded plugin of `host` over cases given one at a time, so that memory does not
// grow with their number (docs/scaling.md): the line plugins and the analyzers are created
// once; Add() builds the case's view, has every line assess and propose for each of its
// business models and every analyzer add it, and keeps nothing of the case. An analyzer
// whose add fails gets no further case and no finish (its result would be wrong, not
// partial). Thread-compatible; plugins are called from the calling thread.
class AnalysisRun {
 public:
  // With `sink` null every assessment and proposal is kept in the report; else each goes
  // to the sink as it comes and the report keeps only the threat tallies.
  AnalysisRun(const PluginHost& host, const Registry& registry, LineResultSink* sink = nullptr,
              const ListingOptions& listing = {});
  ~AnalysisRun();
  AnalysisRun(const AnalysisRun&) = delete;
  AnalysisRun& operator=(const AnalysisRun&) = delete;

  // `c` must be valid against the registry.
  void Add(const Case& c);
  // Finishes every analyzer; call once, after the last Add.
  AnalysisReport Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs every loaded plugin of `host` over `cases` (validated against `registry`): an
// AnalysisRun that keeps every result. Thread-compatible.
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
