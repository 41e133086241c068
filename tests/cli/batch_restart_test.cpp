// Restarts in `bmil batch` (issue 16): when a plugin's child dies or hangs on a record, the
// run restarts the child, leaves out only that record from that analyzer's results, names it,
// and goes on; a circuit breaker stops after repeated failures. docs/plugin-isolation.md,
// "Restarts in batch". The hostile plugins are tests/fixtures/plugins/hostile/hostile.c:
// they count business models and misbehave on a case whose id starts with "trigger".
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;

const char* const kNames[] = {"aikon", "infolink", "katalabs", "kellpo", "provital"};

// The business models of example case `name`, counted from its file.
long Models(const std::string& name) {
  const auto c = nlohmann::json::parse(
      Slurp(fs::path(BMIL_SOURCE_DIR) / "examples" / "cases" / (name + ".json")));
  return static_cast<long>(c.at("business_models").size());
}

std::map<std::string, nlohmann::json> Results(const nlohmann::json& report,
                                              const std::string& skip) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& a : report.at("analyzers")) {
    if (a.at("plugin") != skip) out[a.at("plugin")] = a.at("result");
  }
  return out;
}

const nlohmann::json& ResultOf(const nlohmann::json& report, const std::string& plugin) {
  for (const auto& a : report.at("analyzers")) {
    if (a.at("plugin") == plugin) return a.at("result");
  }
  static const nlohmann::json none;
  return none;
}

// The failures' messages of `plugin`.
std::vector<std::string> FailuresOf(const nlohmann::json& report, const std::string& plugin) {
  std::vector<std::string> out;
  for (const auto& f : report.at("failures")) {
    if (f.at("plugin") == plugin) out.push_back(f.at("message"));
  }
  return out;
}

class BatchRestart : public ::testing::Test {
 protected:
  // A JSONL file of the example cases in turn, `count` records; the records at the 0-based
  // `triggers` get a "trigger" id. Returns the business models of the other records.
  long Write(const fs::path& path, int count, const std::set<int>& triggers) {
    std::ofstream out(path, std::ios::binary);
    long kept = 0;
    for (int i = 0; i < count; ++i) {
      const std::string name = kNames[i % 5];
      const bool trigger = triggers.count(i) > 0;
      out << CaseWithId(name, (trigger ? "trigger-" : "case-") + std::to_string(i)) << "\n";
      if (!trigger) kept += Models(name);
    }
    return kept;
  }
  std::string With(const std::string& fixture) {
    return "--plugin-dir " + Quote(FixturePluginDir(dir_.path(), fixture, fixture).string()) +
           " --call-timeout 1 ";
  }
  TempDir dir_;
};

TEST_F(BatchRestart, LeavesOutOnlyTheRecordTheChildDiedOn) {
  const fs::path input = dir_.path() / "three.jsonl";
  const long kept = Write(input, 3, {1});
  ASSERT_EQ(kept, Models("aikon") + Models("katalabs"));
  const RunResult plain = RunBmil("batch -q " + Quote(input.string()));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto baseline = Results(nlohmann::json::parse(plain.out), "");
  for (const std::string fixture : {"hostile_segv", "hostile_exit", "hostile_hang"}) {
    SCOPED_TRACE(fixture);
    const RunResult r = RunBmil(With(fixture) + "batch -q " + Quote(input.string()));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    // The other analyzers saw every record; this one every record but the second.
    EXPECT_EQ(Results(report, fixture), baseline);
    const nlohmann::json& result = ResultOf(report, fixture);
    ASSERT_TRUE(result.is_object()) << r.out;
    EXPECT_EQ(result.at("metrics")[0].at("value"), kept);
    const auto failures = FailuresOf(report, fixture);
    ASSERT_EQ(failures.size(), 1u) << r.err;
    EXPECT_EQ(report.at("failures")[0].at("call"), "add");
    EXPECT_THAT(failures[0], HasSubstr("(on case \"trigger-1\""));
    EXPECT_THAT(failures[0], HasSubstr("; the record at " + input.string() +
                                       ":2 is left out of this analyzer's results, which hold "
                                       "every other record"));
    EXPECT_THAT(r.err, HasSubstr(input.string() + ":2 is left out"));
  }
}

