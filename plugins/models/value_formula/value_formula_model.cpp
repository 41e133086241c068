// The value formula consequence model (docs/scenarios.md, "The value formula model"): per
// business model and year, revenue, cost, profit and customers from the case's value
// formula, driven by
//   - yearly revenue growth per model and a business-wide cost growth;
//   - the adoption of TO BE models: years to market by stage, then a linear ramp;
//   - the scenario's verbs: changes of an upgrade or diminish phased in over
//     change_ramp_years, an excluded model's exit cost in the first year, a created model
//     adopted as a TO BE one;
//   - the cost of the effort of planned and ongoing BMI tasks;
//   - carried models (Katalabs): a carried model's loss charged to its carriers;
//   - cannibalisation: a TO BE model serving customers an AS IS model serves takes a share
//     of its revenue from that model;
//   - a vertical move into another industry: an uplift of the model's revenue when it
//     succeeds, a one-off cost when it fails, and a failure probability that is higher when
//     the move is made before the model reached the market (Provital, Lindgren 2012,
//     sec. 3.3.1).
// Every default is illustrative (marked so in the layout and the docs) and a scenario's
// driver of the same id replaces it. Evaluate() allocates nothing: the buffers are sized in
// Prepare().
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using bmil::sdk::CaseView;
using bmil::sdk::ModelLayout;
using bmil::sdk::ModelSetup;
using bmil::sdk::ToStringView;

// Fixed drivers, in layout order (the per-model ones follow).
enum Driver : std::size_t {
  kCostGrowth,
  kCostPerPersonMonth,
  kTimeToMarketIdea,
  kTimeToMarketConcept,
  kTimeToMarketPrototype,
  kAdoptionYears,
  kDevelopmentCostShare,
  kChangeRampYears,
  kCannibalisation,
  kIndustryUplift,
  kFailureBeforeMarket,
  kFailureAtMarket,
  kFailureCostShare,
  kFixedDrivers
};

// A figure of the value formula, with the value before the scenario changed it (NaN: not
// changed).
struct Figure {
  double now = 0;
  double from = std::nan("");
  // The value in a year whose share of the change is `phase` (0..1).
  double At(double phase) const { return std::isnan(from) ? now : from + (now - from) * phase; }
};

struct Model {
  std::string id;
  bool excluded = false;  // retired by the scenario: only its exit cost remains
  double exit_cost = 0;
  bool in_market = false;  // AS IS, or at stage market
  bool ramp_now = false;   // reached the market through the scenario: adoption ramps from year 1
  std::size_t time_to_market = kTimeToMarketConcept;  // the driver, for a model not in market
  Figure revenue, cost, customers;
  std::vector<std::size_t> carriers;  // models whose earnings cover this one's loss
  std::vector<std::size_t> overlaps;  // AS IS models serving the same customers (TO BE models)
  bool vertical = false;              // a move into another industry is attempted
  bool vertical_before_market = false;
  std::size_t growth_driver = 0;
  std::size_t chance_driver = 0;
  std::vector<double> effort;  // person-months of planned and ongoing tasks, per year
  bool carries = false;        // some model is carried by this one
  // Output series (index of the first value of each), or SIZE_MAX when not written.
  std::size_t out_revenue = 0, out_cost = 0, out_profit = 0, out_customers = 0;
  std::size_t out_carry = SIZE_MAX;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The member `key` of the object `attributes_json` holds, parsed; null when absent.
nlohmann::json ScenarioRecord(std::string_view attributes_json) {
  if (attributes_json.empty()) return nullptr;
  const nlohmann::json attributes = nlohmann::json::parse(attributes_json, nullptr, false);
  if (!attributes.is_object()) return nullptr;
  const auto it = attributes.find("bmil_scenario");
  return it != attributes.end() && it->is_object() ? *it : nlohmann::json(nullptr);
}

Figure FigureOf(bool stated, double value, const nlohmann::json& record, const char* name) {
  Figure f;
  f.now = stated ? value : 0;
  if (record.is_object() && record.contains("changes") && record["changes"].is_object()) {
    const auto& changes = record["changes"];
    if (auto it = changes.find(name); it != changes.end() && it->is_object()) {
      if (auto from = it->find("from"); from != it->end() && from->is_number())
        f.from = from->get<double>();
    }
  }
  return f;
}

class ValueFormulaModel final : public bmil::sdk::ConsequenceModel {
 public:
  nlohmann::ordered_json Describe() const override {
    return {{"id", "value_formula"},
            {"name", "Value formula consequence model"},
            {"description",
             "Revenue, cost, profit and customers per business model and year from the value "
             "formula of the case a scenario leads to (docs/scenarios.md)."}};
  }

