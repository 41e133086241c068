#include "report/html_results.hpp"

#include "report/html_escape.hpp"
#include "report/result_shape.hpp"
#include "report/value_format.hpp"

#include <algorithm>
#include <sstream>

namespace bmil {
namespace {

using Json = nlohmann::json;

std::string E(std::string_view text) { return HtmlEscape(text); }

bool NumericType(const std::string& type) {
  return type == "integer" || type == "number" || type == "percent";
}

// Escaped text with a line-break opportunity (<wbr>) after each '_' and '/', so that long
// ids such as "service_aftermarket" or "kellpo/line_design" can wrap in narrow columns.
std::string BreakableText(std::string_view text) {
  std::string out;
  for (char c : E(text)) {
    out += c;
    if (c == '_' || c == '/') out += "<wbr>";
  }
  return out;
}

std::string Cell(const Json& value, const std::string& type) {
  if (value.is_null()) return "<td class=\"null\" title=\"not available\">–</td>";
  if (value.is_number()) return "<td class=\"num\">" + E(DisplayValue(value, type, true)) + "</td>";
  return "<td>" + BreakableText(DisplayValue(value, type, true)) + "</td>";
}

std::string Caption(const std::string& caption_html) {
  return caption_html.empty() ? "" : "<figcaption>" + caption_html + "</figcaption>\n";
}

// Rough width in pixels each column takes at print size: as wide as its longest header word
// or its longest cell (long texts wrap at about 30 characters), plus padding.
std::vector<int> ColumnPrintWidths(const Json& table) {
  std::vector<int> widths;
  const Json& columns = table["columns"];
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::size_t chars = 0;
    std::istringstream words(StringField(columns[i], "label", columns[i]["id"].get<std::string>()));
    for (std::string word; words >> word;) chars = std::max(chars, word.size());
    chars = std::max(chars, StringField(columns[i], "unit").size());
    for (const auto& row : table["rows"]) {
      // Ids wrap after '_' and '/' (see BreakableText): count their longest piece.
      std::size_t piece = 0, longest = 0;
      for (char ch : DisplayValue(row[i], "", true)) {
        piece = ch == '_' || ch == '/' || ch == ' ' ? 0 : piece + 1;
        longest = std::max(longest, piece);
      }
      chars = std::max(chars, std::min<std::size_t>(30, longest));
    }
    widths.push_back(static_cast<int>(chars) * 7 + 14);
  }
  return widths;
}

// Print widths (ColumnPrintWidths, at the 8.5 pt table font): up to 680 px a table fits the
// A4 portrait text width (703 px, less a margin for the estimate's error); up to 860 px it
// fits in the 7 pt font of "wide" tables; a wider one is printed in parts of its columns.
constexpr int kPortraitWidth = 680;
constexpr int kWideWidth = 860;

// The print parts of a table too wide for A4: each part repeats the leading columns that
// name a row (at most two leading text columns) and takes as many of the others, in order,
// as fit kWideWidth. Column indexes per part.
std::vector<std::vector<std::size_t>> PrintParts(const std::vector<int>& widths,
                                                 const std::vector<std::string>& types) {
  std::size_t keys = 0;
  int key_width = 0;
  while (keys < 2 && keys + 1 < widths.size() && !NumericType(types[keys]) &&
         key_width + widths[keys] < kWideWidth / 2) {
    key_width += widths[keys++];
  }
  std::vector<std::vector<std::size_t>> parts;
  std::vector<std::size_t> part;
  int width = key_width;
  auto start = [&] {
    part.clear();
    for (std::size_t k = 0; k < keys; ++k) part.push_back(k);
    width = key_width;
  };
  start();
  for (std::size_t i = keys; i < widths.size(); ++i) {
    if (part.size() > keys && width + widths[i] > kWideWidth) {
      parts.push_back(part);
      start();
    }
    part.push_back(i);
    width += widths[i];
  }
  if (part.size() > keys) parts.push_back(part);
  return parts;
}

std::string ProblemNote(const std::string& what, const std::string& problem) {
  return "<p class=\"problem\">" + E(what) + " cannot be shown: " + E(problem) + ".</p>\n";
}

}  // namespace

std::string HtmlIds::Make(std::string_view base) {
  const std::string id = HtmlId(base);
  if (used_.insert(id).second) return id;
  for (int n = 2;; ++n) {
    std::string candidate = id + "-" + std::to_string(n);
    if (used_.insert(candidate).second) return candidate;
  }
}

