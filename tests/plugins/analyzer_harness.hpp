// Test harness for analyzer plugins: loads the built plugins from disk once, builds cases by
// hand, and runs an analyzer through the C ABI the way the engine does (same config, or that
// config with listing caps), in one piece or split, saved, loaded and merged.
#ifndef BMIL_TESTS_PLUGINS_ANALYZER_HARNESS_HPP_
#define BMIL_TESTS_PLUGINS_ANALYZER_HARNESS_HPP_

#include <bmil/analysis.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/model.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>
#include <filesystem>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace bmil::test {

// The plugins built into build/<preset>/lib/bmil/plugins, scanned and loaded once.
inline const PluginHost& BuiltPlugins() {
  static const PluginHost* host = [] {
    const std::vector<std::filesystem::path> dirs = {std::filesystem::path(BMIL_BINARY_DIR) /
                                                     BMIL_PLUGIN_INSTALL_DIR};
    auto* h = new PluginHost(PluginHost::Scan(dirs));
    h->LoadAll();
    return h;
  }();
  return *host;
}

inline const Registry& BuiltRegistry() {
  static const Registry registry = BuiltPlugins().MakeRegistry();
  return registry;
}

// The config the engine gives analyzers ({"lines": [...line descriptors...]}).
inline const std::string& BuiltAnalyzerConfig() {
  static const std::string config = [] {
    std::vector<CallError> failures;
    std::string c = AnalyzerConfig(BuiltPlugins(), BuiltRegistry(), failures).dump();
    EXPECT_TRUE(failures.empty());
    return c;
  }();
  return config;
}

// The config the engine gives analyzers with the member {"listing": listing} (what bmil
// --max-rows N and --all add): e.g. {"max_rows": 2} or {"all": true}.
inline std::string ListingConfig(const nlohmann::json& listing) {
  nlohmann::json config = nlohmann::json::parse(BuiltAnalyzerConfig());
  config["listing"] = listing;
  return config.dump();
}

// ------------------------------------------------------------------ building cases by hand

// A business with no models yet. `id` also names it.
inline Case MakeCase(const std::string& id) {
  Case c;
  c.business.id = id;
  c.business.name = id;
  return c;
}

inline BusinessModel& AddModel(Case& c, const std::string& id, State state,
                               Stage stage = Stage::kUnstated) {
  BusinessModel bm;
  bm.id = id;
  bm.name = id;
  bm.state = state;
  bm.stage = stage;
  c.business_models.push_back(std::move(bm));
  return c.business_models.back();
}

// A task on model `bm` touching `blocks` through `lines`, started in `start` ("2010" or "").
inline BmiTask& AddTask(Case& c, const std::string& id, const std::string& bm,
                        std::vector<std::string> blocks, std::vector<std::string> lines,
                        const std::string& start = "") {
  BmiTask t;
  t.id = id;
  t.business_model = bm;
  t.building_blocks = std::move(blocks);
  t.leadership_lines = std::move(lines);
  t.period.start = start;
  c.bmi_tasks.push_back(std::move(t));
  return c.bmi_tasks.back();
}

// A case view built by hand with its own registered line and block ids (the harness's cases
// all register the bundled plugins' ids in one order): AS IS models that describe no block,
// and tasks given by the bit indices of their lines and blocks (and their years, 0 when not
// stated).
class RawCase {
 public:
  RawCase(std::string id, std::vector<std::string> lines, std::vector<std::string> blocks)
      : id_(std::move(id)), lines_(std::move(lines)), blocks_(std::move(blocks)) {}
  void AddModel(const std::string& id) { model_ids_.push_back(id); }
  void AddTask(std::uint32_t model, bmil_set lines, bmil_set blocks, int start_year = 0,
               int end_year = 0) {
    bmil_task_view t{};
    t.struct_size = sizeof(bmil_task_view);
    t.id = Str(task_ids_.emplace_back("t" + std::to_string(task_ids_.size())));
    t.business_model = model;
    t.lines = lines;
    t.blocks = blocks;
    t.start_year = start_year;
    t.end_year = end_year;
    t.effort = -1;
    tasks_.push_back(t);
  }
  // The view; valid while this RawCase lives and is not changed.
  const bmil_case_view& view() {
    line_strs_.clear();
    block_strs_.clear();
    models_.clear();
    for (const auto& l : lines_) line_strs_.push_back(Str(l));
    for (const auto& b : blocks_) block_strs_.push_back(Str(b));
    for (const auto& m : model_ids_) {
      bmil_business_model_view bm{};
      bm.struct_size = sizeof(bmil_business_model_view);
      bm.id = Str(m);
      bm.name = Str(m);
      bm.state = BMIL_STATE_AS_IS;
      bm.portfolio = BMIL_NO_INDEX;
      models_.push_back(bm);
    }
    for (std::size_t t = 0; t < tasks_.size(); ++t) tasks_[t].id = Str(task_ids_[t]);
    view_ = bmil_case_view{};
    view_.struct_size = sizeof(bmil_case_view);
    view_.format_major = 1;
    view_.id = Str(id_);
    view_.name = Str(id_);
    view_.block_ids = block_strs_.data();
    view_.block_count = static_cast<std::uint32_t>(block_strs_.size());
    view_.line_ids = line_strs_.data();
    view_.line_count = static_cast<std::uint32_t>(line_strs_.size());
    view_.business_models = models_.data();
    view_.business_model_count = static_cast<std::uint32_t>(models_.size());
    view_.business_model_size = sizeof(bmil_business_model_view);
    view_.tasks = tasks_.data();
    view_.task_count = static_cast<std::uint32_t>(tasks_.size());
    view_.task_size = sizeof(bmil_task_view);
    return view_;
  }

