// HTML for the parts of the result model, whatever analyzer produced them: metrics, tables
// (with their chart), matrices (as heatmaps or tables) and findings. The HTML report puts
// them together; every string from a plugin is escaped here.
#ifndef BMIL_CORE_REPORT_HTML_RESULTS_HPP_
#define BMIL_CORE_REPORT_HTML_RESULTS_HPP_

#include "report/svg_charts.hpp"

#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace bmil {

// Element ids of one page, each used once: the first request for a base gets it, later
// ones get "<base>-2", "<base>-3", ... Bases are made safe with HtmlId.
class HtmlIds {
 public:
  std::string Make(std::string_view base);

 private:
  std::set<std::string> used_;
};

// The metrics of a result as a table (metric, value, unit; "share" units shown as
// percentages), each row with data-metric="<id>". Malformed metrics are listed as problems.
std::string MetricsHtml(const nlohmann::json& metrics);

// A result table as an HTML table with id `id` (labelled by its title), a header per
// column (label, and unit below it), numbers right-aligned and formatted (percent columns,
// and number columns in unit "share", as percentages). A table too wide for the A4 text
// width at the print font is marked "wide" (printed in a smaller font); one too wide even
// then is shown whole on screen ("screen-only") and printed in parts of its columns
// ("print-only", ids `id`-part1, -part2, ...), each repeating the (at most two) leading text
// columns that name a row. A malformed table becomes a note saying what is wrong.
std::string DataTableHtml(const nlohmann::json& table, const std::string& id);

// The table drawn by TableChartSvg as a <figure id="`id`"> headed by `caption_html` (HTML
// the caller has escaped; none when empty), or "" when the table has no usable chart
// hint; then `why` (when not null) says why, or is left empty when the table simply has no
// hint or is malformed (DataTableHtml reports that). `names` as for TableChartSvg; may be
// null.
std::string ChartFigureHtml(const nlohmann::json& table, const Registry& registry,
                            const AxisNames* names, const std::string& id,
                            const std::string& caption_html, std::string* why);

// A matrix as a <figure id="`id`">: a heatmap (HeatmapSvg with `options`) when its chart is
// "heatmap" or not stated, else an HTML table of its values; headed by `caption_html`
// (HTML the caller has escaped; none when empty). A malformed matrix becomes a note saying
// what is wrong.
std::string MatrixHtml(const nlohmann::json& matrix, const Registry& registry,
                       const std::string& id, const std::string& caption_html,
                       const HeatmapOptions& options);

// Heatmap options that suit a matrix of this size in the page; `names` may be null.
HeatmapOptions InlineHeatmapOptions(const nlohmann::json& matrix, const AxisNames* names);

// The CSS class of a finding's severity: "warning" or "notice" as they are, anything else
// "info".
std::string SeverityClass(const std::string& severity);

// One finding as an <article class="finding <severity>">: severity in words, code, the
// producing analyzer (linked to `analyzer_anchor`, titled `analyzer_title`), message,
// evidence, source and, when `business_names` is given (a report on several businesses),
// the businesses it concerns by name (an id without a name as it is). A malformed finding
// becomes a note.
std::string FindingHtml(const nlohmann::json& finding, const std::string& analyzer_anchor,
                        const std::string& analyzer_title,
                        const std::map<std::string, std::string>* business_names = nullptr);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_HTML_RESULTS_HPP_
