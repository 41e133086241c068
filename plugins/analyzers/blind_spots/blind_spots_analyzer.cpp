// Blind spots of the BMIL strategy canvas (Lindgren 2012, sec. 3.1.1 and sec. 5, traits 3
// and 4): the canvas cells (leadership line x building block), lines and blocks no BMI task
// uses, the business models no BMI task works on, the share of the canvas a business covers,
// and, for every unused cell, the owning line's guiding question with a suggested action.
//
// Counting unit: a task on k blocks through m lines uses each of its k x m cells. A cell,
// line or block is "used" when at least one task uses it. The union canvas pools every
// business added; coverage is also counted per business (its used cells over its own
// line x block cells), since a cell some business uses may be blind for most others.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::Axis;
using bmil::sdk::CaseView;
using bmil::sdk::Column;
using bmil::sdk::IdSet;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;
using Cell = std::pair<std::string, std::string>;  // (line id, block id)
using Counts = std::map<std::string, std::int64_t>;

// A business covers too little of its canvas when fewer than a third of its line x block
// cells hold a task: used * kLowCoverageDenominator < cells (on the 7 x 7 canvas: 16 cells or
// fewer). The paper gives no number. It reports that SMEs lead mostly through three lines
// (CIL, NIL, VIL; sec. 3.1.2, Fig. 4) on three blocks (68% of BMI on value proposition,
// customers and value chain; Fig. 3) and calls this focus on few and the same blocks a common
// trait (sec. 5, trait 3) that leaves potential behind (trait 4). Three lines on every block,
// or every line on three blocks, would fill 3/7 (43%) of the canvas; a third is a round value
// below that: a business under it is narrower still than the narrow pattern the paper saw.
constexpr std::int64_t kLowCoverageDenominator = 3;
// The listing caps by default (the configuration's "listing" changes them, see Configure()):
// listing tables stop at 200 rows (in case order; their metrics count every row), and the
// evidence of blind_spots.models_without_bmi quotes 5 model ids (its "evidence" cap).
constexpr bmil::sdk::Listing kDefaultListing = {200, 20, 5};
constexpr const char* kSource = "Lindgren 2012, sec. 3.1.1 and sec. 5 (traits 3 and 4)";

// What the analyzer needs from a line plugin's descriptor (the engine's config): code, name,
// focus_block and questions.
using LineInfo = bmil::sdk::ConfigLine;

struct ModelRecord {
  std::string business;
  std::string id;
  std::string name;
  std::string state;
  std::string stage;
};

struct BusinessRecord {
  std::string id;
  std::int64_t tasks = 0;
  std::int64_t used_cells = 0;
  std::int64_t cells = 0;
};

using bmil::sdk::AppendNew;

// Unlike sdk::Percent and sdk::Share ("n/a" and NaN, written as null), an empty canvas
// (no cells: no case or no line) reads "0%" and a coverage of 0: the summary and the
// "coverage" metric of an empty run say so.
std::string Percent(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? "0%" : bmil::sdk::Percent(part, whole);
}

double Share(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? 0.0 : bmil::sdk::Share(part, whole);
}

std::string BlockName(const std::string& id) {
  for (std::size_t i = 0; i < bmil::sdk::kBuiltinBlocks.size(); ++i)
    if (bmil::sdk::kBuiltinBlocks[i] == id) return std::string(bmil::sdk::kBuiltinBlockNames[i]);
  return id;
}

// No limit on the distinct ids of a run beyond what memory allows (the state never had one):
// the dense counts below grow with the name lists.
constexpr std::size_t kNoIdLimit = static_cast<std::size_t>(-1);

// The set of bit indices 0..count-1 (count <= BMIL_MAX_IDS).
constexpr bmil_set LowBits(std::size_t count) {
  return count >= BMIL_MAX_IDS ? ~bmil_set{0} : (bmil_set{1} << count) - 1;
}

// Counts per (line position, block position) of the analyzer's own name lists.
using CellCounts = bmil::sdk::CountMatrix;

// Per leadership line (by position in the analyzer's line list).
struct LineCounts {
  std::int64_t tasks = 0;       // tasks led through it
  std::int64_t businesses = 0;  // businesses using it
  std::int64_t registered = 0;  // businesses where it is registered
};

// Per building block (by position in the analyzer's block list).
struct BlockCounts {
  std::int64_t tasks = 0;         // tasks touching it
  std::int64_t businesses = 0;    // businesses using it
  std::int64_t registered = 0;    // businesses where it is registered
  std::int64_t models = 0;        // business models describing it
  std::int64_t as_is_models = 0;  // AS IS business models describing it
};

// The saved form of one per-name count: {name: n} for every name whose count n = count(i)
// (i: the name's position) is not 0 (the keys the string-keyed maps of the state had),
// ordered by name.
template <typename Count>
nlohmann::json CountsToJson(const std::vector<std::string>& names, Count count) {
  Counts out;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (const std::int64_t n = count(i); n != 0) out[names[i]] += n;
  return out;
}

