// The structural consequences of a scenario (docs/scenarios.md, "Structural consequences"):
// every loaded analyzer runs on the base case and on the case the scenario leads to, and
// this compares the two reports: the canvas cells the scenario covers or leaves, the
// headline metrics a manager looks at (classic-corner share, line mix, threats, loss
// makers, carried models, the strategy-profile traits), every other metric that changed,
// and the findings raised or cleared. Analyzers bmil does not know are compared too: their
// metrics and findings appear in the full lists.
#ifndef BMIL_CORE_SCENARIO_STRUCTURAL_HPP_
#define BMIL_CORE_SCENARIO_STRUCTURAL_HPP_

#include <bmil/analysis.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bmil::scenario {

struct MetricDelta {
  std::string analyzer;
  std::string metric;
  std::string label;
  std::string unit;
  std::optional<double> base, scenario;  // nullopt: absent or null in that report
  bool headline = false;                 // one of the metrics the summary shows
};

struct FindingChange {
  std::string analyzer;
  std::string code;
  std::string severity;
  std::string message;
  bool raised = false;  // true: only in the scenario's report; false: cleared by it
  // A finding of the same analyzer and code in both reports whose message changed (counts,
  // names): one change, with the base's message here and the scenario's in `message`.
  bool changed = false;
  std::string base_message;
};

struct CanvasCell {
  std::string line, block;
  double base = 0, scenario = 0;  // BMI tasks placed there
};

struct StructuralDelta {
  std::vector<CanvasCell> cells_added;  // used by the scenario, blind in the base
  std::vector<CanvasCell> cells_left;   // used in the base, no longer by the scenario
  std::size_t blind_in_both = 0;        // cells neither uses
  bool canvas_compared = false;         // both reports had the canvas analyzer's matrix
  std::vector<MetricDelta> metrics;     // headline metrics first, then every changed one
  std::vector<FindingChange> findings;  // raised, changed, then cleared, in report order
  std::vector<std::string> notes;       // e.g. an analyzer that failed on one side
};

// Compares the analyzer results of `base` and `scenario` (two reports of the same plugins).
StructuralDelta CompareStructure(const AnalysisReport& base, const AnalysisReport& scenario);

// {"cells_added": [{"line","block","base","scenario"}], "cells_left": [...], "blind_in_both",
//  "metrics": [{"analyzer","metric","label","unit","base","scenario","delta","headline"}],
//  "findings": [{"analyzer","code","severity","message","change": "raised"|"changed"|"cleared",
//                "base_message" (changed only)}],
//  "notes": [...]}
nlohmann::ordered_json StructuralJson(const StructuralDelta& delta);

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_STRUCTURAL_HPP_
