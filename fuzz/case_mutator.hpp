// A structure-aware mutator for case documents (libFuzzer's LLVMFuzzerCustomMutator). With
// byte mutations alone the fast-path differential found 0.3% of its records valid in a
// measured minute, so the properties that hold only for valid cases (the fast path's view
// equals the loader's, a case round-trips through its writer) were rarely checked; with
// this mutator 14% are (and a valid record is more costly to run, so that is 38 instead of
// 4 comparisons a second).
//
// It starts from a valid case the target met before (ValidCases) or from the input, parses
// it as JSON and changes a node or a few: mostly keeping its type (a string from the
// format's vocabulary or with mutated bytes, a nearby or interesting number, a flipped
// boolean), else an array item removed, duplicated or moved, a member removed, renamed or
// added, a node copied over another, a small random JSON value (attributes take any). It
// writes the result in one of several layouts (one line, indented, with tabs, every
// non-ASCII character escaped). A fifth of the mutations of the input, and every input that
// is not JSON, get libFuzzer's own byte mutations, so the syntax errors stay covered.
#ifndef BMIL_FUZZ_CASE_MUTATOR_HPP_
#define BMIL_FUZZ_CASE_MUTATOR_HPP_

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace bmil::fuzz {
namespace case_mutator {

using Json = nlohmann::ordered_json;
using Random = std::minstd_rand;

// Words of the case format (docs/schema/case.schema.json): keys, enumerations, block and
// line ids, and values of the forms the format checks (version, dates, country, ids).
inline const std::vector<const char*>& Words() {
  static const std::vector<const char*> words = {"bmil",
                                                 "business",
                                                 "business_models",
                                                 "portfolios",
                                                 "bmi_tasks",
                                                 "strategy",
                                                 "source",
                                                 "id",
                                                 "name",
                                                 "description",
                                                 "industry",
                                                 "country",
                                                 "size",
                                                 "founded",
                                                 "employees",
                                                 "attributes",
                                                 "state",
                                                 "stage",
                                                 "industries",
                                                 "status",
                                                 "carried_by",
                                                 "value_formula",
                                                 "revenue",
                                                 "cost",
                                                 "users",
                                                 "customers",
                                                 "currency",
                                                 "forms",
                                                 "items",
                                                 "business_model",
                                                 "building_blocks",
                                                 "leadership_lines",
                                                 "action",
                                                 "level",
                                                 "phase",
                                                 "stance",
                                                 "perspective",
                                                 "period",
                                                 "start",
                                                 "end",
                                                 "effort",
                                                 "explicit",
                                                 "structured_process",
                                                 "skills",
                                                 "goals",
                                                 "citation",
                                                 "url",
                                                 "notes",
                                                 "value_proposition",
                                                 "value_chain",
                                                 "competences",
                                                 "network",
                                                 "relations",
                                                 "value",
                                                 "customer",
                                                 "competence",
                                                 "relation",
                                                 "process",
                                                 "as_is",
                                                 "to_be",
                                                 "idea",
                                                 "concept",
                                                 "prototype",
                                                 "market",
                                                 "retired",
                                                 "micro",
                                                 "small",
                                                 "medium",
                                                 "large",
                                                 "home",
                                                 "create",
                                                 "keep",
                                                 "upgrade",
                                                 "diminish",
                                                 "exclude",
                                                 "physical",
                                                 "digital",
                                                 "virtual",
                                                 "planned",
                                                 "ongoing",
                                                 "completed",
                                                 "succeeded",
                                                 "failed",
                                                 "abandoned",
                                                 "attempted",
                                                 "low",
                                                 "high",
                                                 "proactive",
                                                 "reactive",
                                                 "inside_out",
                                                 "outside_in",
                                                 "inside_in",
                                                 "before",
                                                 "during",
                                                 "after",
                                                 "building_block",
                                                 "portfolio",
                                                 "1.0",
                                                 "1.1",
                                                 "2012",
                                                 "2012-05",
                                                 "2012-05-31",
                                                 "2100",
                                                 "1899",
                                                 "DK",
                                                 "dk",
                                                 "EUR",
                                                 "a",
                                                 "",
                                                 "b\u00e9",
                                                 "\u2028",
                                                 "\U0001F600",
                                                 "bm0",
                                                 "bm1",
                                                 "t0",
                                                 "p0"};
  return words;
}

inline std::size_t Pick(Random& rng, std::size_t n) { return n == 0 ? 0 : rng() % n; }

// A number of one of the forms the readers must agree on.
inline Json Number(Random& rng) {
  switch (Pick(rng, 14)) {
    case 0:
      return 0;
    case 1:
      return -1;
    case 2:
      return 1800 + static_cast<int>(Pick(rng, 302));  // around the year limits
    case 3:
      return 1.0;  // an integer written "1.0"
    case 4:
      return -0.0;
    case 5:
      return 0.1;
    case 6:
      return 1e21;
    case 7:
      return 9007199254740993.0;
    case 8:
      return INT64_MAX;
    case 9:
      return INT64_MIN;
    case 10:
      return UINT64_MAX;
    case 11:
      return 4294967296LL;
    case 12:
      return 2.5e-308;
    default:
      return static_cast<double>(rng()) / 7.0;
  }
}

// A small JSON value: a scalar, or an array or object of a few of them.
inline Json Small(Random& rng, int depth = 0) {
  const auto& words = Words();
  switch (Pick(rng, depth < 3 ? 8 : 5)) {
    case 0:
      return nullptr;
    case 1:
      return Pick(rng, 2) == 1;
    case 2:
      return Number(rng);
    case 3:
    case 4:
      return words[Pick(rng, words.size())];
    case 5: {
      Json array = Json::array();
      for (std::size_t i = Pick(rng, 4); i > 0; --i) array.push_back(Small(rng, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      for (std::size_t i = Pick(rng, 4); i > 0; --i) {
        object[words[Pick(rng, words.size())]] = Small(rng, depth + 1);
      }
      return object;
    }
  }
}

// Every node of `doc`, root first.
inline void Nodes(Json& doc, std::vector<Json*>& out) {
  std::vector<Json*> stack{&doc};
  while (!stack.empty()) {
    Json* node = stack.back();
    stack.pop_back();
    out.push_back(node);
    if (node->is_structured()) {
      for (auto& child : *node) stack.push_back(&child);
    }
  }
}

// A string of the format's vocabulary, or `text` with its bytes mutated by libFuzzer (the
// dictionary included; invalid UTF-8 is written as U+FFFD by dump's error handler).
inline std::string String(const std::string& text, Random& rng) {
  const auto& words = Words();
  if (Pick(rng, 2) == 0) return words[Pick(rng, words.size())];
  std::string bytes = text;
  const std::size_t max = text.size() + 16;
  bytes.resize(max);
  bytes.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(bytes.data()), text.size(), max));
  return bytes;
}

// A number near `value` of the same kind (integer or not), or any interesting number.
inline Json NumberLike(const Json& value, Random& rng) {
  if (Pick(rng, 3) == 0) return Number(rng);
  if (value.is_number_float()) {
    const double x = value.get<double>();
    static constexpr double kFactors[] = {-1.0, 0.5, 2.0, 10.0, 1e-3, 1e6};
    return Pick(rng, 4) == 0 ? Json(x + 1.0) : Json(x * kFactors[Pick(rng, 6)]);
  }
  // Integers step in two's complement (wrapping, never undefined): off by one, by a hundred.
  static constexpr std::uint64_t kSteps[] = {~std::uint64_t{0}, 1, ~std::uint64_t{99}, 100, 10000};
  const std::uint64_t stepped = value.get<std::uint64_t>() + kSteps[Pick(rng, 5)];
  if (value.is_number_unsigned()) return stepped;
  return static_cast<std::int64_t>(stepped);
}

// Changes one node of `doc`; false when nothing could be changed. Most changes keep a
// value's type (a string for a string, a number for a number), which keeps a valid case
// valid often enough for the valid-case properties to be checked.
inline bool MutateOne(Json& doc, Random& rng) {
  std::vector<Json*> nodes;
  Nodes(doc, nodes);
  Json& node = *nodes[Pick(rng, nodes.size())];
  const auto& words = Words();
  switch (Pick(rng, 16)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:  // the same type, another value
      if (node.is_string()) {
        node = String(node.get<std::string>(), rng);
      } else if (node.is_number()) {
        node = NumberLike(node, rng);
      } else if (node.is_boolean()) {
        node = !node.get<bool>();
      } else {
        return false;
      }
      return true;
    case 7: {  // an array item or a member removed
      if (!node.is_structured() || node.empty()) return false;
      if (node.is_array()) {
        node.erase(Pick(rng, node.size()));
      } else {
        auto it = node.begin();
        std::advance(it, static_cast<long>(Pick(rng, node.size())));
        node.erase(it);
      }
      return true;
    }
    case 8:
    case 9: {  // an array item duplicated
      if (!node.is_array() || node.empty()) return false;
      const Json item = node[Pick(rng, node.size())];
      node.insert(node.begin() + static_cast<long>(Pick(rng, node.size() + 1)), item);
      return true;
    }
    case 10: {  // two array items swapped
      if (!node.is_array() || node.size() < 2) return false;
      std::swap(node[Pick(rng, node.size())], node[Pick(rng, node.size())]);
      return true;
    }
    case 11: {  // a member renamed to a word of the format
      if (!node.is_object() || node.empty()) return false;
      auto it = node.begin();
      std::advance(it, static_cast<long>(Pick(rng, node.size())));
      const Json value = it.value();
      node.erase(it);
      node[words[Pick(rng, words.size())]] = value;
      return true;
    }
    case 12: {  // a member added
      if (!node.is_object()) return false;
      node[words[Pick(rng, words.size())]] = Small(rng);
      return true;
    }
    case 13: {  // a node copied over this one (a copy: it may be inside this node)
      const Json copy = *nodes[Pick(rng, nodes.size())];
      node = copy;
      return true;
    }
    case 14:
      node = words[Pick(rng, words.size())];
      return true;
    default:
      node = Small(rng);
      return true;
  }
}

// Whether arrays and objects in `text` nest deeper than `limit` (strings skipped): nlohmann
// copies and writes values recursively, so a deep document is left to the byte mutations.
inline bool NestsDeeperThan(const std::uint8_t* text, std::size_t size, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace case_mutator

// The valid cases a target has met, for the mutator to start from. libFuzzer keeps an input
// in the corpus for its coverage, and the loader's refusals give most of the coverage, so
// the corpus soon holds few valid cases; mutating these instead keeps the valid-case
// properties checked. A ring of the last kSlots cases of at most kMaxBytes each.
class ValidCases {
 public:
  static constexpr std::size_t kSlots = 256;
  static constexpr std::size_t kMaxBytes = std::size_t{64} << 10;

  void Remember(std::string_view text) {
    if (text.size() > kMaxBytes) return;
    if (cases_.size() < kSlots) {
      cases_.emplace_back(text);
    } else {
      cases_[next_].assign(text);
    }
    next_ = (next_ + 1) % kSlots;
  }
  bool empty() const { return cases_.empty(); }
  const std::string& Pick(case_mutator::Random& rng) const {
    return cases_[case_mutator::Pick(rng, cases_.size())];
  }

 private:
  std::vector<std::string> cases_;
  std::size_t next_ = 0;
};

inline ValidCases& RememberedCases() {
  static ValidCases cases;
  return cases;
}

// LLVMFuzzerCustomMutator for targets that read case documents; see the file comment. It
// starts from a remembered valid case (RememberedCases()) instead of the input with the
// probability `from_valid` (when there is one).
inline std::size_t MutateCase(std::uint8_t* data, std::size_t size, std::size_t max_size,
                              unsigned int seed, double from_valid) {
  using namespace case_mutator;
  Random rng(seed);
  const ValidCases& valid = RememberedCases();
  std::string_view base(reinterpret_cast<const char*>(data), size);
  if (!valid.empty() && static_cast<double>(Pick(rng, 1000)) < from_valid * 1000) {
    base = valid.Pick(rng);
  } else if (Pick(rng, 5) == 0 || NestsDeeperThan(data, size, 100)) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  Json doc = Json::parse(base.begin(), base.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return LLVMFuzzerMutate(data, size, max_size);
  static constexpr std::size_t kChanges[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  for (std::size_t changes = kChanges[Pick(rng, 10)]; changes > 0;) {
    if (MutateOne(doc, rng)) --changes;
  }
  static constexpr int kIndents[] = {-1, -1, -1, 2, 1};
  const bool tabs = Pick(rng, 8) == 0;
  const std::string text =
      doc.dump(tabs ? 1 : kIndents[Pick(rng, 5)], tabs ? '\t' : ' ',
               /*ensure_ascii=*/Pick(rng, 6) == 0, Json::error_handler_t::replace);
  if (text.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}

}  // namespace bmil::fuzz

#endif  // BMIL_FUZZ_CASE_MUTATOR_HPP_
