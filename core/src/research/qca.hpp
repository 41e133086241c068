// Qualitative Comparative Analysis (QCA) export (docs/qca.md): one row per business,
// conditions and an outcome calibrated from per-business measures (business_measures.hpp)
// into crisp or fuzzy set memberships, and a truth-table preview with consistency and
// coverage. A pure library: no I/O, deterministic.
//
// References: C. C. Ragin, Redesigning Social Inquiry: Fuzzy Sets and Beyond, University of
// Chicago Press, 2008, ch. 5 (the direct method of calibration) and ch. 3 (consistency and
// coverage); A. Dusa, QCA with R, Springer, 2019, ch. 4 and 7 (calibrate(), truthTable(),
// the PRI score).
#ifndef BMIL_CORE_RESEARCH_QCA_HPP_
#define BMIL_CORE_RESEARCH_QCA_HPP_

#include <bmil/model.hpp>
#include <bmil/result.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::research {

// How one measure becomes a set membership.
struct Calibration {
  enum class Kind {
    kAsIs,   // "NAME": the measure is already a membership from 0 to 1
    kCrisp,  // "NAME>=T" (also >, <=, <): 1 when the comparison holds, else 0
    kFuzzy   // "NAME=E/C/I": Ragin's direct method, logistic through the three anchors
  };
  Kind kind = Kind::kAsIs;
  std::string spec;     // as written
  std::string measure;  // "lines_used", "attributes.exports"
  std::string column;   // the CSV column: the measure with '.' written as '_'
  std::string op;       // crisp: ">=", ">", "<=" or "<"
  double threshold = 0;
  // Fuzzy anchors: exclusion (membership 0.05), crossover (0.5), inclusion (0.95).
  // Either e < c < i (more is more in the set) or e > c > i (less is more).
  double exclusion = 0, crossover = 0, inclusion = 0;
};

// Parses one condition or outcome. Errors name the problem, with a did-you-mean for an
// unknown measure, e.g. "lines_usd>=4: unknown measure \"lines_usd\"; did you mean
// \"lines_used\"?".
Result<Calibration> ParseCalibration(std::string_view spec);

// `raw` calibrated: crisp 0 or 1; fuzzy 1 / (1 + exp(-s (raw - c))), with s = ln(19) / (i
// - c) on the inclusion side of the crossover and ln(19) / (c - e) on the exclusion side,
// so that e, c and i give exactly 0.05, 0.5 and 0.95 (as R's QCA::calibrate(type =
// "fuzzy", logistic = TRUE, idm = 0.95)); as is: raw. Pure.
double Calibrate(const Calibration& calibration, double raw);

// One business in the table: raw measures and memberships, conditions then the outcome.
struct QcaCase {
  std::string id;
  std::vector<double> raw, membership;
};

struct QcaLeftOut {
  std::string id, why;
};

// A row of the truth table: a configuration of the conditions (1: in the set, 0: out) with
// the cases whose membership in it is above 0.5. Over every case i with X_i its membership
// in the configuration (the minimum over conditions of m or 1 - m) and Y_i in the outcome:
//   consistency = sum min(X, Y) / sum X,   coverage = sum min(X, Y) / sum Y,
//   PRI = (sum min(X, Y) - sum min(X, Y, 1 - Y)) / (sum X - sum min(X, Y, 1 - Y)).
// A ratio whose denominator is 0 is left empty.
struct TruthRow {
  std::vector<int> configuration;
  std::vector<std::string> cases;
  std::optional<double> consistency, coverage, pri;
  int outcome = 0;  // 1 when consistency >= the inclusion cut
};

struct QcaTable {
  std::vector<Calibration> conditions;
  Calibration outcome;
  double inclusion_cut = 0.8;
  std::vector<QcaCase> cases;          // in input order
  std::vector<QcaLeftOut> left_out;    // cases with a measure missing
  std::vector<TruthRow> truth_table;   // observed configurations, in binary order
  std::vector<std::string> ambiguous;  // cases with a condition membership of exactly 0.5
  std::size_t remainders = 0;          // configurations without a case
};

// Builds the table. A case missing any measure is left out (and listed with why). A
// condition or outcome taken as is whose value is outside [0, 1] is an error naming the
// case and suggesting a calibration.
Result<QcaTable> BuildQca(const std::vector<Case>& cases,
                          const std::vector<Calibration>& conditions, const Calibration& outcome,
                          double inclusion_cut);

// The CSV R's QCA package and pandas read as is: "case" first (the business ids, as row
// names), then one column per condition and the outcome, numbers only (crisp 0 and 1;
// fuzzy memberships with up to 17 significant digits).
std::string QcaCsv(const QcaTable& table);

// The calibration beside the CSV: every column's rule and source measure, every case's raw
// values and memberships, the cases left out and why, and the truth table.
nlohmann::ordered_json QcaCalibrationJson(const QcaTable& table);

// The truth-table preview for a terminal (80 columns) or Markdown.
std::string TruthTableText(const QcaTable& table, bool markdown);

}  // namespace bmil::research

#endif  // BMIL_CORE_RESEARCH_QCA_HPP_
