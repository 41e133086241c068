// What running a plugin in a child process costs (docs/plugin-isolation.md), on the bundled
// block_focus analyzer loaded twice, in-process and in a bmil-plugin-runner child:
//   BM_Describe/{in_process,child}  one call and its reply: the round trip of a call
//   BM_Add/{in_process,child}       adding the five example cases, then Save() (which waits
//                                   for the child's replies): per case, what batch pays
// Setup checks that both give the same Finish() and aborts otherwise. The end-to-end figure
// (`bmil batch` with every bundled analyzer in children) is bench/isolation.sh's.
#include <benchmark/benchmark.h>

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace {

namespace fs = std::filesystem;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "bmil_bench_isolation: %s\n", message.c_str());
  std::exit(1);
}

struct Side {
  bmil::PluginHost host;
  const bmil::LoadedPlugin* plugin = nullptr;
};

struct Setup {
  Side in_process, child;
  bmil::Registry registry;
  std::string config;
  std::vector<bmil::Case> cases;
  std::vector<std::unique_ptr<bmil::FlatCase>> flat;
};
Setup* setup = nullptr;

void Open(Side& side, bmil::Isolation level) {
  const std::vector<fs::path> dirs = {fs::path(BMIL_BINARY_DIR) / BMIL_PLUGIN_INSTALL_DIR};
  side.host = bmil::PluginHost::Scan(dirs);
  bmil::IsolationPolicy policy;
  policy.per_plugin = {{"block_focus", level}};
  policy.all = bmil::Isolation::kInProcess;
  side.host.SetIsolation(policy);
  side.host.LoadAll();
  side.plugin = side.host.Find("block_focus");
  if (side.plugin == nullptr || side.plugin->isolation() != level)
    Die("block_focus is not loaded at the level asked for");
}

bmil::PluginInstance New(const Side& side) {
  auto created = side.plugin->Create(setup->config);
  if (auto* error = std::get_if<bmil::CallError>(&created)) Die(error->ToString());
  return std::move(std::get<bmil::PluginInstance>(created));
}

nlohmann::json FinishAll(const Side& side) {
  bmil::PluginInstance instance = New(side);
  for (const auto& flat : setup->flat) {
    if (auto error = instance.Add(flat->view())) Die(error->ToString());
  }
  auto finished = instance.Finish();
  if (auto* error = std::get_if<bmil::CallError>(&finished)) Die(error->ToString());
  return std::get<nlohmann::json>(finished);
}

const Side& SideOf(const benchmark::State& state) {
  return state.range(0) == 0 ? setup->in_process : setup->child;
}

void BM_Describe(benchmark::State& state) {
  bmil::PluginInstance instance = New(SideOf(state));
  for (auto _ : state) {
    auto described = instance.Describe();
    if (std::holds_alternative<bmil::CallError>(described)) {
      state.SkipWithError("describe failed");
      break;
    }
  }
  state.SetLabel(state.range(0) == 0 ? "in_process" : "child");
}

void BM_Add(benchmark::State& state) {
  bmil::PluginInstance instance = New(SideOf(state));
  for (auto _ : state) {
    for (const auto& flat : setup->flat) {
      if (auto error = instance.Add(flat->view())) {
        state.SkipWithError(error->ToString().c_str());
        return;
      }
    }
    if (std::holds_alternative<bmil::CallError>(instance.Save())) {
      state.SkipWithError("save failed");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(setup->flat.size()));
  state.SetLabel(state.range(0) == 0 ? "in_process" : "child");
}

BENCHMARK(BM_Describe)->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(BM_Add)->Arg(0)->Arg(1)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  setup = new Setup;
  Open(setup->in_process, bmil::Isolation::kInProcess);
  Open(setup->child, bmil::Isolation::kChild);
  setup->registry = setup->in_process.host.MakeRegistry();
  std::vector<bmil::CallError> failures;
  setup->config = bmil::AnalyzerConfig(setup->in_process.host, setup->registry, failures).dump();
  for (const auto& entry : fs::directory_iterator(fs::path(BMIL_SOURCE_DIR) / "examples/cases")) {
    if (entry.path().extension() != ".json") continue;
    auto loaded = bmil::LoadCaseFile(entry.path(), setup->registry);
    if (!loaded.ok()) Die(loaded.diagnostics.front().ToString());
    setup->cases.push_back(*loaded.value);
  }
  for (const auto& c : setup->cases)
    setup->flat.push_back(std::make_unique<bmil::FlatCase>(c, setup->registry));
  if (FinishAll(setup->in_process) != FinishAll(setup->child))
    Die("block_focus gives another result in a child: the comparison would mean nothing");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
