// The BMIL canvas (or any heatmap matrix of the result model) as a standalone SVG image.
#ifndef BMIL_CANVAS_SVG_HPP_
#define BMIL_CANVAS_SVG_HPP_

#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace bmil {

// Renders `matrix` ({"title","rows","columns","values","unit"}) as an SVG document: rows
// labelled with the line's code and name when `registry` knows the id (else the id),
// columns with the block's name, each cell shaded on a colour-blind-safe sequential scale
// (light to dark blue, ColorBrewer "Blues") with its count printed, a legend, and the
// title. Every cell is a <g class="cell" data-row="..." data-column="..." data-value="...">
// so tools and tests can read the figure back. Throws std::invalid_argument, naming the
// problem, when the matrix lacks rows, columns or values or they do not fit together.
// Pure function.
std::string RenderMatrixSvg(const nlohmann::json& matrix, const Registry& registry);

}  // namespace bmil

#endif  // BMIL_CANVAS_SVG_HPP_
