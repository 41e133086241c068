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
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::CaseView;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

// Listing tables keep the first this many rows in case order; metrics count every row.
constexpr std::size_t kMaxRows = 200;
// A finding lists at most this many evidence lines, then says how many more there are.
constexpr std::size_t kMaxEvidence = 10;
// The ERRC table names at most this many models per action.
constexpr std::size_t kMaxNames = 10;

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

// The first N items of a sequence in case order, and the count of all of them.
template <typename T, std::size_t N = kMaxRows>
using Capped = bmil::sdk::CappedList<T, N>;

// An amount with thousands separators, two decimals only when it has cents.
std::string FormatNumber(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", std::fabs(value));
  std::string digits(buffer);
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

std::string Money(double value, const std::string& currency) {
  return FormatNumber(value) + (currency.empty() ? "" : " " + currency);
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
  std::string reason;

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
// Each returns the reason when the rule applies to an active (not taken out) model.

struct ModelFacts {
  const ModelRecord* model;
  bool recent_bmi;  // a task on it is active in the business's last year
  int last_year;    // that year: the latest any task names; 0 when none does
  bool carried_by_profitable;
  std::string profitable_carriers;
};

std::string ProfitText(const ModelRecord& m) {
  return "revenue " + Money(*m.revenue, m.currency) + ", cost " + Money(*m.cost, m.currency) +
         ", profit " + Money(*m.profit(), m.currency);
}

// exclude: it loses money (profit < 0) and no other model is recorded as carrying it.
// Aikon took its glass kitchen and health information system out for making no profit.
std::optional<std::string> ExcludeRule(const ModelFacts& f) {
  const ModelRecord& m = *f.model;
  if (!m.profit() || *m.profit() >= 0 || !m.carried_by.empty()) return std::nullopt;
  return "loses money (" + ProfitText(m) + ") and no other model carries it";
}

// create: a TO BE model at idea or concept stage carried by at least one profitable model:
// the business can afford to bring it to market.
std::optional<std::string> CreateRule(const ModelFacts& f) {
  const ModelRecord& m = *f.model;
  if (m.state != "to_be" || (m.stage != "idea" && m.stage != "concept") || !f.carried_by_profitable)
    return std::nullopt;
  return "TO BE model at " + m.stage + " stage, financed by profitable " + f.profitable_carriers;
}

// diminish: it loses money and lives on other models' earnings: reduce what it costs.
std::optional<std::string> DiminishRule(const ModelFacts& f) {
  const ModelRecord& m = *f.model;
  if (!m.profit() || *m.profit() >= 0 || m.carried_by.empty()) return std::nullopt;
  return "loses money (" + ProfitText(m) + ") and lives on the earnings of " +
         Join(m.carried_by, ", ");
}

bool HasUsers(const ModelRecord& m) {
  return (m.users && *m.users > 0) || (m.customers && *m.customers > 0);
}

// upgrade: an AS IS model with profit > 0 and users (or customers) but no BMI task active
// in the business's last year: a working model nobody is developing.
std::optional<std::string> UpgradeRule(const ModelFacts& f) {
  const ModelRecord& m = *f.model;
  if (m.state != "as_is" || !m.profit() || *m.profit() <= 0 || !HasUsers(m) || f.recent_bmi)
    return std::nullopt;
  std::string users;
  if (m.users && *m.users > 0) users = Quantity(*m.users, "user", "users");
  if (m.customers && *m.customers > 0)
    users += (users.empty() ? "" : " and ") + Quantity(*m.customers, "customer", "customers");
  return "profitable (" + ProfitText(m) + ") with " + users +
         (f.last_year == 0 ? ", but no BMI task at all"
                           : ", but no BMI task active in " + std::to_string(f.last_year) +
                                 ", the latest year of the business's tasks");
}

// keep: an AS IS model with profit > 0 (that the upgrade rule did not pick).
std::optional<std::string> KeepRule(const ModelFacts& f) {
  const ModelRecord& m = *f.model;
  if (m.state != "as_is" || !m.profit() || *m.profit() <= 0) return std::nullopt;
  return "profitable (" + ProfitText(m) + ")";
}

// The first rule that applies, in this order (each model gets at most one candidate
// action): exclude, create, diminish, upgrade, keep. Create comes before diminish because
// an idea- or concept-stage model is expected to cost before it earns; its question is
// whether to build it, not how to shrink it.
std::pair<std::string, std::string> Candidate(const ModelFacts& f) {
  if (f.model->taken_out) return {};
  if (auto r = ExcludeRule(f)) return {"exclude", *r};
  if (auto r = CreateRule(f)) return {"create", *r};
  if (auto r = DiminishRule(f)) return {"diminish", *r};
  if (auto r = UpgradeRule(f)) return {"upgrade", *r};
  if (auto r = KeepRule(f)) return {"keep", *r};
  return {};
}

// Whether a task is active in `year`, by the orchestration analyzer's rule (the same on
// purpose): from its start year to its end year; without an end year, to `horizon` (the
// latest year the business's tasks name) unless it is completed or abandoned, then only in
// its start year; never without a start year.
bool ActiveIn(const bmil_task_view& task, int year, int horizon) {
  if (task.start_year == 0) return false;
  int last = task.end_year;
  if (last == 0) {
    last = task.status == BMIL_TASK_STATUS_COMPLETED || task.status == BMIL_TASK_STATUS_ABANDONED
               ? task.start_year
               : std::max(static_cast<int>(task.start_year), horizon);
  }
  return task.start_year <= year && year <= last;
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
          {"reason", m.reason}};
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
template <typename T, std::size_t N, typename F>
Capped<T, N> LoadCapped(const nlohmann::json& j, F load) {
  // Refuses (rather than clamps, as Restore() would) a listing of a bad size.
  const auto total = j.at("total").get<std::int64_t>();
  std::vector<T> items;
  for (const auto& item : j.at("items")) items.push_back(load(item));
  if (items.size() > N || total < static_cast<std::int64_t>(items.size()))
    throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "portfolio/1 state: bad listing size");
  Capped<T, N> capped;
  capped.Restore(std::move(items), total);
  return capped;
}

// ----------------------------------------------------------------------- the analyzer

class PortfolioAnalyzer final : public bmil::sdk::MergeableAnalyzer<PortfolioAnalyzer> {
 public:
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

  void Add(const CaseView& view) override {
    State& s = state_;
    ++s.cases;
    const std::string business(view.id());
    const std::size_t n = view.business_model_count();

    int horizon = 0;
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const bmil_task_view& raw = view.task(t).raw();
      horizon =
          std::max({horizon, static_cast<int>(raw.start_year), static_cast<int>(raw.end_year)});
    }

    std::vector<ModelRecord> models(n);
    std::vector<bool> recent(n, false);
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto bm = view.business_model(i);
      ModelRecord& m = models[i];
      m.business = business;
      m.id = std::string(bm.id());
      m.name = std::string(bm.name());
      m.state = std::string(bm.state_name());
      m.stage = std::string(bmil::sdk::NameOf(bmil::sdk::kStageNames, bm.stage()));
      const bmil_value_formula_view& vf = bm.value_formula();
      m.currency = std::string(bmil::sdk::ToStringView(vf.currency));
      if (vf.has_revenue) m.revenue = vf.revenue;
      if (vf.has_cost) m.cost = vf.cost;
      if (vf.has_users) m.users = vf.users;
      if (vf.has_customers) m.customers = vf.customers;
      m.taken_out = bm.stage() == BMIL_STAGE_RETIRED;
    }
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const auto task = view.task(t);
      const auto i = task.business_model_index();
      if (i >= n) continue;
      const unsigned action = task.action() < kActionCount ? task.action() : 0;
      ++models[i].actions[action];
      ++s.action_tasks[action];
      // A whole model is taken out by an exclusion at model, portfolio or business level
      // (sec. 3.2.1: Aikon's exclusions were of whole models, out of the portfolio).
      if (task.action() == BMIL_ACTION_EXCLUDE &&
          (task.level() == BMIL_LEVEL_BUSINESS_MODEL || task.level() == BMIL_LEVEL_PORTFOLIO ||
           task.level() == BMIL_LEVEL_BUSINESS))
        models[i].taken_out = true;
      if (horizon == 0 || ActiveIn(task.raw(), horizon, horizon)) recent[i] = true;
    }
    // carried_by, with each carrier's profit for the evidence.
    for (std::uint32_t i = 0; i < n; ++i) {
      const bmil_business_model_view& raw = view.business_model(i).raw();
      for (std::uint32_t k = 0; k < raw.carried_by_count; ++k) {
        const std::uint32_t c = raw.carried_by[k];
        if (c >= n) continue;
        const ModelRecord& carrier = models[c];
        models[i].carried_by.push_back(carrier.id);
        models[i].carrier_profits.push_back(
            carrier.profit() ? Money(*carrier.profit(), carrier.currency) : "");
        ++s.carry_links;
        if (carrier.state == "as_is" && models[i].state == "to_be") ++s.as_is_carries_to_be;
        s.links.Add({business, models[i].id, models[i].state, models[i].currency,
                     models[i].profit(), carrier.id, carrier.state, carrier.currency,
                     carrier.profit()});
      }
    }

    for (std::uint32_t i = 0; i < n; ++i) {
      ModelRecord& m = models[i];
      ModelFacts facts{&m, recent[i], horizon, false, ""};
      const bmil_business_model_view& raw = view.business_model(i).raw();
      std::vector<std::string> profitable;
      for (std::uint32_t k = 0; k < raw.carried_by_count; ++k) {
        const std::uint32_t c = raw.carried_by[k];
        if (c < n && models[c].profit() && *models[c].profit() > 0)
          profitable.push_back(models[c].id);
      }
      facts.carried_by_profitable = !profitable.empty();
      facts.profitable_carriers = Join(profitable, ", ");
      std::tie(m.candidate, m.reason) = Candidate(facts);

      ++s.models;
      ++s.models_by_state[m.state];
      if (m.taken_out) ++s.taken_out;
      for (unsigned a = 0; a < kActionCount; ++a) {
        if (m.actions[a] == 0) continue;
        ++s.action_models[a];
        s.acted_on[a].Add({business, m.id});
      }
      if (const auto profit = m.profit()) {
        ++s.with_profit;
        if (*profit > 0) ++s.profitable;
        if (*profit == 0) ++s.break_even;
        if (*profit < 0) {
          ++s.loss_makers;
          if (m.taken_out)
            ++s.loss_makers_taken_out;
          else
            s.active_loss_makers.Add(m);
        }
      }
      if (!m.taken_out && m.users && *m.users > 0 && m.customers && *m.customers == 0)
        s.users_without_customers.Add(m);
      if (!m.taken_out && !m.carried_by.empty()) s.carried.Add(m);
      if (!m.candidate.empty()) {
        const unsigned a = *bmil::sdk::ValueOf(bmil::sdk::kActionNames, m.candidate);
        s.candidates.Add(m);
        s.candidate_names[a].Add({business, m.id});
      }
      s.listed.Add(m);  // a copy: later models still read this one as a carrier
    }
  }

  void MergeFrom(const PortfolioAnalyzer& other) {
    State& s = state_;
    const State& o = other.state_;
    s.cases += o.cases;
    s.models += o.models;
    for (const auto& [k, v] : o.models_by_state) s.models_by_state[k] += v;
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
    metric("as_is_models", "AS IS business models", Get(s.models_by_state, "as_is"),
           "business models");
    metric("to_be_models", "TO BE business models", Get(s.models_by_state, "to_be"),
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
                          {"models_by_state", s.models_by_state},
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
      for (std::size_t a = 0; a < kActionCount; ++a) {
        s.acted_on[a] = LoadCapped<ModelRef, kMaxNames>(acted_on[a], RefFromJson);
        s.candidate_names[a] = LoadCapped<ModelRef, kMaxNames>(candidate_names[a], RefFromJson);
      }
      s.listed = LoadCapped<ModelRecord, kMaxRows>(in.at("listed"), ModelFromJson);
      s.active_loss_makers =
          LoadCapped<ModelRecord, kMaxRows>(in.at("active_loss_makers"), ModelFromJson);
      s.users_without_customers =
          LoadCapped<ModelRecord, kMaxRows>(in.at("users_without_customers"), ModelFromJson);
      s.carried = LoadCapped<ModelRecord, kMaxRows>(in.at("carried"), ModelFromJson);
      s.candidates = LoadCapped<ModelRecord, kMaxRows>(in.at("candidates"), ModelFromJson);
      s.links = LoadCapped<CarryLink, kMaxRows>(in.at("links"), LinkFromJson);
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
    std::map<std::string, std::int64_t> models_by_state;  // "" = not stated
    std::int64_t taken_out = 0;
    std::int64_t with_profit = 0, profitable = 0, break_even = 0;
    std::int64_t loss_makers = 0, loss_makers_taken_out = 0;
    std::int64_t carry_links = 0, as_is_carries_to_be = 0;
    std::array<std::int64_t, kActionCount> action_tasks{};   // tasks per action
    std::array<std::int64_t, kActionCount> action_models{};  // models with such a task
    std::array<Capped<ModelRef, kMaxNames>, kActionCount> acted_on;
    std::array<Capped<ModelRef, kMaxNames>, kActionCount> candidate_names;  // total = count
    Capped<ModelRecord> listed;                                             // every model
    Capped<ModelRecord> active_loss_makers;       // profit < 0, not taken out
    Capped<ModelRecord> users_without_customers;  // users > 0, customers == 0, not taken out
    Capped<ModelRecord> carried;                  // carried_by not empty, not taken out
    Capped<ModelRecord> candidates;               // a candidate action
    Capped<CarryLink> links;
  };

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
        "Profit, users and actions per business model (first " + std::to_string(kMaxRows) + ")",
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
    for (const auto& m : state_.listed.items()) {
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
    auto table = result.AddTable(
        "carried_models", "Which models carry which (first " + std::to_string(kMaxRows) + " links)",
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
        "Candidate portfolio actions per business model (first " + std::to_string(kMaxRows) + ")",
        {{"business", "Business"},
         {"business_model", "Business model"},
         {"state", "State"},
         {"action", "Candidate action"},
         {"errc", "ERRC twin"},
         {"reason", "Reason"},
         {"taken", "Tasks already with this action", "integer", "tasks"}});
    for (const auto& m : state_.candidates.items()) {
      const unsigned a = *bmil::sdk::ValueOf(bmil::sdk::kActionNames, m.candidate);
      const std::string twin = ErrcOf(a).empty() ? "none" : ErrcOf(a);
      table.AddRow({m.business, m.id, m.state, m.candidate, twin, m.reason, m.actions[a]});
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

  // "3 business models cost", prefixed by "In 2 businesses, " when several were added.
  std::string Count(std::int64_t n, const char* one, const char* many) const {
    const std::string prefix =
        state_.cases > 1 ? "In " + std::to_string(state_.cases) + " businesses, " : "";
    return prefix + std::to_string(n) + " " + (n == 1 ? one : many);
  }

  void AddFindings(ResultBuilder& result) const {
    const State& s = state_;
    if (s.active_loss_makers.total() > 0) {
      std::vector<std::string> evidence;
      for (const auto& m : s.active_loss_makers.items()) {
        if (evidence.size() >= kMaxEvidence) break;
        std::string line = Label(m) + ": " + ProfitText(m);
        if (!m.carried_by.empty()) line += "; carried by " + Join(m.carried_by, ", ");
        evidence.push_back(line);
      }
      AddMore(evidence, s.active_loss_makers.total());
      result.AddFinding(
          Severity::kWarning, "portfolio.loss_maker",
          Count(s.active_loss_makers.total(), "business model costs", "business models cost") +
              " more than " + (s.active_loss_makers.total() == 1 ? "it earns" : "they earn") +
              " and " + (s.active_loss_makers.total() == 1 ? "is" : "are") +
              " still in the portfolio. Aikon took two such models out; decide for each "
              "whether to exclude it, reduce its cost or change its value formula.",
          evidence, "Lindgren 2012, sec. 3.2.1 (Aikon excluded two models that made no profit)");
    }
    if (s.users_without_customers.total() > 0) {
      std::vector<std::string> evidence;
      for (const auto& m : s.users_without_customers.items()) {
        if (evidence.size() >= kMaxEvidence) break;
        evidence.push_back(Label(m) + ": " + Quantity(*m.users, "user", "users") + ", " +
                           Quantity(*m.customers, "customer", "customers"));
      }
      AddMore(evidence, s.users_without_customers.total());
      result.AddFinding(
          Severity::kWarning, "portfolio.users_without_customers",
          Count(s.users_without_customers.total(), "business model has", "business models have") +
              " users but no paying customers. Katalabs counted on users turning into customers "
              "and ran out of money first; plan how users become customers.",
          evidence, "Lindgren 2012, sec. 3.2 (Katalabs)");
    }
    if (s.carried.total() > 0) {
      std::vector<std::string> evidence;
      for (const auto& m : s.carried.items()) {
        if (evidence.size() >= kMaxEvidence) break;
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
          Count(s.carried.total(), "business model lives", "business models live") +
              " on the earnings of other models, as Katalabs kept new models going on the "
              "income of its cancer and Bornholm models. Watch that the carriers can afford it.",
          evidence, "Lindgren 2012, sec. 3.2 (Katalabs)");
    }
  }

  State state_;
};

}  // namespace

BMIL_PLUGIN(PortfolioAnalyzer)
