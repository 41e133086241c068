// The check-in log (core/src/control/checkin_log.hpp): the hash chain detects an edited,
// removed, reordered or cut event and a log of another plan; appending never writes to a
// broken log; an event's content is checked against the plan.
#include "control/checkin_log.hpp"
#include "control/plan.hpp"
#include "io/digest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace bmil::control {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string AllProblems(const std::vector<Diagnostic>& problems) {
  std::string out;
  for (const Diagnostic& d : problems) out += d.ToString() + "\n";
  return out;
}

Plan SmallPlan() {
  Plan p;
  p.id = "p";
  p.name = "P";
  p.business = "t";
  p.adopted = "2011-01-15";
  Kpi profit;
  profit.id = "profit";
  profit.label = "Profit";
  profit.unit = "currency";
  profit.targets = {{"2011-12-31", 400, 350, 460}};
  Kpi nps;
  nps.id = "nps";
  nps.label = "NPS";
  nps.unit = "points";
  nps.manual = true;
  nps.targets = {{"2012-12-31", 40, std::nullopt, std::nullopt}};
  p.kpis = {profit, nps};
  Milestone t1;
  t1.id = "t1";
  t1.business_model = "shop";
  t1.leadership_lines = {"customer"};
  t1.building_blocks = {"customers"};
  t1.start = "2011-02-01";
  t1.due = "2011-06-30";
  p.milestones = {t1};
  return p;
}

const std::string kPlanHash = std::string(32, 'e');

Event Draft(const std::string& at, const std::string& date) {
  Event e;
  e.at = at;
  e.date = date;
  e.author = "anna";
  return e;
}

class LogFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "bmil-log-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    log_ = dir_ / "plan.checkins.jsonl";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Appends three events: a KPI value, a task change with a note, a rebaseline.
  void ThreeEvents() {
    Event a = Draft("2011-03-31T09:00:00Z", "2011-03-31");
    a.kpis = {{"profit", 120.5}};
    Event b = Draft("2011-04-30T09:00:00Z", "2011-04-30");
    b.tasks = {{"t1", TaskChange{TaskStatus::kOngoing, 0.4, 2.0}}};
    b.note = "started";
    Event c = Draft("2011-05-31T09:00:00Z", "2011-05-31");
    c.rebaseline = Rebaseline{"profit", {{"2011-12-31", 300, 250, 380}}, "the partner left"};
    for (Event* e : {&a, &b, &c}) {
      AppendResult r = AppendEvent(log_, plan_, kPlanHash, *e);
      ASSERT_TRUE(r.appended) << r.error << AllProblems(r.problems);
    }
  }

  std::vector<std::string> Lines() {
    std::istringstream in(Read());
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  std::string Read() {
    std::ifstream in(log_, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(const std::string& text) { std::ofstream(log_, std::ios::binary) << text; }
  static std::string Join(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
  }
  LogReadResult ReadBack() { return ReadLog(Read(), "log", plan_, kPlanHash); }

  fs::path dir_, log_;
  Plan plan_ = SmallPlan();
};

TEST_F(LogFile, AppendsAWholeChain) {
  ThreeEvents();
  LogReadResult read = ReadBack();
  ASSERT_TRUE(read.problems.empty()) << AllProblems(read.problems);
  ASSERT_EQ(read.events.size(), 3u);
  EXPECT_EQ(read.events[0].seq, 1);
  EXPECT_EQ(read.events[0].prev, kPlanHash);
  EXPECT_EQ(read.events[1].prev, read.events[0].hash);
  EXPECT_EQ(read.events[2].prev, read.events[1].hash);
  EXPECT_EQ(read.events[0].kpis[0].second, 120.5);
  EXPECT_EQ(*read.events[1].tasks[0].second.progress, 0.4);
  EXPECT_EQ(read.events[2].rebaseline->reason, "the partner left");
  // Each hash is the XXH3-128 of the line before its ,"hash":" member.
  const std::vector<std::string> lines = Lines();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t at = lines[i].rfind(",\"hash\":\"");
    EXPECT_EQ(DigestHex(lines[i].substr(0, at)), read.events[i].hash);
    Event copy = read.events[i];
    EXPECT_EQ(EventLine(copy), lines[i]);
  }
}

TEST_F(LogFile, AnEditedEventIsNamedByItsLine) {
  ThreeEvents();
  std::vector<std::string> lines = Lines();
  const std::size_t at = lines[0].find("120.5");
  ASSERT_NE(at, std::string::npos);
  lines[0].replace(at, 5, "990.5");
  Write(Join(lines));
  LogReadResult read = ReadBack();
  EXPECT_TRUE(read.events.empty());
  EXPECT_THAT(AllProblems(read.problems),
              HasSubstr("log:1:1 /hash: event 1: its hash does not match its content"));
}

TEST_F(LogFile, ARemovedEventIsNamed) {
  ThreeEvents();
  std::vector<std::string> lines = Lines();
  lines.erase(lines.begin() + 1);
  Write(Join(lines));
  LogReadResult read = ReadBack();
  EXPECT_EQ(read.events.size(), 1u);
  EXPECT_THAT(AllProblems(read.problems),
              HasSubstr("log:2:1 /seq: event 2 has seq 3, expected 2: an event was removed"));
}

TEST_F(LogFile, ReorderedEventsAreNamed) {
  ThreeEvents();
  std::vector<std::string> lines = Lines();
  std::swap(lines[1], lines[2]);
  Write(Join(lines));
  LogReadResult read = ReadBack();
  EXPECT_EQ(read.events.size(), 1u);
  EXPECT_THAT(AllProblems(read.problems), HasSubstr("log:2:1 /seq: event 2 has seq 3"));
}

TEST_F(LogFile, AnEventWithItsSeqAndHashRedoneStillBreaksTheChain) {
  // Event 2 removed, event 3 renumbered 2 with a correct hash of its own: only "prev" shows it.
  ThreeEvents();
  LogReadResult read = ReadBack();
  Event third = read.events[2];
  third.seq = 2;
  std::vector<std::string> lines = Lines();
  Write(lines[0] + "\n" + EventLine(third) + "\n");
  LogReadResult after = ReadBack();
  EXPECT_EQ(after.events.size(), 1u);
  EXPECT_THAT(AllProblems(after.problems),
              HasSubstr("log:2:1 /prev: event 2: \"prev\" is not the hash of event 1"));
}

TEST_F(LogFile, ACutLastLineIsNamedAndNothingIsAppendedAfterIt) {
  ThreeEvents();
  std::string text = Read();
  text.resize(text.size() - 10);
  Write(text);
  LogReadResult read = ReadBack();
  EXPECT_EQ(read.events.size(), 2u);
  EXPECT_THAT(AllProblems(read.problems), HasSubstr("log:3:1: event 3: the line has no newline"));
  Event d = Draft("2011-06-30T09:00:00Z", "2011-06-30");
  d.note = "after the cut";
  AppendResult r = AppendEvent(log_, plan_, kPlanHash, d);
  EXPECT_FALSE(r.appended);
  EXPECT_FALSE(r.problems.empty());
  EXPECT_EQ(Read(), text);  // not a byte written
}

TEST_F(LogFile, ALogOfAnotherPlanIsRefused) {
  ThreeEvents();
  LogReadResult read = ReadLog(Read(), "log", plan_, std::string(32, 'f'));
  EXPECT_TRUE(read.events.empty());
  EXPECT_THAT(AllProblems(read.problems), HasSubstr("\"prev\" is not the plan's XXH3"));
}

TEST_F(LogFile, TimesNeverGoBack) {
  ThreeEvents();
  // Appending with an earlier time records the last event's time instead.
  Event d = Draft("2011-01-20T00:00:00Z", "2011-01-20");
  d.confidence = 0.5;
  AppendResult r = AppendEvent(log_, plan_, kPlanHash, d);
  ASSERT_TRUE(r.appended) << r.error;
  EXPECT_EQ(r.appended->at, "2011-05-31T09:00:00Z");
  // A log whose times go back (written by something else, with correct hashes) is refused.
  LogReadResult read = ReadBack();
  Event late = read.events[3];
  late.at = "2011-05-01T00:00:00Z";
  std::vector<std::string> lines = Lines();
  lines[3] = EventLine(late);
  Write(Join(lines));
  EXPECT_THAT(AllProblems(ReadBack().problems), HasSubstr("times in a log never go back"));
}

TEST_F(LogFile, ABadEventCreatesNoFile) {
  Event d = Draft("2011-03-31T09:00:00Z", "2011-03-31");
  d.kpis = {{"proft", 1}};
  AppendResult r = AppendEvent(log_, plan_, kPlanHash, d);
  EXPECT_FALSE(r.appended);
  EXPECT_THAT(r.error, HasSubstr("unknown KPI \"proft\" (did you mean \"profit\"?)"));
  EXPECT_FALSE(fs::exists(log_));
}

TEST_F(LogFile, BlankLinesAndSyntaxErrorsAreLocated) {
  ThreeEvents();
  std::vector<std::string> lines = Lines();
  Write(lines[0] + "\n\n" + lines[1] + "\n");
  EXPECT_THAT(AllProblems(ReadBack().problems), HasSubstr("log:2:1: an empty line"));
  Write(lines[0] + "\n" + lines[1].substr(0, 20) + "\n");
  EXPECT_THAT(AllProblems(ReadBack().problems),
              HasSubstr("log:2:17: event 2: unterminated string"));
}

TEST(CheckEvent, SaysWhatIsWrongWithAnEvent) {
  const Plan plan = SmallPlan();
  auto problems = [&](const Event& e) {
    std::string all;
    for (const std::string& p : CheckEvent(e, plan)) all += p + "\n";
    return all;
  };
  Event e = Draft("2011-03-31T09:00:00Z", "2011-04-01");
  e.confidence = 1.5;
  e.tasks = {{"t2", TaskChange{TaskStatus::kCompleted, 0.5, std::nullopt}}};
  const std::string all = problems(e);
  EXPECT_THAT(all, HasSubstr("date 2011-04-01 is after the day the event is recorded"));
  EXPECT_THAT(all, HasSubstr("confidence must be from 0 to 1"));
  EXPECT_THAT(all, HasSubstr("unknown milestone \"t2\" (did you mean \"t1\"?)"));
  EXPECT_THAT(all, HasSubstr("completed, yet progress is not 1"));

  Event nothing = Draft("2011-03-31T09:00:00Z", "2011-03-31");
  EXPECT_THAT(problems(nothing), HasSubstr("the event records nothing"));
  Event early = Draft("2011-03-31T09:00:00Z", "2010-12-31");
  early.note = "n";
  EXPECT_THAT(problems(early), HasSubstr("before the plan was adopted (2011-01-15)"));

  Event r = Draft("2011-03-31T09:00:00Z", "2011-03-31");
  r.rebaseline = Rebaseline{"nps", {{"2012-12-31", 30, 20, 40}, {"2011-02-01", 1, {}, {}}}, ""};
  const std::string rb = problems(r);
  EXPECT_THAT(rb, HasSubstr("a reason is required"));
  EXPECT_THAT(rb, HasSubstr("a manual KPI has no band"));
  EXPECT_THAT(rb, HasSubstr("target 2011-02-01 is not after the target before it"));
  EXPECT_THAT(rb, HasSubstr("is not after the event's date"));
  Event one_sided = Draft("2011-03-31T09:00:00Z", "2011-03-31");
  one_sided.rebaseline = Rebaseline{"profit", {{"2011-12-31", 30, 20, {}}}, "why"};
  EXPECT_THAT(problems(one_sided), HasSubstr("give both p10 and p90, or neither"));
}

TEST(CheckinTime, TimesThatExist) {
  EXPECT_TRUE(IsTime("2011-03-31T23:59:59Z"));
  EXPECT_FALSE(IsTime("2011-03-31T24:00:00Z"));
  EXPECT_FALSE(IsTime("2011-02-30T10:00:00Z"));
  EXPECT_FALSE(IsTime("2011-03-31 10:00:00Z"));
  EXPECT_FALSE(IsTime("2011-03-31T10:00:00"));
  EXPECT_TRUE(IsTime(TimeNow()));
}

TEST(CheckinLogPath, IsBesideThePlan) {
  EXPECT_EQ(DefaultLogPath("dir/plan.json"), fs::path("dir/plan.checkins.jsonl"));
  EXPECT_EQ(DefaultLogPath("plan"), fs::path("plan.checkins.jsonl"));
}

}  // namespace
}  // namespace bmil::control

