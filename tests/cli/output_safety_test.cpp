// Issue 14, data loss: an output that is an input, or two outputs on one file, is refused
// before anything is opened for writing; interrupted writes leave no temporary file; a case
// whose figures would break a chart is refused with its pointer. Through the built binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string Example(const std::string& name) {
  return Slurp(fs::path(BMIL_SOURCE_DIR) / "examples" / "cases" / (name + ".json"));
}

std::string Record(const std::string& name) { return nlohmann::json::parse(Example(name)).dump(); }

// The hidden temporary files ("." + name + ".tmp-...") in `dir`.
std::vector<std::string> Temporaries(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) found.push_back(name);
  }
  return found;
}

// A directory with an input JSONL of two valid records (one per line) and kellpo.json.
class OutputSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    jsonl_ = dir_.path() / "g.jsonl";
    jsonl_text_ = Record("kellpo") + "\n" + Record("aikon") + "\n";
    WriteFile(jsonl_, jsonl_text_);
    case_ = dir_.path() / "kellpo.json";
    case_text_ = Example("kellpo");
    WriteFile(case_, case_text_);
  }
  std::string P(const fs::path& p) { return Quote(p.string()); }
  void ExpectInputsIntact() {
    EXPECT_EQ(Slurp(jsonl_), jsonl_text_);
    EXPECT_EQ(Slurp(case_), case_text_);
  }

  TempDir dir_;
  fs::path jsonl_, case_;
  std::string jsonl_text_, case_text_;
};

// Before the fix: exit 0, "0 records read", and g.jsonl truncated to nothing.
TEST_F(OutputSafety, BatchRejectsOnTheInputIsRefusedAndTheInputKept) {
  const fs::path out = dir_.path() / "o.json";
  const RunResult r = RunBmil("batch " + P(jsonl_) + " --rejects " + P(jsonl_) + " -o " + P(out));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--rejects"));
  EXPECT_THAT(r.err, HasSubstr("is the input"));
  ExpectInputsIntact();
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(OutputSafety, OutputOnTheInputIsRefusedForEveryCommand) {
  const std::vector<std::string> commands = {
      "batch " + P(jsonl_) + " -o " + P(jsonl_),
      "analyze " + P(case_) + " -o " + P(case_),
      "analyze " + P(dir_.path()) + " --format json -o " + P(jsonl_),  // a file in the dir
      "report " + P(case_) + " --format html -o " + P(case_),
      "canvas " + P(case_) + " --svg " + P(case_),
  };
  for (const auto& command : commands) {
    const RunResult r = RunBmil(command);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr("is the input")) << command;
    ExpectInputsIntact();
  }
}

TEST_F(OutputSafety, LinksToTheInputAreSeenThrough) {
  const fs::path soft = dir_.path() / "soft.json";
  const fs::path hard = dir_.path() / "hard.json";
  fs::create_symlink(case_, soft);
  fs::create_hard_link(case_, hard);
  for (const auto& link : {soft, hard}) {
    const RunResult r = RunBmil("analyze " + P(case_) + " -o " + P(link));
    EXPECT_EQ(r.exit_code, 2) << link << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr("(the same file)"));
  }
  // The relative spelling of the same file.
  const RunResult r =
      RunBmil("analyze " + P(case_) + " -o " + P(case_.parent_path() / "." / case_.filename()));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectInputsIntact();
}

TEST_F(OutputSafety, TwoOutputsOnOneFileAreRefusedBeforeEitherIsWritten) {
  const fs::path x = dir_.path() / "x.out";
  const fs::path link = dir_.path() / "x-link.out";
  // -o X --partial X: before the fix, exit 0 and one overwrote the other.
  RunResult r = RunBmil("batch " + P(jsonl_) + " -o " + P(x) + " --partial " + P(x));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("are the same file"));
  EXPECT_FALSE(fs::exists(x));
  // Also when the file already exists and one output reaches it through a link.
  WriteFile(x, "old");
  fs::create_symlink(x, link);
  r = RunBmil("batch " + P(jsonl_) + " -o " + P(link) + " --rejects " + P(x));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(Slurp(x), "old");
  ExpectInputsIntact();
}

