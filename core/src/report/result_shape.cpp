#include "report/result_shape.hpp"

namespace bmil {
namespace {

using Json = nlohmann::json;

std::string AxisProblem(const Json& axis, const char* name) {
  if (!axis.is_array()) return std::string("\"") + name + "\" is not an array";
  for (std::size_t i = 0; i < axis.size(); ++i) {
    if (!axis[i].is_object() || !axis[i].contains("id") || !axis[i]["id"].is_string())
      return std::string(name) + " entry " + std::to_string(i + 1) + " has no string \"id\"";
  }
  return "";
}

}  // namespace

std::string StringField(const Json& object, const char* key, const std::string& fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

std::string TableProblem(const Json& table) {
  if (!table.is_object()) return "the table is not a JSON object";
  if (!table.contains("columns")) return "the table has no \"columns\"";
  if (!table.contains("rows")) return "the table has no \"rows\"";
  if (auto p = AxisProblem(table["columns"], "columns"); !p.empty()) return p;
  const Json& rows = table["rows"];
  if (!rows.is_array()) return "\"rows\" is not an array";
  const std::size_t width = table["columns"].size();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r].is_array()) return "row " + std::to_string(r + 1) + " is not an array";
    if (rows[r].size() != width) {
      return "row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) +
             " cells for " + std::to_string(width) + " columns";
    }
    for (const auto& cell : rows[r]) {
      if (cell.is_object() || cell.is_array())
        return "row " + std::to_string(r + 1) + " has a cell that is not a scalar";
    }
  }
  return "";
}

std::string MatrixProblem(const Json& matrix) {
  if (!matrix.is_object()) return "the matrix is not a JSON object";
  for (const char* key : {"rows", "columns", "values"}) {
    if (!matrix.contains(key)) return std::string("the matrix has no \"") + key + "\"";
  }
  if (auto p = AxisProblem(matrix["rows"], "rows"); !p.empty()) return p;
  if (auto p = AxisProblem(matrix["columns"], "columns"); !p.empty()) return p;
  const Json& values = matrix["values"];
  if (!values.is_array() || values.size() != matrix["rows"].size()) {
    return "\"values\" must hold one array per row (" + std::to_string(matrix["rows"].size()) + ")";
  }
  const std::size_t width = matrix["columns"].size();
  for (std::size_t r = 0; r < values.size(); ++r) {
    if (!values[r].is_array() || values[r].size() != width) {
      return "values row " + std::to_string(r + 1) + " does not have " + std::to_string(width) +
             " numbers";
    }
    for (const auto& v : values[r]) {
      if (!v.is_number()) return "values row " + std::to_string(r + 1) + " has a non-number";
    }
  }
  return "";
}

std::string MetricProblem(const Json& metric) {
  if (!metric.is_object()) return "the metric is not a JSON object";
  if (!metric.contains("id") || !metric["id"].is_string()) return "the metric has no string id";
  if (!metric.contains("value") || !(metric["value"].is_number() || metric["value"].is_null()))
    return "metric \"" + metric["id"].get<std::string>() + "\" has no number value";
  return "";
}

std::string FindingProblem(const Json& finding) {
  if (!finding.is_object()) return "the finding is not a JSON object";
  for (const char* key : {"severity", "code", "message"}) {
    if (!finding.contains(key) || !finding[key].is_string())
      return std::string("the finding has no string \"") + key + "\"";
  }
  if (finding.contains("evidence") && !finding["evidence"].is_array())
    return "the finding's \"evidence\" is not an array";
  if (finding.contains("source") && !finding["source"].is_string())
    return "the finding's \"source\" is not a string";
  return "";
}

std::string FindingBusinesses(const Json& finding, const std::map<std::string, std::string>* names,
                              std::string_view separator) {
  std::string text;
  if (!finding.is_object()) return text;
  const auto it = finding.find("businesses");
  if (it == finding.end() || !it->is_array()) return text;
  for (const auto& b : *it) {
    if (!b.is_string()) continue;
    const std::string& id = b.get_ref<const std::string&>();
    std::string shown = id;
    if (names != nullptr) {
      if (const auto named = names->find(id); named != names->end()) shown = named->second;
    }
    if (!text.empty()) text += separator;
    text += shown;
  }
  return text;
}

}  // namespace bmil
