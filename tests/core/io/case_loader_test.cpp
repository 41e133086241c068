#include <bmil/case_io.hpp>

#include <gtest/gtest.h>

#include "core/io/full_document.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace bmil {
namespace {

// The registry the tests load against: the seven built-in blocks and three lines.
Registry LinesRegistry() {
  Registry registry;
  for (const char* id : {"customer", "network", "value"}) {
    EXPECT_TRUE(registry.AddLine({id, id, "", "test"}));
  }
  return registry;
}

std::vector<std::string> Strings(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.ToString());
  return out;
}

// All diagnostics, one a line, for failure messages.
std::string Joined(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

// A directory of its own for one test, removed with it.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("bmil_loader_test_" + std::to_string(::getpid()) + "_" + std::to_string(count_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int count_ = 0;
  std::filesystem::path path_;
};

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// ------------------------------------------------------------------ bad documents

struct BadDocument {
  std::string name;
  std::string text;
  std::vector<std::string> expected;  // Diagnostic::ToString() of every problem, in order
  bool with_lines = true;             // false: a registry without leadership lines
  LoadLimits limits = {};
};

// Every location below is counted by hand from the document above it.
std::vector<BadDocument> BadDocuments() {
  return {
      {"TrailingComma", R"({"bmil": "1.0",})", {"case.json:1:15: trailing comma before '}'"}},
      {"MissingColon",
       R"({"bmil" "1.0"})",
       {"case.json:1:9: expected ':' after the member name, found '\"'"}},
      {"EmptyText", "", {"case.json:1:1: unexpected end of input, expected a value"}},
      {"RootIsAnArray", "[]", {"case.json:1:1: expected object, found array"}},
      {"WrongType",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": 7},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:2:35 /business/name: expected string, found number"}},
      {"WrongTypesOfContainers",
       R"({"bmil": "1.0", "business": "b", "portfolios": {},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:1:29 /business: expected object, found string",
        "case.json:1:48 /portfolios: expected array, found object"}},
      {"NullForARequiredEnum",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": null}]})",
       {"case.json:3:57 /business_models/0/state: expected one of as_is, to_be, found null"}},
      {"NullForAnOptionalText",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B", "description": null},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:2:55 /business/description: expected string, found null"}},
      {"MissingRootKey",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"}})",
       {"case.json:1:1 /business_models: missing required key \"business_models\""}},
      {"MissingKeysReportedAtTheObject",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m"}]})",
       {"case.json:3:23 /business_models/0/name: missing required key \"name\"",
        "case.json:3:23 /business_models/0/state: missing required key \"state\""}},
      {"UnknownKeyWithSuggestion",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "stat": "as_is"}]})",
       {"case.json:3:23 /business_models/0/state: missing required key \"state\"",
        "case.json:3:48 /business_models/0/stat: unknown key \"stat\" (did you mean \"state\"?); "
        "put company-specific data under \"attributes\""}},
      {"UnknownKeyWithoutSuggestion",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B", "zzzzzz": 1},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:2:40 /business/zzzzzz: unknown key \"zzzzzz\"; put company-specific data "
        "under \"attributes\""}},
      {"UnknownRootKeyHasNoAttributesHint",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "portfolio": []})",
       {"case.json:4:3 /portfolio: unknown key \"portfolio\" (did you mean \"portfolios\"?)"}},
      {"PointerEscapesSlashAndTilde",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B", "a/b~c": 1},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:2:40 /business/a~1b~0c: unknown key \"a/b~c\"; put company-specific data "
        "under \"attributes\""}},
      {"UnknownEnumValueWithSuggestion",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M",
  "state": "asis"}]})",
       {"case.json:4:12 /business_models/0/state: unknown state \"asis\"; expected one of "
        "as_is, to_be (did you mean \"as_is\"?)"}},
      {"UnknownEnumValueWithoutSuggestion",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is",
  "stage": "launched"}]})",
       {"case.json:4:12 /business_models/0/stage: unknown stage \"launched\"; expected one of "
        "idea, concept, prototype, market, retired"}},
      {"EnumOfWrongType",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M",
  "state": 1}]})",
       {"case.json:4:12 /business_models/0/state: expected one of as_is, to_be, found number"}},
      {"DuplicateBusinessModelId",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"},
    {"id": "m", "name": "N", "state": "to_be"}]})",
       {"case.json:4:12 /business_models/1/id: duplicate business model id \"m\" (first at "
        "line 3)"}},
      {"DuplicateTaskId",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "bmi_tasks": [
    {"id": "t", "business_model": "m", "building_blocks": ["customers"], "leadership_lines": ["customer"]},
    {"id": "t", "business_model": "m", "building_blocks": ["network"], "leadership_lines": ["network"]}]})",
       {"case.json:6:12 /bmi_tasks/1/id: duplicate task id \"t\" (first at line 5)"}},
      {"DuplicatePortfolioId",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "portfolios": [
    {"id": "p", "name": "P", "business_models": ["m"]},
    {"id": "p", "name": "Q", "business_models": ["m"]}]})",
       {"case.json:6:12 /portfolios/1/id: duplicate portfolio id \"p\" (first at line 5)"}},
      {"DuplicateKey",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is",
    "state": "to_be"}]})",
       {"case.json:4:5 /business_models/0/state: duplicate key \"state\" (first at line 3)"}},
      {"DuplicateKeyInsideAttributes",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B", "attributes": {"a": {"x": 1,
    "x": 2}}},
  "business_models": [{"id": "m", "name": "M", "state": "as_is", "attributes": []}]})",
       {"case.json:3:5 /business/attributes/a/x: duplicate key \"x\" (first at line 2)",
        "case.json:4:80 /business_models/0/attributes: expected object, found array"}},
      {"TaskNamesUnknownBusinessModel",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "kitchen", "name": "M", "state": "as_is"}],
  "bmi_tasks": [{"id": "t", "building_blocks": ["customers"], "leadership_lines": ["customer"],
    "business_model": "kitchn"}]})",
       {"case.json:5:23 /bmi_tasks/0/business_model: unknown business model \"kitchn\" (did "
        "you mean \"kitchen\"?)"}},
      {"PortfolioNamesUnknownBusinessModel",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "portfolios": [{"id": "p", "name": "P", "business_models": ["m",
    "glass-kitchen"]}]})",
       {"case.json:5:5 /portfolios/0/business_models/1: unknown business model "
        "\"glass-kitchen\""}},
      {"PortfolioListsAModelTwice",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "portfolios": [{"id": "p", "name": "P", "business_models": ["m",
    "m"]}]})",
       {"case.json:5:5 /portfolios/0/business_models/1: duplicate business model \"m\" (first "
        "at line 4)"}},
      {"CarriedByItselfAndByAnUnknownModel",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "cancer", "name": "M", "state": "to_be",
    "carried_by": ["cancer", "open-space"]}]})",
       {"case.json:4:20 /business_models/0/carried_by/0: business model \"cancer\" cannot be "
        "carried by itself",
        "case.json:4:30 /business_models/0/carried_by/1: unknown business model "
        "\"open-space\""}},
      {"UnknownBuildingBlockInTask",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "bmi_tasks": [{"id": "t", "business_model": "m", "leadership_lines": ["customer"],
    "building_blocks": ["custmers"]}]})",
       {"case.json:5:25 /bmi_tasks/0/building_blocks/0: unknown building block \"custmers\" "
        "(did you mean \"customers\"?)"}},
      {"UnknownBuildingBlockAsKey",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is", "building_blocks": {
    "netwrk": {}}}]})",
       {"case.json:4:5 /business_models/0/building_blocks/netwrk: unknown building block "
        "\"netwrk\" (did you mean \"network\"?)"}},
      {"UnknownKeysInABlock",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is", "building_blocks": {
    "network": {"form": ["digital"], "forms": ["paper"]}}}]})",
       {"case.json:4:17 /business_models/0/building_blocks/network/form: unknown key \"form\" "
        "(did you mean \"forms\"?)",
        "case.json:4:48 /business_models/0/building_blocks/network/forms/0: unknown form "
        "\"paper\"; expected one of physical, digital, virtual"}},
      {"ValueFormulaKeysUnderAnotherBlock",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is", "building_blocks": {
    "customers": {"revenue": 5, "currency": "EUR"}}}]})",
       {"case.json:4:19 /business_models/0/building_blocks/customers/revenue: unknown key "
        "\"revenue\"; only the \"value_formula\" block has \"revenue\"",
        "case.json:4:33 /business_models/0/building_blocks/customers/currency: unknown key "
        "\"currency\"; only the \"value_formula\" block has \"currency\""}},
      {"UnknownLeadershipLines",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": ["customers"],
    "leadership_lines": ["costumer", "finance"]}]})",
       {"case.json:5:26 /bmi_tasks/0/leadership_lines/0: unknown leadership line \"costumer\" "
        "(did you mean \"customer\"?); known lines: customer, network, value",
        "case.json:5:38 /bmi_tasks/0/leadership_lines/1: unknown leadership line \"finance\"; "
        "known lines: customer, network, value"}},
      {"NoLeadershipLinesRegistered",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": ["customers"],
    "leadership_lines": ["customer"]}]})",
       {"case.json:5:26 /bmi_tasks/0/leadership_lines/0: unknown leadership line \"customer\"; "
        "no leadership line plugins are loaded"},
       false},
      {"BadDates",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": ["customers"],
    "leadership_lines": ["customer"],
    "period": {"start": "2012-13",
      "end": "1899"}}]})",
       {"case.json:6:25 /bmi_tasks/0/period/start: invalid date \"2012-13\"; expected YYYY, "
        "YYYY-MM or YYYY-MM-DD with a year from 1900 to 2100",
        "case.json:7:14 /bmi_tasks/0/period/end: invalid date \"1899\"; expected YYYY, YYYY-MM "
        "or YYYY-MM-DD with a year from 1900 to 2100"}},
      {"EndBeforeStart",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
  "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": ["customers"],
    "leadership_lines": ["customer"],
    "period": {"start": "2012-03",
      "end": "2012"}}]})",
       {"case.json:7:14 /bmi_tasks/0/period/end: end \"2012\" is before start \"2012-03\""}},
      {"NegativeNumbers",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B",
    "employees": -3},
  "business_models": [{"id": "m", "name": "M", "state": "as_is", "building_blocks": {
    "value_formula": {"revenue": -1.5}}}],
  "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": ["customers"],
    "leadership_lines": ["customer"], "effort": -0.5}]})",
       {"case.json:3:18 /business/employees: expected integer >= 0, found -3",
        "case.json:5:34 /business_models/0/building_blocks/value_formula/revenue: expected "
        "a number from 0 to 1e18, found -1.5",
        "case.json:7:49 /bmi_tasks/0/effort: expected a number from 0 to 1e18, found -0.5"}},
      {"IntegersOutOfRange",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B",
    "founded": 1700,
    "employees": 12.5},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:3:16 /business/founded: expected integer from 1800 to 2100, found 1700",
        "case.json:4:18 /business/employees: expected integer, found 12.5"}},
      {"BadIdsAndCodes",
       R"({"bmil": "1.0",
  "business": {"id": "Aikon", "name": "B", "country": "dk",
    "industry": "Food & drink"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is", "building_blocks": {
    "value_formula": {"currency": "kr"}}}]})",
       {"case.json:2:22 /business/id: invalid id \"Aikon\"; expected 1 to 64 characters from "
        "a-z, 0-9, \"_\", \".\" and \"-\", starting with a letter or digit",
        "case.json:2:55 /business/country: invalid country \"dk\"; expected two upper-case "
        "letters (ISO 3166-1 alpha-2)",
        "case.json:3:17 /business/industry: invalid id \"Food & drink\"; expected 1 to 64 "
        "characters from a-z, 0-9, \"_\", \".\" and \"-\", starting with a letter or digit",
        "case.json:5:35 /business_models/0/building_blocks/value_formula/currency: invalid "
        "currency \"kr\"; expected three upper-case letters (ISO 4217)"}},
      {"EmptyNameAndNoBusinessModels",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": ""},
  "business_models": []})",
       {"case.json:2:35 /business/name: expected a non-empty string, found \"\"",
        "case.json:3:22 /business_models: expected a non-empty array, found []"}},
      {"RepeatedItemsInLists",
       R"({"bmil": "1.0",
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is",
    "industries": [{"id": "water", "status": "home"}, {"id": "water", "status": "failed"}],
    "building_blocks": {"network": {"forms": ["digital", "digital"]}}}],
  "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": [],
    "leadership_lines": ["value", "value"]}]})",
       {"case.json:4:62 /business_models/0/industries/1/id: duplicate industry \"water\" (first "
        "at line 4)",
        "case.json:5:58 /business_models/0/building_blocks/network/forms/1: duplicate form "
        "\"digital\" (first at line 5)",
        "case.json:6:71 /bmi_tasks/0/building_blocks: expected a non-empty array, found []",
        "case.json:7:35 /bmi_tasks/0/leadership_lines/1: duplicate leadership line \"value\" "
        "(first at line 7)"}},
      {"NewerMinorVersionIsNotReadFurther",
       R"({"bmil": "1.1", "business": {"id": "b", "name": "B"}})",
       {"case.json:1:10 /bmil: case format 1.1 is newer than this bmil (reads 1.0)"}},
      {"UnsupportedVersion",
       R"({"business": {}, "bmil": "2.0"})",
       {"case.json:1:26 /bmil: unsupported case format \"2.0\"; this bmil reads 1.0"}},
      {"VersionAsANumber",
       R"({"bmil": 1.0,
  "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:1:10 /bmil: expected string, found number"}},
      // Cross references (line 2, line 6) and structural problems come out in document order.
      {"SeveralProblemsInDocumentOrder",
       R"({"bmil": "1.0",
  "bmi_tasks": [{"id": "t", "business_model": "x", "building_blocks": ["customers"],
    "leadership_lines": ["customer"], "phase": "durng"}],
  "business": {"id": "b", "name": "B", "size": "tiny"},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"},
    {"id": "m", "name": "M2", "state": "to_be", "stage": 3}],
  "strategy": {"explicit": "yes", "leadership_lines": ["networks"]}})",
       {"case.json:2:47 /bmi_tasks/0/business_model: unknown business model \"x\" (did you "
        "mean \"m\"?)",
        "case.json:3:48 /bmi_tasks/0/phase: unknown phase \"durng\"; expected one of before, "
        "during, after (did you mean \"during\"?)",
        "case.json:4:48 /business/size: unknown size \"tiny\"; expected one of micro, small, "
        "medium, large",
        "case.json:6:12 /business_models/1/id: duplicate business model id \"m\" (first at "
        "line 5)",
        "case.json:6:58 /business_models/1/stage: expected one of idea, concept, prototype, "
        "market, retired, found number",
        "case.json:7:28 /strategy/explicit: expected boolean, found string",
        "case.json:7:56 /strategy/leadership_lines/0: unknown leadership line \"networks\" "
        "(did you mean \"network\"?); known lines: customer, network, value"}},
      {"StopsAfterMaxErrors",
       R"({"bmil": "1.0",
  "business": {"id": "B", "name": 1, "size": 2},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
       {"case.json:2:22 /business/id: invalid id \"B\"; expected 1 to 64 characters from a-z, "
        "0-9, \"_\", \".\" and \"-\", starting with a letter or digit",
        "case.json:2:35 /business/name: expected string, found number",
        "case.json: too many problems; stopped after 2"},
       true,
       {.max_errors = 2}},
      {"DeeperThanMaxDepth",
       R"({"bmil": "1.0", "business": {"id": "b", "name": "B", "attributes": {"a": {"b": 1}}}})",
       {"case.json:1:74: nesting deeper than 3 levels"},
       true,
       {.max_depth = 3}},
      {"LargerThanMaxBytes",
       R"({"bmil": "1.0"})",
       {"case.json: file is 15 bytes, larger than the limit of 10 bytes"},
       true,
       {.max_bytes = 10}},
  };
}

