// `bmil scenario compare` (docs/scenarios.md, "Comparing scenarios"): the base case and each
// scenario applied to it, side by side: structural deltas from every loaded analyzer
// (structural.hpp) and financial consequences from a consequence model (consequences.hpp),
// with P(best), regret and P(A beats B) across them. Rendered as JSON, text, Markdown or CSV.
#ifndef BMIL_CORE_SCENARIO_COMPARE_HPP_
#define BMIL_CORE_SCENARIO_COMPARE_HPP_

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include "scenario/consequences.hpp"
#include "scenario/scenario.hpp"
#include "scenario/structural.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bmil::scenario {

struct CompareOptions {
  SamplerOptions sampler;
  unsigned threads = 1;
  // Unset: taken from the scenarios (which must agree) or, for the first year, the year after
  // the base's last task year (1 when the base dates no task).
  std::optional<std::int32_t> first_year;
  std::optional<std::uint32_t> years;
  std::optional<double> discount_rate;
  std::string model;            // the consequence model's plugin id; "" = value_formula, else
                                // the only model loaded
  bool include_base = true;     // a column for the base as it is (model defaults)
  bool per_draw = false;        // the regret table: every draw's NPV and regret per column
  bool check_base_hash = true;  // false: --any-base
};

struct Column {
  std::string id;    // the scenario's id, or "base"
  std::string name;  // its name, or the base business's name
  std::string file;  // the scenario file ("" for the base)
  std::string rationale;
  Case applied;
  AnalysisReport report;
  std::optional<StructuralDelta> structural;  // against the base (none for the base column)
  std::optional<Consequences> consequences;   // when a model ran
};

struct CompareReport {
  std::string base_file;
  std::string base_xxh3;
  std::string base_id;
  std::string model_id, model_version;  // "" when no model ran
  SamplerOptions sampler;
  std::int32_t first_year = 1;
  std::uint32_t years = 5;
  double discount_rate = 0.08;
  std::vector<Column> columns;
  std::optional<Comparison> comparison;  // when at least two columns have NPVs
  std::vector<CallError> failures;
  std::vector<std::string> notes;  // e.g. no model loaded, a scenario driver the model ignores
  bool per_draw = false;           // write the regret table (CompareOptions::per_draw)
};

struct CompareResult {
  std::optional<CompareReport> report;
  std::vector<Diagnostic> problems;  // invalid input (exit 1)
  std::string usage;                 // a command-line problem (exit 2)
};

// Applies every scenario to the base (given as its file's bytes) and compares.
CompareResult RunCompare(const PluginHost& host, const Registry& registry,
                         const std::string& base_file, const std::string& base_text,
                         const std::vector<Scenario>& scenarios, const CompareOptions& options);

nlohmann::ordered_json CompareJson(const CompareReport& report);
// Plain text (80 columns) or Markdown.
std::string CompareText(const CompareReport& report, bool markdown);
// One self-contained HTML page (no script, no network; print-friendly): NPV table, head to
// head, fan charts, tornados, canvases (cells a scenario covers marked), structural changes,
// assumptions. `registry` names lines and blocks (compare_html.cpp).
std::string CompareHtml(const CompareReport& report, const Registry& registry);
// One row per value: scenario,section,item,business_model,year,value,mean,p10,p50,p90.
std::string CompareCsv(const CompareReport& report);

// The decision record of the first scenario column of `report` (docs/scenarios.md,
// "Decision records"): which scenario (with the XXH3-128 of its file, `scenario_xxh3`), on
// which base, why and when, the strategy and planned tasks of the case it leads to, and the
// expected P10-P50-P90 of every KPI series and of the NPV.
nlohmann::ordered_json DecisionJson(const CompareReport& report, const std::string& why,
                                    const std::string& date, const std::string& scenario_xxh3);

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_COMPARE_HPP_
