// The command line as a new user meets it (issue 17): global options before or after the
// command, every command's help listing them, and messages that name the real problem and
// start with "bmil:".
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The commands listed under "Subcommands:" in `help`.
std::vector<std::string> CommandsIn(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines(help);
  bool in_list = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "Subcommands:") {
      in_list = true;
      continue;
    }
    if (!in_list) continue;
    if (line.empty() || line[0] != ' ') break;
    // "  name   description": a name starts at column 3; wrapped descriptions are indented
    // further.
    if (line.size() > 2 && line[2] != ' ') names.push_back(line.substr(2, line.find(' ', 2) - 2));
  }
  return names;
}

// Every command and nested command, found from `bmil --help` down.
std::vector<std::string> AllCommands() {
  std::vector<std::string> all;
  std::vector<std::string> todo = {""};
  while (!todo.empty()) {
    const std::string command = todo.back();
    todo.pop_back();
    const RunResult r = RunBmil(command + (command.empty() ? "" : " ") + "--help");
    for (const std::string& sub : CommandsIn(r.out)) {
      const std::string path = command.empty() ? sub : command + " " + sub;
      all.push_back(path);
      todo.push_back(path);
    }
  }
  return all;
}

TEST(CommandLine, EveryCommandsHelpListsTheGlobalOptions) {
  const std::vector<std::string> commands = AllCommands();
  // The top level's commands and the nested ones (plugins, scenario, plan, control).
  EXPECT_GE(commands.size(), 25u);
  const std::set<std::string> found(commands.begin(), commands.end());
  for (const char* expected : {"validate", "plugins check", "scenario compare", "control status"}) {
    EXPECT_TRUE(found.contains(expected)) << expected;
  }
  for (const std::string& command : commands) {
    const RunResult r = RunBmil(command + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_THAT(r.out, HasSubstr("Global options (before or after the command):")) << command;
    for (const char* option : {"--plugin-dir", "--no-default-plugins", "--isolation",
                               "--call-timeout", "--max-restarts", "--allow-network", "-v"}) {
      EXPECT_THAT(r.out, HasSubstr(option)) << "bmil " << command << " --help";
    }
  }
}

TEST(CommandLine, GlobalOptionsAfterTheCommandDoWhatTheyDoBefore) {
  TempDir dir;  // an empty plugin directory: no line plugin, so kellpo's lines are unknown
  const std::string empty = Quote(dir.path().string());
  const std::string options = "--no-default-plugins --plugin-dir " + empty;
  const RunResult before = RunBmil(options + " validate examples/cases/kellpo.json");
  const RunResult after = RunBmil("validate examples/cases/kellpo.json " + options);
  EXPECT_EQ(before.exit_code, 1) << before.err;
  EXPECT_THAT(before.out + before.err, HasSubstr("unknown leadership line"));
  EXPECT_EQ(after.exit_code, before.exit_code);
  EXPECT_EQ(after.out, before.out);
  EXPECT_EQ(after.err, before.err);
  // -v after a nested command logs as before it.
  const RunResult verbose_before = RunBmil("-v plugins list");
  const RunResult verbose_after = RunBmil("plugins list -v");
  EXPECT_EQ(verbose_after.exit_code, 0) << verbose_after.err;
  EXPECT_THAT(verbose_before.err, HasSubstr("bmil: info:"));
  EXPECT_THAT(verbose_after.err, HasSubstr("bmil: info:"));
  EXPECT_EQ(verbose_after.out, verbose_before.out);
}

// Issue 17: -v says how long each step of a command took, each step once and in order,
// then the whole; without -v nothing of it reaches stderr.
TEST(CommandLine, VerboseLogsEachStepWithItsTime) {
  TempDir dir;
  const std::string out = Quote((dir.path() / "a.txt").string());
  const std::string html = Quote((dir.path() / "r.html").string());
  const std::string ms = " in [0-9]+\\.[0-9] ms\n";
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"-v analyze examples/cases -o " + out,
       {"analyze: opened [0-9]+ plugins", "analyze: read and analyzed 5 cases",
        "analyze: finished the analyzers", "analyze: wrote the text output", "analyze: done"}},
      {"report examples/cases/kellpo.json -o " + html + " -v",
       {"report: opened [0-9]+ plugins",
        "report: read and analyzed 1 case \\(1 kept for the business sections\\)",
        "report: finished the analyzers", "report: rendered html \\([0-9]+ bytes\\)",
        "report: wrote [^\\n]*r\\.html", "report: done"}},
      {"-v validate examples/cases/kellpo.json",
       {"validate: read [0-9]+ plugin manifests", "validate: validated the inputs",
        "validate: done"}},
  };
  for (const auto& [args, steps] : runs) {
    const RunResult r = RunBmil(args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    std::string pattern;
    for (const auto& step : steps) pattern += "bmil: info: " + step + ms + "(.|\\n)*";
    EXPECT_TRUE(std::regex_search(r.err, std::regex(pattern))) << args << "\n" << r.err;
  }
  const RunResult quiet = RunBmil("analyze examples/cases -o " + out);
  EXPECT_EQ(quiet.err.find("analyze: "), std::string::npos) << quiet.err;
}

