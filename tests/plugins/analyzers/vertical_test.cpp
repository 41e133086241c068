// Tests of the vertical analyzer on hand-built cases: every expected number is worked out by
// hand in the comments.
#include "plugins/analyzer_harness.hpp"

// The analyzer's attribute scanner, compared with nlohmann below.
#include "../../../plugins/analyzers/vertical/plain_json.hpp"

#include <bmil/case_io.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <variant>
#include <vector>

namespace bmil::test {
namespace {

using Json = nlohmann::json;

std::size_t Count(const std::vector<std::string>& codes, const std::string& code) {
  return static_cast<std::size_t>(std::count(codes.begin(), codes.end(), code));
}

const Json* FindingOf(const Json& result, const std::string& code) {
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code) return &f;
  return nullptr;
}

// The row of `table` whose first cells equal `key`.
const Json* RowOf(const Json& table, const std::vector<std::string>& key) {
  for (const auto& row : table.at("rows")) {
    bool match = true;
    for (std::size_t i = 0; i < key.size(); ++i) match = match && row.at(i) == key[i];
    if (match) return &row;
  }
  return nullptr;
}

Industry In(const std::string& id, IndustryStatus status) { return {id, status}; }

// b1, after Provital:
//   m1 AS IS market; water home, smoke succeeded, car failed; stage history concept 2008,
//      prototype 2009-03, market 2011-10.
//      t1 names car, starts 2010   -> stage on 1 Jan 2010: prototype -> before market
//      t2 names smoke, starts 2012 -> stage on 1 Jan 2012: market    -> at market
//      t3 names smoke, starts 2013 -> later than t2; t2 dates the move
//      t4 "industries": [car] (plural) -> not a move task, ignored
//   m2 AS IS market; water home                     -> one industry
//   m3 TO BE concept; retail attempted, no home     -> one industry; a first market, no move
//   m4 TO BE prototype; water home, food attempted; no history, no task
//                                                   -> current stage prototype: before market
//   m5 AS IS, no industries                         -> not counted in the single-industry share
// Models 5; naming industries 4 (m1-m4); one industry 2 (m2, m3): share 2/4 = 0.5, not more
// than half -> no vertical.single_industry.
// Moves 3: smoke succeeded (at market), car failed (before), food attempted (before).
// Success rate: succeeded / (succeeded + failed) = 1 / 2 = 0.5.
Case ProvitalLike() {
  Case c = MakeCase("b1");
  BusinessModel& m1 = AddModel(c, "m1", State::kAsIs, Stage::kMarket);
  m1.industries = {In("water", IndustryStatus::kHome), In("smoke", IndustryStatus::kSucceeded),
                   In("car", IndustryStatus::kFailed)};
  m1.attributes = Json::parse(R"({"stage_history": [{"stage": "prototype", "from": "2009-03"},
                                  {"stage": "concept", "from": "2008"},
                                  {"stage": "market", "from": "2011-10"}]})");
  AddModel(c, "m2", State::kAsIs, Stage::kMarket).industries = {In("water", IndustryStatus::kHome)};
  AddModel(c, "m3", State::kToBe, Stage::kConcept).industries = {
      In("retail", IndustryStatus::kAttempted)};
  AddModel(c, "m4", State::kToBe, Stage::kPrototype).industries = {
      In("water", IndustryStatus::kHome), In("food", IndustryStatus::kAttempted)};
  AddModel(c, "m5", State::kAsIs, Stage::kMarket);
  AddTask(c, "t1", "m1", {"customers"}, {"customer"}, "2010").attributes = {{"industry", "car"}};
  AddTask(c, "t2", "m1", {"customers"}, {"customer"}, "2012").attributes = {{"industry", "smoke"}};
  AddTask(c, "t3", "m1", {"customers"}, {"customer"}, "2013").attributes = {{"industry", "smoke"}};
  AddTask(c, "t4", "m1", {"customers"}, {"customer"}, "2009").attributes = {
      {"industries", Json::array({"car"})}};
  return c;
}

