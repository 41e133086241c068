// Orchestration of leadership lines (Lindgren 2012, sec. 3.2.1 and Fig. 7): BMI tasks led
// through two or more lines at once, which lines are led together (a lines x lines
// co-occurrence matrix), and lines orchestrated on one building block across several
// business models of a business in the same year: the same pair of lines leading the work
// on that block in each of two or more models, as Aikon led the customer and network lines on
// the customers block of several models at the same time.
//
// Counting units: a task (multi-line tasks, co-occurrence cells), a business (the
// single-line finding) and a (business, block, year) triple (cross-model orchestrations).
// The exact rules and thresholds are in docs/analyses/orchestration.md.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::AppendNew;
using bmil::sdk::Axis;
using bmil::sdk::CaseView;
using bmil::sdk::Percent;  // only given shares in 0..1, where it rounds as the old cast did
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

// Listing tables keep the first this many rows in case order (a run over 100,000
// businesses stays readable); the metrics beside them count every row.
constexpr std::size_t kMaxRows = 200;
// A finding lists at most this many evidence lines, then says how many more there are.
constexpr std::size_t kMaxEvidence = 10;
// orchestration.single_line_bmi: a business is flagged when fewer than this share of its
// tasks are led through two or more lines, i.e. when most of its tasks are led through one
// line at a time. The paper gives no number; it reports that most SMEs lead BMI with one
// line at a time and singles out Aikon for leading two lines simultaneously (sec. 3.2.1),
// so "most tasks" (a multi-line share below one half) is the reading we test for.
constexpr double kMultiLineShareThreshold = 0.5;
// ... and only when the business has at least this many tasks: a share over one or two
// tasks says nothing about how a business leads BMI (most of the line plugins' threat rules
// use the same minimum).
constexpr std::int64_t kMinTasksForSingleLine = 3;
// A cross-model orchestration on one block in one year: at least kMinModels business models
// of the business each have that block worked, that year, through the same pair of lines
// (or more: every pair shared by kMinModels models counts), as Aikon worked the customers
// block of each model through both the customer and the network line (sec. 3.2.1). Two
// models each led through a single, different line are not orchestrated; neither is one
// model led through two lines. kMinLines is 2 by construction (a pair).
constexpr std::size_t kMinModels = 2;
constexpr std::size_t kMinLines = 2;

const char* const kSource = "Lindgren 2012, sec. 3.2.1 and Fig. 7";

// The first kMaxRows items of a sequence in case order, and the count of all of them.
template <typename T>
using Capped = bmil::sdk::CappedList<T, kMaxRows>;

struct MultiLineTask {
  std::string business;
  std::string model;
  std::string task;
  std::vector<std::string> lines;
  std::vector<std::string> blocks;
  int year = 0;  // start year, 0 when not stated
};

// Lines orchestrated on one block of several models of one business in one year.
struct CrossModel {
  std::string business;
  std::string block;
  int year = 0;
  std::vector<std::string> models;  // models using a shared pair of lines, in case order
  std::vector<std::string> lines;   // lines of the shared pairs, in registration order
  std::int64_t tasks = 0;           // their tasks on the block that year through those lines
};

struct BusinessRow {
  std::string business;
  std::int64_t tasks = 0;
  std::int64_t multi_line_tasks = 0;
  std::int64_t cross_model = 0;
};

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// The calendar years in which a task counts as active, [first, last] (empty when first >
// last): from its start year to its end year; without an end year, to `horizon` (the
// latest year any task of the business names) while it is open, or only its start year
// when it is completed or abandoned (it ended, the case does not say when). A task with no
// start year has no active years.
std::pair<int, int> ActiveYears(const bmil_task_view& task, int horizon) {
  if (task.start_year == 0) return {1, 0};
  if (task.end_year != 0) return {task.start_year, task.end_year};
  if (task.status == BMIL_TASK_STATUS_COMPLETED || task.status == BMIL_TASK_STATUS_ABANDONED)
    return {task.start_year, task.start_year};
  return {task.start_year, std::max(task.start_year, horizon)};
}

