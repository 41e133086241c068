// Vertical BMIL (Lindgren 2012, sec. 3.3.1 and Fig. 9, the Provital case): taking a business
// model into other industries. For every model: the industries it serves or tries to enter
// and the outcome of each move (attempted, succeeded, failed); the models confined to one
// industry; and the moves made before the model had reached the market, the reason the paper
// gives for Provital's failed move into car-wash water.
//
// Counting units: a *move* is one industry a model lists with status attempted, succeeded
// or failed (never home); a *model* is one business model of one business.
#include "plain_json.hpp"

#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <compare>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::CaseView;
using bmil::sdk::Column;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

// The listing caps by default (the configuration's "listing" changes them, see Configure()):
// listing tables keep the first 200 rows in case order (every count still covers all cases),
// so that a result over 100,000 businesses stays readable; a finding lists at most 10
// examples as evidence.
constexpr bmil::sdk::Listing kDefaultListing = {200, 20, 10};
// vertical.single_industry fires when strictly more than this share of the models that name
// their industries name exactly one: "most" models, the plain meaning of a majority. The
// paper gives no figure; a majority says the vertical dimension is the exception, not the
// rule, in the business (or the set of businesses) analysed.
constexpr double kSingleIndustryShare = 0.5;

constexpr std::string_view kSource = "Lindgren 2012, sec. 3.3.1 and Fig. 9 (Provital)";

// The outcome of a move, from the industry's status (attempted, succeeded, failed).
constexpr std::array<std::string_view, 3> kOutcomes = {"attempted", "succeeded", "failed"};
// How far the model had come when the move was made.
enum Readiness : int { kAtMarket = 0, kBeforeMarket = 1, kStageUnknown = 2 };

std::optional<int> OutcomeIndex(std::uint32_t industry_status) {
  switch (industry_status) {
    case BMIL_INDUSTRY_ATTEMPTED:
      return 0;
    case BMIL_INDUSTRY_SUCCEEDED:
      return 1;
    case BMIL_INDUSTRY_FAILED:
      return 2;
    default:
      return std::nullopt;  // home (or not stated): not a move
  }
}

Readiness ReadinessOf(unsigned stage) {
  switch (stage) {
    case BMIL_STAGE_IDEA:
    case BMIL_STAGE_CONCEPT:
    case BMIL_STAGE_PROTOTYPE:
      return kBeforeMarket;
    case BMIL_STAGE_MARKET:
    case BMIL_STAGE_RETIRED:  // retired models have been on the market
      return kAtMarket;
    default:
      return kStageUnknown;
  }
}

std::string StageLabel(std::string_view stage) {
  return stage.empty() ? "not stated" : std::string(stage);
}

// A date of the case format ("YYYY", "YYYY-MM", "YYYY-MM-DD"); a missing month or day counts
// as the first (docs/data-format.md, "Dates").
struct Date {
  int year = 0, month = 1, day = 1;
  auto operator<=>(const Date&) const = default;
};

std::optional<int> Digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<Date> ParseDate(std::string_view s) {
  Date date;
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return std::nullopt;
  auto year = Digits(s.substr(0, 4));
  if (!year) return std::nullopt;
  date.year = *year;
  if (s.size() >= 7) {
    auto month = s[4] == '-' ? Digits(s.substr(5, 2)) : std::nullopt;
    if (!month || *month < 1 || *month > 12) return std::nullopt;
    date.month = *month;
  }
  if (s.size() == 10) {
    auto day = s[7] == '-' ? Digits(s.substr(8, 2)) : std::nullopt;
    if (!day || *day < 1 || *day > 31) return std::nullopt;
    date.day = *day;
  }
  return date;
}

nlohmann::json ParseObject(std::string_view text) {
  if (text.empty()) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : nlohmann::json::object();
}

struct StageEntry {
  Date from;
  unsigned stage = 0;
};

// Whether an attributes text is "{}", what the host gives for absent attributes.
bool IsEmptyObject(std::string_view text) {
  return text.size() == 2 && text[0] == '{' && text[1] == '}';
}

// Appends to `history` the entry {"stage", "from"} of a stage history when its stage is known
// and its date readable (both given as strings).
void AddStageEntry(std::string_view stage, std::string_view from,
                   std::vector<StageEntry>& history) {
  auto value = bmil::sdk::ValueOf(bmil::sdk::kStageNames, stage);
  auto date = ParseDate(from);
  if (value && date) history.push_back({*date, *value});
}

