// The HTML report, rendered from hand-made results: generic over the result model, every
// plugin and case string escaped, self-contained, and robust to a malformed result.
#include <bmil/html_report.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

namespace bmil {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

Registry TwoLines() {
  Registry r;
  r.AddLine({"value", "Value innovation leadership", "VIL", "value"});
  r.AddLine({"customer", "Customer innovation leadership", "CIL", "customer"});
  return r;
}

Case MakeCase(const std::string& id, const std::string& name) {
  Case c;
  c.business.id = id;
  c.business.name = name;
  c.business.industry = "machinery";
  BusinessModel a;
  a.id = "alpha";
  a.name = "Alpha <model>";
  a.state = State::kAsIs;
  a.stage = Stage::kMarket;
  a.industries = {{"machinery", IndustryStatus::kHome}, {"food", IndustryStatus::kFailed}};
  a.value_formula.revenue = 1000;
  a.value_formula.cost = 1500;
  a.value_formula.currency = "EUR";
  BusinessModel b;
  b.id = "beta";
  b.name = "Beta";
  b.state = State::kToBe;
  b.stage = Stage::kIdea;
  b.carried_by = {"alpha"};
  c.business_models = {a, b};
  c.portfolios = {{"main", "Main portfolio", "", {"alpha"}}};
  BmiTask t1;
  t1.id = "t1";
  t1.business_model = "alpha";
  t1.building_blocks = {"value_proposition", "customers"};
  t1.leadership_lines = {"customer"};
  BmiTask t2;
  t2.id = "t2";
  t2.business_model = "beta";
  t2.building_blocks = {"customers"};
  t2.leadership_lines = {"customer", "value"};
  c.bmi_tasks = {t1, t2};
  return c;
}

// The canvas analyzer's result for MakeCase: customer x value_proposition 1, customer x
// customers 2, value x customers 1.
Json CanvasResult(const Registry& registry, double scale) {
  Json rows = Json::array(), columns = Json::array();
  for (const auto& l : registry.lines()) rows.push_back({{"id", l.id}, {"label", l.name}});
  for (const auto& b : registry.blocks()) columns.push_back({{"id", b.id}, {"label", b.name}});
  auto canvas = [&](const std::string& id, std::map<std::pair<int, int>, double> cells) {
    Json values = Json::array();
    for (std::size_t r = 0; r < rows.size(); ++r) {
      values.push_back(Json::array());
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto it = cells.find({static_cast<int>(r), static_cast<int>(c)});
        values.back().push_back(it == cells.end() ? 0.0 : it->second * scale);
      }
    }
    return Json{{"id", id},
                {"title", "Canvas " + id},
                {"rows", rows},
                {"columns", columns},
                {"values", values},
                {"unit", "tasks"},
                {"chart", "heatmap"},
                {"row_dimension", "leadership_line"},
                {"column_dimension", "building_block"}};
  };
  return {{"analyzer", "canvas"},
          {"title", "BMIL strategy canvas"},
          {"summary", ""},
          {"metrics", Json::array()},
          {"tables", Json::array()},
          {"matrices",
           {canvas("canvas", {{{1, 0}, 1}, {{1, 1}, 2}, {{0, 1}, 1}}),
            canvas("canvas.as_is", {{{1, 0}, 1}, {{1, 1}, 1}}),
            canvas("canvas.to_be", {{{1, 1}, 1}, {{0, 1}, 1}})}},
          {"findings", Json::array()}};
}

