// The status of a plan on a day (status.hpp, docs/control.md "Status").
#include "control/status.hpp"

#include "report/terminal_text.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace bmil::control {

const char* KpiStateName(KpiState s) {
  switch (s) {
    case KpiState::kNoData:
      return "no data";
    case KpiState::kOnTrack:
      return "on track";
    case KpiState::kAtRisk:
      return "at risk";
    case KpiState::kOffTrack:
      return "off track";
  }
  return "";
}

const char* BandPositionName(BandPosition b) {
  switch (b) {
    case BandPosition::kNone:
      return "";
    case BandPosition::kBelow:
      return "below";
    case BandPosition::kInside:
      return "inside";
    case BandPosition::kAbove:
      return "above";
  }
  return "";
}

const char* TimingName(Timing t) {
  switch (t) {
    case Timing::kNotDue:
      return "not due";
    case Timing::kOnTime:
      return "on time";
    case Timing::kNotStarted:
      return "not started";
    case Timing::kLate:
      return "late";
    case Timing::kCompletedOnTime:
      return "completed on time";
    case Timing::kCompletedLate:
      return "completed late";
    case Timing::kAbandoned:
      return "abandoned";
  }
  return "";
}

const char* AlertStateName(AlertState s) {
  switch (s) {
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
    case AlertState::kResolved:
      return "resolved";
  }
  return "";
}

bool Status::Firing() const {
  return std::any_of(alerts.begin(), alerts.end(),
                     [](const Alert& a) { return a.state == AlertState::kFiring; });
}

namespace {

// The points of a KPI's target trajectory: the baseline, then the targets, by day number.
struct TrajectoryPoint {
  std::int64_t day;
  double value;
  std::optional<double> p10, p90;
};

std::vector<TrajectoryPoint> TrajectoryPoints(const Kpi& kpi, const std::vector<Target>& targets) {
  std::vector<TrajectoryPoint> points;
  if (kpi.baseline && (targets.empty() || kpi.baseline_date < targets.front().date)) {
    points.push_back({DayNumber(kpi.baseline_date), *kpi.baseline, *kpi.baseline, *kpi.baseline});
  }
  for (const Target& t : targets) points.push_back({DayNumber(t.date), t.value, t.p10, t.p90});
  return points;
}

// The trajectory on day number `d` (points not empty): a binary search, then linear.
Trajectory TrajectoryAt(const std::vector<TrajectoryPoint>& points, std::int64_t d) {
  auto at = [](const TrajectoryPoint& p) { return Trajectory{p.value, p.p10, p.p90}; };
  if (d <= points.front().day) return at(points.front());
  if (d >= points.back().day) return at(points.back());
  const auto next =
      std::lower_bound(points.begin(), points.end(), d,
                       [](const TrajectoryPoint& p, std::int64_t x) { return p.day < x; });
  const TrajectoryPoint& b = *next;
  const TrajectoryPoint& a = *(next - 1);
  const double w = static_cast<double>(d - a.day) / static_cast<double>(b.day - a.day);
  auto mix = [w](double x, double y) { return x + (y - x) * w; };
  Trajectory t{mix(a.value, b.value), std::nullopt, std::nullopt};
  if (a.p10 && b.p10 && a.p90 && b.p90) {
    t.p10 = mix(*a.p10, *b.p10);
    t.p90 = mix(*a.p90, *b.p90);
  }
  return t;
}

}  // namespace

std::optional<Trajectory> TrajectoryOn(const Kpi& kpi, const std::vector<Target>& targets,
                                       const std::string& day) {
  const std::vector<TrajectoryPoint> points = TrajectoryPoints(kpi, targets);
  if (points.empty()) return std::nullopt;
  return TrajectoryAt(points, DayNumber(day));
}

Drift DriftOf(const Plan& plan, const std::vector<MilestoneStatus>& milestones) {
  Drift d;
  d.planned = plan.cells;
  const std::set<CanvasCell> planned(plan.cells.begin(), plan.cells.end());
  std::set<CanvasCell> led;
  for (const MilestoneStatus& m : milestones) {
    if (m.status != TaskStatus::kOngoing && m.status != TaskStatus::kCompleted) continue;
    for (const std::string& line : m.milestone->leadership_lines) {
      for (const std::string& block : m.milestone->building_blocks) {
        led.insert({m.milestone->business_model, line, block});
      }
    }
  }
  d.led.assign(led.begin(), led.end());
  std::set<std::string> lines(plan.leadership_lines.begin(), plan.leadership_lines.end());
  std::set<std::string> lines_led;
  for (const CanvasCell& c : plan.cells) lines.insert(c.line);
  for (const CanvasCell& c : led) lines_led.insert(c.line);
  d.lines_planned.assign(lines.begin(), lines.end());
  for (const std::string& l : lines) {
    if (lines_led.count(l) == 0) d.lines_not_led.push_back(l);
  }
  std::size_t corner_planned = 0, corner_led = 0;
  for (const CanvasCell& c : planned) {
    corner_planned += sdk::InClassicCorner(c.line, c.block);
    if (led.count(c) == 0) d.planned_not_led.push_back(c);
  }
  for (const CanvasCell& c : led) {
    const bool corner = sdk::InClassicCorner(c.line, c.block);
    corner_led += corner;
    if (planned.count(c) == 0) {
      d.unplanned.push_back(c);
      d.unplanned_in_corner += corner;
    }
  }
  if (!planned.empty()) {
    d.corner_planned = static_cast<double>(corner_planned) / static_cast<double>(planned.size());
  }
  if (!led.empty()) {
    d.corner_led = static_cast<double>(corner_led) / static_cast<double>(led.size());
  }
  d.sliding = d.unplanned_in_corner > 0 && d.corner_led > d.corner_planned;
  return d;
}

