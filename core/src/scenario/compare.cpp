#include "scenario/compare.hpp"

#include <bmil/flat_case.hpp>

#include "io/digest.hpp"
#include "report/terminal_text.hpp"
#include "scenario/apply.hpp"
#include "scenario/number_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>

#ifndef BMIL_VERSION
#define BMIL_VERSION "0.0.0"
#endif

namespace bmil::scenario {
namespace {

using OJson = nlohmann::ordered_json;

// The year of a case date ("YYYY", "YYYY-MM", "YYYY-MM-DD"), or nothing.
std::optional<int> YearOf(const std::string& date) {
  int year = 0;
  if (date.size() < 4) return std::nullopt;
  auto [end, ec] = std::from_chars(date.data(), date.data() + 4, year);
  if (ec != std::errc() || end != date.data() + 4) return std::nullopt;
  return year;
}

// The year after the base's last dated task, or 1.
std::int32_t DefaultFirstYear(const Case& base) {
  std::optional<int> last;
  for (const BmiTask& t : base.bmi_tasks) {
    for (const std::string* d : {&t.period.start, &t.period.end}) {
      if (auto y = YearOf(*d)) last = std::max(last.value_or(*y), *y);
    }
  }
  return last ? *last + 1 : 1;
}

const LoadedPlugin* ChooseModel(const PluginHost& host, const std::string& wanted,
                                std::string& problem) {
  std::vector<const LoadedPlugin*> models;
  for (const auto& p : host.loaded())
    if (p->is_model()) models.push_back(p.get());
  if (!wanted.empty()) {
    for (const LoadedPlugin* p : models)
      if (p->id() == wanted) return p;
    problem = "no consequence model \"" + wanted + "\" is loaded";
    if (!models.empty()) {
      problem += " (loaded:";
      for (const LoadedPlugin* p : models) problem += " " + p->id();
      problem += ")";
    }
    return nullptr;
  }
  for (const LoadedPlugin* p : models)
    if (p->id() == "value_formula") return p;
  if (models.size() == 1) return models.front();
  if (models.empty()) {
    problem = "no consequence model plugin is loaded: the financial consequences are left out";
  } else {
    problem = "several consequence models are loaded; choose one with --model:";
    for (const LoadedPlugin* p : models) problem += " " + p->id();
  }
  return nullptr;
}

// At most `width` characters of `s` (UTF-8 aware: never cuts inside a character), the last
// three "..." when cut.
std::string Clip(const std::string& s, std::size_t width) {
  auto starts_char = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
  std::size_t chars = 0;
  for (char c : s) chars += starts_char(c) ? 1 : 0;
  if (chars <= width) return s;
  std::size_t i = 0;
  for (std::size_t kept = 0; i < s.size(); ++i) {
    if (starts_char(s[i]) && kept++ == width - 3) break;
  }
  return s.substr(0, i) + "...";
}

// `text` wrapped at 80 columns on spaces, later lines indented by two; ends with a newline.
std::string Wrap(const std::string& text) {
  std::string out, line;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > 80) {
      out += line + "\n";
      line = "  ";
    }
    line += (line.empty() || line == "  " ? "" : " ") + word;
  }
  return out + line + "\n";
}

std::string Pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}
std::string PadLeft(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

OJson BandJson(const Band& b) {
  return {{"mean", b.mean}, {"p10", b.p10}, {"p50", b.p50}, {"p90", b.p90}};
}

}  // namespace

