#include <bmil/report_render.hpp>

#include "report/case_summary.hpp"
#include "report/manager_summary.hpp"
#include "report/result_shape.hpp"
#include "report/terminal_text.hpp"
#include "report/value_format.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <cmath>
#include <sstream>

namespace bmil {
namespace {

using Json = nlohmann::json;

// Text from cases and plugins in Markdown: one line that renders as itself (no raw HTML,
// links, emphasis or table breaks; control characters shown, not sent).
std::string MdCell(const std::string& text) { return MarkdownText(text); }

std::string MdValue(const Json& v, const std::string& type) {
  return MdCell(DisplayValue(v, type));
}

std::string LineLabel(const std::string& id, const Registry& registry) {
  for (const auto& line : registry.lines()) {
    if (line.id == id) return line.code.empty() ? id : line.code;
  }
  return id;
}

std::string YesNo(const std::optional<bool>& v) { return !v ? "not stated" : *v ? "yes" : "no"; }

// "42000000 DKK", or "" when the figure is not stated.
std::string Money(const std::optional<double>& v, const std::string& currency) {
  if (!v) return "";
  return DisplayValue(Json(*v), "number") + (currency.empty() ? "" : " " + currency);
}

std::string Industries(const BusinessModel& model) {
  std::string out;
  for (const auto& industry : model.industries) {
    const std::string status = IndustryStatusName(industry.status);
    out += (out.empty() ? "" : ", ") + industry.id + (status.empty() ? "" : " (" + status + ")");
  }
  return out;
}

// One business in detail: its facts, strategy, and each portfolio's business models with
// state, stage, industries and value formula.
void BusinessMarkdown(std::ostringstream& md, const Case& c, const Registry& registry) {
  const Business& b = c.business;
  md << "\n## Business: " << MdCell(b.name.empty() ? b.id : b.name) << " (`" << b.id << "`)\n\n";
  std::string facts;
  auto fact = [&](const std::string& label, const std::string& value) {
    if (!value.empty()) facts += (facts.empty() ? "" : " · ") + label + " " + value;
  };
  fact("Industry", b.industry);
  fact("Country", b.country);
  fact("Size", SizeName(b.size));
  fact("Founded", b.founded ? std::to_string(*b.founded) : "");
  fact("Employees", b.employees ? std::to_string(*b.employees) : "");
  if (!facts.empty()) md << MdCell(facts) << ".\n\n";
  if (!b.description.empty()) md << MdCell(b.description) << "\n\n";
  if (c.strategy) {
    const Strategy& st = *c.strategy;
    std::string lines;
    for (const auto& l : st.leadership_lines)
      lines += (lines.empty() ? "" : ", ") + LineLabel(l, registry);
    md << "Strategy: explicit BMIL strategy " << YesNo(st.explicit_strategy)
       << " · structured strategy process " << YesNo(st.structured_process) << " · BMIL skills "
       << (st.skills == Skills::kUnstated
               ? std::string("not stated")
               : std::string(sdk::NameOf(sdk::kSkillsNames, static_cast<unsigned>(st.skills))))
       << " · chosen lines " << (lines.empty() ? "none stated" : lines) << ".\n";
    for (const auto& goal : st.goals) md << "- Goal: " << MdCell(goal) << "\n";
    md << "\n";
  }
  const BusinessSummary summary = SummarizeBusiness(c);
  md << summary.models.size() << " business models (" << summary.as_is << " AS IS, "
     << summary.to_be << " TO BE), " << summary.tasks << " BMI tasks.\n";
  for (const auto& p : summary.portfolios) {
    if (p.portfolio != nullptr) {
      md << "\n### Portfolio: "
         << MdCell(p.portfolio->name.empty() ? p.portfolio->id : p.portfolio->name) << " (`"
         << p.portfolio->id << "`)\n\n";
      if (!p.portfolio->description.empty()) md << MdCell(p.portfolio->description) << "\n\n";
    } else {
      md << "\n### Business models in no portfolio\n\n";
    }
    md << "| # | Business model | State | Stage | Industries | Value formula | Revenue | Cost | "
          "Profit | Users | Customers | BMI tasks |\n"
          "|---:|---|---|---|---|---|---:|---:|---:|---:|---:|---:|\n";
    for (std::size_t i : p.models) {
      const ModelSummary& m = summary.models[i];
      const BusinessModel& bm = *m.model;
      const ValueFormula& vf = bm.value_formula;
      std::string formula;
      if (const auto it = bm.building_blocks.find("value_formula"); it != bm.building_blocks.end())
        formula = it->second.description;
      if (!bm.carried_by.empty()) {
        std::string carriers;
        for (const auto& id : bm.carried_by) carriers += (carriers.empty() ? "" : ", ") + id;
        formula += (formula.empty() ? "" : " ") + std::string("Carried by ") + carriers + ".";
      }
      md << "| " << i + 1 << " | " << MdCell(bm.name.empty() ? bm.id : bm.name) << " (`" << bm.id
         << "`) | " << StateLabel(bm.state) << " | " << StageName(bm.stage) << " | "
         << MdCell(Industries(bm)) << " | " << MdCell(formula) << " | "
         << Money(vf.revenue, vf.currency) << " | " << Money(vf.cost, vf.currency) << " | "
         << Money(m.profit, vf.currency) << " | "
         << (vf.users ? DisplayValue(Json(*vf.users), "number") : "") << " | "
         << (vf.customers ? DisplayValue(Json(*vf.customers), "number") : "") << " | " << m.tasks
         << " |\n";
    }
  }
}

// Several businesses: one line each instead of their portfolios.
// `cases` are all `total` businesses, or the first of them.
void BusinessesMarkdown(std::ostringstream& md, std::span<const Case> cases, std::size_t total) {
  md << "\n## Businesses\n\nThe figures below add up all " << total
     << " businesses. For one business's portfolios and business models, report on its case "
        "alone.\n\n"
        "| # | Business | Industry | Country | Size | Business models | AS IS | TO BE | BMI "
        "tasks |\n|---:|---|---|---|---|---:|---:|---:|---:|\n";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Business& b = cases[i].business;
    const BusinessSummary s = SummarizeBusiness(cases[i]);
    md << "| " << i + 1 << " | " << MdCell(b.name.empty() ? b.id : b.name) << " (`" << b.id
       << "`) | " << MdCell(b.industry) << " | " << b.country << " | " << SizeName(b.size) << " | "
       << s.models.size() << " | " << s.as_is << " | " << s.to_be << " | " << s.tasks << " |\n";
  }
  if (cases.size() < total) {
    md << "\nThe first " << cases.size() << " of " << total
       << " businesses are listed (`bmil report --max-rows N` or `--all` lists more).\n";
  }
}

}  // namespace

