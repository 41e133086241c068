// Consequence models through the plugin boundary (issue 15; docs/scenarios.md):
//   BM_ValueFormulaEvaluate: the bundled value_formula model, loaded from this tree's plugin
//     directory, evaluating draws of the Aikon focus scenario (examples/scenarios) in one
//     thread through PluginInstance::Evaluate (the C ABI); items are draw-years (draws x
//     horizon). Goal: 10^6 draw-years per second on one core.
//   BM_Compare4x10000: the whole comparison of four columns (base and three scenarios) x
//     10,000 draws: prepare, sample (Latin hypercube, one correlation), evaluate, bands,
//     NPVs, tornado, rank sensitivity and P(best) / regret, in one thread.
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>

#include "io/bounded_read.hpp"
#include "scenario/apply.hpp"
#include "scenario/compare.hpp"
#include "scenario/consequences.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace bmil;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "scenario_bench: %s\n", why.c_str());
  std::exit(1);
}

struct Setup {
  PluginHost host;
  Registry registry;
  std::string base_text;
  std::vector<scenario::Scenario> scenarios;
};
Setup* setup = nullptr;

const fs::path kExamples = fs::path(BMIL_SOURCE_DIR) / "examples" / "scenarios";

void BM_ValueFormulaEvaluate(benchmark::State& state) {
  const LoadedPlugin* model = setup->host.Find("value_formula");
  scenario::ApplyResult applied =
      scenario::Apply(setup->scenarios[0], setup->base_text, "aikon-2010.json", setup->registry);
  if (!applied.value) Die("aikon-focus does not apply");
  const FlatCase flat(*applied.value, setup->registry);
  scenario::RunOptions options;
  options.years = 5;
  options.sampler.draws = 4096;
  auto prepared = scenario::PreparedScenario::Prepare(
      *model, flat.view(), &setup->scenarios[0].assumptions, "focus", options);
  if (std::holds_alternative<CallError>(prepared)) Die(std::get<CallError>(prepared).ToString());
  const scenario::Layout& layout = std::get<scenario::PreparedScenario>(prepared).layout();
  std::vector<scenario::SampledDriver> drivers;
  for (const auto& d : layout.drivers) drivers.push_back({d.id, &d.distribution});
  const scenario::Sample sample = scenario::Draw(drivers, {}, options.sampler);
  auto instance = std::get<PluginInstance>(model->Create());
  if (std::holds_alternative<CallError>(instance.Prepare(flat.view(), 2013, options.years)))
    Die("prepare failed");
  const std::size_t per_draw = layout.series.size() * options.years;
  std::vector<double> out(sample.draws * per_draw);
  for (auto _ : state) {
    if (auto error = instance.Evaluate(sample.values, layout.drivers.size(), out, per_draw))
      Die(error->ToString());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sample.draws) *
                          options.years);
  state.counters["series"] = static_cast<double>(layout.series.size());
}

void BM_Compare4x10000(benchmark::State& state) {
  scenario::CompareOptions options;
  options.sampler.draws = 10000;
  options.threads = 1;
  for (auto _ : state) {
    auto result = scenario::RunCompare(setup->host, setup->registry, "aikon-2010.json",
                                       setup->base_text, setup->scenarios, options);
    if (!result.report || !result.report->failures.empty()) Die("the comparison failed");
    benchmark::DoNotOptimize(result.report->comparison);
  }
  state.SetItemsProcessed(state.iterations() * 4 * 10000);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::vector<fs::path> dirs = {fs::path(BMIL_BINARY_DIR) / BMIL_PLUGIN_INSTALL_DIR};
  setup = new Setup{PluginHost::Scan(dirs), {}, {}, {}};
  setup->host.LoadAll();
  if (setup->host.Find("value_formula") == nullptr) Die("value_formula is not loaded");
  setup->registry = setup->host.MakeRegistry();
  auto base = ReadFileAtMost(kExamples / "aikon-2010.json", 16u << 20,
                             [](std::uintmax_t) { return std::string("too large"); });
  if (!base) Die("cannot read aikon-2010.json");
  setup->base_text = base.value();
  // The third scenario: focus again under another id (a fourth column).
  for (const char* name : {"aikon-focus", "aikon-keep", "aikon-focus"}) {
    auto read =
        scenario::ReadScenarioFile((kExamples / (std::string(name) + ".scenario.json")).string());
    if (!read.value) Die(std::string("cannot read ") + name);
    setup->scenarios.push_back(std::move(*read.value));
  }
  setup->scenarios[2].id = "aikon-focus-again";
  benchmark::RegisterBenchmark("BM_ValueFormulaEvaluate", BM_ValueFormulaEvaluate);
  benchmark::RegisterBenchmark("BM_Compare4x10000", BM_Compare4x10000)
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
