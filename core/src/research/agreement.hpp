// Inter-coder agreement of one coded variable: Krippendorff's alpha at the variable's level
// of measurement, with a seeded bootstrap and a verdict, beside percent agreement, Cohen's
// kappa, Fleiss' kappa and Gwet's AC1. A pure library: no I/O, no global state, every
// function thread-safe; the caller maps its coded material to a reliability data matrix.
//
// References (cited by short name below):
// - Krippendorff 2011: K. Krippendorff, "Computing Krippendorff's Alpha-Reliability",
//   Annenberg School for Communication, University of Pennsylvania, 2011-01-25.
// - Krippendorff 2004: K. Krippendorff, Content Analysis: An Introduction to Its
//   Methodology, 2nd ed., Sage, 2004, ch. 11 (the .800 and .667 standards).
// - Hayes & Krippendorff 2007: "Answering the call for a standard reliability measure for
//   coding data", Communication Methods and Measures 1(1) (bootstrapping alpha, q = the
//   probability of failing to reach a minimum alpha).
// - Cohen 1960: J. Cohen, "A coefficient of agreement for nominal scales", Educational and
//   Psychological Measurement 20(1).
// - Fleiss 1971: J. L. Fleiss, "Measuring nominal scale agreement among many raters",
//   Psychological Bulletin 76(5).
// - Gwet 2008: K. L. Gwet, "Computing inter-rater reliability and its variance in the
//   presence of high agreement", British Journal of Mathematical and Statistical
//   Psychology 61(1); Gwet 2014: Handbook of Inter-Rater Reliability, 4th ed., ch. 2 and 5
//   (AC1 for many raters with missing ratings).
//
// Contracts shared by every function here:
// - Never NaN or an infinity in a result: a statistic that cannot be computed is an empty
//   optional with a sentence saying why (Coefficient::why).
// - Deterministic and order-free: every sum over units runs in a canonical order (units
//   sorted by the multiset of their values), so permuting the units or the coders of the
//   matrix gives bit-identical results, the bootstrap included (Cohen's kappa swaps its
//   two coders symmetrically). The bootstrap's generator is std::mt19937_64, whose output
//   the C++ standard fixes, with an unbiased bounded draw of our own (no std::
//   distribution), so a seed gives the same interval on every platform up to libm.
#ifndef BMIL_CORE_RESEARCH_AGREEMENT_HPP_
#define BMIL_CORE_RESEARCH_AGREEMENT_HPP_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::research {

// Krippendorff's (2011) levels of measurement. The metric differences delta^2(c, k) of two
// values c and k:
// - kNominal: 0 when c == k, else 1 (values are labels);
// - kOrdinal: (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2, where g runs over the distinct values
//   that occur among the pairable values, in ascending order, and n_g is the marginal
//   frequency of g in the coincidence matrix (only the ranks of the values matter);
// - kInterval: (c - k)^2;
// - kRatio: ((c - k) / (c + k))^2; needs every pairable value >= 0.
enum class Level { kNominal, kOrdinal, kInterval, kRatio };

// "nominal", "ordinal", "interval" or "ratio".
const char* LevelName(Level level);
// The level named `name` (exactly one of LevelName's words); nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view name);

// A reliability data matrix (Krippendorff 2011): units x coders, each cell a value or
// missing. Categories are coded as numbers; which numbers are equal, ordered or how far
// apart is up to the Level given to ComputeAgreement. Values compare with == (so -0.0 and
// 0.0 are one value). Invariant: every value is finite.
class ReliabilityData {
 public:
  // `units` x `coders` cells, all missing.
  ReliabilityData(std::size_t units, std::size_t coders);

  // Krippendorff's layout: one row per coder, one column per unit. The matrix has
  // rows.size() coders and as many units as the longest row; a shorter row is missing at
  // its end. Aborts (a programmer error) on a value that is not finite.
  static ReliabilityData FromCoderRows(std::span<const std::vector<std::optional<double>>> rows);

  std::size_t units() const { return units_; }
  std::size_t coders() const { return coders_; }

  // The cell of `unit` and `coder` (both 0-based); aborts when either is out of range.
  const std::optional<double>& at(std::size_t unit, std::size_t coder) const;

