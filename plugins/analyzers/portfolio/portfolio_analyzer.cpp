// The business model portfolio (Lindgren 2012, sec. 2, 3.2 and 3.2.1): profit per business
// model from its value formula, loss-makers, models with users but no customers (Katalabs),
// which models carry which (live on whose earnings), the portfolio actions the tasks take
// (create, exclude, keep, upgrade, diminish) and, per model, the action the portfolio data
// point to, with the reason; plus the same actions on the Blue Ocean ERRC grid.
//
// Counting units: a business model (profit, loss-makers, candidates), a task (actions
// taken) and a carried_by link (carried models). Every rule is documented in
// docs/analyses/portfolio.md; each candidate rule is one function below.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <bit>  // std::countr_zero
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::CaseView;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

// The listing caps by default (the configuration's "listing" changes them, see Configure()):
// listing tables keep the first 200 rows in case order (metrics count every row); a finding
// lists at most 10 evidence lines, then says how many more there are; and the ERRC table
// names at most as many models per action as a finding has evidence lines (10).
constexpr bmil::sdk::Listing kDefaultListing = {200, 20, 10};
// The default capacities of the list types below (each list's own is set in Configure()).
constexpr std::size_t kMaxRows = kDefaultListing.rows;
constexpr std::size_t kMaxNames = kDefaultListing.evidence;

constexpr std::size_t kActionCount = 6;  // bmil_action values, 0 = not stated

// The ERRC grid (Blue Ocean) twin of each bmil action; keep has none.
std::string ErrcOf(unsigned action) {
  switch (action) {
    case BMIL_ACTION_CREATE:
      return "create";
    case BMIL_ACTION_EXCLUDE:
      return "eliminate";
    case BMIL_ACTION_DIMINISH:
      return "reduce";
    case BMIL_ACTION_UPGRADE:
      return "raise";
    default:
      return "";
  }
}

// Listings: the first N items in case order and the count of all of them (N by default; the
// analyzer sets each list's capacity from its listing caps).
template <typename T, std::size_t N = kMaxRows>
using Capped = bmil::sdk::CappedList<T, N>;

// An amount with thousands separators, two decimals only when it has cents. The digits are
// those of printf("%.2f"): std::to_chars with a precision rounds the exact binary value the
// same way (checked on 15 million values), without printf's locale and parsing of the format.
std::string FormatNumber(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude < 9007199254740992.0 && magnitude == std::floor(magnitude)) {
    // A whole amount below 2^53 (every amount in practice): printf's digits are the integer's
    // and its decimals ".00", which are left out. Minus only when the digits are not "0".
    char digits[24];
    const auto end =
        std::to_chars(digits, digits + sizeof digits, static_cast<std::uint64_t>(magnitude)).ptr;
    const auto count = static_cast<std::size_t>(end - digits);
    char text[32];  // a sign, 16 digits and 5 commas at most
    std::size_t size = 0;
    if (value < 0 && magnitude >= 1) text[size++] = '-';
    for (std::size_t i = 0; i < count; ++i) {
      if (i > 0 && (count - i) % 3 == 0) text[size++] = ',';
      text[size++] = digits[i];
    }
    return std::string(text, size);
  }
  char buffer[400];  // %.2f of the largest double has 309 digits before the point
  const auto end =
      std::to_chars(buffer, buffer + sizeof buffer, std::fabs(value), std::chars_format::fixed, 2)
          .ptr;
  // The text used to be printf'ed into 64 bytes, which cut amounts of 61 digits and more to
  // their first 63 characters; results keep that cut (the code below then reads the last
  // three of them as the decimals, as it always did).
  constexpr std::ptrdiff_t kPrintfLimit = 63;
  std::string digits(buffer, std::min(end - buffer, kPrintfLimit));
  std::string decimals = digits.substr(digits.size() - 3);
  digits.resize(digits.size() - 3);
  if (decimals == ".00") decimals.clear();
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  const bool negative = value < 0 && (grouped != "0" || !decimals.empty());
  return (negative ? "-" : "") + grouped + decimals;
}

// "1 user", "2,600 users".
std::string Quantity(double value, const char* one, const char* many) {
  return FormatNumber(value) + " " + (value == 1 ? one : many);
}

