// Tests of the runner protocol's encoding (runner/wire.hpp) and its frames on a socket
// (runner/channel.hpp): a case view survives the wire field by field, the layout is the one
// documented, and a malformed input is refused with a reason, never read past its end.
#include "runner/wire.hpp"
#include "model/view_guard.hpp"
#include "runner/channel.hpp"

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// ----------------------------------------------------------------------------- helpers

bmil_str Str(const char* text) { return {text, std::strlen(text)}; }

std::string Text(bmil_str s) { return s.size == 0 ? std::string() : std::string(s.data, s.size); }

// The element `i` of an array walked by its element size, as the ABI says to walk them.
template <typename T>
const T& Element(const T* base, std::uint32_t element_size, std::uint32_t i) {
  return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(base) +
                                     std::size_t{i} * element_size);
}

// Every field of a case view, as (path, value) in layout order: the struct sizes, each string
// by its text, each number exactly (a double by its bits), each array's count and elements.
using Fields = std::vector<std::pair<std::string, std::string>>;

class FieldWalker {
 public:
  Fields Walk(const bmil_case_view& v) {
    fields_.clear();
    Number("struct_size", v.struct_size);
    Number("format_major", v.format_major);
    Number("format_minor", v.format_minor);
    String("id", v.id);
    String("name", v.name);
    String("industry", v.industry);
    String("country", v.country);
    Number("size", v.size);
    Number("founded", v.founded);
    String("attributes_json", v.attributes_json);
    Strings("block_ids", v.block_ids, v.block_count);
    Strings("line_ids", v.line_ids, v.line_count);
    Number("portfolio_count", v.portfolio_count);
    Number("portfolio_size", v.portfolio_size);
    for (std::uint32_t i = 0; i < v.portfolio_count; ++i) {
      const auto& p = Element(v.portfolios, v.portfolio_size, i);
      const std::string at = "portfolios[" + std::to_string(i) + "].";
      String(at + "id", p.id);
      String(at + "name", p.name);
    }
    Number("business_model_count", v.business_model_count);
    Number("business_model_size", v.business_model_size);
    for (std::uint32_t i = 0; i < v.business_model_count; ++i) {
      Model("business_models[" + std::to_string(i) + "].",
            Element(v.business_models, v.business_model_size, i), v.block_count);
    }
    Number("task_count", v.task_count);
    Number("task_size", v.task_size);
    for (std::uint32_t i = 0; i < v.task_count; ++i) {
      Task("tasks[" + std::to_string(i) + "].", Element(v.tasks, v.task_size, i));
    }
    const bmil_strategy_view& s = v.strategy;
    Number("strategy.struct_size", s.struct_size);
    Number("strategy.explicit_strategy", s.explicit_strategy);
    Number("strategy.structured_process", s.structured_process);
    Number("strategy.skills", s.skills);
    Number("strategy.lines", s.lines);
    Strings("strategy.goals", s.goals, s.goal_count);
    return std::move(fields_);
  }

 private:
  void Model(const std::string& at, const bmil_business_model_view& m, std::uint32_t block_count) {
    Number(at + "struct_size", m.struct_size);
    String(at + "id", m.id);
    String(at + "name", m.name);
    Number(at + "state", m.state);
    Number(at + "stage", m.stage);
    Number(at + "portfolio", m.portfolio);
    Number(at + "industry_count", m.industry_count);
    for (std::uint32_t i = 0; i < m.industry_count; ++i) {
      const std::string in = at + "industries[" + std::to_string(i) + "].";
      String(in + "id", m.industries[i].id);
      Number(in + "status", m.industries[i].status);
    }
    for (std::uint32_t b = 0; b < block_count; ++b) {
      const bmil_block_view& block = m.blocks[b];
      const std::string in = at + "blocks[" + std::to_string(b) + "].";
      Number(in + "struct_size", block.struct_size);
      Number(in + "forms", block.forms);
      Number(in + "present", block.present);
      String(in + "description", block.description);
      Strings(in + "items", block.items, block.item_count);
    }
    const bmil_value_formula_view& f = m.value_formula;
    Number(at + "value_formula.struct_size", f.struct_size);
    Number(at + "value_formula.has_revenue", f.has_revenue);
    Number(at + "value_formula.has_cost", f.has_cost);
    Number(at + "value_formula.has_users", f.has_users);
    Number(at + "value_formula.has_customers", f.has_customers);
    Double(at + "value_formula.revenue", f.revenue);
    Double(at + "value_formula.cost", f.cost);
    Double(at + "value_formula.users", f.users);
    Double(at + "value_formula.customers", f.customers);
    String(at + "value_formula.currency", f.currency);
    Number(at + "carried_by_count", m.carried_by_count);
    for (std::uint32_t i = 0; i < m.carried_by_count; ++i) {
      Number(at + "carried_by[" + std::to_string(i) + "]", m.carried_by[i]);
    }
    String(at + "description", m.description);
    String(at + "attributes_json", m.attributes_json);
  }

