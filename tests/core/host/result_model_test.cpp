// The result model checked on arrival: what the bundled plugins' ResultBuilder writes
// passes, and each breach is named by its JSON pointer.
#include "host/result_model.hpp"

#include <bmil/sdk/result_builder.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace bmil {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

Json Valid() {
  sdk::ResultBuilder result("probe", "Probe");
  result.Summary("A probe.");
  result.AddMetric("n", "N", 3, "tasks");
  auto table = result.AddTable("t", "T", {{"a", "A"}, {"b", "B", "integer", "tasks"}});
  table.AddRow({"x", 1});
  table.Chart("bar", "a", {"b"});
  result.AddFinding(sdk::Severity::kInfo, "probe.f", "Message.", {"evidence"}, "Lindgren 2012");
  return Json::parse(result.Take().dump());
}

TEST(ResultModel, TheBuildersResultPasses) { EXPECT_EQ(ResultModelProblem(Valid(), "probe"), ""); }

TEST(ResultModel, EachBreachIsNamedByItsPointer) {
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> breaches = {
      {[](Json& r) { r.erase("tables"); }, "/tables: missing"},
      {[](Json& r) { r["extra"] = 1; }, "/extra: not a member of the result"},
      {[](Json& r) { r["analyzer"] = "other"; },
       "/analyzer: \"other\", but the result comes from plugin \"probe\""},
      {[](Json& r) { r["analyzer"] = "Bad Id"; }, "/analyzer: \"Bad Id\" is not a plugin id"},
      {[](Json& r) { r["metrics"][0]["value"] = "3"; }, "/metrics/0/value: not a number or null"},
      {[](Json& r) { r["tables"][0]["rows"][0].push_back(2); },
       "/tables/0/rows/0: 3 cells for 2 columns"},
      {[](Json& r) { r["tables"][0]["rows"][0][1] = Json::array(); },
       "/tables/0/rows/0/1: a cell is not a scalar"},
      {[](Json& r) { r["tables"][0]["columns"][1]["type"] = "money"; },
       "/tables/0/columns/1/type: \"money\" is none of"},
      {[](Json& r) { r["tables"][0]["chart"]["type"] = "pie"; },
       "/tables/0/chart/type: \"pie\" is none of bar, stacked_bar, line"},
      {[](Json& r) { r["findings"][0]["severity"] = "fatal"; },
       "/findings/0/severity: \"fatal\" is none of info, notice, warning"},
      {[](Json& r) { r["findings"][0]["evidence"] = {1}; }, "/findings/0/evidence/0: not a string"},
      {[](Json& r) { r["findings"][0]["businesses"] = "kellpo"; },
       "/findings/0/businesses: not an array"},
      {[](Json& r) {
         r["findings"][0]["businesses"] = {"kellpo", 2};
       },
       "/findings/0/businesses/1: not a string"},
      {[](Json& r) { r["findings"][0]["business"] = {"kellpo"}; },
       "/findings/0/business: not a member of a finding"},
      {[](Json& r) {
         r["matrices"].push_back({{"id", "m"},
                                  {"title", "M"},
                                  {"rows", {{{"id", "r"}, {"label", "R"}}}},
                                  {"columns", {{{"id", "c"}, {"label", "C"}}}},
                                  {"values", {{1}, {2}}}});
       },
       "/matrices/0/values: 2 rows of values for 1 rows"},
      {[](Json& r) { r = Json::array(); }, "the result is not a JSON object"},
  };
  for (const auto& [breach, problem] : breaches) {
    Json result = Valid();
    breach(result);
    EXPECT_THAT(ResultModelProblem(result, "probe"), HasSubstr(problem)) << problem;
  }
}

// Result model 1.2: a finding names the businesses it concerns; without any, the member is
// left out (a count of the rest), so results of older plugins read the same.
TEST(ResultModel, FindingsMayNameTheirBusinesses) {
  sdk::ResultBuilder result("probe", "Probe");
  result.AddFinding(sdk::Severity::kNotice, "probe.one", "One.", {}, "s", {"kellpo", "infolink"});
  result.AddFinding(sdk::Severity::kNotice, "probe.rest", "Rest.", {}, "s");
  const Json json = Json::parse(result.Take().dump());
  EXPECT_EQ(json["findings"][0]["businesses"], Json::array({"kellpo", "infolink"}));
  EXPECT_FALSE(json["findings"][1].contains("businesses"));
  EXPECT_EQ(ResultModelProblem(json, "probe"), "");
}

TEST(ResultModel, MatricesMayCarryMoreMembers) {
  Json result = Valid();
  result["matrices"].push_back({{"id", "m"},
                                {"title", "M"},
                                {"rows", {{{"id", "r"}, {"label", "R"}}}},
                                {"columns", {{{"id", "c"}, {"label", "C"}}}},
                                {"values", {{1}}},
                                {"row_dimension", "leadership_line"}});
  EXPECT_EQ(ResultModelProblem(result, "probe"), "");
}

TEST(JsonNestingDepth, CountsBracketsOutsideStrings) {
  EXPECT_EQ(JsonNestingDepth("1"), 0u);
  EXPECT_EQ(JsonNestingDepth(R"({"a":[1,{"b":[]}]})"), 4u);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[[\"[["})"), 1u);
  EXPECT_EQ(JsonNestingDepth(std::string(100000, '[') + std::string(100000, ']')), 100000u);
}

}  // namespace
}  // namespace bmil