ControlChart Chart(const std::vector<double>& gaps, const std::vector<std::string>& dates,
                   bool run_rules) {
  ControlChart c;
  c.gaps = gaps;
  const std::size_t n = gaps.size();
  if (n < kMinChartPoints) return c;
  c.ready = true;
  double sum = 0;
  for (double g : gaps) sum += g;
  c.center = sum / static_cast<double>(n);
  double mr = 0;
  for (std::size_t i = 1; i < n; ++i) mr += std::fabs(gaps[i] - gaps[i - 1]);
  c.mr_bar = mr / static_cast<double>(n - 1);
  // Wheeler's XmR constants: 3 sigma = 2.66 MR-bar (sigma = MR-bar / 1.128), the moving
  // range's upper limit 3.268 MR-bar.
  c.sigma = c.mr_bar / 1.128;
  c.lower = c.center - 2.66 * c.mr_bar;
  c.upper = c.center + 2.66 * c.mr_bar;
  c.mr_upper = 3.268 * c.mr_bar;
  if (!(c.sigma > 0)) return c;  // every gap the same: no variation, no signal
  auto zone = [&](std::size_t i) { return (gaps[i] - c.center) / c.sigma; };
  for (std::size_t i = 0; i < n; ++i) {
    int rule = 0;
    if (std::fabs(zone(i)) > 3) {
      rule = 1;
    } else if (run_rules) {
      // The point that completes a run: 2 of 3 beyond 2 sigma, 4 of 5 beyond 1 sigma (on its
      // side), 8 in a row on one side of the centre line.
      auto count = [&](std::size_t window, double beyond) -> std::size_t {
        if (i + 1 < window) return 0;
        const double side = zone(i) > 0 ? 1 : -1;
        if (side * zone(i) <= beyond) return 0;
        std::size_t k = 0;
        for (std::size_t j = i + 1 - window; j <= i; ++j) k += side * zone(j) > beyond;
        return k;
      };
      if (const std::size_t k = count(3, 2); k >= 2) {
        rule = 2;
      } else if (const std::size_t k5 = count(5, 1); k5 >= 4) {
        rule = 3;
      } else if (i + 1 >= 8) {
        bool above = true, below = true;
        for (std::size_t j = i + 1 - 8; j <= i; ++j) {
          above = above && gaps[j] > c.center;
          below = below && gaps[j] < c.center;
        }
        if (above || below) rule = 4;
      }
    }
    if (rule != 0) c.signals.push_back({i, i < dates.size() ? dates[i] : "", rule});
  }
  return c;
}