  void Task(const std::string& at, const bmil_task_view& t) {
    Number(at + "struct_size", t.struct_size);
    String(at + "id", t.id);
    Number(at + "business_model", t.business_model);
    Number(at + "blocks", t.blocks);
    Number(at + "lines", t.lines);
    Number(at + "action", t.action);
    Number(at + "level", t.level);
    Number(at + "phase", t.phase);
    Number(at + "status", t.status);
    Number(at + "stance", t.stance);
    Number(at + "perspective", t.perspective);
    Number(at + "start_year", t.start_year);
    Number(at + "end_year", t.end_year);
    Double(at + "effort", t.effort);
    String(at + "description", t.description);
    String(at + "attributes_json", t.attributes_json);
  }

  template <typename T>
  void Number(std::string path, T value) {
    fields_.emplace_back(std::move(path), std::to_string(value));
  }
  void Double(std::string path, double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g (bits %016llx)", value,
                  static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(value)));
    fields_.emplace_back(std::move(path), text);
  }
  void String(std::string path, bmil_str s) {
    fields_.emplace_back(std::move(path), "\"" + Text(s) + "\"");
  }
  void Strings(const std::string& path, const bmil_str* items, std::uint32_t count) {
    Number(path + ".count", count);
    for (std::uint32_t i = 0; i < count; ++i) {
      String(path + "[" + std::to_string(i) + "]", items[i]);
    }
  }

  Fields fields_;
};

Fields FieldsOf(const bmil_case_view& v) { return FieldWalker().Walk(v); }

// Expects `actual` to equal `expected` in every field; names the first differences by path.
void ExpectSameView(const bmil_case_view& expected, const bmil_case_view& actual) {
  const Fields want = FieldsOf(expected);
  const Fields got = FieldsOf(actual);
  EXPECT_EQ(got.size(), want.size()) << "the views have different shapes";
  int reported = 0;
  for (std::size_t i = 0; i < std::min(want.size(), got.size()) && reported < 10; ++i) {
    if (want[i] != got[i]) {
      ADD_FAILURE() << "field " << i << ": expected " << want[i].first << " = " << want[i].second
                    << ", got " << got[i].first << " = " << got[i].second;
      ++reported;
    }
  }
}

std::string Encoded(const bmil_case_view& view) {
  std::string bytes;
  wire::Writer out(bytes);
  wire::EncodeView(view, out);
  return bytes;
}

template <typename T>
T At(const std::string& bytes, std::size_t offset) {
  T value{};
  EXPECT_LE(offset + sizeof(T), bytes.size());
  if (offset + sizeof(T) <= bytes.size()) std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

// The registry of the bundled plugins (their lines and blocks), read from their manifests.
const Registry& BundledRegistry() {
  static const Registry registry = [] {
    const std::vector<fs::path> dirs = {fs::path(BMIL_BINARY_DIR) / BMIL_PLUGIN_INSTALL_DIR};
    return PluginHost::Scan(dirs).MakeRegistry();
  }();
  return registry;
}

// The example cases (examples/cases/*.json), by file name, loaded against BundledRegistry().
std::vector<std::pair<std::string, Case>> ExampleCases() {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(fs::path(BMIL_SOURCE_DIR) / "examples/cases")) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, Case>> cases;
  for (const auto& path : paths) {
    LoadResult loaded = LoadCaseFile(path, BundledRegistry());
    EXPECT_TRUE(loaded.ok()) << path << ": "
                             << (loaded.diagnostics.empty() ? ""
                                                            : loaded.diagnostics[0].ToString());
    if (loaded.ok()) cases.emplace_back(path.filename().string(), std::move(*loaded.value));
  }
  return cases;
}

