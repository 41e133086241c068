// The cases a report shows, gathered while they stream (docs/reports.md, "Many
// businesses"): the first ones whole, for the sections that describe businesses (the
// business in detail, the table of businesses, chips on the canvas, the vertical map), and
// totals over all of them for the figures. So `bmil report` over any number of cases holds
// a bounded number of them, as `bmil analyze` does.
#ifndef BMIL_REPORT_CASES_HPP_
#define BMIL_REPORT_CASES_HPP_

#include <bmil/model.hpp>

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace bmil {

// Counts over every case of a report.
struct CaseTotals {
  std::size_t businesses = 0;
  std::size_t models = 0;  // business models
  std::size_t tasks = 0;   // BMI tasks

  // The totals of `cases`.
  static CaseTotals Of(std::span<const Case> cases);
};

class ReportCases {
 public:
  static constexpr std::size_t kDefaultKeep = 200;
  static constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();
  // The fewest cases kept: a report places up to 12 businesses on the canvas by name.
  static constexpr std::size_t kMinKeep = 12;

  // Keeps the first max(`keep`, kMinKeep) cases (kAll: every one).
  explicit ReportCases(std::size_t keep = kDefaultKeep);

  // Counts `c` and keeps it while fewer than the cap are kept.
  void Add(Case&& c);

  std::span<const Case> kept() const { return kept_; }
  const CaseTotals& totals() const { return totals_; }
  // Whether every case added is kept.
  bool complete() const { return kept_.size() == totals_.businesses; }

 private:
  std::size_t keep_;
  std::vector<Case> kept_;
  CaseTotals totals_;
};

}  // namespace bmil

#endif  // BMIL_REPORT_CASES_HPP_
