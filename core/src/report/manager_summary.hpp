// The manager's summary a report opens with (docs/reports.md, "The summary"): the business
// in one line, the canvas at a glance, and the three to five things to act on first, ranked
// by a documented rule. Built from the analyzers' results only, so that a new plugin's
// findings take part with no change here.
#ifndef BMIL_CORE_REPORT_MANAGER_SUMMARY_HPP_
#define BMIL_CORE_REPORT_MANAGER_SUMMARY_HPP_

#include <bmil/analysis.hpp>
#include <bmil/registry.hpp>
#include <bmil/report_cases.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace bmil {

// One thing to act on: the findings of one code, merged.
struct SummaryItem {
  std::string code;                     // the findings' code, e.g. "portfolio.loss_maker"
  std::string analyzer;                 // the plugin that reported them
  std::string severity;                 // "warning", "notice" or "info"
  std::string message;                  // the first finding's message: what it suggests doing
  std::size_t findings = 0;             // findings of this code merged here
  std::vector<std::string> businesses;  // the businesses they name, first-seen order
  bool trait = false;                   // the source names one of the paper's five traits (sec. 5)
};

// The canvas analyzer's matrix "canvas" at a glance.
struct CanvasGlance {
  std::size_t cells = 0;  // lines x blocks
  std::size_t used = 0;   // cells with at least one task
  struct Cell {
    std::string line, block;  // labels (line code, block name)
    double tasks = 0;
  };
  std::vector<Cell> top;  // the busiest cells, at most 3, most tasks first
  std::vector<std::string> lines_unused, blocks_unused;
};

struct ManagerSummary {
  std::string headline;  // the business (or the businesses) in one line
  bool has_canvas = false;
  CanvasGlance canvas;
  std::vector<SummaryItem> actions;  // at most kMaxActions, ranked
  std::size_t findings = 0;          // findings in all
  static constexpr std::size_t kMaxActions = 5;
};

// The summary of `report`. The rule, in order: severity (warning, then notice, then info);
// then whether the paper names the finding as one of its five traits of SME BMI (its source
// cites a trait or sec. 5); then how many businesses it concerns; then how many findings
// share its code; then the order the analyzers reported them. Findings of one code are one
// item (their businesses merged). `cases` are the cases kept (the headline describes the
// first when there is one business) and `totals` counts all. Pure.
// `registry` labels the canvas's lines by code and blocks by name.
ManagerSummary Summarize(const AnalysisReport& report, const Registry& registry,
                         std::span<const Case> cases, const CaseTotals& totals);

// "23 of 49 cells used; busiest: CIL x Customers (5 tasks), ...; never used: lines RIL;
// blocks Relations" (plain text, from plugin labels: escape it for the output).
std::string CanvasGlanceText(const CanvasGlance& glance);

// What an item concerns: "4 businesses, 5 findings" (the businesses only when the report
// has `several_businesses`); and "one of the paper's five traits" when it is one; "" when
// there is nothing to say (one finding on one business, no trait).
std::string ItemReachText(const SummaryItem& item, bool several_businesses);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_MANAGER_SUMMARY_HPP_