std::string Money(double value, std::string_view currency) {
  std::string out = FormatNumber(value);
  if (!currency.empty()) {
    out += ' ';
    out += currency;
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string StateLabel(const std::string& state) {
  if (state == "as_is") return "AS IS";
  if (state == "to_be") return "TO BE";
  return "state not stated";
}

Json Optional(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }

// One business model, as the listings need it.
struct ModelRecord {
  ModelRecord() = default;
  // The identity and figures of business model `raw` of business `business` (the rest is set
  // by the caller).
  ModelRecord(std::string_view business, const bmil_business_model_view& raw)
      : business(business),
        id(bmil::sdk::ToStringView(raw.id)),
        name(bmil::sdk::ToStringView(raw.name)),
        state(bmil::sdk::NameOf(bmil::sdk::kStateNames, raw.state)),
        stage(bmil::sdk::NameOf(bmil::sdk::kStageNames, raw.stage)),
        currency(bmil::sdk::ToStringView(raw.value_formula.currency)),
        revenue(Stated(raw.value_formula.has_revenue, raw.value_formula.revenue)),
        cost(Stated(raw.value_formula.has_cost, raw.value_formula.cost)),
        users(Stated(raw.value_formula.has_users, raw.value_formula.users)),
        customers(Stated(raw.value_formula.has_customers, raw.value_formula.customers)) {}

  std::string business;
  std::string id;
  std::string name;
  std::string state;  // "as_is", "to_be" or ""
  std::string stage;  // kStageNames, "" when not stated
  std::string currency;
  std::optional<double> revenue, cost, users, customers;
  std::vector<std::string> carried_by;
  std::vector<std::string> carrier_profits;          // parallel to carried_by: "350,000 DKK" or ""
  std::array<std::int64_t, kActionCount> actions{};  // tasks on the model per action
  bool taken_out = false;
  std::string candidate;  // kActionNames value, "" when none
  // The reason for the candidate action: as loaded, or, for a record Add() made
  // (reason_pending), written from the record by Reason() when a result or state needs it
  // (the text costs more than the rest of the record, and most records are never shown).
  std::string reason;
  bool reason_pending = false;
  int last_year = 0;                // the latest year the business's tasks name; 0 = none
  std::string profitable_carriers;  // "a, b": the profitable ones of carried_by (create)

  std::string Reason() const;
  static std::optional<double> Stated(std::uint32_t stated, double value) {
    return stated != 0 ? std::optional<double>(value) : std::nullopt;
  }
  std::optional<double> profit() const {
    if (!revenue || !cost) return std::nullopt;
    return *revenue - *cost;
  }
  std::int64_t tasks() const {
    std::int64_t n = 0;
    for (auto a : actions) n += a;
    return n;
  }
};

// A model's record is built once and shared, immutable, by the listings that keep it (and by
// merged instances): one allocation per listed model instead of one copy per listing.
using RecordPtr = std::shared_ptr<const ModelRecord>;

// Makes the records of Add() kBlock at a time: one allocation per block instead of one per
// record. A record's RecordPtr shares the ownership of its whole block (shared_ptr's aliasing
// constructor), which lives as long as any of its records is listed (here or, after a merge,
// in another instance). Only the allocator's owner constructs records in its current block;
// a copy of the allocator starts a block of its own.
class RecordAllocator {
 public:
  RecordAllocator() = default;
  RecordAllocator(const RecordAllocator&) {}
  RecordAllocator& operator=(const RecordAllocator&) {
    block_.reset();
    return *this;
  }

  // A new record, constructed from `args`; the caller may change it until it shares it.
  template <typename... Args>
  std::shared_ptr<ModelRecord> Make(Args&&... args) {
    if (!block_ || block_->used == kBlock)
      block_.reset(new Block);  // not make_shared: that would zero the storage
    ModelRecord* record = new (block_->Slot(block_->used)) ModelRecord(std::forward<Args>(args)...);
    ++block_->used;
    return std::shared_ptr<ModelRecord>(block_, record);
  }

 private:
  static constexpr std::size_t kBlock = 32;
  struct Block {
    Block() = default;
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;
    ~Block() {
      for (std::size_t k = 0; k < used; ++k) std::launder(Slot(k))->~ModelRecord();
    }
    ModelRecord* Slot(std::size_t k) { return reinterpret_cast<ModelRecord*>(storage) + k; }
    alignas(ModelRecord) unsigned char storage[kBlock * sizeof(ModelRecord)];
    std::size_t used = 0;  // records constructed in storage, from its start
  };
  std::shared_ptr<Block> block_;
};

// A carried_by link: `carrier` finances `carried`.
struct CarryLink {
  std::string business;
  std::string carried, carried_state, carried_currency;
  std::optional<double> carried_profit;
  std::string carrier, carrier_state, carrier_currency;
  std::optional<double> carrier_profit;
};

struct ModelRef {
  std::string business;
  std::string id;
};

// ---------------------------------------------------------------- the candidate rules
// CandidateOf() picks the rule from a model's figures; ReasonOf() writes the reason for it.

// What the candidate rules read of one business model of a case. A value is meaningful only
// when its has_ flag is set.
struct ModelFigures {
  unsigned state = 0;  // bmil_state
  unsigned stage = 0;  // bmil_stage
  bool taken_out = false;
  bool has_profit = false, has_users = false, has_customers = false;
  double profit = 0, users = 0, customers = 0;
  std::size_t carriers = 0;  // carried_by links to models of the case
  bool carried_by_profitable = false;
  bool recent_bmi = false;  // a task on it is active in the business's last year
};

// The candidate action of a model (a bmil_action), 0 when none: the first rule that applies to
// a model in the portfolio (not taken out), in this order (each model gets at most one
// candidate action):
//   exclude:  it loses money (profit < 0) and no other model is recorded as carrying it.
//             Aikon took its glass kitchen and health information system out for making no
//             profit.
//   create:   a TO BE model at idea or concept stage carried by at least one profitable model:
//             the business can afford to bring it to market.
//   diminish: it loses money and lives on other models' earnings: reduce what it costs.
//   upgrade:  an AS IS model with profit > 0 and users (or customers) but no BMI task active
//             in the business's last year: a working model nobody is developing.
//   keep:     an AS IS model with profit > 0 (that the upgrade rule did not pick).
// Create comes before diminish because an idea- or concept-stage model is expected to cost
// before it earns; its question is whether to build it, not how to shrink it.
// Written without branches (the rules see random data): each rule's condition, then the
// first that holds overrides the later ones.
unsigned CandidateOf(const ModelFigures& f) {
  const bool losing = f.has_profit & !(f.profit >= 0);  // as the rules were written: NaN loses
  const bool gaining = f.has_profit & !(f.profit <= 0);
  const bool as_is = f.state == BMIL_STATE_AS_IS;
  const bool has_users = (f.has_users & (f.users > 0)) | (f.has_customers & (f.customers > 0));
  const bool exclude = losing & (f.carriers == 0);
  const bool create = (f.state == BMIL_STATE_TO_BE) &
                      ((f.stage == BMIL_STAGE_IDEA) | (f.stage == BMIL_STAGE_CONCEPT)) &
                      f.carried_by_profitable;
  const bool upgrade = as_is & gaining & has_users & !f.recent_bmi;
  unsigned action = (as_is & gaining) ? unsigned{BMIL_ACTION_KEEP} : 0u;
  action = upgrade ? unsigned{BMIL_ACTION_UPGRADE} : action;
  action = losing ? unsigned{BMIL_ACTION_DIMINISH} : action;
  action = create ? unsigned{BMIL_ACTION_CREATE} : action;
  action = exclude ? unsigned{BMIL_ACTION_EXCLUDE} : action;
  return f.taken_out ? 0u : action;
}

std::string ProfitText(const ModelRecord& m) {
  return "revenue " + Money(*m.revenue, m.currency) + ", cost " + Money(*m.cost, m.currency) +
         ", profit " + Money(*m.profit(), m.currency);
}

// The reason for candidate action `action` of model m (CandidateOf() of its figures).
std::string ReasonOf(unsigned action, const ModelRecord& m) {
  switch (action) {
    case BMIL_ACTION_EXCLUDE:
      return "loses money (" + ProfitText(m) + ") and no other model carries it";
    case BMIL_ACTION_CREATE:
      return "TO BE model at " + m.stage + " stage, financed by profitable " +
             m.profitable_carriers;
    case BMIL_ACTION_DIMINISH:
      return "loses money (" + ProfitText(m) + ") and lives on the earnings of " +
             Join(m.carried_by, ", ");
    case BMIL_ACTION_UPGRADE: {
      std::string users;
      if (m.users && *m.users > 0) users = Quantity(*m.users, "user", "users");
      if (m.customers && *m.customers > 0)
        users += (users.empty() ? "" : " and ") + Quantity(*m.customers, "customer", "customers");
      return "profitable (" + ProfitText(m) + ") with " + users +
             (m.last_year == 0 ? ", but no BMI task at all"
                               : ", but no BMI task active in " + std::to_string(m.last_year) +
                                     ", the latest year of the business's tasks");
    }
    case BMIL_ACTION_KEEP:
      return "profitable (" + ProfitText(m) + ")";
    default:
      return "";
  }
}

std::string ModelRecord::Reason() const {
  if (!reason_pending) return reason;
  const auto action = bmil::sdk::ValueOf(bmil::sdk::kActionNames, candidate);
  return action ? ReasonOf(*action, *this) : "";
}

// Whether a task is active in `year`, by the orchestration analyzer's rule (the same on
// purpose): from its start year to its end year; without an end year, to `horizon` (the
// latest year the business's tasks name) unless it is completed or abandoned, then only in
// its start year; never without a start year.
// Without branches: Add() asks it of every task.
bool ActiveIn(const bmil_task_view& task, int year, int horizon) {
  const int start = task.start_year;
  const bool closed =
      (task.status == BMIL_TASK_STATUS_COMPLETED) | (task.status == BMIL_TASK_STATUS_ABANDONED);
  const int open_end = closed ? start : std::max(start, horizon);
  const int last = task.end_year != 0 ? static_cast<int>(task.end_year) : open_end;
  return (start != 0) & (start <= year) & (year <= last);
}

// --------------------------------------------------------------------- JSON of records

nlohmann::json OptionalToJson(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
std::optional<double> OptionalFromJson(const nlohmann::json& j) {
  return j.is_null() ? std::nullopt : std::optional<double>(j.get<double>());
}

nlohmann::json ToJson(const ModelRecord& m) {
  return {{"business", m.business},
          {"id", m.id},
          {"name", m.name},
          {"state", m.state},
          {"stage", m.stage},
          {"currency", m.currency},
          {"revenue", OptionalToJson(m.revenue)},
          {"cost", OptionalToJson(m.cost)},
          {"users", OptionalToJson(m.users)},
          {"customers", OptionalToJson(m.customers)},
          {"carried_by", m.carried_by},
          {"carrier_profits", m.carrier_profits},
          {"actions", m.actions},
          {"taken_out", m.taken_out},
          {"candidate", m.candidate},
          {"reason", m.Reason()}};
}
ModelRecord ModelFromJson(const nlohmann::json& j) {
  ModelRecord m;
  m.business = j.at("business").get<std::string>();
  m.id = j.at("id").get<std::string>();
  m.name = j.at("name").get<std::string>();
  m.state = j.at("state").get<std::string>();
  m.stage = j.at("stage").get<std::string>();
  m.currency = j.at("currency").get<std::string>();
  m.revenue = OptionalFromJson(j.at("revenue"));
  m.cost = OptionalFromJson(j.at("cost"));
  m.users = OptionalFromJson(j.at("users"));
  m.customers = OptionalFromJson(j.at("customers"));
  m.carried_by = j.at("carried_by").get<std::vector<std::string>>();
  m.carrier_profits = j.at("carrier_profits").get<std::vector<std::string>>();
  m.actions = j.at("actions").get<std::array<std::int64_t, kActionCount>>();
  m.taken_out = j.at("taken_out").get<bool>();
  m.candidate = j.at("candidate").get<std::string>();
  m.reason = j.at("reason").get<std::string>();
  return m;
}
nlohmann::json ToJson(const RecordPtr& m) { return ToJson(*m); }
RecordPtr RecordFromJson(const nlohmann::json& j) {
  return std::make_shared<const ModelRecord>(ModelFromJson(j));
}
nlohmann::json ToJson(const CarryLink& l) {
  return {{"business", l.business},
          {"carried", l.carried},
          {"carried_state", l.carried_state},
          {"carried_currency", l.carried_currency},
          {"carried_profit", OptionalToJson(l.carried_profit)},
          {"carrier", l.carrier},
          {"carrier_state", l.carrier_state},
          {"carrier_currency", l.carrier_currency},
          {"carrier_profit", OptionalToJson(l.carrier_profit)}};
}
CarryLink LinkFromJson(const nlohmann::json& j) {
  return {j.at("business").get<std::string>(),      j.at("carried").get<std::string>(),
          j.at("carried_state").get<std::string>(), j.at("carried_currency").get<std::string>(),
          OptionalFromJson(j.at("carried_profit")), j.at("carrier").get<std::string>(),
          j.at("carrier_state").get<std::string>(), j.at("carrier_currency").get<std::string>(),
          OptionalFromJson(j.at("carrier_profit"))};
}
nlohmann::json ToJson(const ModelRef& r) { return {r.business, r.id}; }
ModelRef RefFromJson(const nlohmann::json& j) {
  return {j.at(0).get<std::string>(), j.at(1).get<std::string>()};
}

template <typename T, std::size_t N>
nlohmann::json SaveCapped(const Capped<T, N>& capped) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : capped.items()) items.push_back(ToJson(item));
  return {{"total", capped.total()}, {"items", items}};
}
// Restores `capped` (its capacity set) from its saved form: the items beyond its capacity are
// dropped (a state saved with larger caps, e.g. bmil --all, keeps its prefix). Refuses a
// listing that holds more items than it counts.
template <typename T, std::size_t N, typename F>
void LoadCapped(Capped<T, N>& capped, const nlohmann::json& j, F load) {
  const auto total = j.at("total").get<std::int64_t>();
  const nlohmann::json& saved = j.at("items");
  if (total < static_cast<std::int64_t>(saved.size()))
    throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "portfolio/1 state: bad listing size");
  std::vector<T> items;
  for (const auto& item : saved) {
    if (items.size() >= capped.capacity()) break;
    items.push_back(load(item));
  }
  capped.Restore(std::move(items), total);
}