void PrintTo(const BadDocument& row, std::ostream* os) { *os << row.name; }

class CaseLoaderBadDocument : public testing::TestWithParam<BadDocument> {};

TEST_P(CaseLoaderBadDocument, ReportsEveryProblem) {
  const BadDocument& row = GetParam();
  const Registry registry = row.with_lines ? LinesRegistry() : Registry();
  const LoadResult result = LoadCaseText(row.text, "case.json", registry, row.limits);
  EXPECT_EQ(Strings(result.diagnostics), row.expected);
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(result.value.has_value());
}

INSTANTIATE_TEST_SUITE_P(CaseLoader, CaseLoaderBadDocument, testing::ValuesIn(BadDocuments()),
                         [](const testing::TestParamInfo<BadDocument>& info) {
                           return info.param.name;
                         });

TEST(CaseLoader, BadDocumentTableIsLargeAndNamesAreUnique) {
  const auto rows = BadDocuments();
  EXPECT_GE(rows.size(), 30u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = i + 1; j < rows.size(); ++j) EXPECT_NE(rows[i].name, rows[j].name);
  }
}

// ------------------------------------------------------------------ limits and files

TEST(CaseLoader, CountsTextLengthInCharactersNotBytes) {
  std::string six_thousand_e_acute;
  for (int i = 0; i < 6000; ++i) six_thousand_e_acute += "\u00e9";  // 12000 bytes
  const std::string text = R"({"bmil": "1.0", "business": {"id": "b", "name": ")" +
                           std::string(10001, 'x') + R"(", "description": ")" +
                           six_thousand_e_acute + R"("},
  "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})";
  const LoadResult result = LoadCaseText(text, "case.json", LinesRegistry());
  EXPECT_EQ(Strings(result.diagnostics),
            std::vector<std::string>{
                "case.json:1:49 /business/name: expected at most 10000 characters, found 10001"});
}

