// The accumulator contract of every analyzer plugin that is built, old or new: for seeded
// random case sets A and B, merge(analyze(A), analyze(B)) through save/load equals
// analyze(A ∪ B).
#include "plugins/analyzer_harness.hpp"

#include <bmil/case_io.hpp>

#include <gtest/gtest.h>

namespace bmil::test {
namespace {

std::vector<std::string> AnalyzerIds() {
  std::vector<std::string> ids;
  for (const auto& plugin : BuiltPlugins().loaded())
    if (plugin->is_analyzer()) ids.push_back(plugin->id());
  return ids;
}

TEST(AccumulatorProperty, EveryAnalyzerMergesLikeOneRun) {
  const std::vector<std::string> ids = AnalyzerIds();
  ASSERT_FALSE(ids.empty());
  for (unsigned seed = 1; seed <= 25; ++seed) {
    std::mt19937 rng(seed);
    std::vector<Case> cases;
    const int count = std::uniform_int_distribution<int>(1, 8)(rng);
    for (int i = 0; i < count; ++i) cases.push_back(RandomCase(rng, "b" + std::to_string(i)));
    const std::size_t split = std::uniform_int_distribution<std::size_t>(0, cases.size())(rng);
    for (const auto& id : ids) {
      const nlohmann::json whole = RunAnalyzer(id, cases);
      const nlohmann::json merged = RunAnalyzerSplit(id, cases, split);
      ASSERT_FALSE(whole.is_null()) << id;
      EXPECT_EQ(merged, whole) << "analyzer " << id << ", seed " << seed << ", split " << split
                               << " of " << cases.size();
    }
  }
}

// load() replaces the whole state (bmil/abi.h), which `bmil batch` relies on to reuse a
// chunk's instances: an instance that has seen cases A, then is loaded with the state it
// saved when new, must analyze B and merge like a fresh instance. Also Merge() from a reused
// instance into one holding A must give analyze(A ∪ B).
TEST(AccumulatorProperty, LoadOfTheEmptyStateResetsAUsedInstance) {
  const std::vector<std::string> ids = AnalyzerIds();
  ASSERT_FALSE(ids.empty());
  for (unsigned seed = 101; seed <= 115; ++seed) {
    std::mt19937 rng(seed);
    std::vector<Case> a, b;
    const int count_a = std::uniform_int_distribution<int>(1, 6)(rng);
    const int count_b = std::uniform_int_distribution<int>(1, 6)(rng);
    for (int i = 0; i < count_a; ++i) a.push_back(RandomCase(rng, "a" + std::to_string(i)));
    for (int i = 0; i < count_b; ++i) b.push_back(RandomCase(rng, "b" + std::to_string(i)));
    std::vector<Case> both = a;
    both.insert(both.end(), b.begin(), b.end());
    for (const auto& id : ids) {
      PluginInstance reused = NewInstance(id);
      auto empty = reused.Save();
      ASSERT_TRUE(std::holds_alternative<std::string>(empty)) << id;
      AddAll(reused, a);
      // Also a result taken in between must not leave anything behind.
      ASSERT_FALSE(FinishOf(reused).is_null()) << id;
      ASSERT_FALSE(reused.Load(std::get<std::string>(empty)).has_value()) << id;
      EXPECT_EQ(FinishOf(reused), RunAnalyzer(id, {})) << "analyzer " << id << ", seed " << seed;
      AddAll(reused, b);
      EXPECT_EQ(FinishOf(reused), RunAnalyzer(id, b)) << "analyzer " << id << ", seed " << seed;
      PluginInstance first = NewInstance(id);
      AddAll(first, a);
      ASSERT_FALSE(first.Merge(reused).has_value()) << id;
      EXPECT_EQ(FinishOf(first), RunAnalyzer(id, both)) << "analyzer " << id << ", seed " << seed;
    }
  }
}

TEST(AccumulatorProperty, RandomCasesAreValidCases) {
  // The generator must only make cases the loader accepts, or the property proves nothing.
  // Written out and loaded back, each must validate and give the same model.
  std::mt19937 rng(7);
  for (int i = 0; i < 50; ++i) {
    const Case c = RandomCase(rng, "b" + std::to_string(i));
    const LoadResult loaded = LoadCaseText(WriteCaseText(c), "random.json", BuiltRegistry());
    ASSERT_TRUE(loaded.ok()) << i << ": " << loaded.diagnostics.front().ToString();
    EXPECT_EQ(*loaded.value, c) << i;
  }
}

}  // namespace
}  // namespace bmil::test