TEST(Vertical, CountsModelsIndustriesAndMoves) {
  const std::vector<Case> cases = {ProvitalLike()};
  const Json r = RunAnalyzer("vertical", cases);
  EXPECT_EQ(Metric(r, "businesses"), 1);
  EXPECT_EQ(Metric(r, "business_models"), 5);
  EXPECT_EQ(Metric(r, "models_with_industries"), 4);
  EXPECT_EQ(Metric(r, "single_industry_models"), 2);
  EXPECT_DOUBLE_EQ(Metric(r, "single_industry_share"), 0.5);  // 2 / 4
  EXPECT_EQ(Metric(r, "models_with_moves"), 2);               // m1, m4
  EXPECT_EQ(Metric(r, "moves"), 3);
  EXPECT_EQ(Metric(r, "moves_attempted"), 1);
  EXPECT_EQ(Metric(r, "moves_succeeded"), 1);
  EXPECT_EQ(Metric(r, "moves_failed"), 1);
  EXPECT_DOUBLE_EQ(Metric(r, "move_success_rate"), 0.5);  // 1 / (1 + 1)
  EXPECT_EQ(Metric(r, "industries_without_home"), 1);     // m3's retail
  EXPECT_EQ(Metric(r, "moves_before_market"), 2);         // car (history), food (current)
}

TEST(Vertical, TablesListOutcomesModelsMovesAndSingleIndustryModels) {
  const std::vector<Case> cases = {ProvitalLike()};
  const Json r = RunAnalyzer("vertical", cases);

  // outcome, moves, at market, before market, stage unknown
  const Json& outcomes = Table(r, "moves_by_outcome");
  ASSERT_EQ(outcomes.at("rows").size(), 3u);
  EXPECT_EQ(outcomes.at("rows")[0], Json::parse(R"j(["attempted", 1, 0, 1, 0])j"));  // food
  EXPECT_EQ(outcomes.at("rows")[1], Json::parse(R"j(["succeeded", 1, 1, 0, 0])j"));  // smoke
  EXPECT_EQ(outcomes.at("rows")[2], Json::parse(R"j(["failed", 1, 0, 1, 0])j"));     // car
  EXPECT_EQ(outcomes.at("chart").at("type"), "stacked_bar");

  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 5u);
  const Json m1_row = Json::array(
      {"m1", "m1", "as_is", "market", "water (home), smoke (succeeded), car (failed)", 3, 2, 1});
  EXPECT_EQ(models.at("rows")[0], m1_row);
  EXPECT_EQ(models.at("rows")[2],
            Json::parse(R"j(["m3", "m3", "to_be", "concept", "retail (attempted)", 1, 0, 0])j"));
  EXPECT_EQ(models.at("rows")[4], Json::parse(R"j(["m5", "m5", "as_is", "market", "", 0, 0, 0])j"));

  // model, industry, outcome, start, stage at the move, stage from, before market
  const Json& moves = Table(r, "moves");
  ASSERT_EQ(moves.at("rows").size(), 3u);
  EXPECT_EQ(
      *RowOf(moves, {"m1", "smoke"}),
      Json::parse(R"j(["m1", "smoke", "succeeded", 2012, "market", "stage history", "no"])j"));
  EXPECT_EQ(*RowOf(moves, {"m1", "car"}),
            Json::parse(R"j(["m1", "car", "failed", 2010, "prototype", "stage history", "yes"])j"));
  EXPECT_EQ(
      *RowOf(moves, {"m4", "food"}),
      Json::parse(R"(["m4", "food", "attempted", null, "prototype", "current stage", "yes"])"));

  const Json& single = Table(r, "single_industry_models");
  ASSERT_EQ(single.at("rows").size(), 2u);
  EXPECT_EQ(single.at("rows")[0], Json::parse(R"j(["m2", "water", "home"])j"));
  EXPECT_EQ(single.at("rows")[1], Json::parse(R"j(["m3", "retail", "attempted"])j"));
}

TEST(Vertical, WarnsAboutMovesBeforeMarketWithTheirEvidence) {
  const std::vector<Case> cases = {ProvitalLike()};
  const Json r = RunAnalyzer("vertical", cases);
  const Json* f = FindingOf(r, "vertical.move_before_market");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("severity"), "warning");
  EXPECT_EQ(f->at("source"), "Lindgren 2012, sec. 3.3.1 and Fig. 9 (Provital)");
  const std::vector<std::string> evidence = f->at("evidence");
  ASSERT_EQ(evidence.size(), 3u);
  EXPECT_EQ(evidence[0],
            "m1 into car (failed): the model was at stage prototype when the move started in "
            "2010 (stage history; stage now market)");
  EXPECT_EQ(evidence[1],
            "m4 into food (attempted): the model was at stage prototype (current "
            "stage)");
  EXPECT_EQ(evidence[2], "2 of 3 moves made at stage idea, concept or prototype; threshold: any");
  // 2 of 4 models naming industries have one: exactly half is not "most".
  EXPECT_EQ(FindingOf(r, "vertical.single_industry"), nullptr);
}