// The registered ids of the cases added since they last changed, with what they alone decide.
// Every case of a run registers the same ids, so Add() counts registrations (of lines, blocks
// and cells) as `cases` times this registration instead of one by one, and the cells a
// business leaves unused as registered minus used (cell_used). Multiplicities allow a view
// that registers one id twice (each of its bits counted, as before).
struct Registration {
  std::vector<std::size_t> line_pos, block_pos;     // position per bit index of the view
  std::vector<std::int64_t> line_bits, block_bits;  // per position: bits mapping to it
  std::int64_t cases = 0;                           // cases with this registration
  CellCounts cell_used;  // per cell: businesses among those cases using it

  // Whether the positions of the view's bits are those of this registration.
  bool Is(const bmil::sdk::IdPositions& lines, const bmil::sdk::IdPositions& blocks) const {
    return lines.positions() == line_pos && blocks.positions() == block_pos;
  }
  // Takes the view's positions. Call with no case counted (cases == 0, cell_used all 0) and
  // line_bits / block_bits sized to the analyzer's name lists.
  void Set(const bmil::sdk::IdPositions& lines, const bmil::sdk::IdPositions& blocks) {
    line_pos = lines.positions();
    block_pos = blocks.positions();
    std::fill(line_bits.begin(), line_bits.end(), 0);
    std::fill(block_bits.begin(), block_bits.end(), 0);
    for (const std::size_t p : line_pos) ++line_bits[p];
    for (const std::size_t p : block_pos) ++block_bits[p];
  }
};

nlohmann::json ModelToJson(const ModelRecord& m) {
  return {m.business, m.id, m.name, m.state, m.stage};
}

class BlindSpotsAnalyzer final : public bmil::sdk::MergeableAnalyzer<BlindSpotsAnalyzer> {
 public:
  // Takes the lines' descriptors and the listing caps ({"listing": ...}, bmil --max-rows /
  // --all).
  void Configure(const nlohmann::json& config) override {
    for (auto& line : bmil::sdk::LinesFromConfig(config)) lines_info_[line.id] = std::move(line);
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
  }

  Json Describe() const override {
    return {{"id", "blind_spots"},
            {"kind", "analyzer"},
            {"name", "Blind spots of the BMIL canvas"},
            {"description",
             "Canvas cells, leadership lines and building blocks no BMI task uses, business "
             "models without BMI, the share of the canvas covered, and each line's guiding "
             "question for every unused cell."},
            {"source", kSource}};
  }

  // Counts by the view's bit indices mapped to positions in blocks_ / lines_ (block_pos_,
  // line_pos_); builds strings only for listing rows that still have room. No heap allocation
  // once the scratch buffer holds the largest model count seen. What the registered ids alone
  // decide (registrations, cells registered) is counted per registration (see Registration).
  void Add(const CaseView& view) override {
    ++cases_;
    const std::size_t line_count = std::min<std::size_t>(view.line_count(), BMIL_MAX_IDS);
    const std::size_t block_count = std::min<std::size_t>(view.block_count(), BMIL_MAX_IDS);
    // Asks the CPU to load the block descriptions of every business model, read last below:
    // when the case is not in the cache, their loads then overlap each other and the work on
    // the tasks instead of waiting one model after the other. Reads no block description itself
    // (the size is this plugin's element size; a newer host's larger ones are partly
    // prefetched). No effect on results. (Not a function of its own: GCC finds a function of
    // prefetches free of side effects and drops the call.)
    const std::size_t block_bytes = block_count * sizeof(bmil_block_view);
    for (std::uint32_t m = 0; m < view.business_model_count(); ++m) {
      const auto* first = reinterpret_cast<const char*>(view.business_model(m).raw().blocks);
      if (first == nullptr) continue;
      for (std::size_t offset = 0; offset < block_bytes; offset += 64)
        __builtin_prefetch(first + offset);
    }
    block_pos_.Update(
        block_count, [&](std::size_t b) { return view.block_id(b); }, blocks_, kNoIdLimit);
    line_pos_.Update(
        line_count, [&](std::size_t l) { return view.line_id(l); }, lines_, kNoIdLimit);
    FitCounts();
    if (!registration_.Is(line_pos_, block_pos_)) {
      Settle();
      registration_.Set(line_pos_, block_pos_);
    }
    ++registration_.cases;
    const bmil_set line_mask = LowBits(line_count);
    const bmil_set block_mask = LowBits(block_count);

    // Which cells, lines and blocks this business uses, and how many tasks each model has.
    std::array<bmil_set, BMIL_MAX_IDS> used;  // per line bit: the blocks used through it
    std::fill_n(used.begin(), line_count, bmil_set{0});
    const std::uint32_t model_count = static_cast<std::uint32_t>(view.business_model_count());
    model_tasks_.assign(model_count, 0);
    std::int64_t tasks = 0;
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const bmil_task_view& task = view.task(t).raw();
      if (task.business_model >= model_count) continue;
      ++model_tasks_[task.business_model];
      ++tasks;
      const bmil_set blocks = task.blocks & block_mask;
      for (unsigned line : IdSet(task.lines & line_mask)) {
        const std::size_t l = line_pos_[line];
        ++line_counts_[l].tasks;
        used[line] |= blocks;
        std::int64_t* row = cell_tasks_.row(l);
        for (unsigned block : IdSet(blocks)) ++row[block_pos_[block]];
      }
      for (unsigned block : IdSet(blocks)) ++block_counts_[block_pos_[block]].tasks;
    }
    tasks_ += tasks;

