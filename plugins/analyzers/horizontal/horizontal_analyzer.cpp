// Horizontal BMIL (Lindgren 2012, sec. 3.3.2, the Infolink case; Table 2, the process line):
// looking before, during and after a business model's consumption for new business models.
// For every model and portfolio: BMI tasks per phase; the phases no task looks at, listed as
// opportunities for TO BE models with the process line's guiding question; and TO BE models
// that share little with the rest of the business, like Infolink's new model for
// entrepreneurs after the last course phase, which was out of the scope of its portfolio.
//
// Counting units: coverage counts BMI tasks (one phase each); gaps count (model, phase)
// pairs; similarity and out-of-scope count business models.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::Axis;
using bmil::sdk::CaseView;
using bmil::sdk::Column;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

// The listing caps by default (the configuration's "listing" changes them, see Configure()):
// listing tables keep the first 200 rows in case order (every count covers all cases), and
// per-model findings stop at 20, then one finding counts the rest.
constexpr bmil::sdk::Listing kDefaultListing = {200, 20, 10};
// The phase-coverage matrix is drawn only up to this many models (as the canvas does), with
// a row per model of the coverage listing. Not a listing cap: a matrix of more models is not
// drawn at all, whatever the listing caps.
constexpr std::size_t kMaxMatrixModels = 40;
// horizontal.phase_gap needs this many tasks with a stated phase on the model: with fewer,
// the model cannot cover all three phases, so a missing one says nothing about where the
// business looks.
constexpr std::int64_t kMinPhasedTasks = 3;
// horizontal.out_of_scope: a TO BE model whose similarity to the rest of the business is
// below kMaxSimilarity, once it has at least kMinFeatures features. The paper gives no
// figure. Below one in ten, at most one word in ten of what the model is made of (its
// block items and industries) recurs anywhere else in the business. With ten features or
// more one feature moves the share by at most 0.1, the threshold itself, so the flag says
// something about the model's scope rather than about how thinly it is coded. On the
// paper's five cases (examples/cases) the only TO BE model below 0.1 is Infolink's model
// for entrepreneurs after the last course phase (about 0.05); the next lowest is 0.18.
constexpr std::int64_t kMinFeatures = 10;
constexpr double kMaxSimilarity = 0.1;
constexpr std::int64_t kSimilarityDenominator = 10;  // similarity < 1/10, in integers

constexpr std::string_view kSource = "Lindgren 2012, sec. 3.3.2 (Infolink) and Table 2 (process)";

// Phase index: 0 = not stated, 1 before, 2 during, 3 after (bmil_phase).
using PhaseCounts = std::array<std::int64_t, 4>;

// Words that say nothing about what a model is (English function words of three letters or
// more; shorter words are dropped anyway).
constexpr std::array<std::string_view, 28> kStopWords = {
    "all",   "and",   "any",  "are",   "but", "for", "from", "has",  "have", "into",
    "its",   "not",   "off",  "onto",  "our", "out", "per",  "than", "that", "the",
    "their", "these", "this", "those", "via", "who", "with", "your"};
constexpr std::size_t kLongestStopWord = 5;

bool IsStopWord(std::string_view word) {
  if (word.size() > kLongestStopWord) return false;
  return std::find(kStopWords.begin(), kStopWords.end(), word) != kStopWords.end();
}

// Byte -> the byte as it appears in a word (ASCII letters lower-cased; digits, lower-case
// letters and bytes of non-ASCII UTF-8 characters as they are), or 0 for a byte that ends
// a word.
constexpr std::array<char, 256> kWordByte = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 'A' && c <= 'Z')
      table[c] = static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
      table[c] = static_cast<char>(c);
  }
  return table;
}();

// Calls emit(word) for the words of `text`: lower-cased runs of ASCII letters and digits
// (bytes of non-ASCII UTF-8 characters count as letters), without words under three
// characters and stop words; a final "s" is dropped from words of four or more characters
// not ending in "ss", so that "partners" and "partner" meet. A word may be emitted more
// than once. `buffer` is scratch space (its capacity is reused).
template <typename Emit>
void ForEachWord(std::string_view text, std::string& buffer, Emit emit) {
  buffer.resize(text.size());
  char* const out = buffer.data();
  std::size_t start = 0;  // of the current word in `out`
  std::size_t size = 0;   // of `out` used
  auto flush = [&] {
    std::string_view word(out + start, size - start);
    if (word.size() >= 3 && !IsStopWord(word)) {
      if (word.size() >= 4 && word.back() == 's' && word[word.size() - 2] != 's')
        word.remove_suffix(1);
      emit(word);
    }
    start = size;
  };
  for (const char ch : text) {
    const char w = kWordByte[static_cast<unsigned char>(ch)];
    if (w != 0) {
      out[size++] = w;
    } else if (size != start) {
      flush();
    }
  }
  if (size != start) flush();
}

// Exact interning: each distinct string gets a dense id (0, 1, ... in first-seen order).
// The hash only chooses where to look; strings are compared in full, so two strings share
// an id only when they are equal. Would belong in the SDK next to IdPositions if a second
// analyzer needed it.
class Interner {
 public:
  Interner() { Clear(); }