TEST_F(BatchRestart, RecordsInSeveralChunksAndThreadsAreLeftOutAlone) {
  // About 16 KB a record: 1,000 records are 16 MB, several 4 MiB chunks, so that the child
  // dies while other chunks are in flight (their instances die with it and are replayed).
  const fs::path input = dir_.path() / "many.jsonl";
  const std::set<int> triggers = {100, 520, 930};
  const long kept = Write(input, 1000, triggers);
  const RunResult plain = RunBmil("batch -q " + Quote(input.string()));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto baseline = Results(nlohmann::json::parse(plain.out), "");
  std::string first_output;
  for (const std::string threads : {"1", "2"}) {
    SCOPED_TRACE(threads);
    const RunResult r = RunBmil(With("hostile_segv") + "batch -q --threads " + threads + " " +
                                Quote(input.string()));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(Results(report, "hostile_segv"), baseline);
    const nlohmann::json& result = ResultOf(report, "hostile_segv");
    ASSERT_TRUE(result.is_object()) << r.err;
    EXPECT_EQ(result.at("metrics")[0].at("value"), kept);
    const auto failures = FailuresOf(report, "hostile_segv");
    ASSERT_EQ(failures.size(), triggers.size()) << r.err;
    std::size_t i = 0;
    for (int t : triggers) {
      EXPECT_THAT(failures[i++], HasSubstr(":" + std::to_string(t + 1) + " is left out"));
    }
    // The same results and failures for any thread count (but the reproducers' names).
    const std::string out =
        std::regex_replace(r.out, std::regex("; reproducer: [^;]*\\.bmilrepro\\)"), "");
    if (first_output.empty()) {
      first_output = out;
    } else {
      EXPECT_TRUE(out == first_output);  // (no diff of 40,000 lines)
    }
  }
}

TEST_F(BatchRestart, TheCircuitBreakerStopsAPluginThatKeepsDying) {
  // Three restarts in a run: the fourth death ends the plugin for the run. Its result is
  // then null, and no record is said to be left out (there are no results to leave it out
  // of); each death is reported with its record.
  const fs::path input = dir_.path() / "six.jsonl";
  Write(input, 6, {1, 2, 3, 4});
  const RunResult r = RunBmil(With("hostile_segv") + "batch -q " + Quote(input.string()));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_TRUE(ResultOf(report, "hostile_segv").is_null());
  const auto failures = FailuresOf(report, "hostile_segv");
  ASSERT_EQ(failures.size(), 5u) << r.err;
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(failures[i], HasSubstr("was killed by signal 11"));
    EXPECT_THAT(failures[i], HasSubstr("(on case \"trigger-" + std::to_string(i + 1) + "\""));
    EXPECT_THAT(failures[i], ::testing::Not(HasSubstr("left out")));
  }
  EXPECT_THAT(failures[4], HasSubstr("the plugin's process failed 4 times in this run; it is "
                                     "not restarted again"));
  // The other analyzers are complete.
  for (const auto& a : report.at("analyzers")) {
    if (a.at("plugin") != "hostile_segv") {
      EXPECT_TRUE(a.at("result").is_object()) << a.dump();
    }
  }
}

TEST_F(BatchRestart, MaxRestartsSetsTheCircuitBreaker) {
  const fs::path input = dir_.path() / "six.jsonl";
  Write(input, 6, {1, 2, 3, 4});
  // One restart: the second death ends the plugin; the message names the option.
  const RunResult one =
      RunBmil("--max-restarts 1 " + With("hostile_segv") + "batch -q " + Quote(input.string()));
  EXPECT_EQ(one.exit_code, 4) << one.err;
  const auto report_one = nlohmann::json::parse(one.out);
  EXPECT_TRUE(ResultOf(report_one, "hostile_segv").is_null());
  const auto failures_one = FailuresOf(report_one, "hostile_segv");
  ASSERT_EQ(failures_one.size(), 3u) << one.err;
  EXPECT_THAT(failures_one[0], HasSubstr("(on case \"trigger-1\""));
  EXPECT_THAT(failures_one[1], HasSubstr("(on case \"trigger-2\""));
  EXPECT_THAT(failures_one[2], HasSubstr("the plugin's process failed 2 times in this run; it "
                                         "is not restarted again (--max-restarts 1)"));
  // Five restarts: each of the four deaths costs its record only, and the result holds the
  // two other records.
  const RunResult five =
      RunBmil("--max-restarts 5 " + With("hostile_segv") + "batch -q " + Quote(input.string()));
  EXPECT_EQ(five.exit_code, 4) << five.err;
  const auto report_five = nlohmann::json::parse(five.out);
  EXPECT_TRUE(ResultOf(report_five, "hostile_segv").is_object());
  const auto failures_five = FailuresOf(report_five, "hostile_segv");
  ASSERT_EQ(failures_five.size(), 4u) << five.err;
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(failures_five[i], HasSubstr("(on case \"trigger-" + std::to_string(i + 1) + "\""));
    EXPECT_THAT(failures_five[i], HasSubstr("left out"));
  }
  // A count out of range is refused before anything runs.
  const RunResult bad = RunBmil("--max-restarts -1 batch -q " + Quote(input.string()));
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("--max-restarts"));
}

}  // namespace
}  // namespace bmil::cli_test
