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
#include <cstdint>
#include <map>
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
// Listing tables stop at this many rows (in case order); their metrics count every row.
constexpr std::size_t kMaxRows = 200;
// Model ids quoted in the evidence of blind_spots.models_without_bmi.
constexpr std::size_t kMaxQuoted = 5;
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

std::int64_t Get(const Counts& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

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

void AddTo(Counts& into, const Counts& from) {
  for (const auto& [key, n] : from) into[key] += n;
}

nlohmann::json ModelToJson(const ModelRecord& m) {
  return {m.business, m.id, m.name, m.state, m.stage};
}

class BlindSpotsAnalyzer final : public bmil::sdk::MergeableAnalyzer<BlindSpotsAnalyzer> {
 public:
  void Configure(const nlohmann::json& config) override {
    for (auto& line : bmil::sdk::LinesFromConfig(config)) lines_info_[line.id] = std::move(line);
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

  void Add(const CaseView& view) override {
    ++cases_;
    const std::string business(view.id());
    const std::size_t line_count = std::min<std::size_t>(view.line_count(), BMIL_MAX_IDS);
    const std::size_t block_count = std::min<std::size_t>(view.block_count(), BMIL_MAX_IDS);
    for (std::size_t b = 0; b < block_count; ++b) AppendNew(blocks_, std::string(view.block_id(b)));
    for (std::size_t l = 0; l < line_count; ++l) AppendNew(lines_, std::string(view.line_id(l)));

    // Which cells, lines and blocks this business uses, and how many tasks each model has.
    std::vector<bmil_set> used(line_count, 0);  // per line: the blocks used through it
    std::vector<std::int64_t> model_tasks(view.business_model_count(), 0);
    std::int64_t tasks = 0;
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const auto task = view.task(t);
      if (task.business_model_index() >= view.business_model_count()) continue;
      ++model_tasks[task.business_model_index()];
      ++tasks;
      for (unsigned line : task.lines()) {
        if (line >= line_count) continue;
        ++line_tasks_[std::string(view.line_id(line))];
        for (unsigned block : task.blocks()) {
          if (block >= block_count) continue;
          used[line] |= bmil_set{1} << block;
          ++cell_tasks_[{std::string(view.line_id(line)), std::string(view.block_id(block))}];
        }
      }
      for (unsigned block : task.blocks())
        if (block < block_count) ++block_tasks_[std::string(view.block_id(block))];
    }
    tasks_ += tasks;

    bmil_set blocks_used = 0;
    std::int64_t used_cells = 0;
    for (std::size_t l = 0; l < line_count; ++l) {
      const std::string line(view.line_id(l));
      ++line_registered_[line];
      if (used[l] != 0) ++line_businesses_[line];
      blocks_used |= used[l];
      used_cells += IdSet(used[l]).size();
      for (std::size_t b = 0; b < block_count; ++b)
        if (!IdSet(used[l]).contains(static_cast<unsigned>(b)))
          ++cell_unused_businesses_[{line, std::string(view.block_id(b))}];
    }
    for (std::size_t b = 0; b < block_count; ++b) {
      const std::string block(view.block_id(b));
      ++block_registered_[block];
      if (IdSet(blocks_used).contains(static_cast<unsigned>(b))) ++block_businesses_[block];
    }
    const std::int64_t cells = static_cast<std::int64_t>(line_count * block_count);
    cells_sum_ += cells;
    used_cells_sum_ += used_cells;
    if (used_cells * kLowCoverageDenominator < cells) ++low_coverage_businesses_;
    if (businesses_.size() < kMaxRows) businesses_.push_back({business, tasks, used_cells, cells});

    for (std::uint32_t m = 0; m < view.business_model_count(); ++m) {
      const auto bm = view.business_model(m);
      ++models_;
      if (bm.raw().blocks != nullptr) {
        for (std::size_t b = 0; b < block_count; ++b) {
          if (bm.block(b).present == 0) continue;
          ++block_models_[std::string(view.block_id(b))];
          if (bm.state() == BMIL_STATE_AS_IS) ++block_as_is_models_[std::string(view.block_id(b))];
        }
      }
      if (model_tasks[m] > 0) continue;
      // A retired model is out of the market: no BMI on it is no potential left behind.
      if (bm.stage() == BMIL_STAGE_RETIRED) {
        ++retired_without_bmi_;
        continue;
      }
      ++models_without_bmi_;
      if (models_without_.size() < kMaxRows) {
        models_without_.push_back(
            {business, std::string(bm.id()), std::string(bm.name()), std::string(bm.state_name()),
             std::string(bmil::sdk::NameOf(bmil::sdk::kStageNames, bm.stage()))});
      }
    }
  }

  void MergeFrom(const BlindSpotsAnalyzer& other) {
    cases_ += other.cases_;
    tasks_ += other.tasks_;
    models_ += other.models_;
    for (const auto& b : other.blocks_) AppendNew(blocks_, b);
    for (const auto& l : other.lines_) AppendNew(lines_, l);
    for (const auto& [cell, n] : other.cell_tasks_) cell_tasks_[cell] += n;
    for (const auto& [cell, n] : other.cell_unused_businesses_) cell_unused_businesses_[cell] += n;
    AddTo(line_tasks_, other.line_tasks_);
    AddTo(block_tasks_, other.block_tasks_);
    AddTo(line_businesses_, other.line_businesses_);
    AddTo(block_businesses_, other.block_businesses_);
    AddTo(line_registered_, other.line_registered_);
    AddTo(block_registered_, other.block_registered_);
    AddTo(block_models_, other.block_models_);
    AddTo(block_as_is_models_, other.block_as_is_models_);
    cells_sum_ += other.cells_sum_;
    used_cells_sum_ += other.used_cells_sum_;
    low_coverage_businesses_ += other.low_coverage_businesses_;
    models_without_bmi_ += other.models_without_bmi_;
    retired_without_bmi_ += other.retired_without_bmi_;
    for (const auto& b : other.businesses_)
      if (businesses_.size() < kMaxRows) businesses_.push_back(b);
    for (const auto& m : other.models_without_)
      if (models_without_.size() < kMaxRows) models_without_.push_back(m);
  }

  Json Finish() const override {
    ResultBuilder result("blind_spots", "Blind spots of the BMIL canvas");
    const bool many = cases_ > 1;

    // The union canvas: every line x block over the businesses added.
    const std::int64_t cells = static_cast<std::int64_t>(lines_.size() * blocks_.size());
    std::int64_t used_cells = 0;
    for (const auto& line : lines_)
      for (const auto& block : blocks_)
        if (CellTasks(line, block) > 0) ++used_cells;
    std::vector<std::string> unused_lines, unused_blocks;
    for (const auto& line : lines_)
      if (Get(line_tasks_, line) == 0) unused_lines.push_back(line);
    for (const auto& block : blocks_)
      if (Get(block_tasks_, block) == 0) unused_blocks.push_back(block);
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
      for (const auto& line : unused_lines) LineFinding(result, line, many);
      for (const auto& block : unused_blocks) BlockFinding(result, block, many);
    }
    if (models_without_bmi_ > 0) ModelsFinding(result, many);
    // One business: its coverage is below a third. Many: more than half of them are.
    if (cases_ > 0 && 2 * low_coverage_businesses_ > cases_) CoverageFinding(result, many);
    return result.Take();
  }

  nlohmann::json Save() const override {
    nlohmann::json state = {{"format", "blind_spots/1"},
                            {"cases", cases_},
                            {"tasks", tasks_},
                            {"models", models_},
                            {"blocks", blocks_},
                            {"lines", lines_},
                            {"line_tasks", line_tasks_},
                            {"block_tasks", block_tasks_},
                            {"line_businesses", line_businesses_},
                            {"block_businesses", block_businesses_},
                            {"line_registered", line_registered_},
                            {"block_registered", block_registered_},
                            {"block_models", block_models_},
                            {"block_as_is_models", block_as_is_models_},
                            {"cells_sum", cells_sum_},
                            {"used_cells_sum", used_cells_sum_},
                            {"low_coverage_businesses", low_coverage_businesses_},
                            {"models_without_bmi", models_without_bmi_},
                            {"retired_without_bmi", retired_without_bmi_}};
    state["cell_tasks"] = CellsToJson(cell_tasks_);
    state["cell_unused_businesses"] = CellsToJson(cell_unused_businesses_);
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
      loaded.line_tasks_ = state.at("line_tasks").get<Counts>();
      loaded.block_tasks_ = state.at("block_tasks").get<Counts>();
      loaded.line_businesses_ = state.at("line_businesses").get<Counts>();
      loaded.block_businesses_ = state.at("block_businesses").get<Counts>();
      loaded.line_registered_ = state.at("line_registered").get<Counts>();
      loaded.block_registered_ = state.at("block_registered").get<Counts>();
      loaded.block_models_ = state.at("block_models").get<Counts>();
      loaded.block_as_is_models_ = state.at("block_as_is_models").get<Counts>();
      loaded.cells_sum_ = state.at("cells_sum").get<std::int64_t>();
      loaded.used_cells_sum_ = state.at("used_cells_sum").get<std::int64_t>();
      loaded.low_coverage_businesses_ = state.at("low_coverage_businesses").get<std::int64_t>();
      loaded.models_without_bmi_ = state.at("models_without_bmi").get<std::int64_t>();
      loaded.retired_without_bmi_ = state.at("retired_without_bmi").get<std::int64_t>();
      loaded.cell_tasks_ = CellsFromJson(state.at("cell_tasks"));
      loaded.cell_unused_businesses_ = CellsFromJson(state.at("cell_unused_businesses"));
      for (const auto& b : state.at("businesses")) {
        loaded.businesses_.push_back({b.at(0).get<std::string>(), b.at(1).get<std::int64_t>(),
                                      b.at(2).get<std::int64_t>(), b.at(3).get<std::int64_t>()});
      }
      for (const auto& m : state.at("models_without")) {
        loaded.models_without_.push_back({m.at(0).get<std::string>(), m.at(1).get<std::string>(),
                                          m.at(2).get<std::string>(), m.at(3).get<std::string>(),
                                          m.at(4).get<std::string>()});
      }
      loaded.lines_info_ = lines_info_;  // the configuration is not part of the state
      *this = std::move(loaded);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed blind_spots/1 state: ") + e.what());
    }
  }

 private:
  static nlohmann::json CellsToJson(const std::map<Cell, std::int64_t>& cells) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [cell, n] : cells) out.push_back({cell.first, cell.second, n});
    return out;
  }
  static std::map<Cell, std::int64_t> CellsFromJson(const nlohmann::json& j) {
    std::map<Cell, std::int64_t> cells;
    for (const auto& c : j)
      cells[{c.at(0).get<std::string>(), c.at(1).get<std::string>()}] +=
          c.at(2).get<std::int64_t>();
    return cells;
  }

  std::int64_t CellTasks(const std::string& line, const std::string& block) const {
    auto it = cell_tasks_.find({line, block});
    return it == cell_tasks_.end() ? 0 : it->second;
  }
  std::int64_t CellUnused(const std::string& line, const std::string& block) const {
    auto it = cell_unused_businesses_.find({line, block});
    return it == cell_unused_businesses_.end() ? 0 : it->second;
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
    for (const auto& line : lines_) {
      std::vector<double> row;
      for (const auto& block : blocks_) row.push_back(static_cast<double>(CellUnused(line, block)));
      values.push_back(std::move(row));
    }
    result.AddMatrix(
        "blind_spots.cells",
        many ? "Blind spots: businesses that never use the cell"
             : "Blind spots: cells no BMI task uses (1 = never used)",
        rows, columns, values, "businesses", "heatmap",
        {{"row_dimension", "leadership_line"}, {"column_dimension", "building_block"}});
  }

  void AddLineTable(ResultBuilder& result) const {
    auto table = result.AddTable("lines", "Leadership lines: use and blind spots",
                                 {{"line", "Leadership line"},
                                  {"code", "Code"},
                                  {"tasks", "BMI tasks led through it", "integer", "tasks"},
                                  {"businesses_using", "Businesses using it", "integer"},
                                  {"businesses_not_using", "Businesses never using it", "integer"},
                                  {"cells_unused", "Its canvas cells never used", "integer"}});
    for (const auto& line : lines_) {
      std::int64_t unused = 0;
      for (const auto& block : blocks_) unused += CellTasks(line, block) == 0 ? 1 : 0;
      const std::int64_t using_it = Get(line_businesses_, line);
      table.AddRow({line, Code(line), Get(line_tasks_, line), using_it,
                    Get(line_registered_, line) - using_it, unused});
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
    for (const auto& block : blocks_) {
      const std::int64_t using_it = Get(block_businesses_, block);
      table.AddRow({block, Get(block_tasks_, block), using_it,
                    Get(block_registered_, block) - using_it, Get(block_models_, block),
                    Get(block_as_is_models_, block)});
    }
    table.Chart("bar", "block", {"tasks"});
  }

  void AddBusinessTable(ResultBuilder& result) const {
    auto table = result.AddTable(
        "businesses", "Canvas coverage per business (first " + std::to_string(kMaxRows) + ")",
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
    auto table = result.AddTable(
        "models_without_bmi",
        "Business models without BMI (not retired; first " + std::to_string(kMaxRows) + ")",
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
    auto table =
        result.AddTable("proposals",
                        "Proposals for unused cells: each line's guiding question (first " +
                            std::to_string(kMaxRows) + ")",
                        {{"line", "Leadership line"},
                         {"code", "Code"},
                         {"block", "Building block"},
                         {"action", "Suggested action"},
                         {"question", "Guiding question"},
                         {"rationale", "Why"}});
    std::size_t rows = 0;
    for (const auto& line : lines_) {
      for (const auto& block : blocks_) {
        if (CellTasks(line, block) > 0) continue;
        if (rows++ >= kMaxRows) return;
        const std::int64_t as_is = Get(block_as_is_models_, block);
        const std::int64_t described = Get(block_models_, block);
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

  void BlockFinding(ResultBuilder& result, const std::string& block, bool many) const {
    const std::string message =
        "No BMI task touches the " + BlockName(block) + " block: it is left out of " +
        (many ? "every business's innovation effort." : "every innovation effort.");
    result.AddFinding(
        Severity::kNotice, "blind_spots.unused_block", message,
        {"0 of " + std::to_string(tasks_) + " BMI tasks touch " + block,
         std::to_string(Get(block_models_, block)) + " business model(s) describe " + block + " (" +
             std::to_string(Get(block_as_is_models_, block)) + " AS IS)"},
        kSource);
  }

  void ModelsFinding(ResultBuilder& result, bool many) const {
    std::string quoted;
    for (std::size_t i = 0; i < models_without_.size() && i < kMaxQuoted; ++i) {
      const auto& m = models_without_[i];
      quoted += (i ? ", " : "") + (many ? m.business + "/" : std::string{}) + m.id;
    }
    if (models_without_bmi_ > static_cast<std::int64_t>(kMaxQuoted))
      quoted += " and " +
                std::to_string(models_without_bmi_ - static_cast<std::int64_t>(kMaxQuoted)) +
                " more";
    result.AddFinding(
        Severity::kNotice, "blind_spots.models_without_bmi",
        "Some business models get no BMI task at all: their potential is left untouched.",
        {std::to_string(models_without_bmi_) + " of " + std::to_string(models_) +
             " business models have no BMI task (retired models not counted)",
         "without BMI: " + quoted},
        "Lindgren 2012, sec. 5 (trait 4: BM potential left behind)");
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

  std::map<std::string, LineInfo> lines_info_;  // configuration, not state

  std::int64_t cases_ = 0;
  std::int64_t tasks_ = 0;
  std::int64_t models_ = 0;
  std::vector<std::string> blocks_;  // registered ids, first seen first
  std::vector<std::string> lines_;
  std::map<Cell, std::int64_t> cell_tasks_;              // tasks using the cell
  std::map<Cell, std::int64_t> cell_unused_businesses_;  // businesses never using it
  Counts line_tasks_, block_tasks_;                      // tasks through a line / on a block
  Counts line_businesses_, block_businesses_;            // businesses using it
  Counts line_registered_, block_registered_;            // businesses where it is registered
  Counts block_models_, block_as_is_models_;             // models describing the block
  std::int64_t cells_sum_ = 0;       // sum over businesses of their line x block cells
  std::int64_t used_cells_sum_ = 0;  // sum over businesses of their used cells
  std::int64_t low_coverage_businesses_ = 0;
  std::int64_t models_without_bmi_ = 0;      // not retired
  std::int64_t retired_without_bmi_ = 0;     // retired
  std::vector<BusinessRecord> businesses_;   // first kMaxRows, case order
  std::vector<ModelRecord> models_without_;  // first kMaxRows, case order
};

}  // namespace

BMIL_PLUGIN(BlindSpotsAnalyzer)