// A view built by hand: case "acme" (founded 1987, size small, country "DK"), the block ids
// b0..b6, no lines, no portfolios, one business model "m" (in no portfolio, one industry
// "retail", the item "x" in its first block, revenue 1.5e6 EUR), no tasks, the goal "grow".
// The malformed-input tests change one thing in it. Not copyable: it points into itself.
struct TinyView {
  TinyView() {
    for (int i = 0; i < 7; ++i) {
      block_names[i] = "b" + std::to_string(i);
      block_ids[i] = {block_names[i].data(), block_names[i].size()};
      blocks[i].struct_size = sizeof(bmil_block_view);
    }
    blocks[0].forms = BMIL_FORM_PHYSICAL | BMIL_FORM_DIGITAL;
    blocks[0].present = 1;
    blocks[0].items = &item;
    blocks[0].item_count = 1;
    industry = {Str("retail"), BMIL_INDUSTRY_HOME};
    item = Str("x");

    model.struct_size = sizeof(bmil_business_model_view);
    model.id = Str("m");
    model.name = Str("M");
    model.state = BMIL_STATE_AS_IS;
    model.stage = BMIL_STAGE_MARKET;
    model.portfolio = BMIL_NO_INDEX;
    model.industries = &industry;
    model.industry_count = 1;
    model.blocks = blocks;
    model.value_formula.struct_size = sizeof(bmil_value_formula_view);
    model.value_formula.has_revenue = 1;
    model.value_formula.revenue = 1.5e6;
    model.value_formula.currency = Str("EUR");
    model.carried_by = carried_by;
    model.carried_by_count = 0;
    model.attributes_json = Str("{}");

    task.struct_size = sizeof(bmil_task_view);
    task.id = Str("t");
    task.effort = -1;
    task.attributes_json = Str("{}");

    goal = Str("grow");

    view.struct_size = sizeof(bmil_case_view);
    view.format_major = 1;
    view.format_minor = 0;
    view.id = Str("acme");
    view.name = Str("Acme");
    view.country = Str("DK");
    view.size = BMIL_SIZE_SMALL;
    view.founded = 1987;
    view.attributes_json = Str("{}");
    view.block_ids = block_ids;
    view.block_count = 7;
    view.portfolio_size = sizeof(bmil_portfolio_view);
    view.business_models = &model;
    view.business_model_count = 1;
    view.business_model_size = sizeof(bmil_business_model_view);
    view.tasks = &task;
    view.task_count = 0;
    view.task_size = sizeof(bmil_task_view);
    view.strategy.struct_size = sizeof(bmil_strategy_view);
    view.strategy.goals = &goal;
    view.strategy.goal_count = 1;
  }
  TinyView(const TinyView&) = delete;
  TinyView& operator=(const TinyView&) = delete;

  std::string block_names[7];
  bmil_str block_ids[7]{};
  bmil_industry_view industry{};
  bmil_str item{};
  bmil_block_view blocks[7]{};
  std::uint32_t carried_by[1]{};
  bmil_business_model_view model{};
  bmil_task_view task{};
  bmil_str goal{};
  bmil_case_view view{};
};

// Offsets in TinyView's encoding, counted by hand from the layout (wire.cpp, EncodeView):
// the case's head is format major and minor (2 + 2), id "acme" (4 + 4), name "Acme" (4 + 4),
// industry "" (4), country "DK" (4 + 2), size (4), founded (4), attributes "{}" (4 + 2).
constexpr std::size_t kTinyFoundedAt = 4 + 8 + 8 + 4 + 6 + 4;                  // 34
constexpr std::size_t kTinyBlockCountAt = kTinyFoundedAt + 4 + 6;              // 44
constexpr std::size_t kTinyLineCountAt = kTinyBlockCountAt + 4 + 7 * (4 + 2);  // 90
constexpr std::size_t kTinyModelCountAt = kTinyLineCountAt + 4 + 4;            // 98
// The model: id "m" (4 + 1), name "M" (4 + 1), then state, stage and portfolio.
constexpr std::size_t kTinyPortfolioAt = kTinyModelCountAt + 4 + 5 + 5 + 4 + 4;  // 120
// Its industries: the count, "retail" (4 + 6) and its status; then its first block: forms,
// present, description "" (4), the item count and the item "x" (4 + 1).
constexpr std::size_t kTinyBlocksAt = kTinyPortfolioAt + 4 + 4 + 10 + 4;  // 142
constexpr std::size_t kTinyItemCountAt = kTinyBlocksAt + 4 + 4 + 4;       // 154
// Six more blocks of 16 bytes each, then the value formula's four flags and its doubles.
constexpr std::size_t kTinyRevenueAt = kTinyItemCountAt + 4 + 5 + 6 * 16 + 16;  // 275
// cost, users, customers (3 * 8), currency "EUR" (4 + 3), the carried_by count (4),
// description "" (4), attributes "{}" (4 + 2); then the task count.
constexpr std::size_t kTinyTaskCountAt = kTinyRevenueAt + 8 + 24 + 7 + 4 + 4 + 6;  // 328
// Strategy: three flags (12), the line set (8), the goal count (4) and "grow" (4 + 4).
constexpr std::size_t kTinySize = kTinyTaskCountAt + 4 + 12 + 8 + 4 + 8;  // 364

// The reasons Reader gives for input that ends too early.
const std::set<std::string>& TruncationReasons() {
  static const std::set<std::string> reasons = {
      "input ends inside a value", "a string runs past the end of the input",
      "a count is larger than the rest of the input can hold"};
  return reasons;
}

