// The BMIL strategy profile: the five common traits Lindgren (2012) reports for SMEs
// (abstract and sec. 5) as indicators per business, and the stance mix of BMI tasks
// (reactive/proactive x outside-in/inside-out/inside-in; abstract).
//
// Counting units: the five indicators count businesses (each business answers every
// indicator "yes", "no" or "not stated"); the stance mix counts BMI tasks.
//
// The indicators, each phrased so that its answer can be read directly:
//   1. explicit strategy       strategy.explicit                yes / no / not stated
//   2. structured process      strategy.structured_process      yes / no / not stated
//   3. few-blocks focus        share of block mentions in the business's three most
//                              mentioned blocks >= 2/3; not stated below 3 BMI tasks
//   4. untapped potential      fewer than a third of the business's canvas cells used
//   5. lacks BMIL skills       strategy.skills: low -> yes, medium or high -> no
// The paper's trait is "no" for 1 and 2 and "yes" for 3, 4 and 5.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::Axis;
using bmil::sdk::CaseView;
using bmil::sdk::IdSet;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

// Few-blocks focus: the three most mentioned blocks hold at least two thirds of the
// business's block mentions (top3 * 3 >= mentions * 2). The paper found 68% of SME BMI on
// three blocks (value proposition, customers, value chain; sec. 3.1.2, Fig. 3); 2/3 is that
// figure rounded down to a simple fraction. Spread evenly over seven blocks, three would hold
// 3/7 (43%).
constexpr std::int64_t kFocusNumerator = 2;
constexpr std::int64_t kFocusDenominator = 3;
// Below this many BMI tasks the focus indicator is "not stated": with one or two tasks the
// three top blocks hold nearly everything by construction. Three is also the least number of
// tasks the line plugins' threat rules need to see a pattern.
constexpr std::int64_t kFocusMinTasks = 3;
// Untapped potential: fewer than a third of the canvas cells used (used * 3 < cells), the
// threshold of blind_spots.low_coverage (see docs/analyses/blind_spots.md).
constexpr std::int64_t kCoverageDenominator = 3;
// Per-business rows listed (in case order): 200 by default (the configuration's "listing"
// changes it, see Configure()); the counts cover every business.
constexpr bmil::sdk::Listing kDefaultListing = {200, 20, 10};

enum Answer { kYes = 0, kNo = 1, kUnstated = 2 };
constexpr std::array<const char*, 3> kAnswerNames = {"yes", "no", "not stated"};

struct Indicator {
  const char* id;
  const char* label;
  const char* trait;  // the paper's trait, in our words
  Answer trait_answer;
  const char* source;
};
constexpr std::array<Indicator, 5> kIndicators = {{
    {"explicit_strategy", "Explicit BMIL strategy", "no explicit BMIL strategy: BMI rather blindly",
     kNo, "Lindgren 2012, sec. 5 (trait 1)"},
    {"structured_process", "Structured strategy process",
     "few are structured about their BMIL strategy process", kNo,
     "Lindgren 2012, sec. 5 (trait 2)"},
    {"few_blocks_focus", "Focus on few blocks (top 3 >= 2/3 of block mentions)",
     "focus on very few and the same building blocks", kYes,
     "Lindgren 2012, sec. 5 (trait 3) and Fig. 3"},
    {"untapped_potential", "Potential untapped (under 1/3 of canvas cells used)",
     "big business model potential left behind", kYes, "Lindgren 2012, sec. 5 (trait 4)"},
    {"lacks_skills", "Lacks BMIL skills (skills: low)", "lack of BMIL skills", kYes,
     "Lindgren 2012, sec. 5 (trait 5)"},
}};
enum IndicatorIndex { kExplicit = 0, kStructured, kFocus, kUntapped, kSkills };

// Stance (rows) and perspective (columns) in output order, by their ABI values.
constexpr std::array<unsigned, 3> kStanceOrder = {BMIL_STANCE_REACTIVE, BMIL_STANCE_PROACTIVE,
                                                  BMIL_STANCE_UNSTATED};
constexpr std::array<unsigned, 4> kPerspectiveOrder = {
    BMIL_PERSPECTIVE_OUTSIDE_IN, BMIL_PERSPECTIVE_INSIDE_OUT, BMIL_PERSPECTIVE_INSIDE_IN,
    BMIL_PERSPECTIVE_UNSTATED};

