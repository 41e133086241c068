#include "host/result_model.hpp"

#include <initializer_list>

namespace bmil {
namespace {

using Json = nlohmann::json;

std::string Index(std::size_t i) { return "/" + std::to_string(i); }

// The members of `object` not in `allowed`: the first one, or "".
std::string UnknownMember(const Json& object, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) return key;
  }
  return "";
}

// Checks the members every object of a kind has: `required` present, `strings` strings
// when present, and (when `closed`) nothing else than `allowed`.
std::string ObjectProblem(const Json& v, const std::string& at, const char* what,
                          std::initializer_list<const char*> required,
                          std::initializer_list<const char*> strings,
                          std::initializer_list<const char*> allowed, bool closed) {
  if (!v.is_object()) {
    return at.empty() ? std::string(what) + " is not a JSON object" : at + ": not an object";
  }
  for (const char* key : required) {
    if (!v.contains(key)) return at + "/" + key + ": missing (" + what + " needs it)";
  }
  for (const char* key : strings) {
    const auto it = v.find(key);
    if (it != v.end() && !it->is_string()) return at + "/" + key + ": not a string";
  }
  if (closed) {
    if (auto extra = UnknownMember(v, allowed); !extra.empty()) {
      return at + "/" + extra + ": not a member of " + what + " in the result model";
    }
  }
  return "";
}

std::string AxisProblem(const Json& axis, const std::string& at) {
  if (!axis.is_array()) return at + ": not an array";
  for (std::size_t i = 0; i < axis.size(); ++i) {
    if (auto p = ObjectProblem(axis[i], at + Index(i), "an axis entry", {"id", "label"},
                               {"id", "label"}, {"id", "label"}, true);
        !p.empty()) {
      return p;
    }
  }
  return "";
}

std::string MetricProblem(const Json& m, const std::string& at) {
  if (auto p = ObjectProblem(m, at, "a metric", {"id", "label", "value"}, {"id", "label", "unit"},
                             {"id", "label", "value", "unit"}, true);
      !p.empty()) {
    return p;
  }
  if (!m["value"].is_number() && !m["value"].is_null()) return at + "/value: not a number or null";
  return "";
}

std::string TableProblem(const Json& t, const std::string& at) {
  if (auto p = ObjectProblem(t, at, "a table", {"id", "title", "columns", "rows"}, {"id", "title"},
                             {"id", "title", "columns", "rows", "chart"}, true);
      !p.empty()) {
    return p;
  }
  const Json& columns = t["columns"];
  if (!columns.is_array()) return at + "/columns: not an array";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string here = at + "/columns" + Index(c);
    if (auto p =
            ObjectProblem(columns[c], here, "a column", {"id", "label", "type"},
                          {"id", "label", "type", "unit"}, {"id", "label", "type", "unit"}, true);
        !p.empty()) {
      return p;
    }
    const std::string type = columns[c]["type"].get<std::string>();
    if (type != "string" && type != "integer" && type != "number" && type != "percent") {
      return here + "/type: \"" + type + "\" is none of string, integer, number, percent";
    }
  }
  const Json& rows = t["rows"];
  if (!rows.is_array()) return at + "/rows: not an array";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string here = at + "/rows" + Index(r);
    if (!rows[r].is_array()) return here + ": not an array";
    if (rows[r].size() != columns.size()) {
      return here + ": " + std::to_string(rows[r].size()) + " cells for " +
             std::to_string(columns.size()) + " columns";
    }
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      if (rows[r][c].is_structured()) return here + Index(c) + ": a cell is not a scalar";
    }
  }
  if (const auto chart = t.find("chart"); chart != t.end()) {
    const std::string here = at + "/chart";
    if (auto p = ObjectProblem(*chart, here, "a chart hint", {"type", "x", "y"}, {"type", "x"},
                               {"type", "x", "y"}, true);
        !p.empty()) {
      return p;
    }
    const std::string type = (*chart)["type"].get<std::string>();
    if (type != "bar" && type != "stacked_bar" && type != "line") {
      return here + "/type: \"" + type + "\" is none of bar, stacked_bar, line";
    }
    const Json& y = (*chart)["y"];
    if (!y.is_array()) return here + "/y: not an array";
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (!y[i].is_string()) return here + "/y" + Index(i) + ": not a string";
    }
  }
  return "";
}

