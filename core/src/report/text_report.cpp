#include <bmil/text_report.hpp>

#include "report/manager_summary.hpp"
#include "report/result_shape.hpp"
#include "report/terminal_text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace bmil {
namespace {

constexpr const char* kReset = "\033[0m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kCyan = "\033[36m";

std::string Paint(const TextStyle& style, const char* code, const std::string& text) {
  return style.color ? std::string(code) + text + kReset : text;
}

// A finding's severity as "[warning]", coloured by it (red, yellow, dim).
std::string SeverityTag(const TextStyle& style, const std::string& severity) {
  const char* colour = severity == "warning" ? kRed : severity == "notice" ? kYellow : kDim;
  return Paint(style, colour, "[" + TerminalSafe(severity) + "]");
}

// Display width in code points (our labels are short UTF-8 strings).
std::size_t Width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string PadLeft(const std::string& s, std::size_t width) {
  const std::size_t w = Width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}
std::string PadRight(const std::string& s, std::size_t width) {
  const std::size_t w = Width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

// A short column header for a block id: the built-in blocks get two-letter codes.
std::string BlockAbbreviation(const std::string& id) {
  static const std::pair<const char*, const char*> kCodes[] = {
      {"value_proposition", "VP"}, {"customers", "CU"}, {"value_chain", "VC"},
      {"competences", "CO"},       {"network", "NE"},   {"relations", "RE"},
      {"value_formula", "VF"}};
  for (auto [block, code] : kCodes)
    if (id == block) return code;
  return id.substr(0, 6);
}

std::string LineLabel(const std::string& id, const Registry& registry) {
  for (const auto& line : registry.lines()) {
    if (line.id == id) {
      std::string code = line.code.empty() ? id : line.code;
      if (code.size() < 5) code.append(5 - code.size(), ' ');
      return code + " " + line.name;
    }
  }
  return id;
}

// The line's code (e.g. "CIL"), or its id when the registry does not know it.
std::string LineCode(const std::string& id, const Registry& registry) {
  for (const auto& line : registry.lines()) {
    if (line.id == id && !line.code.empty()) return line.code;
  }
  return id;
}

std::string FormatNumber(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::ostringstream out;
  out.precision(3);
  out << v;
  return out.str();
}

// Rows of a table shown on a terminal; the rest are in the JSON output.
constexpr std::size_t kMaxTableRows = 12;

// A metric's or cell's value: shares as percentages, numbers compactly, null as "-".
std::string FormatValue(const nlohmann::json& v, const std::string& unit) {
  if (v.is_null()) return "-";
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_number()) return v.dump();
  const double d = v.get<double>();
  if (unit == "share" || unit == "percent") {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << d * 100 << "%";
    return out.str();
  }
  std::string text = FormatNumber(d);
  if (!unit.empty() && unit != "share") text += " " + unit;
  return text;
}

std::string RenderTableText(const nlohmann::json& raw_table, const TextStyle& style,
                            std::size_t max_rows) {
  const nlohmann::json table = TerminalSafeCopy(raw_table);
  const auto& columns = table.at("columns");
  const auto& rows = table.at("rows");
  std::ostringstream out;
  out << "\n  " << Paint(style, kBold, table.value("title", table.value("id", ""))) << "\n";
  if (rows.empty()) {
    out << "    (none)\n";
    return out.str();
  }
  const std::size_t shown = std::min(max_rows, rows.size());
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto& c : columns) widths.push_back(Width(c.value("label", c.value("id", ""))));
  for (std::size_t r = 0; r < shown; ++r) {
    std::vector<std::string> row;
    for (std::size_t c = 0; c < columns.size() && c < rows[r].size(); ++c) {
      // A percent column, or a number column of shares (a difference of shares): one
      // format for shares everywhere, as in the HTML and Markdown reports.
      const std::string type = columns[c].value("type", "string");
      const bool share =
          type == "percent" || (type == "number" && columns[c].value("unit", "") == "share");
      std::string cell = FormatValue(rows[r][c], share ? "percent" : "");
      if (cell.size() > 60) cell = cell.substr(0, 57) + "...";
      widths[c] = std::max(widths[c], Width(cell));
      row.push_back(std::move(cell));
    }
    cells.push_back(std::move(row));
  }
  auto numeric = [&](std::size_t c) { return columns[c].value("type", "string") != "string"; };
  out << "   ";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string label = columns[c].value("label", columns[c].value("id", ""));
    out << " " << (numeric(c) ? PadLeft(label, widths[c]) : PadRight(label, widths[c]));
  }
  out << "\n";
  for (const auto& row : cells) {
    out << "   ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      out << " " << (numeric(c) ? PadLeft(row[c], widths[c]) : PadRight(row[c], widths[c]));
    }
    out << "\n";
  }
  if (rows.size() > shown) {
    out << "    ... " << rows.size() - shown << " more rows (see --format json)\n";
  }
  return out.str();
}

}  // namespace