// The businesses a finding concerns (AddFinding's last argument).
using BusinessIds = bmil::sdk::UniqueIds;

// ----------------------------------------------------------------------- the analyzer

class PortfolioAnalyzer final : public bmil::sdk::MergeableAnalyzer<PortfolioAnalyzer> {
 public:
  // Reads the listing caps ({"listing": ...}, bmil --max-rows / --all).
  void Configure(const nlohmann::json& config) override {
    listing_ = bmil::sdk::ListingFromConfig(config, kDefaultListing);
    SetCapacities(state_);
  }

  Json Describe() const override {
    return {{"id", "portfolio"},
            {"kind", "analyzer"},
            {"name", "Business model portfolio"},
            {"description",
             "Profit per business model, loss-makers, users without customers, which models "
             "carry which, the portfolio actions taken and the candidates for each action "
             "(with an ERRC view)."},
            {"source", "Lindgren 2012, sec. 2, 3.2 and 3.2.1"}};
  }

  // Counts every model, task and carried_by link of the case in dense counters, mostly without
  // branches on the data; builds a listing's row only while the listing has room (a model's
  // record once, shared by the listings that keep it, its reason text deferred). Allocates
  // nothing once every listing is full.
  void Add(const CaseView& view) override {
    State& s = state_;
    ++s.cases;
    const std::string_view business = view.id();
    const auto n = static_cast<std::uint32_t>(view.business_model_count());
    const auto task_count = static_cast<std::uint32_t>(view.task_count());

    int horizon = 0;  // the latest year the tasks name
    for (std::uint32_t t = 0; t < task_count; ++t) {
      const bmil_task_view& raw = view.task(t).raw();
      const int latest = raw.start_year > raw.end_year ? raw.start_year : raw.end_year;
      horizon = latest > horizon ? latest : horizon;
    }

    scratch_.resize(n);  // every field set below
    bool any_loss = false, any_users = false, any_carried = false;
    for (std::uint32_t i = 0; i < n; ++i) {
      ModelScratch& m = scratch_[i];
      m.raw = &view.business_model(i).raw();
      const bmil_value_formula_view& vf = m.raw->value_formula;
      m.has_profit = (vf.has_revenue != 0) & (vf.has_cost != 0);
      m.profit = vf.revenue - vf.cost;
      m.actions.fill(0);
      m.action_mask = 0;
      m.taken_out = m.raw->stage == BMIL_STAGE_RETIRED;
      m.recent = false;
    }
    // acting[a]: the models of the case with a task with action a.
    std::array<std::int64_t, kActionCount> acting{};
    for (std::uint32_t t = 0; t < task_count; ++t) {
      const bmil_task_view& task = view.task(t).raw();
      const std::uint32_t i = task.business_model;
      if (i >= n) continue;
      ModelScratch& m = scratch_[i];
      const unsigned action = task.action < kActionCount ? task.action : 0;
      ++m.actions[action];
      acting[action] += (m.action_mask >> action & 1u) == 0;  // the model's first such task
      m.action_mask |= 1u << action;
      ++s.action_tasks[action];
      // A whole model is taken out by an exclusion at model, portfolio or business level
      // (sec. 3.2.1: Aikon's exclusions were of whole models, out of the portfolio).
      m.taken_out |= (task.action == BMIL_ACTION_EXCLUDE) &
                     ((task.level == BMIL_LEVEL_BUSINESS_MODEL) |
                      (task.level == BMIL_LEVEL_PORTFOLIO) | (task.level == BMIL_LEVEL_BUSINESS));
      m.recent |= (horizon == 0) | ActiveIn(task, horizon, horizon);
    }

    // Bit a: the list of models acted on with action a had room when the case began. Its
    // models go to it one by one; a full list only counts them, by the case's count (after
    // the loop).
    unsigned open = 0;
    for (unsigned a = 0; a < kActionCount; ++a) open |= unsigned{!s.acted_on[a].full()} << a;
    for (std::uint32_t i = 0; i < n; ++i) {
      const ModelScratch& m = scratch_[i];
      const bmil_business_model_view& raw = *m.raw;
      const bmil_value_formula_view& vf = raw.value_formula;

      // carried_by links, in model order, then link order.
      ModelFigures figures;
      for (std::uint32_t k = 0; k < raw.carried_by_count; ++k) {
        const std::uint32_t c = raw.carried_by[k];
        if (c >= n) continue;
        const ModelScratch& carrier = scratch_[c];
        ++figures.carriers;
        figures.carried_by_profitable |= carrier.has_profit & (carrier.profit > 0);
        ++s.carry_links;
        s.as_is_carries_to_be +=
            (carrier.raw->state == BMIL_STATE_AS_IS) & (raw.state == BMIL_STATE_TO_BE);
        CountRow(s.links, true, [&] {
          return CarryLink{
              std::string(business),
              std::string(bmil::sdk::ToStringView(raw.id)),
              std::string(bmil::sdk::NameOf(bmil::sdk::kStateNames, raw.state)),
              std::string(bmil::sdk::ToStringView(vf.currency)),
              m.has_profit ? std::optional<double>(m.profit) : std::nullopt,
              std::string(bmil::sdk::ToStringView(carrier.raw->id)),
              std::string(bmil::sdk::NameOf(bmil::sdk::kStateNames, carrier.raw->state)),
              std::string(bmil::sdk::ToStringView(carrier.raw->value_formula.currency)),
              carrier.has_profit ? std::optional<double>(carrier.profit) : std::nullopt};
        });
      }

      figures.state = raw.state;
      figures.stage = raw.stage;
      figures.taken_out = m.taken_out;
      figures.has_profit = m.has_profit;
      figures.profit = m.profit;
      figures.has_users = vf.has_users != 0;
      figures.users = vf.users;
      figures.has_customers = vf.has_customers != 0;
      figures.customers = vf.customers;
      figures.recent_bmi = m.recent;
      const unsigned candidate = CandidateOf(figures);
      auto ref = [&] {
        return ModelRef{std::string(business), std::string(bmil::sdk::ToStringView(raw.id))};
      };

      ++s.models;
      ++s.added_by_state[raw.state < s.added_by_state.size() ? raw.state : 0];
      s.taken_out += m.taken_out;
      for (unsigned todo = m.action_mask & open; todo != 0; todo &= todo - 1)
        CountRow(s.acted_on[std::countr_zero(todo)], true, ref);
      const bool loss_maker = m.has_profit & (m.profit < 0);
      s.with_profit += m.has_profit;
      s.profitable += m.has_profit & (m.profit > 0);
      s.break_even += m.has_profit & (m.profit == 0);
      s.loss_makers += loss_maker;
      s.loss_makers_taken_out += loss_maker & m.taken_out;
      const bool active_loss_maker = loss_maker & !m.taken_out;
      const bool users_without_customers = !m.taken_out & figures.has_users & (figures.users > 0) &
                                           figures.has_customers & (figures.customers == 0);
      const bool carried = !m.taken_out & (figures.carriers > 0);
      CountRow(s.candidate_names[candidate], candidate != 0, ref);
      any_loss |= active_loss_maker;
      any_users |= users_without_customers;
      any_carried |= carried;

      // The model's record, built only when a listing keeps it.
      bool wanted = !s.listed.full();
      wanted |= active_loss_maker & !s.active_loss_makers.full();
      wanted |= users_without_customers & !s.users_without_customers.full();
      wanted |= carried & !s.carried.full();
      wanted |= (candidate != 0) & !s.candidates.full();
      RecordPtr record;
      if (wanted) record = MakeRecord(business, i, candidate, horizon);
      auto get = [&] { return record; };
      CountRow(s.active_loss_makers, active_loss_maker, get);
      CountRow(s.users_without_customers, users_without_customers, get);
      CountRow(s.carried, carried, get);
      CountRow(s.candidates, candidate != 0, get);
      CountRow(s.listed, true, get);
    }
    s.businesses_loss += any_loss;
    s.businesses_users += any_users;
    s.businesses_carried += any_carried;
    for (unsigned a = 0; a < kActionCount; ++a) {
      s.action_models[a] += acting[a];
      if ((open >> a & 1u) == 0) s.acted_on[a].Skip(acting[a]);
    }
  }