// Decodes the first `n` bytes of `bytes` from a buffer of exactly n bytes (so that a read past
// its end is a heap overflow the sanitizer build reports). Returns the reason, or "" when it
// was accepted.
std::string DecodePrefix(const std::string& bytes, std::size_t n) {
  auto buffer = std::make_unique<char[]>(n);
  std::memcpy(buffer.get(), bytes.data(), n);
  wire::Reader in(buffer.get(), n);
  wire::DecodedView decoded;
  if (decoded.Decode(in)) return "";
  EXPECT_TRUE(in.failed());
  return in.why();
}

// Decodes all of `bytes`; "" when accepted, else the reason.
std::string Refusal(const std::string& bytes) { return DecodePrefix(bytes, bytes.size()); }

// ------------------------------------------------------------------------ encoding views

TEST(Wire, ExampleCasesSurviveTheWireFieldByField) {
  const auto cases = ExampleCases();
  ASSERT_EQ(cases.size(), 5u);  // aikon, infolink, katalabs, kellpo, provital
  // The examples exercise every optional part of the layout, so the walk below covers it.
  std::uint32_t portfolios_used = 0, carried = 0, tasks = 0, goals = 0, items = 0;
  for (const auto& [name, c] : cases) {
    SCOPED_TRACE(name);
    const FlatCase flat(c, BundledRegistry());
    const bmil_case_view& original = flat.view();
    EXPECT_EQ(original.line_count, BundledRegistry().lines().size());
    for (std::uint32_t i = 0; i < original.business_model_count; ++i) {
      const auto& m = original.business_models[i];
      portfolios_used += m.portfolio != BMIL_NO_INDEX;
      carried += m.carried_by_count;
      for (std::uint32_t b = 0; b < original.block_count; ++b) items += m.blocks[b].item_count;
    }
    tasks += original.task_count;
    goals += original.strategy.goal_count;

    const std::string bytes = Encoded(original);
    wire::Reader in(bytes);
    wire::DecodedView decoded;
    ASSERT_TRUE(decoded.Decode(in)) << in.why();
    EXPECT_EQ(in.remaining(), 0u) << "the decoder stopped before the end of the view";
    ExpectSameView(original, decoded.view());
    // Strings are views into the frame, not copies.
    const bmil_str id = decoded.view().id;
    EXPECT_GE(id.data, bytes.data());
    EXPECT_LE(id.data + id.size, bytes.data() + bytes.size());
    // What a runner decodes, it encodes again to the same bytes.
    EXPECT_EQ(Encoded(decoded.view()), bytes);
  }
  EXPECT_GT(portfolios_used, 0u);
  EXPECT_GT(carried, 0u);
  EXPECT_GT(tasks, 0u);
  EXPECT_GT(goals, 0u);
  EXPECT_GT(items, 0u);
}

TEST(Wire, DecodingAgainReplacesTheEarlierView) {
  // The runner decodes every record of a batch into the same DecodedView.
  const auto cases = ExampleCases();
  ASSERT_GE(cases.size(), 2u);
  const FlatCase first(cases[0].second, BundledRegistry());
  const FlatCase second(cases[1].second, BundledRegistry());
  const std::string bytes = Encoded(first.view()) + Encoded(second.view());
  wire::Reader in(bytes);
  wire::DecodedView decoded;
  ASSERT_TRUE(decoded.Decode(in)) << in.why();
  ExpectSameView(first.view(), decoded.view());
  ASSERT_TRUE(decoded.Decode(in)) << in.why();
  ExpectSameView(second.view(), decoded.view());
  EXPECT_EQ(in.remaining(), 0u);
}

