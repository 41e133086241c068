// Peak memory of `bmil validate` and `bmil analyze` is a documented multiple of the document
// (docs/data-format.md#memory, issue 14): at most 16 times for validate and 24 times for
// analyze on the worst documents the format allows, valid or not, plus what bmil takes on a
// small case. The documents here are 4 MiB, so that a bound broken by a per-value cost (the
// old tree took 80 to 260 times) shows clearly above the start-up memory. Not timed.
#include "cli_runner.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
namespace fs = std::filesystem;

constexpr std::size_t kDocumentBytes = 4u << 20;

nlohmann::json Kellpo() {
  std::ifstream in(fs::path(BMIL_SOURCE_DIR) / "examples" / "cases" / "kellpo.json");
  return nlohmann::json::parse(in);
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// `doc` as text with the placeholder string "@" replaced by `count` copies of `value`, comma
// separated, built as text: the test process stays small (a child's peak memory counts the
// memory it had when forked).
std::string Fill(const nlohmann::json& doc, std::size_t text_bytes, std::string_view value) {
  std::string text = doc.dump();
  const std::size_t at = text.find("\"@\"");
  const std::size_t count = (text_bytes - text.size()) / (value.size() + 1);
  std::string filled;
  filled.reserve(text_bytes + value.size());
  filled.append(text, 0, at);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) filled += ',';
    filled += value;
  }
  filled.append(text, at + 3);
  return filled;
}

// Kellpo with its first model's first block (not the value formula) holding one-letter items
// up to about `bytes`: 4 bytes of text per value, each a string in the case model.
std::string ItemsCase(std::size_t bytes) {
  nlohmann::json doc = Kellpo();
  nlohmann::json& blocks = doc["business_models"][0]["building_blocks"];
  std::string first;
  for (const auto& [key, value] : blocks.items()) {
    if (key != "value_formula") {
      first = key;
      break;
    }
  }
  blocks[first]["items"] = {"@"};
  return Fill(doc, bytes, "\"a\"");
}

// Kellpo with a million zeros in its attributes: refused (over the attributes limit), but
// parsed whole first, at 2 bytes of text per value.
std::string ZerosCase(std::size_t bytes) {
  nlohmann::json doc = Kellpo();
  doc["business"]["attributes"]["x"] = {"@"};
  return Fill(doc, bytes, "0");
}

// Zeros where the business models go: refused, every element is wrong.
std::string BadModelsCase(std::size_t bytes) {
  nlohmann::json doc = Kellpo();
  doc["business_models"] = {"@"};
  return Fill(doc, bytes, "0");
}

struct Document {
  std::string name;
  std::size_t bytes;
  int validate_exit;
};

TEST(MemoryBound, ValidateAndAnalyzeStayWithinTheDocumentedMultiple) {
  TempDir dir;
  std::vector<Document> documents = {
      {"items.json", 0, 0}, {"zeros.json", 0, 1}, {"bad_models.json", 0, 1}};
  for (Document& d : documents) {
    const std::string text = d.name == "items.json"   ? ItemsCase(kDocumentBytes)
                             : d.name == "zeros.json" ? ZerosCase(kDocumentBytes)
                                                      : BadModelsCase(kDocumentBytes);
    Write(dir.path() / d.name, text);
    d.bytes = text.size();
  }
  const fs::path small = fs::path(BMIL_SOURCE_DIR) / "examples" / "cases" / "kellpo.json";
  const Outcome base = RunMeasured({"analyze", small.string(), "--format", "json"});
  ASSERT_EQ(base.code, 0);
  for (const Document& d : documents) {
    const fs::path path = dir.path() / d.name;
    const double mib = static_cast<double>(d.bytes) / (1 << 20);
    ASSERT_GT(mib, 3.9) << d.name;
    const Outcome validate = RunMeasured({"validate", path.string()});
    EXPECT_EQ(validate.code, d.validate_exit) << d.name;
    const Outcome analyze = RunMeasured({"analyze", path.string(), "--format", "json"});
    EXPECT_EQ(analyze.code, d.validate_exit) << d.name;
#ifndef __SANITIZE_ADDRESS__  // under ASan the figures are the sanitizer's
    const double validate_multiple = (validate.max_rss_kib - base.max_rss_kib) / 1024.0 / mib;
    const double analyze_multiple = (analyze.max_rss_kib - base.max_rss_kib) / 1024.0 / mib;
    EXPECT_LE(validate_multiple, 16) << d.name << ": validate took " << validate.max_rss_kib
                                     << " KiB, a small case " << base.max_rss_kib << " KiB";
    EXPECT_LE(analyze_multiple, 24) << d.name << ": analyze took " << analyze.max_rss_kib
                                    << " KiB, a small case " << base.max_rss_kib << " KiB";
    std::printf("%s (%.1f MiB): validate %.1fx, analyze %.1fx the document\n", d.name.c_str(), mib,
                validate_multiple, analyze_multiple);
#endif
  }
}

}  // namespace
