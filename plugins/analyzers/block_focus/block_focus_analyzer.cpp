// Where BMI effort goes among the building blocks (Lindgren 2012, Fig. 3 and sec. 3.1.2):
// the share of BMI per block, ranked; the share of the pair value proposition + customers
// and of the trio with value chain, which the paper reports (51% / 68% over all models,
// 54% / 74% for AS IS and 49% / 62% for TO BE models); and how concentrated the effort is.
//
// Counting unit: a task's mention of a block. A task on k blocks adds 1 to each of its k
// blocks, so a block's share is "of all (task, block) pairs, how many are on this block".
// The state (AS IS / TO BE) is that of the task's business model.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::Axis;
using bmil::sdk::CaseView;
using bmil::sdk::Column;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

using Counts = std::map<std::string, std::int64_t>;  // block id -> mentions

// The pair and the trio the paper reports (Lindgren 2012, sec. 3.1.2, Fig. 3).
constexpr std::array<const char*, 2> kPairBlocks = {"value_proposition", "customers"};
constexpr std::array<const char*, 3> kTrioBlocks = {"value_proposition", "customers",
                                                    "value_chain"};
// The blocks the paper sees gaining weight on TO BE models (sec. 3.1.2).
constexpr std::array<const char*, 2> kNetworkRelationsBlocks = {"network", "relations"};

// block_focus.classic_focus fires when the trio holds MORE than this share of all block
// mentions: "most" of the BMI, i.e. more than the other blocks together. An even spread
// over the seven blocks would give the trio 3/7 = 43%; the paper's SMEs had 68%.
constexpr double kClassicFocusShare = 0.5;
// block_focus.to_be_network_relations fires when network + relations take at least this
// much more of the TO BE mentions than of the AS IS mentions (5 share points). It is the
// smallest AS IS / TO BE gap the paper itself reads as a difference (pair 54% vs 49%).
constexpr double kNetworkRelationsShift = 0.05;
// ... and only when each state has at least 1 / kNetworkRelationsShift = 20 mentions, so
// that a single mention (at most 1/20 of a state's mentions) cannot make the gap alone.
constexpr std::int64_t kShiftMinMentions = 20;
// Shares are ratios of integers; a ratio that is exactly on a threshold in exact
// arithmetic may land a rounding error below it in doubles. Compare with this tolerance.
constexpr double kTolerance = 1e-9;

constexpr const char* kAsIs = "as_is";
constexpr const char* kToBe = "to_be";
constexpr const char* kNotStated = "not_stated";
// Tasks on retired models: BMI that happened, counted in all, never as AS IS or TO BE.
constexpr const char* kRetired = "retired";

std::int64_t Get(const Counts& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

std::int64_t Total(const Counts& counts) {
  std::int64_t n = 0;
  for (const auto& [block, count] : counts) n += count;
  return n;
}

template <std::size_t N>
std::int64_t SumOf(const Counts& counts, const std::array<const char*, N>& blocks) {
  std::int64_t n = 0;
  for (const char* b : blocks) n += Get(counts, b);
  return n;
}

// sdk::Share as an optional (no share of nothing): the tables and metrics take it so.
std::optional<double> Share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return bmil::sdk::Share(part, whole);
}

Json Cell(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }

// "51%" (half rounded up), "n/a" when there is nothing to divide.
std::string Percent(std::optional<double> share) {
  return share ? bmil::sdk::Percent(*share) : "n/a";
}

std::string BlockName(const std::string& id) {
  for (std::size_t i = 0; i < bmil::sdk::kBuiltinBlocks.size(); ++i)
    if (bmil::sdk::kBuiltinBlocks[i] == id) return std::string(bmil::sdk::kBuiltinBlockNames[i]);
  return id;
}

using bmil::sdk::AppendNew;

// The figures of one scope (all models, AS IS or TO BE).
struct Scope {
  std::string id;
  std::string label;
  Counts counts;
  std::int64_t tasks = 0;
  std::int64_t mentions = 0;
  std::vector<std::pair<std::string, std::int64_t>> ranked;  // every block, most first
};