TEST(Wire, ViewGuardCatchesAWriteIntoEveryArrayOfADecodedView) {
  // The runner guards the decoded view and the frame its strings point into with the host's
  // ViewGuard (docs/plugin-isolation.md): a byte written into any array a plugin is given
  // must be seen, and put back.
  // Both ways the runner guards: walking the view (the first view of its size, whose arrays
  // spill out of the buffer), and copying the buffer the arrays lie in (every view after).
  const auto cases = ExampleCases();
  for (const auto& [name, c] : cases) {
    for (const bool walk : {true, false}) {
      SCOPED_TRACE(name + (walk ? ", walked" : ", buffer"));
      const FlatCase flat(c, BundledRegistry());
      const std::string bytes = Encoded(flat.view());
      wire::DecodedView decoded;
      wire::Reader in(bytes);
      ASSERT_TRUE(decoded.Decode(in)) << in.why();
      EXPECT_FALSE(decoded.contiguous());  // a fresh buffer holds nothing yet
      ViewGuard guard;
      if (walk) {
        guard.Take(decoded.view(), bytes);
      } else {
        wire::Reader again(bytes);
        ASSERT_TRUE(decoded.Decode(again)) << again.why();
        ASSERT_TRUE(decoded.contiguous());
        guard.TakeMemory({std::as_bytes(std::span(&decoded.view(), 1)), decoded.arrays(),
                          std::as_bytes(std::span(bytes.data(), bytes.size()))});
      }
      std::size_t arrays = 0;
      auto poke = [&](const void* data, std::size_t size) {
        if (size == 0) return;
        ++arrays;
        char* at = const_cast<char*>(static_cast<const char*>(data)) + size - 1;
        const char before = *at;
        *at = static_cast<char>(before ^ 0x5a);
        EXPECT_EQ(guard.CheckAndRestore(), 1u)
            << "a write into an array of " << size << " bytes went unseen";
        EXPECT_EQ(*at, before) << "the write was not put back";
      };
      const bmil_case_view& v = decoded.view();
      poke(&v, sizeof v);
      poke(v.block_ids, v.block_count * sizeof(bmil_str));
      poke(v.line_ids, v.line_count * sizeof(bmil_str));
      poke(v.portfolios, std::size_t{v.portfolio_count} * v.portfolio_size);
      poke(v.business_models, std::size_t{v.business_model_count} * v.business_model_size);
      poke(v.tasks, std::size_t{v.task_count} * v.task_size);
      poke(v.strategy.goals, v.strategy.goal_count * sizeof(bmil_str));
      for (std::uint32_t i = 0; i < v.business_model_count; ++i) {
        const auto& m = v.business_models[i];
        poke(m.industries, m.industry_count * sizeof(bmil_industry_view));
        poke(m.blocks, std::size_t{v.block_count} * sizeof(bmil_block_view));
        poke(m.carried_by, m.carried_by_count * sizeof(std::uint32_t));
        for (std::uint32_t b = 0; b < v.block_count; ++b) {
          poke(m.blocks[b].items, m.blocks[b].item_count * sizeof(bmil_str));
          if (m.blocks[b].item_count > 0)
            poke(m.blocks[b].items[0].data, m.blocks[b].items[0].size);
        }
      }
      EXPECT_GT(arrays, 10u);
      EXPECT_EQ(guard.CheckAndRestore(), 0u);
    }
  }
}

TEST(Wire, FieldWalkerSeesADifferenceOfOneUlp) {
  // The comparison the round trip relies on notices the smallest change to a double.
  TinyView a;
  TinyView b;
  b.model.value_formula.revenue = std::nextafter(1.5e6, 2e6);
  const Fields fa = FieldsOf(a.view);
  const Fields fb = FieldsOf(b.view);
  ASSERT_EQ(fa.size(), fb.size());
  std::vector<std::string> differing;
  for (std::size_t i = 0; i < fa.size(); ++i) {
    if (fa[i] != fb[i]) differing.push_back(fa[i].first);
  }
  EXPECT_EQ(differing, std::vector<std::string>{"business_models[0].value_formula.revenue"});
}

TEST(Wire, EncodesAHandBuiltViewInTheDocumentedLayout) {
  TinyView tiny;
  const std::string bytes = Encoded(tiny.view);
  ASSERT_EQ(bytes.size(), kTinySize);
  ASSERT_EQ(kTinySize, 364u);
  // format_major 1 as a little-endian u16, then format_minor 0.
  EXPECT_EQ(bytes.substr(0, 4), std::string("\x01\x00\x00\x00", 4));
  // The id: its length 4 (little-endian u32) at offset 4, then its bytes.
  EXPECT_EQ(bytes.substr(4, 8), std::string("\x04\x00\x00\x00"
                                            "acme",
                                            8));
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyFoundedAt - 4), std::uint32_t{BMIL_SIZE_SMALL});
  EXPECT_EQ(At<std::int32_t>(bytes, kTinyFoundedAt), 1987);
  EXPECT_EQ(bytes.substr(kTinyFoundedAt, 4), std::string("\xC3\x07\x00\x00", 4));  // 0x07C3
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyBlockCountAt), 7u);
  EXPECT_EQ(bytes.substr(kTinyBlockCountAt + 4, 6), std::string("\x02\x00\x00\x00"
                                                                "b0",
                                                                6));
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyLineCountAt), 0u);
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyModelCountAt), 1u);
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyPortfolioAt), 0xFFFFFFFFu);  // BMIL_NO_INDEX
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyBlocksAt), 3u);              // physical | digital
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyItemCountAt), 1u);
  EXPECT_EQ(At<double>(bytes, kTinyRevenueAt), 1.5e6);
  EXPECT_EQ(At<std::uint32_t>(bytes, kTinyTaskCountAt), 0u);
  EXPECT_EQ(bytes.substr(kTinySize - 8), std::string("\x04\x00\x00\x00"
                                                     "grow",
                                                     8));

  wire::Reader in(bytes);
  wire::DecodedView decoded;
  ASSERT_TRUE(decoded.Decode(in)) << in.why();
  ExpectSameView(tiny.view, decoded.view());
}

