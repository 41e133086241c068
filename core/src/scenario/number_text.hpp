// How the comparison writes numbers for people (compare.cpp's text and Markdown,
// compare_html.cpp's page), so that a figure reads the same in every format.
#ifndef BMIL_CORE_SCENARIO_NUMBER_TEXT_HPP_
#define BMIL_CORE_SCENARIO_NUMBER_TEXT_HPP_

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace bmil::scenario {

// `v` with `decimals` decimals ("%.*f").
inline std::string Fixed(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

// A money-like figure rounded to a whole number, with commas between groups of three digits
// and `minus` before a negative one ("-1,234,567"); "n/a" when not finite.
inline std::string Amount(double v, std::string_view minus = "-") {
  if (!std::isfinite(v)) return "n/a";
  const double rounded = std::round(v);
  const std::string digits = Fixed(std::fabs(rounded), 0);
  std::string out = rounded < 0 ? std::string(minus) : std::string();
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A share (0.25) as a whole percentage ("25%").
inline std::string Percent(double share) { return Fixed(share * 100, 0) + "%"; }

// An analyzer metric: shares as percentages, whole numbers without decimals, others with
// two; `none` when absent.
inline std::string MetricValue(const std::optional<double>& v, const std::string& unit,
                               std::string_view none = "-") {
  if (!v) return std::string(none);
  if (unit == "share") return Percent(*v);
  if (std::fabs(*v - std::round(*v)) < 1e-9) return Fixed(*v, 0);
  return Fixed(*v, 2);
}

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_NUMBER_TEXT_HPP_