namespace {

// The relative gap of `actual` to `target`, > 0 when better (docs/control.md).
double Gap(const Kpi& kpi, double actual, double target) {
  const double good = kpi.direction == Direction::kUp ? actual - target : target - actual;
  double scale = std::fabs(target);
  if (!(scale > 0) && kpi.baseline) scale = std::fabs(*kpi.baseline);
  if (!(scale > 0)) scale = 1;
  return good / scale;
}

KpiState StateOf(double gap) {
  return gap >= kOnTrackGap  ? KpiState::kOnTrack
         : gap >= kAtRiskGap ? KpiState::kAtRisk
                             : KpiState::kOffTrack;
}

std::string Percent(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.0f%%", x * 100);
  return text;
}

// The KPI's figures from its actuals and targets (not the chart when `chart` is false).
void Evaluate(KpiStatus& s, bool run_rules, bool chart) {
  const Kpi& kpi = *s.kpi;
  s.latest.reset();
  s.state = KpiState::kNoData;
  s.band = BandPosition::kNone;
  s.worse_than_band = false;
  s.forecast.reset();
  s.forecast_gap.reset();
  if (s.actuals.empty() || s.targets.empty()) return;
  s.latest = s.actuals.back();
  const auto t = TrajectoryOn(kpi, s.targets, s.latest->date);
  if (!t) return;
  s.target = t->value;
  s.p10 = t->p10;
  s.p90 = t->p90;
  s.gap = Gap(kpi, s.latest->value, t->value);
  s.state = StateOf(*s.gap);
  if (t->p10 && t->p90) {
    const double x = s.latest->value;
    s.band = x < *t->p10   ? BandPosition::kBelow
             : x > *t->p90 ? BandPosition::kAbove
                           : BandPosition::kInside;
    s.worse_than_band = (kpi.direction == Direction::kUp && s.band == BandPosition::kBelow) ||
                        (kpi.direction == Direction::kDown && s.band == BandPosition::kAbove);
  }
  // The least-squares line through the actuals, on the last target's day.
  if (s.actuals.size() >= 2) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    const double n = static_cast<double>(s.actuals.size());
    const double d0 = static_cast<double>(DayNumber(s.actuals.front().date));
    for (const Actual& a : s.actuals) {
      const double x = static_cast<double>(a.day) - d0;
      sx += x;
      sy += a.value;
      sxx += x * x;
      sxy += x * a.value;
    }
    const double denominator = n * sxx - sx * sx;
    if (denominator > 0) {
      const double slope = (n * sxy - sx * sy) / denominator;
      const double intercept = (sy - slope * sx) / n;
      const Target& last = s.targets.back();
      s.forecast = intercept + slope * (static_cast<double>(DayNumber(last.date)) - d0);
      if (std::isfinite(*s.forecast)) {
        s.forecast_gap = Gap(kpi, *s.forecast, last.value);
      } else {
        s.forecast.reset();
      }
    }
  }
  if (chart) {
    std::vector<double> gaps;
    const std::vector<TrajectoryPoint> points = TrajectoryPoints(kpi, s.targets);
    const auto first = std::find_if(s.actuals.begin(), s.actuals.end(),
                                    [&](const Actual& a) { return !(a.date < s.rebaselined_on); });
    for (auto a = first; a != s.actuals.end(); ++a) {
      gaps.push_back(a->value - TrajectoryAt(points, a->day).value);
    }
    s.chart = Chart(gaps, {}, run_rules);
    for (auto& signal : s.chart.signals) signal.date = (first + signal.index)->date;
  }
}

void Timings(MilestoneStatus& m, const std::string& day) {
  const Milestone& plan = *m.milestone;
  m.days_late = 0;
  if (m.status == TaskStatus::kAbandoned) {
    m.timing = Timing::kAbandoned;
  } else if (m.status == TaskStatus::kCompleted) {
    const bool late = !plan.due.empty() && m.completed > plan.due;
    m.timing = late ? Timing::kCompletedLate : Timing::kCompletedOnTime;
    if (late) m.days_late = DayNumber(m.completed) - DayNumber(plan.due);
  } else if (!plan.due.empty() && day > plan.due) {
    m.timing = Timing::kLate;
    m.days_late = DayNumber(day) - DayNumber(plan.due);
  } else if (m.status == TaskStatus::kPlanned && day > plan.start) {
    m.timing = Timing::kNotStarted;
  } else {
    m.timing = m.status == TaskStatus::kOngoing ? Timing::kOnTime : Timing::kNotDue;
  }
}

// The alert conditions that hold after a check-in on `day`: id -> message.
std::map<std::string, std::string> Conditions(const std::vector<KpiStatus>& kpis,
                                              const std::vector<MilestoneStatus>& milestones,
                                              const Drift& drift,
                                              const std::optional<double>& confidence,
                                              const std::string& day) {
  std::map<std::string, std::string> out;
  for (const KpiStatus& k : kpis) {
    if (!k.latest) continue;
    const std::string id = "kpi." + k.kpi->id;
    if (k.state == KpiState::kOffTrack) {
      out[id + ".off_track"] = k.kpi->id + " is " + Percent(*k.gap) + " against its target";
    }
    if (k.worse_than_band) {
      out[id + ".outside_band"] =
          k.kpi->id + " is " + BandPositionName(k.band) + " the band the scenario expected";
    }
    // A signal at the latest point on the bad side of the centre line (a KPI doing better
    // than its plan more than chance explains is reported, not alerted).
    const bool bad_side = !k.chart.gaps.empty() && (k.kpi->direction == Direction::kUp
                                                        ? k.chart.gaps.back() < k.chart.center
                                                        : k.chart.gaps.back() > k.chart.center);
    if (k.chart.ready && !k.chart.signals.empty() && bad_side &&
        k.chart.signals.back().index + 1 == k.chart.gaps.size()) {
      out[id + ".control"] = k.kpi->id + "'s gap to plan on " + k.latest->date +
                             " is a signal (rule " + std::to_string(k.chart.signals.back().rule) +
                             ")";
    }
  }
  for (const MilestoneStatus& m : milestones) {
    if (m.timing == Timing::kLate) {
      out["task." + m.milestone->id + ".late"] = m.milestone->id + " is " +
                                                 std::to_string(m.days_late) +
                                                 " days past its due day " + m.milestone->due;
    }
  }
  if (drift.sliding) {
    out["strategy.classic_corner"] =
        "the tasks under way lead " + std::to_string(drift.unplanned_in_corner) +
        (drift.unplanned_in_corner == 1 ? " cell" : " cells") +
        " of the classic corner the plan did not choose (" + Percent(drift.corner_led).substr(1) +
        " of the cells led are in the corner, " + Percent(drift.corner_planned).substr(1) +
        " of the planned)";
  }
  if (confidence && *confidence < kLowConfidence) {
    char text[64];
    std::snprintf(text, sizeof text, "the team's confidence is %.2f", *confidence);
    out["confidence.low"] = text;
  }
  (void)day;
  return out;
}

}  // namespace