// ----------------------------------------------------------------------- malformed input

TEST(Wire, RefusesEveryTruncationOfAView) {
  TinyView tiny;
  const auto cases = ExampleCases();
  ASSERT_FALSE(cases.empty());
  const FlatCase example(cases[0].second, BundledRegistry());
  for (const std::string& bytes : {Encoded(tiny.view), Encoded(example.view())}) {
    ASSERT_EQ(Refusal(bytes), "");
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      const std::string why = DecodePrefix(bytes, n);
      ASSERT_TRUE(TruncationReasons().count(why))
          << "the first " << n << " of " << bytes.size() << " bytes gave \"" << why << "\"";
    }
  }
}

TEST(Wire, RefusesACountTheRestOfTheInputCannotHold) {
  TinyView tiny;
  const std::string bytes = Encoded(tiny.view);
  // Each count set to 0xFFFFFFFF: were the decoder to allocate for it first, that would be
  // 4 G elements (64 GiB of block ids), which fails or aborts the test.
  for (const std::size_t at : {kTinyBlockCountAt, kTinyLineCountAt, kTinyModelCountAt,
                               kTinyItemCountAt, kTinyTaskCountAt}) {
    SCOPED_TRACE(at);
    std::string bad = bytes;
    const std::uint32_t huge = 0xFFFFFFFF;
    std::memcpy(bad.data() + at, &huge, 4);
    EXPECT_EQ(Refusal(bad), "a count is larger than the rest of the input can hold");
  }
}

TEST(WireReader, CountAllowsExactlyWhatTheRestCanHold) {
  // A count, then 8 more bytes: room for two elements of 4 bytes, not three.
  for (const auto& [count, accepted] : std::vector<std::pair<std::uint32_t, bool>>{
           {0, true}, {2, true}, {3, false}, {0xFFFFFFFF, false}}) {
    std::string bytes;
    wire::Writer(bytes).U32(count);
    bytes.append(8, '\0');
    wire::Reader in(bytes);
    EXPECT_EQ(in.Count(4), accepted ? count : 0u) << count;
    EXPECT_EQ(in.failed(), !accepted) << count;
    EXPECT_EQ(in.remaining(), accepted ? 8u : 0u) << count;
  }
}

TEST(WireReader, ReadsNothingAfterAFailure) {
  std::string bytes;
  wire::Writer w(bytes);
  w.U16(7);
  w.U32(9);
  wire::Reader in(bytes.data(), 3);  // the u32 is cut after its first byte
  EXPECT_EQ(in.U16(), 7u);
  EXPECT_EQ(in.U32(), 0u);
  EXPECT_TRUE(in.failed());
  EXPECT_STREQ(in.why(), "input ends inside a value");
  in.Fail("a later reason");  // the first reason is kept
  EXPECT_STREQ(in.why(), "input ends inside a value");
  EXPECT_EQ(in.Str(), "");
  EXPECT_EQ(in.remaining(), 0u);
}

// A view with `block_count` block ids and `line_count` line ids, and nothing else.
std::string IdsOnly(std::uint32_t block_count, std::uint32_t line_count) {
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < std::max(block_count, line_count); ++i) {
    names.push_back("id" + std::to_string(i));
  }
  std::vector<bmil_str> ids;
  for (const auto& n : names) ids.push_back({n.data(), n.size()});
  bmil_case_view view{};
  view.block_ids = ids.data();
  view.block_count = block_count;
  view.line_ids = ids.data();
  view.line_count = line_count;
  return Encoded(view);
}

TEST(Wire, RefusesMoreThanSixtyFourBlockOrLineIds) {
  EXPECT_EQ(Refusal(IdsOnly(64, 64)), "");
  EXPECT_EQ(Refusal(IdsOnly(65, 0)), "more than 64 block or line ids");
  EXPECT_EQ(Refusal(IdsOnly(0, 65)), "more than 64 block or line ids");
}

