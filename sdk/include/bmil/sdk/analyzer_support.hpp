// Helpers analyzers share: the leadership lines the host passes in the configuration,
// capped listings that merge exactly, shares and percentages, and counting by the positions
// of an analyzer's own lists of block and line ids (SeenIds, IdPositions, CountMatrix).
#ifndef BMIL_SDK_ANALYZER_SUPPORT_HPP_
#define BMIL_SDK_ANALYZER_SUPPORT_HPP_

#include <bmil/sdk/error.hpp>
#include <bmil/sdk/threat.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmil::sdk {

// One leadership line as the host describes it to analyzers (a line plugin's describe()).
struct ConfigLine {
  std::string id;
  std::string code;  // e.g. "CIL"; empty when the line gives none
  std::string name;
  std::string focus_block;
  std::string perspective;
  std::map<std::string, std::string> questions;  // block id -> guiding question
  // strengths, weaknesses, opportunities, threats (as the line states them)
  std::array<std::vector<std::string>, 4> swot;
  std::string swot_source;
  std::vector<ThreatRule> threats;

  // The code, or the id when the line has no code: a label for tables.
  const std::string& label() const { return code.empty() ? id : code; }
};

// The lines of the analyzer configuration {"lines": [<line descriptor>...]} in its order;
// empty when the configuration has no "lines". Throws sdk::Error(BMIL_ERROR_INVALID_ARGUMENT)
// naming what is malformed.
inline std::vector<ConfigLine> LinesFromConfig(const nlohmann::json& config) {
  auto fail = [](const std::string& what) { throw Error(BMIL_ERROR_INVALID_ARGUMENT, what); };
  if (!config.is_object()) fail("config must be a JSON object");
  std::vector<ConfigLine> lines;
  if (!config.contains("lines")) return lines;
  if (!config.at("lines").is_array()) fail("config \"lines\" must be an array");
  auto text = [](const nlohmann::json& j, const char* key) {
    return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : std::string();
  };
  static constexpr std::array<const char*, 4> kSwotKeys = {"strengths", "weaknesses",
                                                           "opportunities", "threats"};
  for (const auto& j : config.at("lines")) {
    if (!j.is_object() || text(j, "id").empty()) fail("every config line needs a string \"id\"");
    ConfigLine line;
    line.id = text(j, "id");
    line.code = text(j, "code");
    line.name = text(j, "name");
    line.focus_block = text(j, "focus_block");
    line.perspective = text(j, "perspective");
    if (j.contains("questions") && j.at("questions").is_array()) {
      for (const auto& q : j.at("questions")) {
        if (q.is_object() && !text(q, "block").empty())
          line.questions[text(q, "block")] = text(q, "question");
      }
    }
    if (j.contains("swot") && j.at("swot").is_object()) {
      const auto& swot = j.at("swot");
      for (std::size_t k = 0; k < kSwotKeys.size(); ++k) {
        if (!swot.contains(kSwotKeys[k]) || !swot.at(kSwotKeys[k]).is_array()) continue;
        for (const auto& item : swot.at(kSwotKeys[k]))
          if (item.is_string()) line.swot[k].push_back(item.get<std::string>());
      }
      line.swot_source = text(swot, "source");
    }
    if (j.contains("threats") && j.at("threats").is_array()) {
      for (const auto& rule : j.at("threats")) {
        try {
          line.threats.push_back(ThreatRuleFromJson(rule));
        } catch (const nlohmann::json::exception& e) {
          fail("config line \"" + line.id + "\" has a malformed threat rule: " + e.what());
        }
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// How much an analyzer lists (docs/analyses.md, "Listings"): rows per listing table, items
// given a finding of their own before one finding counts the rest, and evidence lines per
// finding. Every count and metric covers all cases whatever these are; only listings are
// capped, so that the state and the report stay bounded on any number of cases.
struct Listing {
  static constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();
  std::size_t rows = 200;
  std::size_t findings = 20;
  std::size_t evidence = 10;
  // "first 200" for a table title; "all" when lifted.
  std::string RowsWord() const { return rows == kAll ? "all" : "first " + std::to_string(rows); }
};

// The listing caps of the analyzer configuration, starting from the analyzer's `defaults`:
// {"listing": {"max_rows": N}} caps every listing at N (tables at N rows, findings and
// evidence at min(default, N)); {"listing": {"all": true}} lifts every cap (bmil --all).
// Absent: the defaults. Throws sdk::Error(BMIL_ERROR_INVALID_ARGUMENT) when malformed.
inline Listing ListingFromConfig(const nlohmann::json& config, Listing defaults = {}) {
  auto fail = [](const std::string& what) { throw Error(BMIL_ERROR_INVALID_ARGUMENT, what); };
  if (!config.is_object() || !config.contains("listing")) return defaults;
  const nlohmann::json& l = config.at("listing");
  if (!l.is_object()) fail("config \"listing\" must be an object");
  if (l.contains("all")) {
    if (!l.at("all").is_boolean()) fail("config \"listing/all\" must be true or false");
    if (l.at("all").get<bool>()) return {Listing::kAll, Listing::kAll, Listing::kAll};
  }
  if (l.contains("max_rows")) {
    const nlohmann::json& n = l.at("max_rows");
    const bool positive = n.is_number_unsigned()  ? n.get<std::uint64_t>() > 0
                          : n.is_number_integer() ? n.get<std::int64_t>() > 0
                                                  : false;
    if (!positive) fail("config \"listing/max_rows\" must be a positive integer");
    const std::size_t rows = static_cast<std::size_t>(
        std::min<std::uint64_t>(n.get<std::uint64_t>(), std::numeric_limits<std::size_t>::max()));
    return {rows, std::min(defaults.findings, rows), std::min(defaults.evidence, rows)};
  }
  return defaults;
}

// The first capacity() items of a sequence in the order they came (N unless set_capacity()
// changed it, e.g. from a Listing), and the count of all of them. Appending another
// CappedList keeps the exact prefix of the concatenated sequence, so listings merge like one
// run: while the list is not full, total() == items().size().
//
// In Add(), check full() first to skip building an item the list would not keep, and count
// it with Skip() instead: a chunk of a batch run adds thousands of cases after its listings
// are full.
template <typename T, std::size_t N>
class CappedList {
 public:
  static constexpr std::size_t kCapacity = N;
  // Sets the capacity (Listing::kAll: no cap); call before the first Add(). Items already
  // beyond it are dropped.
  void set_capacity(std::size_t capacity) {
    capacity_ = capacity;
    if (items_.size() > capacity_) items_.resize(capacity_);
  }
  std::size_t capacity() const { return capacity_; }
  // Whether the list holds capacity() items: further items are only counted.
  bool full() const { return items_.size() >= capacity_; }
  void Add(T item) {
    ++total_;
    if (full()) return;
    // No moves of the rows as a capped list fills up.
    if (items_.empty() && capacity_ <= kReserveLimit) items_.reserve(capacity_);
    items_.push_back(std::move(item));
  }
  // Counts `n` items that are not kept; call only when full(), or the list would no longer
  // be the prefix of the sequence.
  void Skip(std::int64_t n = 1) { total_ += n; }
  // Appends the other list's items while there is room, and counts all of them. Once this
  // list has left an item out (e.g. a part saved under a smaller cap), nothing more is
  // appended: what follows would not continue the prefix.
  void Append(const CappedList& other) {
    const bool cut = total_ > static_cast<std::int64_t>(items_.size());
    total_ += other.total_;
    if (cut) return;
    for (const auto& item : other.items_) {
      if (items_.size() >= capacity_) break;
      items_.push_back(item);
    }
  }
  const std::vector<T>& items() const { return items_; }
  std::int64_t total() const { return total_; }
  // For Load(): restores a saved list (items beyond capacity() are dropped).
  void Restore(std::vector<T> items, std::int64_t total) {
    items_ = std::move(items);
    if (items_.size() > capacity_) items_.resize(capacity_);
    total_ = std::max<std::int64_t>(total, static_cast<std::int64_t>(items_.size()));
  }

 private:
  static constexpr std::size_t kReserveLimit = 4096;
  std::vector<T> items_;
  std::int64_t total_ = 0;
  std::size_t capacity_ = N;
};

// part / whole, or NaN (written as JSON null) when whole is 0.
inline double Share(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? std::numeric_limits<double>::quiet_NaN()
                    : static_cast<double>(part) / static_cast<double>(whole);
}

// A share in 0..1 as a whole percentage, rounded half up ("43%"); "n/a" for NaN.
inline std::string Percent(double share) {
  if (std::isnan(share)) return "n/a";
  return std::to_string(static_cast<long long>(std::floor(share * 100.0 + 0.5))) + "%";
}

// part / whole as a whole percentage, rounded half up in integers (exact at .5); "n/a" when
// whole is 0.
inline std::string Percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "n/a";
  return std::to_string((200 * part + whole) / (2 * whole)) + "%";
}

// Appends `id` to `order` unless it is there already (ids in first-seen order); returns its
// position in `order`.
inline std::size_t AppendNew(std::vector<std::string>& order, const std::string& id) {
  const auto it = std::find(order.begin(), order.end(), id);
  if (it != order.end()) return static_cast<std::size_t>(it - order.begin());
  order.push_back(id);
  return order.size() - 1;
}

// Ids in the order they come, each once, e.g. the businesses a finding concerns (the last
// argument of ResultBuilder::AddFinding). A set guards against repeats, so that a finding
// naming every business of a large run (bmil --all) costs no quadratic search.
class UniqueIds {
 public:
  void Add(std::string_view id) {
    if (seen_.emplace(id).second) ids_.emplace_back(id);
  }
  const std::vector<std::string>& ids() const { return ids_; }
  // The ids, leaving this empty.
  std::vector<std::string> Take() {
    seen_.clear();
    return std::move(ids_);
  }

 private:
  std::set<std::string, std::less<>> seen_;
  std::vector<std::string> ids_;
};

// The ids of the previous view's blocks or lines, to notice when they change (they are the
// same for every case of a run, so an analyzer can redo per-registration work only then).
//
//   SeenIds seen_lines;                  // member of the analyzer
//   if (seen_lines.Changed(view.line_count(), [&](std::size_t l) { return view.line_id(l); }))
//     ...                                // once per Add(); true for the first view
class SeenIds {
 public:
  // Whether the `count` ids id_at(0..count-1) (each convertible to std::string_view) differ
  // from those of the previous call (or there was none); remembers them when they do.
  template <typename IdAt>
  bool Changed(std::size_t count, IdAt id_at) {
    bool same = known_ && ids_.size() == count;
    for (std::size_t i = 0; same && i < count; ++i) same = ids_[i] == std::string_view(id_at(i));
    if (same) return false;
    ids_.clear();
    for (std::size_t i = 0; i < count; ++i) ids_.emplace_back(id_at(i));
    known_ = true;
    return true;
  }
  // The ids of the last call.
  const std::vector<std::string>& ids() const { return ids_; }
  // Forgets them: the next call reports a change.
  void Clear() {
    ids_.clear();
    known_ = false;
  }

 private:
  std::vector<std::string> ids_;
  bool known_ = false;
};

// Maps the bit indices of a view's blocks (or lines) to positions in an analyzer's own list
// of names, so that Add() can count in dense arrays indexed by position and name the rows only
// in Save() or Finish(). The list keeps first-seen order across cases and merges (see
// AppendNew). Update() compares the view's ids with those of the previous call (SeenIds) and
// does no other work when they are the same, which they are for every case of a run.
//
//   IdPositions block_pos;               // member of the analyzer
//   block_pos.Update(view.block_count(), [&](std::size_t b) { return view.block_id(b); },
//                    blocks_);           // once per Add()
//   ++counts_[block_pos[b]];             // b: a bit index of an IdSet of the view
class IdPositions {
 public:
  // Refreshes the map for the `count` ids id_at(0..count-1) (each convertible to
  // std::string_view), appending the ones not yet in `names` to it. Throws
  // Error(BMIL_ERROR_INVALID_ARGUMENT) when `names` would exceed `max_names`.
  template <typename IdAt>
  void Update(std::size_t count, IdAt id_at, std::vector<std::string>& names,
              std::size_t max_names = BMIL_MAX_IDS) {
    if (!seen_.Changed(count, id_at)) return;
    pos_.clear();
    for (const std::string& id : seen_.ids()) {
      const std::size_t p = AppendNew(names, id);
      if (p >= max_names) {
        names.pop_back();
        seen_.Clear();
        pos_.clear();
        throw Error(BMIL_ERROR_INVALID_ARGUMENT,
                    "more than " + std::to_string(max_names) + " distinct ids");
      }
      pos_.push_back(p);
    }
  }
  // The position in `names` of the view's id with bit index `index` (< the last count).
  std::size_t operator[](std::size_t index) const { return pos_[index]; }
  std::size_t size() const { return pos_.size(); }
  // Every position, by bit index.
  const std::vector<std::size_t>& positions() const { return pos_; }

 private:
  SeenIds seen_;
  std::vector<std::size_t> pos_;
};

// Counts by (row, column) position of an analyzer's own name lists, e.g. line x block: a
// dense row-major matrix that keeps its counts exact as the lists grow. Fit() before using
// new positions; positions past the last Fit() are out of range.
class CountMatrix {
 public:
  // Makes room for `rows` x `columns` counts, keeping the counts (new ones are 0). The row
  // length grows at least twofold when it must, so lists growing one id at a time cost
  // amortized constant time.
  void Fit(std::size_t rows, std::size_t columns) {
    if (columns > stride_) {
      const std::size_t stride = std::max<std::size_t>({columns, 2 * stride_, 8});
      std::vector<std::int64_t> grown(rows_ * stride, 0);
      for (std::size_t r = 0; r < rows_; ++r)
        std::copy_n(counts_.begin() + static_cast<std::ptrdiff_t>(r * stride_), stride_,
                    grown.begin() + static_cast<std::ptrdiff_t>(r * stride));
      counts_ = std::move(grown);
      stride_ = stride;
    }
    if (rows > rows_) {
      rows_ = rows;
      counts_.resize(rows_ * stride_, 0);
    }
  }
  // Row `row`'s counts, indexed by column (valid until the next Fit()).
  std::int64_t* row(std::size_t row) { return counts_.data() + row * stride_; }
  std::int64_t at(std::size_t row, std::size_t column) const {
    return counts_[row * stride_ + column];
  }
  std::int64_t& at(std::size_t row, std::size_t column) { return counts_[row * stride_ + column]; }

 private:
  std::vector<std::int64_t> counts_;
  std::size_t rows_ = 0;
  std::size_t stride_ = 0;
};

}  // namespace bmil::sdk

#endif  // BMIL_SDK_ANALYZER_SUPPORT_HPP_