CompareResult RunCompare(const PluginHost& host, const Registry& registry,
                         const std::string& base_file, const std::string& base_text,
                         const std::vector<Scenario>& scenarios, const CompareOptions& options) {
  CompareResult result;
  LoadResult base = LoadCaseText(base_text, base_file, registry);
  if (!base.value) {
    result.problems = std::move(base.diagnostics);
    return result;
  }
  CompareReport report;
  report.base_file = base_file;
  report.base_xxh3 = DigestHex(base_text);
  report.base_id = base.value->business.id;
  report.sampler = options.sampler;
  report.per_draw = options.per_draw;
  // Horizon and rate: the options, else the scenarios' (which must agree).
  if (!scenarios.empty()) {
    const Assumptions& first = scenarios.front().assumptions;
    for (const Scenario& s : scenarios) {
      if (!options.years && s.assumptions.horizon_years != first.horizon_years) {
        result.usage = "the scenarios assume different horizons (" + scenarios.front().id + ": " +
                       std::to_string(first.horizon_years) + " years, " + s.id + ": " +
                       std::to_string(s.assumptions.horizon_years) +
                       "); compare them over one with --horizon";
        return result;
      }
      if (!options.discount_rate && s.assumptions.discount_rate != first.discount_rate) {
        result.usage = "the scenarios assume different discount rates (" + scenarios.front().id +
                       ": " + Fixed(first.discount_rate, 4) + ", " + s.id + ": " +
                       Fixed(s.assumptions.discount_rate, 4) +
                       "); compare them at one with --discount-rate";
        return result;
      }
    }
    report.years = static_cast<std::uint32_t>(first.horizon_years);
    report.discount_rate = first.discount_rate;
  }
  if (options.years) report.years = *options.years;
  if (options.discount_rate) report.discount_rate = *options.discount_rate;
  report.first_year = options.first_year.value_or(DefaultFirstYear(*base.value));

  // Apply every scenario; every problem of every scenario is reported.
  std::set<std::string> ids;
  if (options.include_base) ids.insert("base");  // the base column's id
  if (options.include_base) {
    Column c;
    c.id = "base";
    c.name = base.value->business.name;
    c.applied = *base.value;
    report.columns.push_back(std::move(c));
  }
  for (const Scenario& s : scenarios) {
    if (!ids.insert(s.id).second) {
      result.usage = s.id == "base" && options.include_base
                         ? "scenario id \"base\" (" + s.file +
                               ") is the id of the base's column; rename the scenario or give "
                               "--no-base"
                         : "scenario id \"" + s.id + "\" is given twice (" + s.file + ")";
      return result;
    }
    ApplyResult applied = Apply(s, base_text, base_file, registry, options.check_base_hash);
    if (!applied.value) {
      result.problems.insert(result.problems.end(), applied.problems.begin(),
                             applied.problems.end());
      continue;
    }
    Column c;
    c.id = s.id;
    c.name = s.name;
    c.file = s.file;
    c.rationale = s.rationale;
    c.applied = std::move(*applied.value);
    report.columns.push_back(std::move(c));
  }
  if (!result.problems.empty()) return result;

  // Structural: every analyzer on each column's case.
  std::optional<AnalysisReport> base_report;
  if (!options.include_base) base_report = Analyze(host, registry, std::span(&*base.value, 1));
  for (Column& c : report.columns) {
    c.report = Analyze(host, registry, std::span(&c.applied, 1));
    for (const CallError& e : c.report.failures) {
      CallError tagged = e;
      tagged.message += " (on " + c.id + ")";
      report.failures.push_back(std::move(tagged));
    }
  }
  const AnalysisReport& reference =
      options.include_base ? report.columns.front().report : *base_report;
  for (Column& c : report.columns) {
    if (c.id == "base" && options.include_base) continue;
    c.structural = CompareStructure(reference, c.report);
  }

  // Financial: the consequence model on each column.
  std::string problem;
  const LoadedPlugin* model = ChooseModel(host, options.model, problem);
  if (model == nullptr) {
    if (!options.model.empty() || problem.starts_with("several")) {
      result.usage = problem;
      return result;
    }
    report.notes.push_back(problem);
  } else {
    report.model_id = model->id();
    report.model_version = model->manifest().version;
    RunOptions run;
    run.sampler = options.sampler;
    run.threads = options.threads;
    run.first_year = report.first_year;
    run.years = report.years;
    run.discount_rate = report.discount_rate;
    std::vector<std::optional<PreparedScenario>> prepared;
    std::vector<const Layout*> layouts;
    std::size_t scenario_index = 0;
    for (Column& c : report.columns) {
      const Assumptions* assumptions = nullptr;
      if (!(c.id == "base" && options.include_base)) {
        assumptions = &scenarios[scenario_index++].assumptions;
      }
      const FlatCase flat(c.applied, registry);
      auto p = PreparedScenario::Prepare(*model, flat.view(), assumptions, c.id, run);
      if (auto* error = std::get_if<CallError>(&p)) {
        CallError tagged = *error;
        tagged.message += " (on " + c.id + ")";
        report.failures.push_back(std::move(tagged));
        prepared.emplace_back();
        continue;
      }
      prepared.emplace_back(std::move(std::get<PreparedScenario>(p)));
    }
    for (auto& p : prepared)
      if (p) layouts.push_back(&p->layout());
    const std::vector<std::string> universe = CommonUniverse(layouts);
    for (std::size_t i = 0; i < report.columns.size(); ++i) {
      if (!prepared[i]) continue;
      auto evaluated = std::move(*prepared[i]).Evaluate(universe);
      if (auto* error = std::get_if<CallError>(&evaluated)) {
        CallError tagged = *error;
        tagged.message += " (on " + report.columns[i].id + ")";
        report.failures.push_back(std::move(tagged));
        continue;
      }
      Column& c = report.columns[i];
      c.consequences = std::move(std::get<Consequences>(evaluated));
      for (const std::string& d : c.consequences->unused_drivers) {
        report.notes.push_back(c.id + ": driver \"" + d + "\" is not read by model \"" +
                               model->id() + "\" (it has no effect)");
      }
      if (!c.consequences->layout.profit) {
        report.notes.push_back("model \"" + model->id() +
                               "\" writes no business profit series: no NPV to compare");
      }
    }
    std::vector<const Consequences*> with_npv;
    for (const Column& c : report.columns)
      if (c.consequences && !c.consequences->npv.empty()) with_npv.push_back(&*c.consequences);
    if (with_npv.size() >= 2 && with_npv.size() == report.columns.size())
      report.comparison = Compare(with_npv);
  }
  result.report = std::move(report);
  return result;
}

