// The fast path walks the record once with simdjson On-Demand, in document order, checking
// each value against the format's rules as the loader's field tables do, and writes the flat
// view's arrays directly. Strings point into the parser's string buffer (valid until the next
// Read()); pointers between arrays are set at the end, when no array grows any more. Every
// check that fails returns false ("not vouched for"): the loader then decides and explains.
#include "batch/fast_case_reader.hpp"

#include <bmil/case_io.hpp>
#include <bmil/sdk/vocabulary.hpp>
#include "model/view_tables.hpp"

#include "io/case_rules.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// simdjson's DOM API, not On-Demand: Debian's simdjson 3.0 compiles On-Demand only for the
// instruction set a translation unit is built for (the slow "fallback" kernel in a portable
// x86-64 build), while the DOM parser dispatches at run time to the best kernel of the CPU
// (Haswell/AVX2 here). The walk below reads every value once, as On-Demand would.
#include <simdjson.h>

namespace bmil {
namespace {

namespace dom = simdjson::dom;
using Value = dom::element;

static_assert(FastCaseReader::kPadding >= simdjson::SIMDJSON_PADDING);
constexpr auto kOk = simdjson::SUCCESS;

// Attributes nested deeper than this are left to the loader (its limit is 64 for the whole
// document; the deepest attribute value starts at depth 4).
constexpr int kMaxAttributeDepth = 32;
constexpr std::string_view kValueFormulaBlock = sdk::kBuiltinBlocks[6];
const bmil_str kEmptyObject{"{}", 2};

bmil_str Str(std::string_view s) { return {s.data(), s.size()}; }

template <const auto& Names, std::size_t I>
bool Is(std::string_view name) {
  constexpr std::string_view kName = Names[I];
  // A memcmp of constant size tested only for equality: GCC writes it as a few compares
  // (string_view's == calls memcmp, as it also orders).
  return name.size() == kName.size() && std::memcmp(name.data(), kName.data(), kName.size()) == 0;
}
template <const auto& Names, std::size_t First, std::size_t... I>
int IndexIn(std::string_view name, std::index_sequence<I...>) {
  int index = -1;
  static_cast<void>(
      ((Is<Names, First + I>(name) ? (index = static_cast<int>(First + I), true) : false) || ...));
  return index;
}
// The index of `name` in Names[First..] (a constexpr array), or -1.
template <const auto& Names, std::size_t First = 0>
int IndexIn(std::string_view name) {
  return IndexIn<Names, First>(name, std::make_index_sequence<Names.size() - First>());
}

// Calls visit(key_index, value) for each member of `object`, whose keys must all be in
// Keys, each at most once; then checks that the keys in `required` (bits) were there.
template <const auto& Keys, typename Visit>
bool ForEachMember(dom::object object, std::uint32_t required, Visit&& visit) {
  static_assert(Keys.size() <= 32);
  std::uint32_t seen = 0;
  for (dom::key_value_pair member : object) {
    const int index = IndexIn<Keys>(member.key);
    if (index < 0 || (seen & (1u << index)) != 0) return false;
    seen |= 1u << index;
    if (!visit(index, member.value)) return false;
  }
  return (seen & required) == required;
}
template <const auto& Keys, typename Visit>
bool ForEachField(Value v, std::uint32_t required, Visit&& visit) {
  dom::object object;
  if (v.get_object().get(object) != kOk) return false;
  return ForEachMember<Keys>(object, required, std::forward<Visit>(visit));
}

// Calls visit(item) for each item of array `v`; `non_empty` refuses [].
template <typename Visit>
bool ForEachItem(Value v, bool non_empty, Visit&& visit) {
  dom::array array;
  if (v.get_array().get(array) != kOk) return false;
  if (non_empty && array.size() == 0) return false;
  for (Value item : array) {
    if (!visit(item)) return false;
  }
  return true;
}

bool GetString(Value v, std::string_view& out) { return v.get_string().get(out) == kOk; }
bool GetText(Value v, std::string_view& out) {
  return GetString(v, out) && rules::IsShortText(out);
}
bool GetId(Value v, std::string_view& out) { return GetString(v, out) && rules::IsId(out); }

// An integer in [low, high] written as an integer (the loader also takes "1998.0"; such
// records go to it).
bool GetInteger(Value v, std::int64_t low, std::int64_t high, std::int64_t& out) {
  return v.type() == dom::element_type::INT64 && v.get_int64().get(out) == kOk && out >= low &&
         out <= high;
}

// A number from 0 to rules::kMaxAmount (amounts, counts, effort). Integers past 2^63 go to the
// loader, which rounds them its own way.
bool GetAmount(Value v, double& out) {
  if (v.type() == dom::element_type::INT64) {
    std::int64_t n = 0;
    if (v.get_int64().get(n) != kOk) return false;
    out = static_cast<double>(n);
  } else if (v.type() != dom::element_type::DOUBLE || v.get_double().get(out) != kOk) {
    return false;
  }
  return std::isfinite(out) && out >= 0 && out <= rules::kMaxAmount;
}

// The index of the name in Names[First..].
template <const auto& Names, std::size_t First = 0>
bool GetName(Value v, std::uint32_t& out) {
  std::string_view s;
  if (!GetString(v, s)) return false;
  const int index = IndexIn<Names, First>(s);
  out = static_cast<std::uint32_t>(index);
  return index >= 0;
}
// An enumeration: Names[0] is "" (not stated), which a document never writes.
template <const auto& Names>
bool GetEnum(Value v, std::uint32_t& out) {
  return GetName<Names, 1>(v, out);
}

// Any JSON value as nlohmann::json, the way JsonValue::ToJson() builds it: integers that fit
// int64 as integers, other numbers as doubles, objects keyed (and so sorted) by std::map.
// False for duplicate keys, unsigned 64-bit integers, -0.0 (the loader may read "-0" as the
// integer 0) and deep nesting: the loader decides those.
bool ToJson(Value v, int depth, nlohmann::json& out) {
  if (depth > kMaxAttributeDepth) return false;
  switch (v.type()) {
    case dom::element_type::OBJECT: {
      dom::object object;
      if (v.get_object().get(object) != kOk) return false;
      out = nlohmann::json::object();
      for (dom::key_value_pair member : object) {
        nlohmann::json child;
        if (!ToJson(member.value, depth + 1, child)) return false;
        if (!out.emplace(std::string(member.key), std::move(child)).second) return false;
      }
      return true;
    }
    case dom::element_type::ARRAY: {
      out = nlohmann::json::array();
      return ForEachItem(v, false, [&](Value item) {
        nlohmann::json child;
        if (!ToJson(item, depth + 1, child)) return false;
        out.push_back(std::move(child));
        return true;
      });
    }
    case dom::element_type::STRING: {
      std::string_view s;
      if (!GetString(v, s)) return false;
      out = std::string(s);
      return true;
    }
    case dom::element_type::INT64: {
      std::int64_t n = 0;
      if (v.get_int64().get(n) != kOk) return false;
      out = n;
      return true;
    }
    case dom::element_type::DOUBLE: {
      double d = 0;
      if (v.get_double().get(d) != kOk || !std::isfinite(d) || (d == 0 && std::signbit(d))) {
        return false;
      }
      out = d;
      return true;
    }
    case dom::element_type::BOOL: {
      bool b = false;
      if (v.get_bool().get(b) != kOk) return false;
      out = b;
      return true;
    }
    case dom::element_type::NULL_VALUE:
      out = nullptr;
      return true;
    default:  // UINT64
      return false;
  }
}

// Appends `s` as a JSON string the way nlohmann's dump() writes it (UTF-8 kept; '"', '\\'
// and control characters escaped, short forms where JSON has them, else \u00xx).
void AppendJsonString(std::string_view s, std::string& out) {
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != '"' && c != '\\') {
      out.push_back(ch);
      continue;
    }
    out.push_back('\\');
    switch (c) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\r':
        out.push_back('r');
        break;
      case '\t':
        out.push_back('t');
        break;
      default: {
        constexpr char kHex[] = "0123456789abcdef";
        out += "u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
    }
  }
  out.push_back('"');
}