  // Sets a cell (nullopt: missing). Aborts when `unit` or `coder` is out of range or the
  // value is not finite: callers validate user data before it gets here.
  void Set(std::size_t unit, std::size_t coder, std::optional<double> value);

 private:
  std::size_t units_ = 0, coders_ = 0;
  std::vector<std::optional<double>> cells_;  // cells_[unit * coders_ + coder]
};

// A statistic that may be undefined: exactly one of `value` and a non-empty `why`.
struct Coefficient {
  std::optional<double> value;
  std::string why;
};

// Krippendorff's (2004) standards: alpha >= .800 reliable; .667 <= alpha < .800 allows
// tentative conclusions only; below .667 unreliable.
enum class Verdict { kReliable, kTentative, kUnreliable, kUndefined };

// "reliable", "tentative", "unreliable" or "undefined".
const char* VerdictName(Verdict verdict);

struct AgreementOptions {
  Level level = Level::kNominal;  // alpha's metric; the other statistics are nominal
  double reliable_threshold = 0.800;
  double tentative_threshold = 0.667;  // <= reliable_threshold
  // The bootstrap of alpha: replicates (0 turns it off), seed, percentile interval level.
  std::size_t bootstrap_replicates = 1000;
  std::uint64_t seed = 1;
  double confidence = 0.95;  // in (0, 1)
  // AC1's number of categories q: 0 takes the number of distinct values coded; a larger
  // number declares categories of the scale that nobody used (Gwet 2014 counts them).
  std::size_t category_count = 0;
};

// A bootstrap over units (Efron's nonparametric bootstrap): each replicate draws as many
// units as alpha used, uniformly with replacement from them, and computes alpha of the
// drawn units exactly as the point estimate is computed (the ordinal ranks from the
// replicate's own marginals). A replicate in which alpha is undefined (all drawn values
// equal) is counted in `undefined_replicates` and left out of the rest. Hayes &
// Krippendorff (2007) resample coincidences instead; resampling units keeps the within-unit
// dependence and gives the same kind of interval.
struct AlphaBootstrap {
  std::size_t replicates = 0;  // drawn
  std::size_t undefined_replicates = 0;
  // The percentile interval: the (1 - confidence) / 2 and (1 + confidence) / 2 quantiles
  // of the defined replicates, by linear interpolation between order statistics (Hyndman
  // & Fan 1996, type 7).
  std::optional<double> lower, upper;
  // The share of defined replicates with alpha < reliable_threshold and with alpha <
  // tentative_threshold: Hayes & Krippendorff's q, the probability of failing to reach it.
  std::optional<double> p_below_reliable, p_below_tentative;
  std::string why;  // why there is no interval: alpha undefined, 0 replicates, bad options
};

struct AgreementReport {
  Level level = Level::kNominal;
  std::size_t units = 0, coders = 0;  // of the matrix

  // Krippendorff's alpha (Krippendorff 2011). A unit with m_u >= 2 values is pairable; a
  // unit with fewer is excluded from alpha (and from percent agreement). The coincidence
  // matrix o_ck = sum_u (number of ordered pairs (c, k) of values from different coders in
  // u) / (m_u - 1); n_c = sum_k o_ck; n = sum_c n_c = sum_u m_u, the pairable values.
  //   Do = (1 / n) sum_c sum_k o_ck delta^2(c, k)
  //   De = (1 / (n (n - 1))) sum_c sum_k n_c n_k delta^2(c, k)
  //   alpha = 1 - Do / De
  // Undefined with one coder, no pairable unit, the ratio level with a negative value, or
  // no variation (one distinct pairable value: De = 0 and Do = 0, so alpha = 1 - 0/0. We
  // leave it undefined rather than call it 1: coders who always write the same value show
  // no ability to distinguish units, which is what alpha measures).
  // Perfect agreement with variation gives exactly 1 (Do is exactly 0).
  std::size_t units_used = 0;          // pairable units
  std::size_t units_excluded = 0;      // units with fewer than 2 values
  std::size_t units_single_coder = 0;  // of those, units with exactly 1 value
  std::size_t pairable_values = 0;     // n
  std::size_t distinct_values = 0;     // distinct pairable values
  double observed_disagreement = 0;    // Do; 0 when n == 0
  double expected_disagreement = 0;    // De; 0 when n < 2
  Coefficient alpha;
  AlphaBootstrap bootstrap;
  // From alpha and the thresholds: kReliable when alpha >= reliable_threshold, kTentative
  // when alpha >= tentative_threshold, else kUnreliable; kUndefined, with `verdict_why`
  // (alpha's why, or the thresholds' problem), when alpha is undefined or the thresholds
  // are not finite or not ordered.
  Verdict verdict = Verdict::kUndefined;
  std::string verdict_why;

