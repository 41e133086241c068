// `bmil plugins check`: the conformance report on good plugins and on broken fixtures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bmil/conformance.hpp>

#include "cli/cli_runner.hpp"

#include <regex>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
namespace fs = std::filesystem;

std::string Bundled(const std::string& id) {
  return (fs::path(BMIL_BINARY_DIR) / "lib" / "bmil" / "plugins" / id / (id + ".so")).string();
}
std::string Fixture(const std::string& id) {
  return (fs::path(BMIL_FIXTURE_PLUGIN_DIR) / id / (id + ".so")).string();
}

TEST(PluginsCheck, EveryBundledLinePasses) {
  for (const char* id :
       {"value", "customer", "value_chain", "competence", "network", "relation", "process"}) {
    RunResult r = RunBmil("plugins check " + Quote(Bundled(id)));
    EXPECT_EQ(r.exit_code, 0) << id << "\n" << r.out;
    EXPECT_THAT(r.out, HasSubstr("16 checks: 16 passed, 0 failed\n")) << id;
  }
}

TEST(PluginsCheck, CanvasAnalyzerPassesEveryCheck) {
  RunResult r = RunBmil("plugins check " + Quote(Bundled("canvas")) + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["ok"], true);
  std::vector<std::string> names;
  for (const auto& c : report["checks"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "manifest", "load", "create", "describe", "scaffold.filled", "analyzer.add",
                       "analyzer.result_model", "analyzer.finish_again", "analyzer.save_load",
                       "analyzer.state_round_trip", "analyzer.merge", "errors.returned",
                       "memory.leak", "stdout.silent", "view.read_only"}));
}

TEST(PluginsCheck, PlainCAnalyzerPasses) {
  RunResult r = RunBmil("plugins check " + Quote(Fixture("c_analyzer")));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("15 checks: 15 passed, 0 failed\n"));
}

// Issue 17: a load() that reads its state's members in the order save() wrote them passed
// the check (load(save()) is the same text) and could fail in a merge that read the state
// with another JSON reader. The state is now also loaded as bmil merge reads it from a part
// and with its objects' members reversed.
TEST(PluginsCheck, AStateThatDependsOnKeyOrderFails) {
  RunResult r = RunBmil("plugins check " + Quote(Fixture("ordered_state")));
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_THAT(r.out, HasSubstr("  PASS analyzer.save_load: load(save()) gives the same result\n"));
  EXPECT_THAT(r.out, HasSubstr("  FAIL analyzer.state_round_trip: the state with its objects' "
                               "members in reverse order does not load: plugin "
                               "\"ordered_state\": load failed"));
  EXPECT_THAT(r.out, HasSubstr("not a state of this plugin"));
  EXPECT_THAT(r.out, HasSubstr("15 checks: 14 passed, 1 failed\n"));
}

// The checks of what the plugin's child saw, on every plugin bmil ships (lines, analyzers and
// the consequence model, which has its own check instead of the memory one).
TEST(PluginsCheck, EveryBundledPluginPassesTheChecksInItsChild) {
  std::size_t plugins = 0;
  for (const auto& dir : fs::directory_iterator(fs::path(BMIL_BINARY_DIR) / "lib/bmil/plugins")) {
    const fs::path so = dir.path() / (dir.path().filename().string() + ".so");
    if (!fs::exists(so)) continue;
    ++plugins;
    RunResult r = RunBmil("plugins check " + Quote(so.string()) + " --format json");
    EXPECT_EQ(r.exit_code, 0) << so << "\n" << r.out;
    const auto report = nlohmann::json::parse(r.out);
    std::map<std::string, nlohmann::json> checks;
    for (const auto& c : report.at("checks")) checks[c.at("name").get<std::string>()] = c;
    const bool model = checks.count("model.prepare_evaluate") == 1;
    for (const char* name :
         {model ? "model.prepare_evaluate" : "memory.leak", "stdout.silent", "view.read_only"}) {
      ASSERT_EQ(checks.count(name), 1u) << so << ": " << name;
      EXPECT_EQ(checks[name].at("passed"), true) << so << ": " << checks[name].dump();
    }
    EXPECT_EQ(checks["stdout.silent"].at("detail"), "writes nothing to stdout");
    EXPECT_EQ(checks["view.read_only"].at("detail"), "no call changed its read-only case view");
    if (!model) {
      EXPECT_THAT(checks["memory.leak"].at("detail").get<std::string>(),
                  MatchesRegex("resident memory grew by [0-9]+\\.[0-9] MiB over 600 "
                               "(adds|calls \\(assess, propose\\)) after 200 to warm up "
                               "\\(budget 16 MiB\\)"));
    }
  }
  EXPECT_EQ(plugins, 18u);  // 7 lines, 10 analyzers, 1 consequence model
}

TEST(PluginsCheck, FailsAPluginThatWritesToStdout) {
  RunResult r = RunBmil("plugins check " + Quote(Fixture("hostile_stdout")));
  EXPECT_EQ(r.exit_code, 4);
  // Every call writes the same 33-byte line (tests/fixtures/plugins/hostile/hostile.c).
  std::smatch m;
  const std::regex line(
      "\n  FAIL stdout\\.silent: wrote ([0-9]+) bytes to stdout, where bmil writes its results "
      "\\(a plugin's output goes to its sink\\): \"\\{\"garbage\": printed by a "
      "plugin\\}\\\\x0a\\{\"garbage\": printed by a plugin\\.\\.\\.\"\n");
  ASSERT_TRUE(std::regex_search(r.out, m, line)) << r.out;
  const long bytes = std::stol(m[1]);
  EXPECT_GT(bytes, 33 * 600);  // at least one line per add of the memory check
  EXPECT_EQ(bytes % 33, 0);
  EXPECT_THAT(r.out, HasSubstr("15 checks: 14 passed, 1 failed\n"));
}

