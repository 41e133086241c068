// Builds a result in the result model (docs/schema/result.schema.json): title, summary,
// metrics, tables with chart hints, matrices (the canvas is one) and findings with their
// source. Every renderer of the host shows every plugin's result through this one shape.
#ifndef BMIL_SDK_RESULT_BUILDER_HPP_
#define BMIL_SDK_RESULT_BUILDER_HPP_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmil::sdk {

enum class Severity { kInfo, kNotice, kWarning };
inline const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kNotice:
      return "notice";
    case Severity::kWarning:
      return "warning";
  }
  return "info";
}

// Column types of a table: "string", "integer", "number" or "percent" (a share in 0..1).
struct Column {
  Column(std::string id_, std::string label_, std::string type_ = "string", std::string unit_ = "")
      : id(std::move(id_)),
        label(std::move(label_)),
        type(std::move(type_)),
        unit(std::move(unit_)) {}
  std::string id;
  std::string label;
  std::string type = "string";
  std::string unit;
};

// A labelled row or column of a matrix.
struct Axis {
  std::string id;
  std::string label;
};

// A table under construction; obtained from ResultBuilder::AddTable.
class TableBuilder {
 public:
  explicit TableBuilder(nlohmann::ordered_json& table) : table_(&table) {}
  // Appends one row; its cells must match the columns in number and order.
  TableBuilder& AddRow(nlohmann::ordered_json cells) {
    (*table_)["rows"].push_back(std::move(cells));
    return *this;
  }
  // A chart hint: `type` is "bar", "stacked_bar" or "line"; `x` is a column id and `y`
  // the column ids plotted against it.
  TableBuilder& Chart(std::string_view type, std::string_view x, std::vector<std::string> y) {
    (*table_)["chart"] = {{"type", type}, {"x", x}, {"y", std::move(y)}};
    return *this;
  }

 private:
  nlohmann::ordered_json* table_;
};

class ResultBuilder {
 public:
  // `analyzer` is the producing plugin's id.
  ResultBuilder(std::string_view analyzer, std::string_view title) {
    doc_["analyzer"] = analyzer;
    doc_["title"] = title;
    doc_["summary"] = "";
    doc_["metrics"] = nlohmann::ordered_json::array();
    doc_["tables"] = nlohmann::ordered_json::array();
    doc_["matrices"] = nlohmann::ordered_json::array();
    doc_["findings"] = nlohmann::ordered_json::array();
  }

  ResultBuilder& Summary(std::string_view text) {
    doc_["summary"] = text;
    return *this;
  }

  // A single figure; `unit` e.g. "tasks", "share" (0..1), "EUR"; may be empty.
  ResultBuilder& AddMetric(std::string_view id, std::string_view label, double value,
                           std::string_view unit = "") {
    doc_["metrics"].push_back({{"id", id}, {"label", label}, {"value", value}, {"unit", unit}});
    return *this;
  }

  // A table; add rows through the returned builder (valid until the next Add* call).
  TableBuilder AddTable(std::string_view id, std::string_view title, std::vector<Column> columns) {
    nlohmann::ordered_json table;
    table["id"] = id;
    table["title"] = title;
    table["columns"] = nlohmann::ordered_json::array();
    for (auto& c : columns) {
      nlohmann::ordered_json col = {{"id", c.id}, {"label", c.label}, {"type", c.type}};
      if (!c.unit.empty()) col["unit"] = c.unit;
      table["columns"].push_back(std::move(col));
    }
    table["rows"] = nlohmann::ordered_json::array();
    doc_["tables"].push_back(std::move(table));
    return TableBuilder(doc_["tables"].back());
  }

  // A matrix of numbers, values[row][column]; `chart` is a hint such as "heatmap".
  // `extra` may carry plugin-specific keys (e.g. labels placed in cells).
  ResultBuilder& AddMatrix(std::string_view id, std::string_view title, std::vector<Axis> rows,
                           std::vector<Axis> columns, std::vector<std::vector<double>> values,
                           std::string_view unit = "", std::string_view chart = "heatmap",
                           nlohmann::ordered_json extra = nlohmann::ordered_json::object()) {
    auto axis = [](const std::vector<Axis>& a) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& x : a) out.push_back({{"id", x.id}, {"label", x.label}});
      return out;
    };
    nlohmann::ordered_json m = {
        {"id", id},         {"title", title}, {"rows", axis(rows)}, {"columns", axis(columns)},
        {"values", values}, {"unit", unit},   {"chart", chart}};
    for (auto& [key, value] : extra.items()) m[key] = value;
    doc_["matrices"].push_back(std::move(m));
    return *this;
  }

  // A finding: `code` is stable and machine-readable (e.g. "customer.too_much_customer_bmi"),
  // `evidence` says what in the data triggered it, `source` where the rule comes from
  // (e.g. "Lindgren 2012, Table 2"). `businesses` are the ids of the businesses it concerns
  // (one for a finding on a model, several for a cross-case one; none for a count of the
  // rest), so that exports can join findings to businesses (result model 1.2; a host
  // older than ABI 1.2 refuses a plugin built with this SDK rather than its results).
  ResultBuilder& AddFinding(Severity severity, std::string_view code, std::string_view message,
                            std::vector<std::string> evidence, std::string_view source,
                            std::vector<std::string> businesses = {}) {
    nlohmann::ordered_json finding = {{"severity", SeverityName(severity)},
                                      {"code", code},
                                      {"message", message},
                                      {"evidence", std::move(evidence)},
                                      {"source", source}};
    if (!businesses.empty()) finding["businesses"] = std::move(businesses);
    doc_["findings"].push_back(std::move(finding));
    return *this;
  }

  const nlohmann::ordered_json& json() const { return doc_; }
  nlohmann::ordered_json Take() { return std::move(doc_); }

 private:
  nlohmann::ordered_json doc_;
};

}  // namespace bmil::sdk

#endif  // BMIL_SDK_RESULT_BUILDER_HPP_