  // Nominal statistics: values are labels whatever the level.

  // Percent agreement: the mean over the pairable units of the share of a unit's pairs of
  // values (from different coders) that are equal, sum_c C(n_uc, 2) / C(m_u, 2). The same
  // as Gwet's p_a and, on complete data, Fleiss' P-bar.
  Coefficient percent_agreement;

  // Cohen's (1960) kappa, only for exactly 2 coders, over the units both coded:
  //   p_o = share of those units with equal values, p_e = sum_c p_1c p_2c (each coder's own
  //   marginal shares), kappa = (p_o - p_e) / (1 - p_e); undefined when p_e = 1.
  Coefficient cohen_kappa;
  std::size_t cohen_units = 0;

  // Fleiss' (1971) kappa needs the same number of ratings per unit, so it uses only the
  // units coded by every coder (n = coders ratings each, N such units); the others are
  // left out and counted. With n_ij ratings of unit i in category j:
  //   P_i = (sum_j n_ij^2 - n) / (n (n - 1)), P-bar = mean_i P_i,
  //   p_j = sum_i n_ij / (N n), P-bar_e = sum_j p_j^2,
  //   kappa = (P-bar - P-bar_e) / (1 - P-bar_e); undefined when P-bar_e = 1.
  Coefficient fleiss_kappa;
  std::size_t fleiss_units = 0;
  std::size_t fleiss_units_left_out = 0;  // units - fleiss_units

  // Gwet's AC1 for many raters with missing ratings as Gwet (2014) and his irrCAC code
  // handle them: with r_i the ratings of unit i and r_ik those in category k,
  //   p_a = mean over units with r_i >= 2 of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)),
  //   pi_k = mean over units with r_i >= 1 of r_ik / r_i (a unit coded once counts here),
  //   p_e = sum_k pi_k (1 - pi_k) / (q - 1), AC1 = (p_a - p_e) / (1 - p_e),
  // q = options.category_count or else the number of distinct values coded. For two raters
  // and two categories p_e = 2 pi (1 - pi) (Gwet 2008). Undefined when q < 2 or no unit
  // has two ratings.
  Coefficient gwet_ac1;
  std::size_t gwet_categories = 0;  // q
};

// All of the above for `data`. Statistics that need two or more coders are undefined with
// one coder; with no unit or no coder everything is undefined. Options out of range
// (thresholds not finite or tentative > reliable, confidence outside (0, 1), a
// category_count below the number of distinct values) make the statistics that use them
// undefined, saying which option.
//
// Cost: O(cells log D) to index the D distinct values, O(units x coders^2) for the
// coincidences, O(D) for De (O(D^2) at the ratio level), and the same again per bootstrap
// replicate; memory O(cells + D).
AgreementReport ComputeAgreement(const ReliabilityData& data, const AgreementOptions& options = {});

// The coincidence matrix of `data` (Krippendorff 2011), for display: `values` the distinct
// pairable values ascending, o(c, k) the coincidences of values[c] and values[k] (a
// symmetric D x D matrix, dense: O(D^2) memory), `marginals` n_c and `pairable` n.
struct CoincidenceMatrix {
  std::vector<double> values;
  std::vector<double> counts;  // counts[c * values.size() + k]
  std::vector<double> marginals;
  std::size_t pairable = 0;
  double o(std::size_t c, std::size_t k) const { return counts[c * values.size() + k]; }
};
CoincidenceMatrix ComputeCoincidences(const ReliabilityData& data);

}  // namespace bmil::research

#endif  // BMIL_CORE_RESEARCH_AGREEMENT_HPP_