Status ComputeStatus(const Plan& plan, const std::vector<Event>& events,
                     const StatusOptions& options) {
  Status st;
  st.as_of = options.as_of;
  st.total = static_cast<std::int64_t>(events.size());
  st.run_rules = options.run_rules;
  st.alert_after = std::max(1, options.alert_after);
  for (const Kpi& k : plan.kpis) {
    KpiStatus s;
    s.kpi = &k;
    s.targets = k.targets;
    st.kpis.push_back(std::move(s));
  }
  for (const Milestone& m : plan.milestones) {
    MilestoneStatus s;
    s.milestone = &m;
    s.status = m.status;
    st.milestones.push_back(std::move(s));
  }
  auto kpi_index = [&](const std::string& id) {
    for (std::size_t i = 0; i < plan.kpis.size(); ++i) {
      if (plan.kpis[i].id == id) return i;
    }
    return plan.kpis.size();
  };
  auto milestone_index = [&](const std::string& id) {
    for (std::size_t i = 0; i < st.milestones.size(); ++i) {
      if (st.milestones[i].milestone->id == id) return i;
    }
    return st.milestones.size();
  };
  std::map<std::string, Alert> alerts;
  for (const Event& e : events) {
    if (e.at.substr(0, 10) > options.as_of) break;  // times never go back: the rest is later
    ++st.counted;
    st.head = e.hash;
    for (const auto& [id, value] : e.kpis) {
      const std::size_t i = kpi_index(id);
      if (i == plan.kpis.size()) continue;
      std::vector<Actual>& actuals = st.kpis[i].actuals;
      const Actual a{e.date, value, e.seq, DayNumber(e.date)};
      auto it = std::lower_bound(actuals.begin(), actuals.end(), a.date,
                                 [](const Actual& x, const std::string& d) { return x.date < d; });
      if (it != actuals.end() && it->date == a.date) {
        *it = a;  // a later check-in corrects that day's figure
      } else {
        actuals.insert(it, a);
      }
    }
    if (e.rebaseline) {
      const std::size_t i = kpi_index(e.rebaseline->kpi);
      if (i < plan.kpis.size()) {
        st.kpis[i].targets = e.rebaseline->targets;
        ++st.kpis[i].rebaselines;
        st.kpis[i].rebaselined_on = e.date;
      }
    }
    for (const NewTask& t : e.new_tasks) {
      Milestone m;
      m.id = t.id;
      m.business_model = t.business_model;
      m.leadership_lines = t.leadership_lines;
      m.building_blocks = t.building_blocks;
      m.status = t.status;
      m.start = e.date;
      m.effort = t.effort;
      st.added.push_back(std::move(m));
      MilestoneStatus s;
      s.milestone = &st.added.back();
      s.unplanned = true;
      s.status = t.status;
      if (t.status == TaskStatus::kCompleted) {
        s.completed = e.date;
        s.progress = 1;
      }
      st.milestones.push_back(std::move(s));
    }
    for (const auto& [id, change] : e.tasks) {
      const std::size_t i = milestone_index(id);
      if (i == st.milestones.size()) continue;
      MilestoneStatus& m = st.milestones[i];
      if (change.status) {
        if (*change.status == TaskStatus::kCompleted && m.status != TaskStatus::kCompleted) {
          m.completed = e.date;
        }
        m.status = *change.status;
        if (m.status != TaskStatus::kCompleted) m.completed.clear();
      }
      if (change.progress) m.progress = *change.progress;
      if (m.status == TaskStatus::kCompleted) m.progress = 1;
      if (change.spent) m.spent = *change.spent;
    }
    if (e.confidence) {
      st.confidence = e.confidence;
      st.confidence_date = e.date;
    }
    if (!e.note.empty()) st.notes.emplace_back(e.date, e.note);
    // The alert conditions after this check-in, on its day.
    for (const auto& [id, value] : e.kpis) {
      if (const std::size_t i = kpi_index(id); i < plan.kpis.size()) {
        Evaluate(st.kpis[i], options.run_rules, true);
      }
    }
    if (e.rebaseline) {
      if (const std::size_t i = kpi_index(e.rebaseline->kpi); i < plan.kpis.size()) {
        Evaluate(st.kpis[i], options.run_rules, true);
      }
    }
    for (MilestoneStatus& m : st.milestones) Timings(m, e.date);
    const auto holding =
        Conditions(st.kpis, st.milestones, DriftOf(plan, st.milestones), st.confidence, e.date);
    for (auto& [id, alert] : alerts) {
      if (alert.state != AlertState::kResolved && holding.count(id) == 0) {
        alert.state = AlertState::kResolved;
        alert.until = e.seq;
      }
    }
    for (const auto& [id, message] : holding) {
      Alert& a = alerts[id];
      if (a.id.empty() || a.state == AlertState::kResolved) {
        a = Alert{id, message, AlertState::kPending, e.seq, e.date, 0, 0};
      }
      a.message = message;
      ++a.checkins;
      if (a.checkins >= st.alert_after) a.state = AlertState::kFiring;
    }
  }
  for (KpiStatus& k : st.kpis) Evaluate(k, options.run_rules, true);
  st.drift = DriftOf(plan, st.milestones);
  for (MilestoneStatus& m : st.milestones) {
    Timings(m, options.as_of);
    const Milestone& p = *m.milestone;
    if (!p.effort || m.status == TaskStatus::kAbandoned) continue;
    m.earned_value = *p.effort * m.progress;
    st.earned_value += *m.earned_value;
    if (!p.due.empty()) {
      const double whole = static_cast<double>(DayNumber(p.due) - DayNumber(p.start) + 1);
      const double done = static_cast<double>(DayNumber(options.as_of) - DayNumber(p.start) + 1);
      m.planned_value = *p.effort * std::clamp(done / whole, 0.0, 1.0);
      st.planned_value += *m.planned_value;
    }
    if (m.spent) {
      m.actual_cost = *m.spent;
      st.actual_cost += *m.spent;
    }
  }
  // SPI over the milestones with a due day, CPI over those with effort spent.
  double ev_scheduled = 0, ev_costed = 0;
  for (const MilestoneStatus& m : st.milestones) {
    if (m.planned_value) ev_scheduled += *m.earned_value;
    if (m.actual_cost) ev_costed += *m.earned_value;
  }
  if (st.planned_value > 0) st.spi = ev_scheduled / st.planned_value;
  if (st.actual_cost > 0) st.cpi = ev_costed / st.actual_cost;
  std::reverse(st.notes.begin(), st.notes.end());
  for (auto& [id, a] : alerts) st.alerts.push_back(a);
  std::stable_sort(st.alerts.begin(), st.alerts.end(), [](const Alert& a, const Alert& b) {
    auto rank = [](AlertState s) {
      return s == AlertState::kFiring ? 0 : s == AlertState::kPending ? 1 : 2;
    };
    return rank(a.state) < rank(b.state);
  });
  return st;
}

