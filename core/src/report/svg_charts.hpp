// SVG figures drawn from the result model: heatmaps of matrices (the BMIL canvas is one)
// and bar, stacked-bar and line charts of tables with a chart hint. Used by the HTML
// report (inline SVG) and by `bmil canvas --svg` (a standalone SVG file). Generic: the
// figures know the result model, not the analyzers.
#ifndef BMIL_CORE_REPORT_SVG_CHARTS_HPP_
#define BMIL_CORE_REPORT_SVG_CHARTS_HPP_

#include <bmil/registry.hpp>
#include <bmil/result.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bmil {

// Okabe & Ito (2008) colours for data series, safe for the common colour-vision
// deficiencies; ordered so that the first two (AS IS / TO BE side by side) differ in
// lightness too and the pale yellow comes late.
// Okabe-Ito's yellow (#F0E442, 1.2:1 on white) is replaced by Tol's wine (#882255): the
// seventh series is the process line (PIL) in the bundled order, and must be readable.
inline constexpr std::array<const char*, 8> kSeriesColors = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255", "#000000"};

// Categories of a matrix with "value_labels", in the order of their values: the first
// (e.g. 0 = "used") is a quiet grey, the next ones the series colours that stand out.
inline constexpr std::array<const char*, 6> kCategoryColors = {"#eeeeee", "#E69F00", "#0072B2",
                                                               "#009E73", "#CC79A7", "#56B4E9"};

// ColorBrewer "Blues" (sequential, colour-blind safe, readable in greyscale), light to
// dark; shade 0 is for zero.
inline constexpr std::array<const char*, 6> kHeatmapShades = {"#f7fbff", "#c6dbef", "#9ecae1",
                                                              "#6baed6", "#3182bd", "#08519c"};

// A label placed in a heatmap cell, e.g. the number of a business model that has BMI tasks
// in that cell (the paper's Figs. 2 and 6 place business models on the canvas).
struct CellMarker {
  std::string label;      // short text shown in the chip, e.g. "3"
  std::string id;         // written to data-marker, e.g. the model's id
  std::string title;      // tooltip, e.g. the model's name and state
  bool outlined = false;  // drawn as an outline (TO BE) instead of filled (AS IS)
};

// Display names for ids of a dimension (e.g. "business_model": {"special_machines":
// "Customer-specific production machines"}), used for heatmap rows and columns and for
// chart categories whose x column is named after the dimension. Ids not listed keep their
// axis label or value.
using AxisNames = std::map<std::string, std::map<std::string, std::string>>;

struct HeatmapOptions {
  // A document of its own (xmlns, width and height, a white background, the title drawn
  // at the top), as `bmil canvas --svg` writes it. Otherwise an inline <svg> for HTML,
  // which has no xmlns (the HTML parser puts it in the SVG namespace) and no drawn title
  // (the page's figure caption has it).
  bool standalone = false;
  int cell_width = 64;
  int cell_height = 64;
  // Width of the row labels; 0 fits it to the longest label.
  int label_width = 0;
  // Leadership-line rows by code only ("CIL"), for small canvases side by side.
  bool short_row_labels = false;
  // Names for ids by dimension; may be null.
  const AxisNames* names = nullptr;
  // Markers by (row id, column id); empty for none. Cells with markers keep their count
  // in the upper half and show the chips below it.
  std::map<std::pair<std::string, std::string>, std::vector<CellMarker>> markers;
};

// The matrix ({"title","rows","columns","values","unit", optional "row_dimension",
// "column_dimension" and "value_labels"}) as a heatmap: rows and columns labelled by their
// dimension (lines by code and name, blocks by name, using `registry`; other dimensions by the axis
// label), each cell shaded by its value on kHeatmapShades with the value printed, a legend of the
// scale with the unit, and a caption naming rows, columns and unit. Each cell is
// <g class="cell" data-row="…" data-column="…" data-value="…"> (plus data-markers with the
// markers' ids). Precondition: MatrixProblem(matrix) is empty. Pure function.
std::string HeatmapSvg(const nlohmann::json& matrix, const Registry& registry,
                       const HeatmapOptions& options);

// The table drawn as its "chart" hint says: "bar" (one bar per y column for each row,
// side by side), "stacked_bar" (the y columns stacked) or "line" (one line per y column
// over the rows). The x column gives the categories (block and line ids are shown by
// name and code through `registry` when every x value is one; others through `names`,
// looked up by the x column's id), the y columns the series, with a legend, axis titles
// (the x column's label; the y columns' unit, or "share (%)" when they are percent
// columns) and a zero line. More than 16 categories of a bar chart are drawn as horizontal
// bars; at most 40 are drawn, and the figure says so. Each bar or point carries
// data-series, data-category and data-value. A Failure (not a chart) when there is no hint,
// the type is unknown, a column is missing, a y column is not numeric, or nothing is
// drawable (every value is null or 0); the caller then shows the table alone.
// Precondition: TableProblem(table) is empty. Pure function.
Result<std::string> TableChartSvg(const nlohmann::json& table, const Registry& registry,
                                  const AxisNames* names = nullptr);

// Display labels shared by the figures and the HTML tables.
// The line's code ("CIL"), else its name, else `id`.
std::string LineCode(const std::string& id, const Registry& registry);
// "CIL · Customer innovation leadership" for a registered line, else `id`.
std::string LineTitle(const std::string& id, const Registry& registry);
// The block's name ("Value proposition") for a registered block, else `id`.
std::string BlockName(const std::string& id, const Registry& registry);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_SVG_CHARTS_HPP_