// Appends any JSON value as the text ToJson(v).dump() would give, without building the
// nlohmann value: objects with their keys in std::map order (bytes compared as unsigned),
// no spaces. Doubles are rare in attributes and formatted by nlohmann itself. False where
// ToJson() is false. `members` is scratch space for the objects' keys. Every value and member
// name takes one from `budget` (the case's attribute entries left, LoadLimits): false when
// it runs out, and the loader reports the limit.
bool AppendJsonText(Value v, int depth, std::string& out,
                    std::vector<std::vector<std::pair<std::string_view, Value>>>& members,
                    std::size_t& budget) {
  if (depth > kMaxAttributeDepth || budget == 0) return false;
  --budget;
  switch (v.type()) {
    case dom::element_type::OBJECT: {
      dom::object object;
      if (v.get_object().get(object) != kOk) return false;
      // `members` has a slot for every depth (GetAttributes): never resized here, so that
      // `sorted` stays valid while deeper values are written.
      auto& sorted = members.at(static_cast<std::size_t>(depth));
      sorted.clear();
      for (dom::key_value_pair member : object) sorted.emplace_back(member.key, member.value);
      std::sort(sorted.begin(), sorted.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out.push_back('{');
      if (sorted.size() > budget) return false;
      budget -= sorted.size();  // the member names
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0 && sorted[i].first == sorted[i - 1].first) return false;  // a key twice
        if (i > 0) out.push_back(',');
        AppendJsonString(sorted[i].first, out);
        out.push_back(':');
        if (!AppendJsonText(sorted[i].second, depth + 1, out, members, budget)) return false;
      }
      out.push_back('}');
      return true;
    }
    case dom::element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      const bool ok = ForEachItem(v, false, [&](Value item) {
        if (!first) out.push_back(',');
        first = false;
        return AppendJsonText(item, depth + 1, out, members, budget);
      });
      out.push_back(']');
      return ok;
    }
    case dom::element_type::STRING: {
      std::string_view s;
      if (!GetString(v, s)) return false;
      AppendJsonString(s, out);
      return true;
    }
    case dom::element_type::INT64: {
      std::int64_t n = 0;
      if (v.get_int64().get(n) != kOk) return false;
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
      out.append(digits, end);
      return true;
    }
    case dom::element_type::BOOL: {
      bool b = false;
      if (v.get_bool().get(b) != kOk) return false;
      out += b ? "true" : "false";
      return true;
    }
    case dom::element_type::NULL_VALUE:
      out += "null";
      return true;
    default: {  // DOUBLE (and UINT64, which ToJson refuses)
      nlohmann::json json;
      if (!ToJson(v, depth, json)) return false;
      out += json.dump();
      return true;
    }
  }
}

