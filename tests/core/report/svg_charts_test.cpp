// The SVG figures of the reports: heatmaps carry their matrix's values, charts draw a
// table generically from its chart hint, and a hint that cannot be drawn is refused.
#include "report/svg_charts.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace bmil {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

Registry LinesRegistry() {
  Registry r;
  r.AddLine({"value", "Value innovation leadership", "VIL", "value"});
  r.AddLine({"customer", "Customer innovation leadership", "CIL", "customer"});
  r.AddLine({"value_chain", "Value chain innovation leadership", "VCIL", "value_chain"});
  return r;
}

// Every match of `pattern`'s groups in `text`.
std::vector<std::vector<std::string>> All(const std::string& text, const std::string& pattern) {
  std::vector<std::vector<std::string>> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    std::vector<std::string> groups;
    for (std::size_t i = 1; i < it->size(); ++i) groups.push_back((*it)[i].str());
    out.push_back(groups);
  }
  return out;
}

Json Matrix() {
  return {
      {"id", "m"},
      {"title", "Lines by blocks"},
      {"rows", {{{"id", "value"}, {"label", "value"}}, {{"id", "customer"}, {"label", "c"}}}},
      {"columns",
       {{{"id", "value_proposition"}, {"label", "VP"}}, {{"id", "customers"}, {"label", "CU"}}}},
      {"values", {{3, 0}, {1, 12}}},
      {"unit", "tasks"},
      {"chart", "heatmap"}};
}

TEST(HeatmapSvg, EveryCellCarriesItsMatrixValue) {
  const std::string svg = HeatmapSvg(Matrix(), LinesRegistry(), HeatmapOptions{});
  std::map<std::pair<std::string, std::string>, std::string> cells;
  for (const auto& g :
       All(svg, "data-row=\"([^\"]*)\" data-column=\"([^\"]*)\" data-value=\"([^\"]*)\""))
    cells[{g[0], g[1]}] = g[2];
  const std::map<std::pair<std::string, std::string>, std::string> expected = {
      {{"value", "value_proposition"}, "3"},
      {{"value", "customers"}, "0"},
      {{"customer", "value_proposition"}, "1"},
      {{"customer", "customers"}, "12"}};
  EXPECT_EQ(cells, expected);
  // Lines by code and name, blocks by name, the unit in caption and legend.
  EXPECT_THAT(svg, HasSubstr(">VIL · Value innovation leadership</text>"));
  EXPECT_THAT(svg, HasSubstr(">Value proposition</text>"));
  EXPECT_THAT(svg, HasSubstr("Rows: leadership lines · Columns: building blocks · Cells: tasks"));
  EXPECT_THAT(svg, HasSubstr(">tasks:</text>"));
  // Inline: no namespace URL (the HTML parser supplies it).
  EXPECT_THAT(svg, Not(HasSubstr("http")));
}

TEST(HeatmapSvg, DarkestShadeForTheMaximumAndWhiteForZero) {
  const std::string svg = HeatmapSvg(Matrix(), LinesRegistry(), HeatmapOptions{});
  // Values 0..12 are banded in fifths of 12: 12 is in the top band, 0 is white-ish.
  EXPECT_THAT(svg, HasSubstr("data-value=\"12\"><rect x=\""));
  const auto twelve = svg.find("data-value=\"12\"");
  EXPECT_NE(svg.find(kHeatmapShades[5], twelve), std::string::npos);
  EXPECT_LT(svg.find(kHeatmapShades[5], twelve), svg.find("</g>", twelve));
  const auto zero = svg.find("data-value=\"0\"");
  EXPECT_LT(svg.find(kHeatmapShades[0], zero), svg.find("</g>", zero));
  // Whole counts: band bounds are whole numbers (12 / 5 = 2.4 reads ≥3).
  EXPECT_THAT(svg, HasSubstr(">≥3</text>"));
}

TEST(HeatmapSvg, PlacesMarkersInTheirCells) {
  HeatmapOptions options;
  options.markers[{"value", "customers"}] = {{"1", "special_machines", "1 · Special", false},
                                             {"4", "remote<monitoring>", "4 · Remote", true}};
  const std::string svg = HeatmapSvg(Matrix(), LinesRegistry(), options);
  EXPECT_THAT(svg, HasSubstr("data-row=\"value\" data-column=\"customers\" data-value=\"0\" "
                             "data-markers=\"special_machines remote&lt;monitoring&gt;\""));
  EXPECT_EQ(All(svg, "class=\"marker\"").size(), 2u);
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray"));  // the TO BE model is outlined
}