std::string RenderMatrixText(const nlohmann::json& raw_matrix, const Registry& registry,
                             const TextStyle& style) {
  const nlohmann::json matrix = TerminalSafeCopy(raw_matrix);
  const auto& rows = matrix.at("rows");
  const auto& columns = matrix.at("columns");
  const auto& values = matrix.at("values");
  // Axes are labelled by what they hold: lines by code and name (rows) or code (columns),
  // blocks by their two-letter code (columns), anything else by the axis's own label. A
  // matrix without dimensions is the canvas shape (lines x blocks).
  const std::string row_dimension = matrix.value("row_dimension", "leadership_line");
  const std::string column_dimension = matrix.value("column_dimension", "building_block");
  std::vector<std::string> row_labels, column_labels;
  for (const auto& r : rows) {
    const std::string id = r.at("id").get<std::string>();
    row_labels.push_back(row_dimension == "leadership_line" ? LineLabel(id, registry)
                         : row_dimension == "building_block"
                             ? BlockAbbreviation(id) + "  " + r.value("label", id)
                             : r.value("label", id));
  }
  for (const auto& c : columns) {
    const std::string id = c.at("id").get<std::string>();
    column_labels.push_back(column_dimension == "building_block"    ? BlockAbbreviation(id)
                            : column_dimension == "leadership_line" ? LineCode(id, registry)
                                                                    : c.value("label", id));
  }

  std::size_t label_width = 4;
  for (const auto& l : row_labels) label_width = std::max(label_width, Width(l));
  std::size_t cell_width = 3;
  double max_value = 0;
  for (const auto& row : values)
    for (const auto& v : row) {
      cell_width = std::max(cell_width, FormatNumber(v.get<double>()).size() + 1);
      max_value = std::max(max_value, v.get<double>());
    }
  for (const auto& c : column_labels) cell_width = std::max(cell_width, Width(c) + 1);

  const std::string vertical = style.unicode ? "│" : "|";
  const std::string horizontal = style.unicode ? "─" : "-";
  const std::string cross = style.unicode ? "┼" : "+";
  std::ostringstream out;
  out << PadRight("", label_width) << " " << vertical;
  for (const auto& c : column_labels) out << Paint(style, kBold, PadLeft(c, cell_width));
  out << "\n";
  std::string rule;
  for (std::size_t i = 0; i < label_width + 1; ++i) rule += horizontal;
  rule += cross;
  for (std::size_t i = 0; i < cell_width * column_labels.size(); ++i) rule += horizontal;
  out << rule << "\n";
  for (std::size_t r = 0; r < row_labels.size(); ++r) {
    out << PadRight(row_labels[r], label_width) << " " << vertical;
    for (std::size_t c = 0; c < column_labels.size(); ++c) {
      const double v = values.at(r).at(c).get<double>();
      std::string cell = v == 0 ? "." : FormatNumber(v);
      cell = PadLeft(cell, cell_width);
      if (v == 0)
        cell = Paint(style, kDim, cell);
      else if (max_value > 0 && v >= max_value * 0.66)
        cell = Paint(style, kCyan, cell);
      out << cell;
    }
    out << "\n";
  }
  if (column_dimension == "building_block") {
    std::string legend;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      legend += (c ? ", " : "") + column_labels[c] + " = " + columns[c].at("id").get<std::string>();
    }
    out << Wrapped(legend, 9, "Columns: ");
  }
  return out.str();
}