// One model at home in "water" that moved into "smoke" (succeeded), its move task starting
// in `task_year`, and a stage history reaching market on `market_from` (none when empty);
// `stage` is the model's current stage.
Case OneMove(const std::string& market_from, const std::string& task_year, Stage stage) {
  Case c = MakeCase("b1");
  BusinessModel& m = AddModel(c, "m1", State::kAsIs, stage);
  m.industries = {In("water", IndustryStatus::kHome), In("smoke", IndustryStatus::kSucceeded)};
  if (!market_from.empty()) {
    m.attributes = {{"stage_history", Json::array({{{"stage", "prototype"}, {"from", "2008"}},
                                                   {{"stage", "market"}, {"from", market_from}}})}};
  }
  AddTask(c, "t1", "m1", {"customers"}, {"customer"}, task_year).attributes = {
      {"industry", "smoke"}};
  return c;
}

bool WarnsBeforeMarket(const Case& c) {
  const std::vector<Case> cases = {c};
  return FindingOf(RunAnalyzer("vertical", cases), "vertical.move_before_market") != nullptr;
}

TEST(Vertical, MoveBeforeMarketThresholdOnTheStageHistory) {
  // Market from "2011" counts from 1 January 2011: a move in 2011 is at market.
  EXPECT_FALSE(WarnsBeforeMarket(OneMove("2011", "2011", Stage::kMarket)));
  // Market from "2011-02": on 1 January 2011 the model was still a prototype.
  EXPECT_TRUE(WarnsBeforeMarket(OneMove("2011-02", "2011", Stage::kMarket)));
  // A move a year later is at market.
  EXPECT_FALSE(WarnsBeforeMarket(OneMove("2011-02", "2012", Stage::kMarket)));
  // Before the first entry (prototype from 2008): the first entry's stage, prototype.
  EXPECT_TRUE(WarnsBeforeMarket(OneMove("2011", "2007", Stage::kMarket)));
}

TEST(Vertical, MoveBeforeMarketThresholdOnTheCurrentStage) {
  // No stage history: the model's current stage decides.
  EXPECT_FALSE(WarnsBeforeMarket(OneMove("", "2011", Stage::kMarket)));
  EXPECT_FALSE(WarnsBeforeMarket(OneMove("", "2011", Stage::kRetired)));
  EXPECT_TRUE(WarnsBeforeMarket(OneMove("", "2011", Stage::kPrototype)));
  EXPECT_TRUE(WarnsBeforeMarket(OneMove("", "2011", Stage::kIdea)));
  // Stage not stated: unknown, no warning.
  EXPECT_FALSE(WarnsBeforeMarket(OneMove("", "2011", Stage::kUnstated)));
  // A history but an undated move task: the current stage decides.
  EXPECT_TRUE(WarnsBeforeMarket(OneMove("2011", "", Stage::kConcept)));
  EXPECT_FALSE(WarnsBeforeMarket(OneMove("2011", "", Stage::kMarket)));

  const std::vector<Case> unknown = {OneMove("", "2011", Stage::kUnstated)};
  const Json r = RunAnalyzer("vertical", unknown);
  EXPECT_EQ(Table(r, "moves_by_outcome").at("rows")[1],
            Json::parse(R"j(["succeeded", 1, 0, 0, 1])j"));
  EXPECT_EQ(Table(r, "moves").at("rows")[0].at(6), "unknown");
}

// b1 with `single` models naming one industry and `multi` naming two.
Case Industries(int single, int multi) {
  Case c = MakeCase("b1");
  for (int i = 0; i < single; ++i)
    AddModel(c, "s" + std::to_string(i), State::kAsIs).industries = {
        In("water", IndustryStatus::kHome)};
  for (int i = 0; i < multi; ++i)
    AddModel(c, "m" + std::to_string(i), State::kAsIs).industries = {
        In("water", IndustryStatus::kHome), In("smoke", IndustryStatus::kAttempted)};
  return c;
}

TEST(Vertical, SingleIndustryThresholdIsMoreThanHalf) {
  // 2 of 4 = 0.5: not more than half.
  const std::vector<Case> half = {Industries(2, 2)};
  EXPECT_EQ(Count(FindingCodes(RunAnalyzer("vertical", half)), "vertical.single_industry"), 0u);
  // 3 of 5 = 0.6: more than half.
  const std::vector<Case> most = {Industries(3, 2)};
  const Json r = RunAnalyzer("vertical", most);
  const Json* f = FindingOf(r, "vertical.single_industry");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("severity"), "info");
  EXPECT_EQ(f->at("evidence")[0],
            "3 of 5 business models that name their industries name only one (60%); threshold: "
            "more than 50%");
  EXPECT_EQ(f->at("evidence")[1], "confined: s0, s1, s2");
  // The attempted moves of m0 and m1 are at an unstated stage: no warning.
  EXPECT_EQ(FindingOf(r, "vertical.move_before_market"), nullptr);
}

