#include <bmil/manifest.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bmil {
namespace {

using ::testing::StartsWith;

// A complete, valid line manifest; tests change one thing at a time.
nlohmann::json GoodLineManifest() {
  return nlohmann::json::parse(R"({
    "id": "demo",
    "name": "Demo line",
    "version": "1.2.3",
    "kind": "line",
    "abi": "1.0",
    "provides": {
      "lines": ["demo", {"id": "demo_two", "code": "DIL", "name": "Demo two", "order": 20}],
      "blocks": [{"id": "sustainability", "name": "Sustainability"}]
    },
    "description": "A line for tests.",
    "license": "MIT",
    "vendor": "bmil tests"
  })");
}

// The error message of parsing `manifest`, or "<ok>" when it parsed.
std::string ErrorOf(const nlohmann::json& manifest) {
  auto result = ParseManifest(manifest.dump());
  return result ? std::string("<ok>") : result.error();
}

TEST(ParseManifest, ReadsEveryField) {
  auto result = ParseManifest(GoodLineManifest().dump());
  ASSERT_TRUE(result) << result.error();
  const Manifest& m = result.value();
  EXPECT_EQ(m.id, "demo");
  EXPECT_EQ(m.name, "Demo line");
  EXPECT_EQ(m.version, "1.2.3");
  EXPECT_EQ(m.kind, "line");
  EXPECT_EQ(m.abi_major, 1);
  EXPECT_EQ(m.abi_minor, 0);
  EXPECT_EQ(m.description, "A line for tests.");
  EXPECT_EQ(m.license, "MIT");
  EXPECT_EQ(m.vendor, "bmil tests");
  ASSERT_EQ(m.lines.size(), 2u);
  // A string entry: only the id, the order defaults to 1000.
  EXPECT_EQ(m.lines[0].id, "demo");
  EXPECT_EQ(m.lines[0].code, "");
  EXPECT_EQ(m.lines[0].name, "");
  EXPECT_EQ(m.lines[0].order, 1000);
  // An object entry.
  EXPECT_EQ(m.lines[1].id, "demo_two");
  EXPECT_EQ(m.lines[1].code, "DIL");
  EXPECT_EQ(m.lines[1].name, "Demo two");
  EXPECT_EQ(m.lines[1].order, 20);
  ASSERT_EQ(m.blocks.size(), 1u);
  EXPECT_EQ(m.blocks[0].id, "sustainability");
  EXPECT_EQ(m.blocks[0].name, "Sustainability");
  EXPECT_EQ(m.blocks[0].code, "");
  EXPECT_EQ(m.blocks[0].order, 1000);
}

TEST(ParseManifest, AcceptsAnalyzerWithoutProvidesOrOptionalKeys) {
  auto result = ParseManifest(
      R"({"id": "a2", "name": "A", "version": "0.1.0", "kind": "analyzer", "abi": "3.14"})");
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->id, "a2");
  EXPECT_EQ(result->kind, "analyzer");
  EXPECT_EQ(result->abi_major, 3);
  EXPECT_EQ(result->abi_minor, 14);
  EXPECT_TRUE(result->lines.empty());
  EXPECT_TRUE(result->blocks.empty());
  EXPECT_EQ(result->description, "");
  EXPECT_EQ(result->license, "");
  EXPECT_EQ(result->vendor, "");
}

TEST(ParseManifest, RefusesMissingRequiredKey) {
  for (const char* key : {"id", "name", "version", "kind", "abi"}) {
    nlohmann::json m = GoodLineManifest();
    m.erase(key);
    EXPECT_EQ(ErrorOf(m), std::string("manifest: missing \"") + key + "\"") << key;
  }
}

