// A plan's status (core/src/control/status.hpp) on figures computed by hand: the target
// trajectory and band, the gap and its state, the trend forecast, earned value, the XmR
// limits and run rules on constructed series, and the alert lifecycle.
#include "control/status.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bmil::control {
namespace {

using ::testing::HasSubstr;

// Profit from 100 on 2011-01-01 to 200 on 2011-12-31 (band 180 to 230); two milestones with
// effort.
Plan HandPlan() {
  Plan p;
  p.id = "p";
  p.name = "P";
  p.business = "t";
  p.adopted = "2011-01-01";
  Kpi profit;
  profit.id = "profit";
  profit.label = "Profit";
  profit.unit = "currency";
  profit.baseline = 100;
  profit.baseline_date = "2011-01-01";
  profit.targets = {{"2011-12-31", 200, 180, 230}};
  Kpi cost = profit;
  cost.id = "cost";
  cost.direction = Direction::kDown;
  p.kpis = {profit, cost};
  Milestone t1;
  t1.id = "t1";
  t1.start = "2011-02-01";
  t1.due = "2011-06-30";
  t1.effort = 6;
  Milestone t2 = t1;
  t2.id = "t2";
  t2.start = "2011-05-01";
  t2.due = "2011-08-30";
  t2.effort = 10;
  p.milestones = {t1, t2};
  return p;
}

Event At(std::int64_t seq, const std::string& day) {
  Event e;
  e.seq = seq;
  e.at = day + "T12:00:00Z";
  e.date = day;
  e.author = "a";
  e.hash = std::string(31, '0') + std::to_string(seq % 10);
  return e;
}

TEST(StatusTrajectory, LinearFromTheBaselineWithTheBandWidening) {
  const Plan plan = HandPlan();
  const Kpi& k = plan.kpis[0];
  // 2011-07-02 is day 182 of 364 from the baseline: halfway.
  auto t = TrajectoryOn(k, k.targets, "2011-07-02");
  ASSERT_TRUE(t);
  EXPECT_DOUBLE_EQ(t->value, 150);
  EXPECT_DOUBLE_EQ(*t->p10, 140);  // 100 + (180 - 100) / 2
  EXPECT_DOUBLE_EQ(*t->p90, 165);  // 100 + (230 - 100) / 2
  EXPECT_DOUBLE_EQ(TrajectoryOn(k, k.targets, "2010-06-01")->value, 100);
  EXPECT_DOUBLE_EQ(TrajectoryOn(k, k.targets, "2012-06-01")->value, 200);
  Kpi no_baseline = k;
  no_baseline.baseline.reset();
  EXPECT_DOUBLE_EQ(TrajectoryOn(no_baseline, k.targets, "2011-07-02")->value, 200);
}

TEST(StatusChart, Rule1OnAPointBeyondTheLimits) {
  // Mean 88/6, moving ranges 2 1 2 1 18 (mean 4.8): upper limit 14.667 + 2.66 * 4.8 = 27.43.
  const std::vector<double> gaps = {10, 12, 11, 13, 12, 30};
  const ControlChart c = Chart(gaps, {"d1", "d2", "d3", "d4", "d5", "d6"}, false);
  ASSERT_TRUE(c.ready);
  EXPECT_NEAR(c.center, 88.0 / 6, 1e-12);
  EXPECT_NEAR(c.mr_bar, 4.8, 1e-12);
  EXPECT_NEAR(c.upper, 88.0 / 6 + 2.66 * 4.8, 1e-12);
  EXPECT_NEAR(c.lower, 88.0 / 6 - 2.66 * 4.8, 1e-12);
  EXPECT_NEAR(c.mr_upper, 3.268 * 4.8, 1e-12);
  ASSERT_EQ(c.signals.size(), 1u);
  EXPECT_EQ(c.signals[0].index, 5u);
  EXPECT_EQ(c.signals[0].date, "d6");
  EXPECT_EQ(c.signals[0].rule, 1);
  EXPECT_FALSE(Chart({1, 2, 3, 4, 5}, {}, false).ready);  // five points: no chart yet
}

TEST(StatusChart, RunRulesOnlyWhenAsked) {
  // Centre 2/11 = 0.18, moving ranges 0 x7, 12, 16, 16: mean 4.4, sigma 3.90. The eight 2s
  // lie 0.47 sigma above the centre: rule 4 completes at the eighth; -10, 6, -10 put two of
  // three points 2.61 sigma below: rule 2 at the last. No point is beyond 3 sigma.
  const std::vector<double> gaps = {2, 2, 2, 2, 2, 2, 2, 2, -10, 6, -10};
  const ControlChart plain = Chart(gaps, {}, false);
  EXPECT_TRUE(plain.signals.empty());
  const ControlChart rules = Chart(gaps, {}, true);
  ASSERT_EQ(rules.signals.size(), 2u);
  EXPECT_EQ(rules.signals[0].index, 7u);
  EXPECT_EQ(rules.signals[0].rule, 4);
  EXPECT_EQ(rules.signals[1].index, 10u);
  EXPECT_EQ(rules.signals[1].rule, 2);
  // Rule 3: four of five beyond 1 sigma on one side.
  const std::vector<double> four = {0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 0, 3, 3, -12};
  const ControlChart r3 = Chart(four, {}, true);
  bool has_rule_3 = false;
  for (const auto& s : r3.signals) has_rule_3 |= s.rule == 3 && s.index == 12;
  EXPECT_TRUE(has_rule_3);
  // No variation: no limits to be beyond.
  EXPECT_TRUE(Chart({5, 5, 5, 5, 5, 5, 5}, {}, true).signals.empty());
}

TEST(Status, GapStateBandForecastAndEarnedValueByHand) {
  const Plan plan = HandPlan();
  Event e1 = At(1, "2011-04-01");
  e1.kpis = {{"profit", 110}};
  Event e2 = At(2, "2011-07-02");
  e2.kpis = {{"profit", 130}, {"cost", 130}};
  e2.tasks = {{"t1", TaskChange{TaskStatus::kOngoing, 0.4, 2.0}},
              {"t2", TaskChange{TaskStatus::kOngoing, 0.5, std::nullopt}}};
  const Status s = ComputeStatus(plan, {e1, e2}, {"2011-07-02", false, 2});
  const KpiStatus& profit = s.kpis[0];
  ASSERT_TRUE(profit.latest);
  EXPECT_DOUBLE_EQ(*profit.target, 150);
  EXPECT_NEAR(*profit.gap, (130.0 - 150) / 150, 1e-12);  // -13%: at risk
  EXPECT_EQ(profit.state, KpiState::kAtRisk);
  EXPECT_EQ(profit.band, BandPosition::kBelow);
  EXPECT_TRUE(profit.worse_than_band);
  // The line through (day 90, 110) and (day 182, 130), on day 364.
  EXPECT_NEAR(*profit.forecast, 130 + 20.0 / 92 * 182, 1e-9);
  EXPECT_NEAR(*profit.forecast_gap, (130 + 20.0 / 92 * 182 - 200) / 200, 1e-12);
  // Cost going down: 130 against 150 is 13% better, and below the band is the good side.
  const KpiStatus& cost = s.kpis[1];
  EXPECT_NEAR(*cost.gap, 20.0 / 150, 1e-12);
  EXPECT_EQ(cost.state, KpiState::kOnTrack);
  EXPECT_EQ(cost.band, BandPosition::kBelow);
  EXPECT_FALSE(cost.worse_than_band);
  // t1: due 2011-06-30, two days late; all its 6 person-months planned, 2.4 earned, 2 spent.
  const MilestoneStatus& t1 = s.milestones[0];
  EXPECT_EQ(t1.timing, Timing::kLate);
  EXPECT_EQ(t1.days_late, 2);
  EXPECT_DOUBLE_EQ(*t1.planned_value, 6);
  EXPECT_DOUBLE_EQ(*t1.earned_value, 2.4);
  // t2: day 63 of its 122 (2011-05-01 to 2011-08-30), so 10 * 63 / 122 planned; 5 earned.
  const MilestoneStatus& t2 = s.milestones[1];
  EXPECT_EQ(t2.timing, Timing::kOnTime);
  EXPECT_NEAR(*t2.planned_value, 10.0 * 63 / 122, 1e-12);
  EXPECT_DOUBLE_EQ(*t2.earned_value, 5);
  EXPECT_NEAR(*s.spi, 7.4 / (6 + 10.0 * 63 / 122), 1e-12);
  EXPECT_NEAR(*s.cpi, 2.4 / 2, 1e-12);  // only t1 reports effort spent
}

TEST(Status, AlertsArePendingThenFiringThenResolved) {
  const Plan plan = HandPlan();
  Event e1 = At(1, "2011-07-02");
  e1.kpis = {{"profit", 100}};  // -33%: off track, below the band
  Event e2 = At(2, "2011-07-02");
  e2.kpis = {{"profit", 101}};
  Event e3 = At(3, "2011-07-03");
  e3.kpis = {{"profit", 150}};  // on track, inside the band
  const StatusOptions options{"2011-07-03", false, 2};

  // Three conditions hold after e1: profit off track and below its band, and t1 two days
  // past its due day (2011-06-30).
  Status after1 = ComputeStatus(plan, {e1}, options);
  ASSERT_EQ(after1.alerts.size(), 3u);
  EXPECT_EQ(after1.alerts[0].id, "kpi.profit.off_track");
  EXPECT_EQ(after1.alerts[0].state, AlertState::kPending);
  EXPECT_EQ(after1.alerts[1].id, "kpi.profit.outside_band");
  EXPECT_EQ(after1.alerts[2].id, "task.t1.late");
  EXPECT_EQ(after1.alerts[2].message, "t1 is 2 days past its due day 2011-06-30");
  EXPECT_FALSE(after1.Firing());

  Status after2 = ComputeStatus(plan, {e1, e2}, options);
  EXPECT_EQ(after2.alerts[0].state, AlertState::kFiring);
  EXPECT_EQ(after2.alerts[0].checkins, 2);
  EXPECT_EQ(after2.alerts[0].since, 1);
  EXPECT_TRUE(after2.Firing());

  // e3: profit back on track; t1 is still late, and fires.
  Status after3 = ComputeStatus(plan, {e1, e2, e3}, options);
  ASSERT_EQ(after3.alerts.size(), 3u);
  EXPECT_EQ(after3.alerts[0].id, "task.t1.late");
  EXPECT_EQ(after3.alerts[0].state, AlertState::kFiring);
  EXPECT_EQ(after3.alerts[0].checkins, 3);
  EXPECT_EQ(after3.alerts[1].id, "kpi.profit.off_track");
  EXPECT_EQ(after3.alerts[1].state, AlertState::kResolved);
  EXPECT_EQ(after3.alerts[1].until, 3);

  // --as-of before e3 was recorded: the status that was true then, to the byte, from the
  // longer log.
  Status then = ComputeStatus(plan, {e1, e2, e3}, {"2011-07-02", false, 2});
  EXPECT_EQ(then.counted, 2);
  EXPECT_TRUE(then.Firing());
  Status short_log = ComputeStatus(plan, {e1, e2}, {"2011-07-02", false, 2});
  EXPECT_EQ(StatusJson(plan, then).dump(), StatusJson(plan, short_log).dump());
  EXPECT_EQ(StatusText(plan, then, true), StatusText(plan, short_log, true));
}

TEST(Status, ARebaselineReplacesTheTargetsFromItsCheckIn) {
  const Plan plan = HandPlan();
  Event e1 = At(1, "2011-07-02");
  e1.kpis = {{"profit", 130}};
  Event e2 = At(2, "2011-07-05");
  e2.rebaseline = Rebaseline{"profit", {{"2011-12-31", 130, std::nullopt, std::nullopt}}, "why"};
  const Status before = ComputeStatus(plan, {e1, e2}, {"2011-07-04", false, 2});
  EXPECT_EQ(before.kpis[0].state, KpiState::kAtRisk);
  const Status after = ComputeStatus(plan, {e1, e2}, {"2011-07-05", false, 2});
  EXPECT_EQ(after.kpis[0].rebaselines, 1);
  // From 100 to 130 over the year: 115 on day 182; 130 is 13% better.
  EXPECT_DOUBLE_EQ(*after.kpis[0].target, 115);
  EXPECT_EQ(after.kpis[0].state, KpiState::kOnTrack);
  EXPECT_EQ(after.kpis[0].band, BandPosition::kNone);  // the new targets have no band
}

TEST(Status, TextFitsEightyColumns) {
  const Plan plan = HandPlan();
  Event e1 = At(1, "2011-07-02");
  e1.kpis = {{"profit", 100}};
  e1.note = "a long note that goes on and on about what happened in the first half of the year";
  Event e2 = At(2, "2011-07-02");
  e2.kpis = {{"profit", 101}};
  const Status s = ComputeStatus(plan, {e1, e2}, {"2011-07-03", true, 2});
  const std::string text = StatusText(plan, s, false);
  EXPECT_THAT(text, HasSubstr("FIRING   kpi.profit.off_track"));
  std::size_t from = 0;
  while (from < text.size()) {
    const std::size_t end = text.find('\n', from);
    EXPECT_LE(end - from, 80u) << text.substr(from, end - from);
    from = end + 1;
  }
}

}  // namespace
}  // namespace bmil::control

