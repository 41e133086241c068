// Reproducers through the CLI (issue 16, docs/reproducers.md): a plugin whose child crashes
// or hangs leaves a file naming the plugin, the call and the input, and `bmil plugins replay`
// gives that input to the plugin again in a child.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// `replay`'s output with its wrapped lines joined again (continuations are indented by 9),
// after checking that every line fits 80 columns (a long path may stand alone).
std::string Unwrapped(const std::string& out) {
  EXPECT_THAT(LinesOver80(out), IsEmpty());
  std::string joined;
  std::size_t begin = 0;
  while (begin < out.size()) {
    std::size_t end = out.find('\n', begin);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(begin, end - begin);
    if (line.rfind("         ", 0) == 0 && !joined.empty()) {
      joined.back() = ' ';
      joined += line.substr(9);
    } else {
      joined += line;
    }
    joined += '\n';
    begin = end + 1;
  }
  return joined;
}

class Reproducers : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "three.jsonl") << CaseWithId("aikon", "aikon") << "\n"
                                               << CaseWithId("kellpo", "trigger-kellpo") << "\n"
                                               << CaseWithId("infolink", "infolink") << "\n";
  }
  std::string With(const std::string& fixture) {
    return "--plugin-dir " + Quote(FixturePluginDir(dir_.path(), fixture, fixture).string()) + " ";
  }
  std::string Env() const {
    return "BMIL_REPRODUCERS=" + Quote(repro_.string()) +
           " BMIL_SCAN_RECORD=" + Quote((dir_.path() / "scan.json").string());
  }
  RunResult Run(const std::string& args) { return RunBmil(args, Env()); }
  // The reproducer a failure message names.
  fs::path Named(const std::string& err) {
    std::smatch m;
    const std::regex re(
        "reproducer: (\\S+\\.bmilrepro) \\(run it again: bmil plugins replay \\1\\)");
    if (!std::regex_search(err, m, re)) return {};
    return m[1].str();
  }
  TempDir dir_;
  fs::path repro_ = dir_.path() / "repro";
};

TEST_F(Reproducers, ACrashInAddLeavesTheFailingRecordAndReplayCrashesAgain) {
  const RunResult r =
      Run(With("hostile_segv") + "batch -q " + Quote((dir_.path() / "three.jsonl").string()));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  const fs::path file = Named(r.err);
  ASSERT_FALSE(file.empty()) << r.err;
  EXPECT_EQ(file.parent_path(), repro_);
  const auto j = nlohmann::json::parse(Slurp(file));
  EXPECT_EQ(j.at("plugin").at("id"), "hostile_segv");
  EXPECT_EQ(j.at("plugin").at("size"), fs::file_size(dir_.path() / "hostile_segv/hostile_segv.so"));
  EXPECT_EQ(j.at("call"), "add");
  EXPECT_EQ(j.at("case"), "trigger-kellpo");
  EXPECT_EQ(j.at("cases_before"), 1);  // aikon came first
  EXPECT_THAT(j.at("what").get<std::string>(), HasSubstr("killed by signal 11 (SIGSEGV"));
  EXPECT_THAT(j.at("config").get<std::string>(), HasSubstr("\"lines\""));

  const RunResult replay = Run(With("hostile_segv") + "plugins replay " + Quote(file.string()));
  EXPECT_EQ(replay.exit_code, 4) << replay.out << replay.err;
  EXPECT_THAT(Unwrapped(replay.out),
              HasSubstr("Call:    add on case \"trigger-kellpo\" (the instance had "
                        "been given 1 other case first; not replayed)"));
  EXPECT_THAT(Unwrapped(replay.out),
              HasSubstr("Now:     reproduced: add: the plugin's process was killed "
                        "by signal 11 (SIGSEGV: invalid memory access)"));
  // Without --plugin-dir it is found where it was loaded from.
  const RunResult by_path = Run("plugins replay " + Quote(file.string()));
  EXPECT_EQ(by_path.exit_code, 4) << by_path.out << by_path.err;
  // A replay writes no reproducer of its own.
  EXPECT_EQ(std::distance(fs::directory_iterator(repro_), fs::directory_iterator()), 1);
}

