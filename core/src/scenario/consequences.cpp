#include "scenario/consequences.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <thread>
#include <utility>

namespace bmil::scenario {
namespace {

using Json = nlohmann::json;

bool IsIdText(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string Text(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Reads the distribution members of a layout driver; a message on failure.
std::string ReadDistribution(const Json& d, Distribution& out) {
  const std::string kind = Text(d, "distribution");
  static const std::map<std::string, Distribution::Kind> kinds = {
      {"fixed", Distribution::Kind::kFixed},
      {"uniform", Distribution::Kind::kUniform},
      {"triangular", Distribution::Kind::kTriangular},
      {"pert", Distribution::Kind::kPert},
      {"normal", Distribution::Kind::kNormal},
      {"lognormal", Distribution::Kind::kLognormal},
      {"discrete", Distribution::Kind::kDiscrete}};
  const auto k = kinds.find(kind);
  if (k == kinds.end()) {
    return "\"distribution\" must be one of fixed, uniform, triangular, pert, normal, "
           "lognormal, discrete; found \"" +
           kind + "\"";
  }
  out = Distribution{};
  out.kind = k->second;
  auto number = [&](const char* key, double& target) -> std::string {
    const auto it = d.find(key);
    if (it == d.end() || !it->is_number()) return std::string("\"") + key + "\" must be a number";
    target = it->get<double>();
    if (!std::isfinite(target) || std::fabs(target) > 1e18)
      return std::string("\"") + key + "\" must be finite and at most 1e18 in magnitude";
    return "";
  };
  std::string problem;
  switch (out.kind) {
    case Distribution::Kind::kFixed:
      problem = number("value", out.value);
      break;
    case Distribution::Kind::kUniform:
      if (problem = number("min", out.min); problem.empty()) problem = number("max", out.max);
      break;
    case Distribution::Kind::kTriangular:
    case Distribution::Kind::kPert:
      if (problem = number("min", out.min); problem.empty()) problem = number("mode", out.mode);
      if (problem.empty()) problem = number("max", out.max);
      break;
    case Distribution::Kind::kNormal:
      if (problem = number("mean", out.mean); problem.empty()) problem = number("sd", out.sd);
      break;
    case Distribution::Kind::kLognormal:
      if (problem = number("median", out.median); problem.empty()) problem = number("gsd", out.gsd);
      break;
    case Distribution::Kind::kDiscrete: {
      const auto values = d.find("values");
      const auto weights = d.find("weights");
      if (values == d.end() || !values->is_array() || weights == d.end() || !weights->is_array())
        return "\"values\" and \"weights\" must be arrays of numbers";
      for (const Json& v : *values) {
        if (!v.is_number()) return "\"values\" must hold numbers";
        out.values.push_back(v.get<double>());
      }
      for (const Json& w : *weights) {
        if (!w.is_number()) return "\"weights\" must hold numbers";
        out.weights.push_back(w.get<double>());
      }
      break;
    }
  }
  if (!problem.empty()) return problem;
  return DistributionProblem(out);
}

// The draws [begin, end) of `drivers` (draws x count) evaluated by `instance` into `out`.
std::optional<CallError> EvaluateRange(PluginInstance& instance, const std::vector<double>& drivers,
                                       std::size_t count, std::vector<double>& out,
                                       std::size_t per_draw, std::size_t begin, std::size_t end) {
  if (begin >= end) return std::nullopt;
  return instance.Evaluate(
      std::span<const double>(drivers.data() + begin * count, (end - begin) * count), count,
      std::span<double>(out.data() + begin * per_draw, (end - begin) * per_draw), per_draw);
}

// The first value that is not finite, as a message naming the draw, series and year.
std::string NonFinite(const std::vector<double>& values, const Layout& layout, std::size_t years,
                      std::int32_t first_year, std::size_t draw_offset = 0) {
  const std::size_t per_draw = layout.series.size() * years;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isfinite(values[i])) continue;
    const std::size_t draw = i / per_draw;
    const std::size_t series = (i % per_draw) / years;
    const std::size_t year = i % years;
    return "returned a value that is not finite (" + std::to_string(values[i]) + ") for series \"" +
           layout.series[series].id + "\" in " +
           std::to_string(first_year + static_cast<std::int32_t>(year)) + " on draw " +
           std::to_string(draw_offset + draw + 1);
  }
  return "";
}

Band BandOf(std::vector<double> values) {
  Band b;
  if (values.empty()) return b;
  double sum = 0;
  for (double v : values) sum += v;
  b.mean = sum / static_cast<double>(values.size());
  b.p10 = SampleQuantile(values, 0.1);
  b.p50 = SampleQuantile(values, 0.5);
  b.p90 = SampleQuantile(values, 0.9);
  return b;
}

}  // namespace

std::string DistributionProblem(const Distribution& d) {
  using Kind = Distribution::Kind;
  switch (d.kind) {
    case Kind::kFixed:
      return "";
    case Kind::kUniform:
      return d.min < d.max ? "" : "max must be greater than min";
    case Kind::kTriangular:
    case Kind::kPert:
      if (!(d.min < d.max)) return "max must be greater than min";
      return d.min <= d.mode && d.mode <= d.max ? "" : "mode must lie between min and max";
    case Kind::kNormal:
      return d.sd > 0 ? "" : "sd must be greater than 0";
    case Kind::kLognormal:
      if (!(d.median > 0)) return "median must be greater than 0";
      return d.gsd > 1 ? "" : "gsd must be greater than 1";
    case Kind::kDiscrete:
      if (d.values.empty() || d.values.size() > 1000)
        return "a discrete distribution needs 1 to 1,000 values";
      if (d.values.size() != d.weights.size()) return "values and weights must be as many";
      for (double v : d.values)
        if (!std::isfinite(v) || std::fabs(v) > 1e18) return "values must be finite";
      for (double w : d.weights)
        if (!(w > 0) || !std::isfinite(w)) return "weights must be greater than 0";
      return "";
  }
  return "";
}

std::variant<Layout, std::string> ParseLayout(const Json& json, const ModelLimits& limits) {
  if (!json.is_object()) return std::string("the layout must be a JSON object");
  const auto drivers = json.find("drivers");
  const auto series = json.find("series");
  if (drivers == json.end() || !drivers->is_array())
    return std::string("the layout needs \"drivers\", an array");
  if (series == json.end() || !series->is_array() || series->empty())
    return std::string("the layout needs \"series\", an array of at least one");
  if (drivers->size() > limits.max_drivers)
    return "the layout declares " + std::to_string(drivers->size()) +
           " drivers, more than the limit of " + std::to_string(limits.max_drivers);
  if (series->size() > limits.max_series)
    return "the layout declares " + std::to_string(series->size()) +
           " series, more than the limit of " + std::to_string(limits.max_series);
  Layout layout;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < drivers->size(); ++i) {
    const Json& d = (*drivers)[i];
    const std::string at = "/drivers/" + std::to_string(i);
    if (!d.is_object()) return at + ": a driver must be an object";
    LayoutDriver driver;
    driver.id = Text(d, "id");
    if (!IsIdText(driver.id))
      return at + "/id: \"" + driver.id + "\" is not a driver id (1 to 128 of a-z, 0-9, _, ., -)";
    if (!seen.insert(driver.id).second) return at + "/id: driver \"" + driver.id + "\" twice";
    driver.description = Text(d, "description");
    driver.unit = Text(d, "unit");
    if (std::string problem = ReadDistribution(d, driver.distribution); !problem.empty())
      return at + " (" + driver.id + "): " + problem;
    layout.drivers.push_back(std::move(driver));
  }
  seen.clear();
  for (std::size_t i = 0; i < series->size(); ++i) {
    const Json& s = (*series)[i];
    const std::string at = "/series/" + std::to_string(i);
    if (!s.is_object()) return at + ": a series must be an object";
    LayoutSeries out{Text(s, "id"), Text(s, "kpi"), Text(s, "business_model"), Text(s, "unit"),
                     Text(s, "label")};
    if (!IsIdText(out.id)) return at + "/id: \"" + out.id + "\" is not a series id";
    if (out.kpi.empty()) return at + "/kpi: a series needs its KPI";
    if (!seen.insert(out.id).second) return at + "/id: series \"" + out.id + "\" twice";
    if (out.kpi == "profit" && out.business_model.empty() && !layout.profit)
      layout.profit = layout.series.size();
    layout.series.push_back(std::move(out));
  }
  return layout;
}

