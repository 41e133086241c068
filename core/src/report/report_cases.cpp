#include <bmil/report_cases.hpp>

#include <algorithm>
#include <utility>

namespace bmil {

CaseTotals CaseTotals::Of(std::span<const Case> cases) {
  CaseTotals t;
  for (const Case& c : cases) {
    ++t.businesses;
    t.models += c.business_models.size();
    t.tasks += c.bmi_tasks.size();
  }
  return t;
}

ReportCases::ReportCases(std::size_t keep) : keep_(std::max(keep, kMinKeep)) {}

void ReportCases::Add(Case&& c) {
  ++totals_.businesses;
  totals_.models += c.business_models.size();
  totals_.tasks += c.bmi_tasks.size();
  if (kept_.size() < keep_) kept_.push_back(std::move(c));
}

}  // namespace bmil