OJson CompareJson(const CompareReport& r) {
  OJson j;
  j["bmil_version"] = BMIL_VERSION;
  j["base"] = {{"file", r.base_file}, {"xxh3", r.base_xxh3}, {"business", r.base_id}};
  j["model"] =
      r.model_id.empty() ? OJson() : OJson{{"id", r.model_id}, {"version", r.model_version}};
  j["sampling"] = {{"method", SamplingMethodName(r.sampler.method)},
                   {"seed", r.sampler.seed},
                   {"draws", r.sampler.draws},
                   {"first_year", r.first_year},
                   {"years", r.years},
                   {"discount_rate", r.discount_rate}};
  OJson columns = OJson::array();
  for (const Column& c : r.columns) {
    OJson col{{"id", c.id}, {"name", c.name}, {"file", c.file}};
    if (!c.rationale.empty()) col["rationale"] = c.rationale;
    col["structural"] = c.structural ? StructuralJson(*c.structural) : OJson();
    if (c.consequences) {
      const Consequences& q = *c.consequences;
      OJson f;
      OJson drivers = OJson::array();
      for (const LayoutDriver& d : q.layout.drivers) {
        drivers.push_back({{"id", d.id},
                           {"distribution", Distribution::KindName(d.distribution.kind)},
                           {"median", Median(d.distribution)},
                           {"p10", Quantile(d.distribution, 0.1)},
                           {"p90", Quantile(d.distribution, 0.9)},
                           {"source", d.from_scenario ? "scenario" : "model default"},
                           {"unit", d.unit},
                           {"description", d.description}});
      }
      f["drivers"] = std::move(drivers);
      f["unused_drivers"] = q.unused_drivers;
      OJson series = OJson::array();
      for (std::size_t s = 0; s < q.layout.series.size(); ++s) {
        const LayoutSeries& ls = q.layout.series[s];
        OJson years = OJson::array();
        for (std::size_t y = 0; y < q.bands[s].size(); ++y) {
          OJson b = BandJson(q.bands[s][y]);
          b["year"] = r.first_year + static_cast<std::int32_t>(y);
          years.push_back(std::move(b));
        }
        OJson item{{"id", ls.id}, {"kpi", ls.kpi}};
        item["business_model"] = ls.business_model.empty() ? OJson() : OJson(ls.business_model);
        item["unit"] = ls.unit;
        item["label"] = ls.label;
        item["years"] = std::move(years);
        series.push_back(std::move(item));
      }
      f["series"] = std::move(series);
      if (!q.npv.empty()) {
        f["npv"] = BandJson(q.npv_band);
        f["loss_probability"] = q.loss_probability;
      }
      OJson tornado = OJson::array();
      for (const TornadoBar& b : q.tornado) {
        tornado.push_back({{"driver", b.driver},
                           {"low", b.low},
                           {"high", b.high},
                           {"npv_low", b.npv_low},
                           {"npv_high", b.npv_high},
                           {"swing", b.swing()}});
      }
      f["tornado"] = std::move(tornado);
      OJson sens = OJson::array();
      for (const auto& [driver, rho] : q.rank_sensitivity)
        sens.push_back({{"driver", driver}, {"spearman", rho}});
      f["rank_sensitivity"] = std::move(sens);
      col["financial"] = std::move(f);
    } else {
      col["financial"] = nullptr;
    }
    columns.push_back(std::move(col));
  }
  j["columns"] = std::move(columns);
  if (r.comparison) {
    const Comparison& c = *r.comparison;
    OJson rows = OJson::array();
    for (std::size_t a = 0; a < r.columns.size(); ++a) {
      OJson beats = OJson::object();
      for (std::size_t b = 0; b < r.columns.size(); ++b) {
        if (a == b) continue;
        beats[r.columns[b].id] = {{"probability", c.p_beats[a][b]},
                                  {"npv_difference", BandJson(c.difference[a][b])}};
      }
      rows.push_back({{"id", r.columns[a].id},
                      {"p_best", c.p_best[a]},
                      {"regret", BandJson(c.regret[a])},
                      {"max_regret", c.max_regret[a]},
                      {"beats", std::move(beats)}});
    }
    j["comparison"] = std::move(rows);
  } else {
    j["comparison"] = nullptr;
  }
  OJson failures = OJson::array();
  for (const CallError& e : r.failures)
    failures.push_back({{"plugin", e.plugin}, {"call", e.call}, {"message", e.message}});
  j["failures"] = std::move(failures);
  if (r.per_draw && r.comparison) {
    // The regret table: one row per sampled future (draw), each column's NPV and regret.
    OJson draws = OJson::array();
    const std::size_t n = r.columns.front().consequences->npv.size();
    for (std::size_t d = 0; d < n; ++d) {
      double best = -INFINITY;
      for (const Column& c : r.columns) best = std::max(best, c.consequences->npv[d]);
      OJson npv = OJson::object(), regret = OJson::object();
      for (const Column& c : r.columns) {
        npv[c.id] = c.consequences->npv[d];
        regret[c.id] = best - c.consequences->npv[d];
      }
      draws.push_back({{"draw", d + 1}, {"npv", std::move(npv)}, {"regret", std::move(regret)}});
    }
    j["draws"] = std::move(draws);
  }
  j["notes"] = r.notes;
  return j;
}

