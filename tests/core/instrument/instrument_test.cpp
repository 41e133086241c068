// The instrument format (docs/instruments.md): a small questionnaire read, written in its
// canonical form and hashed; every kind of mistake located by line, column and JSON pointer,
// with a did-you-mean where there is a near miss; the limits.
#include "instrument/instrument.hpp"
#include "instrument/lint.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bmil::instrument {
namespace {

using ::testing::HasSubstr;

// Two sections: the business (asked once) and its business models (repeated); a Likert
// scale, a choice list, a condition, and two constructs (one with a reversed item).
constexpr const char* kSmall = R"({
  "bmil_instrument": "1.0",
  "id": "small",
  "version": "1.0.0",
  "title": "A small instrument",
  "scales": [{"id": "agree3", "min": 1, "max": 3,
              "labels": ["Disagree", "Neither", "Agree"]}],
  "choice_lists": [{"id": "state", "choices": [{"value": "as_is", "label": "AS IS"},
                                               {"value": "to_be", "label": "TO BE"}]}],
  "sections": [
    {"id": "business", "title": "The business", "items": [
      {"id": "name", "type": "text", "text": "What is the business called?", "required": true},
      {"id": "strategy", "type": "likert", "scale": "agree3",
       "text": "We have a written BMIL strategy."},
      {"id": "blind", "type": "likert", "scale": "agree3",
       "text": "We innovate without a plan.", "when": [{"item": "strategy", "any_of": [1, 2]}]}
    ]},
    {"id": "models", "title": "Business models",
     "repeat": {"min": 1, "max": 10, "noun": "business model"}, "items": [
      {"id": "model_state", "type": "single_choice", "choices": "state", "text": "AS IS or TO BE?"},
      {"id": "revenue", "type": "number", "min": 0, "max": 1e9, "unit": "EUR",
       "text": "Yearly revenue?", "when": [{"item": "model_state", "any_of": ["as_is"]}]}
    ]}
  ],
  "scoring": {
    "missing": {"min_answered": 0.5},
    "constructs": [
      {"id": "explicit", "label": "Explicit strategy", "measures": {"trait": "explicit_strategy"},
       "items": [{"item": "strategy"}, {"item": "blind", "reverse": true}]},
      {"id": "value_line", "label": "Value line", "measures": {"line": "value"},
       "items": [{"item": "strategy", "weight": 2}]}
    ]
  }
})";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The problems of reading `text`, one per line as the CLI prints them.
std::string Problems(const std::string& text, const InstrumentLimits& limits = {}) {
  const InstrumentReadResult r = ReadInstrument(text, "i.json", limits);
  std::string out;
  for (const Diagnostic& d : r.problems) out += d.ToString() + "\n";
  EXPECT_EQ(r.value.has_value(), r.problems.empty());
  return out;
}

TEST(Instrument, ReadsSectionsItemsScalesConditionsAndScoring) {
  const InstrumentReadResult r = ReadInstrument(kSmall, "small.json");
  ASSERT_TRUE(r.value) << r.problems.front().ToString();
  const Instrument& in = *r.value;
  ASSERT_EQ(in.sections.size(), 2u);
  EXPECT_FALSE(in.sections[0].repeated());
  EXPECT_TRUE(in.sections[1].repeated());
  EXPECT_EQ(in.sections[1].repeat_max, 10u);
  const Item* blind = in.FindItem("blind");
  ASSERT_NE(blind, nullptr);
  EXPECT_EQ(blind->type, ItemType::kLikert);
  ASSERT_EQ(blind->when.size(), 1u);
  EXPECT_EQ(blind->when[0].item, "strategy");
  EXPECT_EQ(blind->when[0].any_of.size(), 2u);
  EXPECT_FALSE(blind->required);
  const Item* revenue = in.FindItem("revenue");
  ASSERT_NE(revenue, nullptr);
  EXPECT_EQ(revenue->max, 1e9);
  EXPECT_EQ(revenue->unit, "EUR");
  ASSERT_EQ(in.constructs.size(), 2u);
  EXPECT_EQ(in.constructs[0].target, Target::kTrait);
  EXPECT_TRUE(in.constructs[0].items[1].reverse);
  EXPECT_EQ(in.constructs[1].target, Target::kLine);
  EXPECT_EQ(in.constructs[1].items[0].weight, 2);
  EXPECT_EQ(in.missing.min_answered, 0.5);
}

