// The value axis of the SVG charts of the comparison and status pages: tick values on 1-2-5
// steps and their short labels.
#ifndef BMIL_CORE_REPORT_CHART_AXIS_HPP_
#define BMIL_CORE_REPORT_CHART_AXIS_HPP_

#include <string>
#include <vector>

namespace bmil {

// Tick values covering [lo, hi], which are widened to the first and last tick: at most about
// 6, on 1-2-5 steps. Finite inputs only; a zero range is widened.
std::vector<double> AxisTicks(double& lo, double& hi);

// A short form for axis ticks, with a true minus sign: 1.2M, 350k, 12.
std::string ShortAmount(double v);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_CHART_AXIS_HPP_