OJson DecisionJson(const CompareReport& r, const std::string& why, const std::string& date,
                   const std::string& scenario_xxh3) {
  const OJson all = CompareJson(r);
  const Column& c = r.columns.front();
  OJson j;
  j["bmil_decision"] = "1.0";
  j["decided"] = date;
  j["why"] = why;
  j["scenario"] = {{"id", c.id}, {"name", c.name}, {"file", c.file}, {"xxh3", scenario_xxh3}};
  j["base"] = all["base"];
  j["model"] = all["model"];
  j["sampling"] = all["sampling"];
  OJson strategy = OJson::object();
  if (c.applied.strategy) {
    const Strategy& s = *c.applied.strategy;
    strategy["explicit"] = s.explicit_strategy ? OJson(*s.explicit_strategy) : OJson();
    strategy["leadership_lines"] = s.leadership_lines;
    strategy["goals"] = s.goals;
  }
  j["strategy"] = std::move(strategy);
  OJson tasks = OJson::array();
  for (const BmiTask& t : c.applied.bmi_tasks) {
    if (t.status != TaskStatus::kPlanned && t.status != TaskStatus::kOngoing) continue;
    OJson task{{"id", t.id},
               {"business_model", t.business_model},
               {"building_blocks", t.building_blocks},
               {"leadership_lines", t.leadership_lines},
               {"status", t.status == TaskStatus::kPlanned ? "planned" : "ongoing"}};
    task["start"] = t.period.start.empty() ? OJson() : OJson(t.period.start);
    task["end"] = t.period.end.empty() ? OJson() : OJson(t.period.end);
    task["effort"] = t.effort ? OJson(*t.effort) : OJson();
    tasks.push_back(std::move(task));
  }
  j["tasks"] = std::move(tasks);
  const OJson& financial = all["columns"][0]["financial"];
  OJson expected;
  expected["npv"] = financial.contains("npv") ? financial["npv"] : OJson();
  expected["loss_probability"] =
      financial.contains("loss_probability") ? financial["loss_probability"] : OJson();
  expected["kpis"] = financial["series"];
  j["expected"] = std::move(expected);
  return j;
}