  void MergeFrom(const PortfolioAnalyzer& other) {
    State& s = state_;
    const State& o = other.state_;
    s.cases += o.cases;
    s.models += o.models;
    for (const auto& [k, v] : o.models_by_state) s.models_by_state[k] += v;
    for (std::size_t k = 0; k < s.added_by_state.size(); ++k)
      s.added_by_state[k] += o.added_by_state[k];
    s.taken_out += o.taken_out;
    s.with_profit += o.with_profit;
    s.profitable += o.profitable;
    s.break_even += o.break_even;
    s.loss_makers += o.loss_makers;
    s.loss_makers_taken_out += o.loss_makers_taken_out;
    s.carry_links += o.carry_links;
    s.as_is_carries_to_be += o.as_is_carries_to_be;
    for (std::size_t a = 0; a < kActionCount; ++a) {
      s.action_tasks[a] += o.action_tasks[a];
      s.action_models[a] += o.action_models[a];
      s.acted_on[a].Append(o.acted_on[a]);
      s.candidate_names[a].Append(o.candidate_names[a]);
    }
    s.listed.Append(o.listed);
    s.active_loss_makers.Append(o.active_loss_makers);
    s.users_without_customers.Append(o.users_without_customers);
    s.carried.Append(o.carried);
    s.candidates.Append(o.candidates);
    s.links.Append(o.links);
    s.businesses_loss += o.businesses_loss;
    s.businesses_users += o.businesses_users;
    s.businesses_carried += o.businesses_carried;
  }