TEST(CaseLoader, StopsAfterTwoHundredProblemsByDefault) {
  std::string models;
  for (int i = 0; i < 250; ++i) models += std::string(i ? "," : "") + R"({"id": "m"})";
  const std::string text =
      R"({"bmil": "1.0", "business": {"id": "b", "name": "B"}, "business_models": [)" + models +
      "]}";
  const LoadResult result = LoadCaseText(text, "case.json", LinesRegistry());
  ASSERT_EQ(result.diagnostics.size(), 201u);  // 2 per model: name and state are missing
  EXPECT_EQ(result.diagnostics[199].message, "missing required key \"state\"");
  EXPECT_EQ(result.diagnostics[199].pointer, "/business_models/99/state");
  EXPECT_EQ(result.diagnostics[200].ToString(), "case.json: too many problems; stopped after 200");
}

TEST(CaseLoader, ExactlyMaxErrorsProblemsAreNotTooMany) {
  const std::string text = R"({"bmil": "1.0", "business": {"id": "b", "name": "B"},
  "business_models": [{"id": "m"}]})";
  const LoadResult result = LoadCaseText(text, "case.json", LinesRegistry(), {.max_errors = 2});
  EXPECT_EQ(Strings(result.diagnostics),
            (std::vector<std::string>{
                "case.json:2:23 /business_models/0/name: missing required key \"name\"",
                "case.json:2:23 /business_models/0/state: missing required key \"state\""}));
}

