// Issue 14, messages and what reaches the user: text from a case never reaches the terminal
// raw, a Markdown reader or a spreadsheet as code; no input is skipped in silence; messages
// say exact sizes, ranges and fields. Through the built binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

nlohmann::json Kellpo() {
  return nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / "examples/cases/kellpo.json"));
}

// Kellpo with hostile text where a manager's names go.
fs::path HostileCase(const TempDir& dir) {
  auto doc = Kellpo();
  doc["business"]["name"] = "Kellpo\x1b]0;pwned\x07\x1b[2J";
  doc["business"]["description"] = "<script>alert(1)</script> [x](javascript:alert(1))";
  doc["business_models"][0]["name"] = "=HYPERLINK(\"http://evil\",\"click\")";
  doc["business_models"][1]["name"] =
      "\xe2\x80\xae"
      "sloot enihcam";  // RLO
  const fs::path file = dir.path() / "hostile.json";
  WriteFile(file, doc.dump(2));
  return file;
}

TEST(HostileText, NeverReachesTheTerminalRaw) {
  TempDir dir;
  const fs::path file = HostileCase(dir);
  for (const std::string& command :
       {"analyze " + Quote(file.string()), "analyze --full " + Quote(file.string()),
        "canvas " + Quote(file.string()) + " --questions"}) {
    const RunResult r = RunBmil(command);
    ASSERT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << command;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << command;
    EXPECT_EQ(r.out.find("\xe2\x80\xae"), std::string::npos) << command;
  }
  const RunResult canvas = RunBmil("canvas " + Quote(file.string()));
  EXPECT_THAT(canvas.out, HasSubstr("Kellpo\\x1b]0;pwned\\x07\\x1b[2J (kellpo)"));
  const RunResult analyze = RunBmil("analyze --full " + Quote(file.string()));
  EXPECT_THAT(analyze.out, HasSubstr("\\u202esloot enihcam"));
}

TEST(HostileText, MarkdownRendersItAsTextAndCsvNeverAsAFormula) {
  TempDir dir;
  const fs::path file = HostileCase(dir);
  const fs::path md = dir.path() / "r.md";
  const fs::path csv = dir.path() / "r.csv";
  ASSERT_EQ(RunBmil("report " + Quote(file.string()) + " -o " + Quote(md.string())).exit_code, 0);
  ASSERT_EQ(RunBmil("report " + Quote(file.string()) + " -o " + Quote(csv.string())).exit_code, 0);
  const std::string markdown = Slurp(md);
  EXPECT_THAT(markdown, Not(HasSubstr("<script>")));
  EXPECT_THAT(markdown,
              HasSubstr("\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:alert(1))"));
  EXPECT_EQ(markdown.find('\x1b'), std::string::npos);
  // Every CSV field: none starts with a formula character unless it is a number.
  const std::string text = Slurp(csv);
  EXPECT_THAT(text, HasSubstr("'=HYPERLINK("));
  std::size_t formulas = 0;
  std::string field;
  bool quoted = false, start = true;
  for (char c : text) {
    if (start && !quoted && (c == '=' || c == '+' || c == '@')) ++formulas;
    start = false;
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ',' || c == '\n')) start = true;
  }
  EXPECT_EQ(formulas, 0u);
}

TEST(InputDirectories, EntriesThatAreNotFilesAreReportedNotSkipped) {
  TempDir dir;
  const fs::path cases = dir.path() / "cases";
  fs::create_directories(cases);
  fs::copy(fs::path(BMIL_SOURCE_DIR) / "examples/cases/kellpo.json", cases / "kellpo.json");
  fs::create_symlink(dir.path() / "gone.json", cases / "dangling.json");
  ASSERT_EQ(::mkfifo((cases / "pipe.jsonl").c_str(), 0600), 0);
  // validate: before the fix "cases: ok"-like silence and exit 0.
  RunResult r = RunBmil("validate " + Quote(cases.string()));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out + r.err,
              HasSubstr((cases / "dangling.json").string() + ": a symbolic link to nothing"));
  EXPECT_THAT(r.out + r.err, HasSubstr((cases / "pipe.jsonl").string() +
                                       ": a FIFO, not a regular file; not read"));
  // batch: the readable case is analyzed, the others reported, exit 1.
  r = RunBmil("batch " + Quote(cases.string()) + " -q");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("pipe.jsonl: a FIFO"));
  EXPECT_THAT(r.err, HasSubstr("dangling.json: a symbolic link to nothing"));
  EXPECT_EQ(nlohmann::json::parse(r.out)["summary"]["analyzed"], 1);
}