TEST(HeatmapSvg, StandaloneDocumentHasNamespaceAndTitle) {
  HeatmapOptions options;
  options.standalone = true;
  const std::string svg = HeatmapSvg(Matrix(), LinesRegistry(), options);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_THAT(svg, HasSubstr("font-weight=\"bold\" fill=\"#111\">Lines by blocks</text>"));
}

// A table from an analyzer nobody told the host about.
Json UnknownTable(const std::string& type) {
  return {{"id", "widgets"},
          {"title", "Widgets <per> quarter"},
          {"columns",
           {{{"id", "quarter"}, {"label", "Quarter"}, {"type", "string"}},
            {{"id", "made"}, {"label", "Made"}, {"type", "integer"}, {"unit", "widgets"}},
            {{"id", "sold"}, {"label", "Sold"}, {"type", "integer"}, {"unit", "widgets"}},
            {{"id", "note"}, {"label", "Note"}, {"type", "string"}}}},
          {"rows",
           {{"Q1", 10, 4, "a"}, {"Q2", 20, nullptr, "b"}, {"Q3", 5, 5, "c"}, {"Q4", 0, 15, "d"}}},
          {"chart", {{"type", type}, {"x", "quarter"}, {"y", {"made", "sold"}}}}};
}

TEST(TableChartSvg, DrawsOneBarPerRowAndSeriesWithHeightsProportionalToValues) {
  const Result<std::string> chart = TableChartSvg(UnknownTable("bar"), LinesRegistry());
  ASSERT_TRUE(chart.ok()) << chart.error();
  const auto bars = All(chart.value(),
                        "class=\"bar\" data-series=\"([^\"]*)\" data-category=\"([^\"]*)\" "
                        "data-value=\"([^\"]*)\" x=\"[^\"]*\" y=\"[^\"]*\" width=\"[^\"]*\" "
                        "height=\"([^\"]*)\"");
  // 4 rows x 2 series, less the null: 7 bars, in row order.
  ASSERT_EQ(bars.size(), 7u);
  std::map<std::string, double> height;
  for (const auto& b : bars) height[b[1] + "/" + b[0]] = std::stod(b[3]);
  EXPECT_EQ(bars[0][0], "made");
  EXPECT_EQ(bars[0][1], "Q1");
  EXPECT_EQ(bars[0][2], "10");
  EXPECT_EQ(height.count("Q2/sold"), 0u);  // null: no bar
  // Coordinates are rounded to 0.1 px.
  EXPECT_NEAR(height["Q2/made"], 2 * height["Q1/made"], 0.5);
  EXPECT_NEAR(height["Q1/made"], 2 * height["Q3/made"], 0.5);
  EXPECT_NEAR(height["Q4/sold"], 3 * height["Q3/sold"], 0.5);
  EXPECT_DOUBLE_EQ(height["Q4/made"], 0);
  // Legend with the series labels, axis titles, title escaped.
  EXPECT_THAT(chart.value(), HasSubstr(">Made</text>"));
  EXPECT_THAT(chart.value(), HasSubstr(">Sold</text>"));
  EXPECT_THAT(chart.value(), HasSubstr(">Quarter</text>"));
  EXPECT_THAT(chart.value(), HasSubstr(">widgets</text>"));
  EXPECT_THAT(chart.value(), HasSubstr("Widgets &lt;per&gt; quarter"));
  EXPECT_THAT(chart.value(), Not(HasSubstr("<per>")));
}

TEST(TableChartSvg, StacksAndDrawsLines) {
  const Result<std::string> stacked = TableChartSvg(UnknownTable("stacked_bar"), LinesRegistry());
  ASSERT_TRUE(stacked.ok()) << stacked.error();
  EXPECT_EQ(All(stacked.value(), "class=\"bar\"").size(), 7u);
  const Result<std::string> line = TableChartSvg(UnknownTable("line"), LinesRegistry());
  ASSERT_TRUE(line.ok()) << line.error();
  EXPECT_EQ(All(line.value(), "class=\"point\"").size(), 7u);
  // The null breaks the "sold" line: two pieces, so two moves in its path.
  const auto paths = All(line.value(), "class=\"series-line\" d=\"([^\"]*)\"");
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(std::count(paths[1][0].begin(), paths[1][0].end(), 'M'), 2);
}