  ModelLayout Prepare(const CaseView& view, const ModelSetup& setup) override {
    years_ = setup.years;
    first_year_ = setup.first_year;
    models_.clear();
    ModelLayout layout;
    const char* illustrative = "illustrative default; set it in the scenario's assumptions";
    layout
        .Fixed("cost_growth", 0.02, "per year",
               std::string("Yearly growth of every model's cost (") + illustrative + ")")
        .Fixed("cost_per_person_month", 8000, "currency per person-month",
               std::string("Cost of one person-month of BMI task effort (") + illustrative + ")")
        .Driver("time_to_market.idea", "years",
                "Years an idea-stage TO BE model needs to reach "
                "the market",
                {{"distribution", "triangular"}, {"min", 2}, {"mode", 3}, {"max", 5}})
        .Driver("time_to_market.concept", "years", "Years a concept-stage TO BE model needs",
                {{"distribution", "triangular"}, {"min", 1}, {"mode", 2}, {"max", 4}})
        .Driver("time_to_market.prototype", "years", "Years a prototype-stage TO BE model needs",
                {{"distribution", "triangular"}, {"min", 0.5}, {"mode", 1}, {"max", 2}})
        .Driver("adoption_years", "years", "Years from market entry to the full value formula",
                {{"distribution", "triangular"}, {"min", 1}, {"mode", 2}, {"max", 4}})
        .Fixed("development_cost_share", 0.3, "share",
               "Share of its stated cost a TO BE model costs before it earns (illustrative)")
        .Fixed("change_ramp_years", 2, "years",
               "Years an upgrade's or diminish's changes take to work fully (illustrative)")
        .Driver("cannibalisation", "share",
                "Share of a TO BE model's revenue taken from AS IS models serving the same "
                "customers",
                {{"distribution", "pert"}, {"min", 0}, {"mode", 0.1}, {"max", 0.3}})
        .Driver("industry_uplift", "share",
                "Revenue a successful move into another industry adds, as a share of the "
                "model's revenue",
                {{"distribution", "triangular"}, {"min", 0.1}, {"mode", 0.3}, {"max", 0.6}})
        .Fixed("failure.before_market", 0.6, "probability",
               "Probability that a move into another industry fails when made before the "
               "model reached the market (illustrative; Lindgren 2012, sec. 3.3.1)")
        .Fixed("failure.at_market", 0.2, "probability",
               "Probability that a move into another industry fails once the model is in the "
               "market (illustrative)")
        .Fixed("failure_cost_share", 0.25, "share",
               "One-off cost of a failed move, as a share of the model's yearly cost "
               "(illustrative)");
    std::size_t next_driver = kFixedDrivers;

    const auto customers_block = view.block_index("customers");
    std::vector<std::vector<std::string>> customer_items;
    std::vector<std::size_t> index_of(view.business_model_count(), SIZE_MAX);
    for (std::uint32_t i = 0; i < view.business_model_count(); ++i) {
      const auto bm = view.business_model(i);
      const nlohmann::json record = ScenarioRecord(bm.attributes_json());
      const bool excluded = record.is_object() && record.value("excluded", false);
      if (bm.stage() == BMIL_STAGE_RETIRED && !excluded) continue;  // out before the scenario
      Model m;
      m.id = std::string(bm.id());
      m.excluded = excluded;
      if (excluded && record.contains("exit_cost") && record["exit_cost"].is_number())
        m.exit_cost = record["exit_cost"].get<double>();
      m.in_market = bm.state() == BMIL_STATE_AS_IS || bm.stage() == BMIL_STAGE_MARKET;
      // A model the scenario brought to the market that was not earning before (TO BE):
      // its adoption starts now. One that was AS IS already keeps earning.
      const std::string state_from =
          record.is_object() && record.contains("state_from") && record["state_from"].is_string()
              ? record["state_from"].get<std::string>()
              : "";
      m.ramp_now = m.in_market && !state_from.empty();
      if (bm.stage() == BMIL_STAGE_IDEA) m.time_to_market = kTimeToMarketIdea;
      if (bm.stage() == BMIL_STAGE_PROTOTYPE) m.time_to_market = kTimeToMarketPrototype;
      const bmil_value_formula_view& vf = bm.value_formula();
      m.revenue = FigureOf(vf.has_revenue != 0, vf.revenue, record, "revenue");
      m.cost = FigureOf(vf.has_cost != 0, vf.cost, record, "cost");
      m.customers = FigureOf(vf.has_customers != 0, vf.customers, record, "customers");
      // A move into another industry is made before the model reached the market when its
      // stage (after the scenario's earlier moves) is before market, or, with no stage
      // stated, when it is TO BE.
      const bool stage_before_market =
          bm.stage() == BMIL_STAGE_IDEA || bm.stage() == BMIL_STAGE_CONCEPT ||
          bm.stage() == BMIL_STAGE_PROTOTYPE ||
          (bm.stage() == BMIL_STAGE_UNSTATED && bm.state() == BMIL_STATE_TO_BE);
      for (std::uint32_t k = 0; k < bm.raw().industry_count; ++k) {
        if (bm.raw().industries[k].status == BMIL_INDUSTRY_ATTEMPTED) {
          m.vertical = true;
          m.vertical_before_market = stage_before_market;
        }
      }
      m.effort.assign(years_, 0.0);
      std::vector<std::string> items;
      if (customers_block && bm.block(*customers_block).present != 0) {
        const bmil_block_view& block = bm.block(*customers_block);
        for (std::uint32_t k = 0; k < block.item_count; ++k)
          items.push_back(Lower(ToStringView(block.items[k])));
      }
      index_of[i] = models_.size();
      customer_items.push_back(std::move(items));
      models_.push_back(std::move(m));
    }
    // Links between the kept models: carriers, customers served by two models.
    for (std::uint32_t i = 0; i < view.business_model_count(); ++i) {
      if (index_of[i] == SIZE_MAX) continue;
      Model& m = models_[index_of[i]];
      const auto& raw = view.business_model(i).raw();
      for (std::uint32_t k = 0; k < raw.carried_by_count; ++k) {
        const std::uint32_t carrier = raw.carried_by[k];
        if (carrier < index_of.size() && index_of[carrier] != SIZE_MAX &&
            !models_[index_of[carrier]].excluded && !m.excluded) {
          m.carriers.push_back(index_of[carrier]);
          models_[index_of[carrier]].carries = true;
        }
      }
    }
    for (std::size_t n = 0; n < models_.size(); ++n) {
      if (models_[n].excluded || models_[n].in_market) continue;
      for (std::size_t o = 0; o < models_.size(); ++o) {
        if (o == n || models_[o].excluded || !models_[o].in_market) continue;
        const auto& a = customer_items[n];
        const auto& b = customer_items[o];
        const bool shared = std::any_of(a.begin(), a.end(), [&](const std::string& item) {
          return std::find(b.begin(), b.end(), item) != b.end();
        });
        if (shared) models_[n].overlaps.push_back(o);
      }
    }
    // Effort of planned and ongoing tasks, spread over the years of their period within the
    // horizon (a task without a start year: the first year).
    const int last_year = first_year_ + static_cast<int>(years_) - 1;
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      const auto task = view.task(t);
      if (task.status() != BMIL_TASK_STATUS_PLANNED && task.status() != BMIL_TASK_STATUS_ONGOING)
        continue;
      const double effort = task.effort().value_or(0);
      const std::uint32_t bm = task.business_model_index();
      if (effort <= 0 || bm >= index_of.size() || index_of[bm] == SIZE_MAX) continue;
      const int start = std::max(task.start_year().value_or(first_year_), first_year_);
      const int end_stated = task.raw().end_year == 0 ? start : task.raw().end_year;
      const int end = std::min(std::max(end_stated, start), last_year);
      if (start > last_year) continue;
      const double per_year = effort / (end - start + 1);
      for (int y = start; y <= end; ++y)
        models_[index_of[bm]].effort[static_cast<std::size_t>(y - first_year_)] += per_year;
    }
    // Per-model drivers and the series.
    for (Model& m : models_) {
      if (m.excluded) continue;
      m.growth_driver = next_driver++;
      layout.Driver(
          "growth." + m.id, "per year",
          "Yearly revenue growth of " + m.id + " (illustrative default)",
          {{"distribution", "triangular"}, {"min", -0.05}, {"mode", 0.02}, {"max", 0.08}});
    }
    for (Model& m : models_) {
      if (m.excluded || !m.vertical) continue;
      m.chance_driver = next_driver++;
      layout.Driver("chance." + m.id, "probability",
                    "The draw that decides whether " + m.id +
                        "'s move into another industry fails (it fails when the draw is below "
                        "the failure probability); keep it uniform on 0..1",
                    {{"distribution", "uniform"}, {"min", 0}, {"max", 1}});
    }
    std::size_t series = 0;
    auto add = [&](const char* kpi, const std::string& model, const char* unit,
                   const std::string& label) {
      layout.Series(kpi, model, unit, label);
      return (series++) * years_;
    };
    for (Model& m : models_) {
      m.out_revenue = add("revenue", m.id, "currency", "Revenue of " + m.id);
      m.out_cost = add("cost", m.id, "currency", "Cost of " + m.id);
      m.out_profit = add("profit", m.id, "currency", "Profit of " + m.id);
      m.out_customers = add("customers", m.id, "customers", "Customers of " + m.id);
      if (m.carries)
        m.out_carry = add("carry", m.id, "currency", "Losses of carried models charged to " + m.id);
    }
    out_revenue_ = add("revenue", "", "currency", "Revenue of the business");
    out_cost_ = add("cost", "", "currency", "Cost of the business");
    out_profit_ = add("profit", "", "currency", "Profit of the business");
    out_customers_ = add("customers", "", "customers", "Customers of the business");
    out_bmi_cost_ = add("bmi_cost", "", "currency", "Cost of BMI task effort");
    return layout;
  }

