// What the plugin boundary costs: the block_focus analyzer adding the same cases two ways,
//   BM_BlockFocusAdd/plugin  the real block_focus.so loaded by PluginHost, through
//                            PluginInstance::Add (C ABI table, function pointers, the SDK
//                            shim's try/catch and CaseView wrapping), as the engine calls it;
//   BM_BlockFocusAdd/static  the same analyzer class compiled into this program (its source
//                            is included below) and called directly as C++.
// Both get the engine's analyzer config and the loader's flat views of 2,000 generated
// companies (bench/generate_cases.py --companies 2000 --seed 3); setup checks that both give
// the same Finish() and aborts otherwise. After the run it prints
//   boundary overhead: X% (plugin P ns/add, static S ns/add)
// with X = P / S - 1, from the median CPU time per add of 5 repetitions run in random order
// (CPU time is what items/s is computed from).
//
// The analyzer's class lives in an anonymous namespace of its source, so this translation
// unit includes that source and its benchmark code follows it. BMIL_PLUGIN then defines the
// plugin entry symbol inside this executable too; the host never looks it up here (it asks
// the loaded .so for its own), and the .so keeps its symbols hidden, so the two do not meet.
#include "plugins/analyzers/block_focus/block_focus_analyzer.cpp"

#include <benchmark/benchmark.h>

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

constexpr int kCompanies = 2000;
constexpr int kSeed = 3;
constexpr const char* kPluginName = "BM_BlockFocusAdd/plugin";
constexpr const char* kStaticName = "BM_BlockFocusAdd/static";

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "bmil_bench_boundary: %s\n", message.c_str());
  std::exit(1);
}

std::string Generate() {
  const std::string command = "/usr/bin/python3 '" BMIL_SOURCE_DIR
                              "/bench/generate_cases.py' --companies " +
                              std::to_string(kCompanies) + " --seed " + std::to_string(kSeed);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) Die("cannot run " + command);
  std::string text;
  char buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  if (::pclose(pipe) != 0) Die(command + " failed");
  return text;
}

// Everything both benchmarks share, set up once in main().
struct Setup {
  bmil::PluginHost host;
  bmil::Registry registry;
  std::string config;
  const bmil::LoadedPlugin* plugin = nullptr;  // block_focus.so
  std::vector<std::unique_ptr<bmil::FlatCase>> flat;
};
Setup* setup = nullptr;

bmil::PluginInstance NewPluginInstance() {
  auto created = setup->plugin->Create(setup->config);
  if (auto* error = std::get_if<bmil::CallError>(&created)) Die(error->ToString());
  return std::move(std::get<bmil::PluginInstance>(created));
}

// Configured as the SDK's create shim does it: the config text parsed, then Configure().
std::unique_ptr<BlockFocusAnalyzer> NewStaticInstance() {
  auto analyzer = std::make_unique<BlockFocusAnalyzer>();
  analyzer->Configure(nlohmann::json::parse(setup->config));
  return analyzer;
}

// Both ways over every case must give the same result, or the comparison means nothing.
// The plugin's result comes back as JSON text parsed by the host; the static one is
// written and parsed the same way, so equal documents compare equal.
void CheckSameResult() {
  bmil::PluginInstance plugin = NewPluginInstance();
  auto analyzer = NewStaticInstance();
  for (const auto& flat : setup->flat) {
    if (auto error = plugin.Add(flat->view())) Die(error->ToString());
    analyzer->Add(bmil::sdk::CaseView(flat->view()));
  }
  auto finished = plugin.Finish();
  if (auto* error = std::get_if<bmil::CallError>(&finished)) Die(error->ToString());
  const nlohmann::json from_plugin = std::get<nlohmann::json>(finished);
  const nlohmann::json from_static = nlohmann::json::parse(analyzer->Finish().dump());
  if (from_plugin != from_static) {
    Die("block_focus linked statically gives another Finish() than block_focus.so: the "
        "benchmark would compare different code (is the .so built from this source?)");
  }
}

