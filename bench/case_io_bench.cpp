// Benchmarks of the document path: parsing with locations, validating into the model,
// laying out the flat view, and writing. Run: make bench (or build/release/bin/bmil_bench_case_io).
#include <benchmark/benchmark.h>

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>

#include "io/json_document.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

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

// Also reports the bytes the parsed document holds per byte of text (issue 14).
void BM_ParseJson_Kellpo(benchmark::State& state) {
  const std::string text = ReadExample("kellpo.json");
  for (auto _ : state) benchmark::DoNotOptimize(bmil::ParseJson(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  const auto parsed = bmil::ParseJson(text);
  if (const auto* document = std::get_if<bmil::JsonDocument>(&parsed)) {
    state.counters["held_per_text_byte"] =
        static_cast<double>(document->memory_bytes()) / static_cast<double>(text.size());
  } else {
    state.SkipWithError("kellpo.json is not valid JSON");
  }
}
BENCHMARK(BM_ParseJson_Kellpo);

// location() is computed on demand from the value's offset (a scan from the last 4 KiB
// checkpoint): the cost of asking it of every value and key, as a report of every problem
// in a document would at worst.
void BM_JsonLocations_Kellpo(benchmark::State& state) {
  const std::string text = ReadExample("kellpo.json");
  auto parsed = bmil::ParseJson(text);
  const auto* document = std::get_if<bmil::JsonDocument>(&parsed);
  if (document == nullptr) {
    state.SkipWithError("kellpo.json is not valid JSON");
    return;
  }
  std::int64_t located = 0;
  for (auto _ : state) {
    std::vector<bmil::JsonValue> stack{document->root()};
    while (!stack.empty()) {
      const bmil::JsonValue value = stack.back();
      stack.pop_back();
      benchmark::DoNotOptimize(value.location());
      ++located;
      for (const bmil::JsonValue item : value.items()) stack.push_back(item);
      for (const bmil::JsonMember member : value.members()) {
        benchmark::DoNotOptimize(member.key_location());
        ++located;
        stack.push_back(member.value());
      }
    }
  }
  state.SetItemsProcessed(located);
}
BENCHMARK(BM_JsonLocations_Kellpo);

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
