// The threats of the leadership lines (Lindgren 2012, Table 2) checked against every
// business model, with their evidence, and each line's strengths, weaknesses and
// opportunities for reference.
//
// The threat rules are the lines' own (the "threats" of each line descriptor in the engine's
// config) and are evaluated with bmil::sdk::ThreatTriggered on the same counts
// LeadershipLine::Assess uses, and worded as sdk::AssessThreat words them (ThreatEvidence), so
// a threat is triggered here exactly when the line plugin's assess() says so, with the same
// evidence. Counting unit: one business model checked against one rule; a rule triggered on a
// model is one threat.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::CaseView;
using bmil::sdk::IdSet;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using bmil::sdk::ThreatCounts;
using bmil::sdk::ThreatRule;
using Json = nlohmann::ordered_json;
using Counts = std::map<std::string, std::int64_t>;

// The listing caps by default (the configuration's "listing" changes them, see Configure()):
// listing tables stop at 200 rows (in case order; metrics and counts cover all), and findings
// stop at 50 triggered threats, then one more finding says how many are left out. 50 warnings
// already fill several screens of the text report.
constexpr bmil::sdk::Listing kDefaultListing = {200, 50, 10};
constexpr const char* kSource = "Lindgren 2012, Table 2";

// What the analyzer needs from a line plugin's descriptor: id, code, name, the first three
// SWOT lists (strengths, weaknesses, opportunities; the threats are the rules) with their
// source, and the threat rules.
using LineInfo = bmil::sdk::ConfigLine;

// The set of bit indices 0..count-1 (count <= BMIL_MAX_IDS).
constexpr bmil_set LowBits(std::size_t count) {
  return count >= BMIL_MAX_IDS ? ~bmil_set{0} : (bmil_set{1} << count) - 1;
}

constexpr std::array<const char*, 3> kSwotLabels = {"strength", "weakness", "opportunity"};

// One triggered threat, as listed.
struct Record {
  std::string business;
  std::string model;
  std::string line;  // line id
  std::string code;  // rule code
  std::string threat;
  std::vector<std::string> evidence;
  std::string source;
};