namespace {

// `cases` are all the businesses `totals` counts, or the first of them.
std::string MarkdownOf(const AnalysisReport& report, const Registry& registry,
                       std::span<const Case> cases, const CaseTotals& totals) {
  const std::size_t total = totals.businesses;
  std::ostringstream md;
  md << "# BMIL analysis\n\n";
  md << "Businesses (" << report.cases.size() << "): ";
  for (std::size_t i = 0; i < report.cases.size() && i < 20; ++i)
    md << (i ? ", " : "") << MdCell(report.cases[i]);
  if (report.cases.size() > 20) md << ", and " << report.cases.size() - 20 << " more";
  md << ".\n\nProduced by bmil " << BMIL_VERSION
     << " after Lindgren (2012), *Business Model Innovation Leadership*, IJBM 7(14), 53.\n";
  // The manager's summary (docs/reports.md, "The summary"), then the detail.
  const ManagerSummary summary = Summarize(report, registry, cases, totals);
  md << "\n## Summary\n\n**" << MdCell(summary.headline) << "**\n";
  if (summary.has_canvas)
    md << "\n**Canvas:** " << MdCell(CanvasGlanceText(summary.canvas)) << ".\n";
  if (!summary.actions.empty()) {
    md << "\n**Act on first** (" << summary.actions.size() << " of " << summary.findings
       << " findings, most pressing first):\n\n";
    for (std::size_t i = 0; i < summary.actions.size(); ++i) {
      const SummaryItem& item = summary.actions[i];
      const std::string reach = ItemReachText(item, total > 1);
      md << i + 1 << ". **" << MdCell(item.severity) << "** `" << MdCell(item.code) << "`"
         << (reach.empty() ? "" : " (" + MdCell(reach) + ")") << ": " << MdCell(item.message)
         << " *Evidence:* Findings, from " << MdCell(item.analyzer) << ".\n";
    }
  }
  if (cases.size() == 1 && total == 1) BusinessMarkdown(md, cases.front(), registry);
  if (total > 1 && !cases.empty()) BusinessesMarkdown(md, cases, total);

  for (const auto& analyzer : report.analyzers) {
    if (analyzer.result.is_null()) continue;
    const Json& r = analyzer.result;
    md << "\n## " << MdCell(r.value("title", analyzer.plugin)) << " (`" << analyzer.plugin
       << "`)\n\n";
    if (!r.value("summary", "").empty()) md << MdCell(r.value("summary", "")) << "\n\n";
    const Json metrics = r.value("metrics", Json::array());
    if (!metrics.empty()) {
      md << "| Metric | Value | Unit |\n|---|---:|---|\n";
      for (const auto& m : metrics) {
        const std::string unit = m.value("unit", "");
        md << "| " << MdCell(m.value("label", m.value("id", ""))) << " | "
           << MdValue(m.at("value"), unit == "share" ? "percent" : "") << " | "
           << MdCell(unit == "share" ? "" : unit) << " |\n";
      }
    }
    for (const auto& t : r.value("tables", Json::array())) {
      md << "\n### " << MdCell(t.value("title", t.value("id", ""))) << "\n\n";
      const Json& columns = t.at("columns");
      if (t.at("rows").empty()) {
        md << "(none)\n";
        continue;
      }
      md << "|";
      for (const auto& c : columns)
        md << " " << MdCell(c.value("label", c.value("id", ""))) << " |";
      md << "\n|";
      for (const auto& c : columns)
        md << (c.value("type", "string") == "string" ? "---|" : "---:|");
      md << "\n";
      for (const auto& row : t.at("rows")) {
        md << "|";
        for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) {
          const std::string type = columns[i].value("type", "string");
          const bool share = type == "number" && columns[i].value("unit", "") == "share";
          md << " " << MdValue(row[i], share ? "percent" : type) << " |";
        }
        md << "\n";
      }
    }
    for (const auto& m : r.value("matrices", Json::array())) {
      md << "\n### " << MdCell(m.value("title", m.value("id", ""))) << " ("
         << MdCell(m.value("unit", "")) << ")\n\n|  |";
      const bool line_rows = m.value("row_dimension", "leadership_line") == "leadership_line";
      for (const auto& c : m.at("columns"))
        md << " " << MdCell(c.value("label", c.value("id", ""))) << " |";
      md << "\n|---|";
      for (std::size_t i = 0; i < m.at("columns").size(); ++i) md << "---:|";
      md << "\n";
      for (std::size_t i = 0; i < m.at("rows").size(); ++i) {
        const std::string id = m.at("rows")[i].value("id", "");
        md << "| "
           << MdCell(line_rows ? LineLabel(id, registry) : m.at("rows")[i].value("label", id))
           << " |";
        for (const auto& v : m.at("values")[i]) md << " " << MdValue(v, "") << " |";
        md << "\n";
      }
    }
  }