std::string MetricsHtml(const Json& metrics) {
  if (!metrics.is_array()) return ProblemNote("The metrics", "\"metrics\" is not an array");
  std::ostringstream html;
  std::ostringstream problems;
  html << "<div class=\"table-wrap\"><table class=\"data metrics\"><thead><tr><th scope=\"col\">"
          "Metric</th><th scope=\"col\" class=\"num\">Value</th><th scope=\"col\">Unit</th></tr>"
          "</thead><tbody>\n";
  for (const auto& m : metrics) {
    if (const std::string p = MetricProblem(m); !p.empty()) {
      problems << ProblemNote("A metric", p);
      continue;
    }
    const std::string unit = StringField(m, "unit");
    const std::string id = m["id"].get<std::string>();
    html << "<tr data-metric=\"" << E(id) << "\"><th scope=\"row\">"
         << E(StringField(m, "label", id)) << "</th>"
         << Cell(m["value"], unit == "share" ? "percent" : "number") << "<td>"
         << E(unit == "share" ? "" : unit) << "</td></tr>\n";
  }
  html << "</tbody></table></div>\n";
  return html.str() + problems.str();
}

namespace {

// One <table class="data"> of `columns` (indexes into the table's), with its wrapper. A
// print part of a table says which part it is (data-part) instead of which table.
void WriteTable(std::ostringstream& html, const Json& table, const std::vector<std::string>& types,
                const std::vector<std::size_t>& columns, const std::string& wrap_class,
                const std::string& id, const std::string& title, std::size_t part = 0) {
  html << "<div class=\"" << wrap_class << "\"><table class=\"data\" id=\"" << id << "\" ";
  if (part == 0) {
    html << "data-table=\"" << E(StringField(table, "id")) << "\"";
  } else {
    html << "data-part=\"" << part << "\"";
  }
  html << " aria-label=\"" << E(title) << "\"><thead><tr>";
  for (std::size_t i : columns) {
    const Json& c = table["columns"][i];
    const std::string unit = StringField(c, "unit");
    html << "<th scope=\"col\"" << (NumericType(types[i]) ? " class=\"num\"" : "")
         << " data-column=\"" << E(c["id"].get<std::string>()) << "\">"
         << E(StringField(c, "label", c["id"].get<std::string>()));
    if (!unit.empty() && unit != "share") html << "<span class=\"unit\">" << E(unit) << "</span>";
    html << "</th>";
  }
  html << "</tr></thead><tbody>\n";
  for (const auto& row : table["rows"]) {
    html << "<tr>";
    for (std::size_t i : columns) html << Cell(row[i], types[i]);
    html << "</tr>\n";
  }
  if (table["rows"].empty()) {
    html << "<tr><td class=\"null\" colspan=\"" << columns.size() << "\">No rows.</td></tr>\n";
  }
  html << "</tbody></table></div>\n";
}

}  // namespace