// A retired model is off the market: it is not advised to seek other industries, and does
// not count among the models that could (issue 17; Aikon's glass kitchen and health
// information system). 2 single-industry models and 2 multi-industry ones (2 of 4: no
// finding), plus 3 retired single-industry ones that would make it 5 of 7.
TEST(Vertical, RetiredModelsAreNotAdvisedToSeekOtherIndustries) {
  Case c = Industries(2, 2);
  for (int i = 0; i < 3; ++i)
    AddModel(c, "r" + std::to_string(i), State::kAsIs, Stage::kRetired).industries = {
        In("water", IndustryStatus::kHome)};
  const std::vector<Case> cases = {c};
  const Json r = RunAnalyzer("vertical", cases);
  EXPECT_EQ(Metric(r, "models_with_industries"), 4);
  EXPECT_EQ(Metric(r, "single_industry_models"), 2);
  EXPECT_DOUBLE_EQ(Metric(r, "single_industry_share"), 0.5);
  EXPECT_EQ(FindingOf(r, "vertical.single_industry"), nullptr);
  for (const Json& row : Table(r, "single_industry_models").at("rows")) {
    EXPECT_NE(row.at(1).get<std::string>().front(), 'r') << row;
  }
}

TEST(Vertical, NoIndustriesGiveNullShares) {
  Case c = MakeCase("b1");
  AddModel(c, "m1", State::kAsIs);
  const std::vector<Case> cases = {c};
  const Json r = RunAnalyzer("vertical", cases);
  EXPECT_TRUE(FindById(r.at("metrics"), "single_industry_share")->at("value").is_null());
  EXPECT_TRUE(FindById(r.at("metrics"), "move_success_rate")->at("value").is_null());
  EXPECT_TRUE(r.at("findings").empty());
}

TEST(Vertical, ManyBusinessesNameModelsByBusinessAndMergeLikeOneRun) {
  Case b2 = Industries(3, 2);
  b2.business.id = "b2";
  const std::vector<Case> cases = {ProvitalLike(), b2};
  const Json whole = RunAnalyzer("vertical", cases);
  ExpectEverySplitEquals("vertical", cases, whole);
  // Models 5 + 5; single 2 + 3 = 5 of 4 + 5 = 9 naming industries: 5/9 > 1/2.
  EXPECT_EQ(Metric(whole, "business_models"), 10);
  EXPECT_DOUBLE_EQ(Metric(whole, "single_industry_share"), 5.0 / 9.0);
  // Moves: 3 in b1, 2 attempted (stage not stated) in b2.
  EXPECT_EQ(Metric(whole, "moves"), 5);
  EXPECT_EQ(Metric(whole, "moves_attempted"), 3);
  EXPECT_EQ(Table(whole, "business_models").at("rows")[5].at(0), "b2/s0");
  EXPECT_NE(RowOf(Table(whole, "moves"), {"b1/m1", "car"}), nullptr);
  EXPECT_EQ(FindingOf(whole, "vertical.move_before_market")
                ->at("evidence")[0]
                .get<std::string>()
                .rfind("b1/m1 into car", 0),
            0u);
  EXPECT_NE(FindingOf(whole, "vertical.single_industry"), nullptr);
}

TEST(Vertical, ListingTablesStopAt200RowsWhileCountsCoverAll) {
  // 3 businesses x 70 single-industry models = 210 models.
  std::vector<Case> cases;
  for (int b = 0; b < 3; ++b) {
    Case c = Industries(70, 0);
    c.business.id = "b" + std::to_string(b);
    cases.push_back(c);
  }
  const Json r = RunAnalyzer("vertical", cases);
  EXPECT_EQ(Metric(r, "business_models"), 210);
  EXPECT_EQ(Metric(r, "single_industry_models"), 210);
  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 200u);
  EXPECT_EQ(models.at("rows").back().at(0), "b2/s59");  // 70 + 70 + 60 = 200
  EXPECT_EQ(Table(r, "single_industry_models").at("rows").size(), 200u);
  EXPECT_EQ(RunAnalyzerSplit("vertical", cases, 2), r);
}