TEST(CommandLine, AnUnknownCommandIsNamedWithTheCommands) {
  const RunResult r = RunBmil("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("bmil: unknown command 'frobnicate'; the commands are: plugins, "
                                "validate, analyze,"));
  const RunResult typo = RunBmil("valdiate examples/cases/kellpo.json");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err,
              StartsWith("bmil: unknown command 'valdiate' (did you mean \"validate\"?)"));
  const RunResult nested = RunBmil("plugins lsit");
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_THAT(nested.err, StartsWith("bmil: unknown command 'plugins lsit' (did you mean "
                                     "\"list\"?); the commands of 'plugins' are: list, info, "
                                     "check, doctor, replay"));
  const RunResult none = RunBmil("");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, StartsWith("bmil: a command is required; the commands are: plugins,"));
}

TEST(CommandLine, AnUnknownOptionIsNamedBeforeAnyValueIsChecked) {
  // The file does not exist either: the option is what the user needs to hear about first.
  const RunResult r = RunBmil("analyze --frmat json no/such/file.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "bmil: analyze: unknown option '--frmat' (did you mean \"--format\"?); see 'bmil "
            "analyze --help'\n");
  const RunResult global = RunBmil("--plugin-dri x validate examples/cases/kellpo.json");
  EXPECT_EQ(global.exit_code, 2);
  EXPECT_THAT(global.err, StartsWith("bmil: unknown option '--plugin-dri' (did you mean "
                                     "\"--plugin-dir\"?)"));
  // A value that looks like an option is the option's value, not an option.
  const RunResult value = RunBmil("--max-restarts -1 validate examples/cases/kellpo.json");
  EXPECT_EQ(value.exit_code, 2);
  EXPECT_THAT(value.err, StartsWith("bmil: validate: --max-restarts: Value -1 not in range"));
  // After "--", everything is an argument.
  const RunResult dashes = RunBmil("validate -- --not-an-option.json");
  EXPECT_EQ(dashes.exit_code, 2);
  EXPECT_THAT(dashes.err, HasSubstr("--not-an-option.json"));
  EXPECT_THAT(dashes.err, ::testing::Not(HasSubstr("unknown option")));
}

TEST(CommandLine, EveryUsageMessageStartsWithBmil) {
  for (const char* args :
       {"", "frobnicate", "validate", "validate --frob x", "plugins", "plugins frob",
        "--call-timeout 0 validate examples/cases/kellpo.json", "batch --threads x",
        "report examples/cases/kellpo.json --format nope", "--isolation nowhere plugins list"}) {
    const RunResult r = RunBmil(args);
    EXPECT_EQ(r.exit_code, 2) << "bmil " << args << ": " << r.err;
    std::istringstream lines(r.err);
    std::string first;
    std::getline(lines, first);
    EXPECT_THAT(first, StartsWith("bmil: ")) << "bmil " << args;
  }
}

}  // namespace