// Fills `history` with the model's stage history from attributes {"stage_history": [{"stage",
// "from"}, ...]} (the text of a JSON object; anything else has none), sorted by date. Entries
// with an unknown stage or an unreadable date are ignored. Plain texts are read without
// nlohmann (plain_json.hpp); the others as ParseObject() reads them.
void StageHistory(std::string_view attributes, std::vector<StageEntry>& history) {
  history.clear();
  if (IsEmptyObject(attributes)) return;
  using bmil::vertical::PlainJson;
  using bmil::vertical::PlainKind;
  using bmil::vertical::PlainValue;
  PlainValue root, list;
  if (PlainJson::Check(attributes, root)) {
    if (root.kind != PlainKind::kObject || !PlainJson::Find(root, "stage_history", list) ||
        list.kind != PlainKind::kArray)
      return;
    PlainJson::Elements(list, [&](const PlainValue& entry) {
      PlainValue stage, from;
      if (entry.kind != PlainKind::kObject || !PlainJson::Find(entry, "stage", stage) ||
          !PlainJson::Find(entry, "from", from) || stage.kind != PlainKind::kString ||
          from.kind != PlainKind::kString)
        return;
      AddStageEntry(stage.string(), from.string(), history);
    });
  } else {
    const nlohmann::json object = ParseObject(attributes);
    auto it = object.find("stage_history");
    if (it == object.end() || !it->is_array()) return;
    for (const auto& entry : *it) {
      if (!entry.is_object()) continue;
      auto stage = entry.find("stage");
      auto from = entry.find("from");
      if (stage == entry.end() || from == entry.end() || !stage->is_string() || !from->is_string())
        continue;
      AddStageEntry(stage->get<std::string>(), from->get<std::string>(), history);
    }
  }
  std::stable_sort(history.begin(), history.end(),
                   [](const StageEntry& a, const StageEntry& b) { return a.from < b.from; });
}

// The attribute "industry" of a task's attributes text when it is a string, as
// ParseObject(text) has it; nullopt when there is none. The result views `attributes`, or,
// for a text only nlohmann reads, a string appended to `owned`.
std::optional<std::string_view> IndustryAttribute(std::string_view attributes,
                                                  std::deque<std::string>& owned) {
  if (IsEmptyObject(attributes)) return std::nullopt;
  using bmil::vertical::PlainJson;
  using bmil::vertical::PlainKind;
  using bmil::vertical::PlainValue;
  PlainValue root, industry;
  if (PlainJson::Check(attributes, root)) {
    if (root.kind != PlainKind::kObject || !PlainJson::Find(root, "industry", industry) ||
        industry.kind != PlainKind::kString)
      return std::nullopt;
    return industry.string();
  }
  const nlohmann::json object = ParseObject(attributes);
  auto it = object.find("industry");
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return owned.emplace_back(it->get<std::string>());
}

// The stage in effect on 1 January of `year`: the last entry dated on or before it. Task
// periods reach plugins as years only, so a stage reached later in the same year does not
// count yet (a move in the year the model reached the market may have come before it).
// Before the first entry, the first entry's stage (the model was at most that far).
unsigned StageAt(const std::vector<StageEntry>& history, int year) {
  const Date first_of_year{year, 1, 1};
  unsigned stage = history.front().stage;
  for (const auto& entry : history)
    if (entry.from <= first_of_year) stage = entry.stage;
  return stage;
}

struct IndustryEntry {
  std::string id;
  std::string status;
};

struct ModelRecord {
  std::string business, id, name, state, stage;
  std::vector<IndustryEntry> industries;
  std::int64_t moves = 0;
  std::int64_t moves_before_market = 0;
};

struct MoveRecord {
  std::string business, model, industry, outcome;
  int start_year = 0;  // earliest start of a task naming the industry; 0 = unknown
  std::string stage;   // stage at the move ("" = not stated)
  std::string basis;   // "stage history" or "current stage"
  std::string current_stage;
  int readiness = kStageUnknown;
};

struct SingleRecord {
  std::string business, model, industry, status;
};

template <typename T>
void AppendCapped(std::vector<T>& to, const std::vector<T>& from, std::size_t cap) {
  for (const auto& x : from) {
    if (to.size() >= cap) break;
    to.push_back(x);
  }
}