// a == b for ids and names: sizes and last bytes first, so that memcmp (a library call for
// sizes known only at run time) runs about once per match rather than once per candidate.
bool SameId(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         (a.empty() || (a.back() == b.back() && std::memcmp(a.data(), b.data(), a.size()) == 0));
}

// Up to this many entries, lists of ids are searched and checked pairwise, not sorted.
constexpr std::size_t kFewIds = 16;

// True when `ids` has no two equal entries (it may sort them).
bool Distinct(std::vector<std::string_view>& ids) {
  if (ids.size() <= kFewIds) {
    for (std::size_t i = 1; i < ids.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (SameId(ids[i], ids[j])) return false;
      }
    }
    return true;
  }
  std::sort(ids.begin(), ids.end());
  return std::adjacent_find(ids.begin(), ids.end()) == ids.end();
}

// Object keys, in the order of the loader's field tables.
constexpr std::array<std::string_view, 7> kCaseKeys = {
    "bmil", "business", "portfolios", "business_models", "bmi_tasks", "strategy", "source"};
constexpr std::array<std::string_view, 9> kBusinessKeys = {"id",       "name",      "description",
                                                           "industry", "country",   "size",
                                                           "founded",  "employees", "attributes"};
constexpr std::array<std::string_view, 4> kPortfolioKeys = {"id", "name", "description",
                                                            "business_models"};
constexpr std::array<std::string_view, 9> kModelKeys = {
    "id",         "name",      "description", "state", "stage", "industries", "building_blocks",
    "carried_by", "attributes"};
constexpr std::array<std::string_view, 2> kIndustryKeys = {"id", "status"};
constexpr std::array<std::string_view, 8> kBlockKeys = {
    "forms", "description", "items", "revenue", "cost", "currency", "users", "customers"};
constexpr std::size_t kCommonBlockKeys = 3;
constexpr std::array<std::string_view, 14> kTaskKeys = {
    "id",     "business_model", "description", "building_blocks", "leadership_lines",
    "action", "level",          "phase",       "period",          "status",
    "effort", "stance",         "perspective", "attributes"};
constexpr std::array<std::string_view, 2> kPeriodKeys = {"start", "end"};
constexpr std::array<std::string_view, 6> kStrategyKeys = {
    "explicit", "structured_process", "skills", "goals", "leadership_lines", "description"};
constexpr std::array<std::string_view, 3> kSourceKeys = {"citation", "url", "notes"};

constexpr std::uint32_t Bits(std::initializer_list<int> indices) {
  std::uint32_t bits = 0;
  for (int i : indices) bits |= 1u << i;
  return bits;
}

}  // namespace

struct FastCaseReader::Impl {
  explicit Impl(const Registry& registry);
  ~Impl();
  const bmil_case_view& view() const;

  bool Read(std::string_view text);
  void Reset();