 private:
  static bmil_str Str(const std::string& s) { return {s.data(), s.size()}; }
  std::string id_;
  std::vector<std::string> lines_, blocks_, model_ids_;
  std::deque<std::string> task_ids_;  // stable addresses
  std::vector<bmil_task_view> tasks_;
  std::vector<bmil_str> line_strs_, block_strs_;
  std::vector<bmil_business_model_view> models_;
  bmil_case_view view_{};
};

// ------------------------------------------------------------------ running an analyzer

inline const LoadedPlugin& Analyzer(const std::string& id) {
  const LoadedPlugin* plugin = BuiltPlugins().Find(id);
  if (plugin == nullptr || !plugin->is_analyzer()) {
    ADD_FAILURE() << "analyzer plugin \"" << id << "\" is not built/loaded";
    std::abort();
  }
  return *plugin;
}

// A new instance of analyzer `id` created with `config` (by default the engine's).
inline PluginInstance NewInstance(const std::string& id,
                                  const std::string& config = BuiltAnalyzerConfig()) {
  auto created = Analyzer(id).Create(config);
  if (auto* error = std::get_if<CallError>(&created)) {
    ADD_FAILURE() << error->ToString();
    std::abort();
  }
  return std::move(std::get<PluginInstance>(created));
}

inline void AddAll(PluginInstance& instance, std::span<const Case> cases) {
  for (const Case& c : cases) {
    FlatCase flat(c, BuiltRegistry());
    if (auto error = instance.Add(flat.view())) ADD_FAILURE() << error->ToString();
  }
}

inline nlohmann::json FinishOf(PluginInstance& instance) {
  auto finished = instance.Finish();
  if (auto* error = std::get_if<CallError>(&finished)) {
    ADD_FAILURE() << error->ToString();
    return nullptr;
  }
  return std::get<nlohmann::json>(finished);
}

// The instance's saved state, parsed; null (and a test failure) when save() fails.
inline nlohmann::json SavedState(PluginInstance& instance) {
  auto saved = instance.Save();
  if (auto* error = std::get_if<CallError>(&saved)) {
    ADD_FAILURE() << error->ToString();
    return nullptr;
  }
  return nlohmann::json::parse(std::get<std::string>(saved));
}

// The analyzer's result over `cases`, added in order to one instance (created with `config`).
inline nlohmann::json RunAnalyzer(const std::string& id, std::span<const Case> cases,
                                  const std::string& config = BuiltAnalyzerConfig()) {
  PluginInstance instance = NewInstance(id, config);
  AddAll(instance, cases);
  return FinishOf(instance);
}

// Two instances of analyzer `id` (created with `config`), given their cases by
// add_first(instance) and add_second(instance); each saved and loaded into a fresh instance;
// the second merged into the first. Returns that first instance, which by the accumulator
// contract holds what one instance given both parts would.
template <typename AddFirst, typename AddSecond>
PluginInstance MergedThroughSavedStates(const std::string& id, AddFirst add_first,
                                        AddSecond add_second,
                                        const std::string& config = BuiltAnalyzerConfig()) {
  PluginInstance first = NewInstance(id, config);
  PluginInstance second = NewInstance(id, config);
  add_first(first);
  add_second(second);
  auto reload = [&](PluginInstance& from) {
    PluginInstance fresh = NewInstance(id, config);
    auto saved = from.Save();
    if (auto* error = std::get_if<CallError>(&saved)) {
      ADD_FAILURE() << error->ToString();
      return fresh;
    }
    if (auto error = fresh.Load(std::get<std::string>(saved))) ADD_FAILURE() << error->ToString();
    return fresh;
  };
  PluginInstance a = reload(first);
  PluginInstance b = reload(second);
  if (auto error = a.Merge(b)) ADD_FAILURE() << error->ToString();
  return a;
}

// The analyzer's result over `cases` split at `k` (MergedThroughSavedStates of cases[0, k)
// and the rest). By the accumulator contract this equals RunAnalyzer(id, cases, config).
inline nlohmann::json RunAnalyzerSplit(const std::string& id, std::span<const Case> cases,
                                       std::size_t k,
                                       const std::string& config = BuiltAnalyzerConfig()) {
  PluginInstance merged = MergedThroughSavedStates(
      id, [&](PluginInstance& i) { AddAll(i, cases.subspan(0, k)); },
      [&](PluginInstance& i) { AddAll(i, cases.subspan(k)); }, config);
  return FinishOf(merged);
}