// Percent is only given shares in 0..1 (never NaN), where it rounds as lround did.
using bmil::sdk::Percent;
using bmil::sdk::Share;  // NaN, written as null, when whole is 0

// The businesses a finding concerns (AddFinding's last argument).
using BusinessIds = bmil::sdk::UniqueIds;

class VerticalAnalyzer final : public bmil::sdk::MergeableAnalyzer<VerticalAnalyzer> {
 public:
  // Reads the listing caps ({"listing": ...}, bmil --max-rows / --all).
  void Configure(const nlohmann::json& config) override {
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
  }

  Json Describe() const override {
    return {{"id", "vertical"},
            {"kind", "analyzer"},
            {"name", "Vertical BMIL: business models across industries"},
            {"description",
             "Industries per business model, moves into other industries by outcome, moves "
             "made before the model reached the market, models confined to one industry."},
            {"source", std::string(kSource)}};
  }

  // Counts every model and move of the case; builds the strings of a row only while its
  // listing has room, and reads task and model attributes only for models that make a move.
  // Allocates nothing in steady state (full listings, attributes without moves or plain).
  void Add(const CaseView& view) override {
    ++cases_;
    const std::string_view business = view.id();
    for (std::uint32_t m = 0; m < view.business_model_count(); ++m) {
      const bmil_business_model_view& raw = view.business_model(m).raw();
      ++models_;
      const std::uint32_t count = raw.industries != nullptr ? raw.industry_count : 0;
      bool has_home = false;
      std::uint32_t outcomes = 0;  // industries with an outcome: moves when there is a home
      for (std::uint32_t i = 0; i < count; ++i) {
        has_home = has_home || raw.industries[i].status == BMIL_INDUSTRY_HOME;
        if (OutcomeIndex(raw.industries[i].status)) ++outcomes;
      }
      // A retired model is off the market: it is not one that could seek other industries.
      const bool retired = raw.stage == BMIL_STAGE_RETIRED;
      if (count > 0 && !retired) ++models_with_industries_;
      if (count == 1 && !retired) {
        ++single_industry_;
        if (single_.size() < listing_.rows) {
          Reserve(single_, listing_.rows);
          single_.push_back({std::string(business), std::string(bmil::sdk::ToStringView(raw.id)),
                             std::string(bmil::sdk::ToStringView(raw.industries[0].id)),
                             std::string(StatusName(raw.industries[0].status))});
        }
      }

      // A move goes from a home industry into another one. A model that names no home
      // industry has nothing to move from: its other industries are first markets (a TO BE
      // model trying to enter its market), counted apart and never as moves.
      std::int64_t moves = 0, moves_before_market = 0;
      if (!has_home) {
        entries_without_home_ += outcomes;
      } else if (outcomes > 0) {
        LoadMoveYears(view, m);
        bool history_read = false;
        for (std::uint32_t i = 0; i < count; ++i) {
          const auto outcome = OutcomeIndex(raw.industries[i].status);
          if (!outcome) continue;
          const std::string_view industry = bmil::sdk::ToStringView(raw.industries[i].id);
          unsigned stage = raw.stage;
          bool from_history = false;
          const int start_year = MoveYear(industry);
          if (start_year != 0) {
            if (!history_read) {
              StageHistory(bmil::sdk::ToStringView(raw.attributes_json), history_);
              history_read = true;
            }
            if (!history_.empty()) {
              stage = StageAt(history_, start_year);
              from_history = true;
            }
          }
          const Readiness readiness = ReadinessOf(stage);
          ++moves_[*outcome][readiness];
          ++moves;
          const bool early = readiness == kBeforeMarket;
          if (early) {
            ++moves_before_market;
            ++moves_before_market_;
          }
          const bool to_early = early && early_.size() < listing_.evidence;
          if (!to_early && move_rows_.size() >= listing_.rows) continue;
          MoveRecord move{std::string(business),
                          std::string(bmil::sdk::ToStringView(raw.id)),
                          std::string(industry),
                          std::string(kOutcomes[*outcome]),
                          start_year,
                          std::string(bmil::sdk::NameOf(bmil::sdk::kStageNames, stage)),
                          from_history ? "stage history" : "current stage",
                          std::string(bmil::sdk::NameOf(bmil::sdk::kStageNames, raw.stage)),
                          readiness};
          if (to_early) {
            Reserve(early_, listing_.evidence);
            early_.push_back(move);
          }
          if (move_rows_.size() < listing_.rows) {
            Reserve(move_rows_, listing_.rows);
            move_rows_.push_back(std::move(move));
          }
        }
      }
      if (moves > 0) ++models_with_moves_;
      if (model_rows_.size() < listing_.rows) {
        ModelRecord model{std::string(business),
                          std::string(bmil::sdk::ToStringView(raw.id)),
                          std::string(bmil::sdk::ToStringView(raw.name)),
                          std::string(bmil::sdk::NameOf(bmil::sdk::kStateNames, raw.state)),
                          std::string(bmil::sdk::NameOf(bmil::sdk::kStageNames, raw.stage)),
                          {},
                          moves,
                          moves_before_market};
        model.industries.reserve(count);
        for (std::uint32_t i = 0; i < count; ++i) {
          model.industries.push_back({std::string(bmil::sdk::ToStringView(raw.industries[i].id)),
                                      std::string(StatusName(raw.industries[i].status))});
        }
        Reserve(model_rows_, listing_.rows);
        model_rows_.push_back(std::move(model));
      }
    }
  }