namespace {

void RenderFailures(std::ostream& out, const AnalysisReport& report, const TextStyle& style) {
  if (report.failures.empty()) return;
  out << "\n" << Paint(style, kBold, "Plugin failures") << "\n";
  for (const auto& f : report.failures) {
    out << "  " << Paint(style, kRed, TerminalSafe(f.ToString())) << "\n";
  }
}

// The rest of a summary-only text: the business-level canvas (the canvas analyzer's matrix
// "canvas"), the plugins that failed, and what --full would add.
void RenderSummaryRest(std::ostream& out, const AnalysisReport& report, const Registry& registry,
                       const TextStyle& style, const ManagerSummary& summary) {
  std::size_t results = 0;
  for (const auto& analyzer : report.analyzers) {
    if (analyzer.result.is_null()) continue;
    ++results;
    if (analyzer.plugin != "canvas") continue;
    for (const auto& matrix : analyzer.result.value("matrices", nlohmann::json::array())) {
      if (matrix.value("id", "") != "canvas") continue;
      const nlohmann::json safe = TerminalSafeCopy(matrix);
      out << "\n"
          << Paint(style, kBold, safe.value("title", "BMIL strategy canvas")) << " ("
          << safe.value("unit", "") << ")\n"
          << RenderMatrixText(safe, registry, style);
    }
  }
  RenderFailures(out, report, style);
  out << "\n"
      << Wrapped("Every finding (" + std::to_string(summary.findings) +
                     ") and the metrics and "
                     "tables of " +
                     std::to_string(results) + (results == 1 ? " analyzer" : " analyzers") +
                     ": add --full. A report to read or print: bmil report <cases> -o report.html.",
                 0, "");
}

}  // namespace

