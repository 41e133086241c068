// Reproducer files (host/reproducer.hpp): their text round-trips, a batch is cut down to the
// failing record, and every malformed file gets a located problem.
#include "host/reproducer.hpp"
#include "runner/wire.hpp"

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ReproducerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::vector<fs::path> dirs = {fs::path(BMIL_BINARY_DIR) / "lib/bmil/plugins"};
    registry_ = std::make_unique<Registry>(PluginHost::Scan(dirs).MakeRegistry());
    for (const char* name : {"aikon", "kellpo", "infolink"}) {
      const LoadResult loaded = LoadCaseFile(
          fs::path(BMIL_SOURCE_DIR) / "examples/cases" / (std::string(name) + ".json"), *registry_);
      ASSERT_TRUE(loaded.ok()) << name;
      cases_.push_back(*loaded.value);
    }
  }
  static void TearDownTestSuite() {
    cases_.clear();
    registry_.reset();
  }
  // The encoding of example case `i`'s view.
  static std::string Encoded(std::size_t i) {
    const FlatCase flat(cases_[i], *registry_);
    std::string out;
    wire::Writer w(out);
    wire::EncodeView(flat.view(), w);
    return out;
  }
  // An add-batch frame for handle 7 holding the given encoded views.
  static std::string Batch(const std::vector<std::string>& views) {
    std::string out;
    const std::size_t begin = wire::BeginFrame(out, wire::Message::kAddBatch);
    wire::Writer w(out);
    w.U64(7);
    w.U32(static_cast<std::uint32_t>(views.size()));
    for (const auto& v : views) out += v;
    wire::FinishFrame(out, begin);
    return out;
  }
  static Reproducer Sample() {
    Reproducer r;
    r.bmil_version = "0.1.0";
    r.when = "2026-12-07T01:37:00Z";
    r.plugin = "hostile_segv";
    r.version = "0.1.0";
    r.kind = "analyzer";
    r.path = "/srv/plugins/hostile_segv.so";
    r.size = 16176;
    r.xxh3 = "4d339c300f88877e0d7db6c6ce9d901a";
    r.call = "add";
    r.what = "the plugin's process was killed by signal 11 (SIGSEGV: invalid memory access)";
    r.config = "{\"lines\":[]}";
    r.case_id = "trigger-kellpo";
    r.cases_before = 1;
    r.request = Batch({Encoded(1)});
    return r;
  }
  static inline std::unique_ptr<Registry> registry_;
  static inline std::vector<Case> cases_;
};

TEST_F(ReproducerTest, OneRecordOfABatchIsThatRecordAlone) {
  const std::string batch = Batch({Encoded(0), Encoded(1), Encoded(2)});
  EXPECT_EQ(OneRecordOfBatch(batch, 0), Batch({Encoded(0)}));
  EXPECT_EQ(OneRecordOfBatch(batch, 1), Batch({Encoded(1)}));
  EXPECT_EQ(OneRecordOfBatch(batch, 2), Batch({Encoded(2)}));
  EXPECT_EQ(OneRecordOfBatch(batch, 3), "");                // past the batch
  EXPECT_EQ(OneRecordOfBatch(batch.substr(0, 40), 1), "");  // cut short
  EXPECT_EQ(OneRecordOfBatch("", 0), "");
}

TEST_F(ReproducerTest, TextRoundTrips) {
  const Reproducer r = Sample();
  const ReproducerLoad back = ReadReproducer(ReproducerText(r), "r.bmilrepro");
  ASSERT_TRUE(back.value) << back.problems.front().ToString();
  const Reproducer& b = *back.value;
  EXPECT_EQ(b.bmil_version, r.bmil_version);
  EXPECT_EQ(b.when, r.when);
  EXPECT_EQ(b.plugin, r.plugin);
  EXPECT_EQ(b.version, r.version);
  EXPECT_EQ(b.kind, r.kind);
  EXPECT_EQ(b.path, r.path);
  EXPECT_EQ(b.size, r.size);
  EXPECT_EQ(b.xxh3, r.xxh3);
  EXPECT_EQ(b.call, r.call);
  EXPECT_EQ(b.what, r.what);
  EXPECT_EQ(b.config, r.config);
  EXPECT_EQ(b.case_id, r.case_id);
  EXPECT_EQ(b.cases_before, 1u);
  EXPECT_EQ(b.request, r.request);  // byte for byte, through base64
}

TEST_F(ReproducerTest, Base64IsRfc4648) {
  // RFC 4648, section 10: BASE64("foobar") = "Zm9vYmFy", "fooba" = "Zm9vYmE=", "foob" = "Zm9vYg==".
  Reproducer r = Sample();
  for (const auto& [bytes, text] : std::vector<std::pair<std::string, std::string>>{
           {"foobar", "Zm9vYmFy"}, {"fooba", "Zm9vYmE="}, {"foob", "Zm9vYg=="}, {"", ""}}) {
    r.request = bytes;
    EXPECT_THAT(ReproducerText(r), HasSubstr("\"request_base64\": \"" + text + "\"")) << bytes;
  }
}

