// Helpers for the CLI tests: run the built `bmil` on real files and read what it wrote.
#ifndef BMIL_TESTS_CLI_CLI_RUNNER_HPP_
#define BMIL_TESTS_CLI_CLI_RUNNER_HPP_

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

namespace bmil::cli_test {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "bmil-cli-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
    ::chmod(path_.c_str(), 0755);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The bmil under test: the one built with these tests, or BMIL_TEST_EXE's (to run the
// regression tests against another build, e.g. the code before a fix, and see them fail).
inline const char* BmilExe() {
  const char* other = std::getenv("BMIL_TEST_EXE");
  return other != nullptr && *other != '\0' ? other : BMIL_EXE;
}

inline std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs bmil with `args` (already shell-quoted where needed) from the source directory.
inline RunResult RunBmil(const std::string& args, const std::string& env = "") {
  static TempDir scratch;
  const fs::path out = scratch.path() / "stdout";
  const fs::path err = scratch.path() / "stderr";
  const std::string command = "cd " + Quote(BMIL_SOURCE_DIR) + " && env -u BMIL_PLUGIN_PATH " +
                              env + " " + Quote(BmilExe()) + " " + args + " >" +
                              Quote(out.string()) + " 2>" + Quote(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = Slurp(out);
  result.err = Slurp(err);
  return result;
}

// How a run without a shell ended, and its peak memory (wait4's rusage: that process only).
struct Outcome {
  bool signalled = false;
  bool timed_out = false;
  int code = -1;
  long max_rss_kib = 0;
};

// Runs bmil with `args` (no shell) in `cwd`, with `env` ("NAME=value") added to its
// environment, standard streams on /dev/null; killed after `deadline_seconds`.
inline Outcome RunMeasured(const std::vector<std::string>& args, const fs::path& cwd = ".",
                           const std::vector<std::string>& env = {}, int deadline_seconds = 60) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(BmilExe())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(BmilExe(), argv.data());
    ::_exit(127);
  }
  Outcome out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(deadline_seconds);
  int status = 0;
  struct rusage usage {};
  for (;;) {
    if (::wait4(child, &status, WNOHANG, &usage) == child) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::wait4(child, &status, 0, &usage);
      out.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  out.signalled = WIFSIGNALED(status) && !out.timed_out;
  out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  out.max_rss_kib = usage.ru_maxrss;
  return out;
}

// A directory `subdir` under `dir` holding the fixture plugin `id` (copied afresh), for
// --plugin-dir.
inline fs::path FixturePluginDir(const fs::path& dir, const std::string& id,
                                 const std::string& subdir = "plugins") {
  const fs::path plugins = dir / subdir;
  fs::create_directories(plugins);
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / id / (id + ".so"), plugins / (id + ".so"),
           fs::copy_options::overwrite_existing);
  return plugins;
}

// The example case `name` with its business id changed to `id` (the hostile fixtures
// misbehave in add only on a case whose id starts with "trigger").
inline std::string CaseWithId(const std::string& name, const std::string& id) {
  auto c = nlohmann::json::parse(
      Slurp(fs::path(BMIL_SOURCE_DIR) / "examples" / "cases" / (name + ".json")));
  c["business"]["id"] = id;
  return c.dump();
}

// The lines of terminal output `out` wider than 80 columns, except those holding a path (a
// long path is never broken).
inline std::vector<std::string> LinesOver80(const std::string& out) {
  std::vector<std::string> wide;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > 80 && line.find('/') == std::string::npos) wide.push_back(line);
  }
  return wide;
}

inline const std::string kKellpo = "examples/cases/kellpo.json";

// The canvas counted independently from the case file: (line, block) -> tasks.
inline std::map<std::pair<std::string, std::string>, int> CountCanvas(const std::string& file,
                                                                      const std::string& state) {
  const auto doc = nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / file));
  std::map<std::string, std::string> state_of;
  for (const auto& bm : doc["business_models"]) state_of[bm["id"]] = bm["state"];
  std::map<std::pair<std::string, std::string>, int> cells;
  for (const auto& task : doc["bmi_tasks"]) {
    if (!state.empty() && state_of[task["business_model"]] != state) continue;
    for (const auto& line : task["leadership_lines"])
      for (const auto& block : task["building_blocks"]) ++cells[{line, block}];
  }
  return cells;
}

inline const nlohmann::json* FindAnalyzer(const nlohmann::json& report, const std::string& id) {
  for (const auto& a : report["analyzers"])
    if (a["plugin"] == id) return &a;
  return nullptr;
}

inline const nlohmann::json* FindMatrix(const nlohmann::json& result, const std::string& id) {
  for (const auto& m : result["matrices"])
    if (m["id"] == id) return &m;
  return nullptr;
}

}  // namespace bmil::cli_test

#endif  // BMIL_TESTS_CLI_CLI_RUNNER_HPP_
