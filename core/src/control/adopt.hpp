// From a decision record to a plan (docs/control.md, "The plan"): reading the record that
// `bmil scenario decide` writes (docs/schema/decision.schema.json) with located problems,
// and adopting it.
#ifndef BMIL_CORE_CONTROL_ADOPT_HPP_
#define BMIL_CORE_CONTROL_ADOPT_HPP_

#include <bmil/case_io.hpp>
#include <bmil/model.hpp>

#include "control/plan.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::control {

struct DecisionLimits {
  std::size_t max_bytes = 16u << 20;
  std::size_t max_depth = 16;
  std::size_t max_series = 20000;
  std::size_t max_years = 50;
  std::size_t max_tasks = 10000;
  std::size_t max_errors = 200;
};

struct SeriesBand {
  int year = 0;
  double mean = 0, p10 = 0, p50 = 0, p90 = 0;
};

struct ExpectedSeries {
  std::string id, kpi, business_model, unit, label;
  std::vector<SeriesBand> years;
};

struct DecisionTask {
  std::string id, business_model;
  std::vector<std::string> building_blocks, leadership_lines;
  TaskStatus status = TaskStatus::kPlanned;
  std::string start, end;  // partial dates as in the case, "" when null
  std::optional<double> effort;
};

// What a plan needs of a decision record (the reader checks the whole record).
struct Decision {
  std::string decided, why;
  std::string scenario_id, scenario_name;
  std::string base_file, base_xxh3, business;
  std::vector<std::string> leadership_lines;
  std::vector<DecisionTask> tasks;
  std::vector<ExpectedSeries> kpis;
};

struct DecisionReadResult {
  std::optional<Decision> value;  // set iff problems is empty
  std::vector<Diagnostic> problems;
};

// Reads a decision record. Never throws; problems are located, with did-you-mean.
DecisionReadResult ReadDecision(std::string_view text, const std::string& file,
                                const DecisionLimits& limits = {});

struct AdoptOptions {
  std::string id;                         // the plan's id; "" for the scenario's id
  std::vector<std::string> kpi_patterns;  // keep the series matching one ("" = all)
  std::vector<Kpi> manual_kpis;           // added as they are
};

struct AdoptResult {
  std::optional<Plan> value;
  std::vector<std::string> problems;  // why there is no plan
};

// The plan of `decision` (read from `decision_file`, whose bytes hash to `decision_xxh3`),
// with baselines from `base`, the decision's base case.
AdoptResult Adopt(const Decision& decision, const std::string& decision_file,
                  const std::string& decision_xxh3, const Case& base, const AdoptOptions& options);

// Whether `text` matches `pattern`, where '*' matches any run of characters.
bool GlobMatch(std::string_view pattern, std::string_view text);

// A manual KPI from `--add-kpi` text: comma-separated key=value pairs id, label, unit,
// direction (up|down), baseline=VALUE (on the decision's day) and one or more
// target=YYYY-MM-DD:VALUE. Sets `error` and returns
// nothing when the text is not one.
std::optional<Kpi> ParseKpiSpec(std::string_view spec, std::string& error);

}  // namespace bmil::control

#endif  // BMIL_CORE_CONTROL_ADOPT_HPP_