    bmil_set blocks_used = 0;
    std::int64_t used_cells = 0;
    for (std::size_t line = 0; line < line_count; ++line) {
      if (used[line] == 0) continue;
      const std::size_t l = line_pos_[line];
      ++line_counts_[l].businesses;
      blocks_used |= used[line];
      std::int64_t* row = registration_.cell_used.row(l);
      for (unsigned block : IdSet(used[line])) {
        ++row[block_pos_[block]];
        ++used_cells;
      }
    }
    for (unsigned block : IdSet(blocks_used)) ++block_counts_[block_pos_[block]].businesses;
    const std::int64_t cells = static_cast<std::int64_t>(line_count * block_count);
    cells_sum_ += cells;
    used_cells_sum_ += used_cells;
    if (used_cells * kLowCoverageDenominator < cells) ++low_coverage_businesses_;
    if (businesses_.size() < listing_.rows)
      businesses_.push_back({std::string(view.id()), tasks, used_cells, cells});

    for (std::uint32_t m = 0; m < model_count; ++m) {
      const auto bm = view.business_model(m);
      ++models_;
      if (bm.raw().blocks != nullptr) {
        // Without branches on the data: whether a model describes a block is a coin toss.
        const std::int64_t as_is = bm.state() == BMIL_STATE_AS_IS ? 1 : 0;
        for (std::size_t block = 0; block < block_count; ++block) {
          const std::int64_t present = bm.block(block).present != 0 ? 1 : 0;
          BlockCounts& counts = block_counts_[block_pos_[block]];
          counts.models += present;
          counts.as_is_models += present & as_is;
        }
      }
      if (model_tasks_[m] > 0) continue;
      // A retired model is out of the market: no BMI on it is no potential left behind.
      if (bm.stage() == BMIL_STAGE_RETIRED) {
        ++retired_without_bmi_;
        continue;
      }
      ++models_without_bmi_;
      if (models_without_.size() < listing_.rows) {
        models_without_.push_back(
            {std::string(view.id()), std::string(bm.id()), std::string(bm.name()),
             std::string(bm.state_name()),
             std::string(bmil::sdk::NameOf(bmil::sdk::kStageNames, bm.stage()))});
      }
    }
  }

  void MergeFrom(const BlindSpotsAnalyzer& other) {
    cases_ += other.cases_;
    tasks_ += other.tasks_;
    models_ += other.models_;
    // Positions of other's names in this analyzer's lists.
    std::vector<std::size_t> block_pos, line_pos;
    for (const auto& b : other.blocks_) block_pos.push_back(AppendNew(blocks_, b));
    for (const auto& l : other.lines_) line_pos.push_back(AppendNew(lines_, l));
    FitCounts();
    for (std::size_t l = 0; l < other.lines_.size(); ++l) {
      const LineCounts& from = other.line_counts_[l];
      LineCounts& into = line_counts_[line_pos[l]];
      into.tasks += from.tasks;
      into.businesses += from.businesses;
      into.registered += other.LineRegistered(l);
      for (std::size_t b = 0; b < other.blocks_.size(); ++b) {
        cell_tasks_.at(line_pos[l], block_pos[b]) += other.cell_tasks_.at(l, b);
        cell_unused_.at(line_pos[l], block_pos[b]) += other.CellUnused(l, b);
      }
    }
    for (std::size_t b = 0; b < other.blocks_.size(); ++b) {
      const BlockCounts& from = other.block_counts_[b];
      BlockCounts& into = block_counts_[block_pos[b]];
      into.tasks += from.tasks;
      into.businesses += from.businesses;
      into.registered += other.BlockRegistered(b);
      into.models += from.models;
      into.as_is_models += from.as_is_models;
    }
    cells_sum_ += other.cells_sum_;
    used_cells_sum_ += other.used_cells_sum_;
    low_coverage_businesses_ += other.low_coverage_businesses_;
    models_without_bmi_ += other.models_without_bmi_;
    retired_without_bmi_ += other.retired_without_bmi_;
    for (const auto& b : other.businesses_) {
      if (businesses_.size() >= listing_.rows) break;
      businesses_.push_back(b);
    }
    for (const auto& m : other.models_without_) {
      if (models_without_.size() >= listing_.rows) break;
      models_without_.push_back(m);
    }
  }

  Json Finish() const override {
    ResultBuilder result("blind_spots", "Blind spots of the BMIL canvas");
    const bool many = cases_ > 1;

    // The union canvas: every line x block over the businesses added.
    const std::int64_t cells = static_cast<std::int64_t>(lines_.size() * blocks_.size());
    std::int64_t used_cells = 0;
    for (std::size_t l = 0; l < lines_.size(); ++l)
      for (std::size_t b = 0; b < blocks_.size(); ++b)
        if (cell_tasks_.at(l, b) > 0) ++used_cells;
    std::vector<std::size_t> unused_lines, unused_blocks;  // positions in lines_ / blocks_
    for (std::size_t l = 0; l < lines_.size(); ++l)
      if (line_counts_[l].tasks == 0) unused_lines.push_back(l);
    for (std::size_t b = 0; b < blocks_.size(); ++b)
      if (block_counts_[b].tasks == 0) unused_blocks.push_back(b);
    const std::int64_t proposals = cells - used_cells;

    std::string summary = std::to_string(used_cells) + " of " + std::to_string(cells) +
                          " canvas cells used (" + Percent(used_cells, cells) + ") by " +
                          std::to_string(tasks_) + " BMI tasks; " +
                          std::to_string(unused_lines.size()) + " leadership line(s) and " +
                          std::to_string(unused_blocks.size()) + " building block(s) never used; " +
                          std::to_string(models_without_bmi_) + " business model(s) without BMI.";
    if (many) {
      summary += " " + std::to_string(low_coverage_businesses_) + " of " + std::to_string(cases_) +
                 " businesses use less than a third of their canvas.";
    }
    result.Summary(summary);

    result.AddMetric("businesses", "Businesses", static_cast<double>(cases_), "businesses");
    result.AddMetric("business_models", "Business models", static_cast<double>(models_),
                     "business models");
    result.AddMetric("tasks", "BMI tasks", static_cast<double>(tasks_), "tasks");
    result.AddMetric("cells", "Canvas cells (lines x blocks)", static_cast<double>(cells), "cells");
    result.AddMetric("cells_used", "Canvas cells used", static_cast<double>(used_cells), "cells");
    result.AddMetric("cells_unused", "Canvas cells never used",
                     static_cast<double>(cells - used_cells), "cells");
    result.AddMetric("coverage", "Share of the canvas used", Share(used_cells, cells), "share");
    result.AddMetric("lines_unused", "Leadership lines never used",
                     static_cast<double>(unused_lines.size()), "lines");
    result.AddMetric("blocks_unused", "Building blocks never used",
                     static_cast<double>(unused_blocks.size()), "blocks");
    result.AddMetric("models_without_bmi", "Business models without BMI (not retired)",
                     static_cast<double>(models_without_bmi_), "business models");
    result.AddMetric("retired_models_without_bmi", "Retired business models without BMI",
                     static_cast<double>(retired_without_bmi_), "business models");
    result.AddMetric("business_coverage", "Share of their own canvas the businesses use (pooled)",
                     Share(used_cells_sum_, cells_sum_), "share");
    result.AddMetric("businesses_low_coverage", "Businesses using less than a third of the canvas",
                     static_cast<double>(low_coverage_businesses_), "businesses");
    result.AddMetric("proposals", "Proposals (one per unused cell)", static_cast<double>(proposals),
                     "proposals");

    AddBlindMatrix(result, many);
    AddLineTable(result);
    AddBlockTable(result);
    AddBusinessTable(result);
    AddModelTable(result);
    AddProposalTable(result);

    // Without any task every line and block is unused; models_without_bmi says it once.
    if (tasks_ > 0) {
      for (const std::size_t l : unused_lines) LineFinding(result, lines_[l], many);
      for (const std::size_t b : unused_blocks) BlockFinding(result, b, many);
    }
    if (models_without_bmi_ > 0) ModelsFinding(result, many);
    // One business: its coverage is below a third. Many: more than half of them are.
    if (cases_ > 0 && 2 * low_coverage_businesses_ > cases_) CoverageFinding(result, many);
    return result.Take();
  }

  nlohmann::json Save() const override {
    nlohmann::json state = {
        {"format", "blind_spots/1"},
        {"cases", cases_},
        {"tasks", tasks_},
        {"models", models_},
        {"blocks", blocks_},
        {"lines", lines_},
        {"line_tasks", CountsToJson(lines_, [&](std::size_t l) { return line_counts_[l].tasks; })},
        {"block_tasks",
         CountsToJson(blocks_, [&](std::size_t b) { return block_counts_[b].tasks; })},
        {"line_businesses",
         CountsToJson(lines_, [&](std::size_t l) { return line_counts_[l].businesses; })},
        {"block_businesses",
         CountsToJson(blocks_, [&](std::size_t b) { return block_counts_[b].businesses; })},
        {"line_registered", CountsToJson(lines_, [&](std::size_t l) { return LineRegistered(l); })},
        {"block_registered",
         CountsToJson(blocks_, [&](std::size_t b) { return BlockRegistered(b); })},
        {"block_models",
         CountsToJson(blocks_, [&](std::size_t b) { return block_counts_[b].models; })},
        {"block_as_is_models",
         CountsToJson(blocks_, [&](std::size_t b) { return block_counts_[b].as_is_models; })},
        {"cells_sum", cells_sum_},
        {"used_cells_sum", used_cells_sum_},
        {"low_coverage_businesses", low_coverage_businesses_},
        {"models_without_bmi", models_without_bmi_},
        {"retired_without_bmi", retired_without_bmi_}};
    state["cell_tasks"] =
        CellsToJson([&](std::size_t l, std::size_t b) { return cell_tasks_.at(l, b); });
    state["cell_unused_businesses"] =
        CellsToJson([&](std::size_t l, std::size_t b) { return CellUnused(l, b); });
    state["businesses"] = nlohmann::json::array();
    for (const auto& b : businesses_)
      state["businesses"].push_back({b.id, b.tasks, b.used_cells, b.cells});
    state["models_without"] = nlohmann::json::array();
    for (const auto& m : models_without_) state["models_without"].push_back(ModelToJson(m));
    return state;
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "blind_spots/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a blind_spots/1 state");
    try {
      BlindSpotsAnalyzer loaded;
      loaded.cases_ = state.at("cases").get<std::int64_t>();
      loaded.tasks_ = state.at("tasks").get<std::int64_t>();
      loaded.models_ = state.at("models").get<std::int64_t>();
      loaded.blocks_ = state.at("blocks").get<std::vector<std::string>>();
      loaded.lines_ = state.at("lines").get<std::vector<std::string>>();
      loaded.FitCounts();
      loaded.LoadCounts(state.at("line_tasks"), &LineCounts::tasks);
      loaded.LoadCounts(state.at("block_tasks"), &BlockCounts::tasks);
      loaded.LoadCounts(state.at("line_businesses"), &LineCounts::businesses);
      loaded.LoadCounts(state.at("block_businesses"), &BlockCounts::businesses);
      loaded.LoadCounts(state.at("line_registered"), &LineCounts::registered);
      loaded.LoadCounts(state.at("block_registered"), &BlockCounts::registered);
      loaded.LoadCounts(state.at("block_models"), &BlockCounts::models);
      loaded.LoadCounts(state.at("block_as_is_models"), &BlockCounts::as_is_models);
      loaded.cells_sum_ = state.at("cells_sum").get<std::int64_t>();
      loaded.used_cells_sum_ = state.at("used_cells_sum").get<std::int64_t>();
      loaded.low_coverage_businesses_ = state.at("low_coverage_businesses").get<std::int64_t>();
      loaded.models_without_bmi_ = state.at("models_without_bmi").get<std::int64_t>();
      loaded.retired_without_bmi_ = state.at("retired_without_bmi").get<std::int64_t>();
      loaded.LoadCells(state.at("cell_tasks"), loaded.cell_tasks_);
      loaded.LoadCells(state.at("cell_unused_businesses"), loaded.cell_unused_);
      // Rows beyond this instance's caps (a state saved with larger ones) are dropped.
      for (const auto& b : state.at("businesses")) {
        if (loaded.businesses_.size() >= listing_.rows) break;
        loaded.businesses_.push_back({b.at(0).get<std::string>(), b.at(1).get<std::int64_t>(),
                                      b.at(2).get<std::int64_t>(), b.at(3).get<std::int64_t>()});
      }
      for (const auto& m : state.at("models_without")) {
        if (loaded.models_without_.size() >= listing_.rows) break;
        loaded.models_without_.push_back({m.at(0).get<std::string>(), m.at(1).get<std::string>(),
                                          m.at(2).get<std::string>(), m.at(3).get<std::string>(),
                                          m.at(4).get<std::string>()});
      }
      loaded.lines_info_ = lines_info_;  // the configuration is not part of the state
      loaded.listing_ = listing_;
      *this = std::move(loaded);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed blind_spots/1 state: ") + e.what());
    }
  }

 private:
  // Sizes the dense counts to the name lists (new entries are 0).
  void FitCounts() {
    if (line_counts_.size() == lines_.size() && block_counts_.size() == blocks_.size()) return;
    line_counts_.resize(lines_.size());
    block_counts_.resize(blocks_.size());
    cell_tasks_.Fit(lines_.size(), blocks_.size());
    cell_unused_.Fit(lines_.size(), blocks_.size());
    registration_.line_bits.resize(lines_.size());
    registration_.block_bits.resize(blocks_.size());
    registration_.cell_used.Fit(lines_.size(), blocks_.size());
  }

  // Moves the counts of registration_ into line_counts_, block_counts_ and cell_unused_, and
  // empties it.
  void Settle() {
    Registration& r = registration_;
    if (r.cases == 0) return;  // cell_used is all 0
    for (std::size_t l = 0; l < lines_.size(); ++l) line_counts_[l].registered = LineRegistered(l);
    for (std::size_t b = 0; b < blocks_.size(); ++b)
      block_counts_[b].registered = BlockRegistered(b);
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      for (std::size_t b = 0; b < blocks_.size(); ++b) {
        cell_unused_.at(l, b) = CellUnused(l, b);
        r.cell_used.at(l, b) = 0;
      }
    }
    r.cases = 0;
  }

  // The counts of registered lines, registered blocks and unused cells, with those of
  // registration_ (by position).
  std::int64_t LineRegistered(std::size_t l) const {
    return line_counts_[l].registered + registration_.cases * registration_.line_bits[l];
  }
  std::int64_t BlockRegistered(std::size_t b) const {
    return block_counts_[b].registered + registration_.cases * registration_.block_bits[b];
  }
  std::int64_t CellUnused(std::size_t l, std::size_t b) const {
    const Registration& r = registration_;
    return cell_unused_.at(l, b) + r.cases * r.line_bits[l] * r.block_bits[b] -
           r.cell_used.at(l, b);
  }

  // The saved form of a cell count: [[line, block, n]...] for the cells whose count
  // n = count(line position, block position) is not 0, ordered by (line, block).
  template <typename Count>
  nlohmann::json CellsToJson(Count count) const {
    std::map<Cell, std::int64_t> cells;
    for (std::size_t l = 0; l < lines_.size(); ++l)
      for (std::size_t b = 0; b < blocks_.size(); ++b)
        if (const std::int64_t n = count(l, b); n != 0) cells[{lines_[l], blocks_[b]}] += n;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [cell, n] : cells) out.push_back({cell.first, cell.second, n});
    return out;
  }

  // For Load(): adds the saved counts {name: n} to `field` of the named lines or blocks. A
  // name missing from the saved list (no state this analyzer writes has one) is appended to
  // it.
  void LoadCounts(const nlohmann::json& j, std::int64_t LineCounts::*field) {
    for (const auto& [name, n] : j.get<Counts>()) {
      const std::size_t l = AppendNew(lines_, name);
      FitCounts();
      line_counts_[l].*field += n;
    }
  }
  void LoadCounts(const nlohmann::json& j, std::int64_t BlockCounts::*field) {
    for (const auto& [name, n] : j.get<Counts>()) {
      const std::size_t b = AppendNew(blocks_, name);
      FitCounts();
      block_counts_[b].*field += n;
    }
  }
  // For Load(): adds the saved cells [[line, block, n]...] to `counts`.
  void LoadCells(const nlohmann::json& j, CellCounts& counts) {
    for (const auto& c : j) {
      const std::size_t l = AppendNew(lines_, c.at(0).get<std::string>());
      const std::size_t b = AppendNew(blocks_, c.at(1).get<std::string>());
      FitCounts();
      counts.at(l, b) += c.at(2).get<std::int64_t>();
    }
  }
  const LineInfo* Info(const std::string& line) const {
    auto it = lines_info_.find(line);
    return it == lines_info_.end() ? nullptr : &it->second;
  }
  // The line's code ("CIL"), or its id when the config does not describe it.
  std::string Code(const std::string& line) const {
    const LineInfo* info = Info(line);
    return info == nullptr || info->code.empty() ? line : info->code;
  }
  std::string Name(const std::string& line) const {
    const LineInfo* info = Info(line);
    return info == nullptr || info->name.empty() ? line : info->name;
  }
  std::string Question(const std::string& line, const std::string& block) const {
    const LineInfo* info = Info(line);
    if (info == nullptr) return {};
    auto it = info->questions.find(block);
    return it == info->questions.end() ? std::string{} : it->second;
  }

  void AddBlindMatrix(ResultBuilder& result, bool many) const {
    std::vector<Axis> rows, columns;
    for (const auto& line : lines_) rows.push_back({line, Code(line)});
    for (const auto& block : blocks_) columns.push_back({block, BlockName(block)});
    std::vector<std::vector<double>> values;
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      std::vector<double> row;
      for (std::size_t b = 0; b < blocks_.size(); ++b)
        row.push_back(static_cast<double>(CellUnused(l, b)));
      values.push_back(std::move(row));
    }
    // One business: each cell is used or a blind spot, categories rather than counts (the
    // canvas's count palette would paint the blind spots darkest, as if most used).
    nlohmann::ordered_json extra = {{"row_dimension", "leadership_line"},
                                    {"column_dimension", "building_block"}};
    if (!many)
      extra["value_labels"] = {{"0", "used by a BMI task"}, {"1", "blind spot: no BMI task"}};
    result.AddMatrix("blind_spots.cells",
                     many ? "Blind spots: businesses that never use the cell"
                          : "Blind spots: cells no BMI task uses (1 = never used)",
                     rows, columns, values, "businesses", "heatmap", extra);
  }

  void AddLineTable(ResultBuilder& result) const {
    auto table = result.AddTable("lines", "Leadership lines: use and blind spots",
                                 {{"line", "Leadership line"},
                                  {"code", "Code"},
                                  {"tasks", "BMI tasks led through it", "integer", "tasks"},
                                  {"businesses_using", "Businesses using it", "integer"},
                                  {"businesses_not_using", "Businesses never using it", "integer"},
                                  {"cells_unused", "Its canvas cells never used", "integer"}});
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      const std::string& line = lines_[l];
      const LineCounts& counts = line_counts_[l];
      std::int64_t unused = 0;
      for (std::size_t b = 0; b < blocks_.size(); ++b) unused += cell_tasks_.at(l, b) == 0 ? 1 : 0;
      table.AddRow({line, Code(line), counts.tasks, counts.businesses,
                    LineRegistered(l) - counts.businesses, unused});
    }
    table.Chart("bar", "code", {"tasks"});
  }

  void AddBlockTable(ResultBuilder& result) const {
    auto table = result.AddTable(
        "blocks", "Building blocks: use and blind spots",
        {{"block", "Building block"},
         {"tasks", "BMI tasks touching it", "integer", "tasks"},
         {"businesses_using", "Businesses using it", "integer"},
         {"businesses_not_using", "Businesses never using it", "integer"},
         {"models_describing", "Business models describing it", "integer"},
         {"as_is_models_describing", "AS IS business models describing it", "integer"}});
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      const BlockCounts& counts = block_counts_[b];
      table.AddRow({blocks_[b], counts.tasks, counts.businesses,
                    BlockRegistered(b) - counts.businesses, counts.models, counts.as_is_models});
    }
    table.Chart("bar", "block", {"tasks"});
  }

  void AddBusinessTable(ResultBuilder& result) const {
    auto table =
        result.AddTable("businesses", "Canvas coverage per business (" + listing_.RowsWord() + ")",
                        {{"business", "Business"},
                         {"tasks", "BMI tasks", "integer", "tasks"},
                         {"cells_used", "Cells used", "integer", "cells"},
                         {"cells", "Cells", "integer", "cells"},
                         {"coverage", "Coverage", "percent"},
                         {"low_coverage", "Below a third"}});
    for (const auto& b : businesses_) {
      table.AddRow({b.id, b.tasks, b.used_cells, b.cells, Share(b.used_cells, b.cells),
                    b.used_cells * kLowCoverageDenominator < b.cells ? "yes" : "no"});
    }
  }

  void AddModelTable(ResultBuilder& result) const {
    auto table =
        result.AddTable("models_without_bmi",
                        "Business models without BMI (not retired; " + listing_.RowsWord() + ")",
                        {{"business", "Business"},
                         {"business_model", "Business model"},
                         {"name", "Name"},
                         {"state", "State"},
                         {"stage", "Stage"}});
    for (const auto& m : models_without_)
      table.AddRow({m.business, m.id, m.name, m.state, m.stage});
  }

  // The action LeadershipLine::Propose suggests, lifted to the business level: "upgrade"
  // when an AS IS model describes the block (there is something in the market to raise),
  // otherwise "create" (no model describes it, or only TO BE models do).
  void AddProposalTable(ResultBuilder& result) const {
    auto table = result.AddTable(
        "proposals",
        "Proposals for unused cells: each line's guiding question (" + listing_.RowsWord() + ")",
        {{"line", "Leadership line"},
         {"code", "Code"},
         {"block", "Building block"},
         {"action", "Suggested action"},
         {"question", "Guiding question"},
         {"rationale", "Why"}});
    std::size_t rows = 0;
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      const std::string& line = lines_[l];
      for (std::size_t b = 0; b < blocks_.size(); ++b) {
        if (cell_tasks_.at(l, b) > 0) continue;
        if (rows++ >= listing_.rows) return;
        const std::string& block = blocks_[b];
        const std::int64_t as_is = block_counts_[b].as_is_models;
        const std::int64_t described = block_counts_[b].models;
        std::string rationale =
            "No BMI task looks at the " + block + " block from the " + Name(line) + " viewpoint; ";
        if (as_is > 0) {
          rationale += std::to_string(as_is) +
                       " AS IS business model(s) describe the block: upgrade what is in the "
                       "market.";
        } else if (described > 0) {
          rationale += "only TO BE business models describe the block: create it with them.";
        } else {
          rationale += "no business model describes the block yet: create it.";
        }
        table.AddRow({line, Code(line), block, as_is > 0 ? "upgrade" : "create",
                      Question(line, block), rationale});
      }
    }
  }

  void LineFinding(ResultBuilder& result, const std::string& line, bool many) const {
    std::int64_t cells = static_cast<std::int64_t>(blocks_.size());
    const std::string message =
        "No BMI task is led through " + Name(line) + " (" + Code(line) + "): " +
        (many ? "none of the businesses looks at its models from this viewpoint."
              : "the business never looks at its models from this viewpoint.");
    const LineInfo* info = Info(line);
    std::vector<std::string> evidence = {
        "0 of " + std::to_string(tasks_) + " BMI tasks are led through " + Code(line),
        "all " + std::to_string(cells) +
            " of its canvas cells "
            "are unused"};
    // Where to start: the line's question for its own focus block.
    if (info != nullptr && !Question(line, info->focus_block).empty()) {
      evidence.push_back("guiding question (" + info->focus_block +
                         "): " + Question(line, info->focus_block));
    }
    result.AddFinding(Severity::kNotice, "blind_spots.unused_line", message, evidence, kSource);
  }

  // `b`: the block's position in blocks_.
  void BlockFinding(ResultBuilder& result, std::size_t b, bool many) const {
    const std::string& block = blocks_[b];
    const std::string message =
        "No BMI task touches the " + BlockName(block) + " block: it is left out of " +
        (many ? "every business's innovation effort." : "every innovation effort.");
    result.AddFinding(
        Severity::kNotice, "blind_spots.unused_block", message,
        {"0 of " + std::to_string(tasks_) + " BMI tasks touch " + block,
         std::to_string(block_counts_[b].models) + " business model(s) describe " + block + " (" +
             std::to_string(block_counts_[b].as_is_models) + " AS IS)"},
        kSource);
  }

  // Quotes the first listing_.evidence models without BMI; carries their businesses.
  void ModelsFinding(ResultBuilder& result, bool many) const {
    std::string quoted;
    bmil::sdk::UniqueIds businesses;  // of the quoted models
    const std::size_t shown = std::min(models_without_.size(), listing_.evidence);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& m = models_without_[i];
      quoted += (i ? ", " : "") + (many ? m.business + "/" : std::string{}) + m.id;
      businesses.Add(m.business);
    }
    if (models_without_bmi_ > static_cast<std::int64_t>(shown))
      quoted += " and " + std::to_string(models_without_bmi_ - static_cast<std::int64_t>(shown)) +
                " more";
    result.AddFinding(
        Severity::kNotice, "blind_spots.models_without_bmi",
        "Some business models get no BMI task at all: their potential is left untouched.",
        {std::to_string(models_without_bmi_) + " of " + std::to_string(models_) +
             " business models have no BMI task (retired models not counted)",
         "without BMI: " + quoted},
        "Lindgren 2012, sec. 5 (trait 4: BM potential left behind)", businesses.Take());
  }

  void CoverageFinding(ResultBuilder& result, bool many) const {
    std::vector<std::string> evidence;
    if (many) {
      evidence.push_back(std::to_string(low_coverage_businesses_) + " of " +
                         std::to_string(cases_) +
                         " businesses use less than a third of their canvas cells");
      evidence.push_back("together they use " + std::to_string(used_cells_sum_) + " of " +
                         std::to_string(cells_sum_) + " of their cells (" +
                         Percent(used_cells_sum_, cells_sum_) + ")");
    } else {
      evidence.push_back(std::to_string(used_cells_sum_) + " of " + std::to_string(cells_sum_) +
                         " canvas cells used (" + Percent(used_cells_sum_, cells_sum_) +
                         "), below a third");
    }
    result.AddFinding(
        Severity::kWarning, "blind_spots.low_coverage",
        many ? "Most businesses innovate on a small part of the canvas: few lines on few "
               "blocks, leaving most viewpoints unused."
             : "BMI covers a small part of the canvas: few lines on few blocks, leaving most "
               "viewpoints unused.",
        evidence, "Lindgren 2012, sec. 5 (traits 3 and 4)");
  }

  std::map<std::string, LineInfo> lines_info_;    // configuration, not state
  bmil::sdk::Listing listing_ = kDefaultListing;  // likewise: the listing caps

  std::int64_t cases_ = 0;
  std::int64_t tasks_ = 0;
  std::int64_t models_ = 0;
  std::vector<std::string> blocks_;  // registered ids, first seen first
  std::vector<std::string> lines_;
  // Dense counts by position in lines_ / blocks_ (sized by FitCounts()).
  std::vector<LineCounts> line_counts_;
  std::vector<BlockCounts> block_counts_;
  CellCounts cell_tasks_;   // tasks using the cell
  CellCounts cell_unused_;  // businesses never using it
  // The registrations counted as `cases` times one (see Registration); with the counts above
  // they give registered lines and blocks and unused cells (LineRegistered() etc.).
  Registration registration_;
  std::int64_t cells_sum_ = 0;       // sum over businesses of their line x block cells
  std::int64_t used_cells_sum_ = 0;  // sum over businesses of their used cells
  std::int64_t low_coverage_businesses_ = 0;
  std::int64_t models_without_bmi_ = 0;      // not retired
  std::int64_t retired_without_bmi_ = 0;     // retired
  std::vector<BusinessRecord> businesses_;   // first listing_.rows, case order
  std::vector<ModelRecord> models_without_;  // first listing_.rows, case order

  // Add()'s scratch, not state: the view's ids as positions in blocks_ / lines_, and the
  // tasks of each business model of the case.
  bmil::sdk::IdPositions block_pos_, line_pos_;
  std::vector<std::int64_t> model_tasks_;
};

}  // namespace

BMIL_PLUGIN(BlindSpotsAnalyzer)
