// Base class of consequence-model plugins (ABI 1.1; docs/scenarios.md, "Consequence models").
//
// A consequence model is a deterministic function: given one case (the case a scenario
// leads to) and one set of driver values, it computes KPI time series per business model
// and for the whole business. The host samples the drivers (Latin hypercube or Sobol',
// seeded, with the scenario's rank correlations and common random numbers across scenarios),
// so a model gets Monte Carlo, fan charts, tornado and rank sensitivity without code of its
// own. Contract:
//   - Prepare() reads the case and returns the layout: the drivers it reads (each with its
//     default distribution, which a scenario's driver of the same id replaces) and the
//     series it writes. The view is valid only during the call: copy what Evaluate needs.
//   - Evaluate() computes one draw: `drivers` in the layout's order, `out` series by series
//     (out[s * years + y]). Same input, same output; every value finite; no I/O. It is
//     called hundreds of thousands of times: keep it free of allocation and JSON.
#ifndef BMIL_SDK_MODEL_HPP_
#define BMIL_SDK_MODEL_HPP_

#include <bmil/abi.h>
#include <bmil/sdk/case_view.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bmil::sdk {

// The years a model computes: `years` values per series, the first for `first_year`.
struct ModelSetup {
  std::int32_t first_year = 0;
  std::uint32_t years = 0;
};

// Builds a model's layout ({"drivers": [...], "series": [...]}) in order.
class ModelLayout {
 public:
  // A driver with a fixed default value.
  ModelLayout& Fixed(std::string_view id, double value, std::string_view unit,
                     std::string_view description) {
    return Driver(id, unit, description, {{"distribution", "fixed"}, {"value", value}});
  }
  // A driver with a default distribution: `parameters` holds "distribution" and its
  // parameters as in a scenario file (e.g. {"distribution": "uniform", "min": 0, "max": 1}).
  ModelLayout& Driver(std::string_view id, std::string_view unit, std::string_view description,
                      const nlohmann::ordered_json& parameters) {
    nlohmann::ordered_json d{{"id", id}, {"description", description}, {"unit", unit}};
    for (const auto& [key, value] : parameters.items()) d[key] = value;
    json_["drivers"].push_back(std::move(d));
    return *this;
  }
  // A series: `kpi` (e.g. "revenue"), the business model it is for ("" for the business),
  // its unit and label. Its id is "<kpi>" or "<kpi>.<business model>".
  ModelLayout& Series(std::string_view kpi, std::string_view business_model, std::string_view unit,
                      std::string_view label) {
    nlohmann::ordered_json s{
        {"id", business_model.empty() ? std::string(kpi)
                                      : std::string(kpi) + "." + std::string(business_model)},
        {"kpi", kpi}};
    if (!business_model.empty()) s["business_model"] = business_model;
    s["unit"] = unit;
    s["label"] = label;
    json_["series"].push_back(std::move(s));
    return *this;
  }
  std::size_t driver_count() const { return json_["drivers"].size(); }
  std::size_t series_count() const { return json_["series"].size(); }
  const nlohmann::ordered_json& json() const { return json_; }

 private:
  nlohmann::ordered_json json_{{"drivers", nlohmann::ordered_json::array()},
                               {"series", nlohmann::ordered_json::array()}};
};

class ConsequenceModel {
 public:
  virtual ~ConsequenceModel() = default;
  // Called once after construction with the host's configuration (a JSON object).
  virtual void Configure(const nlohmann::json& /*config*/) {}
  // {"id", "name", "description"} and anything else useful to list the model.
  virtual nlohmann::ordered_json Describe() const = 0;
  // Reads the case and returns the layout; a later call replaces the earlier.
  virtual ModelLayout Prepare(const CaseView& view, const ModelSetup& setup) = 0;
  // One draw: drivers.size() and out.size() are as the layout says (the shim checks).
  virtual void Evaluate(std::span<const double> drivers, std::span<double> out) = 0;
};

}  // namespace bmil::sdk

#endif  // BMIL_SDK_MODEL_HPP_