std::string StanceId(unsigned s) {
  return s == BMIL_STANCE_UNSTATED ? "not_stated"
                                   : std::string(bmil::sdk::NameOf(bmil::sdk::kStanceNames, s));
}
std::string PerspectiveId(unsigned p) {
  return p == BMIL_PERSPECTIVE_UNSTATED
             ? "not_stated"
             : std::string(bmil::sdk::NameOf(bmil::sdk::kPerspectiveNames, p));
}
std::string StanceLabel(unsigned s) {
  return s == BMIL_STANCE_REACTIVE    ? "Reactive"
         : s == BMIL_STANCE_PROACTIVE ? "Proactive"
                                      : "Not stated";
}
std::string PerspectiveLabel(unsigned p) {
  switch (p) {
    case BMIL_PERSPECTIVE_OUTSIDE_IN:
      return "Outside-in";
    case BMIL_PERSPECTIVE_INSIDE_OUT:
      return "Inside-out";
    case BMIL_PERSPECTIVE_INSIDE_IN:
      return "Inside-in";
  }
  return "Not stated";
}

Answer FromFlag(std::uint32_t flag) {
  return flag == BMIL_FLAG_YES ? kYes : flag == BMIL_FLAG_NO ? kNo : kUnstated;
}

// Unlike sdk::Percent and sdk::Share ("n/a" and NaN, written as null), nothing to divide
// reads "0%" and a share of 0 here: the shares in the tables and metrics of a business or a
// run without stated answers say 0.
std::string Percent(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? "0%" : bmil::sdk::Percent(part, whole);
}

double Share(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? 0.0 : bmil::sdk::Share(part, whole);
}

// The sum of the three largest of counts[0..n) (all of them when n < 3).
std::int64_t TopThreeSum(const std::int64_t* counts, std::size_t n) {
  std::int64_t first = 0, second = 0, third = 0;  // the largest so far, first >= second >= third
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t c = counts[i];
    if (c > first) {
      third = second;
      second = first;
      first = c;
    } else if (c > second) {
      third = second;
      second = c;
    } else if (c > third) {
      third = c;
    }
  }
  return first + second + third;
}

// One business as listed: its answers and the numbers behind the derived ones.
struct BusinessRow {
  std::string id;
  std::array<int, 5> answers{};
  std::int64_t tasks = 0;
  std::int64_t top3 = 0;      // block mentions in its three most mentioned blocks
  std::int64_t mentions = 0;  // block mentions (task x block)
  std::int64_t used_cells = 0;
  std::int64_t cells = 0;
  std::int64_t reactive = 0;  // tasks
  std::int64_t stance_stated = 0;
};

class StrategyProfileAnalyzer final : public bmil::sdk::MergeableAnalyzer<StrategyProfileAnalyzer> {
 public:
  // Reads the listing caps ({"listing": ...}, bmil --max-rows / --all).
  void Configure(const nlohmann::json& config) override {
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
  }

  Json Describe() const override {
    return {{"id", "strategy_profile"},
            {"kind", "analyzer"},
            {"name", "BMIL strategy profile"},
            {"description",
             "The paper's five common SME traits as indicators per business (explicit "
             "strategy, structured process, few-blocks focus, untapped potential, skills) and "
             "the mix of reactive/proactive and outside-in/inside-out/inside-in BMI tasks."},
            {"source", "Lindgren 2012, abstract and sec. 5"}};
  }

  // Counts in fixed arrays on the stack; the business's row (with its id) is built only
  // while the list is not full, so a case allocates nothing after the first listing_.rows.
  void Add(const CaseView& view) override {
    ++cases_;
    BusinessRow row;  // the id only when the row is listed (below)
    const bmil_strategy_view& strategy = view.raw().strategy;
    row.answers[kExplicit] = FromFlag(strategy.explicit_strategy);
    row.answers[kStructured] = FromFlag(strategy.structured_process);
    row.answers[kSkills] = strategy.skills == 1                           ? kYes
                           : strategy.skills >= 2 && strategy.skills <= 3 ? kNo
                                                                          : kUnstated;

    const std::size_t line_count = std::min<std::size_t>(view.line_count(), BMIL_MAX_IDS);
    const std::size_t block_count = std::min<std::size_t>(view.block_count(), BMIL_MAX_IDS);
    const bmil_set all_blocks =
        block_count == BMIL_MAX_IDS ? ~bmil_set{0} : (bmil_set{1} << block_count) - 1;
    const bmil_set all_lines =
        line_count == BMIL_MAX_IDS ? ~bmil_set{0} : (bmil_set{1} << line_count) - 1;
    std::array<std::int64_t, BMIL_MAX_IDS> block_mentions;  // [0, block_count) used
    std::fill_n(block_mentions.begin(), block_count, 0);
    std::array<bmil_set, BMIL_MAX_IDS> used;  // blocks per line; [0, line_count) used
    std::fill_n(used.begin(), line_count, 0);
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const auto task = view.task(t);
      if (task.business_model_index() >= view.business_model_count()) continue;
      ++row.tasks;
      const bmil_set blocks = task.blocks().bits();
      for (unsigned block : IdSet(blocks & all_blocks)) ++block_mentions[block];
      row.mentions += IdSet(blocks & all_blocks).size();
      for (unsigned line : IdSet(task.lines().bits() & all_lines)) used[line] |= blocks;
      const unsigned stance = task.stance() <= BMIL_STANCE_PROACTIVE ? task.stance() : 0;
      const unsigned perspective =
          task.perspective() <= BMIL_PERSPECTIVE_INSIDE_IN ? task.perspective() : 0;
      ++stance_[stance][perspective];
      if (stance != BMIL_STANCE_UNSTATED) ++row.stance_stated;
      if (stance == BMIL_STANCE_REACTIVE) ++row.reactive;
    }
    tasks_ += row.tasks;

