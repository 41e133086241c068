// How two scenarios differ (`bmil scenario diff`, docs/scenarios.md): move by move and
// assumption by assumption. Moves are matched by what they act on, not by their position:
// "exclude glass_kitchen" in one scenario is the same move as in the other wherever it
// stands; a task by its id; a strategy change by the strategy field it sets.
#ifndef BMIL_CORE_SCENARIO_DIFF_HPP_
#define BMIL_CORE_SCENARIO_DIFF_HPP_

#include "scenario/scenario.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bmil::scenario {

struct Difference {
  enum class Kind { kOnlyInA, kOnlyInB, kChanged };
  std::string section;  // "base", "moves" or "assumptions"
  std::string key;      // "exclude glass_kitchen", "task t9", "driver growth", "horizon_years"
  Kind kind = Kind::kChanged;
  nlohmann::ordered_json a, b;  // the item in each scenario (null where it is absent)
  // For kChanged: each leaf that differs, as "pointer: A -> B" ("pointer: added B",
  // "pointer: removed A"), pointers relative to the item.
  std::vector<std::string> details;
};

// Every difference, base first, then moves in the order of A (those only in B after), then
// assumptions. Empty when the two say the same (order of independent moves aside).
std::vector<Difference> Diff(const Scenario& a, const Scenario& b);

// The differences as text for a terminal (lines of at most 80 columns but for long values),
// and as JSON ({"a": {...}, "b": {...}, "differences": [...]}).
std::string DiffText(const Scenario& a, const Scenario& b, const std::vector<Difference>& diff);
nlohmann::ordered_json DiffJson(const Scenario& a, const Scenario& b,
                                const std::vector<Difference>& diff);

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_DIFF_HPP_