namespace {

using OJson = nlohmann::ordered_json;

OJson Optional(const std::optional<double>& x) { return x ? OJson(*x) : OJson(); }

// 1234567.8 as "1,234,568"; small magnitudes keep two decimals.
std::string Amount(double x) {
  char text[64];
  if (std::fabs(x) < 100 && x != std::floor(x)) {
    std::snprintf(text, sizeof text, "%.2f", x);
    return text;
  }
  std::snprintf(text, sizeof text, "%.0f", std::fabs(x));
  std::string digits = text, out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (x < 0 && out != "0" ? "-" : "") + out;
}

std::string Fixed2(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", x);
  return text;
}

std::string Pad(std::string s, std::size_t width, bool left = true) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

// `text` wrapped at 78 columns, each line after the first indented by `indent` spaces.
std::string Wrap(const std::string& text, std::size_t indent, std::size_t first_indent = 0) {
  std::string out(first_indent, ' '), word;
  std::size_t column = first_indent;
  std::istringstream words(text);
  bool first = true;
  while (words >> word) {
    if (!first && column + 1 + word.size() > 78) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      first = true;
    }
    if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
  }
  return out + "\n";
}

std::string FalseAlarms(bool run_rules) {
  // Per point, for independent normal data with known limits: rule 1 alone 0.27% (ARL 370);
  // rules 1-4 together ARL 91.75 (Champ and Woodall 1987), about 1.1%.
  return run_rules ? "rules 1-4 (Western Electric): about 1.1% of points give a false alarm "
                     "(average run length 92)"
                   : "rule 1 (a point beyond the 3-sigma limits): about 0.27% of points give a "
                     "false alarm (average run length 370)";
}

}  // namespace

