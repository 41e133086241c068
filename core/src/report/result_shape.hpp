// Checks that parts of an analyzer's result have the shape the renderers rely on
// (docs/schema/result.schema.json). The host does not validate plugin output, so a
// renderer asks here first and shows a clear note instead of failing on a bad part.
#ifndef BMIL_CORE_REPORT_RESULT_SHAPE_HPP_
#define BMIL_CORE_REPORT_RESULT_SHAPE_HPP_

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

namespace bmil {

// "" when `table` has an array "columns" of objects with a string "id", and an array
// "rows" of arrays with exactly one cell per column, each cell a string, number, boolean
// or null; otherwise what is wrong, e.g. "row 3 has 2 cells for 4 columns". Pure.
std::string TableProblem(const nlohmann::json& table);

// "" when `matrix` has arrays "rows" and "columns" of objects with a string "id", and
// "values" with one array per row of one number per column; otherwise what is wrong. Pure.
std::string MatrixProblem(const nlohmann::json& matrix);

// "" when `metric` is an object with a string "id" and a number or null "value". Pure.
std::string MetricProblem(const nlohmann::json& metric);

// "" when `finding` is an object with string "severity", "code" and "message" and, when
// present, "evidence" an array and "source" a string. Pure.
std::string FindingProblem(const nlohmann::json& finding);

// The finding's "businesses" (result model 1.2) joined by `separator`, each by its name in
// `names` when there is one; "" when it names none or the member is malformed. Never
// throws.
std::string FindingBusinesses(const nlohmann::json& finding,
                              const std::map<std::string, std::string>* names = nullptr,
                              std::string_view separator = ", ");

// The string member `key` of `object`, or `fallback` when `object` is not an object or the
// member is missing or not a string. Never throws.
std::string StringField(const nlohmann::json& object, const char* key,
                        const std::string& fallback = "");

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_RESULT_SHAPE_HPP_