namespace bmil::control {
namespace {

// The plan leads network and competence on the shop's network and competences blocks; a
// check-in starts its network milestone and a new task on the value proposition through the
// value and customer lines.
TEST(StatusDrift, UnplannedCellsInTheClassicCornerAreSlidingBack) {
  Plan plan = HandPlan();
  plan.leadership_lines = {"network"};
  plan.cells = {{"shop", "competence", "competences"}, {"shop", "network", "network"}};
  plan.milestones[0].business_model = "shop";
  plan.milestones[0].leadership_lines = {"network"};
  plan.milestones[0].building_blocks = {"network"};
  Event e = At(1, "2011-03-01");
  e.tasks = {{"t1", TaskChange{TaskStatus::kOngoing, std::nullopt, std::nullopt}}};
  e.new_tasks = {NewTask{
      "t9", "shop", {"value", "customer"}, {"value_proposition"}, TaskStatus::kOngoing, 2.0}};
  const Status s = ComputeStatus(plan, {e}, {"2011-03-01", false, 2});
  const Drift& d = s.drift;
  // Led: network x network (planned) and value, customer x value_proposition (not).
  EXPECT_EQ(d.led.size(), 3u);
  EXPECT_EQ(d.unplanned, (std::vector<CanvasCell>{{"shop", "customer", "value_proposition"},
                                                  {"shop", "value", "value_proposition"}}));
  EXPECT_EQ(d.planned_not_led, (std::vector<CanvasCell>{{"shop", "competence", "competences"}}));
  EXPECT_EQ(d.lines_not_led, (std::vector<std::string>{"competence"}));
  EXPECT_EQ(d.unplanned_in_corner, 2u);
  EXPECT_DOUBLE_EQ(d.corner_led, 2.0 / 3);
  EXPECT_DOUBLE_EQ(d.corner_planned, 0);
  EXPECT_TRUE(d.sliding);
  bool alert = false;
  for (const Alert& a : s.alerts) alert |= a.id == "strategy.classic_corner";
  EXPECT_TRUE(alert);
  // The new task is a milestone of the status, marked unplanned, without a due day.
  ASSERT_EQ(s.milestones.size(), 3u);
  EXPECT_TRUE(s.milestones[2].unplanned);
  EXPECT_EQ(s.milestones[2].milestone->start, "2011-03-01");
  // Completing the planned work and abandoning the new task: no drift.
  Event f = At(2, "2011-03-02");
  f.tasks = {{"t9", TaskChange{TaskStatus::kAbandoned, std::nullopt, std::nullopt}}};
  const Status later = ComputeStatus(plan, {e, f}, {"2011-03-02", false, 2});
  EXPECT_FALSE(later.drift.sliding);
  EXPECT_TRUE(later.drift.unplanned.empty());
}

}  // namespace
}  // namespace bmil::control