TEST(ParseManifest, RefusesNonStringValues) {
  for (const char* key :
       {"id", "name", "version", "kind", "abi", "description", "license", "vendor"}) {
    nlohmann::json m = GoodLineManifest();
    m[key] = 5;
    EXPECT_EQ(ErrorOf(m), std::string("manifest: \"") + key + "\" must be a string") << key;
    m[key] = nlohmann::json::array({"x"});
    EXPECT_EQ(ErrorOf(m), std::string("manifest: \"") + key + "\" must be a string") << key;
  }
}

TEST(ParseManifest, RefusesBadAbiStrings) {
  for (const char* abi : {"1", "a.b", "1.0.0", "", "1.", ".0", "1.x", " 1.0", "1.0 ", "v1.0",
                          "-1.0", "1.-0", "+1.0", "1.+0", "99999999999.0"}) {
    nlohmann::json m = GoodLineManifest();
    m["abi"] = abi;
    EXPECT_EQ(ErrorOf(m),
              std::string("manifest: \"abi\" must be \"MAJOR.MINOR\", found \"") + abi + "\"")
        << abi;
  }
}

TEST(ParseManifest, RefusesBadId) {
  for (const char* id : {"Demo", "1demo", "demo-line", "", "_demo", "demo line", "démo"}) {
    nlohmann::json m = GoodLineManifest();
    m["id"] = id;
    EXPECT_EQ(ErrorOf(m), std::string("manifest: \"id\" \"") + id +
                              "\" must match ^[a-z][a-z0-9_]*$ (at most 64 characters)")
        << id;
  }
}

TEST(ParseManifest, LimitsIdsToSixtyFourCharacters) {
  nlohmann::json m = GoodLineManifest();
  m["id"] = std::string(64, 'a');
  EXPECT_EQ(ErrorOf(m), "<ok>");
  m["id"] = std::string(65, 'a');
  EXPECT_EQ(ErrorOf(m), "manifest: \"id\" \"" + std::string(65, 'a') +
                            "\" must match ^[a-z][a-z0-9_]*$ (at most 64 characters)");
}

TEST(ParseManifest, RefusesUnknownKind) {
  nlohmann::json m = GoodLineManifest();
  m["kind"] = "widget";
  EXPECT_EQ(ErrorOf(m),
            "manifest: \"kind\" must be one of line, analyzer, model; found \"widget\"");
  m["kind"] = "Line";
  EXPECT_EQ(ErrorOf(m), "manifest: \"kind\" must be one of line, analyzer, model; found \"Line\"");
}

// Consequence models came with ABI 1.1: a model manifest for 1.0 cannot be right.
TEST(ParseManifest, AModelNeedsAbiOnePointOne) {
  nlohmann::json m = GoodLineManifest();
  m.erase("provides");
  m["kind"] = "model";
  m["abi"] = "1.1";
  EXPECT_EQ(ErrorOf(m), "<ok>");
  m["abi"] = "1.0";
  EXPECT_EQ(ErrorOf(m),
            "manifest: a model plugin needs \"abi\" 1.1 or newer (models came with ABI 1.1); "
            "found \"1.0\"");
}

TEST(ParseManifest, RefusesLinePluginWithoutLines) {
  const std::string expected = "manifest: a line plugin must list its line in \"provides.lines\"";
  nlohmann::json m = GoodLineManifest();
  m.erase("provides");
  EXPECT_EQ(ErrorOf(m), expected);
  m["provides"] = nlohmann::json::object();
  EXPECT_EQ(ErrorOf(m), expected);
  m["provides"] = {{"lines", nlohmann::json::array()}, {"blocks", {"extra"}}};
  EXPECT_EQ(ErrorOf(m), expected);
  // The same manifest is fine for an analyzer.
  m["kind"] = "analyzer";
  EXPECT_EQ(ErrorOf(m), "<ok>");
}