TEST(PluginsCheck, FailsAPluginThatWritesIntoItsCaseView) {
  RunResult r = RunBmil("plugins check " + Quote(Fixture("hostile_view_write_always")));
  EXPECT_EQ(r.exit_code, 4);
  const std::string written =
      "plugin \"hostile_view_write_always\": add failed (internal error): wrote into the "
      "read-only case view (in bmil's process this would change what every other plugin sees) "
      "(on case \"sample_quiet\", the 1st case given to this instance)";
  EXPECT_THAT(r.out, HasSubstr("\n  FAIL analyzer.add: " + written + "\n"));
  EXPECT_THAT(r.out, HasSubstr("\n  FAIL memory.leak: not measured: " + written + "\n"));
  EXPECT_THAT(r.out, HasSubstr("\n  FAIL view.read_only: wrote into the read-only case view in 2 "
                               "calls, first in add on case \"sample_quiet\"\n"));
  EXPECT_THAT(r.out, HasSubstr("9 checks: 6 passed, 3 failed\n"));
}

TEST(PluginsCheck, FailsAPluginThatLeaksPastTheBudget) {
  RunResult r = RunBmil("plugins check " + Quote(Fixture("hostile_leak")) + " --format json");
  EXPECT_EQ(r.exit_code, 4);
  const auto report = nlohmann::json::parse(r.out);
  nlohmann::json leak;
  for (const auto& c : report.at("checks")) {
    if (c.at("name") == "memory.leak") {
      leak = c;
    } else {
      EXPECT_EQ(c.at("passed"), true) << c.dump();
    }
  }
  ASSERT_TRUE(leak.is_object()) << r.out;
  EXPECT_EQ(leak.at("passed"), false);
  std::smatch m;
  const std::string detail = leak.at("detail");
  ASSERT_TRUE(std::regex_match(detail, m,
                               std::regex("resident memory grew by ([0-9]+\\.[0-9]) MiB over 600 "
                                          "adds after 200 to warm up \\(budget 16 MiB\\)")))
      << detail;
  // 256 KiB touched and kept in each of the 600 adds: 150 MiB, and a little for malloc.
  // Under AddressSanitizer the shadow memory adds one byte per eight (about 19 MiB more),
  // so the upper bound leaves room for that: 150 + 150/8 + 16 of allocator slack.
  EXPECT_GE(std::stod(m[1]), 150.0);
  EXPECT_LT(std::stod(m[1]), 185.0);
}

TEST(PluginsCheck, ReportsEachBrokenFixtureExactly) {
  struct Row {
    std::string fixture;
    std::string fail_line;
    std::string summary;
  };
  const std::vector<Row> rows = {
      {"throwing_analyzer",
       "  FAIL analyzer.add: plugin \"throwing_analyzer\": add failed (internal error): boom in "
       "add",
       "9 checks: 7 passed, 2 failed\n"},
      {"id_mismatch",
       "  FAIL load: entry table id \"someone_else\" differs from the manifest's id "
       "\"id_mismatch\"\n",
       "2 checks: 1 passed, 1 failed\n"},
      {"no_entry",
       "  FAIL load: no entry symbol bmil_plugin_entry_v1 (build it with BMIL_PLUGIN or export "
       "it)\n",
       "2 checks: 1 passed, 1 failed\n"},
      {"wrong_major",
       "  FAIL manifest: wrong_major 0.1.0 (analyzer, ABI 2.0): built for ABI 2.0, but this bmil "
       "speaks ABI 1.2 (the major version must match)\n",
       "1 checks: 0 passed, 1 failed\n"},
      {"throwing_line",
       "  FAIL line.assess_propose: plugin \"throwing_line\": assess failed (internal error): boom "
       "in assess",
       "16 checks: 13 passed, 3 failed\n"},
  };
  for (const auto& row : rows) {
    RunResult r = RunBmil("plugins check " + Quote(Fixture(row.fixture)));
    EXPECT_EQ(r.exit_code, 4) << row.fixture;
    EXPECT_THAT(r.out, HasSubstr(row.fail_line)) << row.fixture << "\n" << r.out;
    EXPECT_THAT(r.out, HasSubstr(row.summary)) << row.fixture << "\n" << r.out;
  }
}

TEST(PluginsCheck, RefusesFileThatIsNotAPlugin) {
  TempDir dir;
  const fs::path fake = dir.path() / "fake.so";
  std::ofstream(fake) << "hello";
  RunResult r = RunBmil("plugins check " + Quote(fake.string()));
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.out, HasSubstr("  FAIL manifest: cannot read manifest: " + fake.string() +
                               ": not an ELF file (bad magic)\n"));
}

TEST(ResultModel, NamesEachProblemWithItsPointer) {
  const auto problems = bmil::ResultModelProblems(nlohmann::json::parse(R"({
    "analyzer": "x", "title": 3, "metrics": [{"id": "m", "label": "M"}],
    "tables": [{"id": "t", "title": "T", "columns": [{"id": "a"}, {"id": "b"}], "rows": [[1]]}],
    "matrices": [], "findings": [{"severity": "bad", "code": "c", "message": "m",
                                   "evidence": [], "source": "s"}]})"));
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "/title: expected string", "/metrics/0: missing \"value\"",
                          "/tables/0/rows/0: expected 2 cells, one per column",
                          "/findings/0/severity: expected one of info, notice, warning"}));
}

}  // namespace