  // The id of `text`, added when new (then id == size() - 1 afterwards).
  std::uint32_t Intern(std::string_view text) {
    const std::uint64_t hash = Hash(text);
    const std::uint64_t tag = hash & kTagMask;
    std::size_t i = hash & mask_;
    for (; slots_[i] != 0; i = (i + 1) & mask_) {
      if ((slots_[i] & kTagMask) != tag) continue;
      const std::uint32_t id = static_cast<std::uint32_t>(slots_[i]) - 1;
      const Entry& e = entries_[id];
      if (e.size == text.size() && Equal(arena_.data() + e.offset, text.data(), e.size)) return id;
    }
    const auto id = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back(
        {static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(text.size()), hash});
    arena_.append(text);
    slots_[i] = tag | (id + 1);
    if (2 * entries_.size() > slots_.size()) Grow();
    return id;
  }
  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return arena_.size(); }
  // Forgets every string (keeping the capacity of the arena and the entries).
  void Clear() {
    arena_.clear();
    entries_.clear();
    slots_.assign(kInitialSlots, 0);
    mask_ = kInitialSlots - 1;
  }

 private:
  static constexpr std::size_t kInitialSlots = 256;
  // A slot holds the high half of the text's hash (a tag that spares most lookups a look at
  // the entry) and id + 1 in the low half; 0 is an empty slot.
  static constexpr std::uint64_t kTagMask = ~std::uint64_t{0} << 32;
  struct Entry {
    std::uint32_t offset;  // in arena_
    std::uint32_t size;
    std::uint64_t hash;
  };

  static std::uint64_t Load64(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  }
  static std::uint64_t Load32(const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  }
  // Any well-mixed 64-bit hash of the bytes: it only chooses the slot and the tag. Inline
  // and eight bytes at a time (the last eight overlapping), as most texts are short.
  static std::uint64_t Hash(std::string_view text) {
    constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;
    const char* p = text.data();
    const std::size_t n = text.size();
    std::uint64_t h = (n + 1) * kMul;
    auto mix = [&](std::uint64_t w) {
      h = (h ^ w) * kMul;
      h ^= h >> 29;
    };
    if (n >= 8) {
      std::size_t k = 0;
      for (; k + 8 < n; k += 8) mix(Load64(p + k));
      mix(Load64(p + n - 8));
    } else if (n >= 4) {
      mix(Load32(p) | Load32(p + n - 4) << 32);
    } else if (n > 0) {
      mix(std::uint64_t{static_cast<unsigned char>(p[0])} |
          std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
          std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
    }
    h *= 0xd6e8feb86659fd93ull;
    return h ^ (h >> 32);
  }
  // a[0, n) == b[0, n), inline (the library's memcmp is a call for a run-time size).
  static bool Equal(const char* a, const char* b, std::size_t n) {
    if (n >= 8) {
      std::size_t k = 0;
      for (; k + 8 < n; k += 8)
        if (Load64(a + k) != Load64(b + k)) return false;
      return Load64(a + n - 8) == Load64(b + n - 8);
    }
    for (std::size_t k = 0; k < n; ++k)
      if (a[k] != b[k]) return false;
    return true;
  }
  void Grow() {
    slots_.assign(2 * slots_.size(), 0);
    mask_ = slots_.size() - 1;
    for (std::size_t id = 0; id < entries_.size(); ++id) {
      std::size_t i = entries_[id].hash & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = (entries_[id].hash & kTagMask) | (id + 1);
    }
  }
  std::string arena_;                 // the strings, one after the other
  std::vector<Entry> entries_;        // by id
  std::vector<std::uint64_t> slots_;  // open addressing (see kTagMask); a power of two
  std::size_t mask_ = 0;              // slots_.size() - 1
};

struct ModelRecord {
  std::string business, id, name, state;
  PhaseCounts tasks{};
};

struct PortfolioRecord {
  std::string business, id, name;
  std::int64_t models = 0;
  PhaseCounts tasks{};
};

struct GapRecord {
  std::string business, model, name, state;
  int phase = 0;
  std::int64_t phased_tasks = 0;
};

struct SimilarityRecord {
  std::string business, model, name, state, stage;
  std::int64_t features = 0;
  std::int64_t shared = 0;
  std::int64_t others = 0;           // other (not retired) models of the business
  std::int64_t others_features = 0;  // features of their union
  bool candidate = false;            // TO BE and not retired
};

// The features of the models of one case, for the similarity, with no allocation per case
// once warm. A feature is a word of a block item (see ForEachWord) or an industry
// ("industry:<id>"; words never hold ':', so the two kinds never meet). Features get ids
// from an Interner kept across cases, and so does the text of every block item (with the
// ids of its words) and of every industry id, so an item or industry seen before costs one
// lookup. All are cleared when they grow past kMaxCached entries or kMaxCachedBytes, between
// cases.
class CaseFeatures {
 public:
  // Asks the processor to fetch the models' block and industry arrays, which Add() reads
  // first: called early, it lets the work in between hide their latency when the view is
  // not in cache. Changes nothing.
  static void Prefetch(const CaseView& view) {
    for (std::uint32_t m = 0; m < view.business_model_count(); ++m) {
      const auto& raw = view.business_model(m).raw();
      if (raw.industries != nullptr) __builtin_prefetch(raw.industries);
      if (raw.blocks == nullptr) continue;
      const auto* first = reinterpret_cast<const char*>(raw.blocks);
      // A hint only: the host's elements may be larger than the plugin's struct.
      const std::size_t bytes = view.block_count() * sizeof(bmil_block_view);
      for (std::size_t offset = 0; offset < bytes; offset += kCacheLine)
        __builtin_prefetch(first + offset);
    }
  }

  // Replaces the previous case's models with the models of `view`, in order. A model that
  // is not retired is "live": a reference for the others.
  void Add(const CaseView& view) {
    Reset();
    // The texts of every model's items and industries are gathered first, level by level
    // (blocks, item arrays, texts), fetching the next level ahead, so that a view that is
    // not in cache costs about one memory latency per level rather than one per item.
    const std::size_t model_count = view.business_model_count();
    for (std::uint32_t m = 0; m < model_count; ++m) {
      const auto bm = view.business_model(m);
      const auto& raw = bm.raw();
      for (std::uint32_t i = 0; i < raw.industry_count && raw.industries != nullptr; ++i)
        __builtin_prefetch(raw.industries[i].id.data);
      if (raw.blocks == nullptr) continue;
      for (std::size_t b = 0; b < view.block_count(); ++b) {
        const bmil_block_view& block = bm.block(b);
        if (block.present && block.items != nullptr) __builtin_prefetch(block.items);
      }
    }
    texts_.clear();
    text_end_.clear();
    for (std::uint32_t m = 0; m < model_count; ++m) {
      const auto bm = view.business_model(m);
      const auto& raw = bm.raw();
      if (raw.blocks != nullptr) {
        for (std::size_t b = 0; b < view.block_count(); ++b) {
          const bmil_block_view& block = bm.block(b);
          if (!block.present || block.items == nullptr) continue;
          for (std::uint32_t i = 0; i < block.item_count; ++i) {
            const std::string_view item = bmil::sdk::ToStringView(block.items[i]);
            __builtin_prefetch(item.data());
            texts_.push_back(item);
          }
        }
      }
      text_end_.push_back(texts_.size());  // then the industries
      for (std::uint32_t i = 0; i < raw.industry_count && raw.industries != nullptr; ++i)
        texts_.push_back(bmil::sdk::ToStringView(raw.industries[i].id));
      text_end_.push_back(texts_.size());
    }

    std::size_t text = 0;
    for (std::uint32_t m = 0; m < model_count; ++m) {
      const bool live = view.business_model(m).stage() != BMIL_STAGE_RETIRED;
      const auto model = m + 1;  // never 0, the mark of no model
      auto add = [&](std::uint32_t word) {
        WordState& s = word_state_[word];
        if (s.model == model) return;     // once per model
        model_features_.push_back(word);  // first: Reset() clears the words listed here
        s.model = model;
        if (live && s.holders++ == 0) ++live_union_;
      };
      for (; text < text_end_[2 * m]; ++text) {
        const ItemSpan span = ItemWords(texts_[text]);
        for (std::uint32_t k = span.begin; k < span.end; ++k) add(item_words_[k]);
      }
      for (; text < text_end_[2 * m + 1]; ++text) add(IndustryWord(texts_[text]));
      model_end_.push_back(model_features_.size());
    }
  }

