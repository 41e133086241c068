// The BMIL strategy canvas (Lindgren 2012, Figs. 2, 6 and 8): leadership lines (rows) by
// building blocks (columns), each cell counting the BMI tasks led through that line on
// that block. Counting unit: a task on k blocks through m lines adds 1 to each of its
// k x m cells ("placements"), so a cell says how many tasks touch it.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>
#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
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

// Per-model canvases are listed only up to this many models (beyond it a cross-case run
// would print thousands of matrices; the business-level canvases still cover every task).
constexpr std::size_t kMaxModelCanvases = 40;
// The per-model table lists the first models in case order (by default 200; the
// configuration's "listing" changes it, see Configure()); counts cover all of them.
constexpr bmil::sdk::Listing kDefaultListing = {200, 20, 10};
// Cells are counted in dense arrays indexed by the positions of the line and block names in
// lines_ / blocks_ (at most BMIL_MAX_IDS each), one array per state.
constexpr std::size_t kSide = BMIL_MAX_IDS;
constexpr std::array<const char*, 3> kStates = {"", "as_is", "to_be"};  // by bmil_state

using Cells = std::map<std::pair<std::string, std::string>, std::int64_t>;  // (line, block)

// One model's cells: (line position * kSide + block position, tasks), the positions being
// those of the analyzer's lines_ and blocks_; in first-counted order, named by NamedCells().
using PositionCells = std::vector<std::pair<std::uint16_t, std::int64_t>>;

struct ModelCanvas {
  std::string business;
  std::string id;
  std::string name;
  std::string state;
  std::int64_t tasks = 0;
  PositionCells cells;
};

void CountCell(PositionCells& cells, std::size_t cell) {
  for (auto& [at, n] : cells) {
    if (at == cell) {
      ++n;
      return;
    }
  }
  cells.emplace_back(static_cast<std::uint16_t>(cell), 1);
}

// The classic corner (bmil::sdk::InClassicCorner, Lindgren 2012, sec. 3.1.2).
bool InCorner(const std::string& line, const std::string& block) {
  return bmil::sdk::InClassicCorner(line, block);
}

using bmil::sdk::AppendNew;

class CanvasAnalyzer final : public bmil::sdk::MergeableAnalyzer<CanvasAnalyzer> {
 public:
  // Reads the listing caps ({"listing": ...}, bmil --max-rows / --all): the rows of the
  // per-model table (and the per-model canvases drawn from them).
  void Configure(const nlohmann::json& config) override {
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
  }

  Json Describe() const override {
    return {{"id", "canvas"},
            {"kind", "analyzer"},
            {"name", "BMIL strategy canvas"},
            {"description",
             "Tasks per leadership line and building block, for the business, per state (AS "
             "IS / TO BE) and per business model; the classic-corner share; unused cells."},
            {"source", "Lindgren 2012, Figs. 2, 6 and 8"}};
  }