namespace bmil::control {
namespace {

// Seven monthly actuals at the trajectory plus `gaps`.
std::vector<Event> Series(const Plan& plan, const std::vector<double>& gaps) {
  std::vector<Event> events;
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    const std::string day = "2011-0" + std::to_string(i + 2) + "-01";
    Event e = At(static_cast<std::int64_t>(i + 1), day);
    e.kpis = {{"profit", TrajectoryOn(plan.kpis[0], plan.kpis[0].targets, day)->value + gaps[i]}};
    events.push_back(e);
  }
  return events;
}

bool HasAlert(const Status& s, const std::string& id) {
  for (const Alert& a : s.alerts) {
    if (a.id == id && a.state != AlertState::kResolved) return true;
  }
  return false;
}

TEST(StatusChart, OnlyASignalOnTheBadSideAlerts) {
  Plan plan = HandPlan();
  plan.milestones.clear();
  // Moving ranges of 0, 1, 0, 1, 0, 1 keep the limits tight: the last point is far out.
  const Status better =
      ComputeStatus(plan, Series(plan, {0, 1, 0, 1, 0, 1, 20}), {"2011-08-01", false, 2});
  ASSERT_TRUE(better.kpis[0].chart.ready);
  ASSERT_FALSE(better.kpis[0].chart.signals.empty());
  EXPECT_FALSE(HasAlert(better, "kpi.profit.control"));
  const Status worse =
      ComputeStatus(plan, Series(plan, {0, 1, 0, 1, 0, 1, -20}), {"2011-08-01", false, 2});
  EXPECT_TRUE(HasAlert(worse, "kpi.profit.control"));
}

TEST(StatusChart, ARebaselineStartsANewChart) {
  Plan plan = HandPlan();
  std::vector<Event> events = Series(plan, {0, 1, 0, 1, 0, 1, 0});
  Event r = At(8, "2011-08-02");
  r.rebaseline = Rebaseline{"profit", {{"2011-12-31", 150, std::nullopt, std::nullopt}}, "why"};
  events.push_back(r);
  Event after = At(9, "2011-08-03");
  after.kpis = {{"profit", 140}};
  events.push_back(after);
  const Status s = ComputeStatus(plan, events, {"2011-08-03", false, 2});
  EXPECT_EQ(s.kpis[0].rebaselined_on, "2011-08-02");
  EXPECT_FALSE(s.kpis[0].chart.ready);  // one actual since the rebaseline
  EXPECT_EQ(s.kpis[0].chart.gaps.size(), 1u);
}

}  // namespace
}  // namespace bmil::control