TEST(TableChartSvg, RefusesWhatItCannotDraw) {
  EXPECT_THAT(TableChartSvg(UnknownTable("pie"), LinesRegistry()).error(),
              HasSubstr("unknown chart type \"pie\""));
  Json missing = UnknownTable("bar");
  missing["chart"]["y"] = {"made", "lost"};
  EXPECT_THAT(TableChartSvg(missing, LinesRegistry()).error(), HasSubstr("\"lost\""));
  Json text = UnknownTable("bar");
  text["chart"]["y"] = {"note"};
  EXPECT_THAT(TableChartSvg(text, LinesRegistry()).error(), HasSubstr("not numeric"));
  Json zeros = UnknownTable("bar");
  for (auto& row : zeros["rows"]) row[1] = row[2] = 0;
  EXPECT_FALSE(TableChartSvg(zeros, LinesRegistry()).ok());
  Json none = UnknownTable("bar");
  none.erase("chart");
  EXPECT_FALSE(TableChartSvg(none, LinesRegistry()).ok());
}

TEST(TableChartSvg, LabelsLineAndBlockCategoriesByCodeAndName) {
  Json lines = UnknownTable("bar");
  lines["rows"] = {{"value", 1, 2, ""}, {"value_chain", 3, 4, ""}};
  const std::string by_line = TableChartSvg(lines, LinesRegistry()).value();
  EXPECT_THAT(by_line, HasSubstr(">VCIL</text>"));  // value_chain is a line here, not a block
  Json blocks = UnknownTable("bar");
  blocks["rows"] = {{"customers", 1, 2, ""}, {"value_chain", 3, 4, ""}};
  const std::string by_block = TableChartSvg(blocks, LinesRegistry()).value();
  EXPECT_THAT(by_block, HasSubstr(">Value chain</text>"));
}

TEST(TableChartSvg, ManyRowsGoHorizontalAndAreCutAtForty) {
  Json many = UnknownTable("bar");
  many["rows"] = Json::array();
  for (int i = 1; i <= 50; ++i) many["rows"].push_back({"r" + std::to_string(i), i, i, ""});
  const std::string chart = TableChartSvg(many, LinesRegistry()).value();
  EXPECT_EQ(All(chart, "class=\"bar\"").size(), 80u);
  EXPECT_THAT(chart, HasSubstr("The chart shows the first 40 of 50 rows"));
  EXPECT_THAT(chart, Not(HasSubstr("data-category=\"r41\"")));
  // Horizontal: category labels are right-aligned before the bars.
  EXPECT_THAT(chart, HasSubstr("text-anchor=\"end\" fill=\"#111111\">r1</text>"));
}

// Issue 17: a matrix whose values are categories (blind_spots for one business: 1 = a cell
// no task uses) says so with "value_labels"; it gets one swatch per category, no number in
// the cells, and not the count palette with its 0-5 legend.
TEST(HeatmapSvg, CategoricalMatrixGetsItsOwnLegendNotTheCountScale) {
  Json m = Matrix();
  m["values"] = {{1, 0}, {0, 1}};
  m["value_labels"] = {{"0", "used"}, {"1", "blind spot: never used"}};
  const std::string svg = HeatmapSvg(m, LinesRegistry(), HeatmapOptions{});
  EXPECT_THAT(svg, HasSubstr(">blind spot: never used</text>"));
  EXPECT_THAT(svg, HasSubstr(">used</text>"));
  for (const char* shade : kHeatmapShades) EXPECT_THAT(svg, Not(HasSubstr(shade))) << shade;
  // Two swatches in the legend, and the cells' fills are the two category colours.
  const auto fills = All(svg, "<g class=\"cell\"[^>]*><rect [^>]*fill=\"(#[0-9a-fA-F]{6})\"");
  EXPECT_EQ(All(svg, "<title>blind spot: never used</title>").size(), 2u);  // cell tooltips
  ASSERT_EQ(fills.size(), 4u);
  EXPECT_EQ(fills[0][0], fills[3][0]);
  EXPECT_NE(fills[0][0], fills[1][0]);
  EXPECT_TRUE(All(svg, "</rect><text").empty()) << "no numbers in the cells";
}