// The latest year any task of the case names as its start or end; 0 when none does.
int Horizon(const CaseView& view) {
  int horizon = 0;
  for (std::uint32_t t = 0; t < view.task_count(); ++t) {
    const bmil_task_view& raw = view.task(t).raw();
    horizon = std::max({horizon, static_cast<int>(raw.start_year), static_cast<int>(raw.end_year)});
  }
  return horizon;
}

class OrchestrationAnalyzer final : public bmil::sdk::MergeableAnalyzer<OrchestrationAnalyzer> {
 public:
  void Configure(const nlohmann::json& config) override {
    // A line without a code or name is labelled by its id.
    for (const auto& line : bmil::sdk::LinesFromConfig(config))
      labels_[line.id] = {line.label(), line.name.empty() ? line.id : line.name};
  }

  Json Describe() const override {
    return {{"id", "orchestration"},
            {"kind", "analyzer"},
            {"name", "Orchestration of leadership lines"},
            {"description",
             "BMI tasks led through two or more leadership lines, which lines are led together "
             "(lines x lines matrix), and lines orchestrated on one building block across "
             "several business models in the same year."},
            {"source", kSource}};
  }

  void Add(const CaseView& view) override {
    State& s = state_;
    ++s.cases;
    const std::string business(view.id());
    for (std::size_t l = 0; l < view.line_count(); ++l)
      AppendNew(s.lines, std::string(view.line_id(l)));

    BusinessRow row{business, 0, 0, 0};
    const int horizon = Horizon(view);
    // (block index, year) -> per model, the lines leading its tasks on that block that
    // year, and each such task's model and lines.
    struct Slot {
      std::map<std::uint32_t, bmil_set> lines_by_model;
      std::vector<std::pair<std::uint32_t, bmil_set>> tasks;
    };
    std::map<std::pair<unsigned, int>, Slot> slots;

    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const auto task = view.task(t);
      const auto m = task.business_model_index();
      if (m >= view.business_model_count()) continue;
      ++row.tasks;
      const int line_count = task.lines().size();
      ++s.tasks_by_line_count[line_count];
      s.line_placements += line_count;
      std::vector<std::string> lines;
      for (unsigned l : task.lines()) lines.emplace_back(view.line_id(l));
      for (const auto& a : lines)
        for (const auto& b : lines) ++s.cooccurrence[{a, b}];
      if (line_count >= 2) {
        ++row.multi_line_tasks;
        std::vector<std::string> blocks;
        for (unsigned b : task.blocks()) blocks.emplace_back(view.block_id(b));
        s.multi_line_tasks.Add({business, std::string(view.business_model(m).id()),
                                std::string(task.id()), lines, blocks,
                                task.start_year().value_or(0)});
      }
      const auto [first, last] = ActiveYears(task.raw(), horizon);
      if (first > last) ++s.tasks_without_year;
      for (int year = first; year <= last; ++year) {
        for (unsigned block : task.blocks()) {
          Slot& slot = slots[{block, year}];
          slot.lines_by_model[m] |= task.lines().bits();
          slot.tasks.emplace_back(m, task.lines().bits());
        }
      }
    }