// The attributes of a case count together: the business's {"a": 1} holds 3 entries (the
// object, "a", 1), the model's {"b": [1, 2]} 5 (the object, "b", the array, 1, 2): 8 in all.
TEST(CaseLoader, BoundsTheEntriesOfAllAttributesTogether) {
  const std::string text = R"({"bmil": "1.0", "business": {"id": "b", "name": "B",
  "attributes": {"a": 1}},
  "business_models": [{"id": "m", "name": "M", "state": "as_is",
  "attributes": {"b": [1, 2]}}]})";
  EXPECT_TRUE(LoadCaseText(text, "case.json", LinesRegistry(), {.max_attribute_entries = 8}).ok());
  const LoadResult result =
      LoadCaseText(text, "case.json", LinesRegistry(), {.max_attribute_entries = 7});
  EXPECT_EQ(Strings(result.diagnostics),
            std::vector<std::string>{
                "case.json:4:17 /business_models/0/attributes: attributes hold more than 7 values "
                "and member names in all (8 up to here); keep large company data outside the "
                "case"});
  // Reported once, however many attributes objects pass the limit after it.
  const LoadResult twice =
      LoadCaseText(text, "case.json", LinesRegistry(), {.max_attribute_entries = 2});
  ASSERT_EQ(twice.diagnostics.size(), 1u);
  EXPECT_EQ(twice.diagnostics[0].pointer, "/business/attributes");
  EXPECT_EQ(twice.diagnostics[0].line, 2u);
  EXPECT_EQ(twice.diagnostics[0].column, 17u);
}