TEST(InputDirectories, AnEmptyJsonFileIsRejectedByBatchAsValidateReportsIt) {
  TempDir dir;
  const fs::path cases = dir.path() / "cases";
  fs::create_directories(cases);
  WriteFile(cases / "empty.json", "");
  const RunResult validate = RunBmil("validate " + Quote((cases / "empty.json").string()));
  EXPECT_EQ(validate.exit_code, 1);
  EXPECT_THAT(validate.err, HasSubstr("empty.json:1:1: unexpected end of input"));
  const RunResult batch = RunBmil("batch " + Quote(cases.string()) + " -q");
  EXPECT_EQ(batch.exit_code, 1) << batch.err;
  EXPECT_THAT(batch.err, HasSubstr("empty.json:1: rejected: " + (cases / "empty.json").string() +
                                   ":1:1: unexpected end of input"));
  EXPECT_EQ(nlohmann::json::parse(batch.out)["summary"]["rejected"], 1);
}

TEST(Messages, SayTheFieldTheRangeAndTheExactSize) {
  TempDir dir;
  auto doc = Kellpo();
  doc["business"]["employees"] = 9223372036854775807ull + 1ull;  // 2^63
  doc["business_models"][0].erase("state");
  const fs::path file = dir.path() / "k.json";
  WriteFile(file, doc.dump(2));
  const RunResult r = RunBmil("validate " + Quote(file.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/business/employees: expected integer <= 2147483647, found "
                               "9223372036854775808"));
  EXPECT_THAT(r.err, HasSubstr("/business_models/0/state: missing required key \"state\""));
  EXPECT_THAT(r.err, Not(HasSubstr(" /: ")));
  // A file just over the limit is not "16 MiB, larger than the limit of 16 MiB".
  const fs::path big = dir.path() / "big.json";
  WriteFile(big, std::string((16u << 20) + 1, ' '));
  const RunResult too_big = RunBmil("validate " + Quote(big.string()));
  EXPECT_THAT(too_big.err, HasSubstr("file is 16,777,217 bytes (16.0 MiB), larger than the limit "
                                     "of 16,777,216 bytes (16 MiB)"));
}

}  // namespace

namespace {

// Issue 14: `validate` on a JSONL kept every case (memory grew per record), and a line of
// any length was read whole before the size limit applied. Now its memory is that of the
// largest record, however many records and however long a line.
TEST(ValidateMemory, IsBoundedOverAJsonlFile) {
#ifdef __SANITIZE_ADDRESS__
  GTEST_SKIP() << "peak memory under ASan is the sanitizer's (shadow memory, quarantine)";
#endif
  TempDir dir;
  const std::string record = Kellpo().dump();
  auto write_records = [&](const fs::path& path, int n) {
    std::ofstream out(path, std::ios::binary);
    auto doc = Kellpo();
    for (int i = 0; i < n; ++i) {
      doc["business"]["id"] = "b" + std::to_string(i);
      out << doc.dump() << "\n";
    }
  };
  write_records(dir.path() / "few.jsonl", 100);
  write_records(dir.path() / "many.jsonl", 3000);  // ~110 MB of cases once loaded
  const Outcome few = RunMeasured({"validate", (dir.path() / "few.jsonl").string()});
  const Outcome many = RunMeasured({"validate", (dir.path() / "many.jsonl").string()});
  const long few_kib = few.max_rss_kib, many_kib = many.max_rss_kib;
  EXPECT_EQ(few.code, 0);
  EXPECT_EQ(many.code, 0);
  EXPECT_LT(many_kib, few_kib + 4096)
      << "30x the records took " << many_kib - few_kib << " KiB more";

  // A 100 MiB line between two records: reported with its exact size, never held whole.
  {
    std::ofstream out(dir.path() / "long.jsonl", std::ios::binary);
    out << record << "\n{\"pad\": \"" << std::string(100u << 20, 'x') << "\"}\n" << record << "\n";
  }
  const RunResult r = RunBmil("validate " + Quote((dir.path() / "long.jsonl").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("long.jsonl:2:1: record of 104,857,611 bytes (100.0 MiB), larger "
                               "than the limit of 16,777,216 bytes (16 MiB); not read"));
  const Outcome long_line = RunMeasured({"validate", (dir.path() / "long.jsonl").string()});
  const long long_kib = long_line.max_rss_kib;
  EXPECT_EQ(long_line.code, 1);
  EXPECT_LT(long_kib, few_kib + (40 << 10)) << "a 100 MiB line took " << long_kib << " KiB";
}

}  // namespace