  // The index of a registered block or line id, or -1.
  static int IndexOf(const std::vector<std::string>& ids, std::string_view id) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (SameId(ids[i], id)) return static_cast<int>(i);
    }
    return -1;
  }
  // A non-empty (when asked) list of distinct registered ids, as a set.
  bool GetSet(Value v, const std::vector<std::string>& ids, bool non_empty, bmil_set& out) {
    out = 0;
    return ForEachItem(v, non_empty, [&](Value item) {
      std::string_view id;
      if (!GetString(item, id)) return false;
      const int index = IndexOf(ids, id);
      if (index < 0 || (out & (bmil_set{1} << index)) != 0) return false;
      out |= bmil_set{1} << index;
      return true;
    });
  }
  // Attributes: a JSON object, kept as the text FlatCase would give (nlohmann's dump).
  bool GetAttributes(Value v, int depth, std::size_t& text_index) {
    if (v.type() != dom::element_type::OBJECT) return false;
    if (text_count_ == texts_.size()) texts_.emplace_back();
    text_index = text_count_++;
    texts_[text_index].clear();
    members_.resize(kMaxAttributeDepth + 1);  // one slot per depth AppendJsonText accepts
    return AppendJsonText(v, depth, texts_[text_index], members_, attribute_budget_);
  }

  bool ReadBusiness(Value v);
  bool ReadPortfolio(Value v);
  bool ReadModel(Value v);
  bool ReadBlock(Value v, std::uint32_t model, std::uint32_t block);
  bool ReadTask(Value v);
  bool ReadStrategy(Value v);
  bool ReadSource(Value v);
  bool Link();  // resolves references, checks ids, sets every pointer of the view

  std::vector<std::string> block_id_text_, line_id_text_;
  std::string id_arena_;                   // every block id, then every line id, back to back
  std::uint32_t value_formula_block_ = 0;  // its index, or block_id_text_.size()
  std::vector<bmil_str> block_ids_, line_ids_;
  dom::parser parser_;

  // The start of the DOM's string buffer, as long as simdjson surely made it: it allocates
  // ROUNDUP(5 * capacity / 3 + padding, 64) bytes (dom::parser::allocate).
  std::string_view StringRegion() const {
    const auto* at = reinterpret_cast<const char*>(parser_.doc.string_buf.get());
    return at == nullptr ? std::string_view() : std::string_view(at, 5 * parser_.capacity() / 3);
  }

  // One record's arrays; cleared (not freed) by Reset().
  std::vector<bmil_portfolio_view> portfolios_;
  std::vector<std::pair<std::size_t, std::size_t>> portfolio_members_;  // range in member_ids_
  std::vector<std::string_view> member_ids_;
  std::vector<bmil_business_model_view> models_;
  struct ModelLinks {
    std::size_t industries_begin = 0, industries_end = 0;
    std::size_t carried_begin = 0, carried_end = 0;
    std::size_t attributes = SIZE_MAX;  // index into texts_
  };
  std::vector<ModelLinks> model_links_;
  std::vector<bmil_industry_view> industries_;
  std::vector<std::string_view> carried_ids_;
  std::vector<std::uint32_t> carried_by_;
  std::vector<bmil_block_view> blocks_;  // model-major, block_ids_.size() per model
  std::vector<std::size_t> block_items_begin_;
  std::vector<bmil_str> items_;
  std::vector<bmil_task_view> tasks_;
  std::vector<std::string_view> task_models_;
  std::vector<std::size_t> task_attributes_;
  std::vector<bmil_str> goals_;
  std::vector<std::string> texts_;
  std::size_t text_count_ = 0;
  std::vector<std::vector<std::pair<std::string_view, Value>>> members_;  // AppendJsonText's
  std::size_t business_attributes_ = SIZE_MAX;
  std::size_t attribute_budget_ = 0;  // attribute entries left for this case (LoadLimits)
  std::vector<std::string_view> scratch_;
  std::vector<std::pair<std::string_view, std::uint32_t>> model_index_;
  bmil_case_view view_{};
};