TEST(CaseLoader, RefusesLargeTextInMebibytes) {
  const std::string text(3 * 512 * 1024, ' ');  // 1.5 MiB of whitespace
  const LoadResult result = LoadCaseText(text, "big.json", LinesRegistry(), {.max_bytes = 1 << 20});
  EXPECT_EQ(
      Strings(result.diagnostics),
      std::vector<std::string>{"big.json: file is 1,572,864 bytes (1.5 MiB), larger than the limit "
                               "of 1,048,576 bytes (1 MiB)"});
}

TEST(CaseLoader, RefusesALargeFileBeforeReadingIt) {
  TempDir dir;
  const auto path = dir.path() / "big.json";
  WriteFile(path, std::string(200, ' '));
  const LoadResult result = LoadCaseFile(path, LinesRegistry(), {.max_bytes = 100});
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0],
            (Diagnostic{path.string(), 0, 0, "",
                        "file is 200 bytes, larger than the limit of 100 bytes"}));
  EXPECT_FALSE(result.ok());
}

TEST(CaseLoader, ReportsAMissingFile) {
  TempDir dir;
  const auto path = dir.path() / "absent.json";
  const LoadResult result = LoadCaseFile(path, LinesRegistry());
  EXPECT_EQ(Strings(result.diagnostics),
            std::vector<std::string>{path.string() +
                                     ": cannot read the file: No such file or directory"});
}

