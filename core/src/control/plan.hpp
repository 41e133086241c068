// A strategy plan (docs/control.md, docs/schema/plan.schema.json): the KPIs with their
// baselines, targets and bands, the milestones and the strategy a decision record commits
// to. Written once by `bmil plan adopt`; everything later is an event of its check-in log
// (checkin_log.hpp).
#ifndef BMIL_CORE_CONTROL_PLAN_HPP_
#define BMIL_CORE_CONTROL_PLAN_HPP_

#include <bmil/case_io.hpp>
#include <bmil/model.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::control {

inline constexpr std::string_view kPlanFormatVersion = "1.0";

// Size and depth limits of a plan file (docs/control.md).
struct PlanLimits {
  std::size_t max_bytes = 4u << 20;
  std::size_t max_depth = 16;
  std::size_t max_kpis = 20000;
  std::size_t max_targets = 200;
  std::size_t max_milestones = 10000;
  std::size_t max_errors = 200;
};

enum class Direction { kUp, kDown };
const char* DirectionName(Direction d);

// The target of a KPI at a date and, for a KPI from the scenario, its band.
struct Target {
  std::string date;  // YYYY-MM-DD
  double value = 0;
  std::optional<double> p10, p90;
};

struct Kpi {
  std::string id;
  std::string label;
  std::string unit;
  Direction direction = Direction::kUp;
  std::string business_model;  // "" for the business
  bool manual = false;         // source "manual" (else "scenario")
  std::optional<double> baseline;
  std::string baseline_date;    // when baseline
  std::vector<Target> targets;  // dates increasing
};

struct CanvasCell {
  std::string business_model, line, block;
  bool operator==(const CanvasCell&) const = default;
  auto operator<=>(const CanvasCell&) const = default;
};

struct Milestone {
  std::string id;
  std::string business_model;
  std::vector<std::string> leadership_lines, building_blocks;
  TaskStatus status = TaskStatus::kPlanned;  // planned or ongoing
  std::string start;                         // YYYY-MM-DD
  std::string due;                           // YYYY-MM-DD, "" when none
  std::optional<double> effort;              // person-months
};

struct DecisionRef {
  std::string file, xxh3, scenario, why;
};

struct Plan {
  std::string id, name, business, adopted;
  std::optional<DecisionRef> decision;
  std::vector<std::string> leadership_lines;
  std::vector<CanvasCell> cells;
  std::vector<Kpi> kpis;
  std::vector<Milestone> milestones;

  const Kpi* FindKpi(std::string_view id) const;
  const Milestone* FindMilestone(std::string_view id) const;
};

struct PlanReadResult {
  std::optional<Plan> value;  // set iff problems is empty
  std::vector<Diagnostic> problems;
};

// Reads a plan from `text` (named `file` in messages). Never throws; every problem is
// located (file:line:column and JSON pointer), unknown keys and values get a did-you-mean.
PlanReadResult ReadPlan(std::string_view text, const std::string& file,
                        const PlanLimits& limits = {});

// The plan as the JSON of the format (keys in the documented order).
nlohmann::ordered_json PlanJson(const Plan& plan);

// Whether `s` is a full date YYYY-MM-DD that exists (2011-02-29 does not).
bool IsDay(std::string_view s);
// Days since 1970-01-01 of a date IsDay accepts.
std::int64_t DayNumber(std::string_view day);
// A case's partial date ("2011", "2011-03", "2011-03-05") as a day: its first day, or its
// last when `last`; "" for a date that is not one of these.
std::string DayOf(std::string_view partial, bool last);

}  // namespace bmil::control

#endif  // BMIL_CORE_CONTROL_PLAN_HPP_
