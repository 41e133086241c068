// `bmil plugins check`: the conformance report on good plugins and on broken fixtures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bmil/conformance.hpp>

#include "cli/cli_runner.hpp"

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
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
    EXPECT_THAT(r.out, HasSubstr("12 checks: 12 passed, 0 failed\n")) << id;
  }
}

TEST(PluginsCheck, CanvasAnalyzerPassesEveryCheck) {
  RunResult r = RunBmil("plugins check " + Quote(Bundled("canvas")) + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["ok"], true);
  std::vector<std::string> names;
  for (const auto& c : report["checks"]) names.push_back(c["name"]);
  EXPECT_EQ(names,
            (std::vector<std::string>{"manifest", "load", "create", "describe", "analyzer.add",
                                      "analyzer.result_model", "analyzer.finish_again",
                                      "analyzer.save_load", "analyzer.merge", "errors.returned"}));
}

TEST(PluginsCheck, PlainCAnalyzerPasses) {
  RunResult r = RunBmil("plugins check " + Quote(Fixture("c_analyzer")));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("10 checks: 10 passed, 0 failed\n"));
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
       "5 checks: 4 passed, 1 failed\n"},
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
       "speaks ABI 1.0 (the major version must match)\n",
       "1 checks: 0 passed, 1 failed\n"},
      {"throwing_line",
       "  FAIL line.assess_propose: plugin \"throwing_line\": assess failed (internal error): boom "
       "in assess",
       "12 checks: 10 passed, 2 failed\n"},
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