TEST(CaseLoader, LoadsAFileAndNamesItInDiagnostics) {
  TempDir dir;
  const auto good = dir.path() / "good.json";
  WriteFile(good, R"({"bmil": "1.0", "business": {"id": "b", "name": "B"},
    "business_models": [{"id": "m", "name": "M", "state": "to_be"}]})");
  const LoadResult loaded = LoadCaseFile(good, LinesRegistry());
  ASSERT_TRUE(loaded.ok()) << Joined(loaded.diagnostics);
  EXPECT_EQ(loaded.value->business_models.at(0).state, State::kToBe);

  const auto bad = dir.path() / "bad.json";
  WriteFile(bad, R"({"bmil": "1.0", "business": {"id": "b", "name": "B"}})");
  const LoadResult failed = LoadCaseFile(bad, LinesRegistry());
  EXPECT_EQ(Strings(failed.diagnostics),
            std::vector<std::string>{
                bad.string() + ":1:1 /business_models: missing required key \"business_models\""});
}

TEST(Diagnostic, ToStringLeavesOutAnEmptyPointerAndFileProblemsHaveNoPosition) {
  EXPECT_EQ((Diagnostic{"a.json", 3, 14, "/business_models/0/state", "bad"}).ToString(),
            "a.json:3:14 /business_models/0/state: bad");
  EXPECT_EQ((Diagnostic{"a.json", 1, 1, "", "bad"}).ToString(), "a.json:1:1: bad");
  EXPECT_EQ((Diagnostic{"a.json", 0, 0, "", "too big"}).ToString(), "a.json: too big");
}

// ------------------------------------------------------------------ good documents

TEST(CaseLoader, LoadsAMinimalDocumentWithDefaults) {
  const LoadResult result = LoadCaseText(R"({"bmil": "1.0",
    "business": {"id": "b", "name": "B"},
    "business_models": [{"id": "m", "name": "", "state": "as_is"}]})",
                                         "case.json", Registry());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.diagnostics.empty());
  const Case& c = *result.value;
  EXPECT_EQ(c.format_version, "1.0");
  EXPECT_EQ(c.business.id, "b");
  EXPECT_EQ(c.business.name, "B");
  EXPECT_EQ(c.business.size, Size::kUnstated);
  EXPECT_FALSE(c.business.founded.has_value());
  EXPECT_EQ(c.business.attributes, nlohmann::json::object());
  EXPECT_TRUE(c.portfolios.empty());
  ASSERT_EQ(c.business_models.size(), 1u);
  EXPECT_EQ(c.business_models[0].name, "");  // only the business's name must be non-empty
  EXPECT_EQ(c.business_models[0].stage, Stage::kUnstated);
  EXPECT_TRUE(c.business_models[0].building_blocks.empty());
  EXPECT_EQ(c.business_models[0].value_formula, ValueFormula{});
  EXPECT_TRUE(c.bmi_tasks.empty());
  EXPECT_FALSE(c.strategy.has_value());
  EXPECT_FALSE(c.source.has_value());
}

