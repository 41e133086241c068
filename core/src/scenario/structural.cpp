#include "scenario/structural.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace bmil::scenario {
namespace {

using Json = nlohmann::json;

// The headline metrics, in the order the summary shows them: (analyzer, metric prefix); a
// prefix ending in '_' takes every metric that starts with it, in the report's order.
const std::vector<std::pair<std::string, std::string>>& Headlines() {
  static const std::vector<std::pair<std::string, std::string>> list = {
      {"canvas", "cells_used"},
      {"canvas", "classic_corner_share"},
      {"blind_spots", "lines_unused"},
      {"blind_spots", "blocks_unused"},
      {"line_mix", "share_"},
      {"orchestration", "multi_line_share"},
      {"orchestration", "cross_model_orchestrations"},
      {"swot_risk", "threats_triggered"},
      {"swot_risk", "models_with_threat"},
      {"portfolio", "as_is_models"},
      {"portfolio", "to_be_models"},
      {"portfolio", "loss_makers_active"},
      {"portfolio", "carried_models"},
      {"vertical", "moves"},
      {"vertical", "moves_before_market"},
      {"horizontal", "gaps"},
      {"strategy_profile", "explicit_strategy_trait"},
      {"strategy_profile", "structured_process_trait"},
      {"strategy_profile", "few_blocks_focus_trait"},
      {"strategy_profile", "untapped_potential_trait"},
      {"strategy_profile", "lacks_skills_trait"},
  };
  return list;
}

bool IsHeadline(const std::string& analyzer, const std::string& metric) {
  for (const auto& [a, m] : Headlines()) {
    if (a != analyzer) continue;
    if (m.back() == '_' ? metric.starts_with(m) : metric == m) return true;
  }
  return false;
}

std::optional<double> Number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

const AnalyzerReport* FindAnalyzer(const AnalysisReport& report, const std::string& id) {
  for (const AnalyzerReport& a : report.analyzers)
    if (a.plugin == id) return &a;
  return nullptr;
}

const Json* FindMatrix(const Json& result, const std::string& id) {
  if (!result.is_object() || !result.contains("matrices")) return nullptr;
  for (const Json& m : result["matrices"])
    if (m.value("id", "") == id) return &m;
  return nullptr;
}

// The canvas's cells (line, block) -> tasks.
std::map<std::pair<std::string, std::string>, double> Cells(const Json& matrix) {
  std::map<std::pair<std::string, std::string>, double> cells;
  const Json& rows = matrix["rows"];
  const Json& columns = matrix["columns"];
  const Json& values = matrix["values"];
  for (std::size_t r = 0; r < rows.size() && r < values.size(); ++r) {
    for (std::size_t c = 0; c < columns.size() && c < values[r].size(); ++c) {
      cells[{rows[r].value("id", ""), columns[c].value("id", "")}] =
          values[r][c].is_number() ? values[r][c].get<double>() : 0.0;
    }
  }
  return cells;
}

std::string FindingKey(const Json& f) {
  return f.value("code", "") + "\x1f" + f.value("message", "");
}

}  // namespace