// What a plugin the host has never seen might return, with markup in every string.
Json UnknownResult() {
  return {{"analyzer", "gadgets"},
          {"title", "Gadgets <b>bold</b>"},
          {"summary", "Summary with <script>alert(1)</script>"},
          {"metrics",
           {{{"id", "m1"}, {"label", "Gadget <count>"}, {"value", 42}, {"unit", "gadgets"}},
            {{"id", "m2"}, {"label", "Gadget share"}, {"value", 0.25}, {"unit", "share"}}}},
          {"tables",
           {{{"id", "per_kind"},
             {"title", "Gadgets per kind"},
             {"columns",
              {{{"id", "kind"}, {"label", "Kind"}, {"type", "string"}},
               {{"id", "count"}, {"label", "Count"}, {"type", "integer"}, {"unit", "gadgets"}}}},
             {"rows", Json::array({Json::array({"<img src=x onerror=alert(1)>", 7}),
                                   Json::array({"plain", 3})})},
             {"chart", {{"type", "bar"}, {"x", "kind"}, {"y", {"count"}}}}},
            {{"id", "pie_table"},
             {"title", "A pie nobody draws"},
             {"columns",
              {{{"id", "k"}, {"label", "K"}, {"type", "string"}},
               {{"id", "v"}, {"label", "V"}, {"type", "percent"}}}},
             {"rows", Json::array({Json::array({"x", 0.5})})},
             {"chart", {{"type", "pie"}, {"x", "k"}, {"y", {"v"}}}}},
            {{"id", "broken"},
             {"title", "Broken table"},
             {"columns", {{{"id", "a"}, {"label", "A"}, {"type", "string"}}}},
             {"rows", Json::array({Json::array({"one", "two"})})}}}},
          {"matrices",
           {{{"id", "grid"},
             {"title", "Gadget grid"},
             {"rows", {{{"id", "r1"}, {"label", "Row <1>"}}, {{"id", "r2"}, {"label", "Row 2"}}}},
             {"columns", {{{"id", "c1"}, {"label", "Col 1"}}}},
             {"values", {{4}, {9}}},
             {"unit", "gadgets"},
             {"chart", "heatmap"}},
            // Shares its id with a table: both must get their own element id.
            {{"id", "per_kind"},
             {"title", "Gadgets per kind as a matrix"},
             {"rows", {{{"id", "k"}, {"label", "K"}}}},
             {"columns", {{{"id", "n"}, {"label", "N"}}}},
             {"values", {{1}}},
             {"chart", "table"}}}},
          {"findings",
           {{{"severity", "warning"},
             {"code", "gadgets.too_many"},
             {"message", "Too many <gadgets> & more"},
             {"evidence", {"<i>42</i> gadgets"}},
             {"source", "Gadget handbook <2024>"}},
            {{"severity", "info"},
             {"code", "gadgets.fine"},
             {"message", "Fine"},
             {"evidence", Json::array()},
             {"source", ""}}}}};
}

AnalysisReport Report(const Registry& registry, std::size_t businesses) {
  AnalysisReport report;
  for (std::size_t i = 0; i < businesses; ++i) report.cases.push_back("b" + std::to_string(i));
  report.analyzers.push_back({"canvas", Json::object(), CanvasResult(registry, businesses)});
  report.analyzers.push_back({"gadgets", Json::object(), UnknownResult()});
  report.analyzers.push_back({"crashing", Json::object(), nullptr});
  report.failures.push_back({"crashing", "add", 3, "boom <here>"});
  return report;
}

// data-row/data-column/data-value of every cell inside the element with id `figure`.
std::map<std::pair<std::string, std::string>, std::string> Cells(const std::string& html,
                                                                 const std::string& figure) {
  const auto begin = html.find("id=\"" + figure + "\"");
  const auto end = html.find("</figure>", begin);
  const std::string part = html.substr(begin, end - begin);
  std::map<std::pair<std::string, std::string>, std::string> cells;
  const std::regex re("data-row=\"([^\"]*)\" data-column=\"([^\"]*)\" data-value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(part.begin(), part.end(), re); it != std::sregex_iterator();
       ++it)
    cells[{(*it)[1], (*it)[2]}] = (*it)[3];
  return cells;
}

class HtmlReportTest : public ::testing::Test {
 protected:
  Registry registry_ = TwoLines();
  std::vector<Case> one_ = {MakeCase("acme", "<script>alert('Acme')</script> & Co")};
  std::string html_ = RenderHtml(Report(registry_, 1), registry_, one_);
};