double NetPresentValue(std::span<const double> series, double rate) {
  double npv = 0, factor = 1;
  for (double v : series) {
    factor /= 1 + rate;
    npv += v * factor;
  }
  return npv;
}

std::vector<std::string> CommonUniverse(const std::vector<const Layout*>& layouts) {
  std::set<std::string> ids;
  for (const Layout* l : layouts)
    for (const LayoutDriver& d : l->drivers) ids.insert(d.id);
  return {ids.begin(), ids.end()};
}

std::variant<PreparedScenario, CallError> PreparedScenario::Prepare(const LoadedPlugin& model,
                                                                    const bmil_case_view& view,
                                                                    const Assumptions* assumptions,
                                                                    std::string label,
                                                                    const RunOptions& options) {
  PreparedScenario p;
  p.plugin_id_ = model.id();
  p.options_ = options;
  p.result_.label = std::move(label);
  const unsigned threads =
      model.isolation() == Isolation::kChild ? 1u : std::max(1u, options.threads);
  for (unsigned t = 0; t < threads; ++t) {
    auto instance = model.Create("{}");
    if (auto* error = std::get_if<CallError>(&instance)) return *error;
    p.instances_.push_back(std::move(std::get<PluginInstance>(instance)));
    auto layout_json = p.instances_.back().Prepare(view, options.first_year, options.years);
    if (auto* error = std::get_if<CallError>(&layout_json)) return *error;
    if (t > 0) continue;  // the others' layouts are the same function of the same case
    auto layout = ParseLayout(std::get<Json>(layout_json), options.limits);
    if (auto* problem = std::get_if<std::string>(&layout)) {
      return CallError{model.id(), "prepare", 0, "its layout is malformed: " + *problem};
    }
    p.result_.layout = std::move(std::get<Layout>(layout));
  }
  Layout& layout = p.result_.layout;
  if (assumptions != nullptr) {
    std::set<std::string> read;
    for (LayoutDriver& d : layout.drivers) read.insert(d.id);
    for (const Driver& given : assumptions->drivers) {
      auto it = std::find_if(layout.drivers.begin(), layout.drivers.end(),
                             [&](const LayoutDriver& d) { return d.id == given.id; });
      if (it == layout.drivers.end()) {
        p.result_.unused_drivers.push_back(given.id);
        continue;
      }
      it->distribution = given.distribution;
      it->from_scenario = true;
      if (!given.description.empty()) it->description = given.description;
      if (!given.unit.empty()) it->unit = given.unit;
    }
    for (const Correlation& c : assumptions->correlations) {
      if (read.count(c.a) && read.count(c.b)) p.result_.correlations.push_back(c);
    }
  }
  // In floating point: the product of three counts cannot overflow there.
  const double values = static_cast<double>(options.sampler.draws) *
                        static_cast<double>(layout.series.size()) * options.years;
  if (values > static_cast<double>(options.limits.max_values)) {
    return CallError{model.id(), "prepare", 0,
                     std::to_string(options.sampler.draws) + " draws of " +
                         std::to_string(layout.series.size()) + " series over " +
                         std::to_string(options.years) + " years exceed the limit of " +
                         std::to_string(options.limits.max_values) +
                         " values per scenario; use fewer draws (--draws)"};
  }
  return p;
}

