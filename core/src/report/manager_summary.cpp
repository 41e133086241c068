#include "report/manager_summary.hpp"

#include "report/case_summary.hpp"
#include "report/result_shape.hpp"
#include "report/value_format.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace bmil {
namespace {

using Json = nlohmann::json;

int SeverityRank(const std::string& severity) {
  return severity == "warning" ? 3 : severity == "notice" ? 2 : severity == "info" ? 1 : 0;
}

// Whether a finding's source cites one of the paper's five traits of SME BMI (sec. 5).
bool CitesTrait(const std::string& source) {
  return source.find("trait") != std::string::npos || source.find("sec. 5") != std::string::npos;
}

std::string Headline(std::span<const Case> cases, const CaseTotals& totals,
                     const AnalysisReport& report) {
  const std::size_t businesses = cases.empty() ? report.cases.size() : totals.businesses;
  if (businesses == 1 && cases.size() == 1) {
    const Case& c = cases.front();
    std::size_t as_is = 0, to_be = 0;
    for (const auto& m : c.business_models) {
      if (m.state == State::kAsIs) ++as_is;
      if (m.state == State::kToBe) ++to_be;
    }
    std::string text = BusinessName(c.business);
    std::vector<std::string> facts;
    if (!c.business.industry.empty()) facts.push_back(c.business.industry);
    if (!c.business.country.empty()) facts.push_back(c.business.country);
    if (!facts.empty()) {
      text += " (";
      for (std::size_t i = 0; i < facts.size(); ++i) text += (i ? ", " : "") + facts[i];
      text += ")";
    }
    return text + ": " + Plural(c.business_models.size(), "business model", "business models") +
           " (" + std::to_string(as_is) + " AS IS, " + std::to_string(to_be) + " TO BE), " +
           Plural(c.bmi_tasks.size(), "BMI task", "BMI tasks") + ".";
  }
  // Without the cases, the canvas analyzer's counts.
  std::size_t models = totals.models, tasks = totals.tasks;
  if (cases.empty()) {
    for (const auto& a : report.analyzers) {
      if (a.plugin != "canvas" || !a.result.is_object()) continue;
      for (const auto& m : a.result.value("metrics", Json::array())) {
        const auto value = m.find("value");
        if (value == m.end() || !value->is_number()) continue;
        if (StringField(m, "id") == "business_models") models = value->get<std::size_t>();
        if (StringField(m, "id") == "tasks") tasks = value->get<std::size_t>();
      }
    }
  }
  std::string who = Plural(businesses, "business", "businesses");
  if (businesses == 1 && !report.cases.empty()) who = "Business " + report.cases.front();
  return who + ": " + Plural(models, "business model", "business models") + ", " +
         Plural(tasks, "BMI task", "BMI tasks") + ".";
}

// The canvas analyzer's "canvas" matrix, when it is there and well formed.
bool Glance(const AnalysisReport& report, const Registry& registry, CanvasGlance& glance) {
  auto line_label = [&](const Json& axis) {
    const std::string id = StringField(axis, "id");
    for (const auto& l : registry.lines())
      if (l.id == id) return l.code.empty() ? l.id : l.code;
    return StringField(axis, "label", id);
  };
  auto block_label = [&](const Json& axis) {
    const std::string id = StringField(axis, "id");
    for (const auto& b : registry.blocks())
      if (b.id == id) return b.name.empty() ? b.id : b.name;
    return StringField(axis, "label", id);
  };
  for (const auto& a : report.analyzers) {
    if (a.plugin != "canvas" || !a.result.is_object()) continue;
    for (const auto& m : a.result.value("matrices", Json::array())) {
      if (StringField(m, "id") != "canvas" || !MatrixProblem(m).empty()) continue;
      const Json& rows = m.at("rows");
      const Json& columns = m.at("columns");
      const Json& values = m.at("values");
      std::vector<bool> column_used(columns.size(), false);
      for (std::size_t r = 0; r < rows.size(); ++r) {
        bool row_used = false;
        for (std::size_t c = 0; c < columns.size(); ++c) {
          const double v = values[r][c].get<double>();
          ++glance.cells;
          if (v <= 0) continue;
          ++glance.used;
          row_used = true;
          column_used[c] = true;
          glance.top.push_back({line_label(rows[r]), block_label(columns[c]), v});
        }
        if (!row_used) glance.lines_unused.push_back(line_label(rows[r]));
      }
      for (std::size_t c = 0; c < columns.size(); ++c)
        if (!column_used[c]) glance.blocks_unused.push_back(block_label(columns[c]));
      // Most tasks first; ties in canvas order (stable).
      std::stable_sort(glance.top.begin(), glance.top.end(),
                       [](const auto& x, const auto& y) { return x.tasks > y.tasks; });
      if (glance.top.size() > 3) glance.top.resize(3);
      return true;
    }
  }
  return false;
}

}  // namespace

