// ViewGuard (model/view_guard.hpp): every byte a case view points at is guarded. Each string
// and each table of the example cases' views is written into, one byte at a time, and each
// write is found, counted and put back.
#include "model/view_guard.hpp"

#include "batch/fast_case_reader.hpp"

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bmil {
namespace {

namespace fs = std::filesystem;

Registry BundledRegistry() {
  const std::vector<fs::path> dirs = {fs::path(BMIL_BINARY_DIR) / "lib/bmil/plugins"};
  return PluginHost::Scan(dirs).MakeRegistry();
}

// Where a plugin could write: the first byte of every non-empty string and table the view
// reaches, named for the failure message.
std::vector<std::pair<std::string, char*>> Places(const bmil_case_view& v) {
  std::vector<std::pair<std::string, char*>> out;
  auto at = [&](std::string name, const void* p, std::size_t size) {
    if (p != nullptr && size > 0)
      out.push_back({std::move(name), const_cast<char*>(static_cast<const char*>(p))});
  };
  auto str = [&](const std::string& name, const bmil_str& s) { at(name, s.data, s.size); };
  auto strs = [&](const std::string& name, const bmil_str* list, std::uint32_t n) {
    at(name, list, n);
    for (std::uint32_t i = 0; i < n; ++i) str(name + "[" + std::to_string(i) + "]", list[i]);
  };
  at("view", &v, sizeof v);
  str("id", v.id);
  str("name", v.name);
  str("industry", v.industry);
  str("country", v.country);
  str("attributes", v.attributes_json);
  strs("block_ids", v.block_ids, v.block_count);
  strs("line_ids", v.line_ids, v.line_count);
  at("portfolios", v.portfolios, v.portfolio_count);
  for (std::uint32_t i = 0; i < v.portfolio_count; ++i) {
    str("portfolio.id", v.portfolios[i].id);
    str("portfolio.name", v.portfolios[i].name);
  }
  at("models", v.business_models, v.business_model_count);
  for (std::uint32_t i = 0; i < v.business_model_count; ++i) {
    const auto& m = v.business_models[i];
    const std::string p = "model " + std::to_string(i) + ".";
    str(p + "id", m.id);
    str(p + "name", m.name);
    str(p + "description", m.description);
    str(p + "attributes", m.attributes_json);
    str(p + "currency", m.value_formula.currency);
    at(p + "industries", m.industries, m.industry_count);
    for (std::uint32_t k = 0; k < m.industry_count; ++k) str(p + "industry", m.industries[k].id);
    at(p + "carried_by", m.carried_by, m.carried_by_count);
    at(p + "blocks", m.blocks, v.block_count);
    for (std::uint32_t b = 0; b < v.block_count; ++b) {
      str(p + "block.description", m.blocks[b].description);
      strs(p + "block.items", m.blocks[b].items, m.blocks[b].item_count);
    }
  }
  at("tasks", v.tasks, v.task_count);
  for (std::uint32_t i = 0; i < v.task_count; ++i) {
    str("task.id", v.tasks[i].id);
    str("task.description", v.tasks[i].description);
    str("task.attributes", v.tasks[i].attributes_json);
  }
  strs("goals", v.strategy.goals, v.strategy.goal_count);
  return out;
}

// Whether `p` lies in writable memory (/proc/self/maps): a string a view points at may be a
// constant in read-only memory ("{}"), where a plugin's write faults instead.
bool Writable(const void* p) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  while (std::getline(maps, line)) {
    std::uintptr_t begin = 0, end = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s", &begin, &end, perms) == 3 && at >= begin &&
        at < end) {
      return perms[1] == 'w';
    }
  }
  return false;
}

TEST(ViewGuard, FindsCountsAndPutsBackAWriteAnywhereInTheView) {
  const Registry registry = BundledRegistry();
  std::size_t places_tried = 0;
  for (const auto& file : fs::directory_iterator(fs::path(BMIL_SOURCE_DIR) / "examples/cases")) {
    if (file.path().extension() != ".json") continue;
    const LoadResult loaded = LoadCaseFile(file.path(), registry);
    ASSERT_TRUE(loaded.ok()) << file.path();
    const FlatCase flat(*loaded.value, registry);
    ViewGuard guard;
    guard.Take(flat.view());
    EXPECT_EQ(guard.CheckAndRestore(), 0u);  // nothing written yet
    for (const auto& [name, byte] : Places(flat.view())) {
      const char before = *byte;
      *byte = static_cast<char>(before ^ 0x5a);
      EXPECT_EQ(guard.CheckAndRestore(), 1u) << file.path().filename() << ": " << name;
      EXPECT_EQ(*byte, before) << name << " was not put back";
      ++places_tried;
    }
    // Two writes in two places: both counted (the hostile fixture's pair).
    auto* model = const_cast<bmil_business_model_view*>(flat.view().business_models);
    const std::uint32_t state = model->state;
    model->state = state == BMIL_STATE_TO_BE ? BMIL_STATE_AS_IS : BMIL_STATE_TO_BE;
    const_cast<char*>(flat.view().name.data)[0] ^= 1;
    EXPECT_EQ(guard.CheckAndRestore(), 2u);
    EXPECT_EQ(model->state, state);
  }
  EXPECT_GT(places_tried, 500u);  // the five examples reach hundreds of strings and tables
}

// The batch fast path's views: their strings are guarded as one range of the parser's string
// buffer, their ids as one range of the reader's ids; a check is a handful of memcmp calls,
// and still every write is found.
TEST(ViewGuard, FastPathViewsAreAFewRangesAndEveryWriteIsStillFound) {
  const Registry registry = BundledRegistry();
  FastCaseReader reader(registry);
  std::size_t places_tried = 0;
  for (const auto& file : fs::directory_iterator(fs::path(BMIL_SOURCE_DIR) / "examples/cases")) {
    if (file.path().extension() != ".json") continue;
    std::ostringstream text;
    text << std::ifstream(file.path()).rdbuf();
    std::string buffer = text.str();
    const std::size_t size = buffer.size();
    buffer.append(FastCaseReader::kPadding, ' ');
    ASSERT_TRUE(reader.Read(std::string_view(buffer.data(), size))) << file.path();
    ViewGuard guard;
    guard.Take(reader.view(), reader.StringRegion());
    // Far fewer ranges than strings and tables: the tables, the ids, the string buffer and
    // the attributes' texts, not one per string.
    EXPECT_LT(guard.ranges() * 5, Places(reader.view()).size()) << file.path().filename();
    EXPECT_LE(guard.ranges(), 32u) << file.path().filename();
    EXPECT_EQ(guard.CheckAndRestore(), 0u);
    for (const auto& [name, byte] : Places(reader.view())) {
      if (!Writable(byte)) continue;  // the constant "{}" of absent attributes
      const char before = *byte;
      *byte = static_cast<char>(before ^ 0x5a);
      EXPECT_EQ(guard.CheckAndRestore(), 1u) << file.path().filename() << ": " << name;
      EXPECT_EQ(*byte, before) << name << " was not put back";
      ++places_tried;
    }
  }
  EXPECT_GT(places_tried, 500u);
}

TEST(ViewGuard, MessageCountsTheBytes) {
  EXPECT_EQ(ViewWriteMessage(1),
            "wrote into the read-only case view (1 byte changed; put back before any other "
            "plugin read it)");
  EXPECT_EQ(ViewWriteMessage(2).substr(0, 44), "wrote into the read-only case view (2 bytes ");
}

}  // namespace
}  // namespace bmil