// Each row: a change to a good file's text, and the problem that must be reported, with its
// line, column and pointer.
TEST_F(ReproducerTest, MalformedFilesGetLocatedProblems) {
  Reproducer create = Sample();
  create.call = "create";
  create.request.clear();
  const std::string good = ReproducerText(Sample());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  // The line where `key` is in the good text (1-based), for the expected locations.
  auto line_of = [&](const std::string& key) {
    const auto at = good.find("\"" + key + "\"");
    return 1 + std::count(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  };
  struct Row {
    std::string text;
    std::string expected;  // "line:column pointer: message" part
  };
  const auto request_line = std::to_string(line_of("request_base64"));
  const std::vector<Row> rows = {
      {with("\"call\": \"add\"", "\"call\": \"ad\""),
       std::to_string(line_of("call")) +
           ":11 /call: unknown value \"ad\" (did you mean \"add\"?); expected one of create, "
           "describe, assess, propose, add, merge, finish, save, load"},
      {with("\"request_base64\"", "\"requst_base64\""),
       request_line + ":3 /requst_base64: unknown member \"requst_base64\" (did you mean "
                      "\"request_base64\"?)"},
      {with("\"request_base64\": \"", "\"request_base64\": \"!"),
       request_line + ":21 /request_base64: not base64 (RFC 4648, padded)"},
      {with("\"call\": \"add\"", "\"call\": \"finish\""),
       request_line + ":21 /request_base64: the request is not a finish request"},
      {ReproducerText(create) + "", ""},  // a create reproducer with no request is fine
      {with("\"kind\": \"analyzer\"", "\"kind\": \"analyser\""),
       std::to_string(line_of("kind")) + ":13 /plugin/kind: unknown value \"analyser\" (did you "
                                         "mean \"analyzer\"?); expected one of line, analyzer"},
      {with("\"xxh3_128\": \"4d", "\"xxh3_128\": \"4D"),
       std::to_string(line_of("xxh3_128")) + ":17 /plugin/xxh3_128: expected 32 lower-case hex "
                                             "digits"},
      {with("\"cases_before\": 1", "\"cases_before\": -1"),
       std::to_string(line_of("cases_before")) +
           ":19 /cases_before: expected an integer from 0 to 9007199254740992, found -1"},
      {with("\"bmil_reproducer\": 1,", "\"bmil_reproducer\": 1, \"bmil_reproducer\": 1,"),
       "2:25 /bmil_reproducer: duplicate key \"bmil_reproducer\""},
      {with("\"config\": \"{\\\"lines\\\":[]}\"", "\"config\": \"{\""),
       std::to_string(line_of("config")) + ":13 /config: not a JSON text"},
      {with("  \"what\"", "  \"wha\""), "1:1: missing required member \"what\""},
      {"[1]", "1:1: expected an object, found array"},
      {"{", "1:2: "},
      {std::string(70, '[') + std::string(70, ']'), "1:17: "},  // deeper than 16
  };
  for (const Row& row : rows) {
    const ReproducerLoad r = ReadReproducer(row.text, "r.bmilrepro");
    if (row.expected.empty()) {
      EXPECT_TRUE(r.value) << r.problems.front().ToString();
      continue;
    }
    ASSERT_FALSE(r.value) << row.text.substr(0, 200);
    bool seen = false;
    std::string all;
    for (const Diagnostic& d : r.problems) {
      const std::string s = d.ToString();
      all += s + "\n";
      seen = seen || s.find("r.bmilrepro:" + row.expected) == 0;
    }
    EXPECT_TRUE(seen) << "expected r.bmilrepro:" << row.expected << "\ngot:\n" << all;
  }
}

TEST_F(ReproducerTest, AnAddRequestHoldsExactlyOneGoodRecord) {
  Reproducer two = Sample();
  two.request = Batch({Encoded(0), Encoded(1)});
  ReproducerLoad r = ReadReproducer(ReproducerText(two), "two.bmilrepro");
  ASSERT_FALSE(r.value);
  EXPECT_THAT(r.problems.front().message, HasSubstr("must hold exactly one record"));

  Reproducer cut = Sample();
  cut.request = Batch({Encoded(0).substr(0, 30)});
  r = ReadReproducer(ReproducerText(cut), "cut.bmilrepro");
  ASSERT_FALSE(r.value);
  EXPECT_THAT(r.problems.front().message, HasSubstr("its case view is malformed"));
}

TEST_F(ReproducerTest, SavedWithAUniqueNameInAPrivateDirectory) {
  const fs::path dir = fs::temp_directory_path() / ("bmil-repro-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto a = SaveReproducer(Sample(), dir / "sub");
  auto b = SaveReproducer(Sample(), dir / "sub");
  ASSERT_TRUE(a) << a.error();
  ASSERT_TRUE(b) << b.error();
  EXPECT_NE(a.value(), b.value());
  EXPECT_EQ(a.value().extension(), ".bmilrepro");
  EXPECT_EQ(a.value().filename().string().rfind("hostile_segv-add-20261207T013700Z-", 0), 0u);
  EXPECT_EQ(fs::status(dir / "sub").permissions() & fs::perms::all, fs::perms::owner_all);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bmil
