#include <bmil/report_render.hpp>

#include <cmath>
#include <sstream>

namespace bmil {
namespace {

using Json = nlohmann::json;

// A JSON scalar as text: numbers with up to 15 significant digits, null as "".
std::string Scalar(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number()) {
    const double d = v.get<double>();
    if (std::isnan(d)) return "";
    std::ostringstream out;
    out.precision(15);
    out << d;
    return out.str();
  }
  return v.dump();
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Markdown table cells may not hold "|" or line breaks.
std::string MdCell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string MdValue(const Json& v, const std::string& type) {
  if (type == "percent" && v.is_number()) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << v.get<double>() * 100 << "%";
    return out.str();
  }
  if (v.is_number_float()) {
    std::ostringstream out;
    out.precision(4);
    out << v.get<double>();
    return out.str();
  }
  return MdCell(Scalar(v));
}

std::string LineLabel(const std::string& id, const Registry& registry) {
  for (const auto& line : registry.lines()) {
    if (line.id == id) return line.code.empty() ? id : line.code;
  }
  return id;
}

}  // namespace

std::string RenderMarkdown(const AnalysisReport& report, const Registry& registry) {
  std::ostringstream md;
  md << "# BMIL analysis\n\n";
  md << "Businesses (" << report.cases.size() << "): ";
  for (std::size_t i = 0; i < report.cases.size() && i < 20; ++i)
    md << (i ? ", " : "") << report.cases[i];
  if (report.cases.size() > 20) md << ", and " << report.cases.size() - 20 << " more";
  md << ".\n\nProduced by bmil " << BMIL_VERSION
     << " after Lindgren (2012), *Business Model Innovation Leadership*, IJBM 7(14), 53.\n";

  for (const auto& analyzer : report.analyzers) {
    if (analyzer.result.is_null()) continue;
    const Json& r = analyzer.result;
    md << "\n## " << MdCell(r.value("title", analyzer.plugin)) << " (`" << analyzer.plugin
       << "`)\n\n";
    if (!r.value("summary", "").empty()) md << r.value("summary", "") << "\n\n";
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
          md << " " << MdValue(row[i], columns[i].value("type", "string")) << " |";
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
  std::size_t count = 0;
  for (const char* severity : {"warning", "notice", "info"}) {
    std::ostringstream group;
    for (const auto& analyzer : report.analyzers) {
      if (analyzer.result.is_null()) continue;
      for (const auto& f : analyzer.result.value("findings", Json::array())) {
        if (f.value("severity", "") != severity) continue;
        ++count;
        group << "- **" << f.value("code", "") << "** (" << analyzer.plugin
              << "): " << MdCell(f.value("message", "")) << "\n";
        for (const auto& e : f.value("evidence", Json::array()))
          group << "  - " << MdCell(Scalar(e)) << "\n";
        if (!f.value("source", "").empty())
          group << "  - *Source:* " << f.value("source", "") << "\n";
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
      line(a, "metrics", m.value("id", ""), "value", Scalar(m.at("value")));
    }
    for (const auto& t : r.value("tables", Json::array())) {
      const Json& columns = t.at("columns");
      std::size_t number = 0;
      for (const auto& row : t.at("rows")) {
        const std::string key = std::to_string(++number);
        for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) {
          line(a, t.value("id", ""), key, columns[i].value("id", ""), Scalar(row[i]));
        }
      }
    }
    for (const auto& m : r.value("matrices", Json::array())) {
      for (std::size_t i = 0; i < m.at("rows").size(); ++i) {
        for (std::size_t j = 0; j < m.at("columns").size(); ++j) {
          line(a, m.value("id", ""), m.at("rows")[i].value("id", ""),
               m.at("columns")[j].value("id", ""), Scalar(m.at("values")[i][j]));
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
        evidence += (evidence.empty() ? "" : "; ") + Scalar(e);
      line(a, "findings", row, "evidence", evidence);
      line(a, "findings", row, "source", f.value("source", ""));
    }
  }
  return csv.str();
}

}  // namespace bmil