  // Fills r.features, r.shared and r.others_features of model `m` of the case against the
  // union of the features of the live models other than it. `live`: m is live.
  void Compare(std::size_t m, bool live, SimilarityRecord& r) const {
    const std::size_t begin = m == 0 ? 0 : model_end_[m - 1];
    const std::size_t end = model_end_[m];
    std::int64_t only_here = 0;  // features no other live model has (live models)
    std::int64_t held = 0;       // features some live model has (other models)
    for (std::size_t k = begin; k < end; ++k) {
      const std::uint32_t holders = word_state_[model_features_[k]].holders;
      if (holders == 1) ++only_here;
      if (holders > 0) ++held;
    }
    r.features = static_cast<std::int64_t>(end - begin);
    // A live model holds each of its own features: those with one holder are its alone.
    r.shared = live ? r.features - only_here : held;
    r.others_features = live ? live_union_ - only_here : live_union_;
  }

 private:
  static constexpr std::size_t kCacheLine = 64;
  static constexpr std::size_t kMaxCached = 1 << 16;
  static constexpr std::size_t kMaxCachedBytes = std::size_t{4} << 20;
  struct ItemSpan {
    std::uint32_t begin, end;  // in item_words_
  };
  struct WordState {
    std::uint32_t model = 0;    // the last model (1-based, in this case) that had the word
    std::uint32_t holders = 0;  // live models of this case having it
  };

  // Forgets the previous case: resets the per-word state it touched, and clears the caches
  // when they are over their limits, or disagree (after an exception, e.g. out of memory,
  // in the middle of a case).
  void Reset() {
    for (const std::uint32_t word : model_features_) word_state_[word] = {};
    model_features_.clear();
    model_end_.clear();
    live_union_ = 0;
    const bool consistent = item_spans_.size() == items_.size() &&
                            industry_words_.size() == industries_.size() &&
                            word_state_.size() == words_.size();
    if (!consistent || words_.size() + items_.size() + industries_.size() > kMaxCached ||
        words_.bytes() + items_.bytes() + industries_.bytes() > kMaxCachedBytes) {
      words_.Clear();
      items_.Clear();
      item_words_.clear();
      item_spans_.clear();
      industries_.Clear();
      industry_words_.clear();
      word_state_.clear();
    }
  }
  std::uint32_t Word(std::string_view text) {
    const std::uint32_t id = words_.Intern(text);
    if (word_state_.size() < words_.size()) word_state_.resize(words_.size());
    return id;
  }
  // The feature id of industry `id` ("industry:<id>").
  std::uint32_t IndustryWord(std::string_view id) {
    const std::uint32_t industry = industries_.Intern(id);
    if (industry < industry_words_.size()) return industry_words_[industry];
    scratch_.assign("industry:");
    scratch_.append(id);
    industry_words_.push_back(Word(scratch_));
    return industry_words_.back();
  }
  ItemSpan ItemWords(std::string_view item) {
    const std::uint32_t id = items_.Intern(item);
    if (id < item_spans_.size()) return item_spans_[id];
    const auto begin = static_cast<std::uint32_t>(item_words_.size());
    ForEachWord(item, words_buffer_, [&](std::string_view w) { item_words_.push_back(Word(w)); });
    item_spans_.push_back({begin, static_cast<std::uint32_t>(item_words_.size())});
    return item_spans_.back();
  }

  Interner words_;                             // features
  Interner items_;                             // item texts
  std::vector<std::uint32_t> item_words_;      // word ids of the items, item after item
  std::vector<ItemSpan> item_spans_;           // by item id
  Interner industries_;                        // industry ids
  std::vector<std::uint32_t> industry_words_;  // feature ids, by industry id
  std::vector<WordState> word_state_;          // by word id; zero but for the last case's words
  std::string words_buffer_, scratch_;
  // This case: per model, the texts of its items, then the ids of its industries; the end
  // of each (items of model m end at text_end_[2 * m], its industries at [2 * m + 1]).
  std::vector<std::string_view> texts_;
  std::vector<std::size_t> text_end_;
  // This case: the models' feature ids, model after model, each once per model.
  std::vector<std::uint32_t> model_features_;
  std::vector<std::size_t> model_end_;  // end of each model's ids in model_features_
  std::int64_t live_union_ = 0;         // features of at least one live model
};

template <typename T>
void AppendCapped(std::vector<T>& to, const std::vector<T>& from, std::size_t cap) {
  for (const auto& x : from) {
    if (to.size() >= cap) break;
    to.push_back(x);
  }
}

using bmil::sdk::Percent;  // only given shares in 0..1, where it rounds as lround did

std::int64_t Phased(const PhaseCounts& c) { return c[1] + c[2] + c[3]; }

