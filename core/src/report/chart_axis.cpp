#include "report/chart_axis.hpp"

#include "scenario/number_text.hpp"

#include <algorithm>
#include <cmath>

namespace bmil {

std::vector<double> AxisTicks(double& lo, double& hi) {
  if (!(hi > lo)) {
    const double pad = std::max(1.0, std::fabs(lo) * 0.1);
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  std::vector<double> ticks;
  for (int k = 0; k <= 12; ++k) {
    const double t = lo + k * step;
    if (t > hi + step * 1e-9) break;
    ticks.push_back(t);
  }
  return ticks;
}

std::string ShortAmount(double v) {
  using scenario::Fixed;
  const double a = std::fabs(v);
  const std::string sign = v < 0 ? "\u2212" : "";
  if (a >= 1e9) return sign + Fixed(a / 1e9, a >= 1e10 ? 0 : 1) + "G";
  if (a >= 1e6) return sign + Fixed(a / 1e6, a >= 1e7 ? 0 : 1) + "M";
  if (a >= 1e3) return sign + Fixed(a / 1e3, a >= 1e4 ? 0 : 1) + "k";
  return sign + Fixed(a, a >= 10 || a == 0 ? 0 : 2);
}

}  // namespace bmil
