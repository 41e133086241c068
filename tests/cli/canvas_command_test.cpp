// `bmil canvas`: the grid, the SVG read back cell by cell, the filters, and an eighth line
// plugin appearing as a new row without rebuilding the host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"

#include <regex>
#include <string>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

using Cells = std::map<std::pair<std::string, std::string>, int>;

// The cells of an SVG written by `bmil canvas --svg`, read from their data attributes.
Cells SvgCells(const std::string& svg, int* cell_count) {
  static const std::regex kCell(
      "<g class=\"cell\" data-row=\"([a-z_]+)\" data-column=\"([a-z_]+)\" "
      "data-value=\"([0-9]+)\">");
  Cells cells;
  *cell_count = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kCell); it != std::sregex_iterator();
       ++it) {
    ++*cell_count;
    const int value = std::stoi((*it)[3]);
    if (value != 0) cells[{(*it)[1], (*it)[2]}] = value;
  }
  return cells;
}

// CountCanvas restricted to one business model.
Cells CountModel(const std::string& file, const std::string& model) {
  const auto doc = nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / file));
  Cells cells;
  for (const auto& task : doc["bmi_tasks"]) {
    if (task["business_model"] != model) continue;
    for (const auto& line : task["leadership_lines"])
      for (const auto& block : task["building_blocks"]) ++cells[{line, block}];
  }
  return cells;
}

// Removes zero cells so that two Cells maps compare equal when they agree on every count.
Cells NonZero(Cells cells) {
  std::erase_if(cells, [](const auto& cell) { return cell.second == 0; });
  return cells;
}

TEST(CanvasCommand, PrintsOneRowPerLoadedLine) {
  RunResult r = RunBmil("canvas " + kKellpo);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Kellpo (kellpo) — Canvas: all business models, tasks\n"));
  for (const char* row :
       {"VIL   Value innovation leadership", "CIL   Customer innovation leadership",
        "VCIL  Value chain innovation leadership", "CoIL  Competence innovation leadership",
        "NIL   Network innovation leadership", "RIL   Relation innovation leadership",
        "PIL   Process innovation leadership"}) {
    EXPECT_THAT(r.out, HasSubstr(row));
  }
  EXPECT_THAT(r.out, HasSubstr("Classic corner (VIL/CIL/VCIL on value proposition, customers, "
                               "value chain): "));
  EXPECT_THAT(r.out, Not(HasSubstr("\033[")));
}

TEST(CanvasCommand, SvgCellsEqualIndependentCount) {
  TempDir dir;
  const fs::path svg = dir.path() / "kellpo.svg";
  RunResult r = RunBmil("canvas " + kKellpo + " --svg " + Quote(svg.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = Slurp(svg);
  EXPECT_EQ(text.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_THAT(text, HasSubstr("<title>Kellpo — Canvas: all business models</title>"));
  int cell_count = 0;
  const Cells cells = SvgCells(text, &cell_count);
  EXPECT_EQ(cell_count, 7 * 7);
  EXPECT_EQ(cells, NonZero(CountCanvas(kKellpo, "")));
}

TEST(CanvasCommand, FiltersByStateAndBusinessModel) {
  TempDir dir;
  const fs::path svg = dir.path() / "c.svg";
  int cell_count = 0;
  RunResult to_be = RunBmil("canvas " + kKellpo + " --state to_be --svg " + Quote(svg.string()));
  ASSERT_EQ(to_be.exit_code, 0) << to_be.err;
  EXPECT_EQ(SvgCells(Slurp(svg), &cell_count), NonZero(CountCanvas(kKellpo, "to_be")));
  RunResult as_is = RunBmil("canvas " + kKellpo + " --state as_is --svg " + Quote(svg.string()));
  ASSERT_EQ(as_is.exit_code, 0) << as_is.err;
  EXPECT_EQ(SvgCells(Slurp(svg), &cell_count), NonZero(CountCanvas(kKellpo, "as_is")));
  RunResult bm = RunBmil("canvas " + kKellpo + " --bm machine_tools --svg " + Quote(svg.string()));
  ASSERT_EQ(bm.exit_code, 0) << bm.err;
  EXPECT_EQ(SvgCells(Slurp(svg), &cell_count), NonZero(CountModel(kKellpo, "machine_tools")));
  EXPECT_THAT(bm.out, HasSubstr("Canvas: Standard machine tools (AS IS)"));
}

TEST(CanvasCommand, RefusesUnknownOrMismatchedBusinessModel) {
  RunResult unknown = RunBmil("canvas " + kKellpo + " --bm nope");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("no business model \"nope\"; its models are: "
                                     "special_machines, machine_tools"));
  RunResult mismatch = RunBmil("canvas " + kKellpo + " --bm machine_tools --state to_be");
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_THAT(mismatch.err, HasSubstr("business model \"machine_tools\" is as_is, not to_be"));
  EXPECT_EQ(RunBmil("canvas " + kKellpo + " --state soon").exit_code, 2);
}

TEST(CanvasCommand, QuestionsCoverEveryBlockFromEveryLine) {
  RunResult r = RunBmil("canvas " + kKellpo + " --questions");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string questions = r.out.substr(r.out.find("Guiding questions"));
  std::size_t count = 0;
  for (std::size_t at = questions.find("?\n"); at != std::string::npos;
       at = questions.find("?\n", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 49u);
  EXPECT_THAT(questions, HasSubstr("\nCIL  Customer innovation leadership\n  value_proposition: "));
}

// A research group adds an eighth line as a plugin built on its own: the same bmil binary
// shows it as a new row, and a case using it validates only when the plugin is present.
TEST(CanvasCommand, NewLinePluginAddsRowWithoutRebuildingHost) {
  const std::string file = "tests/fixtures/cases/sustainable_shop.json";
  RunResult without = RunBmil("validate " + file);
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_THAT(without.err, HasSubstr("unknown leadership line \"sustainability\""));

  TempDir dir;
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "sustainability", dir.path() / "sustainability",
           fs::copy_options::recursive);
  const std::string plugins = "--plugin-dir " + Quote(dir.path().string()) + " ";
  const fs::path svg = dir.path() / "shop.svg";
  RunResult with =
      RunBmil(plugins + "canvas " + file + " --questions --svg " + Quote(svg.string()));
  ASSERT_EQ(with.exit_code, 0) << with.err;
  EXPECT_THAT(with.out, HasSubstr("SIL   Sustainability innovation leadership |"));
  EXPECT_THAT(with.out, HasSubstr("\nSIL  Sustainability innovation leadership\n"
                                  "  value_proposition: Which part of the offer harms least?\n"));
  int cell_count = 0;
  const Cells cells = SvgCells(Slurp(svg), &cell_count);
  EXPECT_EQ(cell_count, 8 * 7);  // eight lines now
  // By hand: t1 puts sustainability and customer on value_proposition and value_formula;
  // t2 customer on customers; t3 sustainability on network.
  const Cells expected = {
      {{"sustainability", "value_proposition"}, 1}, {{"sustainability", "value_formula"}, 1},
      {{"sustainability", "network"}, 1},           {{"customer", "value_proposition"}, 1},
      {{"customer", "value_formula"}, 1},           {{"customer", "customers"}, 1}};
  EXPECT_EQ(cells, expected);
  EXPECT_THAT(Slurp(svg), HasSubstr(">SIL · Sustainability innovation leadership</text>"));
}

}  // namespace