// For every split of `cases` at k (0 to all), RunAnalyzerSplit equals `expected`.
inline void ExpectEverySplitEquals(const std::string& id, std::span<const Case> cases,
                                   const nlohmann::json& expected,
                                   const std::string& config = BuiltAnalyzerConfig()) {
  for (std::size_t k = 0; k <= cases.size(); ++k)
    EXPECT_EQ(RunAnalyzerSplit(id, cases, k, config), expected) << id << ": split at " << k;
}

// For every split of `cases` at k: instances holding cases[0, k) and the rest, merged in
// memory, and an instance loaded with the first part's saved state that then adds the
// rest, must both save `whole_state` and finish with `whole_result` (those of one instance
// given every case).
inline void ExpectEverySplitMergesAndLoadsLikeOneRun(const std::string& id,
                                                     std::span<const Case> cases,
                                                     const nlohmann::json& whole_state,
                                                     const nlohmann::json& whole_result) {
  for (std::size_t k = 0; k <= cases.size(); ++k) {
    PluginInstance first = NewInstance(id);
    PluginInstance second = NewInstance(id);
    AddAll(first, cases.subspan(0, k));
    AddAll(second, cases.subspan(k));
    PluginInstance loaded = NewInstance(id);
    ASSERT_FALSE(loaded.Load(SavedState(first).dump()).has_value()) << id;
    AddAll(loaded, cases.subspan(k));
    ASSERT_FALSE(first.Merge(second).has_value()) << id;
    EXPECT_EQ(SavedState(first), whole_state) << id << ": merged, split at " << k;
    EXPECT_EQ(FinishOf(first), whole_result) << id << ": merged, split at " << k;
    EXPECT_EQ(SavedState(loaded), whole_state) << id << ": loaded, split at " << k;
    EXPECT_EQ(FinishOf(loaded), whole_result) << id << ": loaded, split at " << k;
  }
}

// ------------------------------------------------------------------ reading results

inline const nlohmann::json* FindById(const nlohmann::json& array, const std::string& id) {
  for (const auto& item : array)
    if (item.value("id", "") == id) return &item;
  return nullptr;
}

// The value of metric `id`, or NaN (and a test failure) when absent.
inline double Metric(const nlohmann::json& result, const std::string& id) {
  const nlohmann::json* m = FindById(result.at("metrics"), id);
  if (m == nullptr || !m->at("value").is_number()) {
    ADD_FAILURE() << "no numeric metric \"" << id << "\"";
    return std::nan("");
  }
  return m->at("value").get<double>();
}

inline const nlohmann::json& Table(const nlohmann::json& result, const std::string& id) {
  const nlohmann::json* t = FindById(result.at("tables"), id);
  if (t == nullptr) {
    ADD_FAILURE() << "no table \"" << id << "\"";
    static const nlohmann::json kEmpty = {{"columns", nlohmann::json::array()},
                                          {"rows", nlohmann::json::array()}};
    return kEmpty;
  }
  return *t;
}

// The codes of the findings, in order.
inline std::vector<std::string> FindingCodes(const nlohmann::json& result) {
  std::vector<std::string> codes;
  for (const auto& f : result.at("findings")) codes.push_back(f.at("code").get<std::string>());
  return codes;
}

// The findings with code `code`, in order.
inline std::vector<nlohmann::json> FindingsCoded(const nlohmann::json& result,
                                                 const std::string& code) {
  std::vector<nlohmann::json> found;
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code) found.push_back(f);
  return found;
}

// The "businesses" of a finding (result model 1.2); empty when it has none. The member is
// written only when not empty: an empty array is a test failure.
inline std::vector<std::string> BusinessesOf(const nlohmann::json& finding) {
  if (!finding.contains("businesses")) return {};
  EXPECT_FALSE(finding.at("businesses").empty()) << finding.dump();
  return finding.at("businesses").get<std::vector<std::string>>();
}

// The "businesses" of every finding of `result`, in order.
inline std::vector<std::vector<std::string>> FindingBusinesses(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> out;
  for (const auto& f : result.at("findings")) out.push_back(BusinessesOf(f));
  return out;
}

// ------------------------------------------------------------------ random cases

// A seeded random case: 1-6 models (AS IS / TO BE, stages, industries, value formulas),
// 0-12 tasks over 2008-2012 with 1-3 blocks and 1-3 lines each (value proposition and
// customers, and the customer, network and value lines, drawn more often, as in the
// paper), random actions, levels, phases, statuses, stances and perspectives, portfolios
// and carried_by links, and a strategy. Valid against BuiltRegistry().
Case RandomCase(std::mt19937& rng, const std::string& id);

}  // namespace bmil::test

#endif  // BMIL_TESTS_PLUGINS_ANALYZER_HARNESS_HPP_
