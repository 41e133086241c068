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
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
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

// By default listing tables keep the first 200 rows in case order (a run over 100,000
// businesses stays readable; the metrics beside them count every row), and a finding lists
// at most 10 evidence lines, then says how many more there are. The configuration's
// "listing" changes both (see Configure()).
constexpr bmil::sdk::Listing kDefaultListing = {200, 20, 10};
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

template <typename T, std::size_t N>
using CountedList = bmil::sdk::CappedList<T, N>;

// A listing; its capacity is set from the listing caps (OrchestrationAnalyzer::Configure).
template <typename T>
using Capped = CountedList<T, kDefaultListing.rows>;

// No limit on the distinct line ids of a run beyond what memory allows (the state never had
// one): the co-occurrence counts grow with the line list.
constexpr std::size_t kNoIdLimit = static_cast<std::size_t>(-1);

// The set of bit indices 0..count-1 (count <= BMIL_MAX_IDS).
constexpr bmil_set LowBits(std::size_t count) {
  return count >= BMIL_MAX_IDS ? ~bmil_set{0} : (bmil_set{1} << count) - 1;
}

// The number of bits set in `bits` (std::popcount is a library call without -mpopcnt).
constexpr int BitCount(bmil_set bits) {
  bits -= (bits >> 1) & 0x5555555555555555u;
  bits = (bits & 0x3333333333333333u) + ((bits >> 2) & 0x3333333333333333u);
  bits = (bits + (bits >> 4)) & 0x0f0f0f0f0f0f0f0fu;
  return static_cast<int>((bits * 0x0101010101010101u) >> 56);
}
static_assert(BitCount(0) == 0 && BitCount(0b1011) == 3 && BitCount(~bmil_set{0}) == 64);

// Whether `bits` has at least two bits set.
constexpr bool TwoOrMore(bmil_set bits) { return (bits & (bits - 1)) != 0; }

// The ids name_of(i) of the bit indices i of `bits`, in increasing index order.
template <typename NameOf>
std::vector<std::string> Names(bmil_set bits, NameOf name_of) {
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(BitCount(bits)));
  for (unsigned i : bmil::sdk::IdSet(bits)) names.emplace_back(name_of(i));
  return names;
}

// Counts per (line position, line position) of the analyzer's line list, fitted with
// Fit(lines, lines).
using PairCounts = bmil::sdk::CountMatrix;

// Tasks counted by the set of lines they are led through (a mask over the view's line bits)
// while the view registers at most kMaxLines lines: one counter per task instead of one per
// pair of its lines. Every case of a run registers the same lines; the masks refer to the
// positions `pos` of that registration, and their counts are folded into the co-occurrence
// matrix, the tasks per number of lines and the line placements (FoldInto) when the
// registration changes, or on copies of those when they are read.
struct LineSets {
  static constexpr std::size_t kMaxLines = 8;
  std::vector<std::size_t> pos;  // position in the analyzer's line list, per line bit
  std::array<std::int64_t, std::size_t{1} << kMaxLines> tasks{};  // [line mask]: tasks

  // Whether the view's line bits have the positions of this registration.
  bool Is(const bmil::sdk::IdPositions& lines) const { return lines.positions() == pos; }
  // Takes the view's positions (at most kMaxLines; call with the counts folded and zeroed).
  void Set(const bmil::sdk::IdPositions& lines) { pos = lines.positions(); }
  // Adds the counts to the co-occurrence matrix `cooccurrence` (fitted to every position of
  // `pos`), the tasks per number of lines `by_count` and the line placements `placements`.
  template <typename ByCount>
  void FoldInto(PairCounts& cooccurrence, ByCount& by_count, std::int64_t& placements) const {
    const std::size_t masks = std::size_t{1} << pos.size();
    for (std::size_t mask = 0; mask < masks; ++mask) {
      const std::int64_t n = tasks[mask];
      if (n == 0) continue;
      const int k = BitCount(mask);
      by_count[static_cast<std::size_t>(k)] += n;
      placements += k * n;
      const bmil::sdk::IdSet lines(mask);
      for (unsigned a : lines) {
        std::int64_t* row = cooccurrence.row(pos[a]);
        for (unsigned b : lines) row[pos[b]] += n;
      }
    }
  }
};

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

