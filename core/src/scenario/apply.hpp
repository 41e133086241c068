// Applying a scenario to its base case (docs/scenarios.md, "Applying a scenario"): the
// moves, in order, on a copy of the base document; the result is a case document that the
// case loader reads and validates like any other (one definition of a valid case). The base
// is never modified.
#ifndef BMIL_CORE_SCENARIO_APPLY_HPP_
#define BMIL_CORE_SCENARIO_APPLY_HPP_

#include <bmil/case_io.hpp>
#include <bmil/model.hpp>
#include <bmil/registry.hpp>

#include "scenario/scenario.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::scenario {

struct ApplyResult {
  std::string case_text;      // the applied case document, indented JSON and a newline
  std::optional<Case> value;  // the applied case as loaded; set iff problems is empty
  std::vector<Diagnostic> problems;
};

// Applies `scenario` to the base case whose file content is `base_text` (named `base_file`).
// Problems, all located:
// - the base's XXH3-128 is not the one the scenario names (the base was edited since, or it
//   is another file), at /base/xxh3 of the scenario;
// - the base itself is not a valid case (its own diagnostics);
// - a move contradicts the base or an earlier move (an unknown model, with a did-you-mean;
//   a model excluded earlier; a figure the base does not state; ...), at the move's member;
// - the applied document breaks the case format: a problem inside a model, task or strategy
//   the scenario wrote is reported where the scenario wrote it; any other is reported with
//   its pointer in the applied case.
// With `check_base_hash` false, a different base is accepted (--any-base).
ApplyResult Apply(const Scenario& scenario, std::string_view base_text,
                  const std::string& base_file, const Registry& registry,
                  bool check_base_hash = true);

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_APPLY_HPP_