ManagerSummary Summarize(const AnalysisReport& report, const Registry& registry,
                         std::span<const Case> cases, const CaseTotals& totals) {
  ManagerSummary summary;
  summary.headline = Headline(cases, totals, report);
  summary.has_canvas = Glance(report, registry, summary.canvas);
  // Items by code, in the order the analyzers reported them.
  std::vector<SummaryItem> items;
  std::map<std::string, std::size_t> by_code;
  std::vector<std::set<std::string>> seen;
  for (const auto& a : report.analyzers) {
    if (!a.result.is_object()) continue;
    const auto findings = a.result.find("findings");
    if (findings == a.result.end() || !findings->is_array()) continue;
    for (const auto& f : *findings) {
      if (!FindingProblem(f).empty()) continue;
      ++summary.findings;
      const std::string code = f["code"].get<std::string>();
      auto [it, added] = by_code.emplace(code, items.size());
      if (added) {
        items.push_back({code,
                         a.plugin,
                         f["severity"].get<std::string>(),
                         f["message"].get<std::string>(),
                         0,
                         {},
                         false});
        seen.emplace_back();
      }
      SummaryItem& item = items[it->second];
      ++item.findings;
      if (SeverityRank(f["severity"].get<std::string>()) > SeverityRank(item.severity))
        item.severity = f["severity"].get<std::string>();
      item.trait = item.trait || CitesTrait(StringField(f, "source"));
      for (const auto& b : f.value("businesses", Json::array())) {
        if (b.is_string() && seen[it->second].insert(b.get<std::string>()).second)
          item.businesses.push_back(b.get<std::string>());
      }
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const SummaryItem& x, const SummaryItem& y) {
    return std::make_tuple(SeverityRank(x.severity), x.trait, x.businesses.size(), x.findings) >
           std::make_tuple(SeverityRank(y.severity), y.trait, y.businesses.size(), y.findings);
  });
  if (items.size() > ManagerSummary::kMaxActions) items.resize(ManagerSummary::kMaxActions);
  summary.actions = std::move(items);
  return summary;
}

std::string CanvasGlanceText(const CanvasGlance& glance) {
  std::string text =
      std::to_string(glance.used) + " of " + std::to_string(glance.cells) + " cells used";
  if (!glance.top.empty()) {
    text += "; busiest: ";
    for (std::size_t i = 0; i < glance.top.size(); ++i) {
      const auto& c = glance.top[i];
      text += (i ? ", " : "") + c.line + " x " + c.block + " (" + ShortNumber(c.tasks, false, 6) +
              (c.tasks == 1 ? " task)" : " tasks)");
    }
  }
  auto list = [](const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
    return out;
  };
  if (!glance.lines_unused.empty() || !glance.blocks_unused.empty()) {
    text += "; never used:";
    if (!glance.lines_unused.empty()) text += " lines " + list(glance.lines_unused);
    if (!glance.lines_unused.empty() && !glance.blocks_unused.empty()) text += ";";
    if (!glance.blocks_unused.empty()) text += " blocks " + list(glance.blocks_unused);
  }
  return text;
}

std::string ItemReachText(const SummaryItem& item, bool several_businesses) {
  std::vector<std::string> parts;
  if (several_businesses && !item.businesses.empty())
    parts.push_back(Plural(item.businesses.size(), "business", "businesses"));
  if (item.findings > 1) parts.push_back(Plural(item.findings, "finding", "findings"));
  if (item.trait) parts.push_back("one of the paper's five traits");
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : "") + parts[i];
  return text;
}

}  // namespace bmil