Case Example(const std::string& name) {
  const LoadResult loaded =
      LoadCaseFile(std::filesystem::path(BMIL_SOURCE_DIR) / "examples" / "cases" / (name + ".json"),
                   BuiltRegistry());
  EXPECT_TRUE(loaded.ok()) << name;
  return loaded.ok() ? *loaded.value : MakeCase(name);
}

TEST(Vertical, ProvitalExampleWarnsAboutTheCarWashMoveOnly) {
  const std::vector<Case> cases = {Example("provital")};
  const Json r = RunAnalyzer("vertical", cases);
  // water_cleaning: smoke_cleaning succeeded (pv07, 2012: market since 2011-10), car_wash
  // failed (pv05, 2010: prototype since 2009-03; pv13 of 2012 is later).
  EXPECT_EQ(Metric(r, "moves"), 2);
  EXPECT_EQ(Metric(r, "moves_before_market"), 1);
  const Json* f = FindingOf(r, "vertical.move_before_market");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[0],
            "water_cleaning into car_wash (failed): the model was at stage prototype when the "
            "move started in 2010 (stage history; stage now market)");
}

TEST(Vertical, OtherExamplesHaveNoMoveBeforeMarket) {
  // Aikon's online shop lists only retail (attempted) and no home industry: a first market,
  // not a move.
  for (const std::string name : {"katalabs", "kellpo", "aikon", "infolink"}) {
    const std::vector<Case> cases = {Example(name)};
    const Json r = RunAnalyzer("vertical", cases);
    EXPECT_EQ(Metric(r, "moves"), 0) << name;
    EXPECT_EQ(FindingOf(r, "vertical.move_before_market"), nullptr) << name;
  }
}

// Attribute texts with escapes and non-ASCII characters, which the analyzer leaves to
// nlohmann, date moves as plain ones do. m1 at home in water moved into smoke (succeeded) by
// t1 of 2011; its stage history: prototype from 2008, an entry whose stage is not a string
// (ignored), market from 2011-02. On 1 January 2011 the model was a prototype: before market.
// t2 of 2009 names its industry in a list, not a string: it dates nothing.
Case MoveWithAttributes(const std::string& note) {
  Case c = MakeCase("b1");
  BusinessModel& m = AddModel(c, "m1", State::kAsIs, Stage::kMarket);
  m.industries = {In("water", IndustryStatus::kHome), In("smoke", IndustryStatus::kSucceeded)};
  m.attributes = {
      {"note", note},
      {"stage_history", Json::array({{{"stage", "prototype"}, {"from", "2008"}, {"by", note}},
                                     {{"stage", 4}, {"from", "2009"}},
                                     {{"stage", "market"}, {"from", "2011-02"}}})}};
  AddTask(c, "t1", "m1", {"customers"}, {"customer"}, "2011").attributes = {{"industry", "smoke"},
                                                                            {"note", note}};
  AddTask(c, "t2", "m1", {"customers"}, {"customer"}, "2009").attributes = {
      {"industry", Json::array({"smoke"})}};
  return c;
}

TEST(Vertical, AttributesNlohmannReadsDateMovesAsPlainOnes) {
  for (const std::string note :
       {"plain words", "a \"quoted\" word", "r\u00f8d gr\u00f8d", "tab\tend"}) {
    const std::vector<Case> cases = {MoveWithAttributes(note)};
    const Json r = RunAnalyzer("vertical", cases);
    EXPECT_EQ(Metric(r, "moves_before_market"), 1) << note;
    const Json* f = FindingOf(r, "vertical.move_before_market");
    ASSERT_NE(f, nullptr) << note;
    EXPECT_EQ(f->at("evidence")[0],
              "m1 into smoke (succeeded): the model was at stage prototype when the move started "
              "in 2011 (stage history; stage now market)")
        << note;
  }
}