// The businesses a finding concerns (AddFinding's last argument).
using BusinessIds = bmil::sdk::UniqueIds;

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
// (Written with conditional moves in mind: the status is a coin toss per task.)
std::pair<int, int> ActiveYears(const bmil_task_view& task, int horizon) {
  const int start = task.start_year;
  const bool ended =
      (task.status == BMIL_TASK_STATUS_COMPLETED) | (task.status == BMIL_TASK_STATUS_ABANDONED);
  const int open_last = std::max(start, horizon);
  const int last = task.end_year != 0 ? task.end_year : ended ? start : open_last;
  return start == 0 ? std::pair<int, int>{1, 0} : std::pair<int, int>{start, last};
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
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
    SetCapacities(state_);
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

  // Counts by line positions in state_.lines (line_pos_) in dense arrays; builds strings only
  // for listing rows that still have room. No heap allocation once the scratch buffers hold
  // the largest case seen.
  void Add(const CaseView& view) override {
    State& s = state_;
    ++s.cases;
    const std::size_t line_count = std::min<std::size_t>(view.line_count(), BMIL_MAX_IDS);
    line_pos_.Update(
        line_count, [&](std::size_t l) { return view.line_id(l); }, s.lines, kNoIdLimit);
    s.cooccurrence.Fit(s.lines.size(), s.lines.size());
    // Bits at or above line_count name no registered line (the ABI does not allow them); they
    // are left out of the co-occurrence counts.
    const bmil_set line_mask = LowBits(line_count);
    // Tasks are counted by line set while the view registers few lines (see LineSets).
    const bool by_set = line_count <= LineSets::kMaxLines;
    if (by_set && !s.line_sets.Is(line_pos_)) {
      s.line_sets.FoldInto(s.cooccurrence, s.tasks_by_line_count, s.line_placements);
      s.line_sets.tasks.fill(0);
      s.line_sets.Set(line_pos_);
    }

    BusinessRow row{{}, 0, 0, 0};
    const int horizon = Horizon(view);
    const std::size_t model_count = view.business_model_count();
    placed_.resize(view.task_count());
    std::size_t placed = 0;
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const auto task = view.task(t);
      const bmil_task_view& raw = task.raw();
      const std::uint32_t m = raw.business_model;
      if (m >= model_count) continue;
      ++row.tasks;
      if (by_set && (raw.lines & ~line_mask) == 0) {
        ++s.line_sets.tasks[raw.lines];
      } else {
        const int lines_led = BitCount(raw.lines);
        ++s.tasks_by_line_count[static_cast<std::size_t>(lines_led)];
        s.line_placements += lines_led;
        const bmil::sdk::IdSet lines(raw.lines & line_mask);
        for (unsigned a : lines) {
          std::int64_t* counts = s.cooccurrence.row(line_pos_[a]);
          for (unsigned b : lines) ++counts[line_pos_[b]];
        }
      }
      const bool multi = TwoOrMore(raw.lines);  // led through two or more lines
      row.multi_line_tasks += multi ? 1 : 0;
      if (s.multi_line_tasks.full()) {
        s.multi_line_tasks.Skip(multi ? 1 : 0);
      } else if (multi) {
        s.multi_line_tasks.Add({std::string(view.id()), std::string(view.business_model(m).id()),
                                std::string(task.id()),
                                Names(raw.lines, [&](unsigned l) { return view.line_id(l); }),
                                Names(raw.blocks, [&](unsigned b) { return view.block_id(b); }),
                                task.start_year().value_or(0)});
      }
      const auto [first, last] = ActiveYears(raw, horizon);
      s.tasks_without_year += first > last ? 1 : 0;
      placed_[placed] = {m, raw.lines, raw.blocks, first, last};
      placed += (first <= last) & (raw.blocks != 0);
    }
    placed_.resize(placed);

    row.cross_model = AddCrossModel(view, model_count, line_count);
    if (row.cross_model > 0) ++s.businesses_with_cross_model;
    s.tasks += row.tasks;
    const bool single_line = IsSingleLine(row);
    if (s.businesses.full() && (!single_line || s.single_line_businesses.full())) {
      s.businesses.Skip();
      if (single_line) s.single_line_businesses.Skip();
      return;
    }
    row.business = std::string(view.id());
    if (single_line) s.single_line_businesses.Add(row);
    s.businesses.Add(std::move(row));
  }

  void MergeFrom(const OrchestrationAnalyzer& other) {
    State& s = state_;
    const State& o = other.state_;
    s.cases += o.cases;
    std::vector<std::size_t> pos;  // positions of o.lines in s.lines
    for (const auto& l : o.lines) pos.push_back(AppendNew(s.lines, l));
    s.cooccurrence.Fit(s.lines.size(), s.lines.size());
    s.tasks += o.tasks;
    s.tasks_without_year += o.tasks_without_year;
    s.businesses_with_cross_model += o.businesses_with_cross_model;
    const LineCounts oc = other.Counted();
    s.line_placements += oc.line_placements;
    for (std::size_t k = 0; k < s.tasks_by_line_count.size(); ++k)
      s.tasks_by_line_count[k] += oc.tasks_by_line_count[k];
    for (std::size_t a = 0; a < o.lines.size(); ++a)
      for (std::size_t b = 0; b < o.lines.size(); ++b)
        s.cooccurrence.at(pos[a], pos[b]) += oc.cooccurrence.at(a, b);
    s.multi_line_tasks.Append(o.multi_line_tasks);
    s.cross_model.Append(o.cross_model);
    s.businesses.Append(o.businesses);
    s.single_line_businesses.Append(o.single_line_businesses);
  }

  Json Finish() const override {
    const State& s = state_;
    const LineCounts c = Counted();
    ResultBuilder result("orchestration", "Orchestration of leadership lines");
    const std::int64_t multi = s.multi_line_tasks.total();
    const bool any_tasks = s.tasks > 0;
    const double multi_share = any_tasks ? static_cast<double>(multi) / s.tasks : 0.0;
    const double mean_lines =
        any_tasks ? static_cast<double>(c.line_placements) / static_cast<double>(s.tasks) : 0.0;

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

    AddCooccurrence(result, c);
    AddTables(result, c);
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
    const LineCounts c = Counted();
    nlohmann::json out = {{"format", "orchestration/1"},
                          {"cases", s.cases},
                          {"lines", s.lines},
                          {"tasks", s.tasks},
                          {"line_placements", c.line_placements},
                          {"tasks_without_year", s.tasks_without_year},
                          {"businesses_with_cross_model", s.businesses_with_cross_model}};
    out["tasks_by_line_count"] = nlohmann::json::array();
    for (std::size_t k = 0; k < c.tasks_by_line_count.size(); ++k) {
      if (const std::int64_t n = c.tasks_by_line_count[k]; n != 0)
        out["tasks_by_line_count"].push_back({static_cast<int>(k), n});
    }
    // The pairs whose count is not 0, ordered by (line a, line b) id.
    std::map<std::pair<std::string, std::string>, std::int64_t> pairs;
    for (std::size_t a = 0; a < s.lines.size(); ++a)
      for (std::size_t b = 0; b < s.lines.size(); ++b)
        if (const std::int64_t n = c.cooccurrence.at(a, b); n != 0)
          pairs[{s.lines[a], s.lines[b]}] = n;
    out["cooccurrence"] = nlohmann::json::array();
    for (const auto& [k, n] : pairs) out["cooccurrence"].push_back({k.first, k.second, n});
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
      for (const auto& e : in.at("tasks_by_line_count")) {
        const int k = e.at(0).get<int>();
        // A task is led through 0..BMIL_MAX_IDS lines; no state this analyzer writes has other.
        if (k < 0 || k > BMIL_MAX_IDS)
          throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                                 "orchestration/1 state: bad number of lines " + std::to_string(k));
        s.tasks_by_line_count[static_cast<std::size_t>(k)] = e.at(1).get<std::int64_t>();
      }
      s.cooccurrence.Fit(s.lines.size(), s.lines.size());
      for (const auto& e : in.at("cooccurrence")) {
        // A line missing from "lines" (no state this analyzer writes has one) is appended.
        const std::size_t a = AppendNew(s.lines, e.at(0).get<std::string>());
        const std::size_t b = AppendNew(s.lines, e.at(1).get<std::string>());
        s.cooccurrence.Fit(s.lines.size(), s.lines.size());
        s.cooccurrence.at(a, b) = e.at(2).get<std::int64_t>();
      }
      SetCapacities(s);
      LoadCapped(s.multi_line_tasks, in.at("multi_line_tasks"), [](const nlohmann::json& j) {
        return MultiLineTask{j.at("business").get<std::string>(),
                             j.at("model").get<std::string>(),
                             j.at("task").get<std::string>(),
                             j.at("lines").get<std::vector<std::string>>(),
                             j.at("blocks").get<std::vector<std::string>>(),
                             j.at("year").get<int>()};
      });
      LoadCapped(s.cross_model, in.at("cross_model"), [](const nlohmann::json& j) {
        return CrossModel{j.at("business").get<std::string>(),
                          j.at("block").get<std::string>(),
                          j.at("year").get<int>(),
                          j.at("models").get<std::vector<std::string>>(),
                          j.at("lines").get<std::vector<std::string>>(),
                          j.at("tasks").get<std::int64_t>()};
      });
      LoadCapped(s.businesses, in.at("businesses"), LoadBusiness);
      LoadCapped(s.single_line_businesses, in.at("single_line_businesses"), LoadBusiness);
      state_ = std::move(s);
      line_pos_ = {};  // its positions were into the replaced line list
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
    // [k]: tasks led through k lines.
    std::array<std::int64_t, BMIL_MAX_IDS + 1> tasks_by_line_count{};
    // (position of line a, of line b) in `lines` -> tasks led through both; (a, a) -> tasks
    // led through a.
    PairCounts cooccurrence;
    // Tasks counted by line set, not yet in the three counts above (see LineSets).
    LineSets line_sets;
    Capped<MultiLineTask> multi_line_tasks;  // total = tasks led through >= 2 lines
    Capped<CrossModel> cross_model;
    Capped<BusinessRow> businesses;
    Capped<BusinessRow> single_line_businesses;
  };

  // The counts by line of the state with those of its line sets (what Finish() and Save()
  // read, and a merge adds).
  struct LineCounts {
    std::int64_t line_placements = 0;
    std::array<std::int64_t, BMIL_MAX_IDS + 1> tasks_by_line_count{};
    PairCounts cooccurrence;
  };
  LineCounts Counted() const {
    const State& s = state_;
    LineCounts c{s.line_placements, s.tasks_by_line_count, s.cooccurrence};
    s.line_sets.FoldInto(c.cooccurrence, c.tasks_by_line_count, c.line_placements);
    return c;
  }

  // A task placed in time, for AddCrossModel(): its model, lines, blocks and active years
  // (first <= last).
  struct Placed {
    std::uint32_t model;
    bmil_set lines;
    bmil_set blocks;
    int first;
    int last;
  };

  // The pairwise rule below is the rule "a pair of lines shared by at least kMinModels models"
  // for kMinModels == 2 and kMinLines == 2.
  static_assert(kMinModels == 2 && kMinLines == 2);

  // Whether two of `lines` (per model) share at least two lines.
  static bool AnySharedPair(const std::vector<bmil_set>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!TwoOrMore(lines[i])) continue;
      for (std::size_t j = i + 1; j < lines.size(); ++j)
        if (TwoOrMore(lines[i] & lines[j])) return true;
    }
    return false;
  }

  // Adds the cross-model orchestrations of the case (the tasks of placed_) to the listing, in
  // (block index, year) order; returns how many there are. In the slot (block, year), let S_m
  // be the lines of model m's tasks on the block that year. Two lines are a pair shared by two
  // models i != j exactly when both lie in S_i & S_j, so the orchestrated lines are the union
  // of the intersections S_i & S_j that hold at least two lines, and the orchestrated models
  // the models of those intersections. (Gathers and per-year unions are written without
  // branches on the data: which tasks share a block or a year is a coin toss.)
  std::int64_t AddCrossModel(const CaseView& view, std::size_t model_count,
                             std::size_t line_count) {
    if (placed_.size() < kMinModels) return 0;
    bmil_set candidates = 0;  // blocks that may hold an orchestration
    bmil_set all_lines = 0;
    for (const Placed& p : placed_) {
      candidates |= p.blocks;
      all_lines |= p.lines;
    }
    // Only for few models (the tests are quadratic in them): a slot's S_m is a subset of the
    // lines of all of model m's placed tasks, and of those through which m works the block.
    if (model_count <= BMIL_MAX_IDS) {
      // Unless two models share two lines, no slot has an orchestration.
      Zero(model_lines_, model_count);
      for (const Placed& p : placed_) model_lines_[p.model] |= p.lines;
      if (!AnySharedPair(model_lines_)) return 0;
      // A block can have one only if two models work it, each through the same two lines
      // (over all years): per model and line bit the blocks of its tasks through the line, and
      // per pair of models, bit-sliced over the blocks, those reached by two shared lines.
      if ((all_lines & ~LowBits(line_count)) == 0) {
        Zero(line_blocks_, model_count * line_count);
        for (const Placed& p : placed_) {
          bmil_set* row = line_blocks_.data() + p.model * line_count;
          for (unsigned l : bmil::sdk::IdSet(p.lines)) row[l] |= p.blocks;
        }
        bmil_set twice_shared = 0;
        for (std::size_t i = 0; i < model_count; ++i) {
          if (!TwoOrMore(model_lines_[i])) continue;
          const bmil_set* row_i = line_blocks_.data() + i * line_count;
          for (std::size_t j = i + 1; j < model_count; ++j) {
            const bmil_set shared = model_lines_[i] & model_lines_[j];
            if (!TwoOrMore(shared)) continue;
            const bmil_set* row_j = line_blocks_.data() + j * line_count;
            bmil_set once = 0;  // blocks both models work through one shared line so far
            for (unsigned l : bmil::sdk::IdSet(shared)) {
              const bmil_set both = row_i[l] & row_j[l];
              twice_shared |= once & both;
              once |= both;
            }
          }
        }
        candidates &= twice_shared;
        if (candidates == 0) return 0;
      }
    }
    // Per block: its tasks (on_block_), each with the slot of its model (slots in order of
    // first appearance; slot_of_model_ is kNoSlot for every model between blocks).
    on_block_.resize(placed_.size());
    if (slot_of_model_.size() < model_count) slot_of_model_.resize(model_count, kNoSlot);
    slot_model_.resize(placed_.size());
    std::int64_t found_count = 0;
    for (const unsigned block : bmil::sdk::IdSet(candidates)) {
      std::size_t tasks = 0;
      std::size_t slots = 0;
      int lo = std::numeric_limits<int>::max();
      int hi = std::numeric_limits<int>::min();
      for (const Placed& p : placed_) {
        const std::size_t on = (p.blocks >> block) & 1u;
        std::size_t& slot = slot_of_model_[p.model];
        const bool fresh = on != 0 && slot == kNoSlot;
        slot = fresh ? slots : slot;
        slot_model_[slots] = p.model;
        slots += fresh ? 1 : 0;
        on_block_[tasks] = {&p, slot};
        tasks += on;
        lo = on != 0 ? std::min(lo, p.first) : lo;
        hi = on != 0 ? std::max(hi, p.last) : hi;
      }
      for (std::size_t t = 0; t < tasks; ++t) slot_of_model_[on_block_[t].task->model] = kNoSlot;
      if (slots < kMinModels) continue;
      for (int year = lo;; ++year) {
        Zero(model_lines_, slots);
        for (std::size_t t = 0; t < tasks; ++t) {
          const Placed& p = *on_block_[t].task;
          const bool active = (p.first <= year) & (year <= p.last);
          model_lines_[on_block_[t].model] |= p.lines & (bmil_set{0} - bmil_set{active});
        }
        bmil_set orchestrated = 0;
        bool any = false;
        for (std::size_t i = 0; i < slots; ++i) {
          for (std::size_t j = i + 1; j < slots; ++j) {
            const bmil_set shared = model_lines_[i] & model_lines_[j];
            if (!TwoOrMore(shared)) continue;
            orchestrated |= shared;
            any = true;
          }
        }
        if (any) {
          ++found_count;
          AddCrossModelRow(view, block, year, tasks, slots, orchestrated);
        }
        if (year == hi) break;  // not ++year past hi: hi may be the largest int
      }
    }
    return found_count;
  }

  // Lists the orchestration of slot (block, year) found by AddCrossModel() (its per-slot lines
  // in model_lines_), or only counts it when the listing is full.
  void AddCrossModelRow(const CaseView& view, unsigned block, int year, std::size_t tasks,
                        std::size_t slots, bmil_set orchestrated) {
    Capped<CrossModel>& listing = state_.cross_model;
    if (listing.full()) {
      listing.Skip();
      return;
    }
    // The orchestrated models, in increasing index order.
    orchestrated_model_.assign(slots, 0);
    for (std::size_t i = 0; i < slots; ++i) {
      for (std::size_t j = i + 1; j < slots; ++j) {
        if (!TwoOrMore(model_lines_[i] & model_lines_[j])) continue;
        orchestrated_model_[i] = orchestrated_model_[j] = 1;
      }
    }
    models_.clear();
    for (std::size_t i = 0; i < slots; ++i)
      if (orchestrated_model_[i] != 0) models_.push_back(slot_model_[i]);
    std::sort(models_.begin(), models_.end());
    CrossModel found{std::string(view.id()), std::string(view.block_id(block)), year, {}, {}, 0};
    found.models.reserve(models_.size());
    for (std::uint32_t m : models_) found.models.emplace_back(view.business_model(m).id());
    found.lines = Names(orchestrated, [&](unsigned l) { return view.line_id(l); });
    for (std::size_t t = 0; t < tasks; ++t) {
      const Placed& p = *on_block_[t].task;
      found.tasks += p.first <= year && year <= p.last &&
                     orchestrated_model_[on_block_[t].model] != 0 && (p.lines & orchestrated) != 0;
    }
    listing.Add(std::move(found));
  }

  // Sets `v` to `n` zeros, reusing its memory.
  static void Zero(std::vector<bmil_set>& v, std::size_t n) {
    v.resize(n);
    if (n != 0) std::memset(v.data(), 0, n * sizeof(bmil_set));
  }

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
  // Restores `capped` (its capacity set) from its saved form: the items beyond its capacity
  // are dropped (a state saved with larger caps, e.g. bmil --all, keeps its prefix). Refuses
  // a listing that holds more items than it counts.
  template <typename T, typename F>
  static void LoadCapped(Capped<T>& capped, const nlohmann::json& j, F load) {
    const auto total = j.at("total").get<std::int64_t>();
    const nlohmann::json& saved = j.at("items");
    if (total < static_cast<std::int64_t>(saved.size()))
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "orchestration/1 state: bad listing size");
    std::vector<T> items;
    for (const auto& item : saved) {
      if (items.size() >= capped.capacity()) break;
      items.push_back(load(item));
    }
    capped.Restore(std::move(items), total);
  }
  // Gives the listings of `s` the capacities of listing_.
  void SetCapacities(State& s) const {
    s.multi_line_tasks.set_capacity(listing_.rows);
    s.cross_model.set_capacity(listing_.rows);
    s.businesses.set_capacity(listing_.rows);
    s.single_line_businesses.set_capacity(listing_.rows);
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

  // "<business>/<model>" when more than one business was added, else "<model>".
  std::string Model(const std::string& business, const std::string& model) const {
    return state_.cases > 1 ? business + "/" + model : model;
  }

  void AddCooccurrence(ResultBuilder& result, const LineCounts& c) const {
    std::vector<Axis> axis;
    for (const auto& l : state_.lines) axis.push_back({l, Name(l)});
    std::vector<std::vector<double>> values;
    for (std::size_t a = 0; a < state_.lines.size(); ++a) {
      std::vector<double> row;
      for (std::size_t b = 0; b < state_.lines.size(); ++b)
        row.push_back(static_cast<double>(c.cooccurrence.at(a, b)));
      values.push_back(std::move(row));
    }
    result.AddMatrix(
        "line_cooccurrence",
        "Lines led together (cell: tasks led through both lines; diagonal: tasks "
        "led through the line)",
        axis, axis, values, "tasks", "heatmap",
        {{"row_dimension", "leadership_line"}, {"column_dimension", "leadership_line"}});
  }

  void AddTables(ResultBuilder& result, const LineCounts& c) const {
    const State& s = state_;
    auto per_count = result.AddTable("lines_per_task", "BMI tasks by number of leadership lines",
                                     {{"lines", "Lines per task", "integer", "lines"},
                                      {"tasks", "BMI tasks", "integer", "tasks"},
                                      {"share", "Share of tasks", "percent"}});
    for (std::size_t k = 0; k < c.tasks_by_line_count.size(); ++k) {
      const std::int64_t n = c.tasks_by_line_count[k];
      if (n == 0) continue;
      per_count.AddRow(
          {static_cast<int>(k), n, static_cast<double>(n) / static_cast<double>(s.tasks)});
    }
    per_count.Chart("bar", "lines", {"tasks"});

    // Pairs of distinct lines led together, most frequent first.
    struct Pair {
      std::size_t a, b;
      std::int64_t tasks;
    };
    std::vector<Pair> pairs;
    for (std::size_t a = 0; a < s.lines.size(); ++a)
      for (std::size_t b = a + 1; b < s.lines.size(); ++b)
        if (const auto n = c.cooccurrence.at(a, b); n > 0) pairs.push_back({a, b, n});
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
        "multi_line_tasks", "Tasks led through two or more lines (" + listing_.RowsWord() + ")",
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
        "Lines orchestrated on one block across business models in the same year (" +
            listing_.RowsWord() + ")",
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

    auto businesses =
        result.AddTable("businesses", "Orchestration per business (" + listing_.RowsWord() + ")",
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
      BusinessIds businesses;  // of the orchestrations in the evidence
      for (const auto& c : s.cross_model.items()) {
        if (evidence.size() >= listing_.evidence) break;
        businesses.Add(c.business);
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
          evidence, "Lindgren 2012, sec. 3.2.1, Fig. 7 and sec. 4", businesses.Take());
    }
    if (s.single_line_businesses.total() > 0) {
      std::vector<std::string> evidence;
      BusinessIds businesses;  // those in the evidence
      for (const auto& b : s.single_line_businesses.items()) {
        if (evidence.size() >= listing_.evidence) break;
        businesses.Add(b.business);
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
          evidence, "Lindgren 2012, sec. 3.2.1 and sec. 4", businesses.Take());
    }
  }

  std::map<std::string, Label> labels_;           // configuration: line id -> code and name
  bmil::sdk::Listing listing_ = kDefaultListing;  // configuration: the listing caps
  State state_;

  // Add()'s scratch, not state: the view's line ids as positions in state_.lines, the tasks
  // placed in time, and AddCrossModel()'s per-block buffers.
  struct OnBlock {
    const Placed* task;
    std::size_t model;  // the slot of its model
  };
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
  bmil::sdk::IdPositions line_pos_;
  std::vector<Placed> placed_;
  std::vector<OnBlock> on_block_;
  std::vector<std::size_t> slot_of_model_;  // per model index; kNoSlot between blocks
  std::vector<std::uint32_t> slot_model_;   // per slot: the model index
  std::vector<std::uint32_t> models_;
  std::vector<bmil_set> model_lines_;
  std::vector<bmil_set> line_blocks_;  // [model * line_count + line bit]: blocks
  std::vector<unsigned char> orchestrated_model_;
};

}  // namespace

BMIL_PLUGIN(OrchestrationAnalyzer)