  md << "\n## Findings\n";
  // With several businesses, each finding says which it concerns (by name).
  std::map<std::string, std::string> business_names;
  for (const Case& c : cases) business_names[c.business.id] = BusinessName(c.business);
  const bool name_businesses = report.cases.size() > 1;
  std::size_t count = 0;
  for (const char* severity : {"warning", "notice", "info"}) {
    std::ostringstream group;
    for (const auto& analyzer : report.analyzers) {
      if (analyzer.result.is_null()) continue;
      for (const auto& f : analyzer.result.value("findings", Json::array())) {
        if (f.value("severity", "") != severity) continue;
        ++count;
        group << "- **" << MdCell(f.value("code", "")) << "** (" << analyzer.plugin
              << "): " << MdCell(f.value("message", "")) << "\n";
        for (const auto& e : f.value("evidence", Json::array()))
          group << "  - " << MdCell(ScalarText(e)) << "\n";
        if (const std::string businesses = FindingBusinesses(f, &business_names);
            name_businesses && !businesses.empty())
          group << "  - *Businesses:* " << MdCell(businesses) << "\n";
        if (!f.value("source", "").empty())
          group << "  - *Source:* " << MdCell(f.value("source", "")) << "\n";
      }
    }
    if (!group.str().empty())
      md << "\n### " << char(std::toupper(severity[0])) << (severity + 1) << "s\n\n" << group.str();
  }
  if (count == 0) md << "\nNone.\n";
  if (!report.failures.empty()) {
    md << "\n## Plugin failures\n\n";
    for (const auto& f : report.failures) md << "- " << MdCell(f.ToString()) << "\n";
  }
  return md.str();
}

}  // namespace