    row.top3 = TopThreeSum(block_mentions.data(), block_count);
    row.answers[kFocus] = row.tasks < kFocusMinTasks ? kUnstated
                          : row.top3 * kFocusDenominator >= row.mentions * kFocusNumerator ? kYes
                                                                                           : kNo;

    for (std::size_t l = 0; l < line_count; ++l)
      row.used_cells += IdSet(used[l] & all_blocks).size();
    row.cells = static_cast<std::int64_t>(line_count * block_count);
    row.answers[kUntapped] = row.cells == 0                                      ? kUnstated
                             : row.used_cells * kCoverageDenominator < row.cells ? kYes
                                                                                 : kNo;

    for (std::size_t i = 0; i < kIndicators.size(); ++i) ++answers_[i][row.answers[i]];
    if (rows_.size() < listing_.rows) {
      row.id = std::string(view.id());
      rows_.push_back(std::move(row));
    }
  }

  void MergeFrom(const StrategyProfileAnalyzer& other) {
    cases_ += other.cases_;
    tasks_ += other.tasks_;
    for (std::size_t i = 0; i < answers_.size(); ++i)
      for (std::size_t a = 0; a < answers_[i].size(); ++a) answers_[i][a] += other.answers_[i][a];
    for (std::size_t s = 0; s < stance_.size(); ++s)
      for (std::size_t p = 0; p < stance_[s].size(); ++p) stance_[s][p] += other.stance_[s][p];
    for (const auto& row : other.rows_) {
      if (rows_.size() >= listing_.rows) break;
      rows_.push_back(row);
    }
  }

  Json Finish() const override {
    ResultBuilder result("strategy_profile", "BMIL strategy profile (Lindgren 2012, sec. 5)");
    const bool many = cases_ > 1;
    const std::int64_t reactive = StanceTotal(BMIL_STANCE_REACTIVE);
    const std::int64_t proactive = StanceTotal(BMIL_STANCE_PROACTIVE);
    const std::int64_t stated = reactive + proactive;
    const std::int64_t outside_in = PerspectiveTotal(BMIL_PERSPECTIVE_OUTSIDE_IN);
    const std::int64_t perspective_stated = tasks_ - PerspectiveTotal(BMIL_PERSPECTIVE_UNSTATED);

    std::string summary;
    if (many) {
      summary = std::to_string(cases_) + " businesses: ";
      for (std::size_t i = 0; i < kIndicators.size(); ++i) {
        summary += (i ? ", " : "") + std::to_string(TraitCount(i)) + " of " +
                   std::to_string(Stated(i)) + " " + ShortTrait(i);
      }
      summary += ". ";
    } else if (cases_ == 1) {
      summary = "The business shows " + std::to_string(TraitCount1()) +
                " of the five traits the paper found in most SMEs. ";
    }
    summary += std::to_string(reactive) + " of " + std::to_string(stated) +
               " BMI tasks with a stated stance are reactive (" + Percent(reactive, stated) +
               "); " + std::to_string(outside_in) + " of " + std::to_string(perspective_stated) +
               " with a stated perspective are outside-in.";
    result.Summary(summary);

    result.AddMetric("businesses", "Businesses", static_cast<double>(cases_), "businesses");
    result.AddMetric("tasks", "BMI tasks", static_cast<double>(tasks_), "tasks");
    for (std::size_t i = 0; i < kIndicators.size(); ++i) {
      result.AddMetric(std::string(kIndicators[i].id) + "_trait",
                       std::string("Businesses showing the trait: ") + kIndicators[i].trait,
                       static_cast<double>(TraitCount(i)), "businesses");
    }
    result.AddMetric("reactive_tasks", "Reactive BMI tasks", static_cast<double>(reactive),
                     "tasks");
    result.AddMetric("proactive_tasks", "Proactive BMI tasks", static_cast<double>(proactive),
                     "tasks");
    result.AddMetric("reactive_share", "Share of reactive tasks (of tasks with a stated stance)",
                     Share(reactive, stated), "share");
    result.AddMetric("outside_in_share",
                     "Share of outside-in tasks (of tasks with a stated perspective)",
                     Share(outside_in, perspective_stated), "share");

    AddIndicatorTable(result);
    AddStanceMatrix(result);
    AddStanceTable(result);
    AddBusinessTable(result);
    AddFindings(result, many, reactive, stated);
    return result.Take();
  }

  nlohmann::json Save() const override {
    nlohmann::json state = {{"format", "strategy_profile/1"},
                            {"cases", cases_},
                            {"tasks", tasks_},
                            {"answers", answers_},
                            {"stance", stance_}};
    state["rows"] = nlohmann::json::array();
    for (const auto& r : rows_) {
      state["rows"].push_back({r.id, r.answers, r.tasks, r.top3, r.mentions, r.used_cells, r.cells,
                               r.reactive, r.stance_stated});
    }
    return state;
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "strategy_profile/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a strategy_profile/1 state");
    try {
      StrategyProfileAnalyzer loaded;
      loaded.listing_ = listing_;  // configuration, not state
      loaded.cases_ = state.at("cases").get<std::int64_t>();
      loaded.tasks_ = state.at("tasks").get<std::int64_t>();
      loaded.answers_ = state.at("answers").get<decltype(answers_)>();
      loaded.stance_ = state.at("stance").get<decltype(stance_)>();
      for (const auto& r : state.at("rows")) {
        // Rows beyond this instance's cap (a state saved with a larger one) are dropped.
        if (loaded.rows_.size() >= listing_.rows) break;
        BusinessRow row;
        row.id = r.at(0).get<std::string>();
        row.answers = r.at(1).get<std::array<int, 5>>();
        for (int a : row.answers)
          if (a < kYes || a > kUnstated)
            throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "answer out of range");
        row.tasks = r.at(2).get<std::int64_t>();
        row.top3 = r.at(3).get<std::int64_t>();
        row.mentions = r.at(4).get<std::int64_t>();
        row.used_cells = r.at(5).get<std::int64_t>();
        row.cells = r.at(6).get<std::int64_t>();
        row.reactive = r.at(7).get<std::int64_t>();
        row.stance_stated = r.at(8).get<std::int64_t>();
        loaded.rows_.push_back(std::move(row));
      }
      *this = std::move(loaded);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed strategy_profile/1 state: ") + e.what());
    }
  }

 private:
  std::int64_t Stated(std::size_t i) const { return answers_[i][kYes] + answers_[i][kNo]; }
  std::int64_t TraitCount(std::size_t i) const { return answers_[i][kIndicators[i].trait_answer]; }
  // With one business: how many of the five traits it shows.
  std::int64_t TraitCount1() const {
    std::int64_t n = 0;
    for (std::size_t i = 0; i < kIndicators.size(); ++i) n += TraitCount(i);
    return n;
  }
  // A trait is the businesses' pattern when more than half of those for which the indicator
  // is stated show it; for one business, when it shows the trait.
  bool Majority(std::size_t i) const { return 2 * TraitCount(i) > Stated(i); }
  static std::string ShortTrait(std::size_t i) {
    static constexpr std::array<const char*, 5> kShort = {
        "without an explicit strategy", "without a structured process", "focused on few blocks",
        "with potential untapped", "lacking skills"};
    return kShort[i];
  }
  std::int64_t StanceTotal(unsigned s) const {
    std::int64_t n = 0;
    for (std::int64_t v : stance_[s]) n += v;
    return n;
  }
  std::int64_t PerspectiveTotal(unsigned p) const {
    std::int64_t n = 0;
    for (const auto& row : stance_) n += row[p];
    return n;
  }

  void AddIndicatorTable(ResultBuilder& result) const {
    auto table =
        result.AddTable("traits", "The five common traits (counting businesses)",
                        {{"indicator", "Indicator"},
                         {"label", "Question"},
                         {"trait", "The paper's trait"},
                         {"trait_answer", "Answer showing the trait"},
                         {"yes", "Yes", "integer", "businesses"},
                         {"no", "No", "integer", "businesses"},
                         {"not_stated", "Not stated", "integer", "businesses"},
                         {"trait_share", "Share showing the trait (of stated)", "percent"}});
    for (std::size_t i = 0; i < kIndicators.size(); ++i) {
      const Indicator& ind = kIndicators[i];
      table.AddRow({ind.id, ind.label, ind.trait, kAnswerNames[ind.trait_answer], answers_[i][kYes],
                    answers_[i][kNo], answers_[i][kUnstated], Share(TraitCount(i), Stated(i))});
    }
    table.Chart("stacked_bar", "indicator", {"yes", "no", "not_stated"});
  }

  void AddStanceMatrix(ResultBuilder& result) const {
    std::vector<Axis> rows, columns;
    for (unsigned s : kStanceOrder) rows.push_back({StanceId(s), StanceLabel(s)});
    for (unsigned p : kPerspectiveOrder) columns.push_back({PerspectiveId(p), PerspectiveLabel(p)});
    std::vector<std::vector<double>> values;
    for (unsigned s : kStanceOrder) {
      std::vector<double> row;
      for (unsigned p : kPerspectiveOrder) row.push_back(static_cast<double>(stance_[s][p]));
      values.push_back(std::move(row));
    }
    result.AddMatrix("stance_mix", "Stance mix: BMI tasks by stance and perspective", rows, columns,
                     values, "tasks", "heatmap",
                     {{"row_dimension", "stance"}, {"column_dimension", "perspective"}});
  }

  void AddStanceTable(ResultBuilder& result) const {
    auto table = result.AddTable("stance_mix", "Stance mix (counting BMI tasks)",
                                 {{"stance", "Stance"},
                                  {"outside_in", "Outside-in", "integer", "tasks"},
                                  {"inside_out", "Inside-out", "integer", "tasks"},
                                  {"inside_in", "Inside-in", "integer", "tasks"},
                                  {"not_stated", "Perspective not stated", "integer", "tasks"},
                                  {"total", "Total", "integer", "tasks"}});
    for (unsigned s : kStanceOrder) {
      Json row = Json::array({StanceId(s)});
      for (unsigned p : kPerspectiveOrder) row.push_back(stance_[s][p]);
      row.push_back(StanceTotal(s));
      table.AddRow(std::move(row));
    }
    table.Chart("stacked_bar", "stance", {"outside_in", "inside_out", "inside_in", "not_stated"});
  }

  void AddBusinessTable(ResultBuilder& result) const {
    auto table =
        result.AddTable("businesses", "Traits per business (" + listing_.RowsWord() + ")",
                        {{"business", "Business"},
                         {"explicit_strategy", "Explicit strategy"},
                         {"structured_process", "Structured process"},
                         {"few_blocks_focus", "Few-blocks focus"},
                         {"top3_share", "Block mentions in top 3 blocks", "percent"},
                         {"untapped_potential", "Potential untapped"},
                         {"coverage", "Canvas cells used", "percent"},
                         {"lacks_skills", "Lacks skills"},
                         {"traits", "Traits shown (of 5)", "integer"},
                         {"reactive_share", "Reactive tasks (of stated stance)", "percent"}});
    for (const auto& r : rows_) {
      std::int64_t traits = 0;
      for (std::size_t i = 0; i < kIndicators.size(); ++i)
        traits += r.answers[i] == kIndicators[i].trait_answer ? 1 : 0;
      table.AddRow({r.id, kAnswerNames[r.answers[kExplicit]], kAnswerNames[r.answers[kStructured]],
                    kAnswerNames[r.answers[kFocus]], Share(r.top3, r.mentions),
                    kAnswerNames[r.answers[kUntapped]], Share(r.used_cells, r.cells),
                    kAnswerNames[r.answers[kSkills]], traits, Share(r.reactive, r.stance_stated)});
    }
  }

  // Evidence for an indicator: the business's own answer, or the counts across businesses.
  std::vector<std::string> Evidence(std::size_t i, bool many) const {
    const Indicator& ind = kIndicators[i];
    if (!many && !rows_.empty()) {
      const BusinessRow& r = rows_.front();
      switch (i) {
        case kExplicit:
          return {r.id + ": strategy.explicit = false"};
        case kStructured:
          return {r.id + ": strategy.structured_process = false"};
        case kFocus:
          return {r.id + ": " + std::to_string(r.top3) + " of " + std::to_string(r.mentions) +
                  " block mentions (" + Percent(r.top3, r.mentions) +
                  ") are on its three most mentioned blocks (threshold: at least 2/3)"};
        case kSkills:
          return {r.id + ": strategy.skills = low"};
        default:
          break;
      }
    }
    return {std::to_string(TraitCount(i)) + " of " + std::to_string(Stated(i)) +
                " businesses that state it show the trait (" + ShortTrait(i) + ", " +
                Percent(TraitCount(i), Stated(i)) + "; threshold: more than half)",
            std::string(ind.id) + " not stated: " + std::to_string(answers_[i][kUnstated]) +
                " business(es)"};
  }

  // The businesses an indicator's finding concerns: with one business, that business (its
  // evidence is the business's own answer); with several, none (the evidence counts them).
  std::vector<std::string> Businesses(bool many) const {
    if (many || rows_.empty()) return {};
    return {rows_.front().id};
  }

  void AddFindings(ResultBuilder& result, bool many, std::int64_t reactive,
                   std::int64_t stated) const {
    if (Majority(kExplicit)) {
      result.AddFinding(
          Severity::kNotice, "strategy_profile.no_explicit_strategy",
          many ? "Most businesses have no explicit BMIL strategy: they do BMI rather blindly."
               : "The business has no explicit BMIL strategy: it does BMI rather blindly. "
                 "Writing down which lines and blocks it means to innovate is a first step.",
          Evidence(kExplicit, many), kIndicators[kExplicit].source, Businesses(many));
    }
    if (Majority(kStructured)) {
      result.AddFinding(Severity::kNotice, "strategy_profile.unstructured_process",
                        many ? "Most businesses follow no structured BMIL strategy process."
                             : "The business follows no structured BMIL strategy process: tasks "
                               "start one by one rather than from a plan.",
                        Evidence(kStructured, many), kIndicators[kStructured].source,
                        Businesses(many));
    }
    if (Majority(kFocus)) {
      result.AddFinding(Severity::kNotice, "strategy_profile.few_blocks_focus",
                        many ? "Most businesses innovate on very few and the same building "
                               "blocks, whatever the task."
                             : "The business innovates on very few and the same building blocks, "
                               "whatever the task.",
                        Evidence(kFocus, many), kIndicators[kFocus].source, Businesses(many));
    }
    // More than half of the tasks with a stated stance are reactive.
    if (2 * reactive > stated) {
      std::string split;
      for (unsigned p : kPerspectiveOrder) {
        split += (split.empty() ? "" : ", ") + std::to_string(stance_[BMIL_STANCE_REACTIVE][p]) +
                 " " +
                 (p == BMIL_PERSPECTIVE_UNSTATED ? "perspective not stated" : PerspectiveId(p));
      }
      result.AddFinding(
          Severity::kNotice, "strategy_profile.reactive_outside_in",
          "Most BMI tasks react to a demand that reached the business instead of starting on "
          "its own initiative. SMEs mostly innovate this way, outside-in or inside-in, and it "
          "seldom moves them closer to the core of the BMI process.",
          {std::to_string(reactive) + " of " + std::to_string(stated) +
               " BMI tasks with a stated stance are reactive (" + Percent(reactive, stated) +
               "; threshold: more than half)",
           "reactive tasks by perspective: " + split},
          "Lindgren 2012, abstract and sec. 5");
    }
    if (Majority(kSkills)) {
      result.AddFinding(Severity::kNotice, "strategy_profile.low_skills",
                        many ? "Most businesses lack BMIL skills."
                             : "The business lacks BMIL skills: leading BMI strategically needs "
                               "them as much as time and tools.",
                        Evidence(kSkills, many), kIndicators[kSkills].source, Businesses(many));
    }
  }

  bmil::sdk::Listing listing_ = kDefaultListing;  // configuration, not state

  std::int64_t cases_ = 0;
  std::int64_t tasks_ = 0;
  std::array<std::array<std::int64_t, 3>, 5> answers_{};  // [indicator][yes, no, not stated]
  std::array<std::array<std::int64_t, 4>, 3> stance_{};   // [stance][perspective], ABI values
  std::vector<BusinessRow> rows_;                         // first listing_.rows, case order
};

}  // namespace

BMIL_PLUGIN(StrategyProfileAnalyzer)