// The phases without tasks, joined by `separator` ("before, after") or, with a word, in
// prose ("before or after", "before, during or after").
std::string MissingPhases(const PhaseCounts& c, std::string_view last_word = "") {
  std::vector<std::string> missing;
  for (int p = 1; p <= 3; ++p)
    if (c[p] == 0) missing.emplace_back(bmil::sdk::kPhaseNames[p]);
  std::string out;
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (i > 0)
      out += (!last_word.empty() && i + 1 == missing.size()) ? " " + std::string(last_word) + " "
                                                             : ", ";
    out += missing[i];
  }
  return out;
}

// Whether the record is flagged horizontal.out_of_scope (see kMaxSimilarity).
bool OutOfScope(const SimilarityRecord& r) {
  return r.candidate && r.others > 0 && r.others_features > 0 && r.features >= kMinFeatures &&
         r.shared * kSimilarityDenominator < r.features;
}

bool Comparable(const SimilarityRecord& r) {
  return r.others > 0 && r.others_features > 0 && r.features > 0;
}

ModelRecord MakeModel(std::string_view business, const bmil::sdk::BusinessModelView& bm,
                      const PhaseCounts& tasks) {
  return {std::string(business), std::string(bm.id()), std::string(bm.name()),
          std::string(bm.state_name()), tasks};
}