TEST(Instrument, CanonicalFormRoundTripsAndTheHashIgnoresOnlyLayout) {
  const Instrument in = *ReadInstrument(kSmall, "small.json").value;
  const std::string canonical = InstrumentJson(in).dump(2);
  const InstrumentReadResult again = ReadInstrument(canonical, "canonical.json");
  ASSERT_TRUE(again.value) << again.problems.front().ToString();
  EXPECT_EQ(InstrumentJson(*again.value).dump(2), canonical);
  EXPECT_EQ(InstrumentHash(*again.value), InstrumentHash(in));
  EXPECT_EQ(InstrumentHash(in).size(), 32u);
  // Spacing and defaults written out: the same instrument.
  const std::string spaced = Replace(kSmall, "\"required\": true}", "\"required\" :  true  }");
  const std::string defaults = Replace(kSmall, R"({"item": "strategy"},)",
                                       R"({"item": "strategy", "weight": 1, "reverse": false},)");
  EXPECT_EQ(InstrumentHash(*ReadInstrument(spaced, "x").value), InstrumentHash(in));
  EXPECT_EQ(InstrumentHash(*ReadInstrument(defaults, "x").value), InstrumentHash(in));
  // A changed word, a changed weight, a reversed scale: another instrument.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"without a plan", "without any plan"},
           {"\"weight\": 2", "\"weight\": 3"},
           {R"(["Disagree", "Neither", "Agree"])", R"(["Agree", "Neither", "Disagree"])"}}) {
    const InstrumentReadResult changed = ReadInstrument(Replace(kSmall, from, to), "x");
    ASSERT_TRUE(changed.value) << from;
    EXPECT_NE(InstrumentHash(*changed.value), InstrumentHash(in)) << from;
  }
}

// Each planted mistake: where it is (line:column, pointer) and what it says.
TEST(Instrument, MistakesAreLocatedWithDidYouMean) {
  struct Case {
    std::string from, to, expected;
  };
  const std::vector<Case> cases = {
      {R"("required": true)", R"("requird": true)",
       "i.json:12:78 /sections/0/items/0/requird: unknown member \"requird\" (did you mean "
       "\"required\"?)"},
      {R"("type": "text")", R"("type": "txt")",
       "/sections/0/items/0/type: unknown value \"txt\" (did you mean \"text\"?)"},
      {R"("scale": "agree3",
       "text": "We innovate)",
       R"("scale": "agree4",
       "text": "We innovate)",
       "i.json:15:50 /sections/0/items/2/scale: no scale \"agree4\" (did you mean \"agree3\"?)"},
      {R"("choices": "state")", R"("choices": "states")",
       "/sections/1/items/0/choices: no choice list \"states\" (did you mean \"state\"?)"},
      {R"({"item": "strategy", "any_of": [1, 2]})", R"({"item": "strategi", "any_of": [1, 2]})",
       "/sections/0/items/2/when/0/item: no item \"strategi\" (did you mean \"strategy\"?)"},
      {R"({"item": "strategy", "any_of": [1, 2]})", R"({"item": "name", "any_of": [1, 2]})",
       "/sections/0/items/2/when/0/any_of/0: item \"name\" is answered with a text: compare "
       "with strings"},
      {R"({"item": "model_state", "any_of": ["as_is"]})",
       R"({"item": "model_state", "any_of": ["as_iss"]})",
       "/sections/1/items/1/when/0/any_of/0: \"as_iss\" is not a choice of item \"model_state\" "
       "(did you mean \"as_is\"?)"},
      {R"({"item": "strategy", "any_of": [1, 2]})", R"({"item": "revenue", "any_of": [1, 2]})",
       "/sections/0/items/2/when/0/item: item \"revenue\" is asked later: a condition can only "
       "look at answers given before"},
      {R"("labels": ["Disagree", "Neither", "Agree"])", R"("labels": ["Disagree", "Agree"])",
       "/scales/0/labels: a scale from 1 to 3 has 3 points: give a label for each, found 2"},
      {R"({"item": "blind", "reverse": true})", R"({"item": "name", "reverse": true})",
       "/scoring/constructs/0/items/1/item: item \"name\" is a text item: a construct scores "
       "likert and number items"},
      {R"({"trait": "explicit_strategy"})", R"({"trait": "explicit_strategies"})",
       "/scoring/constructs/0/measures/trait: unknown value \"explicit_strategies\" (did you "
       "mean \"explicit_strategy\"?)"},
      {R"("id": "blind")", R"("id": "name")", "/sections/0/items/2: item \"name\" is given twice"},
      {R"("bmil_instrument": "1.0")", R"("bmil_instrument": "2.0")",
       "/bmil_instrument: unsupported instrument format version \"2.0\"; this bmil reads 1.0"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Problems(Replace(kSmall, c.from, c.to)), HasSubstr(c.expected)) << c.to;
  }
}

TEST(Instrument, AnItemInARepeatedSectionIsOnlySeenFromItsOwnSection) {
  // A third section asks something only when a model was AS IS: which model? Refused.
  const std::string text = Replace(kSmall, R"(  ],
  "scoring")",
                                   R"(,
    {"id": "after", "title": "After", "items": [
      {"id": "later", "type": "text", "text": "Why?",
       "when": [{"item": "model_state", "any_of": ["as_is"]}]}]}
  ],
  "scoring")");
  EXPECT_THAT(Problems(text), HasSubstr("/sections/2/items/0/when/0/item: item \"model_state\" "
                                        "is in the repeated section \"models\": only an item of "
                                        "that section can depend on it"));
}