class BlockFocusAnalyzer final : public bmil::sdk::MergeableAnalyzer<BlockFocusAnalyzer> {
 public:
  Json Describe() const override {
    return {{"id", "block_focus"},
            {"kind", "analyzer"},
            {"name", "BMI focus per building block"},
            {"description",
             "Share of BMI per building block (unit: a task's mention of a block), ranked; "
             "value proposition + customers and + value chain, overall, AS IS and TO BE; "
             "Herfindahl index and normalized entropy."},
            {"source", "Lindgren 2012, Fig. 3 and sec. 3.1.2"}};
  }

  // Counts in dense arrays by state and by the block's position in blocks_ (no allocation
  // per case once the view's blocks are registered); Save() and Finish() name them.
  void Add(const CaseView& view) override {
    ++cases_;
    const std::size_t block_count = view.block_count();
    block_pos_.Update(
        block_count, [&](std::size_t b) { return view.block_id(b); }, blocks_, kNoLimit);
    if (block_mentions_.size() < blocks_.size()) block_mentions_.resize(blocks_.size());
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      auto task = view.task(t);
      const auto m = task.business_model_index();
      if (m >= view.business_model_count()) continue;  // the host never sends this
      const std::size_t state = StateIndex(view.business_model(m).raw());
      ++state_tasks_[state];
      for (unsigned block : task.blocks()) {
        if (block < block_count)
          ++block_mentions_[block_pos_[block]][state];
        else  // a bit past the view's blocks: named "" as view.block_id() names it
          ++mentions_[kStates[state]][""];
      }
    }
  }

  void MergeFrom(const BlockFocusAnalyzer& other) {
    cases_ += other.cases_;
    std::vector<std::size_t> position;  // other.blocks_[i] is blocks_[position[i]]
    for (const auto& b : other.blocks_) position.push_back(AppendNew(blocks_, b));
    if (block_mentions_.size() < blocks_.size()) block_mentions_.resize(blocks_.size());
    for (std::size_t s = 0; s < kStates.size(); ++s) state_tasks_[s] += other.state_tasks_[s];
    for (std::size_t i = 0; i < other.block_mentions_.size(); ++i)
      for (std::size_t s = 0; s < kStates.size(); ++s)
        block_mentions_[position[i]][s] += other.block_mentions_[i][s];
    for (const auto& [state, n] : other.tasks_) tasks_[state] += n;
    for (const auto& [state, counts] : other.mentions_)
      for (const auto& [block, n] : counts) mentions_[state][block] += n;
  }

  Json Finish() const override {
    ResultBuilder result("block_focus", "BMI focus per building block");
    Counts tasks;
    std::map<std::string, Counts> mentions;
    Named(tasks, mentions);
    const Scope all = MakeScope("all", "All business models", "", tasks, mentions, blocks_);
    const Scope as_is = MakeScope(kAsIs, "AS IS", kAsIs, tasks, mentions, blocks_);
    const Scope to_be = MakeScope(kToBe, "TO BE", kToBe, tasks, mentions, blocks_);
    std::vector<std::string> null_metrics;
    auto metric = [&](const std::string& id, const std::string& label, std::optional<double> v,
                      const std::string& unit) {
      result.AddMetric(id, label, v.value_or(0.0), unit);
      if (!v) null_metrics.push_back(id);
    };
    auto count = [&](const std::string& id, const std::string& label, std::int64_t v,
                     const std::string& unit) {
      result.AddMetric(id, label, static_cast<double>(v), unit);
    };

    const auto pair = [](const Scope& s) {
      return Share(SumOf(s.counts, kPairBlocks), s.mentions);
    };
    const auto trio = [](const Scope& s) {
      return Share(SumOf(s.counts, kTrioBlocks), s.mentions);
    };
    const auto top = [](const Scope& s, std::size_t n) {
      std::int64_t sum = 0;
      for (std::size_t i = 0; i < n && i < s.ranked.size(); ++i) sum += s.ranked[i].second;
      return Share(sum, s.mentions);
    };
    const auto network_relations = [](const Scope& s) {
      return Share(SumOf(s.counts, kNetworkRelationsBlocks), s.mentions);
    };

    result.Summary(SummaryText(all, as_is, to_be));
    count("businesses", "Businesses", cases_, "businesses");
    count("tasks", "BMI tasks", all.tasks, "tasks");
    count("tasks_as_is", "BMI tasks on AS IS models", as_is.tasks, "tasks");
    count("tasks_to_be", "BMI tasks on TO BE models", to_be.tasks, "tasks");
    count("mentions", "Block mentions (task x block)", all.mentions, "mentions");
    count("mentions_as_is", "Block mentions on AS IS models", as_is.mentions, "mentions");
    count("mentions_to_be", "Block mentions on TO BE models", to_be.mentions, "mentions");
    metric("blocks_per_task", "Blocks per task (mean)",
           all.tasks == 0 ? std::nullopt
                          : std::optional<double>(static_cast<double>(all.mentions) /
                                                  static_cast<double>(all.tasks)),
           "blocks");
    metric("pair_share", "Value proposition + customers", pair(all), "share");
    metric("trio_share", "Value proposition + customers + value chain", trio(all), "share");
    metric("pair_share_as_is", "Value proposition + customers, AS IS", pair(as_is), "share");
    metric("trio_share_as_is", "Value proposition + customers + value chain, AS IS", trio(as_is),
           "share");
    metric("pair_share_to_be", "Value proposition + customers, TO BE", pair(to_be), "share");
    metric("trio_share_to_be", "Value proposition + customers + value chain, TO BE", trio(to_be),
           "share");
    metric("top2_share", "Two most mentioned blocks", top(all, 2), "share");
    metric("top3_share", "Three most mentioned blocks", top(all, 3), "share");
    metric("hhi", "Herfindahl index over block shares", Herfindahl(all), "");
    metric("entropy_normalized", "Normalized entropy of block shares (H / ln k)", Entropy(all), "");
    metric("network_relations_share_as_is", "Network + relations, AS IS", network_relations(as_is),
           "share");
    metric("network_relations_share_to_be", "Network + relations, TO BE", network_relations(to_be),
           "share");

    auto ranked = result.AddTable("blocks", "BMI focus per building block, ranked",
                                  {{"rank", "Rank", "integer"},
                                   {"block", "Building block"},
                                   {"name", "Name"},
                                   {"mentions", "Mentions", "integer", "mentions"},
                                   {"share", "Share", "percent"},
                                   {"cumulative_share", "Cumulative share", "percent"}});
    std::int64_t running = 0;
    for (std::size_t i = 0; i < all.ranked.size(); ++i) {
      const auto& [block, n] = all.ranked[i];
      running += n;
      ranked.AddRow({static_cast<std::int64_t>(i + 1), block, BlockName(block), n,
                     Cell(Share(n, all.mentions)), Cell(Share(running, all.mentions))});
    }
    ranked.Chart("bar", "block", {"share"});

    auto by_state = result.AddTable("blocks_by_state",
                                    "BMI focus per building block: AS IS vs TO BE business models",
                                    {{"block", "Building block"},
                                     {"name", "Name"},
                                     {"as_is_mentions", "AS IS mentions", "integer", "mentions"},
                                     {"as_is_share", "AS IS share", "percent"},
                                     {"to_be_mentions", "TO BE mentions", "integer", "mentions"},
                                     {"to_be_share", "TO BE share", "percent"},
                                     {"difference", "TO BE minus AS IS", "number", "share"}});
    for (const auto& block : blocks_) {
      const auto a = Share(Get(as_is.counts, block), as_is.mentions);
      const auto b = Share(Get(to_be.counts, block), to_be.mentions);
      by_state.AddRow({block, BlockName(block), Get(as_is.counts, block), Cell(a),
                       Get(to_be.counts, block), Cell(b), a && b ? Json(*b - *a) : Json(nullptr)});
    }
    by_state.Chart("bar", "block", {"as_is_share", "to_be_share"});

    auto concentration = result.AddTable(
        "concentration", "Focus and concentration: all, AS IS and TO BE business models",
        {{"scope", "Business models"},
         {"tasks", "BMI tasks", "integer", "tasks"},
         {"mentions", "Mentions", "integer", "mentions"},
         {"pair_share", "Value proposition + customers", "percent"},
         {"trio_share", "+ value chain", "percent"},
         {"top2_share", "Top 2 blocks", "percent"},
         {"top3_share", "Top 3 blocks", "percent"},
         {"top3_blocks", "The top 3 blocks"},
         {"hhi", "Herfindahl index", "number"},
         {"entropy_normalized", "Normalized entropy", "number"}});
    for (const Scope* s : {&all, &as_is, &to_be}) {
      std::string names;
      for (std::size_t i = 0; i < 3 && i < s->ranked.size() && s->mentions > 0; ++i)
        names += (i ? ", " : "") + s->ranked[i].first;
      concentration.AddRow({s->label, s->tasks, s->mentions, Cell(pair(*s)), Cell(trio(*s)),
                            Cell(top(*s, 2)), Cell(top(*s, 3)), names, Cell(Herfindahl(*s)),
                            Cell(Entropy(*s))});
    }
    concentration.Chart("bar", "scope", {"pair_share", "trio_share"});

    std::vector<Axis> rows = {{kAsIs, "AS IS"}, {kToBe, "TO BE"}}, columns;
    for (const auto& block : blocks_) columns.push_back({block, BlockName(block)});
    std::vector<std::vector<double>> values;
    for (const Scope* s : {&as_is, &to_be}) {
      std::vector<double> row;
      for (const auto& block : blocks_) row.push_back(static_cast<double>(Get(s->counts, block)));
      values.push_back(std::move(row));
    }
    result.AddMatrix("mentions_by_state", "Block mentions: AS IS and TO BE business models", rows,
                     columns, values, "mentions", "heatmap",
                     {{"row_dimension", "state"}, {"column_dimension", "building_block"}});

    // Findings.
    const std::int64_t trio_count = SumOf(all.counts, kTrioBlocks);
    // Integer form of trio / mentions > kClassicFocusShare (= 1/2): exact at the boundary.
    static_assert(kClassicFocusShare == 0.5);
    if (all.mentions > 0 && 2 * trio_count > all.mentions) {
      std::vector<std::string> evidence = {
          std::to_string(trio_count) + " of " + std::to_string(all.mentions) + " block mentions (" +
              Percent(trio(all)) +
              ") are on value proposition, customers or value chain (threshold: more than " +
              Percent(kClassicFocusShare) + ")",
          "value proposition + customers alone: " + std::to_string(SumOf(all.counts, kPairBlocks)) +
              " (" + Percent(pair(all)) + ")"};
      if (as_is.mentions > 0 && to_be.mentions > 0) {
        evidence.push_back("AS IS models: " + Percent(pair(as_is)) + " / " + Percent(trio(as_is)) +
                           "; TO BE models: " + Percent(pair(to_be)) + " / " +
                           Percent(trio(to_be)) + " (pair / with value chain)");
      }
      result.AddFinding(
          Severity::kNotice, "block_focus.classic_focus",
          "Most of the BMI goes to the same three building blocks: value proposition, "
          "customers and value chain. The other blocks (competences, network, relations, value "
          "formula) get little innovation, so much of the business models' potential is left "
          "untouched. The paper found this narrow focus across SMEs.",
          std::move(evidence), "Lindgren 2012, Fig. 3 and sec. 3.1.2");
    }
    const auto nr_as_is = network_relations(as_is);
    const auto nr_to_be = network_relations(to_be);
    if (as_is.mentions >= kShiftMinMentions && to_be.mentions >= kShiftMinMentions &&
        *nr_to_be - *nr_as_is >= kNetworkRelationsShift - kTolerance) {
      char points[32];
      std::snprintf(points, sizeof points, "%+.1f", (*nr_to_be - *nr_as_is) * 100.0);
      result.AddFinding(
          Severity::kInfo, "block_focus.to_be_network_relations",
          "Network and relations get a larger part of the BMI on the TO BE business models than "
          "on the AS IS ones: the new models lean more on partners and relations, as the paper "
          "observed for SMEs' TO BE models.",
          {"network + relations: " + std::to_string(SumOf(to_be.counts, kNetworkRelationsBlocks)) +
               " of " + std::to_string(to_be.mentions) + " TO BE mentions (" + Percent(nr_to_be) +
               ") vs " + std::to_string(SumOf(as_is.counts, kNetworkRelationsBlocks)) + " of " +
               std::to_string(as_is.mentions) + " AS IS mentions (" + Percent(nr_as_is) + ")",
           std::string(points) + " share points (threshold: at least +" +
               std::to_string(static_cast<int>(kNetworkRelationsShift * 100)) + ", with at least " +
               std::to_string(kShiftMinMentions) + " mentions in each state)"},
          "Lindgren 2012, sec. 3.1.2 (Fig. 3)");
    }

    Json doc = result.Take();
    for (auto& m : doc["metrics"])
      if (std::find(null_metrics.begin(), null_metrics.end(), m["id"].get<std::string>()) !=
          null_metrics.end())
        m["value"] = nullptr;
    return doc;
  }

  nlohmann::json Save() const override {
    Counts tasks;
    std::map<std::string, Counts> mentions;
    Named(tasks, mentions);
    nlohmann::json state = {{"format", "block_focus/1"},
                            {"cases", cases_},
                            {"blocks", blocks_},
                            {"tasks", tasks},
                            {"mentions", mentions}};
    return state;
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "block_focus/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a block_focus/1 state");
    BlockFocusAnalyzer loaded;
    try {
      loaded.cases_ = state.at("cases").get<std::int64_t>();
      loaded.blocks_ = state.at("blocks").get<std::vector<std::string>>();
      loaded.tasks_ = state.at("tasks").get<Counts>();
      loaded.mentions_ = state.at("mentions").get<std::map<std::string, Counts>>();
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed block_focus/1 state: ") + e.what());
    }
    *this = std::move(loaded);
  }

 private:
  // All the counts, as the saved state names them: those of Load() and MergeFrom() kept by
  // name, plus the dense counts of Add(). A state or block appears when it has a count
  // (or came with a loaded state), as if every Add() had counted by name.
  void Named(Counts& tasks, std::map<std::string, Counts>& mentions) const {
    tasks = tasks_;
    mentions = mentions_;
    for (std::size_t s = 0; s < kStates.size(); ++s)
      if (state_tasks_[s] != 0) tasks[kStates[s]] += state_tasks_[s];
    for (std::size_t b = 0; b < block_mentions_.size(); ++b)
      for (std::size_t s = 0; s < kStates.size(); ++s)
        if (block_mentions_[b][s] != 0) mentions[kStates[s]][blocks_[b]] += block_mentions_[b][s];
  }

  // `state` "" means every state (AS IS, TO BE and not stated); `tasks` and `mentions` as
  // Named() gives them.
  static Scope MakeScope(const std::string& id, const std::string& label, const std::string& state,
                         const Counts& tasks, const std::map<std::string, Counts>& mentions,
                         const std::vector<std::string>& blocks) {
    Scope s{id, label, {}, 0, 0, {}};
    for (const auto& [st, counts] : mentions)
      if (state.empty() || st == state)
        for (const auto& [block, n] : counts) s.counts[block] += n;
    for (const auto& [st, n] : tasks)
      if (state.empty() || st == state) s.tasks += n;
    s.mentions = Total(s.counts);
    // Every registered block, most mentioned first; ties keep registration order.
    for (const auto& block : blocks) s.ranked.emplace_back(block, Get(s.counts, block));
    std::stable_sort(s.ranked.begin(), s.ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return s;
  }

  // Sum of squared block shares: 1 when one block takes everything, 1/k when k blocks
  // share equally.
  static std::optional<double> Herfindahl(const Scope& s) {
    if (s.mentions == 0) return std::nullopt;
    double sum = 0;
    for (const auto& [block, n] : s.ranked) {
      const double p = static_cast<double>(n) / static_cast<double>(s.mentions);
      sum += p * p;
    }
    return sum;
  }

  // Shannon entropy of the block shares divided by ln(k), k = the registered blocks:
  // 0 when one block takes everything, 1 when all k blocks share equally.
  static std::optional<double> Entropy(const Scope& s) {
    if (s.mentions == 0 || s.ranked.size() < 2) return std::nullopt;
    double h = 0;
    for (const auto& [block, n] : s.ranked) {
      if (n == 0) continue;
      const double p = static_cast<double>(n) / static_cast<double>(s.mentions);
      h -= p * std::log(p);
    }
    return h / std::log(static_cast<double>(s.ranked.size()));
  }

  std::string SummaryText(const Scope& all, const Scope& as_is, const Scope& to_be) const {
    if (all.mentions == 0) return "No BMI tasks, so no building-block focus to show.";
    auto pair_trio = [](const Scope& s) {
      return Percent(Share(SumOf(s.counts, kPairBlocks), s.mentions)) + " / " +
             Percent(Share(SumOf(s.counts, kTrioBlocks), s.mentions));
    };
    std::string text = std::to_string(all.mentions) + " block mentions by " +
                       std::to_string(all.tasks) + " BMI tasks of " + std::to_string(cases_) +
                       " business(es). Value proposition + customers take " +
                       Percent(Share(SumOf(all.counts, kPairBlocks), all.mentions)) +
                       ", with value chain " +
                       Percent(Share(SumOf(all.counts, kTrioBlocks), all.mentions));
    std::string states;
    if (as_is.mentions > 0) states += "AS IS " + pair_trio(as_is);
    if (to_be.mentions > 0) states += (states.empty() ? "" : ", ") + ("TO BE " + pair_trio(to_be));
    if (!states.empty()) text += " (" + states + ")";
    const auto& first = all.ranked.front();
    text += ". Most mentioned: " + BlockName(first.first) + " (" +
            Percent(Share(first.second, all.mentions)) + ").";
    return text;
  }

  // kStates[StateIndex(m)]: the state bucket of business model `m`; a retired model has
  // its own, whatever its state (issue 17: retired models are not AS IS innovation).
  static std::size_t StateIndex(const bmil_business_model_view& m) {
    if (m.stage == BMIL_STAGE_RETIRED) return 3;
    return m.state == BMIL_STATE_AS_IS ? 0 : m.state == BMIL_STATE_TO_BE ? 1 : 2;
  }
  static constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
  static constexpr std::array<const char*, 4> kStates = {kAsIs, kToBe, kNotStated, kRetired};

  std::int64_t cases_ = 0;
  std::vector<std::string> blocks_;  // registered blocks, in first-seen order
  // The counts of Add(), dense: tasks by state (kStates), mentions by position in blocks_
  // and state. Entries past the view's blocks and loaded states stay in the maps below.
  std::array<std::int64_t, 4> state_tasks_{};
  std::vector<std::array<std::int64_t, 4>> block_mentions_;
  bmil::sdk::IdPositions block_pos_;  // the view's block indices -> positions in blocks_
  // Counts by name: those of a loaded state (which may name any state or block) and of
  // blocks past the view's own.
  Counts tasks_;                            // state -> tasks
  std::map<std::string, Counts> mentions_;  // state -> block -> mentions
};

}  // namespace

BMIL_PLUGIN(BlockFocusAnalyzer)