  void MergeFrom(const VerticalAnalyzer& other) {
    cases_ += other.cases_;
    models_ += other.models_;
    models_with_industries_ += other.models_with_industries_;
    single_industry_ += other.single_industry_;
    models_with_moves_ += other.models_with_moves_;
    moves_before_market_ += other.moves_before_market_;
    entries_without_home_ += other.entries_without_home_;
    for (std::size_t o = 0; o < moves_.size(); ++o)
      for (std::size_t r = 0; r < moves_[o].size(); ++r) moves_[o][r] += other.moves_[o][r];
    AppendCapped(model_rows_, other.model_rows_, listing_.rows);
    AppendCapped(move_rows_, other.move_rows_, listing_.rows);
    AppendCapped(single_, other.single_, listing_.rows);
    AppendCapped(early_, other.early_, listing_.evidence);
  }

  Json Finish() const override {
    ResultBuilder result("vertical", "Vertical BMIL: business models across industries");
    std::array<std::int64_t, 3> by_outcome{};
    std::int64_t move_total = 0;
    for (std::size_t o = 0; o < moves_.size(); ++o) {
      for (auto n : moves_[o]) by_outcome[o] += n;
      move_total += by_outcome[o];
    }
    const double single_share = Share(single_industry_, models_with_industries_);

    result.Summary(
        std::to_string(models_) + " business models of " + std::to_string(cases_) +
        " business(es); " + std::to_string(move_total) + " move(s) into other industries (" +
        std::to_string(by_outcome[1]) + " succeeded, " + std::to_string(by_outcome[2]) +
        " failed, " + std::to_string(by_outcome[0]) + " under way), " +
        std::to_string(moves_before_market_) + " of them made before the model reached the " +
        "market; " + std::to_string(single_industry_) + " of " +
        std::to_string(models_with_industries_) +
        " models that name their industries serve a single industry.");

    result.AddMetric("businesses", "Businesses", static_cast<double>(cases_), "businesses");
    result.AddMetric("business_models", "Business models", static_cast<double>(models_),
                     "business models");
    result.AddMetric("models_with_industries",
                     "Business models that name their industries (not retired)",
                     static_cast<double>(models_with_industries_), "business models");
    result.AddMetric("single_industry_models",
                     "Business models confined to one industry (not retired)",
                     static_cast<double>(single_industry_), "business models");
    result.AddMetric("single_industry_share",
                     "Share of the models naming industries that are confined to one", single_share,
                     "share");
    result.AddMetric("models_with_moves", "Business models with a move into another industry",
                     static_cast<double>(models_with_moves_), "business models");
    result.AddMetric("moves", "Moves into other industries", static_cast<double>(move_total),
                     "moves");
    result.AddMetric("moves_attempted", "Moves under way", static_cast<double>(by_outcome[0]),
                     "moves");
    result.AddMetric("moves_succeeded", "Moves that succeeded", static_cast<double>(by_outcome[1]),
                     "moves");
    result.AddMetric("moves_failed", "Moves that failed", static_cast<double>(by_outcome[2]),
                     "moves");
    result.AddMetric("move_success_rate", "Succeeded moves among the decided ones",
                     Share(by_outcome[1], by_outcome[1] + by_outcome[2]), "share");
    result.AddMetric("industries_without_home",
                     "Industries entered by models without a home industry (not moves)",
                     static_cast<double>(entries_without_home_), "industries");
    result.AddMetric("moves_before_market", "Moves made before the model reached the market",
                     static_cast<double>(moves_before_market_), "moves");

    auto outcomes = result.AddTable("moves_by_outcome", "Moves into other industries by outcome",
                                    {{"outcome", "Outcome"},
                                     {"moves", "Moves", "integer", "moves"},
                                     {"at_market", "Model at market", "integer", "moves"},
                                     {"before_market", "Model before market", "integer", "moves"},
                                     {"stage_unknown", "Stage not stated", "integer", "moves"}});
    for (std::size_t o = 0; o < kOutcomes.size(); ++o) {
      outcomes.AddRow({kOutcomes[o], by_outcome[o], moves_[o][kAtMarket], moves_[o][kBeforeMarket],
                       moves_[o][kStageUnknown]});
    }
    outcomes.Chart("stacked_bar", "outcome", {"at_market", "before_market", "stage_unknown"});

    auto models = result.AddTable(
        "business_models", "Industries per business model (" + listing_.RowsWord() + " models)",
        {{"business_model", "Business model"},
         {"name", "Name"},
         {"state", "State"},
         {"stage", "Stage"},
         {"industries", "Industries (status)"},
         {"industry_count", "Industries", "integer", "industries"},
         {"moves", "Moves", "integer", "moves"},
         {"moves_before_market", "Moves before market", "integer", "moves"}});
    for (const auto& m : model_rows_) {
      std::string industries;
      for (const auto& i : m.industries)
        industries += (industries.empty() ? "" : ", ") + i.id + " (" + i.status + ")";
      models.AddRow({Label(m.business, m.id), m.name, m.state, StageLabel(m.stage), industries,
                     static_cast<std::int64_t>(m.industries.size()), m.moves,
                     m.moves_before_market});
    }
    models.Chart("bar", "business_model", {"industry_count"});

    auto moves =
        result.AddTable("moves", "Moves into other industries (" + listing_.RowsWord() + ")",
                        {{"business_model", "Business model"},
                         {"industry", "Industry"},
                         {"outcome", "Outcome"},
                         {"move_start", "Move started", "integer", "year"},
                         {"stage_at_move", "Stage at the move"},
                         {"stage_basis", "Stage from"},
                         {"before_market", "Before market"}});
    for (const auto& m : move_rows_) {
      moves.AddRow({Label(m.business, m.model), m.industry, m.outcome,
                    m.start_year == 0 ? Json(nullptr) : Json(m.start_year), StageLabel(m.stage),
                    m.basis, ReadinessWord(m.readiness)});
    }

    auto single = result.AddTable(
        "single_industry_models",
        "Business models confined to one industry (" + listing_.RowsWord() + ")",
        {{"business_model", "Business model"}, {"industry", "Industry"}, {"status", "Status"}});
    for (const auto& s : single_) single.AddRow({Label(s.business, s.model), s.industry, s.status});

    if (moves_before_market_ > 0) {
      std::vector<std::string> evidence;
      BusinessIds businesses;  // of the moves in the evidence
      for (const auto& m : early_) {
        businesses.Add(m.business);
        std::string line = Label(m.business, m.model) + " into " + m.industry + " (" + m.outcome +
                           "): the model was at stage " + m.stage;
        if (m.basis == "stage history") {
          line += " when the move started in " + std::to_string(m.start_year) +
                  " (stage history; stage now " + StageLabel(m.current_stage) + ")";
        } else {
          line += " (current stage)";
        }
        evidence.push_back(std::move(line));
      }
      if (moves_before_market_ > static_cast<std::int64_t>(early_.size())) {
        evidence.push_back(
            "and " +
            std::to_string(moves_before_market_ - static_cast<std::int64_t>(early_.size())) +
            " more (see table moves)");
      }
      evidence.push_back(std::to_string(moves_before_market_) + " of " +
                         std::to_string(move_total) +
                         " moves made at stage idea, concept or prototype; threshold: any");
      result.AddFinding(
          Severity::kWarning, "vertical.move_before_market",
          std::to_string(moves_before_market_) +
              " move(s) into another industry were made before the business model had reached "
              "the market. Provital's move into car-wash water failed because its model was "
              "not developed enough: get the model working in its home market, or adapt it to "
              "the new industry, before moving it.",
          std::move(evidence), kSource, businesses.Take());
    }

    if (models_with_industries_ > 0 && single_share > kSingleIndustryShare) {
      std::vector<std::string> evidence = {
          std::to_string(single_industry_) + " of " + std::to_string(models_with_industries_) +
          " business models that name their industries name only one (" + Percent(single_share) +
          "); threshold: more than " + Percent(kSingleIndustryShare)};
      std::string list;
      BusinessIds businesses;  // of the models in the list
      const std::size_t shown = std::min(single_.size(), listing_.evidence);
      for (std::size_t i = 0; i < shown; ++i) {
        list += (list.empty() ? "" : ", ") + Label(single_[i].business, single_[i].model);
        businesses.Add(single_[i].business);
      }
      if (single_industry_ > static_cast<std::int64_t>(shown)) list += ", ...";
      evidence.push_back("confined: " + list);
      result.AddFinding(
          Severity::kInfo, "vertical.single_industry",
          "Most business models serve a single industry. Businesses in other industries may "
          "have use for the same model, as smoke cleaning firms had for Provital's water "
          "cleaning model: ask which industries could use each model, and whether it is "
          "developed enough to move.",
          std::move(evidence), "Lindgren 2012, sec. 3.3.1", businesses.Take());
    }
    return result.Take();
  }