OJson StatusJson(const Plan& plan, const Status& st) {
  OJson j;
  j["bmil_status"] = "1.0";
  j["plan"] = plan.id;
  j["business"] = plan.business;
  j["as_of"] = st.as_of;
  // Only what was known on the day: not how many events were recorded later.
  j["log"] = {{"counted", st.counted}, {"head", st.head}};
  j["firing"] = st.Firing();
  OJson alerts = OJson::array();
  for (const Alert& a : st.alerts) {
    OJson o{{"id", a.id},       {"state", AlertStateName(a.state)}, {"message", a.message},
            {"since", a.since}, {"since_date", a.since_date},       {"checkins", a.checkins}};
    o["resolved_at"] = a.state == AlertState::kResolved ? OJson(a.until) : OJson();
    alerts.push_back(std::move(o));
  }
  j["alerts"] = std::move(alerts);
  j["rules"] = {{"on_track_gap", kOnTrackGap},
                {"at_risk_gap", kAtRiskGap},
                {"chart_points", kMinChartPoints},
                {"run_rules", st.run_rules},
                {"false_alarms", FalseAlarms(st.run_rules)},
                {"alert_after", st.alert_after},
                {"low_confidence", kLowConfidence}};
  OJson kpis = OJson::array();
  for (const KpiStatus& k : st.kpis) {
    OJson o{{"id", k.kpi->id},
            {"label", k.kpi->label},
            {"unit", k.kpi->unit},
            {"direction", DirectionName(k.kpi->direction)},
            {"state", KpiStateName(k.state)}};
    o["actual"] = k.latest ? OJson{{"date", k.latest->date}, {"value", k.latest->value}} : OJson();
    o["target"] = Optional(k.target);
    o["p10"] = Optional(k.p10);
    o["p90"] = Optional(k.p90);
    o["gap"] = Optional(k.gap);
    o["band"] = k.band == BandPosition::kNone ? OJson() : OJson(BandPositionName(k.band));
    o["final_target"] = k.targets.empty() ? OJson()
                                          : OJson{{"date", k.targets.back().date},
                                                  {"value", k.targets.back().value}};
    o["forecast"] = Optional(k.forecast);
    o["forecast_gap"] = Optional(k.forecast_gap);
    o["rebaselines"] = k.rebaselines;
    OJson actuals = OJson::array();
    for (const Actual& a : k.actuals) {
      actuals.push_back({{"date", a.date}, {"value", a.value}, {"seq", a.seq}});
    }
    o["actuals"] = std::move(actuals);
    OJson chart;
    chart["ready"] = k.chart.ready;
    if (k.chart.ready) {
      chart["center"] = k.chart.center;
      chart["lower"] = k.chart.lower;
      chart["upper"] = k.chart.upper;
      chart["mr_bar"] = k.chart.mr_bar;
      chart["mr_upper"] = k.chart.mr_upper;
      OJson signals = OJson::array();
      for (const auto& s : k.chart.signals) {
        signals.push_back({{"date", s.date}, {"rule", s.rule}, {"gap", k.chart.gaps[s.index]}});
      }
      chart["signals"] = std::move(signals);
    }
    o["chart"] = std::move(chart);
    kpis.push_back(std::move(o));
  }
  j["kpis"] = std::move(kpis);
  OJson ms = OJson::array();
  for (const MilestoneStatus& m : st.milestones) {
    static const char* kNames[] = {"", "planned", "ongoing", "completed", "abandoned"};
    OJson o{{"id", m.milestone->id},    {"status", kNames[static_cast<int>(m.status)]},
            {"unplanned", m.unplanned}, {"timing", TimingName(m.timing)},
            {"days_late", m.days_late}, {"progress", m.progress}};
    o["due"] = m.milestone->due.empty() ? OJson() : OJson(m.milestone->due);
    o["completed"] = m.completed.empty() ? OJson() : OJson(m.completed);
    o["planned_value"] = Optional(m.planned_value);
    o["earned_value"] = Optional(m.earned_value);
    o["actual_cost"] = Optional(m.actual_cost);
    ms.push_back(std::move(o));
  }
  j["milestones"] = std::move(ms);
  auto cells = [](const std::vector<CanvasCell>& list) {
    OJson out = OJson::array();
    for (const CanvasCell& c : list) {
      out.push_back({{"business_model", c.business_model}, {"line", c.line}, {"block", c.block}});
    }
    return out;
  };
  const Drift& d = st.drift;
  j["drift"] = {{"planned", cells(d.planned)},
                {"led", cells(d.led)},
                {"planned_not_led", cells(d.planned_not_led)},
                {"unplanned", cells(d.unplanned)},
                {"lines_planned", d.lines_planned},
                {"lines_not_led", d.lines_not_led},
                {"classic_corner_share_planned", d.corner_planned},
                {"classic_corner_share_led", d.corner_led},
                {"unplanned_in_classic_corner", d.unplanned_in_corner},
                {"sliding_into_classic_corner", d.sliding}};
  j["earned_value"] = {{"planned_value", st.planned_value},
                       {"earned_value", st.earned_value},
                       {"actual_cost", st.actual_cost},
                       {"spi", Optional(st.spi)},
                       {"cpi", Optional(st.cpi)}};
  j["confidence"] =
      st.confidence ? OJson{{"date", st.confidence_date}, {"value", *st.confidence}} : OJson();
  OJson notes = OJson::array();
  for (const auto& [day, text] : st.notes) notes.push_back({{"date", day}, {"text", text}});
  j["notes"] = std::move(notes);
  return j;
}