TEST_F(Reproducers, AHangAndACrashInFinishReplayAsTheyHappened) {
  const std::string input = Quote((dir_.path() / "three.jsonl").string());
  const RunResult hang = Run(With("hostile_hang") + "--call-timeout 1 batch -q " + input);
  EXPECT_EQ(hang.exit_code, 4);
  const fs::path hung = Named(hang.err);
  ASSERT_FALSE(hung.empty()) << hang.err;
  const RunResult replay_hang =
      Run(With("hostile_hang") + "--call-timeout 1 plugins replay " + Quote(hung.string()));
  EXPECT_EQ(replay_hang.exit_code, 4);
  EXPECT_THAT(Unwrapped(replay_hang.out),
              HasSubstr("Now:     reproduced: add: the plugin's process did not "
                        "answer within 1 s (hung or too slow) and was killed"));

  const RunResult abort = Run(With("hostile_abort") + "analyze " + input + " --format json");
  EXPECT_EQ(abort.exit_code, 4);
  const fs::path aborted = Named(abort.err);
  ASSERT_FALSE(aborted.empty()) << abort.err;
  EXPECT_EQ(nlohmann::json::parse(Slurp(aborted)).at("call"), "finish");
  const RunResult replay_abort =
      Run(With("hostile_abort") + "plugins replay " + Quote(aborted.string()));
  EXPECT_EQ(replay_abort.exit_code, 4);
  EXPECT_THAT(Unwrapped(replay_abort.out),
              HasSubstr("Now:     reproduced: finish: the plugin's process was "
                        "killed by signal 6 (SIGABRT"));
}

TEST_F(Reproducers, ACallThatNoLongerFailsIsSaidSoAndBadFilesAreLocated) {
  const RunResult r =
      Run(With("hostile_segv") + "batch -q " + Quote((dir_.path() / "three.jsonl").string()));
  const fs::path file = Named(r.err);
  ASSERT_FALSE(file.empty()) << r.err;
  auto j = nlohmann::json::parse(Slurp(file));

  // The same plugin asked to describe itself: it does. The frame is built by hand: length 9
  // (type and handle), type 4 (describe), handle 0 -> 13 bytes, base64 of 09 00 00 00 04
  // and eight zeros.
  j["call"] = "describe";
  j["request_base64"] = "CQAAAAQAAAAAAAAAAA==";
  const fs::path describe = dir_.path() / "describe.bmilrepro";
  std::ofstream(describe) << j.dump(2);
  const RunResult ok = Run(With("hostile_segv") + "plugins replay " + Quote(describe.string()));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_THAT(Unwrapped(ok.out), HasSubstr("Now:     not reproduced: describe returned normally"));

  // Another file with the same plugin id: replayed on it, with a note.
  std::ofstream(dir_.path() / "hostile_segv/hostile_segv.so", std::ios::app) << '\0';
  const RunResult changed = Run("--plugin-dir " + Quote((dir_.path() / "hostile_segv").string()) +
                                " plugins replay " + Quote(file.string()));
  EXPECT_THAT(Unwrapped(changed.out), HasSubstr("Note:    this file is not the one that failed"));
  EXPECT_EQ(changed.exit_code, 4);

  // A plugin that is nowhere.
  fs::remove_all(dir_.path() / "hostile_segv");
  const RunResult missing = Run("plugins replay " + Quote(file.string()));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("plugin \"hostile_segv\" is neither on the plugin search "
                                     "path nor at"));

  // A malformed reproducer: located, with a did-you-mean.
  j["call"] = "finsh";
  const fs::path bad = dir_.path() / "bad.bmilrepro";
  std::ofstream(bad) << j.dump(2);
  const RunResult located = Run("plugins replay " + Quote(bad.string()));
  EXPECT_EQ(located.exit_code, 1);
  EXPECT_THAT(located.err, HasSubstr(bad.string() + ":4:11 /call: unknown value \"finsh\" (did "
                                                    "you mean \"finish\"?)"));
}

}  // namespace
}  // namespace bmil::cli_test