// Whether the scanner's value `v` is the value nlohmann parsed, `j`, for everything the analyzer
// reads: kinds, members (the last of a repeated key), elements, strings, and the other values.
void ExpectSame(const vertical::PlainValue& v, const Json& j, const std::string& text) {
  using vertical::PlainJson;
  using vertical::PlainKind;
  switch (v.kind) {
    case PlainKind::kObject: {
      ASSERT_TRUE(j.is_object()) << text;
      std::vector<std::string> keys;
      PlainJson::Members(v, [&](std::string_view key, const vertical::PlainValue&) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.emplace_back(key);
      });
      EXPECT_EQ(keys.size(), j.size()) << text;
      for (const auto& [key, value] : j.items()) {
        vertical::PlainValue member;
        ASSERT_TRUE(PlainJson::Find(v, key, member)) << text;
        ExpectSame(member, value, text);
      }
      break;
    }
    case PlainKind::kArray: {
      ASSERT_TRUE(j.is_array()) << text;
      std::size_t i = 0;
      PlainJson::Elements(v, [&](const vertical::PlainValue& element) {
        ASSERT_LT(i, j.size()) << text;
        ExpectSame(element, j[i++], text);
      });
      EXPECT_EQ(i, j.size()) << text;
      break;
    }
    case PlainKind::kString:
      ASSERT_TRUE(j.is_string()) << text;
      EXPECT_EQ(v.string(), j.get<std::string>()) << text;
      break;
    case PlainKind::kOther:
      EXPECT_FALSE(j.is_object() || j.is_array() || j.is_string()) << text;
      EXPECT_EQ(Json::parse(v.text), j) << text;
      break;
  }
}

// Checks `text` with the scanner; when it claims the text, nlohmann must parse it to the same
// value. Returns whether the scanner claimed it.
bool CheckAgainstNlohmann(const std::string& text) {
  vertical::PlainValue value;
  if (!vertical::PlainJson::Check(text, value)) return false;
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << text;
  if (!j.is_discarded()) ExpectSame(value, j, text);
  return true;
}

// A random JSON value of keys and strings the analyzer reads, with random whitespace and
// repeated keys; with `plain`, only what the scanner must claim itself.
std::string RandomJson(std::mt19937& rng, int depth, bool plain) {
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  static const std::vector<std::string> kSpace = {"", "", "", " ", "\n", "\t ", "\r\n  "};
  static const std::vector<std::string> kKeys = {"industry", "stage_history", "stage", "from", "x",
                                                 ""};
  static const std::vector<std::string> kPlainStrings = {"smoke", "2011-02", "market",
                                                         "",      " a:b,c}", "[{"};
  static const std::vector<std::string> kOtherStrings = {"a\\\"b",
                                                         "r\xc3\xb8"
                                                         "d",
                                                         "\\u0041", "tab\\t", "\\/"};
  static const std::vector<std::string> kScalars = {
      "0", "-0", "12", "-3.25", "0.5", "true", "false", "null", "123456789012345678901234"};
  auto space = [&] { return kSpace[pick(kSpace.size())]; };
  auto string = [&] {
    const bool other = !plain && pick(4) == 0;
    return "\"" +
           (other ? kOtherStrings[pick(kOtherStrings.size())]
                  : kPlainStrings[pick(kPlainStrings.size())]) +
           "\"";
  };
  const std::size_t kind = depth >= 4 ? 2 + pick(2) : pick(4);
  std::string out;
  if (kind == 0 || kind == 1) {
    const bool object = kind == 0;
    out += object ? "{" : "[";
    const std::size_t n = pick(5);
    for (std::size_t i = 0; i < n; ++i) {
      out += space();
      if (object) out += "\"" + kKeys[pick(kKeys.size())] + "\"" + space() + ":" + space();
      out += RandomJson(rng, depth + 1, plain) + space();
      if (i + 1 < n) out += ",";
    }
    out += space() + (object ? "}" : "]");
  } else if (kind == 2) {
    out = string();
  } else {
    out = kScalars[pick(kScalars.size())];
  }
  return out;
}

