// The sealed .bmilpart: every change to a part's bytes is caught (issue 14: 20 of 800 random
// byte corruptions changed merged results), and a part's body is read strictly.
#include "batch/part_format.hpp"
#include "batch/part_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace bmil {
namespace {

using ::testing::HasSubstr;

const std::string kBody =
    R"({"bmil_partial":2,"bmil_version":"0.1.0","counts":{"records_read":3,"analyzed":2,)"
    R"("rejected":1,"fast_path":2,"bytes":120},"inputs":[{"source":"a.jsonl","bytes":120,)"
    R"("xxh3":"0123456789abcdef0123456789abcdef"}],"plugins":[{"id":"canvas","version":"1.0.0",)"
    R"("kind":"analyzer"}],"analyzers":[{"plugin":"canvas","version":"1.0.0","state":{"n":[1,2]}}],)"
    R"("failures":[]})";

TEST(PartFormat, SealedBodyUnsealsToItself) {
  const std::string sealed = SealPart(kBody);
  EXPECT_EQ(sealed.back(), '\n');
  EXPECT_THAT(sealed, HasSubstr(",\"checksum\":\"xxh3-128:"));
  auto body = UnsealPart(sealed);
  ASSERT_TRUE(body.ok()) << body.error();
  EXPECT_EQ(body.value(), kBody);
  // CRLF and trailing blanks (a part copied through other tools) are fine.
  EXPECT_TRUE(UnsealPart(sealed.substr(0, sealed.size() - 1) + "\r\n  \n").ok());
}

TEST(PartFormat, EveryByteChangedRemovedOrAddedIsCaught) {
  const std::string sealed = SealPart(kBody);
  const std::size_t end = sealed.size() - 1;  // the newline may become other whitespace
  for (std::size_t i = 0; i < end; ++i) {
    for (const unsigned char to :
         {0x00u, 0x20u, 0x30u, 0x7bu, 0xffu, static_cast<unsigned>(sealed[i]) ^ 1u}) {
      if (static_cast<char>(to) == sealed[i]) continue;
      std::string changed = sealed;
      changed[i] = static_cast<char>(to);
      EXPECT_FALSE(UnsealPart(changed).ok()) << "byte " << i << " -> " << int(to);
    }
    std::string removed = sealed;
    removed.erase(i, 1);
    EXPECT_FALSE(UnsealPart(removed).ok()) << "byte " << i << " removed";
    std::string added = sealed;
    added.insert(i, 1, '0');
    EXPECT_FALSE(UnsealPart(added).ok()) << "byte added at " << i;
  }
  for (std::size_t cut = 0; cut + 2 < sealed.size(); ++cut) {
    EXPECT_FALSE(UnsealPart(sealed.substr(0, cut)).ok()) << "cut at " << cut;
  }
}

TEST(PartFormat, SaysWhyAPartIsRefused) {
  EXPECT_THAT(UnsealPart(kBody).error(), HasSubstr("does not end with the checksum"));
  std::string sealed = SealPart(kBody);
  sealed[20] = '9';
  EXPECT_THAT(UnsealPart(sealed).error(), HasSubstr("checksum does not match its content"));
}

TEST(PartReader, ReadsAValidBody) {
  auto read = ReadPart(kBody);
  ASSERT_TRUE(std::holds_alternative<PartContent>(read)) << std::get<std::string>(read);
  const PartContent& part = std::get<PartContent>(read);
  EXPECT_EQ(part.counts.records, 3u);
  EXPECT_EQ(part.counts.rejected, 1u);
  ASSERT_EQ(part.inputs.size(), 1u);
  EXPECT_EQ(part.inputs[0].bytes, 120u);
  ASSERT_EQ(part.analyzers.size(), 1u);
  EXPECT_EQ(part.analyzers[0].state, R"({"n":[1,2]})");
  EXPECT_EQ(part.plugins[0]["id"], "canvas");
}

struct Breach {
  std::string from, to, problem;
};

TEST(PartReader, RefusesWhatDoesNotAddUp) {
  const std::vector<Breach> breaches = {
      {R"("analyzed":2)", R"("analyzed":4)",
       "/counts: 4 analyzed and 1 rejected do not add up to 3 records read"},
      {R"("fast_path":2)", R"("fast_path":3)", "/counts/fast_path: 3 is more than the 2 analyzed"},
      {R"("state":{"n":[1,2]})", R"("state":null)",
       "/analyzers/0/state: null, but no failure of \"canvas\" is recorded in the part"},
      {R"("bmil_partial":2)", R"("bmil_partial":1)", "/bmil_partial: expected 2, found 1"},
      {R"("bytes":120})", R"("bytes":-1})", "/counts/bytes: expected an integer"},
      {R"("failures":[])", R"("failures":[{"plugin":5}])", "/failures/0/plugin: expected a string"},
      {R"("failures":[])", R"("failures":[],"failures":[])", "/failures: a duplicate key"},
      {R"({"n":[1,2]})", R"({"n":1,"n":2})", "/analyzers/0/state/n: a duplicate key"},
      {R"("failures":[])", R"("failures":[],"extra":0)", "/extra: not a member of a part"},
      {R"("xxh3":"0123456789abcdef0123456789abcdef")", R"("xxh3":"12")",
       "/inputs/0/xxh3: expected 32 lower-case hex digits"},
      // Found by the part_reader fuzzer: an upper-cased digest let the same part merge twice.
      {R"("xxh3":"0123456789abcdef0123456789abcdef")",
       R"("xxh3":"0123456789ABCDEF0123456789abcdef")",
       "/inputs/0/xxh3: expected 32 lower-case hex digits"},
      {R"("xxh3":"0123456789abcdef0123456789abcdef")",
       R"("xxh3":"0123456789abcdef0123456789abcdeg")",
       "/inputs/0/xxh3: expected 32 lower-case hex digits"},
      {R"({"plugin":"canvas","version":"1.0.0","state":{"n":[1,2]}})",
       R"({"plugin":"canvas","version":"1.0.0","state":{}},{"plugin":"canvas","version":"1.0.0","state":{}})",
       "/analyzers/1/plugin: \"canvas\" is listed twice"},
      // The listing caps (bmil batch --max-rows N, --all) and the per-business rows.
      {R"("failures":[])", R"("failures":[],"listing":{"max_rows":0})",
       "/listing/max_rows: expected a positive integer"},
      {R"("failures":[])", R"("failures":[],"listing":{"all":false})",
       "/listing/all: expected true"},
      {R"("failures":[])", R"("failures":[],"listing":{"all":true,"max_rows":3})",
       R"(/listing: expected {"max_rows": N} or {"all": true})"},
      {R"("failures":[])", R"("failures":[],"listing":{"rows":3})",
       "/listing/rows: not a member of a part"},
      {R"("failures":[])", R"("failures":[],"business_metrics":[])",
       "/business_metrics: expected an object"},
  };
  for (const auto& b : breaches) {
    std::string body = kBody;
    const auto at = body.find(b.from);
    ASSERT_NE(at, std::string::npos) << b.from;
    body.replace(at, b.from.size(), b.to);
    auto read = ReadPart(body);
    ASSERT_TRUE(std::holds_alternative<std::string>(read)) << b.to;
    EXPECT_THAT(std::get<std::string>(read), HasSubstr(b.problem)) << b.to;
  }
}

TEST(PartReader, BoundsDepthWithoutRecursion) {
  std::string body = kBody;
  body.replace(body.find(R"({"n":[1,2]})"), 11,
               std::string(100000, '[') + std::string(100000, ']'));
  auto read = ReadPart(body);
  ASSERT_TRUE(std::holds_alternative<std::string>(read));
  EXPECT_THAT(std::get<std::string>(read), HasSubstr("nested more than 64 deep"));
}

TEST(PluginSetDifference, NamesEachPluginThatDiffers) {
  const nlohmann::ordered_json part = nlohmann::ordered_json::parse(
      R"([{"id":"a","version":"1.0.0","kind":"line"},{"id":"b","version":"2.0.0","kind":"analyzer"}])");
  const nlohmann::ordered_json here = nlohmann::ordered_json::parse(
      R"([{"id":"b","version":"2.1.0","kind":"analyzer"},{"id":"c","version":"0.1.0","kind":"line"}])");
  EXPECT_EQ(PluginSetDifference(part, here),
            "a 1.0.0 wrote it and is not loaded here; b 2.0.0 wrote it, 2.1.0 is loaded here; "
            "c 0.1.0 is loaded here and did not write it");
  EXPECT_EQ(PluginSetDifference(here, here), "");
}

}  // namespace
}  // namespace bmil