void BM_BlockFocusAdd_Plugin(benchmark::State& state) {
  bmil::PluginInstance instance = NewPluginInstance();
  std::size_t i = 0;
  for (auto _ : state) {
    if (auto error = instance.Add(setup->flat[i]->view())) {
      state.SkipWithError(error->ToString().c_str());
      break;
    }
    if (++i == setup->flat.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_BlockFocusAdd_Static(benchmark::State& state) {
  auto analyzer = NewStaticInstance();
  std::size_t i = 0;
  for (auto _ : state) {
    analyzer->Add(bmil::sdk::CaseView(setup->flat[i]->view()));
    if (++i == setup->flat.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// The console output; keeps each benchmark's CPU time per add for the overhead line: the
// median over the repetitions (Google Benchmark's "median" aggregate, or the median of the
// runs it reports when it was told not to aggregate).
class OverheadReporter : public benchmark::ConsoleReporter {
 public:
  explicit OverheadReporter(OutputOptions options) : ConsoleReporter(options) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const double ns = run.GetAdjustedCPUTime() *
                        benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
                        benchmark::GetTimeUnitMultiplier(run.time_unit);
      if (run.run_type == Run::RT_Iteration) {
        runs_[run.run_name.str()].push_back(ns);
      } else if (run.aggregate_name == "median") {
        median_[run.run_name.str()] = ns;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // CPU ns per add of benchmark `name`, or a negative value when it did not run.
  double NsPerAdd(const std::string& name) const {
    if (auto it = median_.find(name); it != median_.end()) return it->second;
    auto it = runs_.find(name);
    if (it == runs_.end() || it->second.empty()) return -1;
    std::vector<double> times = it->second;
    std::sort(times.begin(), times.end());
    const std::size_t n = times.size();
    return n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  }

  // "boundary overhead: X% (plugin P ns/add, static S ns/add)", or why it cannot be said.
  std::string OverheadLine() const {
    const double plugin = NsPerAdd(kPluginName);
    const double linked = NsPerAdd(kStaticName);
    if (plugin <= 0 || linked <= 0) {
      return "boundary overhead: n/a (run both " + std::string(kPluginName) + " and " +
             kStaticName + ")";
    }
    char line[160];
    std::snprintf(line, sizeof line,
                  "boundary overhead: %.1f%% (plugin %.1f ns/add, static %.1f ns/add)",
                  (plugin / linked - 1.0) * 100.0, plugin, linked);
    return line;
  }

 private:
  std::map<std::string, std::vector<double>> runs_;
  std::map<std::string, double> median_;
};

}  // namespace

int main(int argc, char** argv) {
  // The difference is a few percent of an add, less than a shared machine's drift over a
  // run: by default, 5 repetitions of each, in random order, compared by their medians.
  // Flags given on the command line come later and win.
  std::vector<char*> args(argv, argv + argc);
  char repetitions[] = "--benchmark_repetitions=5";
  char interleave[] = "--benchmark_enable_random_interleaving=true";
  char aggregates[] = "--benchmark_display_aggregates_only=true";
  args.insert(args.begin() + 1, {repetitions, interleave, aggregates});
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;

  const std::vector<std::filesystem::path> dirs = {std::filesystem::path(BMIL_BINARY_DIR) /
                                                   BMIL_PLUGIN_INSTALL_DIR};
  setup = new Setup{bmil::PluginHost::Scan(dirs), {}, {}, nullptr, {}};
  setup->host.LoadAll();
  setup->plugin = setup->host.Find("block_focus");
  if (setup->plugin == nullptr || !setup->plugin->is_analyzer())
    Die("block_focus is not loaded from " + dirs[0].string());
  setup->registry = setup->host.MakeRegistry();
  std::vector<bmil::CallError> failures;
  setup->config = bmil::AnalyzerConfig(setup->host, setup->registry, failures).dump();
  if (!failures.empty()) Die(failures.front().ToString());

  const std::string text = Generate();
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    if (end > begin) {
      const std::string_view record = std::string_view(text).substr(begin, end - begin);
      bmil::LoadResult loaded = bmil::LoadCaseText(record, "generated", setup->registry);
      if (!loaded.ok())
        Die("a generated record does not load: " + loaded.diagnostics[0].ToString());
      setup->flat.push_back(std::make_unique<bmil::FlatCase>(*loaded.value, setup->registry));
    }
    begin = end + 1;
  }
  if (setup->flat.size() != kCompanies) Die("the generator gave an unexpected record count");
  CheckSameResult();

  benchmark::RegisterBenchmark(kPluginName, BM_BlockFocusAdd_Plugin);
  benchmark::RegisterBenchmark(kStaticName, BM_BlockFocusAdd_Static);

  OverheadReporter reporter(::isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Color
                                                    : benchmark::ConsoleReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("%s\n", reporter.OverheadLine().c_str());
  benchmark::Shutdown();
  return 0;
}