  Json Finish() const override {
    const State& s = state_;
    ResultBuilder result("portfolio", "Business model portfolio");

    std::string candidates;
    for (unsigned a : kGridOrder) {
      candidates += (candidates.empty() ? "" : ", ") + std::string(bmil::sdk::kActionNames[a]) +
                    " " + std::to_string(s.candidate_names[a].total());
    }
    result.Summary(std::to_string(s.models) + " business models" +
                   (s.cases > 1 ? " in " + std::to_string(s.cases) + " businesses" : "") + ": " +
                   std::to_string(s.with_profit) + " with revenue and cost, " +
                   std::to_string(s.profitable) + " profitable, " + std::to_string(s.loss_makers) +
                   " losing money (" + std::to_string(s.loss_makers_taken_out) +
                   " already taken out); " + std::to_string(s.carried.total()) +
                   " living on other models' earnings. " + "Candidate actions: " + candidates +
                   ".");

    auto metric = [&](const char* id, const char* label, std::int64_t v, const char* unit) {
      result.AddMetric(id, label, static_cast<double>(v), unit);
    };
    metric("businesses", "Businesses", s.cases, "businesses");
    metric("business_models", "Business models", s.models, "business models");
    const auto models_by_state = s.ModelsByState();
    metric("as_is_models", "AS IS business models", Get(models_by_state, "as_is"),
           "business models");
    metric("to_be_models", "TO BE business models", Get(models_by_state, "to_be"),
           "business models");
    metric("taken_out", "Business models taken out (retired or excluded)", s.taken_out,
           "business models");
    metric("models_with_profit", "Business models with revenue and cost stated", s.with_profit,
           "business models");
    metric("profitable", "Profitable business models (profit > 0)", s.profitable,
           "business models");
    metric("break_even", "Business models breaking even (profit = 0)", s.break_even,
           "business models");
    metric("loss_makers", "Loss-making business models (profit < 0)", s.loss_makers,
           "business models");
    metric("loss_makers_taken_out", "Loss-makers already taken out", s.loss_makers_taken_out,
           "business models");
    metric("loss_makers_active", "Loss-makers still in the portfolio", s.active_loss_makers.total(),
           "business models");
    metric("users_without_customers", "Business models with users but no customers",
           s.users_without_customers.total(), "business models");
    metric("carried_models", "Business models carried by others", s.carried.total(),
           "business models");
    metric("carry_links", "carried_by links", s.carry_links, "links");
    metric("as_is_carries_to_be", "Links where an AS IS model carries a TO BE model",
           s.as_is_carries_to_be, "links");
    for (unsigned a = 1; a < kActionCount; ++a) {
      const std::string name(bmil::sdk::kActionNames[a]);
      result.AddMetric("tasks_" + name, "BMI tasks with action " + name,
                       static_cast<double>(s.action_tasks[a]), "tasks");
    }
    result.AddMetric("tasks_action_unstated", "BMI tasks with no action stated",
                     static_cast<double>(s.action_tasks[0]), "tasks");
    for (unsigned a = 1; a < kActionCount; ++a) {
      const std::string name(bmil::sdk::kActionNames[a]);
      result.AddMetric("candidates_" + name, "Candidates for " + name,
                       static_cast<double>(s.candidate_names[a].total()), "business models");
    }

    AddModelTable(result);
    AddActionTables(result);
    AddCarryTable(result);
    AddCandidateTable(result);
    AddFindings(result);
    return result.Take();
  }

  nlohmann::json Save() const override {
    const State& s = state_;
    nlohmann::json out = {{"format", "portfolio/1"},
                          {"cases", s.cases},
                          {"models", s.models},
                          {"models_by_state", s.ModelsByState()},
                          {"taken_out", s.taken_out},
                          {"with_profit", s.with_profit},
                          {"profitable", s.profitable},
                          {"break_even", s.break_even},
                          {"loss_makers", s.loss_makers},
                          {"loss_makers_taken_out", s.loss_makers_taken_out},
                          {"carry_links", s.carry_links},
                          {"as_is_carries_to_be", s.as_is_carries_to_be},
                          {"action_tasks", s.action_tasks},
                          {"action_models", s.action_models}};
    out["acted_on"] = nlohmann::json::array();
    out["candidate_names"] = nlohmann::json::array();
    for (std::size_t a = 0; a < kActionCount; ++a) {
      out["acted_on"].push_back(SaveCapped(s.acted_on[a]));
      out["candidate_names"].push_back(SaveCapped(s.candidate_names[a]));
    }
    out["listed"] = SaveCapped(s.listed);
    out["active_loss_makers"] = SaveCapped(s.active_loss_makers);
    out["users_without_customers"] = SaveCapped(s.users_without_customers);
    out["carried"] = SaveCapped(s.carried);
    out["candidates"] = SaveCapped(s.candidates);
    out["links"] = SaveCapped(s.links);
    out["businesses_with"] = {s.businesses_loss, s.businesses_users, s.businesses_carried};
    return out;
  }

