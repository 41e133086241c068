// Tests of the canvas analyzer's listing (the per-model table and canvases) and findings on
// hand-built cases. Every expected number is worked out by hand in the comments.
#include "plugins/analyzer_harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace bmil::test {
namespace {

using Json = nlohmann::json;

const Json* FindingOf(const Json& result, const std::string& code) {
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code) return &f;
  return nullptr;
}

// The ids of the per-model canvases ("canvas.bm.<...>"), in order.
std::vector<std::string> ModelCanvases(const Json& result) {
  std::vector<std::string> ids;
  for (const auto& m : result.at("matrices")) {
    const std::string id = m.at("id");
    if (id.rfind("canvas.bm.", 0) == 0) ids.push_back(id);
  }
  return ids;
}

// b0..b<n-1>: one AS IS model m with one task on value_proposition through the value line
// (the classic corner).
std::vector<Case> OneModelEach(int n) {
  std::vector<Case> cases;
  for (int i = 0; i < n; ++i) {
    Case c = MakeCase("b" + std::to_string(i));
    AddModel(c, "m", State::kAsIs);
    AddTask(c, "t1", "m", {"value_proposition"}, {"value"});
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(Canvas, MaxRowsCapsThePerModelListingButNotTheCounts) {
  const std::vector<Case> cases = OneModelEach(3);
  const std::string config = ListingConfig({{"max_rows", 2}});
  const Json r = RunAnalyzer("canvas", cases, config);
  EXPECT_EQ(Metric(r, "business_models"), 3);
  EXPECT_EQ(Metric(r, "tasks"), 3);
  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 2u);
  EXPECT_EQ(models.at("title"), "BMI tasks per business model (first 2 of 3)");
  EXPECT_EQ(models.at("rows")[1], Json::parse(R"(["b1", "m", "as_is", 1, 1])"));
  // 3 models (at most 40): a canvas for each listed model.
  EXPECT_EQ(ModelCanvases(r), (std::vector<std::string>{"canvas.bm.b0/m", "canvas.bm.b1/m"}));
  ExpectEverySplitEquals("canvas", cases, r, config);
  // By default all three are listed, under a title without "first".
  const Json all_listed = RunAnalyzer("canvas", cases);
  EXPECT_EQ(Table(all_listed, "business_models").at("rows").size(), 3u);
  EXPECT_EQ(Table(all_listed, "business_models").at("title"), "BMI tasks per business model");
  EXPECT_EQ(ModelCanvases(all_listed).size(), 3u);
}

TEST(Canvas, AllLiftsTheCap) {
  const std::vector<Case> cases = OneModelEach(250);
  const std::string config = ListingConfig({{"all", true}});
  const Json r = RunAnalyzer("canvas", cases, config);
  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 250u);
  EXPECT_EQ(models.at("title"), "BMI tasks per business model");
  EXPECT_EQ(models.at("rows")[249].at(0), "b249");
  EXPECT_TRUE(ModelCanvases(r).empty());  // more than 40 models: no per-model canvas
  for (std::size_t k : {std::size_t{0}, std::size_t{125}})
    EXPECT_EQ(RunAnalyzerSplit("canvas", cases, k, config), r) << "split " << k;
  // By default: the first 200.
  const Json capped = RunAnalyzer("canvas", cases);
  EXPECT_EQ(Table(capped, "business_models").at("rows").size(), 200u);
  EXPECT_EQ(Table(capped, "business_models").at("title"),
            "BMI tasks per business model (first 200 of 250)");
}

TEST(Canvas, ALoadedStateKeepsThePrefixItsCapAllows) {
  const std::vector<Case> cases = OneModelEach(250);
  PluginInstance all = NewInstance("canvas", ListingConfig({{"all", true}}));
  AddAll(all, cases);
  PluginInstance loaded = NewInstance("canvas");
  ASSERT_FALSE(loaded.Load(SavedState(all).dump()).has_value());
  EXPECT_EQ(FinishOf(loaded), RunAnalyzer("canvas", cases));
}

TEST(Canvas, FindingsOnTheWholeCanvasCarryNoBusiness) {
  // 2 placements, both in the classic corner (100%); six lines lead no task.
  const std::vector<Case> cases = OneModelEach(2);
  const Json r = RunAnalyzer("canvas", cases);
  const Json* corner = FindingOf(r, "canvas.classic_corner");
  const Json* unused = FindingOf(r, "canvas.unused_lines");
  ASSERT_NE(corner, nullptr);
  ASSERT_NE(unused, nullptr);
  EXPECT_EQ(corner->at("evidence")[0], "100% of 2 placements are in the corner");
  EXPECT_EQ(BusinessesOf(*corner), std::vector<std::string>{});
  EXPECT_EQ(BusinessesOf(*unused), std::vector<std::string>{});
}

TEST(Canvas, RefusesMalformedListingCaps) {
  for (const Json& listing : {Json{{"max_rows", 0}}, Json{{"max_rows", -1}},
                              Json{{"max_rows", "2"}}, Json{{"all", 1}}, Json(2)}) {
    auto created = Analyzer("canvas").Create(ListingConfig(listing));
    ASSERT_TRUE(std::holds_alternative<CallError>(created)) << listing;
    EXPECT_EQ(std::get<CallError>(created).status, BMIL_ERROR_INVALID_ARGUMENT) << listing;
  }
}

}  // namespace
}  // namespace bmil::test
