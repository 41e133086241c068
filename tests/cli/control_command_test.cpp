// `bmil plan adopt` and `bmil checkin` on real files (issue 18): a plan from a real decision
// with baselines computed independently from the base case, a base changed since the
// decision refused, check-ins from several processes at once losing nothing, and the plan
// never written to.
#include "cli_runner.hpp"
#include "control/checkin_log.hpp"
#include "control/plan.hpp"
#include "io/digest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

const std::string kAikon = "examples/scenarios/aikon-2010.json";
const std::string kFocus = "examples/scenarios/aikon-focus.scenario.json";

// A decision on the Aikon example and the plan adopted from it, in `dir`.
void DecideAndAdopt(const fs::path& dir) {
  RunResult decide = RunBmil("scenario decide " + kAikon + " " + kFocus +
                             " --why 'Stop the losses' --date 2011-01-15 --draws 200 -o " +
                             Quote((dir / "decision.json").string()));
  ASSERT_EQ(decide.exit_code, 0) << decide.err;
  RunResult adopt = RunBmil("plan adopt " + Quote((dir / "decision.json").string()) + " -o " +
                            Quote((dir / "plan.json").string()));
  ASSERT_EQ(adopt.exit_code, 0) << adopt.err;
}

TEST(PlanAdopt, TargetsAreTheDecisionsBandsAndBaselinesTheBaseCasesFigures) {
  TempDir dir;
  DecideAndAdopt(dir.path());
  const Json decision = Json::parse(Slurp(dir.path() / "decision.json"));
  const Json plan = Json::parse(Slurp(dir.path() / "plan.json"));
  EXPECT_EQ(plan.at("id"), "aikon-focus");
  EXPECT_EQ(plan.at("adopted"), "2011-01-15");
  EXPECT_EQ(plan.at("decision").at("xxh3"), DigestHex(Slurp(dir.path() / "decision.json")));
  // One KPI per series; the target of each year its P50, the band its P10 and P90.
  const Json& series = decision.at("expected").at("kpis");
  ASSERT_EQ(plan.at("kpis").size(), series.size());
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Json& kpi = plan.at("kpis")[i];
    EXPECT_EQ(kpi.at("id"), series[i].at("id"));
    const Json& years = series[i].at("years");
    ASSERT_EQ(kpi.at("targets").size(), years.size());
    for (std::size_t y = 0; y < years.size(); ++y) {
      const Json& t = kpi.at("targets")[y];
      EXPECT_EQ(t.at("date"), std::to_string(years[y].at("year").get<int>()) + "-12-31");
      EXPECT_EQ(t.at("value"), years[y].at("p50"));
      EXPECT_EQ(t.at("p10"), years[y].at("p10"));
      EXPECT_EQ(t.at("p90"), years[y].at("p90"));
    }
  }
  // The business's revenue baseline: the sum over the base's models on the market,
  // computed here from the case JSON.
  const Json base = Json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / kAikon));
  double revenue = 0;
  for (const Json& m : base.at("business_models")) {
    const bool market = m.value("state", "") == "as_is" || m.value("stage", "") == "market";
    if (!market || m.value("stage", "") == "retired") continue;
    revenue += m.at("building_blocks").at("value_formula").at("revenue").get<double>();
  }
  bool found = false;
  for (const Json& kpi : plan.at("kpis")) {
    if (kpi.at("id") != "revenue") continue;
    found = true;
    EXPECT_DOUBLE_EQ(kpi.at("baseline").at("value").get<double>(), revenue);
    EXPECT_EQ(kpi.at("direction"), "up");
  }
  EXPECT_TRUE(found);
  // The plan reads back with bmil's own reader.
  control::PlanReadResult read = control::ReadPlan(Slurp(dir.path() / "plan.json"), "plan.json");
  EXPECT_TRUE(read.value);
}