std::string StatusText(const Plan& plan, const Status& st, bool md) {
  std::ostringstream out;
  const std::string h1 = md ? "# " : "", h2 = md ? "## " : "";
  auto safe = [md](const std::string& s) { return md ? MarkdownText(s) : TerminalSafe(s); };
  out << h1 << "Plan " << safe(plan.id) << " for " << safe(plan.business) << ": status as of "
      << st.as_of << "\n\n";
  out << "Check-ins by then: " << st.counted;
  if (!st.head.empty()) out << " (head " << st.counted << ":" << st.head << ")";
  out << "\n\n" << h2 << "Alerts\n\n";
  if (st.alerts.empty()) out << "None.\n";
  for (const Alert& a : st.alerts) {
    std::string when = "since " + a.since_date + ", " + std::to_string(a.checkins) +
                       (a.checkins == 1 ? " check-in" : " check-ins");
    if (a.state == AlertState::kResolved)
      when += ", resolved at check-in " + std::to_string(a.until);
    std::string state = AlertStateName(a.state);
    std::transform(state.begin(), state.end(), state.begin(), ::toupper);
    if (md) {
      out << "- **" << state << "** `" << a.id << "`: " << safe(a.message) << " (" << when << ")\n";
    } else {
      out << "  " << Pad(state, 9) << a.id << "\n"
          << Wrap(safe(a.message) + " (" + when + ")", 4, 4);
    }
  }
  out << "\n" << h2 << "KPIs\n\n";
  if (md) {
    out << "| KPI | actual | on | target | gap | band | status | forecast at the last target |\n"
        << "|---|---:|---|---:|---:|---|---|---|\n";
  }
  std::string without;
  for (const KpiStatus& k : st.kpis) {
    if (!k.latest) {
      without += (without.empty() ? "" : ", ") + safe(k.kpi->id);
      continue;
    }
    const std::string actual = Amount(k.latest->value);
    const std::string on = k.latest->date;
    const std::string target = k.target ? Amount(*k.target) : "-";
    const std::string gap = k.gap ? Percent(*k.gap) : "";
    std::string forecast;
    if (k.forecast && k.forecast_gap) {
      forecast = Amount(*k.forecast) + " (" + Percent(*k.forecast_gap) + ", " +
                 (*k.forecast_gap >= kOnTrackGap ? "meets" : "misses") + " " +
                 Amount(k.targets.back().value) + " on " + k.targets.back().date + ")";
    }
    if (md) {
      out << "| " << safe(k.kpi->id) << " | " << actual << " | " << on << " | " << target << " | "
          << gap << " | " << BandPositionName(k.band) << " | " << KpiStateName(k.state) << " | "
          << forecast << " |\n";
      continue;
    }
    const std::string id = TerminalSafe(k.kpi->id);
    if (id.size() > 22)
      out << "  " << id << "\n" << std::string(25, ' ');
    else
      out << "  " << Pad(id, 23);
    out << Pad(KpiStateName(k.state), 10) << Pad(actual, 13, false) << " vs "
        << Pad(target, 13, false) << " " << Pad(gap, 5, false)
        << (k.band == BandPosition::kNone ? "" : std::string(" ") + BandPositionName(k.band))
        << "\n";
    out << Wrap("on " + on + (k.rebaselines ? ", rebaselined" : "") +
                    (forecast.empty() ? "" : "; trend " + forecast),
                6, 4);
  }
  if (!without.empty()) {
    out << (md ? "\n" : "")
        << Wrap("Without actuals yet: " + without + ".", md ? 0 : 4, md ? 0 : 2);
  }
  out << "\n" << h2 << "Control charts of the gap to plan (XmR)\n\n";
  out << Wrap("Rules in use: " + FalseAlarms(st.run_rules) + ". A chart needs " +
                  std::to_string(kMinChartPoints) + " actuals.",
              0);
  for (const KpiStatus& k : st.kpis) {
    if (!k.chart.ready) continue;
    std::string line = safe(k.kpi->id) + ": centre " + Amount(k.chart.center) + ", limits " +
                       Amount(k.chart.lower) + " to " + Amount(k.chart.upper) + "; ";
    if (k.chart.signals.empty()) {
      line += "no signal";
    } else {
      line += std::to_string(k.chart.signals.size()) +
              (k.chart.signals.size() == 1 ? " signal:" : " signals:");
      for (const auto& sig : k.chart.signals) {
        line += " " + sig.date + " (rule " + std::to_string(sig.rule) + ")";
      }
    }
    out << (md ? "- " + line + "\n" : Wrap(line, 4, 2));
  }
  out << "\n" << h2 << "Milestones\n\n";
  if (md)
    out << "| milestone | status | timing | due | progress | PV | EV | AC "
           "|\n|---|---|---|---|---:|---:|---:|---:|\n";
  static const char* kNames[] = {"", "planned", "ongoing", "completed", "abandoned"};
  for (const MilestoneStatus& m : st.milestones) {
    std::string timing = TimingName(m.timing);
    if (m.days_late > 0) timing += " (" + std::to_string(m.days_late) + " days)";
    const std::string progress =
        std::to_string(static_cast<int>(std::lround(m.progress * 100))) + "%";
    auto pm = [](const std::optional<double>& x) { return x ? Fixed2(*x) : std::string("-"); };
    if (md) {
      out << "| " << safe(m.milestone->id) << (m.unplanned ? " (new)" : "") << " | "
          << kNames[static_cast<int>(m.status)] << " | " << timing << " | "
          << (m.milestone->due.empty() ? "-" : m.milestone->due) << " | " << progress << " | "
          << pm(m.planned_value) << " | " << pm(m.earned_value) << " | " << pm(m.actual_cost)
          << " |\n";
    } else {
      out << "  " << Pad(TerminalSafe(m.milestone->id) + (m.unplanned ? " (new)" : ""), 16) << " "
          << Pad(kNames[static_cast<int>(m.status)], 10) << Pad(timing, 26) << " due "
          << Pad(m.milestone->due.empty() ? "-" : m.milestone->due, 10) << " "
          << Pad(progress, 4, false) << "\n";
    }
  }
  const Drift& d = st.drift;
  out << "\n" << h2 << "Strategy drift\n\n";
  auto cell_list = [&](const std::vector<CanvasCell>& list) {
    std::string text;
    for (const CanvasCell& c : list) {
      text += (text.empty() ? "" : "; ") + safe(c.business_model) + ": " + safe(c.line) + " x " +
              safe(c.block);
    }
    return text;
  };
  std::vector<std::string> lines;
  lines.push_back(
      "Planned cells led: " + std::to_string(d.planned.size() - d.planned_not_led.size()) + " of " +
      std::to_string(d.planned.size()) +
      "; cells led outside the plan: " + std::to_string(d.unplanned.size()) + " (" +
      std::to_string(d.unplanned_in_corner) + " in the classic corner).");
  lines.push_back("Classic corner: " + Percent(d.corner_led).substr(1) + " of the cells led, " +
                  Percent(d.corner_planned).substr(1) + " of the planned" +
                  (d.sliding ? ": sliding back into the classic corner." : "."));
  if (!d.lines_not_led.empty()) {
    std::string names;
    for (const std::string& l : d.lines_not_led) names += (names.empty() ? "" : ", ") + safe(l);
    lines.push_back("Lines the plan leads that no task under way or done leads: " + names + ".");
  }
  if (!d.unplanned.empty()) lines.push_back("Outside the plan: " + cell_list(d.unplanned) + ".");
  for (const std::string& l : lines) out << (md ? l + "\n\n" : Wrap(l, 4, 2));
  out << "\nEarned value (person-months): PV " << Fixed2(st.planned_value) << ", EV "
      << Fixed2(st.earned_value) << ", AC " << Fixed2(st.actual_cost) << "; SPI "
      << (st.spi ? Fixed2(*st.spi) : "-") << ", CPI " << (st.cpi ? Fixed2(*st.cpi) : "-") << "\n";
  if (st.confidence) {
    out << "Confidence: " << Fixed2(*st.confidence) << " (" << st.confidence_date << ")\n";
  }
  if (!st.notes.empty()) {
    out << "\n" << h2 << "Latest notes\n\n";
    for (std::size_t i = 0; i < st.notes.size() && i < 5; ++i) {
      const std::string line = st.notes[i].first + ": " + safe(st.notes[i].second);
      out << (md ? "- " + line + "\n" : Wrap(line, 4, 2));
    }
  }
  return out.str();
}

}  // namespace bmil::control
