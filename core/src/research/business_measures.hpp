// Per-business measures of a case (docs/qca.md, "Measures"): the numbers a QCA condition or
// outcome is calibrated from, each computed from the case model alone (no plugin runs).
// Pure functions; thread-safe.
#ifndef BMIL_CORE_RESEARCH_BUSINESS_MEASURES_HPP_
#define BMIL_CORE_RESEARCH_BUSINESS_MEASURES_HPP_

#include <bmil/model.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::research {

struct MeasureInfo {
  std::string id;           // "lines_used"
  std::string description;  // what it counts, and when it is missing
};

// The built-in measures, in documentation order. Besides them, "attributes.KEY" names a
// number or boolean (1/0) in business.attributes.
const std::vector<MeasureInfo>& BusinessMeasures();

// Whether `id` names a built-in measure or has the form "attributes.KEY" (KEY non-empty).
bool IsMeasure(std::string_view id);

// The value of measure `id` for `kase`, or nothing with `why` set when the case does not
// give it (a strategy flag not stated, a share of no task, an attribute absent or not a
// number, figures in more than one currency). `id` must satisfy IsMeasure.
std::optional<double> MeasureValue(const Case& kase, std::string_view id, std::string& why);

}  // namespace bmil::research

#endif  // BMIL_CORE_RESEARCH_BUSINESS_MEASURES_HPP_