  void Add(const CaseView& view) override {
    ++cases_;
    // Positions of the view's ids in lines_ / blocks_ (the same for every case of a run).
    block_pos_.Update(
        view.block_count(), [&](std::size_t b) { return view.block_id(b); }, blocks_, kSide);
    line_pos_.Update(
        view.line_count(), [&](std::size_t l) { return view.line_id(l); }, lines_, kSide);
    const std::size_t first_model = models_.size();
    const std::uint32_t model_count = view.business_model_count();
    for (std::uint32_t m = 0; m < model_count && models_.size() < listing_.rows; ++m) {
      auto bm = view.business_model(m);
      models_.push_back({std::string(view.id()),
                         std::string(bm.id()),
                         std::string(bm.name()),
                         std::string(bm.state_name()),
                         0,
                         {}});
    }
    model_count_ += model_count;
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      auto task = view.task(t);
      const auto m = task.business_model_index();
      if (m >= model_count) continue;
      const std::uint32_t state = view.business_model(m).raw().state;
      const std::size_t s = state < kStates.size() ? state : 0;
      ++tasks_[s];
      ModelCanvas* model = first_model + m < models_.size() ? &models_[first_model + m] : nullptr;
      if (model != nullptr) ++model->tasks;
      for (unsigned line : task.lines()) {
        for (unsigned block : task.blocks()) {
          ++cells_[s][line_pos_[line] * kSide + block_pos_[block]];
          if (model != nullptr)
            CountCell(model->cells, line_pos_[line] * kSide + block_pos_[block]);
        }
      }
    }
  }

  void MergeFrom(const CanvasAnalyzer& other) {
    cases_ += other.cases_;
    std::vector<std::size_t> block_pos, line_pos;
    for (const auto& b : other.blocks_) block_pos.push_back(AppendNew(blocks_, b));
    for (const auto& l : other.lines_) line_pos.push_back(AppendNew(lines_, l));
    for (std::size_t s = 0; s < kStates.size(); ++s) {
      tasks_[s] += other.tasks_[s];
      for (std::size_t l = 0; l < other.lines_.size(); ++l)
        for (std::size_t b = 0; b < other.blocks_.size(); ++b)
          cells_[s][line_pos[l] * kSide + block_pos[b]] += other.cells_[s][l * kSide + b];
    }
    for (const auto& m : other.models_) {
      if (models_.size() >= listing_.rows) break;
      models_.push_back(m);
      for (auto& [cell, n] : models_.back().cells)
        cell = static_cast<std::uint16_t>(line_pos[cell / kSide] * kSide + block_pos[cell % kSide]);
    }
    model_count_ += other.model_count_;
  }

  Json Finish() const override {
    ResultBuilder result("canvas", "BMIL strategy canvas");
    Cells all;
    for (std::size_t s = 0; s < kStates.size(); ++s)
      for (const auto& [cell, n] : StateCells(s)) all[cell] += n;
    std::int64_t task_total = 0;
    for (std::int64_t n : tasks_) task_total += n;

    std::int64_t placements = 0, corner = 0;
    for (const auto& [cell, n] : all) {
      placements += n;
      if (InCorner(cell.first, cell.second)) corner += n;
    }
    std::size_t used = 0;
    for (const auto& line : lines_)
      for (const auto& block : blocks_)
        if (Count(all, line, block) > 0) ++used;
    const std::size_t cell_count = lines_.size() * blocks_.size();
    const double corner_share =
        placements == 0 ? 0.0 : static_cast<double>(corner) / static_cast<double>(placements);

    result.Summary(std::to_string(task_total) + " BMI tasks on " + std::to_string(model_count_) +
                   " business models of " + std::to_string(cases_) + " business(es); " +
                   std::to_string(used) + " of " + std::to_string(cell_count) +
                   " canvas cells used; " + Percent(corner_share) +
                   " of placements in the classic corner.");
    result.AddMetric("businesses", "Businesses", static_cast<double>(cases_), "businesses");
    result.AddMetric("business_models", "Business models", static_cast<double>(model_count_),
                     "business models");
    result.AddMetric("tasks", "BMI tasks", static_cast<double>(task_total), "tasks");
    result.AddMetric("tasks_as_is", "BMI tasks on AS IS models",
                     static_cast<double>(tasks_[BMIL_STATE_AS_IS]), "tasks");
    result.AddMetric("tasks_to_be", "BMI tasks on TO BE models",
                     static_cast<double>(tasks_[BMIL_STATE_TO_BE]), "tasks");
    result.AddMetric("placements", "Task placements (task x line x block)",
                     static_cast<double>(placements), "placements");
    result.AddMetric("classic_corner_share", "Share of placements in the classic corner",
                     corner_share, "share");
    result.AddMetric("cells_used", "Canvas cells used", static_cast<double>(used), "cells");
    result.AddMetric("cells_unused", "Canvas cells never used",
                     static_cast<double>(cell_count - used), "cells");

    AddCanvas(result, "canvas", "Canvas: all business models", all, {});
    AddCanvas(result, "canvas.as_is", "Canvas: AS IS business models", StateCells(BMIL_STATE_AS_IS),
              {});
    AddCanvas(result, "canvas.to_be", "Canvas: TO BE business models", StateCells(BMIL_STATE_TO_BE),
              {});
    if (model_count_ <= static_cast<std::int64_t>(kMaxModelCanvases)) {
      for (const auto& model : models_) {
        const std::string prefix = cases_ > 1 ? model.business + "/" : "";
        AddCanvas(result, "canvas.bm." + prefix + model.id,
                  "Canvas: " + model.name + " (" + StateLabel(model.state) + ")",
                  NamedCells(model.cells), {{"business_model", model.id}, {"state", model.state}});
      }
    }

    const bool all_models = model_count_ <= static_cast<std::int64_t>(models_.size());
    auto models =
        result.AddTable("business_models",
                        all_models ? std::string("BMI tasks per business model")
                                   : "BMI tasks per business model (" + listing_.RowsWord() +
                                         " of " + std::to_string(model_count_) + ")",
                        {{"business", "Business"},
                         {"business_model", "Business model"},
                         {"state", "State"},
                         {"tasks", "BMI tasks", "integer", "tasks"},
                         {"cells", "Cells used", "integer", "cells"}});
    for (const auto& model : models_) {
      std::int64_t cells = 0;
      for (const auto& [cell, n] : model.cells) cells += n > 0 ? 1 : 0;
      models.AddRow({model.business, model.id, model.state, model.tasks, cells});
    }
    models.Chart("bar", "business_model", {"tasks"});

    auto unused = result.AddTable("unused_cells", "Canvas cells never used",
                                  {{"line", "Leadership line"}, {"block", "Building block"}});
    std::vector<std::string> unused_lines;
    for (const auto& line : lines_) {
      bool line_used = false;
      for (const auto& block : blocks_) {
        if (Count(all, line, block) == 0) {
          unused.AddRow({line, block});
        } else {
          line_used = true;
        }
      }
      if (!line_used) unused_lines.push_back(line);
    }

    if (placements > 0 && corner_share > 0.5) {
      result.AddFinding(Severity::kNotice, "canvas.classic_corner",
                        "Most BMI sits in the classic corner of the canvas (value, customer and "
                        "value-chain lines on value proposition, customers and value chain).",
                        {Percent(corner_share) + " of " + std::to_string(placements) +
                         " placements are in the corner"},
                        "Lindgren 2012, sec. 3.1.2 and conclusions");
    }
    if (!unused_lines.empty() && task_total > 0) {
      std::string list;
      for (const auto& l : unused_lines) list += (list.empty() ? "" : ", ") + l;
      result.AddFinding(
          Severity::kInfo, "canvas.unused_lines",
          "Some leadership lines lead no BMI task at all: " + list + ".",
          {std::to_string(unused_lines.size()) + " of " + std::to_string(lines_.size()) +
           " lines have no task"},
          "Lindgren 2012, sec. 3.1 (the canvas: question every block from every line)");
    }
    return result.Take();
  }

  nlohmann::json Save() const override {
    nlohmann::json state = {{"format", "canvas/1"},
                            {"cases", cases_},
                            {"blocks", blocks_},
                            {"lines", lines_},
                            {"model_count", model_count_}};
    state["tasks"] = nlohmann::json::object();
    state["by_state"] = nlohmann::json::object();
    for (std::size_t s = 0; s < kStates.size(); ++s) {
      if (tasks_[s] != 0) state["tasks"][kStates[s]] = tasks_[s];
      const Cells cells = StateCells(s);
      if (!cells.empty()) state["by_state"][kStates[s]] = CellsToJson(cells);
    }
    state["models"] = nlohmann::json::array();
    for (const auto& m : models_) {
      state["models"].push_back({{"business", m.business},
                                 {"id", m.id},
                                 {"name", m.name},
                                 {"state", m.state},
                                 {"tasks", m.tasks},
                                 {"cells", CellsToJson(NamedCells(m.cells))}});
    }
    return state;
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "canvas/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a canvas/1 state");
    CanvasAnalyzer loaded;
    loaded.listing_ = listing_;  // configuration, not state
    loaded.cases_ = state.at("cases").get<std::int64_t>();
    loaded.blocks_ = state.at("blocks").get<std::vector<std::string>>();
    loaded.lines_ = state.at("lines").get<std::vector<std::string>>();
    for (const auto& [s, n] : state.at("tasks").items())
      loaded.tasks_[StateIndex(s)] += n.get<std::int64_t>();
    for (const auto& [s, cells] : state.at("by_state").items()) {
      const std::size_t index = StateIndex(s);
      for (const auto& [cell, n] : CellsFromJson(cells)) {
        const std::size_t l = AppendNew(loaded.lines_, cell.first);
        const std::size_t b = AppendNew(loaded.blocks_, cell.second);
        if (l >= kSide || b >= kSide)
          throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "more than 64 lines or blocks");
        loaded.cells_[index][l * kSide + b] += n;
      }
    }
    for (const auto& m : state.at("models")) {
      PositionCells cells;
      for (const auto& [cell, n] : CellsFromJson(m.at("cells"))) {
        const std::size_t l = AppendNew(loaded.lines_, cell.first);
        const std::size_t b = AppendNew(loaded.blocks_, cell.second);
        if (l >= kSide || b >= kSide)
          throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "more than 64 lines or blocks");
        cells.emplace_back(static_cast<std::uint16_t>(l * kSide + b), n);
      }
      loaded.models_.push_back({m.at("business").get<std::string>(), m.at("id").get<std::string>(),
                                m.at("name").get<std::string>(), m.at("state").get<std::string>(),
                                m.at("tasks").get<std::int64_t>(), std::move(cells)});
    }
    loaded.model_count_ =
        state.value("model_count", static_cast<std::int64_t>(loaded.models_.size()));
    if (loaded.models_.size() > listing_.rows) loaded.models_.resize(listing_.rows);
    *this = std::move(loaded);
  }

 private:
  static std::int64_t Count(const Cells& cells, const std::string& line, const std::string& block) {
    auto it = cells.find({line, block});
    return it == cells.end() ? 0 : it->second;
  }
  static std::int64_t Get(const std::map<std::string, std::int64_t>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
  }
  static std::string Percent(double share) {
    return std::to_string(static_cast<int>(share * 100.0 + 0.5)) + "%";
  }
  static std::string StateLabel(const std::string& state) {
    if (state == "as_is") return "AS IS";
    if (state == "to_be") return "TO BE";
    return "state not stated";
  }
  static nlohmann::json CellsToJson(const Cells& cells) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [cell, n] : cells) out.push_back({cell.first, cell.second, n});
    return out;
  }
  static Cells CellsFromJson(const nlohmann::json& j) {
    Cells cells;
    for (const auto& c : j)
      cells[{c.at(0).get<std::string>(), c.at(1).get<std::string>()}] +=
          c.at(2).get<std::int64_t>();
    return cells;
  }
  // A model's cells by (line, block) name.
  Cells NamedCells(const PositionCells& cells) const {
    Cells named;
    for (const auto& [cell, n] : cells) named[{lines_[cell / kSide], blocks_[cell % kSide]}] += n;
    return named;
  }
  Cells StateCells(std::size_t s) const {
    Cells cells;
    for (std::size_t l = 0; l < lines_.size(); ++l)
      for (std::size_t b = 0; b < blocks_.size(); ++b)
        if (const std::int64_t n = cells_[s][l * kSide + b]; n != 0)
          cells[{lines_[l], blocks_[b]}] = n;
    return cells;
  }
  static std::size_t StateIndex(const std::string& name) {
    for (std::size_t s = 0; s < kStates.size(); ++s)
      if (name == kStates[s]) return s;
    throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "unknown state \"" + name + "\"");
  }
  void AddCanvas(ResultBuilder& result, const std::string& id, const std::string& title,
                 const Cells& cells, Json extra) const {
    std::vector<Axis> rows, columns;
    for (const auto& line : lines_) rows.push_back({line, line});
    for (const auto& block : blocks_) columns.push_back({block, block});
    std::vector<std::vector<double>> values;
    for (const auto& line : lines_) {
      std::vector<double> row;
      for (const auto& block : blocks_)
        row.push_back(static_cast<double>(Count(cells, line, block)));
      values.push_back(std::move(row));
    }
    extra["row_dimension"] = "leadership_line";
    extra["column_dimension"] = "building_block";
    result.AddMatrix(id, title, rows, columns, values, "tasks", "heatmap", extra);
  }

  bmil::sdk::Listing listing_ = kDefaultListing;  // configuration, not state

  std::int64_t cases_ = 0;
  std::vector<std::string> blocks_;
  std::vector<std::string> lines_;
  std::vector<ModelCanvas> models_;  // the first listing_.rows, case order
  std::int64_t model_count_ = 0;
  std::array<std::int64_t, kStates.size()> tasks_{};  // by bmil_state
  std::array<std::vector<std::int64_t>, kStates.size()> cells_ = {
      // by bmil_state
      std::vector<std::int64_t>(kSide * kSide), std::vector<std::int64_t>(kSide* kSide),
      std::vector<std::int64_t>(kSide* kSide)};
  // Add()'s cache of the view's ids and their positions.
  bmil::sdk::IdPositions block_pos_, line_pos_;
};

}  // namespace

BMIL_PLUGIN(CanvasAnalyzer)