std::string RenderText(const AnalysisReport& report, const Registry& registry,
                       const TextStyle& style, std::span<const Case> cases, TextDetail detail) {
  const bool full = detail == TextDetail::kFull;
  std::ostringstream out;
  auto heading = [&](const std::string& text) { out << "\n" << Paint(style, kBold, text) << "\n"; };

  // The manager's summary first (docs/reports.md, "The summary"), then the detail.
  // The cases' totals only when they are all there; else the canvas analyzer's counts.
  const bool all = !cases.empty() && cases.size() == report.cases.size();
  const ManagerSummary summary = Summarize(report, registry, all ? cases : std::span<const Case>{},
                                           all ? CaseTotals::Of(cases) : CaseTotals{});
  out << Paint(style, kBold, "Summary") << "\n" << Wrapped(summary.headline, 2, "  ");
  if (summary.has_canvas) out << Wrapped(CanvasGlanceText(summary.canvas), 10, "  Canvas: ");
  if (!summary.actions.empty()) {
    out << "  Act on first (" << summary.actions.size() << " of " << summary.findings
        << " findings, most pressing first):\n";
    for (std::size_t i = 0; i < summary.actions.size(); ++i) {
      const SummaryItem& item = summary.actions[i];
      const std::string reach = ItemReachText(item, report.cases.size() > 1);
      out << Wrapped(item.code + (reach.empty() ? "" : " (" + reach + ")"), 5,
                     "  " + std::to_string(i + 1) + ". " + SeverityTag(style, item.severity) + " ")
          << Wrapped(item.message, 5, "     ")
          << (full ? "     evidence: the findings below, from " : "     evidence: --full, from ")
          << TerminalSafe(item.analyzer) << "\n";
    }
  }
  if (!full) {
    RenderSummaryRest(out, report, registry, style, summary);
    return out.str();
  }

  for (const auto& analyzer : report.analyzers) {
    if (analyzer.result.is_null()) continue;
    // Text from cases and plugins never reaches the terminal raw.
    const nlohmann::json result = TerminalSafeCopy(analyzer.result);
    heading(result.value("title", analyzer.plugin) + " [" + analyzer.plugin + "]");
    if (const std::string summary = result.value("summary", ""); !summary.empty()) {
      out << summary << "\n";
    }
    const auto metrics = result.value("metrics", nlohmann::json::array());
    if (!metrics.empty()) {
      std::size_t width = 0;
      for (const auto& m : metrics) width = std::max(width, Width(m.value("label", "")));
      for (const auto& m : metrics) {
        out << "  " << PadRight(m.value("label", m.value("id", "")), width) << "  "
            << FormatValue(m.at("value"), m.value("unit", "")) << "\n";
      }
    }
    for (const auto& table : result.value("tables", nlohmann::json::array())) {
      out << RenderTableText(table, style, kMaxTableRows);
    }
    for (const auto& matrix : result.value("matrices", nlohmann::json::array())) {
      // On one business, show the business-level canvases and each model's; the per-model
      // canvases of many businesses are for the JSON and report outputs.
      out << "\n"
          << matrix.value("title", matrix.value("id", "")) << " (" << matrix.value("unit", "")
          << ")\n";
      out << RenderMatrixText(matrix, registry, style);
    }
  }

  heading("Findings");
  std::size_t finding_count = 0;
  auto finding = [&](const std::string& severity, const std::string& code,
                     const std::string& message, const nlohmann::json& evidence,
                     const std::string& source, const std::string& businesses = "") {
    ++finding_count;
    out << "  " << SeverityTag(style, severity) << " " << TerminalSafe(code) << ": "
        << TerminalSafe(message) << "\n";
    for (const auto& e : evidence) {
      out << "      evidence: " << TerminalSafe(e.is_string() ? e.get<std::string>() : e.dump())
          << "\n";
    }
    // With several businesses, which ones the finding concerns (by id).
    if (!businesses.empty() && report.cases.size() > 1)
      out << "      businesses: " << TerminalSafe(businesses) << "\n";
    if (!source.empty()) out << "      source: " << TerminalSafe(source) << "\n";
  };
  // A line threat an analyzer already reported (swot_risk checks every line's threats) is
  // shown once: its code and evidence identify it.
  std::set<std::uint64_t> reported;
  for (const auto& analyzer : report.analyzers) {
    if (analyzer.result.is_null()) continue;
    for (const auto& f : analyzer.result.value("findings", nlohmann::json::array())) {
      const auto evidence = f.value("evidence", nlohmann::json::array());
      reported.insert(LineThreats::EvidenceKey(f.value("code", ""), evidence));
      finding(f.value("severity", "info"), f.value("code", ""), f.value("message", ""), evidence,
              f.value("source", ""), FindingBusinesses(f));
    }
  }
  // The lines' triggered threats: each one for a single business; counted per threat over
  // many (listing every model of thousands of businesses helps nobody).
  if (report.cases.size() <= 1) {
    for (const auto& t : report.threats.entries) {
      if (reported.count(LineThreats::EvidenceKey(t.code, t.evidence))) continue;
      finding("warning", t.code, t.business_model + ": " + t.threat, t.evidence, t.source);
    }
  } else {
    for (const auto& [code, tally] : report.threats.tallies) {
      std::size_t models = 0;
      for (const auto& [key, count] : tally.models) models += reported.count(key) ? 0 : count;
      if (models == 0) continue;
      nlohmann::json evidence = nlohmann::json::array(
          {std::to_string(models) + " business models across the businesses"});
      finding("warning", code, tally.threat, evidence, tally.source);
    }
  }
  if (finding_count == 0) out << "  (none)\n";
  RenderFailures(out, report, style);
  return out.str();
}