std::variant<Consequences, CallError> PreparedScenario::Evaluate(
    const std::vector<std::string>& universe) && {
  Consequences& r = result_;
  const Layout& layout = r.layout;
  const std::size_t years = options_.years;
  const std::size_t count = layout.drivers.size();
  const std::size_t per_draw = layout.series.size() * years;
  std::vector<SampledDriver> sampled;
  for (const LayoutDriver& d : layout.drivers) sampled.push_back({d.id, &d.distribution});
  r.sample = Draw(sampled, r.correlations, options_.sampler, universe);
  const std::size_t draws = r.sample.draws;
  r.values.assign(draws * per_draw, 0.0);

  // Contiguous blocks of draws, one per instance: each draw's values depend only on its
  // drivers, so the split does not change them.
  const std::size_t threads = instances_.size();
  std::vector<std::optional<CallError>> errors(threads);
  auto run = [&](std::size_t t) {
    const std::size_t begin = draws * t / threads, end = draws * (t + 1) / threads;
    errors[t] =
        EvaluateRange(instances_[t], r.sample.values, count, r.values, per_draw, begin, end);
  };
  if (threads == 1) {
    run(0);
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(run, t);
    for (std::thread& th : pool) th.join();
  }
  for (auto& e : errors)
    if (e) return *e;
  if (std::string bad = NonFinite(r.values, layout, years, options_.first_year); !bad.empty())
    return CallError{plugin_id_, "evaluate", 0, bad};

  // Bands per series and year.
  r.bands.assign(layout.series.size(), std::vector<Band>(years));
  std::vector<double> column(draws);
  for (std::size_t s = 0; s < layout.series.size(); ++s) {
    for (std::size_t y = 0; y < years; ++y) {
      for (std::size_t d = 0; d < draws; ++d) column[d] = r.values[d * per_draw + s * years + y];
      r.bands[s][y] = BandOf(column);
    }
  }
  if (!layout.profit) return std::move(r);

  auto npv_of = [&](const std::vector<double>& values, std::size_t d) {
    return NetPresentValue(
        std::span<const double>(values.data() + d * per_draw + *layout.profit * years, years),
        options_.discount_rate);
  };
  r.npv.resize(draws);
  std::size_t losses = 0;
  for (std::size_t d = 0; d < draws; ++d) {
    r.npv[d] = npv_of(r.values, d);
    if (r.npv[d] < 0) ++losses;
  }
  r.npv_band = BandOf(r.npv);
  r.loss_probability = draws == 0 ? 0 : static_cast<double>(losses) / static_cast<double>(draws);

  // Tornado: every driver that varies at its P10 and P90, the others at their medians.
  std::vector<double> medians(count);
  for (std::size_t j = 0; j < count; ++j) medians[j] = Median(layout.drivers[j].distribution);
  std::vector<std::size_t> varying;
  for (std::size_t j = 0; j < count; ++j)
    if (!IsFixed(layout.drivers[j].distribution)) varying.push_back(j);
  if (!varying.empty()) {
    std::vector<double> points;
    for (std::size_t j : varying) {
      for (double q : {0.1, 0.9}) {
        std::vector<double> row = medians;
        row[j] = Quantile(layout.drivers[j].distribution, q);
        points.insert(points.end(), row.begin(), row.end());
      }
    }
    std::vector<double> out(varying.size() * 2 * per_draw);
    if (auto e = EvaluateRange(instances_[0], points, count, out, per_draw, 0, varying.size() * 2))
      return *e;
    if (std::string bad = NonFinite(out, layout, years, options_.first_year); !bad.empty())
      return CallError{plugin_id_, "evaluate", 0, bad + " (of the tornado)"};
    for (std::size_t k = 0; k < varying.size(); ++k) {
      const std::size_t j = varying[k];
      TornadoBar bar;
      bar.driver = layout.drivers[j].id;
      bar.low = points[(2 * k) * count + j];
      bar.high = points[(2 * k + 1) * count + j];
      bar.npv_low = npv_of(out, 2 * k);
      bar.npv_high = npv_of(out, 2 * k + 1);
      // A driver that does not move the NPV (e.g. the time to market of a stage no model
      // is at) is left out of the tornado; its rank sensitivity is near 0.
      if (bar.npv_low == bar.npv_high) continue;
      r.tornado.push_back(std::move(bar));
    }
    std::stable_sort(
        r.tornado.begin(), r.tornado.end(),
        [](const TornadoBar& a, const TornadoBar& b) { return a.swing() > b.swing(); });
    // Rank sensitivity over the sample (respects the correlations the tornado ignores).
    std::vector<double> driver_column(draws);
    for (std::size_t j : varying) {
      for (std::size_t d = 0; d < draws; ++d) driver_column[d] = r.sample.at(d, j);
      r.rank_sensitivity.emplace_back(layout.drivers[j].id, SpearmanRank(driver_column, r.npv));
    }
    std::stable_sort(
        r.rank_sensitivity.begin(), r.rank_sensitivity.end(),
        [](const auto& a, const auto& b) { return std::fabs(a.second) > std::fabs(b.second); });
  }
  return std::move(r);
}

