// `--help` fits an 80-column terminal: every line of the help of bmil and of each of its
// subcommands is at most 80 columns wide, and the wrapping loses no word.
#include "cli_runner.hpp"
#include "help_formatter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace bmil::cli_test {
namespace {

// Columns of `line` (UTF-8 code points).
std::size_t Columns(const std::string& line) {
  std::size_t n = 0;
  for (char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

TEST(Help, EveryHelpFitsEightyColumns) {
  const std::vector<std::string> commands = {"",
                                             "plugins",
                                             "plugins list",
                                             "plugins info",
                                             "plugins check",
                                             "plugins doctor",
                                             "plugins replay",
                                             "validate",
                                             "analyze",
                                             "canvas",
                                             "new-plugin",
                                             "report",
                                             "batch",
                                             "merge",
                                             "scenario",
                                             "scenario apply",
                                             "scenario diff",
                                             "scenario hash",
                                             "plan adopt",
                                             "checkin",
                                             "control status",
                                             "diff"};
  for (const std::string& command : commands) {
    const RunResult r = RunBmil(command + (command.empty() ? "" : " ") + "--help");
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_THAT(r.out, ::testing::HasSubstr("Usage:")) << command;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_LE(Columns(line), 80u) << "bmil " << command << " --help: " << line;
    }
  }
}

TEST(Help, WrappingKeepsEveryWordAndLineBreak) {
  const std::string text =
      "Run every loaded analyzer over many businesses: case records\n"
      "streamed   from JSONL files — and more words to break";
  const std::string wrapped = cli::HelpFormatter::Wrap(text, 20);
  std::istringstream lines(wrapped);
  std::string joined;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(Columns(line), 20u) << line;
    joined += line + " ";
  }
  // The same words in the same order (runs of spaces aside).
  auto words = [](const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
  };
  EXPECT_EQ(words(joined), words(text));
  // A word longer than the width stays whole, on its own line.
  EXPECT_EQ(cli::HelpFormatter::Wrap("a verylongwordindeed b", 8), "a\nverylongwordindeed\nb");
  // The existing line break is kept.
  EXPECT_EQ(cli::HelpFormatter::Wrap("one\ntwo", 80), "one\ntwo");
}

}  // namespace
}  // namespace bmil::cli_test