StructuralDelta CompareStructure(const AnalysisReport& base, const AnalysisReport& scenario) {
  StructuralDelta out;
  // The canvas.
  const AnalyzerReport* canvas_base = FindAnalyzer(base, "canvas");
  const AnalyzerReport* canvas_scenario = FindAnalyzer(scenario, "canvas");
  if (canvas_base != nullptr && canvas_scenario != nullptr) {
    const Json* a = FindMatrix(canvas_base->result, "canvas");
    const Json* b = FindMatrix(canvas_scenario->result, "canvas");
    if (a != nullptr && b != nullptr) {
      out.canvas_compared = true;
      const auto before = Cells(*a);
      // In the scenario's row and column order (the registry's).
      const Json& rows = (*b)["rows"];
      const Json& columns = (*b)["columns"];
      const auto after = Cells(*b);
      for (const Json& row : rows) {
        for (const Json& column : columns) {
          const std::pair<std::string, std::string> key{row.value("id", ""),
                                                        column.value("id", "")};
          const auto ia = before.find(key);
          const double x = ia == before.end() ? 0.0 : ia->second;
          const double y = after.at(key);
          if (x == 0 && y > 0) out.cells_added.push_back({key.first, key.second, x, y});
          if (x > 0 && y == 0) out.cells_left.push_back({key.first, key.second, x, y});
          if (x == 0 && y == 0) ++out.blind_in_both;
        }
      }
    }
  }
  // Metrics: every analyzer of the scenario's report, matched by plugin id.
  std::vector<MetricDelta> headline, changed;
  for (const AnalyzerReport& s : scenario.analyzers) {
    const AnalyzerReport* b = FindAnalyzer(base, s.plugin);
    if (b == nullptr || b->result.is_null() || s.result.is_null()) {
      out.notes.push_back("analyzer \"" + s.plugin + "\" has no result for the " +
                          (b == nullptr || b->result.is_null() ? "base" : "scenario") +
                          ": not compared");
      continue;
    }
    std::map<std::string, const Json*> base_metrics;
    if (b->result.contains("metrics"))
      for (const Json& m : b->result["metrics"]) base_metrics[m.value("id", "")] = &m;
    if (!s.result.contains("metrics")) continue;
    for (const Json& m : s.result["metrics"]) {
      MetricDelta d;
      d.analyzer = s.plugin;
      d.metric = m.value("id", "");
      d.label = m.value("label", d.metric);
      d.unit = m.value("unit", "");
      d.scenario = Number(m.value("value", Json()));
      if (auto it = base_metrics.find(d.metric); it != base_metrics.end())
        d.base = Number(it->second->value("value", Json()));
      d.headline = IsHeadline(d.analyzer, d.metric);
      if (d.headline) {
        headline.push_back(std::move(d));
      } else if (d.base != d.scenario) {
        changed.push_back(std::move(d));
      }
    }
  }
  // Headlines in the order Headlines() gives, then the others in report order.
  std::stable_sort(
      headline.begin(), headline.end(), [](const MetricDelta& x, const MetricDelta& y) {
        auto rank = [](const MetricDelta& d) {
          const auto& list = Headlines();
          for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& [a, m] = list[i];
            if (a == d.analyzer && (m.back() == '_' ? d.metric.starts_with(m) : d.metric == m))
              return i;
          }
          return list.size();
        };
        return rank(x) < rank(y);
      });
  out.metrics = std::move(headline);
  out.metrics.insert(out.metrics.end(), std::make_move_iterator(changed.begin()),
                     std::make_move_iterator(changed.end()));
  // Findings: a multiset difference by (code, message), per analyzer.
  std::vector<FindingChange> raised, cleared;
  for (const AnalyzerReport& s : scenario.analyzers) {
    const AnalyzerReport* b = FindAnalyzer(base, s.plugin);
    if (b == nullptr || b->result.is_null() || s.result.is_null()) continue;
    std::map<std::string, int> in_base, in_scenario;
    const Json empty = Json::array();
    const Json& fb = b->result.contains("findings") ? b->result["findings"] : empty;
    const Json& fs = s.result.contains("findings") ? s.result["findings"] : empty;
    for (const Json& f : fb) ++in_base[FindingKey(f)];
    for (const Json& f : fs) ++in_scenario[FindingKey(f)];
    auto change = [&](const Json& f, bool is_raised) {
      return FindingChange{s.plugin,
                           f.value("code", ""),
                           f.value("severity", ""),
                           f.value("message", ""),
                           is_raised,
                           false,
                           ""};
    };
    std::map<std::string, int> seen;
    for (const Json& f : fs) {
      const std::string key = FindingKey(f);
      if (++seen[key] > in_base[key]) raised.push_back(change(f, true));
    }
    seen.clear();
    for (const Json& f : fb) {
      const std::string key = FindingKey(f);
      if (++seen[key] > in_scenario[key]) cleared.push_back(change(f, false));
    }
  }
  // A raised and a cleared finding of the same analyzer and code: one that changed.
  std::vector<FindingChange> changed_findings;
  for (auto r = raised.begin(); r != raised.end();) {
    auto c = std::find_if(cleared.begin(), cleared.end(), [&](const FindingChange& f) {
      return f.analyzer == r->analyzer && f.code == r->code;
    });
    if (c == cleared.end()) {
      ++r;
      continue;
    }
    FindingChange both = *r;
    both.raised = false;
    both.changed = true;
    both.base_message = c->message;
    changed_findings.push_back(std::move(both));
    cleared.erase(c);
    r = raised.erase(r);
  }
  out.findings = std::move(raised);
  out.findings.insert(out.findings.end(), std::make_move_iterator(changed_findings.begin()),
                      std::make_move_iterator(changed_findings.end()));
  out.findings.insert(out.findings.end(), std::make_move_iterator(cleared.begin()),
                      std::make_move_iterator(cleared.end()));
  return out;
}

nlohmann::ordered_json StructuralJson(const StructuralDelta& delta) {
  using OJson = nlohmann::ordered_json;
  auto cells = [](const std::vector<CanvasCell>& list) {
    OJson a = OJson::array();
    for (const CanvasCell& c : list)
      a.push_back(
          {{"line", c.line}, {"block", c.block}, {"base", c.base}, {"scenario", c.scenario}});
    return a;
  };
  OJson j;
  j["canvas_compared"] = delta.canvas_compared;
  j["cells_added"] = cells(delta.cells_added);
  j["cells_left"] = cells(delta.cells_left);
  j["blind_in_both"] = delta.blind_in_both;
  OJson metrics = OJson::array();
  for (const MetricDelta& m : delta.metrics) {
    OJson item{
        {"analyzer", m.analyzer}, {"metric", m.metric}, {"label", m.label}, {"unit", m.unit}};
    item["base"] = m.base ? OJson(*m.base) : OJson();
    item["scenario"] = m.scenario ? OJson(*m.scenario) : OJson();
    item["delta"] = m.base && m.scenario ? OJson(*m.scenario - *m.base) : OJson();
    item["headline"] = m.headline;
    metrics.push_back(std::move(item));
  }
  j["metrics"] = std::move(metrics);
  OJson findings = OJson::array();
  for (const FindingChange& f : delta.findings) {
    OJson item{{"analyzer", f.analyzer},
               {"code", f.code},
               {"severity", f.severity},
               {"message", f.message},
               {"change", f.changed  ? "changed"
                          : f.raised ? "raised"
                                     : "cleared"}};
    if (f.changed) item["base_message"] = f.base_message;
    findings.push_back(std::move(item));
  }
  j["findings"] = std::move(findings);
  j["notes"] = delta.notes;
  return j;
}

}  // namespace bmil::scenario