TEST(CaseLoader, AcceptsBlocksRegisteredByPlugins) {
  Registry registry = LinesRegistry();
  ASSERT_TRUE(registry.AddBlock({"ecosystem", "Ecosystem", "", "eco"}));
  const LoadResult result = LoadCaseText(R"({"bmil": "1.0",
    "business": {"id": "b", "name": "B"},
    "business_models": [{"id": "m", "name": "M", "state": "as_is",
      "building_blocks": {"ecosystem": {"items": ["partners"]}}}],
    "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": ["ecosystem"],
      "leadership_lines": ["network"]}]})",
                                         "case.json", registry);
  ASSERT_TRUE(result.ok()) << Joined(result.diagnostics);
  EXPECT_EQ(result.value->business_models[0].building_blocks.at("ecosystem").items,
            std::vector<std::string>{"partners"});
  EXPECT_EQ(result.value->bmi_tasks[0].building_blocks, std::vector<std::string>{"ecosystem"});
}

TEST(CaseLoader, AcceptsIntegralNumbersWrittenWithAFractionOrExponent) {
  const LoadResult result = LoadCaseText(R"({"bmil": "1.0",
    "business": {"id": "b", "name": "B", "founded": 1998.0, "employees": 4e1},
    "business_models": [{"id": "m", "name": "M", "state": "as_is"}]})",
                                         "case.json", Registry());
  ASSERT_TRUE(result.ok()) << Joined(result.diagnostics);
  EXPECT_EQ(result.value->business.founded, 1998);
  EXPECT_EQ(result.value->business.employees, 40);
}