std::string RenderGroupedText(const GroupedReport& grouped, const TextStyle& style) {
  std::ostringstream out;
  std::vector<std::string> headers;
  for (const auto& g : grouped.groups) {
    headers.push_back(TerminalSafe(g.value) + " (" + std::to_string(g.report.cases.size()) + ")");
  }
  out << Paint(style, kBold, "Grouped by " + grouped.by) << ": " << grouped.groups.size()
      << " groups (businesses per group in brackets)\n";

  // Analyzers in the order of the first group that ran them.
  std::vector<std::string> analyzers;
  for (const auto& g : grouped.groups)
    for (const auto& a : g.report.analyzers)
      if (std::find(analyzers.begin(), analyzers.end(), a.plugin) == analyzers.end())
        analyzers.push_back(a.plugin);

  for (const auto& id : analyzers) {
    // Metric rows in first-seen order; a cell is empty where a group lacks the metric.
    std::vector<std::pair<std::string, std::string>> rows;  // id, label (+ unit)
    std::vector<std::map<std::string, std::string>> cells(grouped.groups.size());
    std::string title = id;
    for (std::size_t g = 0; g < grouped.groups.size(); ++g) {
      for (const auto& a : grouped.groups[g].report.analyzers) {
        if (a.plugin != id || a.result.is_null()) continue;
        title = TerminalSafe(a.result.value("title", id));
        for (const auto& m : a.result.value("metrics", nlohmann::json::array())) {
          const std::string metric = m.value("id", "");
          if (std::none_of(rows.begin(), rows.end(),
                           [&](const auto& r) { return r.first == metric; })) {
            const std::string unit = m.value("unit", "");
            rows.emplace_back(metric, TerminalSafe(m.value("label", metric) +
                                                   (unit.empty() ? "" : " [" + unit + "]")));
          }
          const auto& v = m.at("value");
          cells[g][metric] = v.is_number() ? FormatNumber(v.get<double>()) : "-";
        }
      }
    }
    if (rows.empty()) continue;
    out << "\n" << Paint(style, kBold, title + " [" + id + "]") << "\n";
    std::size_t label_width = 6;
    for (const auto& r : rows) label_width = std::max(label_width, Width(r.second));
    std::vector<std::size_t> widths;
    for (const auto& h : headers) widths.push_back(std::max<std::size_t>(Width(h), 6) + 2);
    out << PadRight("", label_width);
    for (std::size_t g = 0; g < headers.size(); ++g) out << PadLeft(headers[g], widths[g]);
    out << "\n";
    for (const auto& [metric, label] : rows) {
      out << PadRight(label, label_width);
      for (std::size_t g = 0; g < headers.size(); ++g) {
        auto it = cells[g].find(metric);
        out << PadLeft(it == cells[g].end() ? "" : it->second, widths[g]);
      }
      out << "\n";
    }
  }

  // Findings per code and group.
  std::vector<std::string> codes;
  std::vector<std::map<std::string, int>> counts(grouped.groups.size());
  for (std::size_t g = 0; g < grouped.groups.size(); ++g) {
    for (const auto& a : grouped.groups[g].report.analyzers) {
      if (a.result.is_null()) continue;
      for (const auto& f : a.result.value("findings", nlohmann::json::array())) {
        const std::string code = f.value("code", "");
        if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
        ++counts[g][code];
      }
    }
  }
  if (!codes.empty()) {
    out << "\n" << Paint(style, kBold, "Findings per group") << "\n";
    std::size_t label_width = 6;
    for (const auto& c : codes) label_width = std::max(label_width, Width(c));
    out << PadRight("", label_width);
    for (const auto& h : headers) out << PadLeft(h, std::max<std::size_t>(Width(h), 6) + 2);
    out << "\n";
    for (const auto& code : codes) {
      out << PadRight(code, label_width);
      for (std::size_t g = 0; g < headers.size(); ++g) {
        auto it = counts[g].find(code);
        out << PadLeft(it == counts[g].end() ? "." : std::to_string(it->second),
                       std::max<std::size_t>(Width(headers[g]), 6) + 2);
      }
      out << "\n";
    }
  }
  for (const auto& g : grouped.groups) {
    for (const auto& f : g.report.failures) {
      out << Paint(style, kRed, "[" + g.value + "] " + f.ToString()) << "\n";
    }
  }
  return out.str();
}

}  // namespace bmil
