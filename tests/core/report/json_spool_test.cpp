// The JSON spool of a streamed analysis (core/src/report/json_spool.hpp): the expanded
// document is byte for byte the dump of the document holding every result (nested at any
// depth, empty arrays, strings with escapes and newlines), and a plugin string that looks
// like a placeholder is left alone.
#include "report/json_spool.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bmil {
namespace {

std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string Expanded(const std::string& dumped, const std::vector<const JsonSpool*>& spools) {
  std::string out;
  EXPECT_TRUE(ExpandSpools(dumped, spools, [&out](std::string_view chunk) {
    out += chunk;
    return true;
  }));
  return out;
}

// A report document with two lines; the first has results, the second none.
nlohmann::ordered_json Report() {
  nlohmann::ordered_json doc;
  doc["cases"] = {"a", "b"};
  doc["lines"] = nlohmann::ordered_json::array();
  doc["lines"].push_back({{"plugin", "value"},
                          {"assessments", nlohmann::ordered_json::array()},
                          {"proposals", nlohmann::ordered_json::array()}});
  doc["lines"].push_back({{"plugin", "customer"},
                          {"assessments", nlohmann::ordered_json::array()},
                          {"proposals", nlohmann::ordered_json::array()}});
  doc["analyzers"] = nlohmann::ordered_json::array();
  return doc;
}

TEST(JsonSpool, ExpandsToTheFullDocumentByteForByte) {
  const std::vector<nlohmann::json> assessments = {
      {{"business_model", "m1"}, {"score", 0.5}, {"notes", {"two\nlines", "tab\there \"q\""}}},
      {{"business_model", "m2"}, {"nested", {{"deep", {1, 2, {{"x", nullptr}}}}}}},
      nlohmann::json::object()};
  const nlohmann::json proposal = {{"tasks", nlohmann::json::array()}};
  nlohmann::ordered_json full = Report();
  JsonSpool spool;
  for (const auto& a : assessments) {
    full["lines"][0]["assessments"].push_back(nlohmann::ordered_json::parse(a.dump()));
    spool.OnAssessment(0, a);
  }
  full["lines"][0]["proposals"].push_back(nlohmann::ordered_json::parse(proposal.dump()));
  spool.OnProposal(0, proposal);
  ASSERT_TRUE(spool.ok());
  nlohmann::ordered_json marked = Report();
  spool.MarkPlaceholders(marked);
  EXPECT_EQ(Expanded(Dump(marked), {&spool}), Dump(full));
}

TEST(JsonSpool, EachGroupExpandsItsOwnSpoolAtItsDepth) {
  nlohmann::ordered_json full, marked;
  JsonSpool first(1), second(2);
  for (int g = 0; g < 2; ++g) {
    nlohmann::ordered_json f = Report(), m = Report();
    const nlohmann::json a = {{"group", g}, {"list", {g, g + 1}}};
    f["lines"][1]["assessments"].push_back(nlohmann::ordered_json::parse(a.dump()));
    (g == 0 ? first : second).OnAssessment(1, a);
    (g == 0 ? first : second).MarkPlaceholders(m);
    full["groups"].push_back({{"group", g}, {"report", f}});
    marked["groups"].push_back({{"group", g}, {"report", m}});
  }
  EXPECT_EQ(Expanded(Dump(marked), {&first, &second}), Dump(full));
}

TEST(JsonSpool, APluginStringLikeAPlaceholderIsLeftAlone) {
  // What a placeholder would look like without the per-process nonce.
  const std::string lookalike =
      "\x01"
      "bmil-spool:0:0:a";
  nlohmann::ordered_json doc = Report();
  doc["analyzers"].push_back({{"title", lookalike}});
  JsonSpool spool;
  spool.OnAssessment(0, {{"x", 1}});
  nlohmann::ordered_json full = doc;
  full["lines"][0]["assessments"].push_back({{"x", 1}});
  spool.MarkPlaceholders(doc);
  EXPECT_EQ(Expanded(Dump(doc), {&spool}), Dump(full));
}

}  // namespace
}  // namespace bmil