  nlohmann::json Save() const override {
    nlohmann::json state = {{"format", "vertical/1"},
                            {"cases", cases_},
                            {"models", models_},
                            {"models_with_industries", models_with_industries_},
                            {"single_industry", single_industry_},
                            {"models_with_moves", models_with_moves_},
                            {"moves_before_market", moves_before_market_},
                            {"entries_without_home", entries_without_home_},
                            {"moves", moves_}};
    state["model_rows"] = nlohmann::json::array();
    for (const auto& m : model_rows_) {
      nlohmann::json industries = nlohmann::json::array();
      for (const auto& i : m.industries) industries.push_back({i.id, i.status});
      state["model_rows"].push_back(
          {m.business, m.id, m.name, m.state, m.stage, industries, m.moves, m.moves_before_market});
    }
    state["move_rows"] = MovesToJson(move_rows_);
    state["early"] = MovesToJson(early_);
    state["single"] = nlohmann::json::array();
    for (const auto& s : single_)
      state["single"].push_back({s.business, s.model, s.industry, s.status});
    return state;
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "vertical/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a vertical/1 state");
    try {
      VerticalAnalyzer loaded;
      loaded.listing_ = listing_;  // configuration, not state
      loaded.cases_ = state.at("cases").get<std::int64_t>();
      loaded.models_ = state.at("models").get<std::int64_t>();
      loaded.models_with_industries_ = state.at("models_with_industries").get<std::int64_t>();
      loaded.single_industry_ = state.at("single_industry").get<std::int64_t>();
      loaded.models_with_moves_ = state.at("models_with_moves").get<std::int64_t>();
      loaded.moves_before_market_ = state.at("moves_before_market").get<std::int64_t>();
      loaded.entries_without_home_ = state.at("entries_without_home").get<std::int64_t>();
      loaded.moves_ = state.at("moves").get<decltype(moves_)>();
      for (const auto& m : state.at("model_rows")) {
        // Rows beyond this instance's caps (a state saved with larger ones) are dropped.
        if (loaded.model_rows_.size() >= listing_.rows) break;
        ModelRecord r{m.at(0).get<std::string>(),  m.at(1).get<std::string>(),
                      m.at(2).get<std::string>(),  m.at(3).get<std::string>(),
                      m.at(4).get<std::string>(),  {},
                      m.at(6).get<std::int64_t>(), m.at(7).get<std::int64_t>()};
        for (const auto& i : m.at(5))
          r.industries.push_back({i.at(0).get<std::string>(), i.at(1).get<std::string>()});
        loaded.model_rows_.push_back(std::move(r));
      }
      loaded.move_rows_ = MovesFromJson(state.at("move_rows"), listing_.rows);
      loaded.early_ = MovesFromJson(state.at("early"), listing_.evidence);
      for (const auto& s : state.at("single")) {
        if (loaded.single_.size() >= listing_.rows) break;
        loaded.single_.push_back({s.at(0).get<std::string>(), s.at(1).get<std::string>(),
                                  s.at(2).get<std::string>(), s.at(3).get<std::string>()});
      }
      *this = std::move(loaded);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed vertical/1 state: ") + e.what());
    }
  }

 private:
  // One task of a model that names the industry it moves into: {"industry": "<id>"}.
  struct DatedIndustry {
    std::string_view industry;  // views the task's attributes (or owned_industries_)
    int start_year;
  };

  // Gives an empty listing room for all its rows at once (when the cap is small enough to
  // reserve up front, as sdk::CappedList does): no moves of rows as it grows.
  template <typename T>
  static void Reserve(std::vector<T>& rows, std::size_t cap) {
    constexpr std::size_t kReserveLimit = 4096;
    if (rows.capacity() == 0 && cap <= kReserveLimit) rows.reserve(cap);
  }

  static std::string_view StatusName(std::uint32_t status) {
    return bmil::sdk::NameOf(bmil::sdk::kIndustryStatusNames, status);
  }

  // Fills move_years_ with the dated tasks of business model `m` that name an industry in
  // their attributes (a task without a start year dates no move).
  void LoadMoveYears(const CaseView& view, std::uint32_t m) {
    move_years_.clear();
    owned_industries_.clear();
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const bmil_task_view& task = view.task(t).raw();
      if (task.business_model != m || task.start_year == 0) continue;
      if (auto industry =
              IndustryAttribute(bmil::sdk::ToStringView(task.attributes_json), owned_industries_))
        move_years_.push_back({*industry, task.start_year});
    }
  }

  // The year of the move into `industry`: the earliest start of a task of move_years_ that
  // names it; 0 when none does.
  int MoveYear(std::string_view industry) const {
    int year = 0;
    for (const auto& entry : move_years_) {
      if (entry.industry == industry && (year == 0 || entry.start_year < year))
        year = entry.start_year;
    }
    return year;
  }

  // Models are named "<business>/<model>" once more than one business was added.
  std::string Label(const std::string& business, const std::string& model) const {
    return cases_ > 1 ? business + "/" + model : model;
  }
  static std::string ReadinessWord(int readiness) {
    return readiness == kBeforeMarket ? "yes" : readiness == kAtMarket ? "no" : "unknown";
  }
  static nlohmann::json MovesToJson(const std::vector<MoveRecord>& moves) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : moves) {
      out.push_back({m.business, m.model, m.industry, m.outcome, m.start_year, m.stage, m.basis,
                     m.current_stage, m.readiness});
    }
    return out;
  }
  // The first `cap` saved moves of `j`.
  static std::vector<MoveRecord> MovesFromJson(const nlohmann::json& j, std::size_t cap) {
    std::vector<MoveRecord> out;
    for (const auto& m : j) {
      if (out.size() >= cap) break;
      out.push_back({m.at(0).get<std::string>(), m.at(1).get<std::string>(),
                     m.at(2).get<std::string>(), m.at(3).get<std::string>(), m.at(4).get<int>(),
                     m.at(5).get<std::string>(), m.at(6).get<std::string>(),
                     m.at(7).get<std::string>(), m.at(8).get<int>()});
    }
    return out;
  }

  bmil::sdk::Listing listing_ = kDefaultListing;  // configuration: the listing caps

  std::int64_t cases_ = 0;
  std::int64_t models_ = 0;
  std::int64_t models_with_industries_ = 0;
  std::int64_t single_industry_ = 0;
  std::int64_t models_with_moves_ = 0;
  std::int64_t moves_before_market_ = 0;
  std::int64_t entries_without_home_ = 0;  // non-home industries of models without a home
  // moves_[outcome][readiness]: outcome indexes kOutcomes, readiness a Readiness.
  std::array<std::array<std::int64_t, 3>, 3> moves_{};
  std::vector<ModelRecord> model_rows_;  // first listing_.rows models
  std::vector<MoveRecord> move_rows_;    // first listing_.rows moves
  std::vector<MoveRecord> early_;        // first listing_.evidence moves before market
  std::vector<SingleRecord> single_;     // first listing_.rows single-industry models

  // Scratch space of Add() (not part of the state; capacity kept across cases).
  std::vector<DatedIndustry> move_years_;
  std::deque<std::string> owned_industries_;  // industries only nlohmann could read
  std::vector<StageEntry> history_;
};

}  // namespace

BMIL_PLUGIN(VerticalAnalyzer)