std::string DataTableHtml(const Json& table, const std::string& id) {
  const std::string title = StringField(table, "title", StringField(table, "id", "table"));
  if (const std::string p = TableProblem(table); !p.empty())
    return ProblemNote("Table \"" + title + "\"", p);
  const Json& columns = table["columns"];
  std::vector<std::string> types;
  for (const auto& c : columns) {
    std::string type = StringField(c, "type", "string");
    if (type == "number" && StringField(c, "unit") == "share") type = "percent";  // show as %
    types.push_back(type);
  }
  std::vector<std::size_t> all(columns.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const std::vector<int> widths = ColumnPrintWidths(table);
  int estimate = 0;
  for (int w : widths) estimate += w;
  std::ostringstream html;
  if (estimate <= kWideWidth) {
    WriteTable(html, table, types, all,
               estimate > kPortraitWidth ? "table-wrap wide" : "table-wrap", id, title);
    return html.str();
  }
  // Too wide for A4 in any readable font: the whole table on screen, parts of its columns in
  // print (the first ones repeated in each part).
  WriteTable(html, table, types, all, "table-wrap wide screen-only", id, title);
  const auto parts = PrintParts(widths, types);
  std::size_t repeated = 0;
  while (repeated < parts.front().size() && parts.size() > 1 &&
         parts[1][repeated] == parts.front()[repeated]) {
    ++repeated;
  }
  html << "<p class=\"note print-only\">Printed in " << parts.size() << " parts of its columns";
  if (repeated > 0) {
    html << ", each starting with ";
    for (std::size_t k = 0; k < repeated; ++k) {
      html << (k == 0 ? "" : " and ")
           << E(StringField(columns[k], "label", columns[k]["id"].get<std::string>()));
    }
  }
  html << ".</p>\n";
  for (std::size_t p = 0; p < parts.size(); ++p) {
    WriteTable(
        html, table, types, parts[p], "table-wrap wide print-only",
        id + "-part" + std::to_string(p + 1),
        title + " (part " + std::to_string(p + 1) + " of " + std::to_string(parts.size()) + ")",
        p + 1);
  }
  return html.str();
}

std::string ChartFigureHtml(const Json& table, const Registry& registry, const AxisNames* names,
                            const std::string& id, const std::string& caption_html,
                            std::string* why) {
  if (why != nullptr) why->clear();
  if (!table.is_object() || !table.contains("chart")) return "";
  if (!TableProblem(table).empty()) return "";  // DataTableHtml says what is wrong
  Result<std::string> svg = TableChartSvg(table, registry, names);
  if (!svg.ok()) {
    if (why != nullptr) *why = svg.error();
    return "";
  }
  return "<figure class=\"chart\" id=\"" + id + "\" data-table=\"" + E(StringField(table, "id")) +
         "\">\n" + Caption(caption_html) + svg.value() + "\n</figure>\n";
}

HeatmapOptions InlineHeatmapOptions(const Json& matrix, const AxisNames* names) {
  HeatmapOptions options;
  options.names = names;
  const bool has_rows = matrix.is_object() && matrix.contains("rows") && matrix["rows"].is_array();
  const std::size_t rows = has_rows ? matrix["rows"].size() : 0;
  options.cell_width = 60;
  options.cell_height = rows > 10 ? 30 : 46;
  return options;
}

std::string MatrixHtml(const Json& matrix, const Registry& registry, const std::string& id,
                       const std::string& caption_html, const HeatmapOptions& options) {
  const std::string title = StringField(matrix, "title", StringField(matrix, "id", "matrix"));
  if (const std::string p = MatrixProblem(matrix); !p.empty())
    return ProblemNote("Matrix \"" + title + "\"", p);
  const std::string chart = StringField(matrix, "chart", "heatmap");
  std::ostringstream html;
  html << "<figure class=\"matrix\" id=\"" << id << "\" data-matrix=\""
       << E(StringField(matrix, "id")) << "\">\n"
       << Caption(caption_html);
  if (chart == "heatmap") {
    html << HeatmapSvg(matrix, registry, options);
  } else {
    // Drawn as a table: the hint asks for it (or is one we do not know).
    const std::string unit = StringField(matrix, "unit");
    html << "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th></th>";
    for (const auto& c : matrix["columns"])
      html << "<th scope=\"col\" class=\"num\">"
           << E(StringField(c, "label", c["id"].get<std::string>())) << "</th>";
    html << "</tr></thead><tbody>\n";
    for (std::size_t r = 0; r < matrix["rows"].size(); ++r) {
      const Json& row = matrix["rows"][r];
      html << "<tr><th scope=\"row\">" << E(StringField(row, "label", row["id"].get<std::string>()))
           << "</th>";
      for (const auto& v : matrix["values"][r])
        html << Cell(v, unit == "share" ? "percent" : "number");
      html << "</tr>\n";
    }
    html << "</tbody></table></div>\n";
  }
  html << "</figure>\n";
  return html.str();
}

std::string SeverityClass(const std::string& severity) {
  return severity == "warning" || severity == "notice" ? severity : "info";
}

std::string FindingHtml(const Json& finding, const std::string& analyzer_anchor,
                        const std::string& analyzer_title,
                        const std::map<std::string, std::string>* business_names) {
  if (const std::string p = FindingProblem(finding); !p.empty())
    return ProblemNote("A finding of " + analyzer_title, p);
  const std::string severity = finding["severity"].get<std::string>();
  const std::string css = SeverityClass(severity);
  std::ostringstream html;
  html << "<article class=\"finding " << css << "\" data-code=\""
       << E(finding["code"].get<std::string>()) << "\"><p><span class=\"severity\">" << E(severity)
       << "</span> <code>" << E(finding["code"].get<std::string>())
       << "</code> <span class=\"muted\">"
       << "from <a href=\"#" << analyzer_anchor << "\">" << E(analyzer_title) << "</a></span></p>"
       << "<p class=\"message\">" << E(finding["message"].get<std::string>()) << "</p>";
  if (finding.contains("evidence") && !finding["evidence"].empty()) {
    html << "<ul class=\"evidence\">";
    for (const auto& e : finding["evidence"])
      html << "<li>" << E(e.is_string() ? e.get<std::string>() : ScalarText(e)) << "</li>";
    html << "</ul>";
  }
  if (business_names != nullptr) {
    if (const std::string businesses = FindingBusinesses(finding, business_names);
        !businesses.empty())
      html << "<p class=\"businesses\">Businesses: " << E(businesses) << "</p>";
  }
  const std::string source = StringField(finding, "source");
  if (!source.empty()) html << "<p class=\"source\">Source: " << E(source) << "</p>";
  html << "</article>\n";
  return html.str();
}

}  // namespace bmil
