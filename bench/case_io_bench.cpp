// Benchmarks of the document path: parsing with locations, validating into the model,
// laying out the flat view, and writing. Run: make bench (or build/release/bin/bmil_bench_case_io).
#include <benchmark/benchmark.h>

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>

#include "io/json_document.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string ReadExample(const char* name) {
  std::ifstream in(std::string(BMIL_SOURCE_DIR) + "/examples/cases/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bmil::Registry SevenLines() {
  bmil::Registry registry;
  for (const char* line :
       {"value", "customer", "value_chain", "competence", "network", "relation", "process"}) {
    registry.AddLine({line, line, "", ""});
  }
  return registry;
}

void BM_ParseJson_Kellpo(benchmark::State& state) {
  const std::string text = ReadExample("kellpo.json");
  for (auto _ : state) benchmark::DoNotOptimize(bmil::ParseJson(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseJson_Kellpo);

void BM_LoadCase_Kellpo(benchmark::State& state) {
  const std::string text = ReadExample("kellpo.json");
  const bmil::Registry registry = SevenLines();
  for (auto _ : state) {
    bmil::LoadResult result = bmil::LoadCaseText(text, "kellpo.json", registry);
    if (!result.ok()) state.SkipWithError("kellpo.json does not load");
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LoadCase_Kellpo);

void BM_FlatCase_Kellpo(benchmark::State& state) {
  const bmil::Registry registry = SevenLines();
  const bmil::LoadResult loaded =
      bmil::LoadCaseText(ReadExample("kellpo.json"), "kellpo.json", registry);
  if (!loaded.ok()) {
    state.SkipWithError("kellpo.json does not load");
    return;
  }
  for (auto _ : state) {
    bmil::FlatCase flat(*loaded.value, registry);
    benchmark::DoNotOptimize(flat.view().task_count);
  }
}
BENCHMARK(BM_FlatCase_Kellpo);

void BM_WriteCase_Kellpo(benchmark::State& state) {
  const bmil::Registry registry = SevenLines();
  const bmil::LoadResult loaded =
      bmil::LoadCaseText(ReadExample("kellpo.json"), "kellpo.json", registry);
  if (!loaded.ok()) {
    state.SkipWithError("kellpo.json does not load");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(bmil::WriteCaseText(*loaded.value));
}
BENCHMARK(BM_WriteCase_Kellpo);

}  // namespace

BENCHMARK_MAIN();