std::string CompareText(const CompareReport& r, bool md) {
  std::ostringstream out;
  const std::string h1 = md ? "# " : "", h2 = md ? "## " : "";
  out << h1 << "Scenario comparison for " << r.base_id << "\n\n";
  out << (md ? "Base: `" : "Base: ") << r.base_file << (md ? "`" : "") << " (XXH3 "
      << r.base_xxh3.substr(0, 12) << "...)\n";
  if (!r.model_id.empty()) {
    out << "Model: " << r.model_id << " " << r.model_version << (md ? "  \n" : "\n")
        << "Sampling: " << r.sampler.draws << " " << SamplingMethodName(r.sampler.method)
        << " draws, seed " << r.sampler.seed << "; " << r.years << " years from " << r.first_year
        << "; discount rate " << Fixed(r.discount_rate * 100, 1) << "%\n";
  }
  out << "\n";
  // Columns.
  for (const Column& c : r.columns) {
    if (md) {
      out << "- **" << c.id << "**: " << c.name << (c.file.empty() ? "" : " (`" + c.file + "`)")
          << "\n";
    } else {
      out << "  " << c.id << ": " << Clip(c.name, 76 - std::min<std::size_t>(c.id.size(), 40))
          << "\n";
      if (!c.file.empty()) out << "    " << Clip(c.file, 76) << "\n";
    }
  }
  out << "\n";
  // Financial table.
  bool any_financial = false;
  for (const Column& c : r.columns) any_financial |= c.consequences && !c.consequences->npv.empty();
  if (any_financial) {
    out << h2 << "Net present value of the business's profit\n\n";
    if (md) {
      out << "| scenario | P10 | P50 | P90 | mean | P(loss) |"
          << (r.comparison ? " P(best) | mean regret |" : "") << "\n|---|---:|---:|---:|---:|---:|"
          << (r.comparison ? "---:|---:|" : "") << "\n";
    } else {
      out << Pad("scenario", 22) << PadLeft("P10", 12) << PadLeft("P50", 12) << PadLeft("P90", 12)
          << PadLeft("P(loss)", 8) << (r.comparison ? PadLeft("P(best)", 8) : "") << "\n";
    }
    for (std::size_t i = 0; i < r.columns.size(); ++i) {
      const Column& c = r.columns[i];
      if (!c.consequences || c.consequences->npv.empty()) continue;
      const Consequences& q = *c.consequences;
      if (md) {
        out << "| " << c.id << " | " << Amount(q.npv_band.p10) << " | " << Amount(q.npv_band.p50)
            << " | " << Amount(q.npv_band.p90) << " | " << Amount(q.npv_band.mean) << " | "
            << Percent(q.loss_probability) << " |";
        if (r.comparison)
          out << " " << Percent(r.comparison->p_best[i]) << " | "
              << Amount(r.comparison->regret[i].mean) << " |";
        out << "\n";
      } else {
        out << Pad(c.id.substr(0, 21), 22) << PadLeft(Amount(q.npv_band.p10), 12)
            << PadLeft(Amount(q.npv_band.p50), 12) << PadLeft(Amount(q.npv_band.p90), 12)
            << PadLeft(Percent(q.loss_probability), 8)
            << (r.comparison ? PadLeft(Percent(r.comparison->p_best[i]), 8) : "") << "\n";
      }
    }
    out << "\n";
    if (r.comparison && r.columns.size() >= 2) {
      out << h2 << "P(row beats column), by NPV, draw by draw (common random numbers)\n\n";
      if (md) {
        out << "| |";
        for (const Column& c : r.columns) out << " " << c.id << " |";
        out << "\n|---|";
        for (std::size_t i = 0; i < r.columns.size(); ++i) out << "---:|";
        out << "\n";
      } else {
        out << Pad("", 22);
        for (const Column& c : r.columns) out << PadLeft(c.id.substr(0, 11), 12);
        out << "\n";
      }
      for (std::size_t a = 0; a < r.columns.size(); ++a) {
        out << (md ? "| " + r.columns[a].id + " |" : Pad(r.columns[a].id.substr(0, 21), 22));
        for (std::size_t b = 0; b < r.columns.size(); ++b) {
          const std::string cell = a == b ? "-" : Percent(r.comparison->p_beats[a][b]);
          out << (md ? " " + cell + " |" : PadLeft(cell, 12));
        }
        out << "\n";
      }
      out << "\n";
    }
    // Tornado, three largest per scenario.
    out << h2 << "What moves the NPV most (one at a time, P10 to P90)\n\n";
    for (const Column& c : r.columns) {
      if (!c.consequences || c.consequences->tornado.empty()) continue;
      out << (md ? "- **" + c.id + "**: " : "  " + c.id + "\n");
      const auto& bars = c.consequences->tornado;
      for (std::size_t k = 0; k < bars.size() && k < 3; ++k) {
        if (md) {
          out << (k ? "; " : "") << "`" << bars[k].driver << "` " << Amount(bars[k].npv_low)
              << " to " << Amount(bars[k].npv_high);
        } else {
          out << "    " << Pad(Clip(bars[k].driver, 40), 41) << PadLeft(Amount(bars[k].npv_low), 16)
              << " to" << PadLeft(Amount(bars[k].npv_high), 15) << "\n";
        }
      }
      if (md) out << "\n";
    }
    out << "\n";
  }
  // Structural deltas.
  for (const Column& c : r.columns) {
    if (!c.structural) continue;
    const StructuralDelta& s = *c.structural;
    out << h2 << "Structure: " << c.id << " against the base\n\n";
    if (s.canvas_compared) {
      out << "Canvas cells covered: " << s.cells_added.size() << "; left: " << s.cells_left.size()
          << "; still blind: " << s.blind_in_both << (md ? "\n\n" : "\n");
      for (const CanvasCell& cell : s.cells_added)
        out << (md ? "- covered: " : "  + ") << cell.line << " x " << cell.block << "\n";
      for (const CanvasCell& cell : s.cells_left)
        out << (md ? "- left: " : "  - ") << cell.line << " x " << cell.block << "\n";
      out << "\n";
    }
    if (md) out << "| analyzer | metric | base | scenario |\n|---|---|---:|---:|\n";
    for (const MetricDelta& m : s.metrics) {
      if (!m.headline || m.base == m.scenario) continue;
      if (md) {
        out << "| " << m.analyzer << " | " << m.label << " | " << MetricValue(m.base, m.unit)
            << " | " << MetricValue(m.scenario, m.unit) << " |\n";
      } else {
        out << "  " << Pad((m.analyzer + ": " + m.label).substr(0, 56), 57)
            << PadLeft(MetricValue(m.base, m.unit), 8) << " ->"
            << PadLeft(MetricValue(m.scenario, m.unit), 8) << "\n";
      }
    }
    out << "\n";
    std::size_t raised = 0, changed = 0, cleared = 0;
    for (const FindingChange& f : s.findings)
      (f.changed ? changed : f.raised ? raised : cleared) += 1;
    out << "Findings raised: " << raised << ", changed: " << changed << ", cleared: " << cleared
        << (md ? "\n\n" : "\n");
    for (const FindingChange& f : s.findings) {
      const char* mark = f.changed ? "~ " : f.raised ? "+ " : "- ";
      if (md) {
        out << "- "
            << (f.changed  ? "changed"
                : f.raised ? "raised"
                           : "cleared")
            << " `" << f.code << "`: " << f.message << "\n";
      } else {
        const std::string head = std::string("  ") + mark + f.code;
        out << head << "\n      " << Clip(f.message, 72) << "\n";
      }
    }
    out << "\n";
  }
  for (const std::string& n : r.notes) out << (md ? "> " + n + "\n\n" : Wrap("note: " + n));
  for (const CallError& e : r.failures)
    out << (md ? "> **failed**: " + e.ToString() + "\n\n" : Wrap("failed: " + e.ToString()));
  // Names, messages and labels come from scenario files and plugins: no control character,
  // escape sequence or bidirectional override of theirs reaches a terminal. Line by line, so
  // that the text's own line breaks stay.
  std::string safe;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) safe += TerminalSafe(line) + "\n";
  return safe;
}