using test::kFullDocument;  // every field of the format once
TEST(CaseLoader, LoadsEveryFieldOfAFullDocument) {
  const LoadResult result = LoadCaseText(kFullDocument, "full.json", LinesRegistry());
  ASSERT_TRUE(result.ok()) << Joined(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty());
  const Case& c = *result.value;
  EXPECT_EQ(c.format_version, "1.0");

  const Business& b = c.business;
  EXPECT_EQ(b.id, "aikon");
  EXPECT_EQ(b.name,
            "Aikon S\xc3\xb8"
            "borg ApS");
  EXPECT_EQ(b.description, "Danish SME running several business models.");
  EXPECT_EQ(b.industry, "kitchens");
  EXPECT_EQ(b.country, "DK");
  EXPECT_EQ(b.size, Size::kSmall);
  EXPECT_EQ(b.founded, 1998);
  EXPECT_EQ(b.employees, 42);
  EXPECT_EQ(b.attributes, nlohmann::json::parse(R"({"cvr": "12345678",
      "tags": ["sme", 3, 1.5, null, true], "owner": {"family": true}})"));

  ASSERT_EQ(c.portfolios.size(), 1u);
  EXPECT_EQ(c.portfolios[0].id, "core");
  EXPECT_EQ(c.portfolios[0].name, "Core");
  EXPECT_EQ(c.portfolios[0].description, "What earns today.");
  EXPECT_EQ(c.portfolios[0].business_models, (std::vector<std::string>{"kitchen", "health"}));

  ASSERT_EQ(c.business_models.size(), 2u);
  const BusinessModel& kitchen = c.business_models[0];
  EXPECT_EQ(kitchen.id, "kitchen");
  EXPECT_EQ(kitchen.name, "Glass kitchen");
  EXPECT_EQ(kitchen.description, "Kitchens with glass fronts.");
  EXPECT_EQ(kitchen.state, State::kAsIs);
  EXPECT_EQ(kitchen.stage, Stage::kMarket);
  EXPECT_EQ(kitchen.industries, (std::vector<Industry>{{"furniture", IndustryStatus::kHome},
                                                       {"hotels", IndustryStatus::kFailed}}));
  ASSERT_EQ(kitchen.building_blocks.size(), 3u);
  EXPECT_EQ(
      kitchen.building_blocks.at("value_proposition"),
      (BuildingBlock{
          BMIL_FORM_PHYSICAL | BMIL_FORM_DIGITAL, "Glass kitchens", {"fronts", "installation"}}));
  EXPECT_EQ(kitchen.building_blocks.at("customers"), BuildingBlock{});
  EXPECT_EQ(kitchen.building_blocks.at("value_formula"),
            (BuildingBlock{BMIL_FORM_VIRTUAL, "One-off sales", {"sale"}}));
  EXPECT_EQ(kitchen.value_formula.revenue, 1200000.0);
  EXPECT_EQ(kitchen.value_formula.cost, 950000.5);
  EXPECT_EQ(kitchen.value_formula.currency, "DKK");
  EXPECT_EQ(kitchen.value_formula.users, 0.0);
  EXPECT_EQ(kitchen.value_formula.customers, 35.0);
  EXPECT_TRUE(kitchen.carried_by.empty());
  EXPECT_EQ(kitchen.attributes, nlohmann::json::parse(R"({"margin": 0.2})"));

  const BusinessModel& health = c.business_models[1];
  EXPECT_EQ(health.id, "health");
  EXPECT_EQ(health.name, "Health info system");
  EXPECT_EQ(health.description, "");
  EXPECT_EQ(health.state, State::kToBe);
  EXPECT_EQ(health.stage, Stage::kPrototype);
  EXPECT_TRUE(health.industries.empty());
  ASSERT_EQ(health.building_blocks.size(), 1u);
  EXPECT_EQ(health.building_blocks.at("network"), (BuildingBlock{BMIL_FORM_DIGITAL, "", {}}));
  EXPECT_EQ(health.value_formula, ValueFormula{});
  EXPECT_EQ(health.carried_by, std::vector<std::string>{"kitchen"});
  EXPECT_EQ(health.attributes, nlohmann::json::object());

  ASSERT_EQ(c.bmi_tasks.size(), 2u);
  const BmiTask& t1 = c.bmi_tasks[0];
  EXPECT_EQ(t1.id, "t1");
  EXPECT_EQ(t1.business_model, "kitchen");
  EXPECT_EQ(t1.description, "Orchestrated customer and network leadership");
  EXPECT_EQ(t1.building_blocks, (std::vector<std::string>{"customers", "network"}));
  EXPECT_EQ(t1.leadership_lines, (std::vector<std::string>{"customer", "network"}));
  EXPECT_EQ(t1.action, Action::kUpgrade);
  EXPECT_EQ(t1.level, Level::kBusinessModel);
  EXPECT_EQ(t1.phase, Phase::kDuring);
  EXPECT_EQ(t1.period, (Period{"2010-03", "2011-12-31"}));
  EXPECT_EQ(t1.status, TaskStatus::kCompleted);
  EXPECT_EQ(t1.effort, 6.5);
  EXPECT_EQ(t1.stance, Stance::kProactive);
  EXPECT_EQ(t1.perspective, Perspective::kOutsideIn);
  EXPECT_EQ(t1.attributes, nlohmann::json::parse(R"({"owner": "CEO"})"));

  const BmiTask& t2 = c.bmi_tasks[1];
  EXPECT_EQ(t2.id, "t2");
  EXPECT_EQ(t2.business_model, "health");
  EXPECT_EQ(t2.building_blocks, std::vector<std::string>{"value_formula"});
  EXPECT_EQ(t2.leadership_lines, std::vector<std::string>{"value"});
  EXPECT_EQ(t2.action, Action::kExclude);
  EXPECT_EQ(t2.level, Level::kUnstated);
  EXPECT_EQ(t2.phase, Phase::kUnstated);
  EXPECT_EQ(t2.period, (Period{"2012", ""}));
  EXPECT_EQ(t2.status, TaskStatus::kUnstated);
  EXPECT_FALSE(t2.effort.has_value());
  EXPECT_EQ(t2.stance, Stance::kUnstated);
  EXPECT_EQ(t2.perspective, Perspective::kUnstated);

  ASSERT_TRUE(c.strategy.has_value());
  EXPECT_EQ(c.strategy->explicit_strategy, false);
  EXPECT_EQ(c.strategy->structured_process, true);
  EXPECT_EQ(c.strategy->skills, Skills::kLow);
  EXPECT_EQ(c.strategy->goals, std::vector<std::string>{"critical mass of customers"});
  EXPECT_EQ(c.strategy->leadership_lines, (std::vector<std::string>{"customer", "network"}));
  EXPECT_EQ(c.strategy->description, "Customer and network leadership at once.");

  ASSERT_TRUE(c.source.has_value());
  EXPECT_EQ(c.source->citation, "Lindgren 2012");
  EXPECT_EQ(c.source->url, "https://doi.org/10.5539/ijbm.v7n14p53");
  EXPECT_EQ(c.source->notes, "Coded from the narrative.");
}

}  // namespace
}  // namespace bmil