TEST_F(OutputSafety, MergeOutputOnAPartIsRefused) {
  const fs::path part = dir_.path() / "p.bmilpart";
  RunResult r = RunBmil("batch " + P(jsonl_) + " --partial " + P(part) + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string before = Slurp(part);
  for (const std::string option : {"-o", "--partial"}) {
    r = RunBmil("merge " + P(part) + " " + option + " " + P(part));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(Slurp(part), before);
  }
}

// The exit status of bmil `args` run with its standard output appended (>>) to `file`, as
// a shell user would; -1 when it did not exit.
int ExitAppendingStdoutTo(const std::string& args, const fs::path& file) {
  const std::string command = "cd " + Quote(BMIL_SOURCE_DIR) + " && " + Quote(BmilExe()) + " " +
                              args + " >>" + Quote(file.string()) + " 2>/dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// `bmil analyze x.json --format json >> x.json` appended the results to the case it read;
// so did the part written to standard output (--partial -) appended to its input.
TEST_F(OutputSafety, StandardOutputOnTheInputIsRefused) {
  EXPECT_EQ(ExitAppendingStdoutTo("analyze " + P(case_) + " --format json", case_), 2);
  EXPECT_EQ(ExitAppendingStdoutTo("batch " + P(jsonl_) + " -q --partial -", jsonl_), 2);
  ExpectInputsIntact();
}

TEST_F(OutputSafety, DistinctOutputsBesideTheInputsAreWritten) {
  const fs::path out = dir_.path() / "results.json";
  const fs::path rejects = dir_.path() / "rejects.jsonl";
  const RunResult r =
      RunBmil("batch " + P(jsonl_) + " -o " + P(out) + " --rejects " + P(rejects) + " -q");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(Slurp(out))["summary"]["analyzed"], 2);
  EXPECT_TRUE(fs::exists(rejects));
  EXPECT_EQ(Slurp(rejects), "");
  EXPECT_TRUE(Temporaries(dir_.path()).empty());
  ExpectInputsIntact();
}

// Starts `bmil batch - --rejects R -o O` reading from a pipe that stays open, sends
// `signal_number` once it runs, and returns its wait status.
int InterruptBatch(const fs::path& dir, int signal_number) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(pipe_fds[0], STDIN_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    const std::string rejects = (dir / "rejects.jsonl").string();
    const std::string out = (dir / "out.json").string();
    ::execl(BmilExe(), BmilExe(), "batch", "-", "--rejects", rejects.c_str(), "-o", out.c_str(),
            "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[0]);
  // One rejected record, so the rejects file is being written when the signal comes.
  const std::string bad = "{\"bmil\": \"1.0\"}\n";
  (void)!::write(pipe_fds[1], bad.data(), bad.size());
  for (int i = 0; i < 200 && Temporaries(dir).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ::kill(child, signal_number);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(pipe_fds[1]);
  return status;
}

TEST(Interrupted, SignalsRemoveTheTemporaryFilesAndKeepTheOldOutputs) {
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    TempDir dir;
    WriteFile(dir.path() / "rejects.jsonl", "old rejects\n");
    const int status = InterruptBatch(dir.path(), signal_number);
    ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
    EXPECT_EQ(WTERMSIG(status), signal_number);  // dies of the signal, as without cleanup
    EXPECT_TRUE(Temporaries(dir.path()).empty())
        << "signal " << signal_number << " left " << Temporaries(dir.path()).front();
    EXPECT_EQ(Slurp(dir.path() / "rejects.jsonl"), "old rejects\n");
    EXPECT_FALSE(fs::exists(dir.path() / "out.json"));
  }
}

// SIGKILL cannot be caught: its temporary file stays until the next write into that
// directory sweeps it. A locked one (a live writer, here this test) is left alone.
TEST(Interrupted, KilledRunsLeftoversAreSweptByTheNextWrite) {
  TempDir dir;
  const int status = InterruptBatch(dir.path(), SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status));
  const std::vector<std::string> left = Temporaries(dir.path());
  ASSERT_EQ(left.size(), 1u) << "SIGKILL should leave the rejects file's temporary";
  // Older than the sweep's ten seconds.
  const struct timespec old_times[2] = {{::time(nullptr) - 60, 0}, {::time(nullptr) - 60, 0}};
  const fs::path leftover = dir.path() / left.front();
  ASSERT_EQ(::utimensat(AT_FDCWD, leftover.c_str(), old_times, 0), 0);
  // A live writer's file, as old, but locked.
  const fs::path live = dir.path() / ".other.json.tmp-1-2-3";
  WriteFile(live, "being written");
  ASSERT_EQ(::utimensat(AT_FDCWD, live.c_str(), old_times, 0), 0);
  const int live_fd = ::open(live.c_str(), O_RDONLY);
  ASSERT_EQ(::flock(live_fd, LOCK_EX), 0);

  const RunResult r = RunBmil("analyze " + Quote(kKellpo) + " --format json -o " +
                              Quote((dir.path() / "fresh.json").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(leftover));
  EXPECT_TRUE(fs::exists(live));
  ::close(live_fd);
}

// Before the fix this case validated and `bmil report` ran forever (8.4 GB after two
// minutes): the chart axis overflowed to infinity. Now the figure is refused where it is.
TEST(HugeFigures, AreRefusedWithTheirPointer) {
  TempDir dir;
  auto doc = nlohmann::json::parse(Example("kellpo"));
  doc["business_models"][0]["building_blocks"]["value_formula"]["revenue"] = 1.7e308;
  const fs::path file = dir.path() / "huge.json";
  WriteFile(file, doc.dump(2));
  const RunResult r =
      RunBmil("report " + Quote(file.string()) + " -o " + Quote((dir.path() / "r.html").string()));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("/business_models/0/building_blocks/value_formula/revenue: "
                               "expected a number from 0 to 1e18"));
  EXPECT_FALSE(fs::exists(dir.path() / "r.html"));
}

}  // namespace

