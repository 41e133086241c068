// The check every analyzer result passes when it arrives from a plugin, before any
// renderer sees it: the result model of docs/schema/result.schema.json, and the shapes the
// renderers rely on (one cell per column, one number per matrix cell).
#ifndef BMIL_CORE_HOST_RESULT_MODEL_HPP_
#define BMIL_CORE_HOST_RESULT_MODEL_HPP_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace bmil {

// "" when `result` is a valid analyzer result of plugin `plugin_id` (its "analyzer" member
// names that plugin); otherwise the first problem as "JSON-pointer: what is wrong", e.g.
// "/tables/2/rows/3: 2 cells for 4 columns". Pure; never throws; iterative over the
// result's arrays (no recursion on plugin data).
std::string ResultModelProblem(const nlohmann::json& result, std::string_view plugin_id);

// The deepest nesting of arrays and objects in JSON text (strings skipped), counted
// without parsing, so that a plugin's output nested 100,000 deep is refused before a
// recursive step could meet it. Pure.
std::size_t JsonNestingDepth(std::string_view text);

}  // namespace bmil

#endif  // BMIL_CORE_HOST_RESULT_MODEL_HPP_