FastCaseReader::Impl::Impl(const Registry& registry) {
  for (const auto& block : registry.blocks()) block_id_text_.push_back(block.id);
  const auto formula = std::find(block_id_text_.begin(), block_id_text_.end(), kValueFormulaBlock);
  value_formula_block_ = static_cast<std::uint32_t>(formula - block_id_text_.begin());
  for (const auto& line : registry.lines()) line_id_text_.push_back(line.id);
  // The views' id tables point into one buffer, so that a ViewGuard of a view checks them
  // as one range rather than one per id.
  for (const auto& id : block_id_text_) id_arena_ += id;
  for (const auto& id : line_id_text_) id_arena_ += id;
  std::size_t at = 0;
  for (const auto& id : block_id_text_) {
    block_ids_.push_back({id_arena_.data() + at, id.size()});
    at += id.size();
  }
  for (const auto& id : line_id_text_) {
    line_ids_.push_back({id_arena_.data() + at, id.size()});
    at += id.size();
  }
}
FastCaseReader::Impl::~Impl() = default;
const bmil_case_view& FastCaseReader::Impl::view() const { return view_; }

void FastCaseReader::Impl::Reset() {
  portfolios_.clear();
  portfolio_members_.clear();
  member_ids_.clear();
  models_.clear();
  model_links_.clear();
  industries_.clear();
  carried_ids_.clear();
  carried_by_.clear();
  blocks_.clear();
  block_items_begin_.clear();
  items_.clear();
  tasks_.clear();
  task_models_.clear();
  task_attributes_.clear();
  goals_.clear();
  text_count_ = 0;
  business_attributes_ = SIZE_MAX;
  attribute_budget_ = LoadLimits{}.max_attribute_entries;
  view_ = bmil_case_view{};
  view_.struct_size = sizeof(bmil_case_view);
  view_.format_major = 1;
  view_.format_minor = 0;
  view_.strategy.struct_size = sizeof(bmil_strategy_view);
}

bool FastCaseReader::Impl::ReadBusiness(Value v) {
  return ForEachField<kBusinessKeys>(v, Bits({0, 1}), [&](int key, Value value) {
    std::string_view s;
    std::int64_t n = 0;
    switch (key) {
      case 0:
        if (!GetId(value, s)) return false;
        view_.id = Str(s);
        return true;
      case 1:
        if (!GetText(value, s) || s.empty()) return false;
        view_.name = Str(s);
        return true;
      case 2:
        return GetText(value, s);
      case 3:
        if (!GetId(value, s)) return false;
        view_.industry = Str(s);
        return true;
      case 4:
        if (!GetString(value, s) || !rules::IsUpperLetters(s, 2)) return false;
        view_.country = Str(s);
        return true;
      case 5:
        return GetEnum<sdk::kSizeNames>(value, view_.size);
      case 6:
        if (!GetInteger(value, 1800, 2100, n)) return false;
        view_.founded = static_cast<std::int32_t>(n);
        return true;
      case 7:
        return GetInteger(value, 0, INT_MAX, n);
      default:
        return GetAttributes(value, 3, business_attributes_);
    }
  });
}

bool FastCaseReader::Impl::ReadPortfolio(Value v) {
  bmil_portfolio_view& portfolio = portfolios_.emplace_back();
  const std::size_t begin = member_ids_.size();
  const bool ok = ForEachField<kPortfolioKeys>(v, Bits({0, 1, 3}), [&](int key, Value value) {
    std::string_view s;
    switch (key) {
      case 0:
        if (!GetId(value, s)) return false;
        portfolio.id = Str(s);
        return true;
      case 1:
        if (!GetText(value, s)) return false;
        portfolio.name = Str(s);
        return true;
      case 2:
        return GetText(value, s);
      default:
        return ForEachItem(value, true, [&](Value item) {
          if (!GetString(item, s)) return false;
          member_ids_.push_back(s);
          return true;
        });
    }
  });
  portfolio_members_.emplace_back(begin, member_ids_.size());
  if (!ok) return false;
  scratch_.assign(member_ids_.begin() + static_cast<std::ptrdiff_t>(begin), member_ids_.end());
  return Distinct(scratch_);
}