TEST(ParseManifest, RefusesMalformedProvides) {
  struct Row {
    const char* provides;  // JSON
    std::string message;
  };
  const std::vector<Row> rows = {
      {R"("lines")", "manifest: \"provides\" must be an object"},
      {R"(["demo"])", "manifest: \"provides\" must be an object"},
      {R"({"lines": "demo"})", "manifest: \"provides.lines\" must be an array"},
      {R"({"lines": ["demo"], "blocks": {"id": "x"}})",
       "manifest: \"provides.blocks\" must be an array"},
      {R"({"lines": [7]})",
       "manifest: each entry of \"provides.lines\" must be an id or an object with an \"id\""},
      {R"({"lines": [{"code": "DIL"}]})",
       "manifest: each entry of \"provides.lines\" must be an id or an object with an \"id\""},
      {R"({"lines": [{"id": 7}]})",
       "manifest: each entry of \"provides.lines\" must be an id or an object with an \"id\""},
      {R"({"lines": ["Demo"]})",
       "manifest: \"provides.lines\" id \"Demo\" must match ^[a-z][a-z0-9_]*$ (at most 64 "
       "characters)"},
      {R"({"lines": ["demo"], "blocks": [{"id": "9lives"}]})",
       "manifest: \"provides.blocks\" id \"9lives\" must match ^[a-z][a-z0-9_]*$ (at most 64 "
       "characters)"},
      // Wrong types inside an entry name the entry and the key.
      {R"({"lines": [{"id": "demo", "order": "first"}]})",
       "manifest: \"provides.lines\" entry \"demo\": \"order\" must be an integer"},
      {R"({"lines": [{"id": "demo", "order": 2.5}]})",
       "manifest: \"provides.lines\" entry \"demo\": \"order\" must be an integer"},
      {R"({"lines": [{"id": "demo", "order": 4294967296}]})",
       "manifest: \"provides.lines\" entry \"demo\": \"order\" must be an integer"},
      {R"({"lines": [{"id": "demo", "code": 1}]})",
       "manifest: \"provides.lines\" entry \"demo\": \"code\" must be a string"},
      {R"({"lines": ["demo"], "blocks": [{"id": "data", "name": null}]})",
       "manifest: \"provides.blocks\" entry \"data\": \"name\" must be a string"},
  };
  for (const auto& row : rows) {
    nlohmann::json m = GoodLineManifest();
    m["provides"] = nlohmann::json::parse(row.provides);
    EXPECT_EQ(ErrorOf(m), row.message) << row.provides;
  }
}

TEST(ParseManifest, AcceptsNegativeAndZeroOrder) {
  nlohmann::json m = GoodLineManifest();
  m["provides"] = nlohmann::json::parse(
      R"({"lines": [{"id": "first", "order": -5}, {"id": "second", "order": 0}]})");
  auto result = ParseManifest(m.dump());
  ASSERT_TRUE(result) << result.error();
  ASSERT_EQ(result->lines.size(), 2u);
  EXPECT_EQ(result->lines[0].order, -5);
  EXPECT_EQ(result->lines[1].order, 0);
}

TEST(ParseManifest, RefusesTextThatIsNotAJsonObject) {
  EXPECT_EQ(ParseManifest("[]").error(), "manifest must be a JSON object");
  EXPECT_EQ(ParseManifest("\"demo\"").error(), "manifest must be a JSON object");
  EXPECT_THAT(ParseManifest("").error(),
              StartsWith("manifest is not valid JSON: [json.exception.parse_error.101]"));
  EXPECT_THAT(ParseManifest(R"({"id": "demo",)").error(),
              StartsWith("manifest is not valid JSON: [json.exception.parse_error.101]"));
}

TEST(CheckAbi, AcceptsSameAndOlderMinor) {
  struct Row {
    int major, minor, host_major, host_minor;
  };
  for (const Row& r :
       {Row{1, 0, 1, 0}, Row{1, 0, 1, 2}, Row{1, 1, 1, 2}, Row{1, 2, 1, 2}, Row{2, 0, 2, 7}}) {
    auto result = CheckAbi(r.major, r.minor, r.host_major, r.host_minor);
    ASSERT_TRUE(result) << r.major << "." << r.minor << " on " << r.host_major << "."
                        << r.host_minor << ": " << result.error();
    EXPECT_TRUE(result.value());
  }
}