  void Evaluate(std::span<const double> d, std::span<double> out) override {
    std::fill(out.begin(), out.end(), 0.0);
    const double adoption_years = std::max(d[kAdoptionYears], 0.25);
    const double change_ramp = d[kChangeRampYears];
    const double dev_share = std::clamp(d[kDevelopmentCostShare], 0.0, 1.0);
    for (const Model& m : models_) {
      double* revenue = &out[m.out_revenue];
      double* cost = &out[m.out_cost];
      double* customers = &out[m.out_customers];
      if (m.excluded) {
        if (years_ > 0) cost[0] = m.exit_cost;
        continue;
      }
      const double growth = d[m.growth_driver];
      const double to_market = m.in_market ? 0.0 : std::max(d[m.time_to_market], 0.0);
      bool failed = false;
      if (m.vertical) {
        const double p = m.vertical_before_market ? d[kFailureBeforeMarket] : d[kFailureAtMarket];
        failed = d[m.chance_driver] < p;
      }
      double revenue_factor = 1, cost_factor = 1;
      for (std::uint32_t y = 0; y < years_; ++y) {
        const double t = y + 1.0;  // years since the scenario began, at the year's end
        revenue_factor *= 1 + growth;
        cost_factor *= 1 + d[kCostGrowth];
        double adoption = 1;
        if (!m.in_market || m.ramp_now)
          adoption = std::clamp((t - to_market) / adoption_years, 0.0, 1.0);
        const double phase = change_ramp <= 0 ? 1.0 : std::min(1.0, t / change_ramp);
        double r = m.revenue.At(phase) * revenue_factor * adoption;
        if (m.vertical && !failed) r *= 1 + d[kIndustryUplift] * adoption;
        revenue[y] = r;
        customers[y] = m.customers.At(phase) * revenue_factor * adoption;
        double c = m.cost.At(phase) * cost_factor * std::max(adoption, dev_share);
        if (m.vertical && failed && y == 0) c += d[kFailureCostShare] * m.cost.At(phase);
        const double effort_cost = m.effort[y] * d[kCostPerPersonMonth];
        cost[y] = c + effort_cost;
        out[out_bmi_cost_ + y] += effort_cost;
      }
    }
    // Cannibalisation: a TO BE model's revenue partly comes from the AS IS models it shares
    // customers with.
    const double share = std::clamp(d[kCannibalisation], 0.0, 1.0);
    for (const Model& n : models_) {
      if (n.overlaps.empty() || share == 0) continue;
      for (std::size_t o : n.overlaps) {
        double* victim = &out[models_[o].out_revenue];
        for (std::uint32_t y = 0; y < years_; ++y) {
          const double taken =
              share * out[n.out_revenue + y] / static_cast<double>(n.overlaps.size());
          victim[y] = std::max(0.0, victim[y] - taken);
        }
      }
    }
    for (const Model& m : models_) {
      for (std::uint32_t y = 0; y < years_; ++y) {
        const double profit = out[m.out_revenue + y] - out[m.out_cost + y];
        out[m.out_profit + y] = profit;
        out[out_revenue_ + y] += out[m.out_revenue + y];
        out[out_cost_ + y] += out[m.out_cost + y];
        out[out_customers_ + y] += out[m.out_customers + y];
        if (profit < 0 && !m.carriers.empty()) {
          const double each = -profit / static_cast<double>(m.carriers.size());
          for (std::size_t c : m.carriers) out[models_[c].out_carry + y] += each;
        }
      }
    }
    for (std::uint32_t y = 0; y < years_; ++y)
      out[out_profit_ + y] = out[out_revenue_ + y] - out[out_cost_ + y];
  }

 private:
  std::uint32_t years_ = 0;
  std::int32_t first_year_ = 0;
  std::vector<Model> models_;
  std::size_t out_revenue_ = 0, out_cost_ = 0, out_profit_ = 0, out_customers_ = 0,
              out_bmi_cost_ = 0;
};

}  // namespace

BMIL_PLUGIN(ValueFormulaModel)