std::string RenderMarkdown(const AnalysisReport& report, const Registry& registry,
                           std::span<const Case> cases) {
  return MarkdownOf(report, registry, cases, CaseTotals::Of(cases));
}

std::string RenderMarkdown(const AnalysisReport& report, const Registry& registry,
                           const ReportCases& cases) {
  return MarkdownOf(report, registry, cases.kept(), cases.totals());
}

std::string RenderCsv(const AnalysisReport& report) {
  std::ostringstream csv;
  csv << "analyzer,table,row,column,value\r\n";
  auto line = [&](const std::string& analyzer, const std::string& table, const std::string& row,
                  const std::string& column, const std::string& value) {
    csv << CsvField(analyzer) << ',' << CsvField(table) << ',' << CsvField(row) << ','
        << CsvField(column) << ',' << CsvField(value) << "\r\n";
  };
  for (const auto& analyzer : report.analyzers) {
    if (analyzer.result.is_null()) continue;
    const Json& r = analyzer.result;
    const std::string& a = analyzer.plugin;
    for (const auto& m : r.value("metrics", Json::array())) {
      line(a, "metrics", m.value("id", ""), "value", ScalarText(m.at("value")));
    }
    for (const auto& t : r.value("tables", Json::array())) {
      const Json& columns = t.at("columns");
      std::size_t number = 0;
      for (const auto& row : t.at("rows")) {
        const std::string key = std::to_string(++number);
        for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) {
          line(a, t.value("id", ""), key, columns[i].value("id", ""), ScalarText(row[i]));
        }
      }
    }
    for (const auto& m : r.value("matrices", Json::array())) {
      for (std::size_t i = 0; i < m.at("rows").size(); ++i) {
        for (std::size_t j = 0; j < m.at("columns").size(); ++j) {
          line(a, m.value("id", ""), m.at("rows")[i].value("id", ""),
               m.at("columns")[j].value("id", ""), ScalarText(m.at("values")[i][j]));
        }
      }
    }
    std::size_t n = 0;
    for (const auto& f : r.value("findings", Json::array())) {
      const std::string row = std::to_string(++n);
      line(a, "findings", row, "severity", f.value("severity", ""));
      line(a, "findings", row, "code", f.value("code", ""));
      line(a, "findings", row, "message", f.value("message", ""));
      std::string evidence;
      for (const auto& e : f.value("evidence", Json::array()))
        evidence += (evidence.empty() ? "" : "; ") + ScalarText(e);
      line(a, "findings", row, "evidence", evidence);
      // Ids, "; "-separated like the evidence, so that a finding joins to its businesses.
      if (const std::string businesses = FindingBusinesses(f, nullptr, "; "); !businesses.empty())
        line(a, "findings", row, "businesses", businesses);
      line(a, "findings", row, "source", f.value("source", ""));
    }
  }
  return csv.str();
}

}  // namespace bmil
