// The seeded hostile-input suite (issue 14): example cases, JSONL records and .bmilpart
// files mutated at random — bytes flipped, cut, doubled, and hostile tokens planted (huge
// numbers, control characters, lone surrogates, deep nesting, duplicate keys) — go through
// validate, analyze, report, batch and merge. Whatever the input, for every run:
//   - bmil ends by itself with 0, 1, 2 or 4: never a signal, never 3 (bad input is not a bug);
//   - no input file changes;
//   - each output is complete (it parses) or the old file, and no temporary file is left;
//   - peak memory stays under the documented bound.
// Seeded: a failure names its seed and iteration, and BMIL_HOSTILE_SEED=S
// BMIL_HOSTILE_SECONDS=T runs it again or longer. CI runs it for a bounded time, also under
// ASan/UBSan (the debug-asan preset).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"
#include "cli/part_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
namespace fs = std::filesystem;

constexpr long kMemoryBoundKiB = 512 << 10;  // far above any run here; a runaway passes it
constexpr int kRunSeconds = 30;              // the kill deadline of one run

std::uint64_t Seed() {
  const char* env = std::getenv("BMIL_HOSTILE_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20261206;
}

double Budget() {
  const char* env = std::getenv("BMIL_HOSTILE_SECONDS");
  return env != nullptr ? std::strtod(env, nullptr) : 20.0;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Hostile tokens planted by the mutator.
const std::vector<std::string> kTokens = {"1.7e308",
                                          "-1.7e308",
                                          "1e400",
                                          "9223372036854775808",
                                          "-0",
                                          "1e18",
                                          "1.000000000000000001e18",
                                          "\"\\u0000\"",
                                          "\"\\ud800\"",
                                          "\"\\u001b[2J\"",
                                          "\"\\u202e\"",
                                          "\"=cmd|' /C calc'!A0\"",
                                          "\"\xff\xfe\"",
                                          "null",
                                          "true",
                                          "[]",
                                          "{}",
                                          "\"\"",
                                          std::string(200, '['),
                                          std::string(70, '[') + std::string(70, ']'),
                                          "{\"id\":\"x\",\"id\":\"y\"}",
                                          ",",
                                          ":",
                                          "\"",
                                          "\\",
                                          "\n",
                                          "\r\n",
                                          "\xef\xbb\xbf"};

std::string Mutate(std::string text, std::mt19937_64& random) {
  const int edits = 1 + static_cast<int>(random() % 3);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t at = random() % text.size();
    switch (random() % 6) {
      case 0:  // flip a byte
        text[at] = static_cast<char>(random() % 256);
        break;
      case 1:  // cut a range
        text.erase(at, random() % 64);
        break;
      case 2: {  // double a range
        const std::string piece = text.substr(at, random() % 256);
        text.insert(at, piece);
        break;
      }
      case 3:  // truncate
        text.resize(at);
        break;
      default:  // plant a hostile token
        text.insert(at, kTokens[random() % kTokens.size()]);
    }
  }
  return text;
}

// A value token after a key of the case replaced by a hostile one: reaches the checks
// behind the parser (ranges, types, cross-references) more often than byte noise does.
std::string PlantValue(const std::string& text, std::mt19937_64& random) {
  std::vector<std::size_t> colons;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ':') colons.push_back(i);
  }
  if (colons.empty()) return text;
  const std::size_t at = colons[random() % colons.size()] + 1;
  std::size_t end = at;
  int depth = 0;
  bool in_string = false;
  for (; end < text.size(); ++end) {
    const char c = text[end];
    if (in_string) {
      if (c == '\\')
        ++end;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{')
      ++depth;
    else if (c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0)
      break;
  }
  return text.substr(0, at) + kTokens[random() % kTokens.size()] + text.substr(end);
}

struct File {
  fs::path path;
  std::string before;
};

TEST(HostileInput, NoSignalNoExit3NoInputChangedOutputsWholeOrOldMemoryBounded) {
  const std::uint64_t seed = Seed();
  std::mt19937_64 random(seed);
  TempDir dir;
  const fs::path src(BMIL_SOURCE_DIR);
  std::vector<std::string> cases;
  for (const char* name : {"aikon", "infolink", "katalabs", "kellpo", "provital"}) {
    cases.push_back(Slurp(src / "examples" / "cases" / (std::string(name) + ".json")));
  }
  // A valid part to mutate (and to merge with).
  const fs::path good_part = dir.path() / "good.bmilpart";
  ASSERT_EQ(RunMeasured({"batch", (src / "examples/cases/kellpo.json").string(), "-q", "--partial",
                         good_part.string()},
                        dir.path())
                .code,
            0);
  const std::string part_text = Slurp(good_part);
  // A real analyzer result, as the fixture will return it.
  const fs::path fixture_dir = FixturePluginDir(dir.path(), "malformed_result");
  std::string plugin_result;
  {
    const RunResult analyzed = RunBmil(
        "analyze " + Quote((src / "examples/cases/kellpo.json").string()) + " --format json");
    ASSERT_EQ(analyzed.exit_code, 0);
    const nlohmann::json report = nlohmann::json::parse(analyzed.out);
    for (const auto& a : report["analyzers"]) {
      if (a["plugin"] == "portfolio") {
        nlohmann::json r = a["result"];
        r["analyzer"] = "malformed_result";
        plugin_result = r.dump();
      }
    }
    ASSERT_FALSE(plugin_result.empty());
  }

  const auto start = std::chrono::steady_clock::now();
  int runs = 0;
  std::map<int, int> codes;  // exit code -> runs: the suite reaches refusals and successes
  for (int iteration = 0;; ++iteration) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > Budget() && iteration >= 2) break;
    const std::string where =
        "seed " + std::to_string(seed) + " iteration " + std::to_string(iteration);
    const fs::path work = dir.path() / ("it" + std::to_string(iteration % 4));
    fs::remove_all(work);
    fs::create_directories(work);

    // The inputs of this iteration.
    const std::string& base = cases[random() % cases.size()];
    // One case in four is left as it is, so that the runs reach the analyzers and renderers
    // too, with the other inputs mutated.
    const int mode = static_cast<int>(random() % 4);
    const std::string mutated = mode == 0   ? base
                                : mode == 1 ? Mutate(base, random)
                                            : PlantValue(base, random);
    std::vector<File> inputs = {{work / "case.json", mutated}};
    std::string jsonl;
    for (int r = 0; r < 3; ++r) {
      std::string record = nlohmann::json::parse(cases[random() % cases.size()]).dump();
      if (random() % 2 == 0) record = PlantValue(record, random);
      jsonl += record + "\n";
    }
    inputs.push_back({work / "records.jsonl", random() % 2 == 0 ? Mutate(jsonl, random) : jsonl});
    std::string part = part_text;
    if (random() % 3 == 0) {
      part = Mutate(part, random);  // caught by the checksum
    } else {
      // Sealed again after the edit: reaches the checks behind the checksum.
      std::string body = part.substr(0, part.find(",\"checksum\"")) + "}";
      body = PlantValue(body, random);
      part = SealText(body);
    }
    inputs.push_back({work / "p.bmilpart", part});
    for (const auto& f : inputs) WriteFile(f.path, f.before);

    // Old outputs: each must end as this or as a complete new file.
    const std::vector<std::pair<fs::path, std::string>> outputs = {
        {work / "a.json", "json"},         {work / "r.html", "html"}, {work / "b.json", "json"},
        {work / "rejects.jsonl", "jsonl"}, {work / "m.json", "json"}, {work / "f.md", "text"},
        {work / "f.csv", "text"},          {work / "f.html", "html"}};
    for (const auto& [path, kind] : outputs) WriteFile(path, "OLD");

    // A plugin result, mutated: another analyzer's real result fed through the
    // malformed_result fixture.
    std::string result = plugin_result;
    result = random() % 2 == 0 ? PlantValue(result, random) : Mutate(result, random);
    inputs.push_back({work / "result.json", result});
    WriteFile(work / "result.json", result);
    const std::vector<std::string> fixture_env = {
        "BMIL_FIXTURE_BREACH=file", "BMIL_FIXTURE_RESULT_FILE=" + (work / "result.json").string()};

    const std::vector<std::vector<std::string>> commands = {
        {"validate", "case.json", "records.jsonl"},
        {"analyze", "case.json", "--format", "json", "-o", "a.json"},
        {"report", "case.json", "-o", "r.html"},
        {"batch", "records.jsonl", "case.json", "-q", "-o", "b.json", "--rejects", "rejects.jsonl"},
        {"merge", "p.bmilpart", good_part.string(), "-o", "m.json"},
    };
    std::vector<std::pair<std::vector<std::string>, bool>> runs_of_iteration;
    for (const auto& command : commands) runs_of_iteration.push_back({command, false});
    for (const char* report : {"md", "csv", "html"}) {
      WriteFile(work / (std::string("f.") + report), "OLD");
      runs_of_iteration.push_back(
          {{"--plugin-dir", fixture_dir.string(), "--isolation", "malformed_result=in-process",
            "report", (src / "examples/cases/kellpo.json").string(), "-o",
            std::string("f.") + report},
           true});
    }
    runs_of_iteration.push_back(
        {{"--plugin-dir", fixture_dir.string(), "--isolation", "malformed_result=in-process",
          "analyze", (src / "examples/cases/kellpo.json").string()},
         true});
    for (const auto& [command, with_fixture] : runs_of_iteration) {
      const Outcome o = RunMeasured(
          command, work, with_fixture ? fixture_env : std::vector<std::string>{}, kRunSeconds);
      ++runs;
      ++codes[o.code];
      const std::string what = where + ": bmil " + command[with_fixture ? 2 : 0];
      ASSERT_FALSE(o.timed_out) << what << " ran past " << kRunSeconds << " s";
      ASSERT_FALSE(o.signalled) << what << " ended by a signal";
      ASSERT_TRUE(o.code == 0 || o.code == 1 || o.code == 2 || o.code == 4)
          << what << " exited " << o.code;
#ifndef __SANITIZE_ADDRESS__  // under ASan the figure is the sanitizer's (shadow, quarantine)
      ASSERT_LT(o.max_rss_kib, kMemoryBoundKiB) << what;
#endif
    }
    for (const auto& f : inputs) {
      ASSERT_EQ(Slurp(f.path), f.before) << where << ": " << f.path << " changed";
    }
    for (const auto& [path, kind] : outputs) {
      const std::string text = Slurp(path);
      if (text == "OLD") continue;
      if (kind == "json") {
        ASSERT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded())
            << where << ": " << path << " is neither old nor complete";
      } else if (kind == "text") {
        ASSERT_FALSE(text.empty()) << where << ": " << path;  // written whole, renamed in place
      } else if (kind == "html") {
        ASSERT_NE(text.rfind("</html>"), std::string::npos) << where << ": " << path;
      } else {
        for (std::size_t at = 0; at < text.size();) {
          const std::size_t end = text.find('\n', at);
          ASSERT_NE(end, std::string::npos) << where << ": " << path << " ends mid-line";
          ASSERT_FALSE(
              nlohmann::json::parse(text.substr(at, end - at), nullptr, false).is_discarded())
              << where << ": " << path;
          at = end + 1;
        }
      }
    }
    for (const auto& entry : fs::directory_iterator(work)) {
      ASSERT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
          << where << ": left " << entry.path();
    }
  }
  std::cout << "hostile input: " << runs << " runs, seed " << seed << "; exit codes:";
  for (const auto& [code, n] : codes) std::cout << " " << code << " x" << n;
  std::cout << "\n";
  EXPECT_GT(codes[0], 0);  // some mutations leave valid input...
  EXPECT_GT(codes[1], 0);  // ...and many are refused
}

}  // namespace