TEST(Wire, RefusesAnIndexOutOfRange) {
  struct Row {
    const char* what;
    std::function<void(TinyView&)> change;
    std::string reason;  // "" when the view is accepted
  };
  const std::vector<Row> rows = {
      {"a task on the only model", [](TinyView& t) { t.view.task_count = 1; }, ""},
      {"a task on a second model, which does not exist",
       [](TinyView& t) {
         t.view.task_count = 1;
         t.task.business_model = 1;
       },
       "a task's business model index is out of range"},
      {"a task on model 0xFFFFFFFF",
       [](TinyView& t) {
         t.view.task_count = 1;
         t.task.business_model = BMIL_NO_INDEX;
       },
       "a task's business model index is out of range"},
      {"the model in portfolio 0 of none", [](TinyView& t) { t.model.portfolio = 0; },
       "a portfolio index is out of range"},
      {"the model carried by itself",
       [](TinyView& t) {
         t.carried_by[0] = 0;
         t.model.carried_by_count = 1;
       },
       ""},
      {"the model carried by a second model, which does not exist",
       [](TinyView& t) {
         t.carried_by[0] = 1;
         t.model.carried_by_count = 1;
       },
       "a financing model index is out of range"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.what);
    TinyView tiny;
    row.change(tiny);
    const std::string why = Refusal(Encoded(tiny.view));
    EXPECT_EQ(why, row.reason);
    if (!row.reason.empty()) {
      EXPECT_THAT(why, HasSubstr("out of range"));
    }
  }
}

// ----------------------------------------------------------------------------------- frames

TEST(WireFrame, FinishFrameWritesThePayloadSizeLittleEndian) {
  std::string out = "xy";  // a frame may start after earlier ones
  const std::size_t begin = wire::BeginFrame(out, wire::Message::kText);
  EXPECT_EQ(begin, 2u);
  wire::Writer(out).Str("hello");  // 4 + 5 bytes of body
  wire::FinishFrame(out, begin);
  ASSERT_EQ(out.size(), 2u + 4 + 1 + 9);
  // The length counts the type byte and the body: 1 + 9.
  EXPECT_EQ(out.substr(2, 4), std::string("\x0A\x00\x00\x00", 4));
  EXPECT_EQ(static_cast<std::uint8_t>(out[6]), 68u);  // kText

  wire::Frame frame;
  ASSERT_TRUE(wire::ParseFrame(std::string_view(out).substr(6), frame));
  EXPECT_EQ(frame.type, wire::Message::kText);
  wire::Reader in(frame.body);
  EXPECT_EQ(in.Str(), "hello");
  EXPECT_EQ(in.remaining(), 0u);
}

TEST(WireFrame, RunnerStateSurvivesTheWire) {
  const wire::RunnerState sent{"active: no network", 123456789, 2, "add on case \"x\""};
  std::string out;
  wire::EncodeState(sent, out);
  wire::Frame frame;
  ASSERT_TRUE(wire::ParseFrame(std::string_view(out).substr(4), frame));
  EXPECT_EQ(frame.type, wire::Message::kState);
  wire::RunnerState got;
  ASSERT_TRUE(wire::DecodeState(frame.body, got));
  EXPECT_EQ(got.seccomp, sent.seccomp);
  EXPECT_EQ(got.resident_bytes, sent.resident_bytes);
  EXPECT_EQ(got.view_writes, sent.view_writes);
  EXPECT_EQ(got.first_view_write, sent.first_view_write);
  // 4 + 18, 8, 8, 4 + 15 bytes: every shorter body is refused.
  ASSERT_EQ(frame.body.size(), 57u);
  for (std::size_t n = 0; n < frame.body.size(); ++n) {
    EXPECT_FALSE(wire::DecodeState(frame.body.substr(0, n), got)) << n;
  }
}

TEST(WireFrame, ParseFrameRefusesAnEmptyPayload) {
  wire::Frame frame;
  EXPECT_FALSE(wire::ParseFrame("", frame));
  ASSERT_TRUE(wire::ParseFrame(std::string_view("\x42", 1), frame));
  EXPECT_EQ(frame.type, wire::Message::kOk);
  EXPECT_TRUE(frame.body.empty());
}

// A connected pair of stream sockets; either end can be closed early.
class SocketPair {
 public:
  SocketPair() {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      ADD_FAILURE() << "socketpair: " << std::strerror(errno);
      return;
    }
    reader_ = fds[0];
    writer_ = fds[1];
  }
  ~SocketPair() {
    CloseReader();
    CloseWriter();
  }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;

  int reader() const { return reader_; }
  int writer() const { return writer_; }
  void CloseReader() { Close(reader_); }
  void CloseWriter() { Close(writer_); }
  void Send(std::string_view bytes) const { ASSERT_TRUE(wire::WriteAll(writer_, bytes)); }
  // What is waiting to be read, without blocking.
  std::string Pending() const {
    std::string out(4096, '\0');
    const ssize_t got = recv(reader_, out.data(), out.size(), MSG_DONTWAIT);
    out.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return out;
  }

 private:
  static void Close(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  int reader_ = -1;
  int writer_ = -1;
};

std::string Frame(wire::Message type, std::string_view body) {
  std::string out;
  const std::size_t begin = wire::BeginFrame(out, type);
  out.append(body);
  wire::FinishFrame(out, begin);
  return out;
}