namespace bmil::control {
namespace {

TEST_F(LogFile, ANewTaskCanBeChangedLaterButNotAddedTwice) {
  Event a = Draft("2011-03-31T09:00:00Z", "2011-03-31");
  a.new_tasks = {
      NewTask{"t9", "shop", {"value"}, {"value_proposition"}, TaskStatus::kOngoing, 1.5}};
  ASSERT_TRUE(AppendEvent(log_, plan_, kPlanHash, a).appended);
  Event b = Draft("2011-04-30T09:00:00Z", "2011-04-30");
  b.tasks = {{"t9", TaskChange{TaskStatus::kCompleted, 1.0, 2.0}}};
  AppendResult changed = AppendEvent(log_, plan_, kPlanHash, b);
  ASSERT_TRUE(changed.appended) << changed.error;
  Event again = Draft("2011-05-31T09:00:00Z", "2011-05-31");
  again.new_tasks = a.new_tasks;
  AppendResult twice = AppendEvent(log_, plan_, kPlanHash, again);
  EXPECT_FALSE(twice.appended);
  EXPECT_THAT(twice.error, HasSubstr("new task \"t9\": the plan or an earlier check-in has"));
  LogReadResult read = ReadBack();
  ASSERT_TRUE(read.problems.empty()) << AllProblems(read.problems);
  ASSERT_EQ(read.events.size(), 2u);
  EXPECT_EQ(read.events[0].new_tasks[0].building_blocks,
            std::vector<std::string>{"value_proposition"});
  EXPECT_EQ(*read.events[0].new_tasks[0].effort, 1.5);
  // A change to a task nobody added is refused, and the log is not even created for it.
  fs::remove(log_);
  Event orphan = Draft("2011-03-31T09:00:00Z", "2011-03-31");
  orphan.tasks = {{"t8", TaskChange{TaskStatus::kOngoing, std::nullopt, std::nullopt}}};
  EXPECT_FALSE(AppendEvent(log_, plan_, kPlanHash, orphan).appended);
  EXPECT_FALSE(fs::exists(log_));
}

}  // namespace
}  // namespace bmil::control