bool FastCaseReader::Impl::ReadBlock(Value v, std::uint32_t model, std::uint32_t block) {
  const std::size_t slot = model * block_ids_.size() + block;
  bmil_block_view& out = blocks_[slot];
  if (out.present != 0) return false;  // the key twice
  out.present = 1;
  block_items_begin_[slot] = items_.size();
  const bool figures = block == value_formula_block_;
  bmil_value_formula_view& formula = models_[model].value_formula;
  return ForEachField<kBlockKeys>(v, 0, [&](int key, Value value) {
    if (!figures && key >= static_cast<int>(kCommonBlockKeys)) return false;
    std::string_view s;
    double amount = 0;
    switch (key) {
      case 0: {
        std::uint32_t forms = 0;
        const bool ok = ForEachItem(value, false, [&](Value item) {
          std::uint32_t bit = 0;
          if (!GetName<sdk::kFormNames>(item, bit) || (forms & (1u << bit)) != 0) return false;
          forms |= 1u << bit;
          return true;
        });
        out.forms = forms;
        return ok;
      }
      case 1:
        if (!GetText(value, s)) return false;
        out.description = Str(s);
        return true;
      case 2:
        return ForEachItem(value, false, [&](Value item) {
          if (!GetText(item, s)) return false;
          items_.push_back(Str(s));
          ++out.item_count;
          return true;
        });
      case 5:
        if (!GetString(value, s) || !rules::IsUpperLetters(s, 3)) return false;
        formula.currency = Str(s);
        return true;
      default:
        if (!GetAmount(value, amount)) return false;
        if (key == 3) formula.has_revenue = 1, formula.revenue = amount;
        if (key == 4) formula.has_cost = 1, formula.cost = amount;
        if (key == 6) formula.has_users = 1, formula.users = amount;
        if (key == 7) formula.has_customers = 1, formula.customers = amount;
        return true;
    }
  });
}

bool FastCaseReader::Impl::ReadModel(Value v) {
  const auto m = static_cast<std::uint32_t>(models_.size());
  bmil_business_model_view& model = models_.emplace_back();
  model.struct_size = sizeof(bmil_business_model_view);
  model.portfolio = BMIL_NO_INDEX;
  model.value_formula.struct_size = sizeof(bmil_value_formula_view);
  ModelLinks& links = model_links_.emplace_back();
  links.industries_begin = links.industries_end = industries_.size();
  links.carried_begin = links.carried_end = carried_ids_.size();
  const std::size_t block_count = block_ids_.size();
  bmil_block_view empty{};
  empty.struct_size = sizeof(bmil_block_view);
  blocks_.resize(blocks_.size() + block_count, empty);
  block_items_begin_.resize(block_items_begin_.size() + block_count, 0);

  return ForEachField<kModelKeys>(v, Bits({0, 1, 3}), [&](int key, Value value) {
    std::string_view s;
    switch (key) {
      case 0:
        if (!GetId(value, s)) return false;
        models_[m].id = Str(s);
        return true;
      case 1:
        if (!GetText(value, s)) return false;
        models_[m].name = Str(s);
        return true;
      case 2:
        if (!GetText(value, s)) return false;
        models_[m].description = Str(s);
        return true;
      case 3:
        return GetEnum<sdk::kStateNames>(value, models_[m].state);
      case 4:
        return GetEnum<sdk::kStageNames>(value, models_[m].stage);
      case 5: {
        const std::size_t begin = industries_.size();
        const bool ok = ForEachItem(value, false, [&](Value item) {
          bmil_industry_view industry{};
          const bool read = ForEachField<kIndustryKeys>(item, Bits({0, 1}), [&](int k, Value x) {
            if (k == 1) return GetEnum<sdk::kIndustryStatusNames>(x, industry.status);
            if (!GetId(x, s)) return false;
            industry.id = Str(s);
            return true;
          });
          industries_.push_back(industry);
          return read;
        });
        model_links_[m].industries_begin = begin;
        model_links_[m].industries_end = industries_.size();
        if (!ok) return false;
        scratch_.clear();
        for (std::size_t i = begin; i < industries_.size(); ++i) {
          scratch_.emplace_back(industries_[i].id.data, industries_[i].id.size);
        }
        return Distinct(scratch_);
      }
      case 6: {
        dom::object object;
        if (value.get_object().get(object) != kOk) return false;
        for (dom::key_value_pair member : object) {
          const int b = IndexOf(block_id_text_, member.key);
          if (b < 0 || !ReadBlock(member.value, m, static_cast<std::uint32_t>(b))) return false;
        }
        return true;
      }
      case 7: {
        const std::size_t begin = carried_ids_.size();
        const bool ok = ForEachItem(value, false, [&](Value item) {
          if (!GetString(item, s)) return false;
          carried_ids_.push_back(s);
          return true;
        });
        model_links_[m].carried_begin = begin;
        model_links_[m].carried_end = carried_ids_.size();
        return ok;
      }
      default:
        return GetAttributes(value, 4, model_links_[m].attributes);
    }
  });
}

