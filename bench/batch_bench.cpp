// Benchmarks of the batch path's parts, on 2,000 generated companies (bench/generate_cases.py
// --companies 2000 --seed 3), with the bundled plugins of the build tree:
//   BM_RecordParse/fast     FastCaseReader::Read, the fast path (simdjson into the flat view)
//   BM_RecordParse/loader   LoadCaseText + FlatCase, the validating loader it falls back to
//   BM_AnalyzerAdd/<id>     PluginInstance::Add of one case through the plugin boundary
//   BM_AnalyzerMerge/<id>   merging an instance holding 1,000 cases into a fresh one
//   BM_AnalyzerCreate/<id>  creating an instance with the engine's config
// The batch engine does each of these: it parses every record, adds it to the chunk's
// analyzer instances, creates those once per chunk (about 1,000 records of 4.7 KB) and
// merges them into the run. bench/README.md says how to read the figures.
#include <benchmark/benchmark.h>

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include "batch/fast_case_reader.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

constexpr int kCompanies = 2000;
constexpr int kSeed = 3;
// Cases per analyzer instance: about one 4 MiB chunk of the engine (4.7 KB a company).
constexpr std::size_t kChunkCases = 1000;
// Merges timed per analyzer (see BM_AnalyzerMerge).
constexpr benchmark::IterationCount kMergeIterations = 2000;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "bmil_bench_batch: %s\n", message.c_str());
  std::exit(1);
}

// The bundled plugins of the build tree, the registry they make and the engine's analyzer
// config. Set up once in main(), before the benchmarks are registered.
struct Plugins {
  bmil::PluginHost host;
  bmil::Registry registry;
  std::string config;
};
Plugins* plugins = nullptr;

// The generated records: the JSONL text followed by FastCaseReader::kPadding spaces, so that
// every record has the padding the fast path needs (the next records, then the spaces).
struct Corpus {
  std::string text;
  std::vector<std::string_view> records;              // one per line, without the newline
  std::vector<std::unique_ptr<bmil::FlatCase>> flat;  // the loader's view of each record
};

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

// Built on first use (a filtered run that needs no records does not generate them).
const Corpus& TheCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    c->text = Generate();
    const std::size_t size = c->text.size();
    c->text.append(bmil::FastCaseReader::kPadding, ' ');
    for (std::size_t begin = 0; begin < size;) {
      std::size_t end = c->text.find('\n', begin);
      if (end == std::string::npos || end > size) end = size;
      if (end > begin) c->records.push_back(std::string_view(c->text).substr(begin, end - begin));
      begin = end + 1;
    }
    if (c->records.size() != kCompanies) Die("the generator gave an unexpected record count");
    for (std::string_view record : c->records) {
      bmil::LoadResult loaded = bmil::LoadCaseText(record, "generated", plugins->registry);
      if (!loaded.ok())
        Die("a generated record does not load: " + loaded.diagnostics[0].ToString());
      c->flat.push_back(std::make_unique<bmil::FlatCase>(*loaded.value, plugins->registry));
    }
    return c;
  }();
  return *corpus;
}

bmil::PluginInstance NewInstance(const bmil::LoadedPlugin& plugin) {
  auto created = plugin.Create(plugins->config);
  if (auto* error = std::get_if<bmil::CallError>(&created)) Die(error->ToString());
  return std::move(std::get<bmil::PluginInstance>(created));
}

// ------------------------------------------------------------------ record parsing

// One record per iteration, cycling through the corpus. Counter `fast_accepted`: the share
// of records the fast path vouched for (1 on generated data; a declined record would go to
// the loader in the engine, and would make this figure meaningless).
void BM_RecordParse_Fast(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  bmil::FastCaseReader reader(plugins->registry);
  std::size_t i = 0;
  std::int64_t bytes = 0;
  std::int64_t accepted = 0;
  for (auto _ : state) {
    const std::string_view record = corpus.records[i];
    const bool ok = reader.Read(record);
    benchmark::DoNotOptimize(ok);
    accepted += ok;
    bytes += static_cast<std::int64_t>(record.size());
    if (++i == corpus.records.size()) i = 0;
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations());
  state.counters["fast_accepted"] =
      static_cast<double>(accepted) / static_cast<double>(state.iterations());
}

void BM_RecordParse_Loader(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const std::string_view record = corpus.records[i];
    bmil::LoadResult loaded = bmil::LoadCaseText(record, "generated", plugins->registry);
    if (!loaded.ok()) {
      state.SkipWithError("a generated record does not load");
      break;
    }
    bmil::FlatCase flat(*loaded.value, plugins->registry);
    benchmark::DoNotOptimize(flat.view().task_count);
    bytes += static_cast<std::int64_t>(record.size());
    if (++i == corpus.records.size()) i = 0;
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations());
}