// WCAG 2 relative luminance and contrast ratio against white.
double Contrast(const std::string& hex) {
  auto channel = [&](int i) {
    const double c = std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  const double l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (l + 0.05);
}

// Issue 17: the seventh series (PIL, the process line, in the bundled order) was Okabe-Ito
// yellow, 1.2:1 on white: invisible as a line and as a label. Every series colour is at
// least 2:1 against the white page.
TEST(SeriesColors, EveryColourIsReadableOnWhite) {
  for (const char* colour : kSeriesColors) EXPECT_GE(Contrast(colour), 2.0) << colour;
}

// Issue 17: a label too long for its place is shortened with "…" and keeps its full text
// in a <title> (a tooltip), in bar charts and on heatmap rows; nothing starts left of 0.
TEST(TableChartSvg, LongLabelsAreShortenedWithTheirFullTextAsATitle) {
  const std::string long_label =
      "Customer-specific production machines for the food and packaging industries";
  Json t = UnknownTable("bar");
  t["rows"][0][0] = long_label;
  const std::string chart = TableChartSvg(t, LinesRegistry()).value();
  EXPECT_THAT(chart, HasSubstr("…<title>" + long_label + "</title>"));  // drawn cut, titled
  EXPECT_THAT(chart, Not(HasSubstr(">" + long_label + "</text>")));

  Json m = Matrix();
  m["rows"][0]["id"] = "x";
  m["rows"][0]["label"] = long_label + " and a great deal more that cannot fit anywhere at all";
  HeatmapOptions options;
  options.label_width = 120;
  const std::string svg = HeatmapSvg(m, LinesRegistry(), options);
  const auto rows =
      All(svg, "class=\"row-label\" x=\"(-?[0-9]+)\"[^>]*>([^<]*)<title>([^<]*)</title>");
  ASSERT_EQ(rows.size(), 1u) << svg.substr(0, 2000);
  // The text ends at x (text-anchor end) and, at 0.52 em per character (DejaVu Sans on
  // such labels), is at most as wide as the label column less its margin: it starts right
  // of the SVG's left edge.
  int chars = 0;
  for (unsigned char c : rows[0][1]) chars += (c & 0xC0) != 0x80;
  EXPECT_LE(chars * 13 * 52 / 100, 120 - 10);
  EXPECT_GT(std::stoi(rows[0][0]) - chars * 13 * 52 / 100, 0);
  EXPECT_EQ(rows[0][2], long_label + " and a great deal more that cannot fit anywhere at all");
}

}  // namespace
}  // namespace bmil

namespace bmil {
namespace {

// Issue 14: a revenue near DBL_MAX overflowed the stacked axis to infinity and the tick loop
// (t += step up to hi) never ended: `bmil report` ran forever. Every chart type now draws
// in bounded time with a bounded number of ticks, and no coordinate is inf or nan.
class HugeValues : public ::testing::TestWithParam<std::string> {};

TEST_P(HugeValues, ChartEndsWithFiniteCoordinatesAndFewTicks) {
  const bool many = GetParam() == "many_bars";  // drawn as horizontal bars
  Json table = UnknownTable(many ? "stacked_bar" : GetParam());
  table["rows"] = {{"Q1", 1.7e308, 1.7e308, "a"},
                   {"Q2", 1e300, 1e300, "b"},
                   {"Q3", -1.7e308, 5, "c"},
                   {"Q4", 3, 4, "d"}};
  for (int i = 0; many && i < 40; ++i)
    table["rows"].push_back({"R" + std::to_string(i), 1e299, 1e300, "e"});
  table["columns"][1]["type"] = "number";
  table["columns"][2]["type"] = "number";
  const Result<std::string> chart = TableChartSvg(table, LinesRegistry());
  ASSERT_TRUE(chart.ok()) << chart.error();
  const std::string& svg = chart.value();
  EXPECT_THAT(svg, Not(HasSubstr("inf")));
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  // Grid lines: one per tick, at least 2 and at most 21 (20 steps).
  const auto grid = All(svg, "(stroke=\"#dddddd\")");
  EXPECT_GE(grid.size(), 2u);
  EXPECT_LE(grid.size(), 21u);
}

INSTANTIATE_TEST_SUITE_P(EveryType, HugeValues,
                         ::testing::Values("bar", "stacked_bar", "line", "many_bars"));

}  // namespace
}  // namespace bmil