TEST_F(HtmlReportTest, IsOneSelfContainedDocumentWithoutScriptsOrUrls) {
  EXPECT_EQ(html_.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_THAT(html_, HasSubstr("</html>\n"));
  EXPECT_THAT(html_, Not(HasSubstr("<script")));
  EXPECT_THAT(html_, Not(HasSubstr("http://")));
  EXPECT_THAT(html_, Not(HasSubstr("https://")));
  EXPECT_THAT(html_, Not(HasSubstr("<img")));
  EXPECT_THAT(html_, Not(HasSubstr("<link")));
  EXPECT_THAT(html_, Not(HasSubstr("url(")));
  EXPECT_THAT(html_, Not(HasSubstr("@import")));
  EXPECT_THAT(html_, HasSubstr("Content-Security-Policy\" content=\"default-src 'none'"));
  // Every link stays in the page.
  const std::regex href("href=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html_.begin(), html_.end(), href);
       it != std::sregex_iterator(); ++it)
    EXPECT_EQ((*it)[1].str().substr(0, 1), "#") << (*it)[1];
}

TEST_F(HtmlReportTest, EscapesEveryCaseAndPluginString) {
  EXPECT_THAT(html_, HasSubstr("&lt;script&gt;alert(&#39;Acme&#39;)&lt;/script&gt; &amp; Co"));
  EXPECT_THAT(html_, HasSubstr("Alpha &lt;model&gt;"));
  EXPECT_THAT(html_, HasSubstr("Gadgets &lt;b&gt;bold&lt;/b&gt;"));
  EXPECT_THAT(html_, HasSubstr("Summary with &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html_, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html_, HasSubstr("Too many &lt;gadgets&gt; &amp; more"));
  EXPECT_THAT(html_, HasSubstr("&lt;i&gt;42&lt;/i&gt; gadgets"));
  EXPECT_THAT(html_, HasSubstr("Gadget handbook &lt;2024&gt;"));
  EXPECT_THAT(html_, HasSubstr("boom &lt;here&gt;"));
  EXPECT_THAT(html_, Not(HasSubstr("<b>bold")));
  EXPECT_THAT(html_, Not(HasSubstr("<i>42")));
}

TEST_F(HtmlReportTest, HasEverySectionOnce) {
  for (const char* id : {"business", "canvas", "figures", "vertical", "horizontal", "findings",
                         "analyzers", "failures"}) {
    const std::string tag = std::string("<section id=\"") + id + "\">";
    ASSERT_THAT(html_, HasSubstr(tag));
    EXPECT_EQ(html_.find(tag), html_.rfind(tag)) << id;
  }
  EXPECT_THAT(html_, Not(HasSubstr("<section id=\"businesses\">")));
}

TEST_F(HtmlReportTest, CanvasCellsCarryTheMatrixValuesAndTheModelsThere) {
  const auto cells = Cells(html_, "fig-canvas-canvas");
  ASSERT_EQ(cells.size(), 14u);  // 2 lines x 7 blocks
  EXPECT_EQ(cells.at({"customer", "value_proposition"}), "1");
  EXPECT_EQ(cells.at({"customer", "customers"}), "2");
  EXPECT_EQ(cells.at({"value", "customers"}), "1");
  EXPECT_EQ(cells.at({"value", "value_proposition"}), "0");
  const auto to_be = Cells(html_, "fig-canvas-canvas-to_be");
  EXPECT_EQ(to_be.at({"customer", "customers"}), "1");
  // Both models have tasks on customer x customers; only beta (TO BE) on value x customers.
  EXPECT_THAT(html_, HasSubstr("data-row=\"customer\" data-column=\"customers\" data-value=\"2\" "
                               "data-markers=\"alpha beta\""));
  EXPECT_THAT(html_, HasSubstr("data-row=\"value\" data-column=\"customers\" data-value=\"1\" "
                               "data-markers=\"beta\""));
}

TEST_F(HtmlReportTest, DrawsAnUnknownPluginsResultsGenerically) {
  // The bar hint gives a chart with one bar per row, then the table itself.
  EXPECT_THAT(html_, HasSubstr("<section class=\"analyzer\" id=\"analyzer-gadgets\""));
  EXPECT_THAT(html_, HasSubstr("class=\"bar\" data-series=\"count\" data-category=\"plain\" "
                               "data-value=\"3\""));
  EXPECT_THAT(html_, HasSubstr("data-category=\"&lt;img src=x onerror=alert(1)&gt;\" "
                               "data-value=\"7\""));
  EXPECT_THAT(html_, HasSubstr("<td>plain</td><td class=\"num\">3</td>"));
  // An unknown hint: the table alone, with a note; the percent column as a percentage.
  EXPECT_THAT(html_, HasSubstr("The chart hint is not drawn: unknown chart type"));
  EXPECT_THAT(html_, HasSubstr("<td class=\"num\">50.0%</td>"));
  EXPECT_THAT(html_, Not(HasSubstr("data-table=\"pie_table\">\n<svg")));
  // Metrics (a share as a percentage), the heatmap with its values, the findings.
  EXPECT_THAT(html_, HasSubstr("data-metric=\"m1\"><th scope=\"row\">Gadget &lt;count&gt;</th>"
                               "<td class=\"num\">42</td><td>gadgets</td>"));
  EXPECT_THAT(html_, HasSubstr("<td class=\"num\">25.0%</td>"));
  const auto grid = Cells(html_, "gadgets-grid");
  EXPECT_EQ(grid.at({"r1", "c1"}), "4");
  EXPECT_EQ(grid.at({"r2", "c1"}), "9");
  EXPECT_THAT(html_, HasSubstr(">Row &lt;1&gt;</text>"));
}

TEST_F(HtmlReportTest, GroupsFindingsBySeverity) {
  // In the findings section (the summary above names the same codes).
  const auto section = html_.find("<section id=\"findings\">");
  ASSERT_NE(section, std::string::npos);
  const auto warnings = html_.find("<h3>Warnings (1)</h3>", section);
  const auto infos = html_.find("<h3>Infos (1)</h3>", section);
  ASSERT_NE(warnings, std::string::npos);
  ASSERT_NE(infos, std::string::npos);
  EXPECT_LT(warnings, html_.find("gadgets.too_many", section));
  EXPECT_LT(html_.find("gadgets.too_many", section), infos);
  EXPECT_LT(infos, html_.find("gadgets.fine", section));
  EXPECT_THAT(html_, Not(HasSubstr("<h3>Notices")));
}

// The summary opens the page: the warning before the info, each linked to its evidence.
TEST_F(HtmlReportTest, OpensWithTheSummary) {
  const auto summary = html_.find("<section id=\"summary\">");
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, html_.find("<section id=\"business\">"));
  const auto too_many = html_.find("data-code=\"gadgets.too_many\"", summary);
  const auto fine = html_.find("data-code=\"gadgets.fine\"", summary);
  ASSERT_NE(too_many, std::string::npos);
  ASSERT_NE(fine, std::string::npos);
  EXPECT_LT(too_many, fine);
  EXPECT_LT(fine, html_.find("<section id=\"business\">"));
  EXPECT_THAT(
      html_.substr(summary, html_.find("</section>", summary) - summary),
      HasSubstr(
          "Evidence: <a href=\"#findings\">Findings</a>, from <a href=\"#analyzer-gadgets\">"));
}

TEST_F(HtmlReportTest, ReportsMalformedPartsFailedPluginsAndMissingAnalyzers) {
  EXPECT_THAT(html_, HasSubstr("Table &quot;Broken table&quot; cannot be shown: row 1 has 2 "
                               "cells for 1 columns."));
  EXPECT_THAT(html_, HasSubstr("This analyzer failed"));
  EXPECT_THAT(html_, HasSubstr("<td><code>crashing</code></td><td>add</td>"));
  EXPECT_THAT(html_, HasSubstr("The <code>block_focus</code> analyzer plugin was not loaded"));
}

TEST_F(HtmlReportTest, ShowsThePortfolioWithStateStageAndValueFormula) {
  EXPECT_THAT(html_, HasSubstr("Portfolio: Main portfolio"));
  EXPECT_THAT(html_, HasSubstr("In no portfolio"));
  EXPECT_THAT(html_, HasSubstr("<span class=\"state as_is\">AS IS</span>"));
  EXPECT_THAT(html_, HasSubstr("<span class=\"state to_be\">TO BE</span>"));
  // Profit = 1000 - 1500, in the model's currency.
  EXPECT_THAT(html_, HasSubstr("<td class=\"num\">-500<span class=\"unit\">EUR</span></td>"));
  // The vertical map from the case: alpha's failed move into food.
  EXPECT_THAT(html_, HasSubstr("data-industry=\"food\" data-status=\"failed\""));
}

TEST_F(HtmlReportTest, ElementIdsAreUniqueAndEveryLinkHasATarget) {
  std::map<std::string, int> ids;
  const std::regex id(" id=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html_.begin(), html_.end(), id); it != std::sregex_iterator();
       ++it)
    ++ids[(*it)[1]];
  for (const auto& [name, count] : ids) EXPECT_EQ(count, 1) << name;
  EXPECT_EQ(ids.count("gadgets-per_kind"), 1u);
  EXPECT_EQ(ids.count("gadgets-per_kind-2"), 1u);
  const std::regex href("href=\"#([^\"]*)\"");
  for (auto it = std::sregex_iterator(html_.begin(), html_.end(), href);
       it != std::sregex_iterator(); ++it)
    EXPECT_EQ(ids.count((*it)[1]), 1u) << "dangling link #" << (*it)[1];
}

TEST_F(HtmlReportTest, IsDeterministic) {
  EXPECT_EQ(html_, RenderHtml(Report(registry_, 1), registry_, one_));
}

TEST(HtmlReport, SeveralBusinessesGetTheCrossCaseLayout) {
  const Registry registry = TwoLines();
  const std::vector<Case> cases = {MakeCase("one", "First"), MakeCase("two", "Second")};
  const std::string html = RenderHtml(Report(registry, 2), registry, cases);
  EXPECT_THAT(html, HasSubstr("<section id=\"businesses\">"));
  EXPECT_THAT(html, Not(HasSubstr("<section id=\"business\">")));
  EXPECT_THAT(html, HasSubstr("<h1>BMIL report: 2 businesses</h1>"));
  EXPECT_THAT(html, HasSubstr("<tr data-business=\"one\">"));
  EXPECT_THAT(html, HasSubstr("<tr data-business=\"two\">"));
  // The canvas is the analyzer's (summed) matrix; its chips name businesses, not models.
  const auto cells = Cells(html, "fig-canvas-canvas");
  EXPECT_EQ(cells.at({"customer", "customers"}), "4");
  EXPECT_THAT(html, HasSubstr("data-row=\"customer\" data-column=\"customers\" data-value=\"4\" "
                              "data-markers=\"one two\""));
  // Both businesses' models that left their home industry, named with their business.
  EXPECT_THAT(html, HasSubstr("First: Alpha &lt;model&gt;"));
  EXPECT_THAT(html, HasSubstr("Second: Alpha &lt;model&gt;"));
}

// Cases that streamed (bmil report over many): the first ones kept describe businesses,
// the totals count all, and a finding names its businesses by name.
TEST(HtmlReport, StreamedCasesKeepTheFirstAndCountAll) {
  const Registry registry = TwoLines();
  ReportCases cases(3);  // below the minimum: 12 are kept
  for (int i = 0; i < 15; ++i) {
    cases.Add(MakeCase("b" + std::to_string(i), "Business " + std::to_string(i)));
  }
  EXPECT_EQ(cases.kept().size(), 12u);
  EXPECT_EQ(cases.totals().businesses, 15u);
  EXPECT_FALSE(cases.complete());
  AnalysisReport report = Report(registry, 15);
  report.analyzers[0].result["findings"] =
      Json::array({{{"severity", "notice"},
                    {"code", "canvas.probe"},
                    {"message", "A finding on two businesses."},
                    {"evidence", Json::array()},
                    {"source", "test"},
                    {"businesses", {"b1", "b13"}}}});
  const std::string html = RenderHtml(report, registry, cases);
  // 15 businesses of 2 models and 2 tasks each, from the totals.
  EXPECT_THAT(html, HasSubstr("analysis of 15 businesses, 30 business models and 30 BMI tasks"));
  std::size_t rows = 0;
  for (auto at = html.find("<tr data-business="); at != std::string::npos;
       at = html.find("<tr data-business=", at + 1))
    ++rows;
  EXPECT_EQ(rows, 12u);
  EXPECT_THAT(html, HasSubstr("The first 12 of 15 businesses are listed"));
  EXPECT_THAT(html, HasSubstr("The map shows the first 12 of 15 businesses"));
  // Not every business is known: none is placed on the canvas by name.
  EXPECT_THAT(html, Not(HasSubstr("data-markers=")));
  // b1 by its name; b13 was not kept, so by its id.
  EXPECT_THAT(html, HasSubstr("<p class=\"businesses\">Businesses: Business 1, b13</p>"));
}

}  // namespace
}  // namespace bmil