TEST(CheckAbi, RefusesNewerMinorOrOtherMajor) {
  struct Row {
    int major, minor, host_major, host_minor;
    std::string message;
  };
  const std::vector<Row> rows = {
      {1, 3, 1, 2, "built for ABI 1.3, newer than this bmil's ABI 1.2 (update bmil)"},
      {1, 1, 1, 0, "built for ABI 1.1, newer than this bmil's ABI 1.0 (update bmil)"},
      {1, 99, 1, 0, "built for ABI 1.99, newer than this bmil's ABI 1.0 (update bmil)"},
      // Another major, newer and older than the host's, whatever the minors.
      {2, 0, 1, 0,
       "built for ABI 2.0, but this bmil speaks ABI 1.0 (the major version must match)"},
      {0, 9, 1, 0,
       "built for ABI 0.9, but this bmil speaks ABI 1.0 (the major version must match)"},
      {1, 0, 2, 5,
       "built for ABI 1.0, but this bmil speaks ABI 2.5 (the major version must match)"},
      {3, 7, 2, 0,
       "built for ABI 3.7, but this bmil speaks ABI 2.0 (the major version must match)"},
  };
  for (const Row& r : rows) {
    auto result = CheckAbi(r.major, r.minor, r.host_major, r.host_minor);
    ASSERT_FALSE(result) << r.message;
    EXPECT_EQ(result.error(), r.message);
  }
}

}  // namespace
}  // namespace bmil

namespace bmil {
namespace {

// Manifests are read like case files: a key bmil does not know is a mistake (a misspelt
// "vendor" would be ignored silently), named with a did-you-mean (issue 17).
TEST(ParseManifest, RefusesUnknownKeysWithADidYouMean) {
  auto top = GoodLineManifest();
  top["vender"] = "Acme";
  EXPECT_EQ(ParseManifest(top.dump()).error(),
            "manifest: unknown key \"vender\" (did you mean \"vendor\"?)");
  auto provides = GoodLineManifest();
  provides["provides"]["line"] = nlohmann::json::array();
  EXPECT_EQ(ParseManifest(provides.dump()).error(),
            "manifest: unknown key \"provides.line\" (did you mean \"lines\"?)");
  auto entry = GoodLineManifest();
  entry["provides"]["lines"][1]["oder"] = 5;
  EXPECT_EQ(ParseManifest(entry.dump()).error(),
            "manifest: \"provides.lines\" entry \"demo_two\": unknown key \"oder\" (did you mean "
            "\"order\"?)");
}

// provides.analyzers is read and checked: an analyzer plugin provides one analyzer, itself.
TEST(ParseManifest, ReadsAndChecksProvidedAnalyzers) {
  const nlohmann::json analyzer = {
      {"id", "action_count"}, {"name", "Tasks per action"},
      {"version", "1.0.0"},   {"kind", "analyzer"},
      {"abi", "1.0"},         {"provides", {{"analyzers", {"action_count"}}}}};
  auto ok = ParseManifest(analyzer.dump());
  ASSERT_TRUE(ok) << ok.error();
  ASSERT_EQ(ok.value().analyzers.size(), 1u);
  EXPECT_EQ(ok.value().analyzers[0].id, "action_count");
  auto other = analyzer;
  other["provides"]["analyzers"] = {"something_else"};
  EXPECT_EQ(ParseManifest(other.dump()).error(),
            "manifest: \"provides.analyzers\" of an analyzer plugin is its own id, "
            "[\"action_count\"]; found \"something_else\"");
  auto line = GoodLineManifest();
  line["provides"]["analyzers"] = {"demo"};
  EXPECT_EQ(ParseManifest(line.dump()).error(),
            "manifest: only an analyzer plugin provides \"provides.analyzers\" (kind is "
            "\"line\")");
}

}  // namespace
}  // namespace bmil