std::int64_t Get(const Counts& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

// Unlike sdk::Share (NaN, written as null), a share of no business models is 0: the
// "models_with_threat_share" metric and the per-line shares of an empty run say 0.
double Share(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? 0.0 : bmil::sdk::Share(part, whole);
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

class SwotRiskAnalyzer final : public bmil::sdk::MergeableAnalyzer<SwotRiskAnalyzer> {
 public:
  // Takes the lines' descriptors and the listing caps ({"listing": ...}, bmil --max-rows /
  // --all).
  void Configure(const nlohmann::json& config) override {
    for (auto& line : bmil::sdk::LinesFromConfig(config)) lines_.push_back(std::move(line));
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
    PrepareRules();
  }

  Json Describe() const override {
    return {{"id", "swot_risk"},
            {"kind", "analyzer"},
            {"name", "Leadership-line threats (SWOT risk)"},
            {"description",
             "Checks every leadership line's threat rules against every business model, with "
             "evidence, and lists each line's strengths, weaknesses and opportunities."},
            {"source", kSource}};
  }

  // Counts each model's tasks through the lines and on the absent blocks the rules look at,
  // in reused buffers, with the bit indices of those found again only when the view's ids
  // change; checks every rule on a model without branching on the data (see RuleCheck), and
  // goes rule by rule only through a model on which one is triggered. Builds strings only for
  // records that still have room.
  void Add(const CaseView& view) override {
    ++cases_;
    const std::size_t line_count = std::min<std::size_t>(view.line_count(), BMIL_MAX_IDS);
    const std::size_t block_count = std::min<std::size_t>(view.block_count(), BMIL_MAX_IDS);
    // Evaluate both (no short circuit): each remembers its ids.
    const bool lines_changed =
        seen_lines_.Changed(view.line_count(), [&](std::size_t l) { return view.line_id(l); });
    const bool blocks_changed =
        seen_blocks_.Changed(view.block_count(), [&](std::size_t b) { return view.block_id(b); });
    if (lines_changed || blocks_changed) FindRuleIndices(view, line_count, block_count);

    // Per model: its tasks, how many run through each line bit and touch each block bit the
    // rules look at, counted as LeadershipLine::Assess counts them. Each row ends in a slot
    // that stays 0 (a line or block the view does not register).
    const std::size_t models = view.business_model_count();
    const std::size_t line_row = line_bits_.size() + 1;
    const std::size_t block_row = block_bits_.size() + 1;
    Zero(tasks_, models);
    Zero(line_tasks_, models * line_row);
    Zero(block_tasks_, models * block_row);
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const bmil_task_view& task = view.task(t).raw();
      const std::size_t m = task.business_model;
      if (m >= models) continue;
      ++tasks_[m];
      std::int64_t* lines = line_tasks_.data() + m * line_row;
      for (std::size_t i = 0; i < line_bits_.size(); ++i)
        lines[i] += static_cast<std::int64_t>((task.lines >> line_bits_[i]) & 1u);
      std::int64_t* blocks = block_tasks_.data() + m * block_row;
      for (std::size_t i = 0; i < block_bits_.size(); ++i)
        blocks[i] += static_cast<std::int64_t>((task.blocks >> block_bits_[i]) & 1u);
    }

    models_ += static_cast<std::int64_t>(models);
    bool business_has_threat = false;
    for (std::uint32_t m = 0; m < models; ++m) {
      // No rule triggers on a model with fewer tasks than every rule asks for.
      const std::size_t tasks = static_cast<std::size_t>(tasks_[m]);
      if (tasks < min_tasks_) continue;
      const std::int64_t* lines = line_tasks_.data() + m * line_row;
      const std::int64_t* blocks = block_tasks_.data() + m * block_row;
      bool any = false;
      for (std::size_t r = 0; r < checks_.size(); ++r) {
        const RuleCheck& c = checks_[r];
        const bool hit = (tasks >= c.min_tasks) &
                         (static_cast<std::size_t>(lines[c.line_slot]) >= MinLineTasks(r, tasks)) &
                         (blocks[c.absent_slot] == 0);
        fired_[r] = hit ? 1 : 0;
        any |= hit;
      }
      if (!any) continue;
      bool model_has_threat = false;
      for (std::size_t l = 0; l < lines_.size(); ++l) {
        const LineInfo& line = lines_[l];
        bool line_has_threat = false;
        for (std::size_t k = 0; k < line.threats.size(); ++k) {
          const std::size_t r = first_rule_[l] + k;
          if (fired_[r] == 0) continue;
          const ThreatRule& rule = line.threats[k];
          line_has_threat = true;
          ++rule_triggered_[r];
          ++triggered_total_;
          if (records_.size() < listing_.rows) {
            ThreatCounts counts;
            counts.tasks = tasks;
            counts.line_tasks = static_cast<std::size_t>(lines[checks_[r].line_slot]);
            counts.absent_block_tasks = static_cast<std::size_t>(blocks[checks_[r].absent_slot]);
            const auto bm = view.business_model(m);
            // The line's code as its descriptor states it, as assess() words the evidence.
            records_.push_back({std::string(view.id()), std::string(bm.id()), line.id, rule.code,
                                rule.threat, ThreatEvidence(rule, line.code, bm.id(), counts),
                                rule.source});
          }
        }
        if (line_has_threat) {
          ++line_threat_models_[l];
          model_has_threat = true;
        }
      }
      if (model_has_threat) {
        ++models_with_threat_;
        business_has_threat = true;
      }
    }
    if (business_has_threat) ++businesses_with_threat_;
  }

  void MergeFrom(const SwotRiskAnalyzer& other) {
    cases_ += other.cases_;
    models_ += other.models_;
    triggered_total_ += other.triggered_total_;
    models_with_threat_ += other.models_with_threat_;
    businesses_with_threat_ += other.businesses_with_threat_;
    for (const auto& [code, n] : other.Triggered()) triggered_[code] += n;
    for (const auto& [line, n] : other.LineModels()) line_models_[line] += n;
    for (const auto& r : other.records_) {
      if (records_.size() >= listing_.rows) break;
      records_.push_back(r);
    }
  }

  Json Finish() const override {
    ResultBuilder result("swot_risk", "Leadership-line threats (Lindgren 2012, Table 2)");
    const Counts triggered = Triggered();
    const Counts line_models = LineModels();
    const bool many = cases_ > 1;
    std::size_t rule_count = 0;
    for (const LineInfo& line : lines_) rule_count += line.threats.size();

    // The most often triggered rule, for the summary (first in config order on ties).
    std::string top_code;
    std::int64_t top = 0;
    for (const LineInfo& line : lines_)
      for (const ThreatRule& rule : line.threats)
        if (Get(triggered, rule.code) > top) {
          top = Get(triggered, rule.code);
          top_code = rule.code;
        }
    std::string summary = std::to_string(triggered_total_) + " threat(s) triggered on " +
                          std::to_string(models_with_threat_) + " of " + std::to_string(models_) +
                          " business models";
    if (many) {
      summary += " (" + std::to_string(businesses_with_threat_) + " of " + std::to_string(cases_) +
                 " businesses)";
    }
    summary += ", checking " + std::to_string(rule_count) + " threat rules of " +
               std::to_string(lines_.size()) + " leadership lines";
    if (top > 0) summary += "; most often " + top_code + " (" + std::to_string(top) + ")";
    result.Summary(summary + ".");

    result.AddMetric("businesses", "Businesses", static_cast<double>(cases_), "businesses");
    result.AddMetric("business_models", "Business models checked", static_cast<double>(models_),
                     "business models");
    result.AddMetric("lines", "Leadership lines", static_cast<double>(lines_.size()), "lines");
    result.AddMetric("rules", "Threat rules", static_cast<double>(rule_count), "rules");
    result.AddMetric("checks", "Checks (business models x rules)",
                     static_cast<double>(models_ * static_cast<std::int64_t>(rule_count)),
                     "checks");
    result.AddMetric("threats_triggered", "Threats triggered",
                     static_cast<double>(triggered_total_), "threats");
    result.AddMetric("models_with_threat", "Business models with a triggered threat",
                     static_cast<double>(models_with_threat_), "business models");
    result.AddMetric("models_with_threat_share", "Share of business models with a threat",
                     Share(models_with_threat_, models_), "share");
    result.AddMetric("businesses_with_threat", "Businesses with a triggered threat",
                     static_cast<double>(businesses_with_threat_), "businesses");

    auto listed =
        result.AddTable("threats_triggered", "Threats triggered (" + listing_.RowsWord() + ")",
                        {{"business", "Business"},
                         {"business_model", "Business model"},
                         {"line", "Leadership line"},
                         {"code", "Code"},
                         {"threat", "Threat"},
                         {"evidence", "Evidence"}});
    for (const Record& r : records_)
      listed.AddRow(
          {r.business, r.model, CodeOf(r.line), r.code, r.threat, Join(r.evidence, "; ")});

    auto per_line = result.AddTable(
        "threats_per_line", "Threats triggered per leadership line",
        {{"line", "Leadership line"},
         {"code", "Code"},
         {"rules", "Threat rules", "integer", "rules"},
         {"threats", "Threats triggered", "integer", "threats"},
         {"models", "Business models with a threat of the line", "integer", "business models"},
         {"models_share", "Share of business models", "percent"}});
    for (const LineInfo& line : lines_) {
      std::int64_t n = 0;
      for (const ThreatRule& rule : line.threats) n += Get(triggered, rule.code);
      per_line.AddRow({line.id, Code(line), static_cast<std::int64_t>(line.threats.size()), n,
                       Get(line_models, line.id), Share(Get(line_models, line.id), models_)});
    }
    per_line.Chart("bar", "code", {"threats"});

    auto rules =
        result.AddTable("threat_rules", "Threat rules and how often each was triggered",
                        {{"line", "Leadership line"},
                         {"code", "Code"},
                         {"threat", "Threat"},
                         {"min_share", "Line's share of the model's tasks at least", "percent"},
                         {"min_tasks", "Model's tasks at least", "integer", "tasks"},
                         {"absent_block", "No task on block"},
                         {"threats", "Triggered", "integer", "business models"},
                         {"source", "Source"}});
    for (const LineInfo& line : lines_) {
      for (const ThreatRule& rule : line.threats) {
        rules.AddRow({Code(line), rule.code, rule.threat, rule.min_share,
                      static_cast<std::int64_t>(rule.min_tasks), rule.absent_block,
                      Get(triggered, rule.code), rule.source});
      }
    }

    auto swot = result.AddTable("swot", "Strengths, weaknesses and opportunities of each line",
                                {{"line", "Leadership line"},
                                 {"code", "Code"},
                                 {"aspect", "Aspect"},
                                 {"text", "Text"},
                                 {"source", "Source"}});
    for (const LineInfo& line : lines_) {
      for (std::size_t k = 0; k < kSwotLabels.size(); ++k) {
        for (const auto& text : line.swot[k])
          swot.AddRow({line.id, Code(line), kSwotLabels[k], text, line.swot_source});
      }
    }

    // The first listing_.findings threats, each a finding on its model's business.
    const std::size_t listed_findings = std::min(records_.size(), listing_.findings);
    for (std::size_t i = 0; i < listed_findings; ++i) {
      const Record& r = records_[i];
      result.AddFinding(Severity::kWarning, r.code,
                        (many ? r.business + "/" : std::string{}) + r.model + ": " + r.threat,
                        r.evidence, r.source.empty() ? kSource : r.source, {r.business});
    }
    if (triggered_total_ > static_cast<std::int64_t>(listed_findings)) {
      result.AddFinding(Severity::kInfo, "swot_risk.unlisted_threats",
                        "More threats were triggered than are listed as findings; the tables "
                        "count them all.",
                        {std::to_string(triggered_total_) + " threats triggered, " +
                         std::to_string(listed_findings) + " listed as findings"},
                        kSource);
    }
    return result.Take();
  }

  nlohmann::json Save() const override {
    nlohmann::json state = {{"format", "swot_risk/1"},
                            {"cases", cases_},
                            {"models", models_},
                            {"triggered_total", triggered_total_},
                            {"models_with_threat", models_with_threat_},
                            {"businesses_with_threat", businesses_with_threat_},
                            {"triggered", Triggered()},
                            {"line_models", LineModels()}};
    state["records"] = nlohmann::json::array();
    for (const Record& r : records_) {
      state["records"].push_back(
          {r.business, r.model, r.line, r.code, r.threat, r.evidence, r.source});
    }
    return state;
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "swot_risk/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a swot_risk/1 state");
    try {
      SwotRiskAnalyzer loaded;
      loaded.lines_ = lines_;  // the configuration is not part of the state
      loaded.listing_ = listing_;
      loaded.PrepareRules();
      loaded.cases_ = state.at("cases").get<std::int64_t>();
      loaded.models_ = state.at("models").get<std::int64_t>();
      loaded.triggered_total_ = state.at("triggered_total").get<std::int64_t>();
      loaded.models_with_threat_ = state.at("models_with_threat").get<std::int64_t>();
      loaded.businesses_with_threat_ = state.at("businesses_with_threat").get<std::int64_t>();
      loaded.triggered_ = state.at("triggered").get<Counts>();
      loaded.line_models_ = state.at("line_models").get<Counts>();
      for (const auto& r : state.at("records")) {
        // Records beyond this instance's caps (a state saved with larger ones) are dropped.
        if (loaded.records_.size() >= listing_.rows) break;
        loaded.records_.push_back(
            {r.at(0).get<std::string>(), r.at(1).get<std::string>(), r.at(2).get<std::string>(),
             r.at(3).get<std::string>(), r.at(4).get<std::string>(),
             r.at(5).get<std::vector<std::string>>(), r.at(6).get<std::string>()});
      }
      *this = std::move(loaded);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed swot_risk/1 state: ") + e.what());
    }
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // Share tests are tabled for models of up to this many tasks (computed beyond).
  static constexpr std::size_t kShareTable = 64;

  // What Add() checks for one rule: triggered when the model has at least min_tasks tasks, at
  // least min_line_tasks[its tasks] of them through the rule's line (the share test, see
  // ShareTestFrom), and none on its absent block; the counts are read from a model's rows at
  // line_slot and absent_slot (see FindRuleIndices). This is sdk::ThreatTriggered in integers.
  struct RuleCheck {
    std::size_t line = 0;  // the rule is lines_[line].threats[index]
    std::size_t index = 0;
    std::size_t min_tasks = 0;
    std::size_t line_slot = 0;
    std::size_t absent_slot = 0;
    std::array<std::uint32_t, kShareTable + 1> min_line_tasks{};
  };

  // Numbers the rules of lines_ (line by line, in config order), sizes the per-rule and
  // per-line counts, and works out each rule's share test as a table (RuleCheck); the bit
  // indices are found again at the next Add().
  void PrepareRules() {
    first_rule_.clear();
    checks_.clear();
    min_tasks_ = std::numeric_limits<std::size_t>::max();
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      first_rule_.push_back(checks_.size());
      for (std::size_t k = 0; k < lines_[l].threats.size(); ++k) {
        const ThreatRule& rule = lines_[l].threats[k];
        min_tasks_ = std::min(min_tasks_, rule.min_tasks);
        RuleCheck& c = checks_.emplace_back();
        c.line = l;
        c.index = k;
        c.min_tasks = rule.min_tasks;
        for (std::size_t t = 0; t <= kShareTable; ++t)
          c.min_line_tasks[t] = static_cast<std::uint32_t>(ShareTestFrom(rule, t));
      }
    }
    rule_triggered_.assign(checks_.size(), 0);
    fired_.assign(checks_.size(), 0);
    line_threat_models_.assign(lines_.size(), 0);
    seen_lines_ = {};
    seen_blocks_ = {};
  }

  // The fewest tasks through the line with which a model of `tasks` tasks passes the share
  // test of `rule` (share >= min_share, the share computed as sdk::ThreatTriggered computes
  // it), or tasks + 1 when no number does. The share grows with the line's tasks.
  static std::size_t ShareTestFrom(const ThreatRule& rule, std::size_t tasks) {
    for (std::size_t line_tasks = 0; line_tasks <= tasks; ++line_tasks) {
      const double share =
          tasks == 0 ? 0.0 : static_cast<double>(line_tasks) / static_cast<double>(tasks);
      if (share >= rule.min_share) return line_tasks;
    }
    return tasks + 1;
  }
  // ShareTestFrom() for rule number r, from its table for up to kShareTable tasks.
  std::size_t MinLineTasks(std::size_t r, std::size_t tasks) const {
    const RuleCheck& c = checks_[r];
    return tasks <= kShareTable ? c.min_line_tasks[tasks]
                                : ShareTestFrom(lines_[c.line].threats[c.index], tasks);
  }

  // The view's bit indices the rules look at: line_bits_ (the config lines the view
  // registers below line_count, as view.line_index() finds them) and block_bits_ (the rules'
  // absent blocks it registers below block_count, as view.block_index() finds them), and each
  // rule's slot in them (the zero slot at the end when the view has no such line or block).
  void FindRuleIndices(const CaseView& view, std::size_t line_count, std::size_t block_count) {
    line_bits_.clear();
    block_bits_.clear();
    auto slot = [](std::vector<unsigned>& bits, unsigned bit) {
      const auto it = std::find(bits.begin(), bits.end(), bit);
      if (it != bits.end()) return static_cast<std::size_t>(it - bits.begin());
      bits.push_back(bit);
      return bits.size() - 1;
    };
    for (RuleCheck& c : checks_) {
      c.line_slot = c.absent_slot = kNone;
      const auto line = view.line_index(lines_[c.line].id);
      if (line && *line < line_count) c.line_slot = slot(line_bits_, *line);
      const std::string& absent_block = lines_[c.line].threats[c.index].absent_block;
      if (absent_block.empty()) continue;
      const auto block = view.block_index(absent_block);
      if (block && *block < block_count) c.absent_slot = slot(block_bits_, *block);
    }
    for (RuleCheck& c : checks_) {
      if (c.line_slot == kNone) c.line_slot = line_bits_.size();
      if (c.absent_slot == kNone) c.absent_slot = block_bits_.size();
    }
  }

  // Sets `v` to `n` zeros, reusing its memory.
  static void Zero(std::vector<std::int64_t>& v, std::size_t n) {
    v.resize(n);
    if (n != 0) std::memset(v.data(), 0, n * sizeof(std::int64_t));
  }

  // Rule code -> business models on which it is triggered: the loaded and merged counts and
  // those of Add() (codes never triggered in Add() are not keys).
  Counts Triggered() const {
    Counts out = triggered_;
    for (std::size_t l = 0; l < lines_.size(); ++l)
      for (std::size_t k = 0; k < lines_[l].threats.size(); ++k)
        if (const std::int64_t n = rule_triggered_[first_rule_[l] + k]; n != 0)
          out[lines_[l].threats[k].code] += n;
    return out;
  }
  // Line id -> business models with a threat of the line, likewise.
  Counts LineModels() const {
    Counts out = line_models_;
    for (std::size_t l = 0; l < lines_.size(); ++l)
      if (const std::int64_t n = line_threat_models_[l]; n != 0) out[lines_[l].id] += n;
    return out;
  }

  static std::string Code(const LineInfo& line) { return line.label(); }
  std::string CodeOf(const std::string& line_id) const {
    for (const LineInfo& line : lines_)
      if (line.id == line_id) return Code(line);
    return line_id;
  }

  std::vector<LineInfo> lines_;                   // configuration (registry order), not state
  bmil::sdk::Listing listing_ = kDefaultListing;  // likewise: the listing caps

  std::int64_t cases_ = 0;
  std::int64_t models_ = 0;
  std::int64_t triggered_total_ = 0;
  std::int64_t models_with_threat_ = 0;
  std::int64_t businesses_with_threat_ = 0;
  // The counts of Triggered() and LineModels(): string-keyed for the loaded and merged ones,
  // dense by rule number (see PrepareRules) and config line for those of Add().
  Counts triggered_;
  Counts line_models_;
  std::vector<std::int64_t> rule_triggered_;
  std::vector<std::int64_t> line_threat_models_;
  std::vector<Record> records_;  // first listing_.rows triggered threats, case order

  // Configuration-derived, not state: the first rule number of each config line, the check
  // of each rule, and the smallest min_tasks of any rule.
  std::vector<std::size_t> first_rule_;
  std::vector<RuleCheck> checks_;  // per rule number
  std::size_t min_tasks_ = std::numeric_limits<std::size_t>::max();
  // Add()'s scratch, not state: the view ids the slots were found for, the bit indices the
  // rules look at (see FindRuleIndices), per model of the case its tasks and their counts
  // per slot, and which rules a model triggers.
  bmil::sdk::SeenIds seen_lines_, seen_blocks_;
  std::vector<unsigned> line_bits_, block_bits_;
  std::vector<std::int64_t> tasks_;
  std::vector<std::int64_t> line_tasks_;   // [model * (line_bits_.size() + 1) + slot]
  std::vector<std::int64_t> block_tasks_;  // [model * (block_bits_.size() + 1) + slot]
  std::vector<unsigned char> fired_;       // per rule number
};

}  // namespace

BMIL_PLUGIN(SwotRiskAnalyzer)