bool FastCaseReader::Impl::ReadTask(Value v) {
  bmil_task_view& task = tasks_.emplace_back();
  task.struct_size = sizeof(bmil_task_view);
  task.effort = -1.0;
  const std::size_t t = tasks_.size() - 1;
  task_models_.emplace_back();
  task_attributes_.push_back(SIZE_MAX);
  return ForEachField<kTaskKeys>(v, Bits({0, 1, 3, 4}), [&](int key, Value value) {
    bmil_task_view& out = tasks_[t];
    std::string_view s;
    switch (key) {
      case 0:
        if (!GetId(value, s)) return false;
        out.id = Str(s);
        return true;
      case 1:
        return GetString(value, task_models_[t]);
      case 2:
        if (!GetText(value, s)) return false;
        out.description = Str(s);
        return true;
      case 3:
        return GetSet(value, block_id_text_, true, out.blocks);
      case 4:
        return GetSet(value, line_id_text_, true, out.lines);
      case 5:
        return GetEnum<sdk::kActionNames>(value, out.action);
      case 6:
        return GetEnum<sdk::kLevelNames>(value, out.level);
      case 7:
        return GetEnum<sdk::kPhaseNames>(value, out.phase);
      case 8: {
        std::optional<rules::Date> start, end;
        const bool ok = ForEachField<kPeriodKeys>(value, Bits({0}), [&](int k, Value x) {
          std::string_view date;
          if (!GetString(x, date)) return false;
          auto parsed = rules::ParseDate(date);
          if (!parsed) return false;
          (k == 0 ? start : end) = parsed;
          (k == 0 ? out.start_year : out.end_year) = (*parsed)[0];
          return true;
        });
        return ok && !(start && end && *end < *start);
      }
      case 9:
        return GetEnum<sdk::kTaskStatusNames>(value, out.status);
      case 10:
        return GetAmount(value, out.effort);
      case 11:
        return GetEnum<sdk::kStanceNames>(value, out.stance);
      case 12:
        return GetEnum<sdk::kPerspectiveNames>(value, out.perspective);
      default:
        return GetAttributes(value, 4, task_attributes_[t]);
    }
  });
}

bool FastCaseReader::Impl::ReadStrategy(Value v) {
  bmil_strategy_view& out = view_.strategy;
  return ForEachField<kStrategyKeys>(v, 0, [&](int key, Value value) {
    bool flag = false;
    std::string_view s;
    switch (key) {
      case 0:
      case 1:
        if (value.get_bool().get(flag) != kOk) return false;
        (key == 0 ? out.explicit_strategy : out.structured_process) =
            flag ? BMIL_FLAG_YES : BMIL_FLAG_NO;
        return true;
      case 2:
        return GetEnum<sdk::kSkillsNames>(value, out.skills);
      case 3:
        return ForEachItem(value, false, [&](Value item) {
          if (!GetText(item, s)) return false;
          goals_.push_back(Str(s));
          return true;
        });
      case 4:
        return GetSet(value, line_id_text_, false, out.lines);
      default:
        return GetText(value, s);
    }
  });
}

bool FastCaseReader::Impl::ReadSource(Value v) {
  return ForEachField<kSourceKeys>(v, 0, [&](int key, Value value) {
    std::string_view s;
    return key == 1 ? GetString(value, s) : GetText(value, s);
  });
}