std::string Length(std::uint32_t n) {
  std::string out;
  wire::Writer(out).U32(n);
  return out;
}

TEST(ReadFrame, ReadsFramesOneAtATime) {
  SocketPair pair;
  pair.Send(Frame(wire::Message::kText, "abc") + Frame(wire::Message::kOk, ""));
  std::string payload;
  ASSERT_EQ(wire::ReadFrame(pair.reader(), 100, payload), wire::ReadStatus::kOk);
  EXPECT_EQ(payload,
            "\x44"
            "abc");
  ASSERT_EQ(wire::ReadFrame(pair.reader(), 100, payload, 10, [] { return true; }),
            wire::ReadStatus::kOk);
  EXPECT_EQ(payload, "\x42");
  pair.CloseWriter();
  EXPECT_EQ(wire::ReadFrame(pair.reader(), 100, payload), wire::ReadStatus::kEnd);
}

TEST(ReadFrame, AcceptsAFrameOfExactlyTheBound) {
  SocketPair pair;
  pair.Send(Frame(wire::Message::kText, std::string(99, 'z')));  // 1 + 99 bytes
  std::string payload;
  EXPECT_EQ(wire::ReadFrame(pair.reader(), 100, payload), wire::ReadStatus::kOk);
  EXPECT_EQ(payload.size(), 100u);
}

TEST(ReadFrame, RefusesALengthOverTheBoundWithoutReadingOn) {
  SocketPair pair;
  const std::string rest(101, 'r');
  pair.Send(Length(101) + rest);
  std::string payload = "untouched";
  EXPECT_EQ(wire::ReadFrame(pair.reader(), 100, payload), wire::ReadStatus::kTooLarge);
  EXPECT_EQ(payload, "untouched");
  // Only the length was read: the 101 bytes it announced are still waiting.
  EXPECT_EQ(pair.Pending(), rest);
}

TEST(ReadFrame, ReportsAConnectionClosedInsideAFrame) {
  for (const std::string& sent : {Length(10) + "half", std::string("\x0A\x00", 2)}) {
    SCOPED_TRACE(sent.size());
    SocketPair pair;
    pair.Send(sent);
    pair.CloseWriter();
    std::string payload;
    EXPECT_EQ(wire::ReadFrame(pair.reader(), 100, payload, 10, [] { return true; }),
              wire::ReadStatus::kTruncated);
  }
}

TEST(ReadFrame, ReportsTheEndWhenClosedBeforeAFrame) {
  SocketPair pair;
  pair.CloseWriter();
  std::string payload;
  EXPECT_EQ(wire::ReadFrame(pair.reader(), 100, payload), wire::ReadStatus::kEnd);
  EXPECT_EQ(wire::ReadFrame(pair.reader(), 100, payload, 10, [] { return true; }),
            wire::ReadStatus::kEnd);
}

TEST(ReadFrame, GivesUpWhenToldToStopWaiting) {
  using Clock = std::chrono::steady_clock;
  // Waiting for a frame to begin, and waiting for the rest of one.
  for (const std::string& sent : {std::string(), Length(10) + "part"}) {
    SCOPED_TRACE(sent.size());
    SocketPair pair;  // the writer stays open and silent
    if (!sent.empty()) pair.Send(sent);
    int asked = 0;
    std::string payload;
    const auto begin = Clock::now();
    const auto status =
        wire::ReadFrame(pair.reader(), 100, payload, 20, [&] { return ++asked < 3; });
    const auto waited = Clock::now() - begin;
    EXPECT_EQ(status, wire::ReadStatus::kGaveUp);
    // Asked once after each silent poll interval of 20 ms; stopped at the first "no".
    EXPECT_EQ(asked, 3);
    EXPECT_GE(waited, std::chrono::milliseconds(3 * 20));
    EXPECT_LT(waited, std::chrono::seconds(5));
  }
}

TEST(ReadFrame, KeepsWaitingWhileAskedToAndThenReads) {
  SocketPair pair;
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    EXPECT_TRUE(wire::WriteAll(pair.writer(), Frame(wire::Message::kOk, "")));
  });
  int asked = 0;
  std::string payload;
  const auto status = wire::ReadFrame(pair.reader(), 100, payload, 10, [&] {
    ++asked;
    return true;
  });
  late.join();
  EXPECT_EQ(status, wire::ReadStatus::kOk);
  EXPECT_EQ(payload, "\x42");
  EXPECT_GE(asked, 1);
}

TEST(WriteAll, ReportsAClosedPeerWithoutSigpipe) {
  SocketPair pair;
  pair.CloseReader();
  // A SIGPIPE would end this test program here.
  EXPECT_FALSE(wire::WriteAll(pair.writer(), Frame(wire::Message::kOk, "")));
}

}  // namespace
}  // namespace bmil