TEST(VerticalPlainJson, ClaimsPlainTextsAndAgreesWithNlohmann) {
  const std::vector<std::string> plain = {"{}",
                                          " { } ",
                                          "[]",
                                          R"({"industry":"smoke"})",
                                          R"({"industry":"a","industry":"b"})",
                                          R"({"industry":"a","industry":1})",
                                          R"({"a":{"industry":"x"}})",
                                          R"("s")",
                                          "-0.5",
                                          "123456789012345678901234567890",
                                          R"({"stage_history":[{"stage":"idea"},1,[]]})"};
  for (const auto& text : plain) EXPECT_TRUE(CheckAgainstNlohmann(text)) << text;
  // Not plain: invalid JSON, escapes, non-ASCII, exponents, text after the value, a NUL (which
  // nlohmann reads as the end of the input), nesting deeper than the scanner goes.
  const std::vector<std::string> other = {"",
                                          " ",
                                          "{",
                                          "}",
                                          R"({"a"})",
                                          R"({"a":})",
                                          R"({"a":1,})",
                                          "[1,]",
                                          "[1 2]",
                                          R"({"a\"":1})",
                                          R"({"a":"\n"})",
                                          "{\"a\":\"\xc3\xb8\"}",
                                          "\xef\xbb\xbf{}",
                                          "1e5",
                                          "1E5",
                                          "01",
                                          "1.",
                                          "-",
                                          ".5",
                                          "+1",
                                          "tru",
                                          "nulll",
                                          "{} {}",
                                          "{}x",
                                          std::string("{}\0x", 4),
                                          "{\"a\":\"\x01\"}",
                                          std::string(40, '[') + std::string(40, ']'),
                                          "1" + std::string(100, '0')};
  for (const auto& text : other) EXPECT_FALSE(CheckAgainstNlohmann(text)) << text;
  std::mt19937 rng(7);
  int claimed = 0;
  for (int i = 0; i < 20000; ++i) {
    const bool plain = i % 2 == 0;
    std::string text = RandomJson(rng, 0, plain);
    if (plain) {
      EXPECT_TRUE(CheckAgainstNlohmann(text)) << text;
    } else {
      // Damage some: drop, repeat or change one character.
      if (!text.empty() && rng() % 2 == 0) {
        const std::size_t at = rng() % text.size();
        static const std::string kBytes = "{}[]:,\" 0-.etn\\x\n";
        switch (rng() % 3) {
          case 0:
            text.erase(at, 1);
            break;
          case 1:
            text.insert(at, 1, text[at]);
            break;
          default:
            text[at] = kBytes[rng() % kBytes.size()];
        }
      }
      claimed += CheckAgainstNlohmann(text) ? 1 : 0;
    }
  }
  EXPECT_GT(claimed, 0);
}