bool FastCaseReader::Impl::Link() {
  // Ids unique per kind; references name known business models.
  // Few models (the usual case): looked up one by one; many: through a sorted index.
  const bool few_models = models_.size() <= kFewIds;
  auto model_id = [&](std::size_t m) {
    return std::string_view(models_[m].id.data, models_[m].id.size);
  };
  if (few_models) {
    scratch_.clear();
    for (std::size_t m = 0; m < models_.size(); ++m) scratch_.push_back(model_id(m));
    if (!Distinct(scratch_)) return false;
  } else {
    model_index_.clear();
    for (std::size_t m = 0; m < models_.size(); ++m) {
      model_index_.emplace_back(model_id(m), static_cast<std::uint32_t>(m));
    }
    std::sort(model_index_.begin(), model_index_.end());
    for (std::size_t i = 1; i < model_index_.size(); ++i) {
      if (model_index_[i].first == model_index_[i - 1].first) return false;
    }
  }
  auto find_model = [&](std::string_view id) -> std::uint32_t {
    if (few_models) {
      for (std::size_t m = 0; m < models_.size(); ++m) {
        if (SameId(model_id(m), id)) return static_cast<std::uint32_t>(m);
      }
      return BMIL_NO_INDEX;
    }
    auto it = std::lower_bound(model_index_.begin(), model_index_.end(),
                               std::pair<std::string_view, std::uint32_t>(id, 0));
    return it != model_index_.end() && it->first == id ? it->second : BMIL_NO_INDEX;
  };
  scratch_.clear();
  for (const auto& p : portfolios_) scratch_.emplace_back(p.id.data, p.id.size);
  if (!Distinct(scratch_)) return false;
  scratch_.clear();
  for (const auto& t : tasks_) scratch_.emplace_back(t.id.data, t.id.size);
  if (!Distinct(scratch_)) return false;

  for (std::size_t p = 0; p < portfolios_.size(); ++p) {
    for (std::size_t i = portfolio_members_[p].first; i < portfolio_members_[p].second; ++i) {
      const std::uint32_t m = find_model(member_ids_[i]);
      if (m == BMIL_NO_INDEX) return false;
      if (models_[m].portfolio == BMIL_NO_INDEX) models_[m].portfolio = static_cast<uint32_t>(p);
    }
  }
  for (std::size_t t = 0; t < tasks_.size(); ++t) {
    tasks_[t].business_model = find_model(task_models_[t]);
    if (tasks_[t].business_model == BMIL_NO_INDEX) return false;
    tasks_[t].attributes_json =
        task_attributes_[t] == SIZE_MAX ? kEmptyObject : Str(texts_[task_attributes_[t]]);
  }
  const std::size_t block_count = block_ids_.size();
  for (std::size_t m = 0; m < models_.size(); ++m) {
    const ModelLinks& links = model_links_[m];
    bmil_business_model_view& model = models_[m];
    const std::size_t carried_begin = carried_by_.size();
    for (std::size_t i = links.carried_begin; i < links.carried_end; ++i) {
      const std::uint32_t carrier = find_model(carried_ids_[i]);
      if (carrier == BMIL_NO_INDEX || carrier == m) return false;
      carried_by_.push_back(carrier);
    }
    model.carried_by_count = static_cast<std::uint32_t>(carried_by_.size() - carried_begin);
    model.industry_count =
        static_cast<std::uint32_t>(links.industries_end - links.industries_begin);
    model.attributes_json =
        links.attributes == SIZE_MAX ? kEmptyObject : Str(texts_[links.attributes]);
  }
  // Every array is final now: set the pointers into them.
  std::size_t carried_at = 0;
  for (std::size_t m = 0; m < models_.size(); ++m) {
    bmil_business_model_view& model = models_[m];
    model.industries = industries_.data() + model_links_[m].industries_begin;
    model.carried_by = carried_by_.data() + carried_at;
    carried_at += model.carried_by_count;
    model.blocks = blocks_.data() + m * block_count;
    for (std::size_t b = 0; b < block_count; ++b) {
      bmil_block_view& block = blocks_[m * block_count + b];
      if (block.present != 0) block.items = items_.data() + block_items_begin_[m * block_count + b];
    }
  }
  PointViewAt(view_, block_ids_, line_ids_, portfolios_, models_, tasks_);
  view_.attributes_json =
      business_attributes_ == SIZE_MAX ? kEmptyObject : Str(texts_[business_attributes_]);
  view_.strategy.goals = goals_.data();
  view_.strategy.goal_count = static_cast<std::uint32_t>(goals_.size());
  return true;
}

bool FastCaseReader::Impl::Read(std::string_view text) {
  Reset();
  // The DOM parser checks the whole text: one JSON value and nothing else after it.
  Value root;
  if (parser_.parse(text.data(), text.size(), false).get(root) != kOk) return false;
  dom::object object;
  if (root.get_object().get(object) != kOk) return false;

  bool has_models = false;
  const bool ok = ForEachMember<kCaseKeys>(object, Bits({0, 1, 3}), [&](int key, Value v) {
    std::string_view s;
    switch (key) {
      case 0:
        return GetString(v, s) && s == rules::kFormatVersion;
      case 1:
        return ReadBusiness(v);
      case 2:
        return ForEachItem(v, false, [&](Value item) { return ReadPortfolio(item); });
      case 3:
        has_models = true;
        return ForEachItem(v, true, [&](Value item) { return ReadModel(item); });
      case 4:
        return ForEachItem(v, false, [&](Value item) { return ReadTask(item); });
      case 5:
        return ReadStrategy(v);
      default:
        return ReadSource(v);
    }
  });
  return ok && has_models && Link();
}

FastCaseReader::FastCaseReader(const Registry& registry)
    : impl_(std::make_unique<Impl>(registry)) {}
FastCaseReader::~FastCaseReader() = default;

bool FastCaseReader::Read(std::string_view text) {
  try {
    return impl_->Read(text);
  } catch (const std::exception&) {  // out of memory: the loader decides (and reports)
    return false;
  }
}

const bmil_case_view& FastCaseReader::view() const { return impl_->view(); }

std::string_view FastCaseReader::StringRegion() const { return impl_->StringRegion(); }

}  // namespace bmil
