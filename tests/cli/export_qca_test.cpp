// `bmil export qca` on the bundled cases (issue 20, docs/qca.md): the CSV and its
// calibration file, the preview within 80 columns, cases with a missing measure named,
// bad specifications named with a did-you-mean, outputs onto inputs refused. pandas and the
// figures by an independent computation: tests/schema/qca_with_pandas.py.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ExportQca, WritesTheTableTheCalibrationAndAPreview) {
  TempDir dir;
  const std::string out = (dir.path() / "qca.csv").string();
  const RunResult r = RunBmil(
      "export qca examples/cases --conditions 'lines_used>=4' "
      "--conditions 'proactive_share=0.2/0.5/0.8' "
      "--outcome 'industries_entered>=1' -o " +
      Quote(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = Slurp(out);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "case,lines_used,proactive_share,industries_entered");
  // Provital is the one business whose model entered another industry (smoke cleaning).
  const std::size_t at = csv.find("\nprovital,");
  ASSERT_NE(at, std::string::npos);
  const std::string line = csv.substr(at + 1, csv.find('\n', at + 1) - at - 1);
  EXPECT_EQ(line.substr(0, 11), "provital,1,");   // 5 lines used
  EXPECT_EQ(line.substr(line.rfind(',')), ",1");  // entered smoke cleaning
  const auto calibration = nlohmann::json::parse(Slurp(dir.path() / "qca.calibration.json"));
  EXPECT_EQ(calibration.at("cases").size(), 5u);
  EXPECT_EQ(calibration.at("outcome").at("rule"), "crisp: 1 when industries_entered >= 1, else 0");
  EXPECT_THAT(r.out, HasSubstr("Truth table: 5 cases"));
  EXPECT_THAT(LinesOver80(r.out), IsEmpty());
}

TEST(ExportQca, ACaseMissingAMeasureIsLeftOutAndNamed) {
  // No example case states its employees as an attribute "staff".
  TempDir dir;
  const std::string out = (dir.path() / "qca.csv").string();
  RunResult r = RunBmil(
      "export qca examples/cases --conditions 'attributes.staff>=10' "
      "--outcome 'tasks>=10' -o " +
      Quote(out));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(
      r.err, HasSubstr("Left out: aikon (attributes.staff: business.attributes has no \"staff\")"));
  EXPECT_THAT(r.err, HasSubstr("no case has every measure; nothing to write"));
  EXPECT_FALSE(fs::exists(out));
}

TEST(ExportQca, BadSpecificationsAreNamed) {
  RunResult r =
      RunBmil("export qca examples/cases --conditions 'lines_usd>=4' --outcome 'tasks>=3'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("did you mean \"lines_used\""));
  r = RunBmil("export qca examples/cases --conditions 'lines_used>=4'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--outcome is required"));
  r = RunBmil("export qca examples/cases --conditions 'tasks' --outcome 'lines_used>=3'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("a measure taken as is must be a membership from 0 to 1"));
}

TEST(ExportQca, TheCalibrationBesideTheCsvNeverOverwritesAnInput) {
  TempDir dir;
  fs::copy_file(fs::path(BMIL_SOURCE_DIR) / "examples/cases/kellpo.json",
                dir.path() / "qca.calibration.json");
  const std::string before = Slurp(dir.path() / "qca.calibration.json");
  const RunResult r =
      RunBmil("export qca " + Quote((dir.path() / "qca.calibration.json").string()) +
              " --conditions 'lines_used>=4' --outcome 'tasks>=3' -o " +
              Quote((dir.path() / "qca.csv").string()));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(Slurp(dir.path() / "qca.calibration.json"), before);
  EXPECT_FALSE(fs::exists(dir.path() / "qca.csv"));
}

}  // namespace
}  // namespace bmil::cli_test