class HorizontalAnalyzer final : public bmil::sdk::MergeableAnalyzer<HorizontalAnalyzer> {
 public:
  // Takes the guiding questions of the horizontal line (perspective "horizontal", else the
  // line with id "process") from {"lines": [...]}; without one, gaps get a generic question.
  // Also reads the listing caps ({"listing": ...}, bmil --max-rows / --all).
  void Configure(const nlohmann::json& config) override {
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
    const auto lines = bmil::sdk::LinesFromConfig(config);
    std::size_t chosen = lines.size();
    for (std::size_t i = 0; i < lines.size() && chosen == lines.size(); ++i)
      if (lines[i].perspective == "horizontal") chosen = i;
    if (chosen == lines.size()) {
      for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].id == "process") chosen = i;
    }
    if (chosen == lines.size()) return;
    line_code_ = lines[chosen].label();
    focus_block_ = lines[chosen].focus_block;
    // The questions in the order the line lists them (ConfigLine::questions is keyed by block
    // and loses that order; a gap on a block without a question gets the first one listed).
    // LinesFromConfig keeps every line in order, so `chosen` indexes the config array too.
    const nlohmann::json& line = config.at("lines").at(chosen);
    if (line.contains("questions") && line.at("questions").is_array()) {
      for (const auto& q : line.at("questions")) {
        if (q.is_object() && q.contains("block") && q.contains("question") &&
            q.at("block").is_string() && q.at("question").is_string()) {
          questions_.emplace_back(q.at("block").get<std::string>(),
                                  q.at("question").get<std::string>());
        }
      }
    }
  }

  Json Describe() const override {
    return {{"id", "horizontal"},
            {"kind", "analyzer"},
            {"name", "Horizontal BMIL: before, during and after consumption"},
            {"description",
             "BMI tasks before, during and after each model's consumption, per model and "
             "portfolio; phases without a task as TO BE opportunities; TO BE models that share "
             "little with the rest of the business."},
            {"source", std::string(kSource)}};
  }

  // Counts in member scratch arrays and builds the strings of a row only when the row is
  // listed (its list is not full), so that a case allocates nothing once the lists are full
  // and the feature caches are warm.
  void Add(const CaseView& view) override {
    ++cases_;
    CaseFeatures::Prefetch(view);
    const std::string_view business = view.id();
    const std::size_t model_count = view.business_model_count();
    model_counts_.assign(model_count, PhaseCounts{});
    born_in_.assign(model_count, 0);
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const auto task = view.task(t);
      const auto m = task.business_model_index();
      if (m >= model_count) continue;
      const unsigned phase = task.phase() <= BMIL_PHASE_AFTER ? task.phase() : 0;
      ++model_counts_[m][phase];
      ++tasks_[phase];
      if (phase != 0 && task.action() == BMIL_ACTION_CREATE &&
          task.level() == BMIL_LEVEL_BUSINESS_MODEL) {
        born_in_[m] |= 1u << phase;
      }
    }

    // Portfolios: each declared one, then the models in none (the last group).
    const auto& raw_view = view.raw();
    bmil::sdk::StridedSpan<bmil_portfolio_view> portfolios(
        raw_view.portfolios, raw_view.portfolio_count, raw_view.portfolio_size);
    group_counts_.assign(portfolios.size() + 1, GroupCounts{});

    std::int64_t live_models = 0;
    for (std::uint32_t m = 0; m < model_count; ++m) {
      const auto bm = view.business_model(m);
      ++models_;
      const PhaseCounts& c = model_counts_[m];
      const std::int64_t phased = Phased(c);
      if (phased + c[0] > 0) ++models_with_tasks_;
      const std::uint32_t p = bm.raw().portfolio;
      GroupCounts& group = p < portfolios.size() ? group_counts_[p] : group_counts_.back();
      ++group.models;
      for (std::size_t i = 0; i < 4; ++i) group.tasks[i] += c[i];

      if (phased > 0) {
        ++models_phased_;
        if (c[1] > 0 && c[2] > 0 && c[3] > 0) ++models_full_;
        bool gap = false;
        const bool opportunity = IsOpportunityOf(bm, c, born_in_[m]);  // then no gaps
        for (int phase = 1; phase <= 3 && !opportunity; ++phase) {
          if (c[phase] != 0) continue;
          gap = true;
          ++gaps_[phase];
          if (gap_rows_.size() < listing_.rows) {
            gap_rows_.push_back({std::string(business), std::string(bm.id()),
                                 std::string(bm.name()), std::string(bm.state_name()), phase,
                                 phased});
          }
        }
        if (gap) ++models_with_gap_;
        if (gap && phased >= kMinPhasedTasks) {
          ++phase_gap_models_;
          if (phase_gap_.size() < listing_.findings)
            phase_gap_.push_back(MakeModel(business, bm, c));
        }
      }
      if (model_rows_.size() < listing_.rows) model_rows_.push_back(MakeModel(business, bm, c));

      if (bm.stage() != BMIL_STAGE_RETIRED) ++live_models;
    }
    for (std::size_t g = 0; g < group_counts_.size(); ++g) {
      const GroupCounts& group = group_counts_[g];
      if (group.models == 0 || portfolio_rows_.size() >= listing_.rows) continue;
      const bool declared = g < portfolios.size();
      portfolio_rows_.push_back(
          {std::string(business),
           declared ? std::string(bmil::sdk::ToStringView(portfolios[g].id)) : std::string(),
           declared ? std::string(bmil::sdk::ToStringView(portfolios[g].name))
                    : std::string("(in no portfolio)"),
           group.models, group.tasks});
    }

    // Similarity of each model to the union of the business's other, not retired, models.
    features_.Add(view);
    for (std::uint32_t m = 0; m < model_count; ++m) {
      const auto bm = view.business_model(m);
      const bool live = bm.stage() != BMIL_STAGE_RETIRED;
      SimilarityRecord r;  // the names only when the record is listed (below)
      r.others = live_models - (live ? 1 : 0);
      r.candidate = bm.state() == BMIL_STATE_TO_BE && live;
      features_.Compare(m, live, r);
      if (Comparable(r)) ++models_compared_;
      const bool out_of_scope = OutOfScope(r);
      if (out_of_scope) ++out_of_scope_;
      const bool list_out = out_of_scope && out_of_scope_rows_.size() < listing_.findings;
      const bool list_row = similarity_rows_.size() < listing_.rows;
      if (!list_out && !list_row) continue;
      r.business = business;
      r.model = bm.id();
      r.name = bm.name();
      r.state = bm.state_name();
      r.stage = bmil::sdk::NameOf(bmil::sdk::kStageNames, bm.stage());
      if (list_out) out_of_scope_rows_.push_back(r);
      if (list_row) similarity_rows_.push_back(std::move(r));
    }
  }

  void MergeFrom(const HorizontalAnalyzer& other) {
    cases_ += other.cases_;
    models_ += other.models_;
    models_with_tasks_ += other.models_with_tasks_;
    models_phased_ += other.models_phased_;
    models_full_ += other.models_full_;
    models_with_gap_ += other.models_with_gap_;
    phase_gap_models_ += other.phase_gap_models_;
    models_compared_ += other.models_compared_;
    out_of_scope_ += other.out_of_scope_;
    for (std::size_t i = 0; i < 4; ++i) {
      tasks_[i] += other.tasks_[i];
      gaps_[i] += other.gaps_[i];
    }
    AppendCapped(model_rows_, other.model_rows_, listing_.rows);
    AppendCapped(portfolio_rows_, other.portfolio_rows_, listing_.rows);
    AppendCapped(gap_rows_, other.gap_rows_, listing_.rows);
    AppendCapped(phase_gap_, other.phase_gap_, listing_.findings);
    AppendCapped(similarity_rows_, other.similarity_rows_, listing_.rows);
    AppendCapped(out_of_scope_rows_, other.out_of_scope_rows_, listing_.findings);
  }

  Json Finish() const override {
    ResultBuilder result("horizontal", "Horizontal BMIL: before, during and after consumption");
    const std::int64_t phased = Phased(tasks_);
    const std::int64_t task_total = phased + tasks_[0];
    const std::int64_t gap_total = gaps_[1] + gaps_[2] + gaps_[3];

    result.Summary(std::to_string(task_total) + " BMI tasks on " + std::to_string(models_) +
                   " business models of " + std::to_string(cases_) +
                   " business(es): " + std::to_string(tasks_[1]) + " before, " +
                   std::to_string(tasks_[2]) + " during and " + std::to_string(tasks_[3]) +
                   " after consumption (" + std::to_string(tasks_[0]) + " phase not stated). " +
                   std::to_string(models_with_gap_) + " of " + std::to_string(models_phased_) +
                   " models with phase-coded tasks miss a phase (" + std::to_string(gap_total) +
                   " gaps, each an opportunity for a TO BE model); " +
                   std::to_string(out_of_scope_) +
                   " TO BE model(s) share little with the rest of their business.");

    result.AddMetric("businesses", "Businesses", static_cast<double>(cases_), "businesses");
    result.AddMetric("business_models", "Business models", static_cast<double>(models_),
                     "business models");
    result.AddMetric("tasks", "BMI tasks", static_cast<double>(task_total), "tasks");
    for (int p = 1; p <= 3; ++p) {
      const std::string phase(bmil::sdk::kPhaseNames[p]);
      result.AddMetric("tasks_" + phase, "BMI tasks " + phase + " consumption",
                       static_cast<double>(tasks_[p]), "tasks");
    }
    result.AddMetric("tasks_phase_not_stated", "BMI tasks without a phase",
                     static_cast<double>(tasks_[0]), "tasks");
    result.AddMetric("models_with_tasks", "Business models with BMI tasks",
                     static_cast<double>(models_with_tasks_), "business models");
    result.AddMetric("models_with_phased_tasks", "Business models with phase-coded tasks",
                     static_cast<double>(models_phased_), "business models");
    result.AddMetric("models_all_phases", "Business models with tasks in all three phases",
                     static_cast<double>(models_full_), "business models");
    result.AddMetric("models_with_gap", "Business models with a phase without tasks",
                     static_cast<double>(models_with_gap_), "business models");
    result.AddMetric("gaps", "Phase gaps (model x phase without tasks)",
                     static_cast<double>(gap_total), "gaps");
    result.AddMetric("models_compared", "Business models compared with the rest of their business",
                     static_cast<double>(models_compared_), "business models");
    result.AddMetric("out_of_scope_models", "TO BE models out of the business's scope",
                     static_cast<double>(out_of_scope_), "business models");

    auto totals = result.AddTable(
        "phase_totals", "BMI tasks per consumption phase",
        {{"phase", "Phase"},
         {"tasks", "BMI tasks", "integer", "tasks"},
         {"share", "Share of phase-coded tasks", "percent"},
         {"models_missing", "Models without a task", "integer", "business models"}});
    for (int p = 1; p <= 3; ++p) {
      totals.AddRow({bmil::sdk::kPhaseNames[p], tasks_[p],
                     phased == 0
                         ? Json(nullptr)
                         : Json(static_cast<double>(tasks_[p]) / static_cast<double>(phased)),
                     gaps_[p]});
    }
    totals.Chart("bar", "phase", {"tasks"});

    const std::vector<Column> phase_columns = {{"before", "Before", "integer", "tasks"},
                                               {"during", "During", "integer", "tasks"},
                                               {"after", "After", "integer", "tasks"},
                                               {"not_stated", "Not stated", "integer", "tasks"}};
    std::vector<Column> columns = {
        {"business_model", "Business model"}, {"name", "Name"}, {"state", "State"}};
    columns.insert(columns.end(), phase_columns.begin(), phase_columns.end());
    columns.push_back({"missing", "Phases without a task"});
    auto models = result.AddTable(
        "coverage", "BMI tasks per phase and business model (" + listing_.RowsWord() + " models)",
        columns);
    for (const auto& m : model_rows_) {
      models.AddRow({Label(m.business, m.id), m.name, m.state, m.tasks[1], m.tasks[2], m.tasks[3],
                     m.tasks[0], Phased(m.tasks) > 0 ? MissingPhases(m.tasks) : ""});
    }
    models.Chart("stacked_bar", "business_model", {"before", "during", "after"});

    columns = {{"portfolio", "Portfolio"},
               {"name", "Name"},
               {"models", "Business models", "integer", "business models"}};
    columns.insert(columns.end(), phase_columns.begin(), phase_columns.end());
    columns.push_back({"missing", "Phases without a task"});
    auto groups =
        result.AddTable("portfolio_coverage",
                        "BMI tasks per phase and portfolio (" + listing_.RowsWord() + ")", columns);
    for (const auto& g : portfolio_rows_) {
      groups.AddRow({Label(g.business, g.id.empty() ? "-" : g.id), g.name, g.models, g.tasks[1],
                     g.tasks[2], g.tasks[3], g.tasks[0],
                     Phased(g.tasks) > 0 ? MissingPhases(g.tasks) : ""});
    }
    groups.Chart("stacked_bar", "portfolio", {"before", "during", "after"});

    auto gaps = result.AddTable(
        "gaps",
        "Phases without a BMI task: opportunities for TO BE models (" + listing_.RowsWord() + ")",
        {{"business_model", "Business model"},
         {"name", "Name"},
         {"state", "State"},
         {"phase", "Phase without a task"},
         {"phased_tasks", "Phase-coded tasks on the model", "integer", "tasks"},
         {"question_block", "Question on block"},
         {"question", "Question to ask"}});
    for (const auto& g : gap_rows_) {
      const auto [block, question] = QuestionFor(g.phase);
      gaps.AddRow({Label(g.business, g.model), g.name, g.state,
                   bmil::sdk::kPhaseNames[static_cast<unsigned>(g.phase)], g.phased_tasks, block,
                   question});
    }

    auto similarity =
        result.AddTable("similarity",
                        "Similarity of each business model to the rest of its business (" +
                            listing_.RowsWord() + ")",
                        {{"business_model", "Business model"},
                         {"name", "Name"},
                         {"state", "State"},
                         {"stage", "Stage"},
                         {"features", "Features (item words, industries)", "integer", "features"},
                         {"shared", "Found in the other models", "integer", "features"},
                         {"other_models", "Other models", "integer", "business models"},
                         {"similarity", "Similarity", "percent"},
                         {"assessment", "Assessment"}});
    for (const auto& r : similarity_rows_) {
      similarity.AddRow({Label(r.business, r.model), r.name, r.state,
                         r.stage.empty() ? "not stated" : r.stage, r.features, r.shared, r.others,
                         Comparable(r) ? Json(Similarity(r)) : Json(nullptr), Assessment(r)});
    }
    similarity.Chart("bar", "business_model", {"similarity"});

    if (models_ <= static_cast<std::int64_t>(kMaxMatrixModels)) {
      std::vector<Axis> rows;
      std::vector<std::vector<double>> values;
      for (const auto& m : model_rows_) {
        const std::string label = Label(m.business, m.id);
        rows.push_back({label, label});
        values.push_back({static_cast<double>(m.tasks[1]), static_cast<double>(m.tasks[2]),
                          static_cast<double>(m.tasks[3])});
      }
      result.AddMatrix("phase_coverage", "BMI tasks before, during and after consumption", rows,
                       {{"before", "before"}, {"during", "during"}, {"after", "after"}}, values,
                       "tasks", "heatmap",
                       {{"row_dimension", "business_model"}, {"column_dimension", "phase"}});
    }

    AddPhaseGapFindings(result);
    AddOutOfScopeFindings(result);
    return result.Take();
  }

  nlohmann::json Save() const override {
    nlohmann::json state = {{"format", "horizontal/1"},
                            {"cases", cases_},
                            {"models", models_},
                            {"models_with_tasks", models_with_tasks_},
                            {"models_phased", models_phased_},
                            {"models_full", models_full_},
                            {"models_with_gap", models_with_gap_},
                            {"phase_gap_models", phase_gap_models_},
                            {"models_compared", models_compared_},
                            {"out_of_scope", out_of_scope_},
                            {"tasks", tasks_},
                            {"gaps", gaps_}};
    state["model_rows"] = ModelsToJson(model_rows_);
    state["phase_gap"] = ModelsToJson(phase_gap_);
    state["portfolio_rows"] = nlohmann::json::array();
    for (const auto& g : portfolio_rows_)
      state["portfolio_rows"].push_back({g.business, g.id, g.name, g.models, g.tasks});
    state["gap_rows"] = nlohmann::json::array();
    for (const auto& g : gap_rows_)
      state["gap_rows"].push_back({g.business, g.model, g.name, g.state, g.phase, g.phased_tasks});
    state["similarity_rows"] = SimilarityToJson(similarity_rows_);
    state["out_of_scope_rows"] = SimilarityToJson(out_of_scope_rows_);
    return state;
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "horizontal/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a horizontal/1 state");
    try {
      HorizontalAnalyzer loaded;
      loaded.listing_ = listing_;  // the configuration stays
      loaded.line_code_ = line_code_;
      loaded.focus_block_ = focus_block_;
      loaded.questions_ = questions_;
      loaded.cases_ = state.at("cases").get<std::int64_t>();
      loaded.models_ = state.at("models").get<std::int64_t>();
      loaded.models_with_tasks_ = state.at("models_with_tasks").get<std::int64_t>();
      loaded.models_phased_ = state.at("models_phased").get<std::int64_t>();
      loaded.models_full_ = state.at("models_full").get<std::int64_t>();
      loaded.models_with_gap_ = state.at("models_with_gap").get<std::int64_t>();
      loaded.phase_gap_models_ = state.at("phase_gap_models").get<std::int64_t>();
      loaded.models_compared_ = state.at("models_compared").get<std::int64_t>();
      loaded.out_of_scope_ = state.at("out_of_scope").get<std::int64_t>();
      loaded.tasks_ = state.at("tasks").get<PhaseCounts>();
      loaded.gaps_ = state.at("gaps").get<PhaseCounts>();
      // Rows beyond this instance's caps (a state saved with larger ones) are dropped.
      loaded.model_rows_ = ModelsFromJson(state.at("model_rows"), listing_.rows);
      loaded.phase_gap_ = ModelsFromJson(state.at("phase_gap"), listing_.findings);
      for (const auto& g : state.at("portfolio_rows")) {
        if (loaded.portfolio_rows_.size() >= listing_.rows) break;
        loaded.portfolio_rows_.push_back({g.at(0).get<std::string>(), g.at(1).get<std::string>(),
                                          g.at(2).get<std::string>(), g.at(3).get<std::int64_t>(),
                                          g.at(4).get<PhaseCounts>()});
      }
      for (const auto& g : state.at("gap_rows")) {
        if (loaded.gap_rows_.size() >= listing_.rows) break;
        loaded.gap_rows_.push_back({g.at(0).get<std::string>(), g.at(1).get<std::string>(),
                                    g.at(2).get<std::string>(), g.at(3).get<std::string>(),
                                    g.at(4).get<int>(), g.at(5).get<std::int64_t>()});
      }
      loaded.similarity_rows_ = SimilarityFromJson(state.at("similarity_rows"), listing_.rows);
      loaded.out_of_scope_rows_ =
          SimilarityFromJson(state.at("out_of_scope_rows"), listing_.findings);
      *this = std::move(loaded);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed horizontal/1 state: ") + e.what());
    }
  }

 private:
  // Models are named "<business>/<model>" once more than one business was added.
  std::string Label(const std::string& business, const std::string& model) const {
    return cases_ > 1 ? business + "/" + model : model;
  }

  static double Similarity(const SimilarityRecord& r) {
    return static_cast<double>(r.shared) / static_cast<double>(r.features);
  }

  static std::string Assessment(const SimilarityRecord& r) {
    if (r.features == 0) return "no items or industries to compare";
    if (r.others == 0 || r.others_features == 0) return "nothing to compare with";
    if (OutOfScope(r)) return "out of scope";
    if (!r.candidate) return "not a TO BE model";
    if (r.features < kMinFeatures) return "too few features to judge";
    return "within scope";
  }

  // The question to ask about a phase without tasks, from the horizontal line's questions:
  // before -> customers (who is involved before the purchase), during -> value_chain (the
  // steps while the customer uses the offer), after -> value_proposition (what customers
  // need after using it: Infolink's finding); then the value proposition's question, the
  // line's focus block's, its first; without a horizontal line, a generic question.
  std::pair<std::string, std::string> QuestionFor(int phase) const {
    static constexpr std::array<std::string_view, 4> kPhaseBlock = {
        "value_proposition", "customers", "value_chain", "value_proposition"};
    const std::string preferred[] = {std::string(kPhaseBlock[static_cast<unsigned>(phase)]),
                                     "value_proposition", focus_block_};
    for (const auto& block : preferred) {
      for (const auto& [b, q] : questions_)
        if (b == block) return {(line_code_.empty() ? "" : line_code_ + ": ") + b, q};
    }
    if (!questions_.empty())
      return {(line_code_.empty() ? "" : line_code_ + ": ") + questions_.front().first,
              questions_.front().second};
    return {"", "What happens " +
                    std::string(bmil::sdk::kPhaseNames[static_cast<unsigned>(phase)]) +
                    " the consumption of this model that no task looks at yet, and could a new "
                    "business model serve it?"};
  }

  void AddPhaseGapFindings(ResultBuilder& result) const {
    for (const auto& m : phase_gap_) {
      const std::string missing = MissingPhases(m.tasks, "or");
      std::vector<std::string> evidence = {
          std::to_string(Phased(m.tasks)) + " phase-coded BMI tasks on " + Label(m.business, m.id) +
          ": " + std::to_string(m.tasks[1]) + " before, " + std::to_string(m.tasks[2]) +
          " during, " + std::to_string(m.tasks[3]) + " after; threshold: at least " +
          std::to_string(kMinPhasedTasks) + " phase-coded tasks and a phase without any"};
      for (int phase = 1; phase <= 3; ++phase) {
        if (m.tasks[static_cast<unsigned>(phase)] != 0) continue;
        const auto [block, question] = QuestionFor(phase);
        evidence.push_back(std::string(bmil::sdk::kPhaseNames[static_cast<unsigned>(phase)]) +
                           ": ask" + (block.empty() ? "" : " (" + block + ")") + ": " + question);
      }
      result.AddFinding(Severity::kNotice, "horizontal.phase_gap",
                        m.name + ": no BMI task looks at what happens " + missing +
                            " the model's consumption. Looking before, during and after it is "
                            "how Infolink found an opportunity for a new business model.",
                        std::move(evidence), kSource, {m.business});
    }
    const std::int64_t rest = phase_gap_models_ - static_cast<std::int64_t>(phase_gap_.size());
    if (rest > 0) {
      result.AddFinding(Severity::kNotice, "horizontal.phase_gap",
                        std::to_string(rest) +
                            " more business models have phase-coded BMI "
                            "tasks but no task in at least one phase.",
                        {std::to_string(phase_gap_models_) +
                         " models in all; the first are listed above and in table gaps"},
                        kSource);
    }
  }

  void AddOutOfScopeFindings(ResultBuilder& result) const {
    for (const auto& r : out_of_scope_rows_) {
      result.AddFinding(
          Severity::kNotice, "horizontal.out_of_scope",
          r.name +
              " (TO BE) shares little with the rest of the business: it may lie outside "
              "the scope of the portfolio, as Infolink's model for entrepreneurs after the "
              "last course phase did. Decide on purpose whether to adopt it, run it apart, "
              "or drop it.",
          {std::to_string(r.shared) + " of " + std::to_string(r.features) + " features of " +
           Label(r.business, r.model) +
           " (words of its block items and its industries) occur in the other " +
           std::to_string(r.others) + " models: similarity " + Percent(Similarity(r)) +
           "; threshold: below " + Percent(kMaxSimilarity) + " with at least " +
           std::to_string(kMinFeatures) + " features"},
          kSource, {r.business});
    }
    const std::int64_t rest = out_of_scope_ - static_cast<std::int64_t>(out_of_scope_rows_.size());
    if (rest > 0) {
      result.AddFinding(
          Severity::kNotice, "horizontal.out_of_scope",
          std::to_string(rest) + " more TO BE models share little with the rest of their business.",
          {std::to_string(out_of_scope_) +
           " models in all; the first are listed above and in table similarity"},
          kSource);
    }
  }

  // Whether a model is the opportunity of a later phase of another model's consumption
  // (issue 17; Infolink's model for entrepreneurs after the last course phase, sec. 3.3.2):
  // a TO BE model that a task of its own created at the business-model level in phase P,
  // during or after, all of whose phase-coded tasks are in P. A model cannot be created
  // during or after its own consumption, so P is the phase of the consumption it grew
  // from, and the phases it has no task in are not gaps of its own. Created "before" is
  // the model's own design phase: no exemption.
  static bool IsOpportunityOf(const bmil::sdk::BusinessModelView& bm, const PhaseCounts& c,
                              unsigned born) {
    if (bm.raw().state != BMIL_STATE_TO_BE) return false;
    for (unsigned phase : {BMIL_PHASE_DURING, BMIL_PHASE_AFTER}) {
      if (c[phase] == Phased(c) && (born & (1u << phase)) != 0) return true;
    }
    return false;
  }

  static nlohmann::json ModelsToJson(const std::vector<ModelRecord>& models) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : models) out.push_back({m.business, m.id, m.name, m.state, m.tasks});
    return out;
  }
  // The first `cap` saved models of `j`.
  static std::vector<ModelRecord> ModelsFromJson(const nlohmann::json& j, std::size_t cap) {
    std::vector<ModelRecord> out;
    for (const auto& m : j) {
      if (out.size() >= cap) break;
      out.push_back({m.at(0).get<std::string>(), m.at(1).get<std::string>(),
                     m.at(2).get<std::string>(), m.at(3).get<std::string>(),
                     m.at(4).get<PhaseCounts>()});
    }
    return out;
  }
  static nlohmann::json SimilarityToJson(const std::vector<SimilarityRecord>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
      out.push_back({r.business, r.model, r.name, r.state, r.stage, r.features, r.shared, r.others,
                     r.others_features, r.candidate});
    }
    return out;
  }
  // The first `cap` saved records of `j`.
  static std::vector<SimilarityRecord> SimilarityFromJson(const nlohmann::json& j,
                                                          std::size_t cap) {
    std::vector<SimilarityRecord> out;
    for (const auto& r : j) {
      if (out.size() >= cap) break;
      out.push_back({r.at(0).get<std::string>(), r.at(1).get<std::string>(),
                     r.at(2).get<std::string>(), r.at(3).get<std::string>(),
                     r.at(4).get<std::string>(), r.at(5).get<std::int64_t>(),
                     r.at(6).get<std::int64_t>(), r.at(7).get<std::int64_t>(),
                     r.at(8).get<std::int64_t>(), r.at(9).get<bool>()});
    }
    return out;
  }

  // Configuration: the listing caps; the horizontal line's code, focus block and (block,
  // question) pairs.
  bmil::sdk::Listing listing_ = kDefaultListing;
  std::string line_code_;
  std::string focus_block_;
  std::vector<std::pair<std::string, std::string>> questions_;

  std::int64_t cases_ = 0;
  std::int64_t models_ = 0;
  std::int64_t models_with_tasks_ = 0;
  std::int64_t models_phased_ = 0;     // models with at least one phase-coded task
  std::int64_t models_full_ = 0;       // ... with tasks in all three phases
  std::int64_t models_with_gap_ = 0;   // ... with a phase without tasks
  std::int64_t phase_gap_models_ = 0;  // ... and at least kMinPhasedTasks phase-coded tasks
  std::int64_t models_compared_ = 0;
  std::int64_t out_of_scope_ = 0;
  PhaseCounts tasks_{};                  // tasks per phase (0 = not stated)
  PhaseCounts gaps_{};                   // models without a task, per phase (index 0 unused)
  std::vector<ModelRecord> model_rows_;  // first listing_.rows models
  std::vector<PortfolioRecord> portfolio_rows_;  // first listing_.rows portfolios
  std::vector<GapRecord> gap_rows_;              // first listing_.rows gaps
  std::vector<ModelRecord> phase_gap_;           // first listing_.findings flagged models
  std::vector<unsigned> born_in_;  // scratch of Add(): bit p, a task created the model in phase p
  std::vector<SimilarityRecord> similarity_rows_;    // first listing_.rows models
  std::vector<SimilarityRecord> out_of_scope_rows_;  // first listing_.findings flagged models

  // Scratch space of Add() (no state: neither saved nor merged).
  struct GroupCounts {
    std::int64_t models = 0;
    PhaseCounts tasks{};
  };
  std::vector<PhaseCounts> model_counts_;  // tasks per phase, by model of the case
  std::vector<GroupCounts> group_counts_;  // by portfolio of the case, then "in none"
  CaseFeatures features_;
};

}  // namespace

BMIL_PLUGIN(HorizontalAnalyzer)