Comparison Compare(const std::vector<const Consequences*>& scenarios) {
  Comparison c;
  const std::size_t n = scenarios.size();
  std::size_t draws = 0;
  for (const Consequences* s : scenarios) draws = std::max(draws, s->npv.size());
  c.p_best.assign(n, 0);
  c.regret.assign(n, Band{});
  c.max_regret.assign(n, 0);
  c.p_beats.assign(n, std::vector<double>(n, 0));
  c.difference.assign(n, std::vector<Band>(n));
  if (draws == 0) return c;
  auto npv = [&](std::size_t s, std::size_t d) {
    return d < scenarios[s]->npv.size() ? scenarios[s]->npv[d] : 0.0;
  };
  std::vector<std::vector<double>> regrets(n, std::vector<double>(draws));
  for (std::size_t d = 0; d < draws; ++d) {
    double best = -INFINITY;
    for (std::size_t s = 0; s < n; ++s) best = std::max(best, npv(s, d));
    std::size_t ties = 0;
    for (std::size_t s = 0; s < n; ++s) ties += npv(s, d) == best ? 1 : 0;
    for (std::size_t s = 0; s < n; ++s) {
      if (npv(s, d) == best) c.p_best[s] += 1.0 / static_cast<double>(ties);
      regrets[s][d] = best - npv(s, d);
    }
  }
  for (std::size_t s = 0; s < n; ++s) {
    c.p_best[s] /= static_cast<double>(draws);
    c.max_regret[s] = *std::max_element(regrets[s].begin(), regrets[s].end());
    c.regret[s] = BandOf(std::move(regrets[s]));
  }
  std::vector<double> diff(draws);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      std::size_t wins = 0;
      for (std::size_t d = 0; d < draws; ++d) {
        diff[d] = npv(a, d) - npv(b, d);
        if (diff[d] > 0) ++wins;
      }
      c.p_beats[a][b] = static_cast<double>(wins) / static_cast<double>(draws);
      c.difference[a][b] = BandOf(diff);
    }
  }
  return c;
}

}  // namespace bmil::scenario
