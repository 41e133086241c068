// Answers to an instrument (docs/instruments.md, "Answers"), read against the small example
// instrument: a complete set reads and round-trips; answers to another text are refused
// naming both; every wrong answer is located and says what was expected; an answer to an
// item that was not asked, a missing required answer in a complete file, and a repeated
// item given once are refused.
#include "instrument/answers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace bmil::instrument {
namespace {

using ::testing::HasSubstr;

Instrument Small() {
  std::ifstream in(std::string(BMIL_SOURCE_DIR) + "/examples/instruments/small.json");
  std::stringstream text;
  text << in.rdbuf();
  InstrumentReadResult r = ReadInstrument(text.str(), "small.json");
  EXPECT_TRUE(r.value);
  return std::move(*r.value);
}

// A complete set of answers to the small instrument: strategy 2 (so "blind" is asked), two
// business models, the AS IS one with its revenue.
std::string Complete(const Instrument& in) {
  return R"({
  "bmil_answers": "1.0",
  "instrument": {"id": "small", "version": "1.0.0", "hash": ")" +
         InstrumentHash(in) + R"("},
  "respondent": {"id": "r1", "business": "kellpo", "date": "2026-12-08"},
  "status": "complete",
  "answers": {"name": "Kellpo", "strategy": 2, "blind": 3},
  "repeats": {"models": [{"model_state": "as_is", "revenue": 42000000},
                         {"model_state": "to_be"}]}
})";
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string Problems(const std::string& text, const Instrument& in) {
  const AnswersReadResult r = ReadAnswers(text, "a.json", in);
  std::string out;
  for (const Diagnostic& d : r.problems) out += d.ToString() + "\n";
  EXPECT_EQ(r.value.has_value(), r.problems.empty());
  return out;
}

TEST(Answers, ACompleteSetReadsAndRoundTrips) {
  const Instrument in = Small();
  const AnswersReadResult r = ReadAnswers(Complete(in), "a.json", in);
  ASSERT_TRUE(r.value) << r.problems.front().ToString();
  const Answers& a = *r.value;
  EXPECT_TRUE(a.complete);
  EXPECT_EQ(a.respondent, "r1");
  EXPECT_EQ(a.business, "kellpo");
  EXPECT_EQ(a.once.at("strategy"), 2);
  EXPECT_EQ(a.once.at("blind"), 3);
  ASSERT_EQ(a.repeats.at("models").size(), 2u);
  EXPECT_EQ(a.repeats.at("models")[0].at("revenue"), 42000000);
  EXPECT_EQ(a.repeats.at("models")[1].count("revenue"), 0u);
  const std::string written = AnswersJson(a).dump(2);
  const AnswersReadResult again = ReadAnswers(written, "w.json", in);
  ASSERT_TRUE(again.value) << again.problems.front().ToString();
  EXPECT_EQ(AnswersJson(*again.value).dump(2), written);
}

TEST(Answers, AskedFollowsTheConditions) {
  const Instrument in = Small();
  const Item& blind = *in.FindItem("blind");  // asked when strategy is 1 or 2
  EXPECT_TRUE(Asked(blind, {{"strategy", 1}}, {}));
  EXPECT_TRUE(Asked(blind, {{"strategy", 2.0}}, {}));
  EXPECT_FALSE(Asked(blind, {{"strategy", 3}}, {}));
  EXPECT_FALSE(Asked(blind, {}, {}));             // not answered: not asked
  const Item& revenue = *in.FindItem("revenue");  // when the model is AS IS
  EXPECT_TRUE(Asked(revenue, {{"model_state", "as_is"}}, {}));
  EXPECT_FALSE(Asked(revenue, {{"model_state", "to_be"}}, {}));
  EXPECT_TRUE(Asked(*in.FindItem("name"), {}, {}));  // no condition
}