  void Load(const nlohmann::json& in) override {
    if (!in.is_object() || in.value("format", "") != "portfolio/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a portfolio/1 state");
    try {
      State s;
      s.cases = in.at("cases").get<std::int64_t>();
      s.models = in.at("models").get<std::int64_t>();
      s.models_by_state = in.at("models_by_state").get<std::map<std::string, std::int64_t>>();
      s.taken_out = in.at("taken_out").get<std::int64_t>();
      s.with_profit = in.at("with_profit").get<std::int64_t>();
      s.profitable = in.at("profitable").get<std::int64_t>();
      s.break_even = in.at("break_even").get<std::int64_t>();
      s.loss_makers = in.at("loss_makers").get<std::int64_t>();
      s.loss_makers_taken_out = in.at("loss_makers_taken_out").get<std::int64_t>();
      s.carry_links = in.at("carry_links").get<std::int64_t>();
      s.as_is_carries_to_be = in.at("as_is_carries_to_be").get<std::int64_t>();
      s.action_tasks = in.at("action_tasks").get<std::array<std::int64_t, kActionCount>>();
      s.action_models = in.at("action_models").get<std::array<std::int64_t, kActionCount>>();
      const auto& acted_on = in.at("acted_on");
      const auto& candidate_names = in.at("candidate_names");
      if (acted_on.size() != kActionCount || candidate_names.size() != kActionCount)
        throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "portfolio/1 state: bad action lists");
      SetCapacities(s);
      for (std::size_t a = 0; a < kActionCount; ++a) {
        LoadCapped(s.acted_on[a], acted_on[a], RefFromJson);
        LoadCapped(s.candidate_names[a], candidate_names[a], RefFromJson);
      }
      LoadCapped(s.listed, in.at("listed"), RecordFromJson);
      LoadCapped(s.active_loss_makers, in.at("active_loss_makers"), RecordFromJson);
      LoadCapped(s.users_without_customers, in.at("users_without_customers"), RecordFromJson);
      LoadCapped(s.carried, in.at("carried"), RecordFromJson);
      LoadCapped(s.candidates, in.at("candidates"), RecordFromJson);
      LoadCapped(s.links, in.at("links"), LinkFromJson);
      const auto with = in.at("businesses_with").get<std::array<std::int64_t, 3>>();
      s.businesses_loss = with[0];
      s.businesses_users = with[1];
      s.businesses_carried = with[2];
      state_ = std::move(s);
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed portfolio/1 state: ") + e.what());
    }
  }

 private:
  // The ERRC grid's order (eliminate, reduce, raise, create), then keep, which has no twin.
  static constexpr std::array<unsigned, 5> kGridOrder = {BMIL_ACTION_EXCLUDE, BMIL_ACTION_DIMINISH,
                                                         BMIL_ACTION_UPGRADE, BMIL_ACTION_CREATE,
                                                         BMIL_ACTION_KEEP};

  // Everything Finish() needs; merged exactly (counts add up, listings keep their prefix).
  struct State {
    std::int64_t cases = 0;
    std::int64_t models = 0;
    // Models per state name ("" = not stated) as loaded and merged; the models Add() counted
    // since are in added_by_state, indexed by bmil_state. ModelsByState() is their sum.
    std::map<std::string, std::int64_t> models_by_state;
    std::array<std::int64_t, 3> added_by_state{};
    std::int64_t taken_out = 0;
    std::int64_t with_profit = 0, profitable = 0, break_even = 0;
    std::int64_t loss_makers = 0, loss_makers_taken_out = 0;
    std::int64_t carry_links = 0, as_is_carries_to_be = 0;
    std::array<std::int64_t, kActionCount> action_tasks{};   // tasks per action
    std::array<std::int64_t, kActionCount> action_models{};  // models with such a task
    std::array<Capped<ModelRef, kMaxNames>, kActionCount> acted_on;
    std::array<Capped<ModelRef, kMaxNames>, kActionCount> candidate_names;  // total = count
    Capped<RecordPtr> listed;                                               // every model
    Capped<RecordPtr> active_loss_makers;       // profit < 0, not taken out
    Capped<RecordPtr> users_without_customers;  // users > 0, customers == 0, not taken out
    Capped<RecordPtr> carried;                  // carried_by not empty, not taken out
    Capped<RecordPtr> candidates;               // a candidate action
    Capped<CarryLink> links;
    // Businesses with at least one model in each of the three listings above (a business is
    // added whole in one Add(), so shards never share one and merging adds them).
    std::int64_t businesses_loss = 0, businesses_users = 0, businesses_carried = 0;

    // models_by_state with the counts of added_by_state: a state has an entry once a model
    // in it was added (or loaded or merged), as when Add() counted in the map itself.
    std::map<std::string, std::int64_t> ModelsByState() const {
      std::map<std::string, std::int64_t> out = models_by_state;
      for (std::size_t k = 0; k < added_by_state.size(); ++k) {
        if (added_by_state[k] > 0) out[std::string(bmil::sdk::kStateNames[k])] += added_by_state[k];
      }
      return out;
    }
  };

  // One business model of the case being added (see scratch_).
  struct ModelScratch {
    const bmil_business_model_view* raw = nullptr;
    bool has_profit = false;                           // revenue and cost stated
    double profit = 0;                                 // revenue - cost, when has_profit
    std::array<std::int64_t, kActionCount> actions{};  // tasks on the model per action
    unsigned action_mask = 0;                          // bit a: actions[a] > 0
    bool taken_out = false;
    bool recent = false;  // a task on it is active in the business's last year
  };

  // Gives the listings of `s` the capacities of listing_: rows for the tables, evidence lines
  // for the models named per action in the ERRC table.
  void SetCapacities(State& s) const {
    for (std::size_t a = 0; a < kActionCount; ++a) {
      s.acted_on[a].set_capacity(listing_.evidence);
      s.candidate_names[a].set_capacity(listing_.evidence);
    }
    s.listed.set_capacity(listing_.rows);
    s.active_loss_makers.set_capacity(listing_.rows);
    s.users_without_customers.set_capacity(listing_.rows);
    s.carried.set_capacity(listing_.rows);
    s.candidates.set_capacity(listing_.rows);
    s.links.set_capacity(listing_.rows);
  }

  static std::int64_t Get(const std::map<std::string, std::int64_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
  // "<business>/<model>" when more than one business was added, else "<model>".
  std::string Ref(const std::string& business, const std::string& model) const {
    return state_.cases > 1 ? business + "/" + model : model;
  }
  std::string Names(const Capped<ModelRef, kMaxNames>& refs) const {
    std::vector<std::string> names;
    for (const auto& r : refs.items()) names.push_back(Ref(r.business, r.id));
    std::string out = Join(names, ", ");
    const auto more = refs.total() - static_cast<std::int64_t>(refs.items().size());
    if (more > 0) out += " and " + std::to_string(more) + " more";
    return out;
  }

  void AddModelTable(ResultBuilder& result) const {
    auto table = result.AddTable(
        "business_models",
        "Profit, users and actions per business model (" + listing_.RowsWord() + ")",
        {{"business", "Business"},
         {"business_model", "Business model"},
         {"name", "Name"},
         {"state", "State"},
         {"stage", "Stage"},
         {"revenue", "Revenue", "number"},
         {"cost", "Cost", "number"},
         {"profit", "Profit", "number"},
         {"currency", "Currency"},
         {"users", "Users", "number"},
         {"customers", "Customers", "number"},
         {"carried_by", "Carried by"},
         {"in_portfolio", "In portfolio"},
         {"tasks", "BMI tasks", "integer", "tasks"},
         {"create", "Create", "integer", "tasks"},
         {"exclude", "Exclude", "integer", "tasks"},
         {"keep", "Keep", "integer", "tasks"},
         {"upgrade", "Upgrade", "integer", "tasks"},
         {"diminish", "Diminish", "integer", "tasks"},
         {"candidate", "Candidate action"}});
    for (const auto& record : state_.listed.items()) {
      const ModelRecord& m = *record;
      table.AddRow({m.business,
                    m.id,
                    m.name,
                    m.state,
                    m.stage,
                    Optional(m.revenue),
                    Optional(m.cost),
                    Optional(m.profit()),
                    m.currency,
                    Optional(m.users),
                    Optional(m.customers),
                    Join(m.carried_by, ", "),
                    m.taken_out ? "taken out" : "yes",
                    m.tasks(),
                    m.actions[BMIL_ACTION_CREATE],
                    m.actions[BMIL_ACTION_EXCLUDE],
                    m.actions[BMIL_ACTION_KEEP],
                    m.actions[BMIL_ACTION_UPGRADE],
                    m.actions[BMIL_ACTION_DIMINISH],
                    m.candidate});
    }
    table.Chart("bar", "business_model", {"profit"});
  }

  void AddActionTables(ResultBuilder& result) const {
    const State& s = state_;
    auto actions = result.AddTable("actions", "Portfolio actions: taken and candidates",
                                   {{"action", "Action"},
                                    {"errc", "ERRC twin"},
                                    {"tasks", "BMI tasks", "integer", "tasks"},
                                    {"models", "Business models acted on", "integer"},
                                    {"candidates", "Candidate business models", "integer"}});
    for (unsigned a : kGridOrder) {
      const std::string twin = ErrcOf(a).empty() ? "none" : ErrcOf(a);
      actions.AddRow({std::string(bmil::sdk::kActionNames[a]), twin, s.action_tasks[a],
                      s.action_models[a], s.candidate_names[a].total()});
    }
    actions.AddRow({"not stated", "", s.action_tasks[0], s.action_models[0], 0});
    actions.Chart("bar", "action", {"tasks", "candidates"});

    auto errc = result.AddTable(
        "errc", "ERRC view (Blue Ocean): eliminate, reduce, raise, create; keep has no twin",
        {{"errc", "ERRC action"},
         {"action", "bmil action"},
         {"tasks", "BMI tasks", "integer", "tasks"},
         {"acted_on", "Business models acted on"},
         {"candidates", "Candidates", "integer", "business models"},
         {"candidate_models", "Candidate business models"}});
    for (unsigned a : kGridOrder) {
      if (ErrcOf(a).empty()) continue;
      errc.AddRow({ErrcOf(a), std::string(bmil::sdk::kActionNames[a]), s.action_tasks[a],
                   Names(s.acted_on[a]), s.candidate_names[a].total(),
                   Names(s.candidate_names[a])});
    }
    errc.Chart("bar", "errc", {"tasks", "candidates"});
  }

  void AddCarryTable(ResultBuilder& result) const {
    auto table = result.AddTable("carried_models",
                                 "Which models carry which (" + listing_.RowsWord() + " links)",
                                 {{"business", "Business"},
                                  {"business_model", "Carried business model"},
                                  {"state", "State"},
                                  {"profit", "Its profit", "number"},
                                  {"currency", "Currency"},
                                  {"carried_by", "Carried by"},
                                  {"carrier_state", "Carrier state"},
                                  {"carrier_profit", "Carrier profit", "number"},
                                  {"carrier_currency", "Carrier currency"}});
    for (const auto& l : state_.links.items()) {
      table.AddRow({l.business, l.carried, l.carried_state, Optional(l.carried_profit),
                    l.carried_currency, l.carrier, l.carrier_state, Optional(l.carrier_profit),
                    l.carrier_currency});
    }
  }

  void AddCandidateTable(ResultBuilder& result) const {
    auto table = result.AddTable(
        "candidates",
        "Candidate portfolio actions per business model (" + listing_.RowsWord() + ")",
        {{"business", "Business"},
         {"business_model", "Business model"},
         {"state", "State"},
         {"action", "Candidate action"},
         {"errc", "ERRC twin"},
         {"reason", "Reason"},
         {"taken", "Tasks already with this action", "integer", "tasks"}});
    for (const auto& record : state_.candidates.items()) {
      const ModelRecord& m = *record;
      const unsigned a = *bmil::sdk::ValueOf(bmil::sdk::kActionNames, m.candidate);
      const std::string twin = ErrcOf(a).empty() ? "none" : ErrcOf(a);
      table.AddRow({m.business, m.id, m.state, m.candidate, twin, m.Reason(), m.actions[a]});
    }
  }

  static void AddMore(std::vector<std::string>& evidence, std::int64_t total) {
    const auto shown = static_cast<std::int64_t>(evidence.size());
    if (total > shown) evidence.push_back("... and " + std::to_string(total - shown) + " more");
  }

  // "<model> (AS IS)" or "<business>/<model> (TO BE)".
  std::string Label(const ModelRecord& m) const {
    return Ref(m.business, m.id) + " (" + StateLabel(m.state) + ")";
  }

  // "3 business models cost", prefixed by "In 2 of 5 businesses, " when several were added:
  // `businesses` is how many of them have such a model.
  std::string Count(std::int64_t n, std::int64_t businesses, const char* one,
                    const char* many) const {
    const std::string prefix = state_.cases > 1 ? "In " + std::to_string(businesses) + " of " +
                                                      std::to_string(state_.cases) + " businesses, "
                                                : "";
    return prefix + std::to_string(n) + " " + (n == 1 ? one : many);
  }

  void AddFindings(ResultBuilder& result) const {
    const State& s = state_;
    if (s.active_loss_makers.total() > 0) {
      std::vector<std::string> evidence;
      BusinessIds businesses;  // of the models in the evidence
      for (const auto& record : s.active_loss_makers.items()) {
        const ModelRecord& m = *record;
        if (evidence.size() >= listing_.evidence) break;
        businesses.Add(m.business);
        std::string line = Label(m) + ": " + ProfitText(m);
        if (!m.carried_by.empty()) line += "; carried by " + Join(m.carried_by, ", ");
        evidence.push_back(line);
      }
      AddMore(evidence, s.active_loss_makers.total());
      result.AddFinding(
          Severity::kWarning, "portfolio.loss_maker",
          Count(s.active_loss_makers.total(), s.businesses_loss, "business model costs",
                "business models cost") +
              " more than " + (s.active_loss_makers.total() == 1 ? "it earns" : "they earn") +
              " and " + (s.active_loss_makers.total() == 1 ? "is" : "are") +
              " still in the portfolio. Aikon took two such models out; decide for each "
              "whether to exclude it, reduce its cost or change its value formula.",
          evidence, "Lindgren 2012, sec. 3.2.1 (Aikon excluded two models that made no profit)",
          businesses.Take());
    }
    if (s.users_without_customers.total() > 0) {
      std::vector<std::string> evidence;
      BusinessIds businesses;  // of the models in the evidence
      for (const auto& record : s.users_without_customers.items()) {
        const ModelRecord& m = *record;
        if (evidence.size() >= listing_.evidence) break;
        businesses.Add(m.business);
        evidence.push_back(Label(m) + ": " + Quantity(*m.users, "user", "users") + ", " +
                           Quantity(*m.customers, "customer", "customers"));
      }
      AddMore(evidence, s.users_without_customers.total());
      result.AddFinding(
          Severity::kWarning, "portfolio.users_without_customers",
          Count(s.users_without_customers.total(), s.businesses_users, "business model has",
                "business models have") +
              " users but no paying customers. Katalabs counted on users turning into customers "
              "and ran out of money first; plan how users become customers.",
          evidence, "Lindgren 2012, sec. 3.2 (Katalabs)", businesses.Take());
    }
    if (s.carried.total() > 0) {
      std::vector<std::string> evidence;
      BusinessIds businesses;  // of the models in the evidence
      for (const auto& record : s.carried.items()) {
        const ModelRecord& m = *record;
        if (evidence.size() >= listing_.evidence) break;
        businesses.Add(m.business);
        std::vector<std::string> carriers;
        for (std::size_t k = 0; k < m.carried_by.size(); ++k) {
          const std::string& profit = m.carrier_profits[k];
          carriers.push_back(m.carried_by[k] + (profit.empty() ? "" : " (profit " + profit + ")"));
        }
        std::string line = Label(m) + " lives on the earnings of " + Join(carriers, ", ");
        if (m.profit()) line += "; its own profit " + Money(*m.profit(), m.currency);
        evidence.push_back(line);
      }
      AddMore(evidence, s.carried.total());
      result.AddFinding(
          Severity::kInfo, "portfolio.carried_models",
          Count(s.carried.total(), s.businesses_carried, "business model lives",
                "business models live") +
              " on the earnings of other models, as Katalabs kept new models going on the "
              "income of its cancer and Bornholm models. Watch that the carriers can afford it.",
          evidence, "Lindgren 2012, sec. 3.2 (Katalabs)", businesses.Take());
    }
  }

  // Add() helpers ----------------------------------------------------------------

  // Counts a row of `list` when `counted`, building it with make() only when the list has
  // room for it. Once the list is full, counting takes no branch on `counted`.
  template <typename T, std::size_t N, typename Make>
  static void CountRow(Capped<T, N>& list, bool counted, Make make) {
    if (list.full())
      list.Skip(counted);
    else if (counted)
      list.Add(make());
  }

  // The record of model i of the case being added (scratch_ filled) with its candidate action
  // (CandidateOf()); its reason is written when needed (ModelRecord::Reason()).
  RecordPtr MakeRecord(std::string_view business, std::uint32_t i, unsigned candidate,
                       int horizon) {
    const ModelScratch& x = scratch_[i];
    const bmil_business_model_view& raw = *x.raw;
    const std::shared_ptr<ModelRecord> m = records_.Make(business, raw);
    m->actions = x.actions;
    m->taken_out = x.taken_out;
    if (candidate != 0) {
      m->candidate = bmil::sdk::kActionNames[candidate];
      m->reason_pending = true;  // Reason() writes it
      m->last_year = horizon;
    }
    const std::size_t n = scratch_.size();
    for (std::uint32_t k = 0; k < raw.carried_by_count; ++k) {
      const std::uint32_t c = raw.carried_by[k];
      if (c >= n) continue;
      const ModelScratch& carrier = scratch_[c];
      m->carried_by.emplace_back(bmil::sdk::ToStringView(carrier.raw->id));
      m->carrier_profits.push_back(
          carrier.has_profit
              ? Money(carrier.profit, bmil::sdk::ToStringView(carrier.raw->value_formula.currency))
              : "");
      if (candidate == BMIL_ACTION_CREATE && carrier.has_profit && carrier.profit > 0) {
        if (!m->profitable_carriers.empty()) m->profitable_carriers += ", ";
        m->profitable_carriers += m->carried_by.back();
      }
    }
    return m;
  }

  bmil::sdk::Listing listing_ = kDefaultListing;  // configuration: the listing caps
  State state_;
  // Scratch of Add(): one entry per business model of the case (capacity kept across cases).
  std::vector<ModelScratch> scratch_;
  RecordAllocator records_;  // makes the records of Add()
};

}  // namespace

BMIL_PLUGIN(PortfolioAnalyzer)
