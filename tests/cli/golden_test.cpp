// Golden files: `bmil canvas` on the Kellpo case, as text (with the guiding questions) and
// as SVG, must match tests/golden/ byte for byte. After an intended change, regenerate with
//   BMIL_UPDATE_GOLDEN=1 build/release/bin/bmil_cli_tests --gtest_filter='Golden.*'
// and review the diff before committing it.
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"

#include <cstdlib>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
namespace fs = std::filesystem;

void ExpectGolden(const std::string& name, const std::string& actual) {
  const fs::path golden = fs::path(BMIL_SOURCE_DIR) / "tests" / "golden" / name;
  if (std::getenv("BMIL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing (set BMIL_UPDATE_GOLDEN=1)";
  EXPECT_EQ(actual, Slurp(golden)) << "differs from " << golden;
}

TEST(Golden, KellpoCanvasTextAndSvg) {
  TempDir dir;
  const fs::path svg = dir.path() / "kellpo.svg";
  RunResult r = RunBmil("canvas " + kKellpo + " --questions --svg " + Quote(svg.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectGolden("kellpo.canvas.txt", r.out);
  ExpectGolden("kellpo.canvas.svg", Slurp(svg));
}

// `bmil report` on Kellpo as Markdown and as tidy CSV: every analyzer's metrics, tables,
// matrices and findings.
TEST(Golden, KellpoReportMarkdownAndCsv) {
  TempDir dir;
  for (const char* name : {"kellpo.report.md", "kellpo.report.csv"}) {
    const fs::path out = dir.path() / name;
    RunResult r = RunBmil("report " + kKellpo + " -o " + Quote(out.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ExpectGolden(name, Slurp(out));
  }
}

}  // namespace
