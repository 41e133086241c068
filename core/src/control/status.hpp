// The status of a plan on a day (docs/control.md, "Status"): per KPI the latest actual
// against the target trajectory and the band, a trend forecast and an individuals (XmR)
// chart of the gap to plan; per milestone on time or late and earned value; and alerts with
// a lifecycle counted in check-ins. Computed from the plan and the events of its log that
// were recorded by that day only, so a status as of a past day is the one that was true
// then, to the byte.
#ifndef BMIL_CORE_CONTROL_STATUS_HPP_
#define BMIL_CORE_CONTROL_STATUS_HPP_

#include "control/checkin_log.hpp"
#include "control/plan.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace bmil::control {

// Documented thresholds (docs/control.md, "Status").
inline constexpr double kOnTrackGap = -0.05;  // a gap at or above this is on track
inline constexpr double kAtRiskGap = -0.15;   // at or above this (and below on track): at risk
inline constexpr std::size_t kMinChartPoints = 6;
inline constexpr double kLowConfidence = 0.5;

struct StatusOptions {
  std::string as_of;       // YYYY-MM-DD; events recorded later are not counted
  bool run_rules = false;  // Western Electric rules 2 to 4 besides rule 1
  int alert_after = 2;     // consecutive check-ins a condition holds before its alert fires
};

enum class KpiState { kNoData, kOnTrack, kAtRisk, kOffTrack };
enum class BandPosition { kNone, kBelow, kInside, kAbove };
const char* KpiStateName(KpiState s);
const char* BandPositionName(BandPosition b);

struct Actual {
  std::string date;
  double value = 0;
  std::int64_t seq = 0;  // the event that recorded it
  std::int64_t day = 0;  // DayNumber(date)
};

// An individuals and moving range chart of the gap to plan (actual − target on its day), over
// the actuals since the KPI's last rebaseline (a new plan starts a new chart).
struct ControlChart {
  bool ready = false;  // at least kMinChartPoints actuals
  double center = 0, mr_bar = 0, sigma = 0, lower = 0, upper = 0, mr_upper = 0;
  std::vector<double> gaps;  // one per actual, in date order
  struct Signal {
    std::size_t index = 0;  // into gaps
    std::string date;
    int rule = 1;
  };
  std::vector<Signal> signals;
};

struct KpiStatus {
  const Kpi* kpi = nullptr;
  std::vector<Actual> actuals;  // by date, the latest recorded value of each day
  std::vector<Target> targets;  // in force on the day
  int rebaselines = 0;
  std::string rebaselined_on;  // the day of the last rebaseline: its chart starts there
  std::optional<Actual> latest;
  std::optional<double> target;    // the trajectory on the latest actual's day
  std::optional<double> p10, p90;  // the band on that day
  std::optional<double> gap;       // relative, > 0 better than target
  KpiState state = KpiState::kNoData;
  BandPosition band = BandPosition::kNone;
  bool worse_than_band = false;
  std::optional<double> forecast;  // the trend's value on the last target's day
  std::optional<double> forecast_gap;
  ControlChart chart;
};

enum class Timing {
  kNotDue,
  kOnTime,
  kNotStarted,
  kLate,
  kCompletedOnTime,
  kCompletedLate,
  kAbandoned
};
const char* TimingName(Timing t);

struct MilestoneStatus {
  const Milestone* milestone = nullptr;
  bool unplanned = false;  // a new task a check-in added
  TaskStatus status = TaskStatus::kPlanned;
  double progress = 0;
  std::optional<double> spent;
  std::string completed;  // the day it was reported completed
  Timing timing = Timing::kNotDue;
  std::int64_t days_late = 0;
  std::optional<double> planned_value, earned_value, actual_cost;  // person-months
};

// The canvas the tasks build against the one the plan chose: the cells (model x line x
// block) of the milestones and new tasks that are ongoing or completed, against the plan's.
struct Drift {
  std::vector<CanvasCell> planned, led;
  std::vector<CanvasCell> planned_not_led, unplanned;  // unplanned: led, not in the plan
  std::vector<std::string> lines_planned, lines_not_led;
  double corner_planned = 0, corner_led = 0;  // the classic corner's share of the cells
  std::size_t unplanned_in_corner = 0;
  // Sliding back into the classic corner: cells outside the plan in the corner, and a
  // larger corner share than the plan's.
  bool sliding = false;
};

enum class AlertState { kPending, kFiring, kResolved };
const char* AlertStateName(AlertState s);

struct Alert {
  std::string id;  // e.g. kpi.profit.off_track, task.f1.late, confidence.low
  std::string message;
  AlertState state = AlertState::kPending;
  std::int64_t since = 0;  // the check-in it began (pending) at
  std::string since_date;
  std::int64_t until = 0;  // resolved at this check-in
  int checkins = 0;        // check-ins it held
};

struct Status {
  std::string as_of;
  std::int64_t counted = 0;  // events recorded by the day
  std::int64_t total = 0;    // events in the log (not written: unknown on the day)
  std::string head;          // the hash of the last event counted
  std::vector<KpiStatus> kpis;
  std::vector<MilestoneStatus> milestones;  // the plan's, then the new tasks
  std::deque<Milestone> added;              // the new tasks, as milestones without a due day
  Drift drift;
  std::optional<double> spi, cpi;
  double planned_value = 0, earned_value = 0, actual_cost = 0;
  std::optional<double> confidence;
  std::string confidence_date;
  std::vector<std::pair<std::string, std::string>> notes;  // day, text: the latest first
  std::vector<Alert> alerts;                               // firing, pending, resolved
  bool run_rules = false;
  int alert_after = 2;
  bool Firing() const;

  // Not copyable: milestones point into `added` (and, like kpis, into the plan, which must
  // outlive the status).
  Status() = default;
  Status(const Status&) = delete;
  Status& operator=(const Status&) = delete;
  Status(Status&&) = default;
  Status& operator=(Status&&) = default;
};

// The status of `plan` on options.as_of from `events` (a whole chain, ReadLog's).
Status ComputeStatus(const Plan& plan, const std::vector<Event>& events,
                     const StatusOptions& options);

// The target trajectory of `kpi` with `targets` on `day`: linear by day between the baseline
// and the targets (flat before the first point and after the last); the band likewise,
// from zero width at the baseline.
struct Trajectory {
  double value = 0;
  std::optional<double> p10, p90;
};
std::optional<Trajectory> TrajectoryOn(const Kpi& kpi, const std::vector<Target>& targets,
                                       const std::string& day);

// The drift of the tasks in `milestones` from `plan`'s canvas.
Drift DriftOf(const Plan& plan, const std::vector<MilestoneStatus>& milestones);

// The chart of `gaps` (dates alongside), rule 1 always, rules 2-4 when `run_rules`.
ControlChart Chart(const std::vector<double>& gaps, const std::vector<std::string>& dates,
                   bool run_rules);

nlohmann::ordered_json StatusJson(const Plan& plan, const Status& status);
// The status as one self-contained HTML page in the report's style (status_html.cpp).
std::string StatusHtml(const Plan& plan, const Status& status);
std::string StatusText(const Plan& plan, const Status& status, bool markdown);

}  // namespace bmil::control

#endif  // BMIL_CORE_CONTROL_STATUS_HPP_
