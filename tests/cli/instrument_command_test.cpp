// `bmil instrument lint` on real files (issue 19, docs/instruments.md): the example
// instrument reads clean and is summarised with its hash; a broken one is located with a
// did-you-mean and nothing else is said; a warning fails only under --strict; the input is
// never written.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace bmil::cli_test {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kSmall = "examples/instruments/small.json";

std::string Edited(const TempDir& dir, const std::string& from, const std::string& to) {
  std::string text = Slurp(fs::path(BMIL_SOURCE_DIR) / kSmall);
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  const fs::path path = dir.path() / "edited.json";
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(InstrumentLintCommand, TheExampleIsCleanAndSummarised) {
  const std::string before = Slurp(fs::path(BMIL_SOURCE_DIR) / kSmall);
  const RunResult r = RunBmil("instrument lint " + kSmall);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  // 2 sections, 3 + 2 items, 2 constructs (examples/instruments/small.json).
  EXPECT_THAT(r.out, ContainsRegex("^examples/instruments/small.json: instrument small 1.0.0 "
                                   "\\([0-9a-f]{32}\\): 2 sections, 5 items, 2 constructs; 0 "
                                   "warnings\n$"));
  EXPECT_EQ(Slurp(fs::path(BMIL_SOURCE_DIR) / kSmall), before);
}

TEST(InstrumentLintCommand, ABrokenInstrumentIsLocatedAndNothingElseIsSaid) {
  TempDir dir;
  const std::string file = Edited(dir, R"("required": true)", R"("requird": true)");
  const RunResult r = RunBmil("instrument lint " + Quote(file));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, IsEmpty());
  // Line 12, column 78 of the example: where "requird" starts.
  EXPECT_THAT(r.err, HasSubstr(file + ":12:78 /sections/0/items/0/requird: unknown member "
                                      "\"requird\" (did you mean \"required\"?)"));
}

TEST(InstrumentLintCommand, AWarningFailsOnlyUnderStrict) {
  TempDir dir;
  const std::string file =
      Edited(dir, R"("choice_lists": [)",
             R"("choice_lists": [{"id": "unused", "choices": [{"value": "a", "label": "A"}]},)");
  const RunResult lenient = RunBmil("instrument lint " + Quote(file));
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_THAT(lenient.out, HasSubstr(file + ":8:27 /choice_lists/0/id: warning: choice list "
                                            "\"unused\" is used by no item\n"));
  EXPECT_THAT(lenient.out, HasSubstr("; 1 warning\n"));
  const RunResult strict = RunBmil("instrument lint --strict " + Quote(file));
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(strict.out, lenient.out);
}

TEST(InstrumentLintCommand, NeedsASubcommandAndAFile) {
  EXPECT_EQ(RunBmil("instrument").exit_code, 2);
  EXPECT_EQ(RunBmil("instrument lint").exit_code, 2);
  EXPECT_EQ(RunBmil("instrument lint no-such-file.json").exit_code, 2);
}

}  // namespace
}  // namespace bmil::cli_test
