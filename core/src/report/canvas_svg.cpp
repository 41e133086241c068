#include <bmil/canvas_svg.hpp>

#include "report/result_shape.hpp"
#include "report/svg_charts.hpp"

#include <stdexcept>

namespace bmil {

std::string RenderMatrixSvg(const nlohmann::json& matrix, const Registry& registry) {
  if (const std::string problem = MatrixProblem(matrix); !problem.empty())
    throw std::invalid_argument("cannot draw the matrix: " + problem);
  HeatmapOptions options;
  options.standalone = true;
  options.label_width = 0;  // fitted to the longest row label (up to 340 px), never cut
  return HeatmapSvg(matrix, registry, options);
}

}  // namespace bmil