TEST(Answers, AnswersToAnotherTextAreRefusedNamingBoth) {
  const Instrument in = Small();
  const std::string hash = InstrumentHash(in);
  const std::string other(32, 'a');
  EXPECT_THAT(Problems(Replace(Complete(in), hash, other), in),
              HasSubstr("/instrument/hash: these are answers to another text of small 1.0.0 (" +
                        other + "), not to small 1.0.0 (" + hash + "): the questions differ"));
  EXPECT_THAT(Problems(Replace(Complete(in), R"("version": "1.0.0")", R"("version": "1.1.0")"), in),
              HasSubstr("/instrument/version: these are answers to version 1.1.0 of \"small\""));
}

TEST(Answers, WrongAnswersAreLocatedAndSayWhatWasExpected) {
  const Instrument in = Small();
  const std::string good = Complete(in);
  struct Case {
    std::string from, to, expected;
  };
  const std::vector<Case> cases = {
      {R"("strategy": 2)", R"("strategy": 4)",
       "a.json:6:45 /answers/strategy: 4 is not a point of scale \"agree3\" (1 to 3)"},
      {R"("strategy": 2)", R"("strategy": 1.5)",
       "/answers/strategy: 1.5 is not a point of scale \"agree3\" (1 to 3)"},
      {R"("model_state": "as_is")", R"("model_state": "as-is")",
       "/repeats/models/0/model_state: \"as-is\" is not a choice of \"state\" (did you mean "
       "\"as_is\"?)"},
      {R"("revenue": 42000000)", R"("revenue": -1)",
       "/repeats/models/0/revenue: -1 is out of range (0.0 to 1000000000.0)"},
      {R"("name": "Kellpo")", R"("name": 7)", "/answers/name: expected a text, found 7"},
      {R"("strategy": 2)", R"("strategy": 3)",
       "/answers/blind: item \"blind\" was not asked: its condition on \"strategy\" does not "
       "hold for these answers"},
      {R"("name": "Kellpo", )", "",
       "/answers: required item \"name\" is not answered; the answers say they are complete"},
      {R"("blind": 3})", R"("blind": 3, "revenue": 5})",
       "/answers/revenue: item \"revenue\" is asked once per business model: give it under "
       "/repeats/models"},
      {R"("blind": 3})", R"("blind": 3, "strategi": 5})",
       "/answers/strategi: no item \"strategi\" (did you mean \"strategy\"?)"},
      {R"("repeats": {"models")", R"("repeats": {"model")",
       "/repeats/model: no repeated section \"model\" (did you mean \"models\"?)"},
      {R"("status": "complete")", R"("status": "done")", "/status: unknown value \"done\""},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Problems(Replace(good, c.from, c.to), in), HasSubstr(c.expected)) << c.to;
  }
  // In progress: a missing required answer is fine.
  const std::string partial = Replace(Replace(good, R"("name": "Kellpo", )", ""),
                                      R"("status": "complete")", R"("status": "in_progress")");
  EXPECT_EQ(Problems(partial, in), "");
}

TEST(Answers, RepetitionsAreCounted) {
  const Instrument in = Small();  // models: 1 to 10
  std::string many = R"("repeats": {"models": [)";
  for (int i = 0; i < 11; ++i) many += std::string(i ? "," : "") + R"({"model_state": "to_be"})";
  many += "]}";
  const std::string text =
      Replace(Complete(in),
              R"("repeats": {"models": [{"model_state": "as_is", "revenue": 42000000},
                         {"model_state": "to_be"}]})",
              many);
  EXPECT_THAT(Problems(text, in),
              HasSubstr("/repeats/models: 11 business models, expected 1 to 10"));
  const std::string none =
      Replace(Complete(in),
              R"("repeats": {"models": [{"model_state": "as_is", "revenue": 42000000},
                         {"model_state": "to_be"}]})",
              R"("repeats": {})");
  EXPECT_THAT(Problems(none, in), HasSubstr("no business model given for section \"models\""));
}

}  // namespace
}  // namespace bmil::instrument