TEST(Instrument, LimitsAreKept) {
  InstrumentLimits limits;
  limits.max_items = 4;  // kSmall has 5
  EXPECT_THAT(Problems(kSmall, limits),
              HasSubstr("/sections: 5 items in all, more than the limit of 4"));
  limits = {};
  limits.max_depth = 4;  // kSmall nests 6 deep (sections/items/when/any_of)
  EXPECT_THAT(Problems(kSmall, limits), HasSubstr("i.json:"));
  EXPECT_FALSE(ReadInstrument(kSmall, "i.json", limits).value);
  limits = {};
  limits.max_bytes = 100;
  EXPECT_THAT(Problems(kSmall, limits), HasSubstr("larger than"));
  // Many problems: capped, and the rest counted.
  std::string many = R"({"bmil_instrument": "1.0", "id": "x", "version": "1", "title": "t",
                         "sections": [{"id": "s", "title": "t", "items": [)";
  for (int i = 0; i < 300; ++i) many += std::string(i ? "," : "") + R"({"id": "x", "typ": 1})";
  many += "]}]}";
  const InstrumentReadResult r = ReadInstrument(many, "many.json");
  ASSERT_EQ(r.problems.size(), 201u);
  EXPECT_THAT(r.problems.back().ToString(), HasSubstr("more problems not shown"));
}

// bmil instrument lint: the small instrument is clean; each of six planted defects is found
// once, at its pointer.
TEST(InstrumentLint, FindsEachPlantedDefectOnce) {
  const Instrument clean = *ReadInstrument(kSmall, "small.json").value;
  EXPECT_TRUE(LintInstrument(clean, kSmall, "small.json").empty());

  std::string text = kSmall;
  // 1, 2: a scale and a choice list no item uses; 4: a 5-point scale for a new item.
  text = Replace(text, R"("labels": ["Disagree", "Neither", "Agree"]}],)",
                 R"("labels": ["Disagree", "Neither", "Agree"]},
             {"id": "agree5", "min": 1, "max": 5, "labels": ["1", "2", "3", "4", "5"]},
             {"id": "unused7", "min": 1, "max": 7, "labels": ["1", "2", "3", "4", "5", "6", "7"]}],)");
  text =
      Replace(text, R"("choice_lists": [)",
              R"("choice_lists": [{"id": "unused", "choices": [{"value": "a", "label": "A"}]},)");
  // 3: a Likert item no construct scores; 4: scored with a 3-point item in one construct;
  // 5: pick at least 3 of 2 choices; 6: a condition on a 3-point item with 7.
  text = Replace(text, R"("when": [{"item": "strategy", "any_of": [1, 2]}]}
    ]},)",
                 R"("when": [{"item": "strategy", "any_of": [1, 2]}]},
      {"id": "unscored", "type": "likert", "scale": "agree3", "text": "Unscored."},
      {"id": "five", "type": "likert", "scale": "agree5", "text": "Five points."},
      {"id": "never", "type": "text", "text": "Never asked.",
       "when": [{"item": "strategy", "any_of": [7]}]}
    ]},)");
  text = Replace(text, R"({"id": "revenue")",
                 R"({"id": "kinds", "type": "multiple_choice", "choices": "state", "min": 3,
       "text": "Which kinds?"},
      {"id": "revenue")");
  text = Replace(text, R"("items": [{"item": "strategy", "weight": 2}]})",
                 R"("items": [{"item": "strategy", "weight": 2}, {"item": "five"}]})");
  const InstrumentReadResult r = ReadInstrument(text, "lint.json");
  ASSERT_TRUE(r.value) << r.problems.front().ToString();
  const std::vector<Diagnostic> warnings = LintInstrument(*r.value, text, "lint.json");
  std::vector<std::string> found;
  for (const Diagnostic& d : warnings) {
    EXPECT_GT(d.line, 0u) << d.ToString();
    found.push_back(d.pointer + ": " + d.message);
  }
  EXPECT_EQ(found, (std::vector<std::string>{
                       "/scales/2/id: warning: scale \"unused7\" is used by no item",
                       "/choice_lists/0/id: warning: choice list \"unused\" is used by no item",
                       "/sections/0/items/3/id: warning: Likert item \"unscored\" is scored by "
                       "no construct",
                       "/scoring/constructs/1/items/1/item: warning: construct \"value_line\" "
                       "mixes scales: \"five\" has 5 points (\"agree5\"), \"strategy\" 3 "
                       "(\"agree3\")",
                       "/sections/1/items/1/min: warning: item \"kinds\" asks for at least 3 of "
                       "the 2 choices of \"state\": no answer can",
                       "/sections/0/items/5/when/0: warning: item \"never\" is never asked: no "
                       "value of the condition on \"strategy\" is a possible answer"}));
}

}  // namespace
}  // namespace bmil::instrument