TEST(Vertical, RefusesAForeignState) {
  PluginInstance instance = NewInstance("vertical");
  auto error = instance.Load(R"({"format": "canvas/1"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
  error = instance.Load(R"({"format": "vertical/1", "cases": 1})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
}

// ------------------------------------------------------------------ listing caps (bmil
// --max-rows, --all) and the businesses of the findings

// Business `id` with `movers` TO BE prototypes p0.. at home in water that attempt food (a move
// before market, by the current stage; 2 industries), then `single` AS IS models s0.. at home
// in water only.
Case Movers(const std::string& id, int movers, int single) {
  Case c = MakeCase(id);
  for (int i = 0; i < movers; ++i)
    AddModel(c, "p" + std::to_string(i), State::kToBe, Stage::kPrototype).industries = {
        In("water", IndustryStatus::kHome), In("food", IndustryStatus::kAttempted)};
  for (int i = 0; i < single; ++i)
    AddModel(c, "s" + std::to_string(i), State::kAsIs, Stage::kMarket).industries = {
        In("water", IndustryStatus::kHome)};
  return c;
}

TEST(Vertical, MaxRowsCapsEveryListingButNotTheCounts) {
  // b1: p0, p1, s0; b2: p0, s0, s1, s2. Models 7, all naming industries; single 4 (b1/s0,
  // b2/s0, b2/s1, b2/s2): 4 of 7 > half. Moves 3 (b1/p0, b1/p1, b2/p0), all before market.
  const std::vector<Case> cases = {Movers("b1", 2, 1), Movers("b2", 1, 3)};
  const std::string config = ListingConfig({{"max_rows", 2}});
  const Json r = RunAnalyzer("vertical", cases, config);
  EXPECT_EQ(Metric(r, "business_models"), 7);
  EXPECT_EQ(Metric(r, "single_industry_models"), 4);
  EXPECT_EQ(Metric(r, "moves"), 3);
  EXPECT_EQ(Metric(r, "moves_before_market"), 3);
  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 2u);
  EXPECT_EQ(models.at("title"), "Industries per business model (first 2 models)");
  EXPECT_EQ(models.at("rows")[1].at(0), "b1/p1");
  EXPECT_EQ(Table(r, "moves").at("rows").size(), 2u);
  EXPECT_EQ(Table(r, "moves").at("title"), "Moves into other industries (first 2)");
  const Json& single = Table(r, "single_industry_models");
  ASSERT_EQ(single.at("rows").size(), 2u);
  EXPECT_EQ(single.at("rows")[1].at(0), "b2/s0");
  // Evidence: min(10, 2) = 2 moves (both b1's), the 1 left, then the count.
  const Json* early = FindingOf(r, "vertical.move_before_market");
  ASSERT_NE(early, nullptr);
  ASSERT_EQ(early->at("evidence").size(), 4u);
  EXPECT_EQ(early->at("evidence")[1],
            "b1/p1 into food (attempted): the model was at stage prototype (current stage)");
  EXPECT_EQ(early->at("evidence")[2], "and 1 more (see table moves)");
  EXPECT_EQ(BusinessesOf(*early), std::vector<std::string>{"b1"});
  // Confined: the first 2 single-industry models, then "...".
  const Json* confined = FindingOf(r, "vertical.single_industry");
  ASSERT_NE(confined, nullptr);
  EXPECT_EQ(confined->at("evidence")[1], "confined: b1/s0, b2/s0, ...");
  EXPECT_EQ(BusinessesOf(*confined), (std::vector<std::string>{"b1", "b2"}));
  ExpectEverySplitEquals("vertical", cases, r, config);

  // By default nothing is cut here: 3 moves and the count, every model confined named.
  const Json all_listed = RunAnalyzer("vertical", cases);
  const Json* early_default = FindingOf(all_listed, "vertical.move_before_market");
  ASSERT_NE(early_default, nullptr);
  EXPECT_EQ(early_default->at("evidence").size(), 4u);
  EXPECT_EQ(early_default->at("evidence")[2].get<std::string>().rfind("b2/p0 into food", 0), 0u);
  EXPECT_EQ(BusinessesOf(*early_default), (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(FindingOf(all_listed, "vertical.single_industry")->at("evidence")[1],
            "confined: b1/s0, b2/s0, b2/s1, b2/s2");
}

TEST(Vertical, AllLiftsEveryCap) {
  // b0, b1, b2 with 70 single-industry models each (210) and b3 with 15 moves before market.
  std::vector<Case> cases;
  for (int b = 0; b < 3; ++b) {
    Case c = Industries(70, 0);
    c.business.id = "b" + std::to_string(b);
    cases.push_back(c);
  }
  cases.push_back(Movers("b3", 15, 0));
  const std::string config = ListingConfig({{"all", true}});
  const Json r = RunAnalyzer("vertical", cases, config);
  EXPECT_EQ(Metric(r, "business_models"), 225);
  EXPECT_EQ(Table(r, "business_models").at("rows").size(), 225u);
  EXPECT_EQ(Table(r, "business_models").at("title"), "Industries per business model (all models)");
  EXPECT_EQ(Table(r, "single_industry_models").at("rows").size(), 210u);
  // 15 moves and the count line, no "more".
  const Json* early = FindingOf(r, "vertical.move_before_market");
  ASSERT_NE(early, nullptr);
  ASSERT_EQ(early->at("evidence").size(), 16u);
  EXPECT_EQ(early->at("evidence")[15],
            "15 of 15 moves made at stage idea, concept or prototype; threshold: any");
  EXPECT_EQ(BusinessesOf(*early), std::vector<std::string>{"b3"});
  // 210 of 225 confined: every one named, no "...".
  const Json* confined = FindingOf(r, "vertical.single_industry");
  ASSERT_NE(confined, nullptr);
  const std::string list = confined->at("evidence")[1];
  EXPECT_EQ(list.substr(list.size() - 8), ", b2/s69");
  EXPECT_EQ(BusinessesOf(*confined), (std::vector<std::string>{"b0", "b1", "b2"}));
  for (std::size_t k : {std::size_t{1}, std::size_t{2}, std::size_t{3}})
    EXPECT_EQ(RunAnalyzerSplit("vertical", cases, k, config), r) << "split " << k;

  // By default: 200 rows, 10 moves and "and 5 more", 10 models confined and "...".
  const Json capped = RunAnalyzer("vertical", cases);
  EXPECT_EQ(Table(capped, "business_models").at("rows").size(), 200u);
  EXPECT_EQ(FindingOf(capped, "vertical.move_before_market")->at("evidence")[10],
            "and 5 more (see table moves)");
  const std::string capped_list = FindingOf(capped, "vertical.single_industry")->at("evidence")[1];
  EXPECT_EQ(capped_list.substr(capped_list.size() - 10), "b0/s9, ...");
}

TEST(Vertical, FindingsCarryTheBusinessesOfTheirModels) {
  // b1's attempted move is at an unstated stage; b2's prototype moves before market.
  const std::vector<Case> cases = {Industries(1, 1), Movers("b2", 1, 0)};
  const Json r = RunAnalyzer("vertical", cases);
  const Json* early = FindingOf(r, "vertical.move_before_market");
  ASSERT_NE(early, nullptr);
  EXPECT_EQ(BusinessesOf(*early), std::vector<std::string>{"b2"});
}

}  // namespace
}  // namespace bmil::test