// ------------------------------------------------------------------ analyzers

// One case per iteration through PluginInstance::Add, cycling through the corpus's views. As
// in the engine, an instance takes one chunk's cases: it is replaced by a fresh one every
// kChunkCases adds, outside the timing.
void BM_AnalyzerAdd(benchmark::State& state, const bmil::LoadedPlugin* plugin) {
  const Corpus& corpus = TheCorpus();
  bmil::PluginInstance instance = NewInstance(*plugin);
  std::size_t i = 0;
  std::size_t in_instance = 0;
  for (auto _ : state) {
    if (auto error = instance.Add(corpus.flat[i]->view())) {
      state.SkipWithError(error->ToString().c_str());
      break;
    }
    if (++i == corpus.flat.size()) i = 0;
    if (++in_instance == kChunkCases) {
      state.PauseTiming();
      instance = NewInstance(*plugin);
      in_instance = 0;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// One merge per iteration: an instance holding the first kChunkCases cases (built once) into
// a fresh instance (created outside the timing). Manual time: only the merge call counts, so
// the Time column is the merge and the CPU column is create + merge. A fixed iteration count
// (kMergeIterations, whatever --benchmark_min_time says): a merge can take under a
// microsecond, and reaching the minimum time in merges alone would mean hundreds of thousands
// of untimed creates (about 0.1 ms each).
void BM_AnalyzerMerge(benchmark::State& state, const bmil::LoadedPlugin* plugin) {
  const Corpus& corpus = TheCorpus();
  bmil::PluginInstance source = NewInstance(*plugin);
  for (std::size_t i = 0; i < kChunkCases; ++i) {
    if (auto error = source.Add(corpus.flat[i]->view())) Die(error->ToString());
  }
  for (auto _ : state) {
    bmil::PluginInstance target = NewInstance(*plugin);
    const auto start = std::chrono::steady_clock::now();
    auto error = target.Merge(source);
    const auto stop = std::chrono::steady_clock::now();
    if (error) {
      state.SkipWithError(error->ToString().c_str());
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cases_merged"] = static_cast<double>(kChunkCases);
}

// One Create(config) per iteration, with the config the engine gives analyzers (every line's
// descriptor). Manual time: the instance is destroyed outside the timing.
void BM_AnalyzerCreate(benchmark::State& state, const bmil::LoadedPlugin* plugin) {
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto created = plugin->Create(plugins->config);
    const auto stop = std::chrono::steady_clock::now();
    if (auto* error = std::get_if<bmil::CallError>(&created)) {
      state.SkipWithError(error->ToString().c_str());
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["config_bytes"] = static_cast<double>(plugins->config.size());
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  // The bundled plugins, as the tests load them: build/<preset>/lib/bmil/plugins.
  const std::vector<std::filesystem::path> dirs = {std::filesystem::path(BMIL_BINARY_DIR) /
                                                   BMIL_PLUGIN_INSTALL_DIR};
  plugins = new Plugins{bmil::PluginHost::Scan(dirs), {}, {}};
  plugins->host.LoadAll();
  for (const auto& record : plugins->host.records()) {
    if (record.status == bmil::PluginRecord::Status::kRefused)
      Die("plugin " + record.path.string() + " refused: " + record.reason);
  }
  plugins->registry = plugins->host.MakeRegistry();
  std::vector<bmil::CallError> failures;
  plugins->config = bmil::AnalyzerConfig(plugins->host, plugins->registry, failures).dump();
  if (!failures.empty()) Die(failures.front().ToString());

  benchmark::RegisterBenchmark("BM_RecordParse/fast", BM_RecordParse_Fast);
  benchmark::RegisterBenchmark("BM_RecordParse/loader", BM_RecordParse_Loader);
  std::vector<const bmil::LoadedPlugin*> analyzers;
  for (const auto& plugin : plugins->host.loaded()) {
    if (plugin->is_analyzer()) analyzers.push_back(plugin.get());
  }
  if (analyzers.empty()) Die("no analyzer plugin under " + dirs[0].string());
  for (const auto* plugin : analyzers) {
    benchmark::RegisterBenchmark(("BM_AnalyzerAdd/" + plugin->id()).c_str(), BM_AnalyzerAdd,
                                 plugin);
  }
  for (const auto* plugin : analyzers) {
    benchmark::RegisterBenchmark(("BM_AnalyzerMerge/" + plugin->id()).c_str(), BM_AnalyzerMerge,
                                 plugin)
        ->UseManualTime()
        ->Iterations(kMergeIterations)
        ->Unit(benchmark::kMicrosecond);
  }
  for (const auto* plugin : analyzers) {
    benchmark::RegisterBenchmark(("BM_AnalyzerCreate/" + plugin->id()).c_str(), BM_AnalyzerCreate,
                                 plugin)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
