// The plan the checkin_log target reads every log against, and from which the seed tool
// makes that target's seed logs (`seed_tool control`): two KPIs from the scenario (one of
// the business, one of a model, one going down), a manual KPI, a planned and an ongoing
// milestone. The first event of a log must name the XXH3-128 of these exact bytes.
#ifndef BMIL_FUZZ_FIXED_PLAN_HPP_
#define BMIL_FUZZ_FIXED_PLAN_HPP_

#include "control/plan.hpp"
#include "io/digest.hpp"

#include "fuzz_support.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace bmil::fuzz {

inline constexpr std::string_view kFixedPlan = R"({
  "bmil_plan": "1.0",
  "id": "fuzz-plan",
  "name": "The fuzzers' plan",
  "business": "base",
  "adopted": "2011-01-15",
  "decision": {"file": "decision.json", "xxh3": "0123456789abcdef0123456789abcdef",
               "scenario": "fuzz-plan", "why": "a fixed plan for the check-in log fuzzer"},
  "strategy": {
    "leadership_lines": ["customer", "network"],
    "cells": [{"business_model": "core", "line": "customer", "block": "customers"},
              {"business_model": "core", "line": "network", "block": "network"}]
  },
  "kpis": [
    {"id": "profit", "label": "Profit of the business", "unit": "currency", "direction": "up",
     "business_model": null, "source": "scenario",
     "baseline": {"date": "2011-01-15", "value": -120000},
     "targets": [{"date": "2012-12-31", "value": 10000, "p10": -5000, "p90": 30000},
                 {"date": "2013-12-31", "value": 40000, "p10": -10000, "p90": 95000}]},
    {"id": "cost.core", "label": "Cost of Core", "unit": "currency", "direction": "down",
     "business_model": "core", "source": "scenario", "baseline": null,
     "targets": [{"date": "2013-12-31", "value": 800, "p10": 700, "p90": 950}]},
    {"id": "nps", "label": "Net promoter score", "unit": "points", "direction": "up",
     "business_model": null, "source": "manual", "baseline": null,
     "targets": [{"date": "2012-12-31", "value": 40, "p10": null, "p90": null},
                 {"date": "2013-12-31", "value": 45, "p10": null, "p90": null}]}
  ],
  "milestones": [
    {"id": "f1", "business_model": "core", "leadership_lines": ["customer"],
     "building_blocks": ["customers"], "status": "planned", "start": "2011-01-01",
     "due": "2011-12-31", "effort": 6},
    {"id": "f2", "business_model": "core", "leadership_lines": ["network"],
     "building_blocks": ["network"], "status": "ongoing", "start": "2011-01-15",
     "due": null, "effort": null}
  ]
}
)";

// kFixedPlan read once; traps (a broken property) when the plan reader refuses it.
inline const control::Plan& FixedPlan() {
  static const control::Plan plan = [] {
    control::PlanReadResult read = control::ReadPlan(kFixedPlan, "fixed_plan.json");
    if (!read.value) Broken("the fixed plan is refused", read.problems.front().ToString());
    return std::move(*read.value);
  }();
  return plan;
}

// XXH3-128 of kFixedPlan: the "prev" of a log's first event.
inline const std::string& FixedPlanXxh3() {
  static const std::string digest = DigestHex(kFixedPlan);
  return digest;
}

}  // namespace bmil::fuzz

#endif  // BMIL_FUZZ_FIXED_PLAN_HPP_