TEST(PlanAdopt, RefusesABaseThatChangedSinceTheDecision) {
  TempDir dir;
  const fs::path base = dir.path() / "aikon.json";
  fs::copy(fs::path(BMIL_SOURCE_DIR) / kAikon, base);
  RunResult decide = RunBmil("scenario decide " + Quote(base.string()) + " " + kFocus +
                             " --why w --date 2011-01-15 --draws 50 --any-base -o " +
                             Quote((dir.path() / "d.json").string()));
  ASSERT_EQ(decide.exit_code, 0) << decide.err;
  std::ofstream(base, std::ios::app) << "\n";
  RunResult adopt = RunBmil("plan adopt " + Quote((dir.path() / "d.json").string()));
  EXPECT_EQ(adopt.exit_code, 1);
  EXPECT_THAT(adopt.err, HasSubstr("is not the one the decision was taken on"));
  // A decision that does not read is located.
  std::ofstream(dir.path() / "bad.json") << "{\"bmil_decision\": \"1.0\", \"decidd\": 1}\n";
  adopt = RunBmil("plan adopt " + Quote((dir.path() / "bad.json").string()));
  EXPECT_EQ(adopt.exit_code, 1);
  EXPECT_THAT(adopt.err, HasSubstr("bad.json:1:26 /decidd: unknown member \"decidd\" (did you "
                                   "mean \"decided\"?)"));
}

TEST(Checkin, RecordsWhatIsGivenAndRefusesWhatIsWrong) {
  TempDir dir;
  DecideAndAdopt(dir.path());
  const std::string plan = Quote((dir.path() / "plan.json").string());
  const std::string plan_bytes = Slurp(dir.path() / "plan.json");
  RunResult ok = RunBmil("checkin " + plan +
                         " --kpi profit=-50000 --confidence 0.6 --note 'first quarter' "
                         "--date 2011-03-31 --at 2011-04-02T08:00:00Z --author anna");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("plan.checkins.jsonl: event 1 recorded at 2011-04-02T08:00:00Z"));
  RunResult typo = RunBmil("checkin " + plan + " --kpi proft=1 --author anna");
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_THAT(typo.err, HasSubstr("unknown KPI \"proft\" (did you mean \"profit\"?)"));
  RunResult status = RunBmil("checkin " + plan + " --task x=complete --author anna");
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_THAT(status.err, HasSubstr("(did you mean \"completed\"?)"));
  RunResult future = RunBmil("checkin " + plan +
                             " --note n --date 2011-05-01 --at 2011-04-02T09:00:00Z --author a");
  EXPECT_EQ(future.exit_code, 1);
  EXPECT_THAT(future.err, HasSubstr("after the day the event is recorded"));
  RunResult reason = RunBmil("checkin " + plan + " --rebaseline profit --target 2014-12-31=1");
  EXPECT_EQ(reason.exit_code, 1);
  EXPECT_THAT(reason.err, HasSubstr("a reason is required"));
  RunResult same = RunBmil("checkin " + plan + " --note n --log " + plan);
  EXPECT_EQ(same.exit_code, 2);
  // One event recorded; the plan untouched.
  EXPECT_EQ(Slurp(dir.path() / "plan.json"), plan_bytes);
  const std::string log = Slurp(dir.path() / "plan.checkins.jsonl");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1);
  EXPECT_THAT(log, HasSubstr("\"author\":\"anna\""));
  EXPECT_THAT(log, HasSubstr("\"kpis\":{\"profit\":-50000.0}"));
}

TEST(Checkin, ProcessesCheckingInAtOnceLoseNothing) {
  TempDir dir;
  DecideAndAdopt(dir.path());
  const std::string plan = Quote((dir.path() / "plan.json").string());
  // 4 processes, 4 check-ins each, all at once.
  std::string script;
  for (int p = 0; p < 4; ++p) {
    script += "(for i in 1 2 3 4; do " + Quote(BmilExe()) + " checkin " + plan + " --author p" +
              std::to_string(p) + " --note p" + std::to_string(p) +
              "-$i >/dev/null || echo FAIL; done) & ";
  }
  script += "wait";
  const fs::path out = dir.path() / "out";
  ASSERT_EQ(std::system(("cd " + Quote(BMIL_SOURCE_DIR) + " && (" + script + ") > " +
                         Quote(out.string()) + " 2>&1")
                            .c_str()),
            0);
  EXPECT_EQ(Slurp(out), "");
  const std::string plan_text = Slurp(dir.path() / "plan.json");
  control::PlanReadResult read = control::ReadPlan(plan_text, "plan.json");
  ASSERT_TRUE(read.value);
  control::LogReadResult log = control::ReadLog(Slurp(dir.path() / "plan.checkins.jsonl"), "log",
                                                *read.value, DigestHex(plan_text));
  EXPECT_TRUE(log.problems.empty());
  ASSERT_EQ(log.events.size(), 16u);
  std::set<std::string> notes;
  for (const control::Event& e : log.events) notes.insert(e.note);
  EXPECT_EQ(notes.size(), 16u);
  EXPECT_TRUE(notes.count("p3-4"));
}

}  // namespace
}  // namespace bmil::cli_test

