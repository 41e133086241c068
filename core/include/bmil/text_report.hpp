// Renders an analysis for a terminal: the BMIL canvas as an aligned grid, then the
// findings of analyzers and the threats the leadership lines found, then failures.
#ifndef BMIL_TEXT_REPORT_HPP_
#define BMIL_TEXT_REPORT_HPP_

#include <bmil/analysis.hpp>
#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <span>
#include <string>

namespace bmil {

struct TextStyle {
  bool color = false;    // ANSI colours (only on a terminal, and not when NO_COLOR is set)
  bool unicode = false;  // box-drawing characters (only on a terminal)
};

// One heatmap matrix of the result model (e.g. the canvas) as an aligned grid: rows
// labelled with the line's code when the registry knows the id, cells "." for zero.
std::string RenderMatrixText(const nlohmann::json& matrix, const Registry& registry,
                             const TextStyle& style);

// How much of an analysis the text shows.
enum class TextDetail {
  kSummary,  // the manager's summary, the canvas, plugin failures, and how to see the rest
  kFull,     // the summary, then every analyzer's metrics, tables and matrices, every finding
};

// The analysis as text: the manager's summary first, then (kFull) the detail. Plugin
// failures are shown at either level. `cases`, when given, are the analyzed cases (or the
// first of them): the summary names a single business by its name rather than its id.
std::string RenderText(const AnalysisReport& report, const Registry& registry,
                       const TextStyle& style, std::span<const Case> cases = {},
                       TextDetail detail = TextDetail::kFull);

// A grouped analysis as research tables: for every analyzer, its metrics (rows) by group
// (columns), then the number of findings per code and group.
std::string RenderGroupedText(const GroupedReport& grouped, const TextStyle& style);

}  // namespace bmil

#endif  // BMIL_TEXT_REPORT_HPP_