namespace {

// Before the fix: a table without rows made Markdown and CSV reports and `analyze --by`
// fail with exit 3 and write nothing. Now it is that plugin's failure (exit 4) and every
// other analyzer's result is written, in every format.
TEST(MalformedResult, IsThePluginsFailureAndEveryOtherResultIsWritten) {
  TempDir dir;
  const fs::path plugins = FixturePluginDir(dir.path(), "malformed_result");
  const std::string with = "--plugin-dir " + Quote(plugins.string()) + " ";
  for (const std::string name : {"r.md", "r.csv", "r.html", "r.json"}) {
    const fs::path out = dir.path() / name;
    const std::string command =
        name == "r.json" ? "analyze " + kKellpo + " --format json -o " + Quote(out.string())
                         : "report " + kKellpo + " -o " + Quote(out.string());
    const RunResult r = RunBmil(with + command);
    EXPECT_EQ(r.exit_code, 4) << name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("plugin \"malformed_result\": finish failed: the result breaks "
                                 "the result model"));
    EXPECT_THAT(r.err, HasSubstr("/tables/0/rows: missing")) << r.err;
    const std::string text = Slurp(out);
    EXPECT_THAT(text, HasSubstr("block_focus")) << name;  // another analyzer's result
    EXPECT_THAT(text, HasSubstr("orchestration")) << name;
  }
  const RunResult by = RunBmil(with + "analyze examples/cases --by size --format json");
  EXPECT_EQ(by.exit_code, 4) << by.err;
  const auto grouped = nlohmann::json::parse(by.out);
  EXPECT_THAT(by.out, HasSubstr("\"block_focus\""));
}

TEST(MalformedResult, EveryBreachIsNamedByItsPointer) {
  TempDir dir;
  const std::string with =
      "--plugin-dir " + Quote(FixturePluginDir(dir.path(), "malformed_result").string()) + " ";
  const std::vector<std::pair<std::string, std::string>> breaches = {
      {"short_row", "/tables/0/rows/1: 1 cells for 2 columns"},
      {"matrix_text", "/matrices/0/values/0/0: not a number"},
      {"wrong_analyzer",
       "/analyzer: \"canvas\", but the result comes from plugin "
       "\"malformed_result\""},
      {"deep", "output nested 102 deep, more than the limit of 64"},
      {"huge", "output larger than the limit of 32 MiB"},
      {"not_object", "the result is not a JSON object"}};
  // In bmil's process (the breach from the environment) and in a child (the breach from the
  // case, since a child gets an empty environment): the same checks, the same messages.
  for (const std::string isolation : {"in-process", "child"}) {
    for (const auto& [breach, message] : breaches) {
      std::string command = with + "--isolation " + isolation + " analyze ";
      std::string env;
      if (isolation == "child") {
        auto kellpo = nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / kKellpo));
        kellpo["business"]["attributes"]["fixture_breach"] = breach;
        const fs::path input = dir.path() / ("breach_" + breach + ".json");
        WriteFile(input, kellpo.dump());
        command += Quote(input.string());
      } else {
        command += kKellpo;
        env = "BMIL_FIXTURE_BREACH=" + breach;
      }
      const RunResult r = RunBmil(command + " --format json", env);
      EXPECT_EQ(r.exit_code, 4) << isolation << " " << breach << ": " << r.err;
      EXPECT_THAT(r.err, HasSubstr(message)) << isolation << " " << breach;
      const auto report = nlohmann::json::parse(r.out);
      const nlohmann::json* canvas = FindAnalyzer(report, "canvas");
      ASSERT_NE(canvas, nullptr);
      EXPECT_NE(FindMatrix(canvas->at("result"), "canvas"), nullptr) << breach;
    }
  }
}

}  // namespace