std::string MatrixProblem(const Json& m, const std::string& at) {
  // Open to other members (the schema's additionalProperties: true).
  if (auto p = ObjectProblem(m, at, "a matrix", {"id", "title", "rows", "columns", "values"},
                             {"id", "title", "unit", "chart"}, {}, false);
      !p.empty()) {
    return p;
  }
  if (auto p = AxisProblem(m["rows"], at + "/rows"); !p.empty()) return p;
  if (auto p = AxisProblem(m["columns"], at + "/columns"); !p.empty()) return p;
  if (const auto chart = m.find("chart"); chart != m.end()) {
    const std::string type = chart->get<std::string>();
    if (type != "heatmap" && type != "table") {
      return at + "/chart: \"" + type + "\" is neither heatmap nor table";
    }
  }
  const Json& values = m["values"];
  if (!values.is_array()) return at + "/values: not an array";
  if (values.size() != m["rows"].size()) {
    return at + "/values: " + std::to_string(values.size()) + " rows of values for " +
           std::to_string(m["rows"].size()) + " rows";
  }
  const std::size_t width = m["columns"].size();
  for (std::size_t r = 0; r < values.size(); ++r) {
    const std::string here = at + "/values" + Index(r);
    if (!values[r].is_array()) return here + ": not an array";
    if (values[r].size() != width) {
      return here + ": " + std::to_string(values[r].size()) + " values for " +
             std::to_string(width) + " columns";
    }
    for (std::size_t c = 0; c < width; ++c) {
      if (!values[r][c].is_number()) return here + Index(c) + ": not a number";
    }
  }
  return "";
}

std::string FindingProblem(const Json& f, const std::string& at) {
  if (auto p =
          ObjectProblem(f, at, "a finding", {"severity", "code", "message", "evidence", "source"},
                        {"severity", "code", "message", "source"},
                        {"severity", "code", "message", "evidence", "source", "businesses"}, true);
      !p.empty()) {
    return p;
  }
  const std::string severity = f["severity"].get<std::string>();
  if (severity != "info" && severity != "notice" && severity != "warning") {
    return at + "/severity: \"" + severity + "\" is none of info, notice, warning";
  }
  const Json& evidence = f["evidence"];
  if (!evidence.is_array()) return at + "/evidence: not an array";
  for (std::size_t i = 0; i < evidence.size(); ++i) {
    if (!evidence[i].is_string()) return at + "/evidence" + Index(i) + ": not a string";
  }
  if (const auto it = f.find("businesses"); it != f.end()) {  // result model 1.2
    if (!it->is_array()) return at + "/businesses: not an array";
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) return at + "/businesses" + Index(i) + ": not a string";
    }
  }
  return "";
}

bool IsPluginId(const std::string& s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string ResultModelProblem(const Json& result, std::string_view plugin_id) {
  if (auto p = ObjectProblem(
          result, "", "the result",
          {"analyzer", "title", "metrics", "tables", "matrices", "findings"},
          {"analyzer", "title", "summary"},
          {"analyzer", "title", "summary", "metrics", "tables", "matrices", "findings"}, true);
      !p.empty()) {
    return p;
  }
  const std::string analyzer = result["analyzer"].get<std::string>();
  if (!IsPluginId(analyzer)) return "/analyzer: \"" + analyzer + "\" is not a plugin id";
  if (analyzer != plugin_id) {
    return "/analyzer: \"" + analyzer + "\", but the result comes from plugin \"" +
           std::string(plugin_id) + "\"";
  }
  using Check = std::string (*)(const Json&, const std::string&);
  const std::pair<const char*, Check> lists[] = {{"metrics", &MetricProblem},
                                                 {"tables", &TableProblem},
                                                 {"matrices", &MatrixProblem},
                                                 {"findings", &FindingProblem}};
  for (const auto& [key, check] : lists) {
    const Json& list = result[key];
    const std::string at = std::string("/") + key;
    if (!list.is_array()) return at + ": not an array";
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (auto p = check(list[i], at + Index(i)); !p.empty()) return p;
    }
  }
  return "";
}

std::size_t JsonNestingDepth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace bmil