std::string CompareCsv(const CompareReport& r) {
  std::ostringstream out;
  out << "scenario,section,item,business_model,year,base,value,mean,p10,p50,p90\n";
  auto num = [](double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
  };
  for (const Column& c : r.columns) {
    if (c.structural) {
      for (const MetricDelta& m : c.structural->metrics) {
        out << CsvField(c.id) << ",structural," << CsvField(m.analyzer + "." + m.metric) << ",,,"
            << (m.base ? num(*m.base) : "") << "," << (m.scenario ? num(*m.scenario) : "")
            << ",,,,\n";
      }
    }
    if (!c.consequences) continue;
    const Consequences& q = *c.consequences;
    for (std::size_t s = 0; s < q.layout.series.size(); ++s) {
      for (std::size_t y = 0; y < q.bands[s].size(); ++y) {
        const Band& b = q.bands[s][y];
        out << CsvField(c.id) << ",kpi," << CsvField(q.layout.series[s].kpi) << ","
            << CsvField(q.layout.series[s].business_model) << ","
            << r.first_year + static_cast<std::int32_t>(y) << ",,," << num(b.mean) << ","
            << num(b.p10) << "," << num(b.p50) << "," << num(b.p90) << "\n";
      }
    }
    if (!q.npv.empty()) {
      const Band& b = q.npv_band;
      out << CsvField(c.id) << ",npv,profit,,,,," << num(b.mean) << "," << num(b.p10) << ","
          << num(b.p50) << "," << num(b.p90) << "\n";
      out << CsvField(c.id) << ",loss_probability,npv,,,," << num(q.loss_probability) << ",,,,\n";
    }
  }
  if (r.comparison) {
    for (std::size_t i = 0; i < r.columns.size(); ++i) {
      out << CsvField(r.columns[i].id) << ",p_best,npv,,,," << num(r.comparison->p_best[i])
          << ",,,,\n";
      const Band& g = r.comparison->regret[i];
      out << CsvField(r.columns[i].id) << ",regret,npv,,,,," << num(g.mean) << "," << num(g.p10)
          << "," << num(g.p50) << "," << num(g.p90) << "\n";
    }
    if (r.per_draw) {
      // The regret table: per draw (the year column holds the draw's number) and column,
      // the NPV (value) and the regret (mean).
      const std::size_t n = r.columns.front().consequences->npv.size();
      for (std::size_t d = 0; d < n; ++d) {
        double best = -INFINITY;
        for (const Column& c : r.columns) best = std::max(best, c.consequences->npv[d]);
        for (const Column& c : r.columns) {
          out << CsvField(c.id) << ",draw,npv,," << d + 1 << ",," << num(c.consequences->npv[d])
              << "," << num(best - c.consequences->npv[d]) << ",,,\n";
        }
      }
    }
  }
  return out.str();
}

}  // namespace bmil::scenario
