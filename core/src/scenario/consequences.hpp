// The financial consequences of scenarios (docs/scenarios.md, "Consequences"): a consequence
// model plugin (ABI 1.1) is prepared on each applied case, the host samples the drivers
// (sampler.hpp: Latin hypercube or Sobol', seeded, rank correlations by Iman-Conover) and
// evaluates every draw, then summarises: P10/P50/P90 per KPI series and year, the NPV of the
// business's profit, the probability of a loss, a one-at-a-time tornado and the Spearman rank
// sensitivity of each driver; across scenarios, P(best), regret and P(A beats B).
//
// Common random numbers: every scenario is sampled from the same seed, and a driver's column
// depends only on its id, its distribution and the seed (sampler.hpp), so two scenarios that
// share a driver see the same values of it draw by draw: "A minus B" has low variance, and
// two identical scenarios differ by exactly zero. Results depend on the seed and the number
// of draws only, never on the number of threads.
#ifndef BMIL_CORE_SCENARIO_CONSEQUENCES_HPP_
#define BMIL_CORE_SCENARIO_CONSEQUENCES_HPP_

#include <bmil/abi.h>
#include <bmil/plugin_host.hpp>

#include "scenario/sampler.hpp"
#include "scenario/scenario.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bmil::scenario {

// A model's layout (abi.h, prepare()), checked.
struct LayoutDriver {
  std::string id;
  std::string description;
  std::string unit;
  Distribution distribution;
  bool from_scenario = false;  // the scenario's driver of this id replaced the model's default
};
struct LayoutSeries {
  std::string id;
  std::string kpi;
  std::string business_model;  // "" for the whole business
  std::string unit;
  std::string label;
};
struct Layout {
  std::vector<LayoutDriver> drivers;
  std::vector<LayoutSeries> series;
  // The index of the business's profit series ({"kpi": "profit"} without a business model),
  // whose net present value the comparison ranks by; nullopt when the model has none.
  std::optional<std::size_t> profit;
};

// Limits on what a model may declare and what a run may hold.
struct ModelLimits {
  std::size_t max_drivers = 2000;
  std::size_t max_series = 20000;
  // draws x series x years of one scenario: 2^26 values (512 MiB).
  std::size_t max_values = std::size_t{1} << 26;
};

// Reads a model's prepare() output; a message naming the member on failure.
std::variant<Layout, std::string> ParseLayout(const nlohmann::json& json,
                                              const ModelLimits& limits = {});

// Checks a distribution's parameters as the scenario reader does; "" when valid.
std::string DistributionProblem(const Distribution& d);

struct RunOptions {
  SamplerOptions sampler;
  unsigned threads = 1;  // instances evaluating draws in parallel (in-process models)
  std::int32_t first_year = 1;
  std::uint32_t years = 5;
  double discount_rate = 0.08;
  ModelLimits limits;
};

struct Band {
  double mean = 0, p10 = 0, p50 = 0, p90 = 0;
};

struct TornadoBar {
  std::string driver;
  double low = 0, high = 0;          // the driver's P10 and P90
  double npv_low = 0, npv_high = 0;  // NPV with the driver there and every other at its median
  double swing() const { return npv_high > npv_low ? npv_high - npv_low : npv_low - npv_high; }
};

// One scenario's consequences.
struct Consequences {
  std::string label;  // the scenario's id ("base" for the base case)
  Layout layout;      // with the scenario's drivers in place of the model's defaults
  std::vector<std::string> unused_drivers;  // the scenario's drivers the model does not read
  std::vector<Correlation> correlations;    // the scenario's, among drivers the model reads
  Sample sample;                            // draws x layout drivers
  std::vector<double> values;               // draws x series x years
  std::vector<double> npv;                  // per draw (empty without a profit series)
  std::vector<std::vector<Band>> bands;     // per series, per year
  Band npv_band;
  double loss_probability = 0;      // P(NPV < 0)
  std::vector<TornadoBar> tornado;  // by swing, largest first; none that moves nothing
  std::vector<std::pair<std::string, double>> rank_sensitivity;  // Spearman(driver, NPV)
  double value(std::size_t draw, std::size_t series, std::size_t year, std::size_t years) const {
    return values[(draw * layout.series.size() + series) * years + year];
  }
};

// A prepared scenario: the model's instances on its applied case. Prepare() all scenarios of
// a comparison first, then Evaluate() each with the same universe (CommonUniverse).
class PreparedScenario {
 public:
  // Prepares `threads` instances of `model` (in-process; a model in a child gets one) on
  // `view`, and replaces the model's default drivers by `assumptions`' (null: the defaults).
  static std::variant<PreparedScenario, CallError> Prepare(const LoadedPlugin& model,
                                                           const bmil_case_view& view,
                                                           const Assumptions* assumptions,
                                                           std::string label,
                                                           const RunOptions& options);
  const Layout& layout() const { return result_.layout; }
  // Samples and evaluates every draw, and summarises. `universe`: CommonUniverse() of every
  // scenario compared (the Sobol' dimensions).
  std::variant<Consequences, CallError> Evaluate(const std::vector<std::string>& universe) &&;

 private:
  PreparedScenario() = default;
  std::vector<PluginInstance> instances_;
  std::string plugin_id_;
  Consequences result_;
  RunOptions options_;
};

// The sorted union of the driver ids of `scenarios` (their Sobol' dimensions).
std::vector<std::string> CommonUniverse(const std::vector<const Layout*>& layouts);

// Net present value of a yearly series (value y discounted by (1 + rate)^(y + 1)).
double NetPresentValue(std::span<const double> series, double rate);

// Across scenarios (all with the same draws and seed).
struct Comparison {
  std::vector<double> p_best;      // per scenario: share of draws where its NPV is highest
  std::vector<Band> regret;        // per scenario: best NPV of the draw minus its own
  std::vector<double> max_regret;  // per scenario
  std::vector<std::vector<double>> p_beats;   // [a][b]: P(NPV_a > NPV_b)
  std::vector<std::vector<Band>> difference;  // [a][b]: NPV_a - NPV_b
};
// Empty when fewer than one scenario has NPVs; scenarios without NPVs get zeros.
Comparison Compare(const std::vector<const Consequences*>& scenarios);

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_CONSEQUENCES_HPP_