    for (const auto& [key, slot] : slots) {
      // The pairs of lines that both lead tasks on this block, this year, in each of at
      // least kMinModels models; the orchestrated lines are the lines of those pairs and the
      // orchestrated models the models that use a whole pair.
      bmil_set all_lines = 0;
      for (const auto& [m, lines] : slot.lines_by_model) all_lines |= lines;
      bmil_set orchestrated = 0;
      std::set<std::uint32_t> models;
      const bmil::sdk::IdSet candidates(all_lines);
      for (unsigned a : candidates) {
        for (unsigned b : candidates) {
          if (b <= a) continue;
          const bmil_set pair = (bmil_set{1} << a) | (bmil_set{1} << b);
          std::vector<std::uint32_t> using_pair;
          for (const auto& [m, lines] : slot.lines_by_model)
            if ((lines & pair) == pair) using_pair.push_back(m);
          if (using_pair.size() < kMinModels) continue;
          orchestrated |= pair;
          models.insert(using_pair.begin(), using_pair.end());
        }
      }
      const bmil::sdk::IdSet lines(orchestrated);
      if (static_cast<std::size_t>(lines.size()) < kMinLines) continue;
      CrossModel found{business, std::string(view.block_id(key.first)), key.second, {}, {}, 0};
      for (std::uint32_t m : models) found.models.emplace_back(view.business_model(m).id());
      for (unsigned l : lines) found.lines.emplace_back(view.line_id(l));
      for (const auto& [m, task_lines] : slot.tasks)
        found.tasks += models.count(m) > 0 && (task_lines & orchestrated) != 0;
      s.cross_model.Add(std::move(found));
      ++row.cross_model;
    }
    if (row.cross_model > 0) ++s.businesses_with_cross_model;
    s.tasks += row.tasks;
    if (IsSingleLine(row)) s.single_line_businesses.Add(row);
    s.businesses.Add(std::move(row));
  }

  void MergeFrom(const OrchestrationAnalyzer& other) {
    State& s = state_;
    const State& o = other.state_;
    s.cases += o.cases;
    for (const auto& l : o.lines) AppendNew(s.lines, l);
    s.tasks += o.tasks;
    s.line_placements += o.line_placements;
    s.tasks_without_year += o.tasks_without_year;
    s.businesses_with_cross_model += o.businesses_with_cross_model;
    for (const auto& [k, n] : o.tasks_by_line_count) s.tasks_by_line_count[k] += n;
    for (const auto& [k, n] : o.cooccurrence) s.cooccurrence[k] += n;
    s.multi_line_tasks.Append(o.multi_line_tasks);
    s.cross_model.Append(o.cross_model);
    s.businesses.Append(o.businesses);
    s.single_line_businesses.Append(o.single_line_businesses);
  }

  Json Finish() const override {
    const State& s = state_;
    ResultBuilder result("orchestration", "Orchestration of leadership lines");
    const std::int64_t multi = s.multi_line_tasks.total();
    const bool any_tasks = s.tasks > 0;
    const double multi_share = any_tasks ? static_cast<double>(multi) / s.tasks : 0.0;
    const double mean_lines =
        any_tasks ? static_cast<double>(s.line_placements) / static_cast<double>(s.tasks) : 0.0;

    std::string summary = std::to_string(multi) + " of " + std::to_string(s.tasks) + " BMI tasks";
    if (any_tasks) summary += " (" + Percent(multi_share) + ")";
    summary += " are led through two or more leadership lines; " +
               std::to_string(s.cross_model.total()) +
               " cross-model orchestration(s): the same two lines on the same block of two or "
               "more business models in the same year";
    if (s.cases > 1)
      summary += ", in " + std::to_string(s.businesses_with_cross_model) + " of " +
                 std::to_string(s.cases) + " businesses";
    summary += ".";
    result.Summary(summary);

    result.AddMetric("businesses", "Businesses", static_cast<double>(s.cases), "businesses");
    result.AddMetric("tasks", "BMI tasks", static_cast<double>(s.tasks), "tasks");
    result.AddMetric("multi_line_tasks", "Tasks led through two or more lines",
                     static_cast<double>(multi), "tasks");
    result.AddMetric("single_line_tasks", "Tasks led through one line",
                     static_cast<double>(s.tasks - multi), "tasks");
    result.AddMetric("multi_line_share", "Share of tasks led through two or more lines",
                     multi_share, "share");
    result.AddMetric("mean_lines_per_task", "Mean number of lines per task", mean_lines, "lines");
    result.AddMetric("cross_model_orchestrations",
                     "Cross-model orchestrations (business, block, year)",
                     static_cast<double>(s.cross_model.total()), "orchestrations");
    result.AddMetric("businesses_with_cross_model_orchestration",
                     "Businesses with a cross-model orchestration",
                     static_cast<double>(s.businesses_with_cross_model), "businesses");
    result.AddMetric("single_line_businesses",
                     "Businesses leading most tasks through one line at a time",
                     static_cast<double>(s.single_line_businesses.total()), "businesses");
    result.AddMetric("tasks_without_year", "Tasks without a start year (not placed in time)",
                     static_cast<double>(s.tasks_without_year), "tasks");

    AddCooccurrence(result);
    AddTables(result);
    AddFindings(result);

    Json doc = result.Take();
    if (!any_tasks) {  // a share or mean of zero tasks cannot be computed
      for (auto& metric : doc["metrics"]) {
        const std::string id = metric["id"].get<std::string>();
        if (id == "multi_line_share" || id == "mean_lines_per_task") metric["value"] = nullptr;
      }
    }
    return doc;
  }

  nlohmann::json Save() const override {
    const State& s = state_;
    nlohmann::json out = {{"format", "orchestration/1"},
                          {"cases", s.cases},
                          {"lines", s.lines},
                          {"tasks", s.tasks},
                          {"line_placements", s.line_placements},
                          {"tasks_without_year", s.tasks_without_year},
                          {"businesses_with_cross_model", s.businesses_with_cross_model}};
    out["tasks_by_line_count"] = nlohmann::json::array();
    for (const auto& [k, n] : s.tasks_by_line_count) out["tasks_by_line_count"].push_back({k, n});
    out["cooccurrence"] = nlohmann::json::array();
    for (const auto& [k, n] : s.cooccurrence) out["cooccurrence"].push_back({k.first, k.second, n});
    out["multi_line_tasks"] = SaveCapped(s.multi_line_tasks, [](const MultiLineTask& t) {
      return nlohmann::json{{"business", t.business}, {"model", t.model},   {"task", t.task},
                            {"lines", t.lines},       {"blocks", t.blocks}, {"year", t.year}};
    });
    out["cross_model"] = SaveCapped(s.cross_model, [](const CrossModel& c) {
      return nlohmann::json{{"business", c.business}, {"block", c.block}, {"year", c.year},
                            {"models", c.models},     {"lines", c.lines}, {"tasks", c.tasks}};
    });
    out["businesses"] = SaveCapped(s.businesses, SaveBusiness);
    out["single_line_businesses"] = SaveCapped(s.single_line_businesses, SaveBusiness);
    return out;
  }

  void Load(const nlohmann::json& in) override {
    if (!in.is_object() || in.value("format", "") != "orchestration/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not an orchestration/1 state");
    try {
      State s;
      s.cases = in.at("cases").get<std::int64_t>();
      s.lines = in.at("lines").get<std::vector<std::string>>();
      s.tasks = in.at("tasks").get<std::int64_t>();
      s.line_placements = in.at("line_placements").get<std::int64_t>();
      s.tasks_without_year = in.at("tasks_without_year").get<std::int64_t>();
      s.businesses_with_cross_model = in.at("businesses_with_cross_model").get<std::int64_t>();
      for (const auto& e : in.at("tasks_by_line_count"))
        s.tasks_by_line_count[e.at(0).get<int>()] = e.at(1).get<std::int64_t>();
      for (const auto& e : in.at("cooccurrence"))
        s.cooccurrence[{e.at(0).get<std::string>(), e.at(1).get<std::string>()}] =
            e.at(2).get<std::int64_t>();
      s.multi_line_tasks =
          LoadCapped<MultiLineTask>(in.at("multi_line_tasks"), [](const nlohmann::json& j) {
            return MultiLineTask{j.at("business").get<std::string>(),
                                 j.at("model").get<std::string>(),
                                 j.at("task").get<std::string>(),
                                 j.at("lines").get<std::vector<std::string>>(),
                                 j.at("blocks").get<std::vector<std::string>>(),
                                 j.at("year").get<int>()};
          });
      s.cross_model = LoadCapped<CrossModel>(in.at("cross_model"), [](const nlohmann::json& j) {
        return CrossModel{j.at("business").get<std::string>(),
                          j.at("block").get<std::string>(),
                          j.at("year").get<int>(),
                          j.at("models").get<std::vector<std::string>>(),
                          j.at("lines").get<std::vector<std::string>>(),
                          j.at("tasks").get<std::int64_t>()};
      });
      s.businesses = LoadCapped<BusinessRow>(in.at("businesses"), LoadBusiness);
      s.single_line_businesses =
          LoadCapped<BusinessRow>(in.at("single_line_businesses"), LoadBusiness);
      state_ = std::move(s);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed orchestration/1 state: ") + e.what());
    }
  }

 private:
  struct Label {
    std::string code;
    std::string name;
  };

  // Everything Finish() needs; merged exactly (counts add up, listings keep their prefix).
  struct State {
    std::int64_t cases = 0;
    std::vector<std::string> lines;  // registered line ids, in order of first appearance
    std::int64_t tasks = 0;
    std::int64_t line_placements = 0;  // sum over tasks of their number of lines
    std::int64_t tasks_without_year = 0;
    std::int64_t businesses_with_cross_model = 0;
    std::map<int, std::int64_t> tasks_by_line_count;
    // (line a, line b) -> tasks led through both; (a, a) -> tasks led through a.
    std::map<std::pair<std::string, std::string>, std::int64_t> cooccurrence;
    Capped<MultiLineTask> multi_line_tasks;  // total = tasks led through >= 2 lines
    Capped<CrossModel> cross_model;
    Capped<BusinessRow> businesses;
    Capped<BusinessRow> single_line_businesses;
  };

  static bool IsSingleLine(const BusinessRow& row) {
    return row.tasks >= kMinTasksForSingleLine &&
           static_cast<double>(row.multi_line_tasks) <
               kMultiLineShareThreshold * static_cast<double>(row.tasks);
  }

  template <typename T, typename F>
  static nlohmann::json SaveCapped(const Capped<T>& capped, F save) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : capped.items()) items.push_back(save(item));
    return {{"total", capped.total()}, {"items", items}};
  }
  template <typename T, typename F>
  static Capped<T> LoadCapped(const nlohmann::json& j, F load) {
    // Refuses (rather than clamps, as Restore() would) a listing of a bad size.
    const auto total = j.at("total").get<std::int64_t>();
    std::vector<T> items;
    for (const auto& item : j.at("items")) items.push_back(load(item));
    if (items.size() > kMaxRows || total < static_cast<std::int64_t>(items.size()))
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "orchestration/1 state: bad listing size");
    Capped<T> capped;
    capped.Restore(std::move(items), total);
    return capped;
  }
  static nlohmann::json SaveBusiness(const BusinessRow& b) {
    return {{"business", b.business},
            {"tasks", b.tasks},
            {"multi_line_tasks", b.multi_line_tasks},
            {"cross_model", b.cross_model}};
  }
  static BusinessRow LoadBusiness(const nlohmann::json& j) {
    return {j.at("business").get<std::string>(), j.at("tasks").get<std::int64_t>(),
            j.at("multi_line_tasks").get<std::int64_t>(), j.at("cross_model").get<std::int64_t>()};
  }

  std::string Code(const std::string& line) const {
    auto it = labels_.find(line);
    return it == labels_.end() || it->second.code.empty() ? line : it->second.code;
  }
  std::string Name(const std::string& line) const {
    auto it = labels_.find(line);
    if (it == labels_.end()) return line;
    return it->second.code + " " + it->second.name;
  }
  std::vector<std::string> Codes(const std::vector<std::string>& lines) const {
    std::vector<std::string> out;
    for (const auto& l : lines) out.push_back(Code(l));
    return out;
  }
  std::int64_t Cooccurrence(const std::string& a, const std::string& b) const {
    auto it = state_.cooccurrence.find({a, b});
    return it == state_.cooccurrence.end() ? 0 : it->second;
  }
  // "<business>/<model>" when more than one business was added, else "<model>".
  std::string Model(const std::string& business, const std::string& model) const {
    return state_.cases > 1 ? business + "/" + model : model;
  }

  void AddCooccurrence(ResultBuilder& result) const {
    std::vector<Axis> axis;
    for (const auto& l : state_.lines) axis.push_back({l, Name(l)});
    std::vector<std::vector<double>> values;
    for (const auto& a : state_.lines) {
      std::vector<double> row;
      for (const auto& b : state_.lines) row.push_back(static_cast<double>(Cooccurrence(a, b)));
      values.push_back(std::move(row));
    }
    result.AddMatrix(
        "line_cooccurrence",
        "Lines led together (cell: tasks led through both lines; diagonal: tasks "
        "led through the line)",
        axis, axis, values, "tasks", "heatmap",
        {{"row_dimension", "leadership_line"}, {"column_dimension", "leadership_line"}});
  }

  void AddTables(ResultBuilder& result) const {
    const State& s = state_;
    auto per_count = result.AddTable("lines_per_task", "BMI tasks by number of leadership lines",
                                     {{"lines", "Lines per task", "integer", "lines"},
                                      {"tasks", "BMI tasks", "integer", "tasks"},
                                      {"share", "Share of tasks", "percent"}});
    for (const auto& [k, n] : s.tasks_by_line_count)
      per_count.AddRow({k, n, static_cast<double>(n) / static_cast<double>(s.tasks)});
    per_count.Chart("bar", "lines", {"tasks"});

    // Pairs of distinct lines led together, most frequent first.
    struct Pair {
      std::size_t a, b;
      std::int64_t tasks;
    };
    std::vector<Pair> pairs;
    for (std::size_t a = 0; a < s.lines.size(); ++a)
      for (std::size_t b = a + 1; b < s.lines.size(); ++b)
        if (const auto n = Cooccurrence(s.lines[a], s.lines[b]); n > 0) pairs.push_back({a, b, n});
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const Pair& x, const Pair& y) { return x.tasks > y.tasks; });
    auto pair_table = result.AddTable("line_pairs", "Pairs of lines led together on one task",
                                      {{"pair", "Lines"},
                                       {"line_a", "Line"},
                                       {"line_b", "With line"},
                                       {"tasks", "Tasks led through both", "integer", "tasks"},
                                       {"share", "Share of multi-line tasks", "percent"}});
    for (const auto& p : pairs) {
      const std::string& a = s.lines[p.a];
      const std::string& b = s.lines[p.b];
      pair_table.AddRow(
          {Code(a) + " + " + Code(b), a, b, p.tasks,
           static_cast<double>(p.tasks) / static_cast<double>(s.multi_line_tasks.total())});
    }
    pair_table.Chart("bar", "pair", {"tasks"});

    auto multi = result.AddTable(
        "multi_line_tasks",
        "Tasks led through two or more lines (first " + std::to_string(kMaxRows) + ")",
        {{"business", "Business"},
         {"business_model", "Business model"},
         {"task", "Task"},
         {"lines", "Lines"},
         {"line_count", "Lines", "integer", "lines"},
         {"blocks", "Building blocks"},
         {"year", "Start year", "integer"}});
    for (const auto& t : s.multi_line_tasks.items()) {
      multi.AddRow({t.business, t.model, t.task, Join(Codes(t.lines), " + "),
                    static_cast<std::int64_t>(t.lines.size()), Join(t.blocks, ", "),
                    t.year == 0 ? Json(nullptr) : Json(t.year)});
    }

    auto cross = result.AddTable(
        "cross_model_orchestrations",
        "Lines orchestrated on one block across business models in the same year (first " +
            std::to_string(kMaxRows) + ")",
        {{"business", "Business"},
         {"block", "Building block"},
         {"year", "Year", "integer"},
         {"models", "Business models"},
         {"lines", "Lines"},
         {"model_count", "Business models", "integer", "business models"},
         {"line_count", "Lines", "integer", "lines"},
         {"tasks", "Tasks", "integer", "tasks"}});
    for (const auto& c : s.cross_model.items()) {
      cross.AddRow({c.business, c.block, c.year, Join(c.models, ", "), Join(Codes(c.lines), " + "),
                    static_cast<std::int64_t>(c.models.size()),
                    static_cast<std::int64_t>(c.lines.size()), c.tasks});
    }

    auto businesses = result.AddTable(
        "businesses", "Orchestration per business (first " + std::to_string(kMaxRows) + ")",
        {{"business", "Business"},
         {"tasks", "BMI tasks", "integer", "tasks"},
         {"multi_line_tasks", "Multi-line tasks", "integer", "tasks"},
         {"multi_line_share", "Multi-line share", "percent"},
         {"cross_model", "Cross-model orchestrations", "integer"}});
    for (const auto& b : s.businesses.items()) {
      businesses.AddRow({b.business, b.tasks, b.multi_line_tasks,
                         b.tasks == 0 ? Json(nullptr)
                                      : Json(static_cast<double>(b.multi_line_tasks) /
                                             static_cast<double>(b.tasks)),
                         b.cross_model});
    }
    businesses.Chart("bar", "business", {"multi_line_share"});
  }

  static void AddMore(std::vector<std::string>& evidence, std::int64_t total) {
    const auto shown = static_cast<std::int64_t>(evidence.size());
    if (total > shown) evidence.push_back("... and " + std::to_string(total - shown) + " more");
  }

  void AddFindings(ResultBuilder& result) const {
    const State& s = state_;
    if (s.cross_model.total() > 0) {
      std::vector<std::string> evidence;
      for (const auto& c : s.cross_model.items()) {
        if (evidence.size() >= kMaxEvidence) break;
        std::vector<std::string> models;
        for (const auto& m : c.models) models.push_back(Model(c.business, m));
        evidence.push_back(c.block + " block in " + std::to_string(c.year) + ": " +
                           std::to_string(c.models.size()) + " business models (" +
                           Join(models, ", ") + ") led through " + Join(Codes(c.lines), " + ") +
                           " in " + std::to_string(c.tasks) + " tasks");
      }
      AddMore(evidence, s.cross_model.total());
      const std::string who = s.cases > 1 ? std::to_string(s.businesses_with_cross_model) + " of " +
                                                std::to_string(s.cases) + " businesses"
                                          : "The business";
      result.AddFinding(
          Severity::kInfo, "orchestration.cross_model_orchestration",
          who + (s.cases > 1 ? " lead" : " leads") +
              " several leadership lines on the same building block of several business models "
              "at the same time, as Aikon did with the customer and network lines to win a "
              "critical mass of customers. Combinations of lines can strengthen or weaken a "
              "strategy: follow up whether this one brings what it aims for.",
          evidence, "Lindgren 2012, sec. 3.2.1, Fig. 7 and sec. 4");
    }
    if (s.single_line_businesses.total() > 0) {
      std::vector<std::string> evidence;
      for (const auto& b : s.single_line_businesses.items()) {
        if (evidence.size() >= kMaxEvidence) break;
        evidence.push_back(
            (s.cases > 1 ? b.business + ": " : std::string()) + std::to_string(b.multi_line_tasks) +
            " of " + std::to_string(b.tasks) + " BMI tasks (" +
            Percent(static_cast<double>(b.multi_line_tasks) / static_cast<double>(b.tasks)) +
            ") are led through two or more lines, below " + Percent(kMultiLineShareThreshold));
      }
      AddMore(evidence, s.single_line_businesses.total());
      const std::string who = s.cases > 1
                                  ? "In " + std::to_string(s.single_line_businesses.total()) +
                                        " of " + std::to_string(s.cases) + " businesses, most"
                                  : "Most";
      result.AddFinding(
          Severity::kNotice, "orchestration.single_line_bmi",
          who +
              " BMI tasks are led from one viewpoint at a time. Leading two lines together on a "
              "task (for example customer and network) can reach what one line alone does not.",
          evidence, "Lindgren 2012, sec. 3.2.1 and sec. 4");
    }
  }

  std::map<std::string, Label> labels_;  // configuration: line id -> code and name
  State state_;
};

}  // namespace

BMIL_PLUGIN(OrchestrationAnalyzer)
