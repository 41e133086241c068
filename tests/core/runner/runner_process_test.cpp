// Tests of the host's side of an isolated plugin (host/runner_process.hpp): the real
// bmil-plugin-runner, built beside this test program, runs the fixture plugins
// (tests/fixtures), well-behaved and hostile, alone and through PluginHost.
#include "host/runner_process.hpp"
#include "host/trusted_file.hpp"

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

// ------------------------------------------------------------------- DescribeWaitStatus

// The wait status of a child process that runs `body`, which must end the process. The child
// leaves no core file, and `body` runs with the default action for the signal it raises.
int WaitStatusOf(void (*body)()) {
  std::fflush(nullptr);  // nothing buffered is written twice
  const pid_t pid = fork();
  if (pid == 0) {
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    body();
    _exit(99);
  }
  EXPECT_GT(pid, 0) << std::strerror(errno);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return status;
}

TEST(DescribeWaitStatus, SaysTheExitStatus) {
  const int status = WaitStatusOf([] { _exit(3); });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(DescribeWaitStatus(status), "exited with status 3");
  EXPECT_EQ(DescribeWaitStatus(WaitStatusOf([] { _exit(0); })), "exited with status 0");
}

TEST(DescribeWaitStatus, NamesASegmentationFault) {
  const int status = WaitStatusOf([] {
    signal(SIGSEGV, SIG_DFL);  // (the sanitizer build installs a handler of its own)
    raise(SIGSEGV);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_THAT(DescribeWaitStatus(status), StartsWith("was killed by signal 11 (SIGSEGV"));
}

TEST(DescribeWaitStatus, NamesAnAbort) {
  const int status = WaitStatusOf([] {
    signal(SIGABRT, SIG_DFL);
    abort();
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_THAT(DescribeWaitStatus(status), StartsWith("was killed by signal 6 (SIGABRT"));
}

TEST(DescribeWaitStatus, GivesOnlyTheNumberOfASignalWithoutAMeaning) {
  const int status = WaitStatusOf([] {
    signal(SIGUSR1, SIG_DFL);
    raise(SIGUSR1);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(DescribeWaitStatus(status), "was killed by signal " + std::to_string(SIGUSR1));
}

// ----------------------------------------------------------------------------- fixtures

// A fresh directory under /tmp (mode 0700), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string name = "/tmp/bmil_runner_process_test.XXXXXX";
    if (::mkdtemp(name.data()) == nullptr) {
      throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    }
    path_ = name;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Copies fixture plugin `id` (built into tests/fixtures/plugins/<id>/<id>.so) into `dir` with
// mode 0755, so that it passes the loader's checks whatever the build directory's modes are.
fs::path CopyFixture(const TempDir& dir, const std::string& id) {
  const fs::path from = fs::path(BMIL_BINARY_DIR) / "tests/fixtures/plugins" / id / (id + ".so");
  const fs::path to = dir.path() / id / (id + ".so");
  fs::create_directories(to.parent_path());
  fs::permissions(to.parent_path(), fs::perms(0755));
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms(0755));
  return to;
}

// A fixture plugin opened and checked, and its manifest, as LoadAll() hands them to Start().
struct OpenedPlugin {
  std::shared_ptr<const TrustedFile> file;
  Manifest manifest;
};

OpenedPlugin Open(const TempDir& dir, const std::string& id) {
  const fs::path path = CopyFixture(dir, id);
  auto file = TrustedFile::Open(path);
  if (!file) throw std::runtime_error(path.string() + ": " + file.error());
  const std::vector<fs::path> files = {path};
  const PluginHost scanned = PluginHost::ScanFiles(files);
  if (scanned.records().size() != 1 || !scanned.records()[0].manifest) {
    throw std::runtime_error(path.string() + ": no manifest");
  }
  return {std::move(file).value(), *scanned.records()[0].manifest};
}

Result<std::shared_ptr<RunnerProcess>> StartFixture(const TempDir& dir, const std::string& id,
                                                    const IsolationLimits& limits = {}) {
  const OpenedPlugin plugin = Open(dir, id);
  return RunnerProcess::Start(FindRunner(), *plugin.file, plugin.manifest, limits);
}

// Expects `message` to report the null-pointer store of a hostile fixture. In the sanitizer
// build (the debug-asan preset compiles the fixtures with -fsanitize=address,undefined and
// -fno-sanitize-recover), UBSan stops the store before it faults: the runner exits with
// status 1 and its stderr says why. Elsewhere the store is a SIGSEGV.
// The hostile fixtures are built without sanitizers, and the runner leaves SIGSEGV to the
// system even in a sanitizer build: the same report in every build.
void ExpectNullStoreReported(const std::string& message) {
  EXPECT_THAT(message, HasSubstr("was killed by signal 11 (SIGSEGV"));
}

// --------------------------------------------------------------------------- the runner

TEST(RunnerProcess, FindsTheRunnerBesideThisProgram) {
  // Every executable of the build goes to bin/, the runner too.
  EXPECT_EQ(FindRunner(),
            (CurrentExecutable().parent_path() / "bmil-plugin-runner").lexically_normal());
}

TEST(RunnerProcess, StartsAPluginAndReportsTheFunctionsOfItsTable) {
  TempDir dir;
  IsolationLimits limits;
  limits.call_timeout_seconds = 7;
  auto runner = StartFixture(dir, "c_analyzer", limits);
  ASSERT_TRUE(runner) << runner.error();
  // c_plugin.c's table: every function of an analyzer, no assess or propose.
  EXPECT_EQ((*runner)->functions(), wire::kFnCreate | wire::kFnDestroy | wire::kFnDescribe |
                                        wire::kFnAdd | wire::kFnMerge | wire::kFnFinish |
                                        wire::kFnSave | wire::kFnLoad);
  EXPECT_EQ((*runner)->functions(), 999u);  // 1 + 2 + 4 + 32 + 64 + 128 + 256 + 512
  EXPECT_EQ((*runner)->limits().call_timeout_seconds, 7);
  EXPECT_FALSE((*runner)->dead());
}

TEST(RunnerProcess, ReportsAPluginThatCrashesWhileLoading) {
  TempDir dir;
  auto runner = StartFixture(dir, "hostile_load_crash");
  ASSERT_FALSE(runner);
  EXPECT_THAT(runner.error(), StartsWith("the plugin's process "));
  ExpectNullStoreReported(runner.error());
  EXPECT_THAT(runner.error(), HasSubstr("while loading"));
}

TEST(RunnerProcess, RefusesATableWhoseIdDiffersFromTheManifest) {
  TempDir dir;
  auto runner = StartFixture(dir, "id_mismatch");
  ASSERT_FALSE(runner);
  EXPECT_EQ(runner.error(),
            "entry table id \"someone_else\" differs from the manifest's id \"id_mismatch\"");
}

TEST(RunnerProcess, SaysSoWhenThereIsNoRunner) {
  TempDir dir;
  const OpenedPlugin plugin = Open(dir, "c_analyzer");
  auto runner = RunnerProcess::Start({}, *plugin.file, plugin.manifest, {});
  ASSERT_FALSE(runner);
  EXPECT_THAT(runner.error(), HasSubstr("bmil-plugin-runner"));
  EXPECT_THAT(runner.error(), HasSubstr("not found"));
}

// ------------------------------------------------------------- through the plugin host

// The registry of the bundled plugins, read from their manifests (no plugin code runs).
const Registry& BundledRegistry() {
  static const Registry registry = [] {
    const std::vector<fs::path> dirs = {fs::path(BMIL_BINARY_DIR) / BMIL_PLUGIN_INSTALL_DIR};
    return PluginHost::Scan(dirs).MakeRegistry();
  }();
  return registry;
}

Case ExampleCase(const std::string& name) {
  const fs::path path = fs::path(BMIL_SOURCE_DIR) / "examples/cases" / (name + ".json");
  LoadResult loaded = LoadCaseFile(path, BundledRegistry());
  if (!loaded.ok()) throw std::runtime_error(loaded.diagnostics.at(0).ToString());
  return std::move(*loaded.value);
}

// A case whose id makes the hostile fixtures misbehave in add() (tests/fixtures/plugins/
// hostile/hostile.c): kellpo's, renamed.
Case TriggerCase() {
  Case c = ExampleCase("kellpo");
  c.business.id = "trigger_kellpo";
  return c;
}

// The fixture plugins `ids`, scanned from `dir` and loaded with every plugin at `isolation`.
PluginHost LoadFixtures(const TempDir& dir, const std::vector<std::string>& ids,
                        Isolation isolation, const IsolationLimits& limits = {}) {
  std::vector<fs::path> files;
  for (const auto& id : ids) files.push_back(CopyFixture(dir, id));
  PluginHost host = PluginHost::ScanFiles(files);
  host.SetIsolation({isolation, {}, {}, limits, {}, true});
  host.LoadAll();
  return host;
}

// The outcome of running `cases` through a new instance of `plugin`: Create, Add each, Finish.
// The first error, from whichever call reported it (a child's adds are sent in batches).
CallResult<Json> RunCases(const LoadedPlugin& plugin, const std::vector<const Case*>& cases) {
  auto created = plugin.Create("{}");
  if (auto* error = std::get_if<CallError>(&created)) return *error;
  PluginInstance& instance = std::get<PluginInstance>(created);
  for (const Case* c : cases) {
    const FlatCase flat(*c, BundledRegistry());
    if (auto error = instance.Add(flat.view())) return *error;
  }
  return instance.Finish();
}

std::string Describe(const CallResult<Json>& result) {
  if (auto* error = std::get_if<CallError>(&result)) return error->ToString();
  return std::get<Json>(result).dump();
}

// The business models metric of the counting fixtures' result (c_plugin.c, hostile.c).
Json ModelCount(const Json& result) { return result.at("metrics").at(0).at("value"); }

// What a process writes to its standard output and error while one of these lives.
class CapturedOutput {
 public:
  CapturedOutput() {
    std::fflush(nullptr);
    for (int i = 0; i < 2; ++i) {
      memfd_[i] = memfd_create("captured", MFD_CLOEXEC);
      saved_[i] = dup(i + 1);
      dup2(memfd_[i], i + 1);
    }
  }
  ~CapturedOutput() { Restore(); }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;

  // Ends the capture; returns what went to stdout (0) or stderr (1).
  std::string Text(int which) {
    Restore();
    std::string out;
    char chunk[4096];
    ssize_t got = 0;
    off_t at = 0;
    while ((got = pread(memfd_[which], chunk, sizeof chunk, at)) > 0) {
      out.append(chunk, static_cast<std::size_t>(got));
      at += got;
    }
    return out;
  }

 private:
  void Restore() {
    if (restored_) return;
    std::fflush(nullptr);
    for (int i = 0; i < 2; ++i) {
      dup2(saved_[i], i + 1);
      close(saved_[i]);
    }
    restored_ = true;
  }
  int memfd_[2] = {-1, -1};
  int saved_[2] = {-1, -1};
  bool restored_ = false;
};

TEST(IsolatedPlugin, GivesTheSameResultAsInProcess) {
  TempDir child_dir, in_process_dir;
  PluginHost child = LoadFixtures(child_dir, {"c_analyzer"}, Isolation::kChild);
  PluginHost in_process = LoadFixtures(in_process_dir, {"c_analyzer"}, Isolation::kInProcess);
  const LoadedPlugin* isolated = child.Find("c_analyzer");
  const LoadedPlugin* local = in_process.Find("c_analyzer");
  ASSERT_NE(isolated, nullptr) << child.records().at(0).reason;
  ASSERT_NE(local, nullptr) << in_process.records().at(0).reason;
  EXPECT_EQ(isolated->isolation(), Isolation::kChild);
  EXPECT_EQ(child.records().at(0).isolation, Isolation::kChild);
  EXPECT_EQ(local->isolation(), Isolation::kInProcess);

  std::vector<Case> cases;
  std::size_t models = 0;
  for (const char* name : {"aikon", "infolink", "katalabs", "kellpo", "provital"}) {
    cases.push_back(ExampleCase(name));
    models += cases.back().business_models.size();
  }
  std::vector<const Case*> all;
  for (const auto& c : cases) all.push_back(&c);

  const auto got = RunCases(*isolated, all);
  const auto want = RunCases(*local, all);
  ASSERT_TRUE(std::holds_alternative<Json>(got)) << Describe(got);
  ASSERT_TRUE(std::holds_alternative<Json>(want)) << Describe(want);
  EXPECT_EQ(std::get<Json>(got), std::get<Json>(want));
  // c_plugin.c counts business models.
  EXPECT_EQ(ModelCount(std::get<Json>(got)), models);
}

TEST(IsolatedPlugin, ReportsASegmentationFaultWithTheCase) {
  TempDir dir;
  PluginHost host = LoadFixtures(dir, {"hostile_segv"}, Isolation::kChild);
  const LoadedPlugin* plugin = host.Find("hostile_segv");
  ASSERT_NE(plugin, nullptr) << host.records().at(0).reason;
  const Case good = ExampleCase("kellpo");
  const Case trigger = TriggerCase();
  const auto result = RunCases(*plugin, {&good, &trigger});
  const auto* error = std::get_if<CallError>(&result);
  ASSERT_NE(error, nullptr) << Describe(result);
  EXPECT_EQ(error->plugin, "hostile_segv");
  EXPECT_EQ(error->call, "add");
  ExpectNullStoreReported(error->message);
  EXPECT_THAT(error->message, HasSubstr("\"trigger_kellpo\""));
  EXPECT_THAT(error->message, HasSubstr("the 2nd case given to this instance"));
}

TEST(IsolatedPlugin, KillsAPluginThatHangsPastTheDeadline) {
  using Clock = std::chrono::steady_clock;
  TempDir dir;
  IsolationLimits limits;
  limits.call_timeout_seconds = 0.5;
  PluginHost host = LoadFixtures(dir, {"hostile_hang"}, Isolation::kChild, limits);
  const LoadedPlugin* plugin = host.Find("hostile_hang");
  ASSERT_NE(plugin, nullptr) << host.records().at(0).reason;
  const Case trigger = TriggerCase();
  const auto begin = Clock::now();
  const auto result = RunCases(*plugin, {&trigger});
  const auto took = Clock::now() - begin;
  const auto* error = std::get_if<CallError>(&result);
  ASSERT_NE(error, nullptr) << Describe(result);
  EXPECT_THAT(error->message, HasSubstr("did not answer within 0.5 s"));
  EXPECT_THAT(error->message, HasSubstr("\"trigger_kellpo\""));
  // It waited out the deadline, and not much longer (the busy loop never ends by itself).
  EXPECT_GE(took, std::chrono::milliseconds(500));
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST(IsolatedPlugin, ReportsAPluginThatExits) {
  TempDir dir;
  PluginHost host = LoadFixtures(dir, {"hostile_exit"}, Isolation::kChild);
  const LoadedPlugin* plugin = host.Find("hostile_exit");
  ASSERT_NE(plugin, nullptr) << host.records().at(0).reason;
  const Case trigger = TriggerCase();
  const auto result = RunCases(*plugin, {&trigger});
  const auto* error = std::get_if<CallError>(&result);
  ASSERT_NE(error, nullptr) << Describe(result);
  EXPECT_THAT(error->message, HasSubstr("exited with status 0"));
  EXPECT_THAT(error->message, HasSubstr("\"trigger_kellpo\""));
}

TEST(IsolatedPlugin, FailsACallThatWritesIntoItsCaseView) {
  TempDir dir;
  PluginHost host = LoadFixtures(dir, {"hostile_view_write"}, Isolation::kChild);
  const LoadedPlugin* plugin = host.Find("hostile_view_write");
  ASSERT_NE(plugin, nullptr) << host.records().at(0).reason;
  const Case good = ExampleCase("kellpo");
  const Case trigger = TriggerCase();
  const auto fine = RunCases(*plugin, {&good});  // it writes only on the trigger case
  ASSERT_TRUE(std::holds_alternative<Json>(fine)) << Describe(fine);
  const auto result = RunCases(*plugin, {&good, &trigger});
  const auto* error = std::get_if<CallError>(&result);
  ASSERT_NE(error, nullptr) << Describe(result);
  EXPECT_EQ(error->call, "add");
  EXPECT_EQ(error->status, BMIL_ERROR_INTERNAL);
  EXPECT_THAT(error->message, StartsWith("wrote into the read-only case view (in bmil's process "
                                         "this would change what every other plugin sees)"));
  EXPECT_THAT(error->message, HasSubstr("\"trigger_kellpo\", the 2nd case given to this"));
  // A failed call, not a dead child: the next instance works in the same process.
  EXPECT_FALSE(plugin->LiveRunner()->dead());
  EXPECT_TRUE(std::holds_alternative<Json>(RunCases(*plugin, {&good})));
}

// The children of this process running bmil-plugin-runner (from /proc: comm and ppid).
std::vector<pid_t> RunnerChildren() {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::FILE* stat = std::fopen((entry.path() / "stat").c_str(), "re");
    if (stat == nullptr) continue;
    int pid = 0, ppid = 0;
    char comm[64] = {0}, state = 0;
    const int got = std::fscanf(stat, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
    std::fclose(stat);
    if (got == 4 && ppid == ::getpid() && std::string(comm).starts_with("bmil-plugin-ru") &&
        state != 'Z') {
      out.push_back(pid);
    }
  }
  return out;
}

// Regression (a flaky batch test, this session): a child that dies while nothing is waiting
// on it is only noticed by the next request. Create() then found the child "had already
// ended" and failed the plugin, where a new child should have been started.
TEST(IsolatedPlugin, CreateAfterAnUnnoticedDeathStartsANewChild) {
  TempDir dir;
  PluginHost host = LoadFixtures(dir, {"c_analyzer"}, Isolation::kChild);
  const LoadedPlugin* plugin = host.Find("c_analyzer");
  ASSERT_NE(plugin, nullptr) << host.records().at(0).reason;
  const Case good = ExampleCase("kellpo");
  ASSERT_TRUE(std::holds_alternative<Json>(RunCases(*plugin, {&good})));
  const std::vector<pid_t> children = RunnerChildren();
  ASSERT_EQ(children.size(), 1u);
  ASSERT_EQ(::kill(children[0], SIGKILL), 0);
  for (int i = 0; i < 200 && !RunnerChildren().empty(); ++i) ::usleep(10000);
  EXPECT_FALSE(plugin->LiveRunner()->dead());  // not noticed yet
  const auto result = RunCases(*plugin, {&good});
  EXPECT_TRUE(std::holds_alternative<Json>(result)) << Describe(result);
  EXPECT_EQ(plugin->restarts(), 1);
}

TEST(RunnerProcess, CountsWhatThePluginWritesToStdout) {
  TempDir dir;
  PluginHost host = LoadFixtures(dir, {"hostile_stdout", "c_analyzer"}, Isolation::kChild);
  const LoadedPlugin* chatty = host.Find("hostile_stdout");
  const LoadedPlugin* quiet = host.Find("c_analyzer");
  ASSERT_NE(chatty, nullptr);
  ASSERT_NE(quiet, nullptr);
  const Case kellpo = ExampleCase("kellpo");
  ASSERT_TRUE(std::holds_alternative<Json>(RunCases(*chatty, {&kellpo})));
  ASSERT_TRUE(std::holds_alternative<Json>(RunCases(*quiet, {&kellpo})));
  // create, add, finish: one 33-byte line each (hostile.c, mode 6), flushed at once.
  const auto captured = chatty->LiveRunner()->stdout_capture(8);
  EXPECT_EQ(captured.bytes, 3u * 33);
  EXPECT_EQ(captured.head, "{\"garbag");
  EXPECT_EQ(quiet->LiveRunner()->stdout_capture(8).bytes, 0u);
  EXPECT_EQ(quiet->LiveRunner()->stdout_capture(8).head, "");
}

TEST(IsolatedPlugin, KeepsThePluginsOutputAwayFromTheHost) {
  TempDir child_dir, in_process_dir;
  PluginHost child = LoadFixtures(child_dir, {"hostile_stdout"}, Isolation::kChild);
  PluginHost in_process = LoadFixtures(in_process_dir, {"hostile_stdout"}, Isolation::kInProcess);
  const LoadedPlugin* isolated = child.Find("hostile_stdout");
  const LoadedPlugin* local = in_process.Find("hostile_stdout");
  ASSERT_NE(isolated, nullptr) << child.records().at(0).reason;
  ASSERT_NE(local, nullptr) << in_process.records().at(0).reason;
  const Case kellpo = ExampleCase("kellpo");
  const Case trigger = TriggerCase();  // mode 6 chatters in every call, trigger or not

  std::optional<CallResult<Json>> got, want;
  std::string isolated_out, isolated_err, local_out;
  {
    CapturedOutput captured;
    got = RunCases(*isolated, {&kellpo, &trigger});
    isolated_out = captured.Text(0);
    isolated_err = captured.Text(1);
  }
  {
    CapturedOutput captured;
    want = RunCases(*local, {&kellpo, &trigger});
    local_out = captured.Text(0);
  }
  // In-process, the plugin's chatter reaches the host's stdout; from the child, none does.
  EXPECT_THAT(local_out, HasSubstr("{\"garbage\": printed by a plugin}"));
  EXPECT_EQ(isolated_out, "");
  EXPECT_EQ(isolated_err, "");
  ASSERT_TRUE(std::holds_alternative<Json>(*got)) << Describe(*got);
  ASSERT_TRUE(std::holds_alternative<Json>(*want)) << Describe(*want);
  EXPECT_EQ(std::get<Json>(*got), std::get<Json>(*want));
  EXPECT_EQ(std::get<Json>(*got).at("analyzer"), "hostile_stdout");
  EXPECT_EQ(ModelCount(std::get<Json>(*got)), 2 * kellpo.business_models.size());
}

}  // namespace
}  // namespace bmil