namespace bmil::cli_test {
namespace {

// Check-ins through the CLI, then `control status`: --as-of a day before a rebaseline gives
// the same bytes before and after it is recorded; exit 5 while an alert fires, 0 when none
// does; a broken log gives no status.
TEST(ControlStatus, AsOfReproducesThePastAndTheExitCodeFollowsTheAlerts) {
  TempDir dir;
  DecideAndAdopt(dir.path());
  const std::string plan = Quote((dir.path() / "plan.json").string());
  auto checkin = [&](const std::string& args) {
    RunResult r = RunBmil("checkin " + plan + " --author anna " + args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  };
  auto status = [&](const std::string& day, const std::string& out) {
    return RunBmil("control status " + plan + " --as-of " + day + " -o " +
                   Quote((dir.path() / out).string()));
  };
  // The base's profit is -900,000; anything far below the trajectory is off track.
  checkin("--kpi profit=-5000000 --date 2011-03-31 --at 2011-04-01T09:00:00Z");
  RunResult quiet = status("2011-04-01", "s1.json");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;  // pending, not yet firing
  checkin("--kpi profit=-5000000 --date 2011-04-30 --at 2011-05-01T09:00:00Z");
  RunResult firing = status("2011-05-01", "before.md");
  EXPECT_EQ(firing.exit_code, 5) << firing.err;
  EXPECT_THAT(Slurp(dir.path() / "before.md"), HasSubstr("**FIRING** `kpi.profit.off_track`"));
  checkin(
      "--rebaseline profit --target 2013-12-31=-4000000 --reason 'the market fell' "
      "--date 2011-05-15 --at 2011-05-15T09:00:00Z");
  // The new trajectory runs from the baseline (-900,000 on 2011-01-15) to -4,000,000 on
  // 2013-12-31: about -1,290,000 on 2011-05-31, so -1,300,000 is on track.
  checkin("--kpi profit=-1300000 --date 2011-05-31 --at 2011-06-01T09:00:00Z");
  RunResult again = status("2011-05-01", "after.md");
  EXPECT_EQ(again.exit_code, 5);
  EXPECT_EQ(Slurp(dir.path() / "after.md"), Slurp(dir.path() / "before.md"));
  // After the rebaseline the profit is measured against the new targets and the alert
  // resolves.
  RunResult now = status("2011-06-01", "now.json");
  EXPECT_EQ(now.exit_code, 0) << now.err;
  const Json j = Json::parse(Slurp(dir.path() / "now.json"));
  for (const Json& k : j.at("kpis")) {
    if (k.at("id") != "profit") continue;
    EXPECT_EQ(k.at("rebaselines"), 1);
    EXPECT_EQ(k.at("final_target").at("value"), -4000000.0);
  }
  ASSERT_FALSE(j.at("alerts").empty());
  for (const Json& a : j.at("alerts")) EXPECT_EQ(a.at("state"), "resolved") << a.dump();
  // A log with an edited event gives no status.
  std::string log = Slurp(dir.path() / "plan.checkins.jsonl");
  log.replace(log.find("-1300000"), 8, "-1200000");
  std::ofstream(dir.path() / "plan.checkins.jsonl", std::ios::binary) << log;
  RunResult broken = status("2011-06-01", "broken.json");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_THAT(broken.err, HasSubstr("plan.checkins.jsonl:4:1 /hash: event 4"));
  EXPECT_FALSE(fs::exists(dir.path() / "broken.json"));
}

}  // namespace
}  // namespace bmil::cli_test

namespace bmil::cli_test {
namespace {

// The bundled example (examples/control/): a whole chain, and its status on two days as the
// README tells it, with the gaps computed here from the plan's figures.
TEST(ControlExample, TheBundledYearReadsWholeAndTellsItsStory) {
  const fs::path dir = fs::path(BMIL_SOURCE_DIR) / "examples" / "control";
  const std::string plan_text = Slurp(dir / "provital.plan.json");
  control::PlanReadResult plan = control::ReadPlan(plan_text, "plan");
  ASSERT_TRUE(plan.value);
  control::LogReadResult log = control::ReadLog(Slurp(dir / "provital.plan.checkins.jsonl"), "log",
                                                *plan.value, DigestHex(plan_text));
  EXPECT_TRUE(log.problems.empty());
  EXPECT_EQ(log.events.size(), 14u);
  TempDir out;
  auto status = [&](const std::string& day) {
    RunResult r = RunBmil("control status examples/control/provital.plan.json --as-of " + day +
                          " -o " + Quote((out.path() / (day + ".json")).string()));
    return std::make_pair(r.exit_code, Json::parse(Slurp(out.path() / (day + ".json"))));
  };
  auto kpi = [](const Json& status, const std::string& id) {
    for (const Json& k : status.at("kpis"))
      if (k.at("id") == id) return k;
    throw std::runtime_error("no KPI " + id);
  };
  auto alert = [](const Json& status, const std::string& id) {
    for (const Json& a : status.at("alerts"))
      if (a.at("id") == id) return a;
    throw std::runtime_error("no alert " + id);
  };
  // 2010-08-31 is day 228 of the 350 from the decision (2010-01-15) to the first target of
  // certified units (6 on 2010-12-31): 2 installed against 6 * 228 / 350.
  const auto [august_exit, august] = status("2010-08-31");
  EXPECT_EQ(august_exit, 5);
  const double trajectory = 6.0 * 228 / 350;
  EXPECT_NEAR(kpi(august, "certified_units").at("gap").get<double>(), (2 - trajectory) / trajectory,
              1e-12);
  EXPECT_EQ(alert(august, "kpi.certified_units.off_track").at("state"), "firing");
  EXPECT_EQ(alert(august, "kpi.profit.off_track").at("state"), "firing");
  EXPECT_EQ(alert(august, "confidence.low").at("state"), "pending");
  // 2011-01-31: certified units rebaselined to 4 on 2010-12-31 and 16 on 2011-12-31 (31 of
  // 365 days on); profit to 1.8 million on 2011-12-31 from 0.6 million (381 of 715 days).
  const auto [january_exit, january] = status("2011-01-31");
  EXPECT_EQ(january_exit, 0);
  const double units = 4 + 12.0 * 31 / 365;
  EXPECT_NEAR(kpi(january, "certified_units").at("gap").get<double>(), (6 - units) / units, 1e-12);
  const double profit = 600000 + 1200000.0 * 381 / 715;
  EXPECT_NEAR(kpi(january, "profit").at("gap").get<double>(), (1300000 - profit) / profit, 1e-12);
  EXPECT_EQ(kpi(january, "profit").at("state"), "on track");
  const Json low = alert(january, "confidence.low");
  EXPECT_EQ(low.at("state"), "resolved");
  EXPECT_EQ(low.at("resolved_at"), 10);  // confidence 0.6 on 2010-09-30, the 10th check-in
  EXPECT_EQ(alert(january, "kpi.profit.off_track").at("state"), "resolved");
  EXPECT_EQ(alert(january, "kpi.certified_units.off_track").at("state"), "resolved");
  EXPECT_EQ(alert(january, "kpi.revenue.control").at("state"), "pending");
  EXPECT_FALSE(january.at("firing").get<bool>());
  // m1 completed (10 earned, 11 spent), m2 at 10% of 6 (0.6 earned, 0.5 spent).
  EXPECT_NEAR(january.at("earned_value").at("cpi").get<double>(), 10.6 / 11.5, 1e-12);
}

}  // namespace
}  // namespace bmil::cli_test
