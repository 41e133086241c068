// Inter-coder agreement (core/src/research/agreement.hpp): golden values from the published
// examples (Krippendorff 2011, Fleiss 1971 as on Wikipedia, textbook Cohen and Gwet tables
// worked by hand), cross-checked against an independent exact computation (Python with
// fractions, written from the papers' formulas); then the properties that must hold for any
// data: permutations of coders and units change nothing, identical coders give 1, the
// degenerate cases are explained and never NaN, and the bootstrap is reproducible.
#include "research/agreement.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace bmil::research {
namespace {

using Rows = std::vector<std::vector<std::optional<double>>>;
const std::optional<double> kMissing;

// Every double of a report is a number (never NaN or infinite), and every Coefficient holds
// exactly one of a value and a reason. Called on every report of every test via Compute().
void ExpectWellFormed(const Coefficient& c, const char* name) {
  EXPECT_NE(c.value.has_value(), !c.why.empty()) << name << ": " << c.why;
  if (c.value) {
    EXPECT_FALSE(std::isnan(*c.value)) << name;
    EXPECT_TRUE(std::isfinite(*c.value)) << name;
  }
}

void ExpectFinite(const std::optional<double>& x, const char* name) {
  if (x) {
    EXPECT_FALSE(std::isnan(*x)) << name;
    EXPECT_TRUE(std::isfinite(*x)) << name;
  }
}

void ExpectNoNan(const AgreementReport& r) {
  EXPECT_FALSE(std::isnan(r.observed_disagreement));
  EXPECT_FALSE(std::isnan(r.expected_disagreement));
  EXPECT_TRUE(std::isfinite(r.observed_disagreement));
  EXPECT_TRUE(std::isfinite(r.expected_disagreement));
  ExpectWellFormed(r.alpha, "alpha");
  ExpectWellFormed(r.percent_agreement, "percent_agreement");
  ExpectWellFormed(r.cohen_kappa, "cohen_kappa");
  ExpectWellFormed(r.fleiss_kappa, "fleiss_kappa");
  ExpectWellFormed(r.gwet_ac1, "gwet_ac1");
  ExpectFinite(r.bootstrap.lower, "bootstrap.lower");
  ExpectFinite(r.bootstrap.upper, "bootstrap.upper");
  ExpectFinite(r.bootstrap.p_below_reliable, "bootstrap.p_below_reliable");
  ExpectFinite(r.bootstrap.p_below_tentative, "bootstrap.p_below_tentative");
  EXPECT_EQ(r.bootstrap.lower.has_value(), r.bootstrap.why.empty()) << r.bootstrap.why;
  EXPECT_EQ(r.verdict == Verdict::kUndefined, !r.verdict_why.empty()) << r.verdict_why;
}

AgreementReport Compute(const ReliabilityData& data, const AgreementOptions& options = {}) {
  AgreementReport report = ComputeAgreement(data, options);
  ExpectNoNan(report);
  return report;
}

AgreementOptions At(Level level) {
  AgreementOptions options;
  options.level = level;
  return options;
}

// Krippendorff (2011), sec. E: 4 coders, 12 units, missing values ("." -> kMissing).
ReliabilityData Krippendorff() {
  const auto _ = kMissing;
  const Rows rows = {
      {1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _},  // A
      {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3},  // B
      {_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _},  // C
      {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _},  // D
  };
  return ReliabilityData::FromCoderRows(rows);
}

// The textbook 2x2 table: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no (yes = 1, no = 0).
ReliabilityData YesNoTable() {
  Rows rows(2);
  const auto add = [&](int a, int b, int times) {
    for (int i = 0; i < times; ++i) {
      rows[0].push_back(a);
      rows[1].push_back(b);
    }
  };
  add(1, 1, 20);
  add(1, 0, 5);
  add(0, 1, 10);
  add(0, 0, 15);
  return ReliabilityData::FromCoderRows(rows);
}

// Fleiss (1971) as on Wikipedia ("Fleiss' kappa", worked example): 10 subjects, 14 raters,
// 5 categories; row i holds n_ij, how many raters put subject i in category j. Rater slots
// are filled in category order (Fleiss' raters need not be the same people per subject).
ReliabilityData FleissExample() {
  const std::array<std::array<int, 5>, 10> counts = {{{0, 0, 0, 0, 14},
                                                      {0, 2, 6, 4, 2},
                                                      {0, 0, 3, 5, 6},
                                                      {0, 3, 9, 2, 0},
                                                      {2, 2, 8, 1, 1},
                                                      {7, 7, 0, 0, 0},
                                                      {3, 2, 6, 3, 0},
                                                      {2, 5, 3, 2, 2},
                                                      {6, 5, 2, 1, 0},
                                                      {0, 2, 2, 3, 7}}};
  ReliabilityData data(10, 14);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    std::size_t rater = 0;
    for (std::size_t j = 0; j < 5; ++j) {
      for (int k = 0; k < counts[i][j]; ++k) data.Set(i, rater++, static_cast<double>(j + 1));
    }
  }
  return data;
}

ReliabilityData PermuteCoders(const ReliabilityData& data, const std::vector<std::size_t>& to) {
  ReliabilityData out(data.units(), data.coders());
  for (std::size_t i = 0; i < data.units(); ++i) {
    for (std::size_t j = 0; j < data.coders(); ++j) out.Set(i, to[j], data.at(i, j));
  }
  return out;
}

ReliabilityData PermuteUnits(const ReliabilityData& data, const std::vector<std::size_t>& to) {
  ReliabilityData out(data.units(), data.coders());
  for (std::size_t i = 0; i < data.units(); ++i) {
    for (std::size_t j = 0; j < data.coders(); ++j) out.Set(to[i], j, data.at(i, j));
  }
  return out;
}

// Bit-identical reports (doubles compared with ==, optionals included).
void ExpectSameReport(const AgreementReport& a, const AgreementReport& b) {
  EXPECT_EQ(a.alpha.value, b.alpha.value);
  EXPECT_EQ(a.alpha.why, b.alpha.why);
  EXPECT_EQ(a.observed_disagreement, b.observed_disagreement);
  EXPECT_EQ(a.expected_disagreement, b.expected_disagreement);
  EXPECT_EQ(a.pairable_values, b.pairable_values);
  EXPECT_EQ(a.units_used, b.units_used);
  EXPECT_EQ(a.units_excluded, b.units_excluded);
  EXPECT_EQ(a.percent_agreement.value, b.percent_agreement.value);
  EXPECT_EQ(a.cohen_kappa.value, b.cohen_kappa.value);
  EXPECT_EQ(a.fleiss_kappa.value, b.fleiss_kappa.value);
  EXPECT_EQ(a.fleiss_units, b.fleiss_units);
  EXPECT_EQ(a.gwet_ac1.value, b.gwet_ac1.value);
  EXPECT_EQ(a.bootstrap.lower, b.bootstrap.lower);
  EXPECT_EQ(a.bootstrap.upper, b.bootstrap.upper);
  EXPECT_EQ(a.bootstrap.p_below_reliable, b.bootstrap.p_below_reliable);
  EXPECT_EQ(a.bootstrap.p_below_tentative, b.bootstrap.p_below_tentative);
  EXPECT_EQ(a.bootstrap.undefined_replicates, b.bootstrap.undefined_replicates);
  EXPECT_EQ(a.verdict, b.verdict);
}

constexpr std::array<Level, 4> kLevels = {Level::kNominal, Level::kOrdinal, Level::kInterval,
                                          Level::kRatio};

// --- Krippendorff's alpha: golden values ---------------------------------------------------

struct AlphaGolden {
  Level level;
  double published;  // Krippendorff 2011, to 3 decimals
  double exact;      // the exact fraction from the independent computation
  double observed, expected;
};

// Exact values: nominal 113/152, ordinal 108577/133160, interval 951/1120, ratio
// 18222619/22852465 (fractions from Krippendorff's formulas; the published values round them).
constexpr std::array<AlphaGolden, 4> kKrippendorffExample = {{
    {Level::kNominal, 0.743, 0.74342105263157898, 0.2, 0.77948717948717949},
    {Level::kOrdinal, 0.815, 0.81538750375488134, 47.275, 256.07692307692309},
    {Level::kInterval, 0.849, 0.84910714285714284, 0.43333333333333335, 2.8717948717948718},
    {Level::kRatio, 0.797, 0.79740277471161203, 0.022432728647014361, 0.11072574471383995},
}};

TEST(Agreement, KrippendorffExampleAtEveryLevel) {
  for (const AlphaGolden& g : kKrippendorffExample) {
    SCOPED_TRACE(LevelName(g.level));
    const AgreementReport r = Compute(Krippendorff(), At(g.level));
    ASSERT_TRUE(r.alpha.value) << r.alpha.why;
    EXPECT_NEAR(*r.alpha.value, g.published, 0.0005);
    EXPECT_NEAR(*r.alpha.value, g.exact, 1e-12);
    EXPECT_NEAR(r.observed_disagreement, g.observed, 1e-12 * g.observed);
    EXPECT_NEAR(r.expected_disagreement, g.expected, 1e-12 * g.expected);
    EXPECT_EQ(r.pairable_values, 40u);
    EXPECT_EQ(r.units_used, 11u);
    // Unit 12, coded by coder B only, is excluded and counted.
    EXPECT_EQ(r.units_excluded, 1u);
    EXPECT_EQ(r.units_single_coder, 1u);
    EXPECT_EQ(r.distinct_values, 5u);
    EXPECT_EQ(r.units, 12u);
    EXPECT_EQ(r.coders, 4u);
  }
}

TEST(Agreement, KrippendorffExampleVerdicts) {
  EXPECT_EQ(Compute(Krippendorff(), At(Level::kNominal)).verdict, Verdict::kTentative);
  EXPECT_EQ(Compute(Krippendorff(), At(Level::kOrdinal)).verdict, Verdict::kReliable);
  EXPECT_EQ(Compute(Krippendorff(), At(Level::kInterval)).verdict, Verdict::kReliable);
  EXPECT_EQ(Compute(Krippendorff(), At(Level::kRatio)).verdict, Verdict::kTentative);
  AgreementOptions lenient;
  lenient.reliable_threshold = 0.7;
  lenient.tentative_threshold = 0.5;
  EXPECT_EQ(Compute(Krippendorff(), lenient).verdict, Verdict::kReliable);
  AgreementOptions strict;
  strict.reliable_threshold = 0.95;
  strict.tentative_threshold = 0.9;
  EXPECT_EQ(Compute(Krippendorff(), strict).verdict, Verdict::kUnreliable);
}

TEST(Agreement, ThresholdsOutOfOrderLeaveTheVerdictUndefined) {
  AgreementOptions options;
  options.reliable_threshold = 0.6;
  options.tentative_threshold = 0.7;
  const AgreementReport r = Compute(Krippendorff(), options);
  EXPECT_TRUE(r.alpha.value);  // alpha itself does not depend on them
  EXPECT_EQ(r.verdict, Verdict::kUndefined);
  EXPECT_NE(r.verdict_why.find("tentative threshold"), std::string::npos) << r.verdict_why;
  EXPECT_FALSE(r.bootstrap.lower);
}

// The coincidence matrix of the example, nominal (Krippendorff 2011): values 1..5,
// o_11 = 7, o_12 = 4/3, ..., margins n_c = 9, 13, 10, 5, 3, n = 40.
TEST(Agreement, KrippendorffExampleCoincidences) {
  const CoincidenceMatrix m = ComputeCoincidences(Krippendorff());
  ASSERT_EQ(m.values, (std::vector<double>{1, 2, 3, 4, 5}));
  const double third = 1.0 / 3, four_thirds = 4.0 / 3;
  const std::array<std::array<double, 5>, 5> expected = {{{7, four_thirds, third, third, 0},
                                                          {four_thirds, 10, four_thirds, third, 0},
                                                          {third, four_thirds, 8, third, 0},
                                                          {third, third, third, 4, 0},
                                                          {0, 0, 0, 0, 3}}};
  for (std::size_t c = 0; c < 5; ++c) {
    for (std::size_t k = 0; k < 5; ++k) EXPECT_NEAR(m.o(c, k), expected[c][k], 1e-12);
  }
  const std::array<double, 5> margins = {9, 13, 10, 5, 3};
  for (std::size_t c = 0; c < 5; ++c) EXPECT_NEAR(m.marginals[c], margins[c], 1e-12);
  EXPECT_EQ(m.pairable, 40u);
}

// Krippendorff (2011), sec. A: binary data, two coders, no missing values.
//   A: 0 1 0 0 0 0 0 0 1 0
//   B: 1 1 1 0 0 1 0 0 0 0
// o_01 = o_10 = 4, n_0 = 14, n_1 = 6, n = 20: alpha = 1 - (n - 1) o_01 / (n_0 n_1)
// = 1 - 19 * 4 / 84 = 0.095. Cohen: p_o = 6/10, A has 2 ones, B 4 ones:
// p_e = 0.2 * 0.4 + 0.8 * 0.6 = 0.56, kappa = 0.04 / 0.44 = 1/11.
TEST(Agreement, KrippendorffBinaryTwoCoders) {
  const Rows rows = {{0, 1, 0, 0, 0, 0, 0, 0, 1, 0}, {1, 1, 1, 0, 0, 1, 0, 0, 0, 0}};
  const AgreementReport r = Compute(ReliabilityData::FromCoderRows(rows));
  ASSERT_TRUE(r.alpha.value);
  EXPECT_NEAR(*r.alpha.value, 0.095, 0.0005);
  EXPECT_NEAR(*r.alpha.value, 1 - 19.0 * 4 / 84, 1e-12);
  EXPECT_EQ(r.verdict, Verdict::kUnreliable);
  ASSERT_TRUE(r.cohen_kappa.value);
  EXPECT_NEAR(*r.cohen_kappa.value, 1.0 / 11, 1e-12);
  EXPECT_EQ(r.cohen_units, 10u);
}

// --- Cohen's kappa -------------------------------------------------------------------------

// The 2x2 table, 50 units: p_o = (20 + 15) / 50 = 0.7. Coder 1 says yes 25 times, coder 2
// 30 times: p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
TEST(Agreement, CohenKappaTextbookTable) {
  const AgreementReport r = Compute(YesNoTable());
  ASSERT_TRUE(r.cohen_kappa.value) << r.cohen_kappa.why;
  EXPECT_NEAR(*r.cohen_kappa.value, 0.4, 1e-15);
  EXPECT_EQ(r.cohen_units, 50u);
  ASSERT_TRUE(r.percent_agreement.value);
  EXPECT_NEAR(*r.percent_agreement.value, 0.7, 1e-15);
  // Alpha, nominal: o_yn = o_ny = 15, n_y = 55, n_n = 45, n = 100:
  // 1 - 99 * 30 / (2 * 55 * 45) = 1 - 2970 / 4950 = 0.4.
  ASSERT_TRUE(r.alpha.value);
  EXPECT_NEAR(*r.alpha.value, 0.4, 1e-15);
  // Fleiss with 2 raters is Scott's pi: pooled yes share 0.55, P-bar_e = 0.55^2 + 0.45^2
  // = 0.505, (0.7 - 0.505) / (1 - 0.505) = 13/33.
  ASSERT_TRUE(r.fleiss_kappa.value);
  EXPECT_NEAR(*r.fleiss_kappa.value, 13.0 / 33, 1e-15);
}

TEST(Agreement, CohenKappaSkipsUnitsNotCodedByBoth) {
  const auto _ = kMissing;
  // The textbook table plus three units only one coder coded: kappa is unchanged.
  Rows rows(2);
  const ReliabilityData table = YesNoTable();
  for (std::size_t i = 0; i < table.units(); ++i) {
    rows[0].push_back(table.at(i, 0));
    rows[1].push_back(table.at(i, 1));
  }
  rows[0].insert(rows[0].end(), {1, _, 0});
  rows[1].insert(rows[1].end(), {_, 1, _});
  const AgreementReport r = Compute(ReliabilityData::FromCoderRows(rows));
  ASSERT_TRUE(r.cohen_kappa.value);
  EXPECT_NEAR(*r.cohen_kappa.value, 0.4, 1e-15);
  EXPECT_EQ(r.cohen_units, 50u);
  EXPECT_EQ(r.units_excluded, 3u);
}

TEST(Agreement, CohenKappaNeedsExactlyTwoCoders) {
  const AgreementReport r = Compute(Krippendorff());
  EXPECT_FALSE(r.cohen_kappa.value);
  EXPECT_NE(r.cohen_kappa.why.find("exactly 2 coders"), std::string::npos) << r.cohen_kappa.why;
}

// --- Fleiss' kappa -------------------------------------------------------------------------

// Wikipedia's worked example: P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
TEST(Agreement, FleissKappaWorkedExample) {
  const AgreementReport r = Compute(FleissExample());
  ASSERT_TRUE(r.fleiss_kappa.value) << r.fleiss_kappa.why;
  EXPECT_NEAR(*r.fleiss_kappa.value, 0.210, 0.0005);
  EXPECT_NEAR(*r.fleiss_kappa.value, 0.20993070442195524, 1e-12);
  EXPECT_EQ(r.fleiss_units, 10u);
  EXPECT_EQ(r.fleiss_units_left_out, 0u);
  // Percent agreement is Fleiss' P-bar on complete data.
  ASSERT_TRUE(r.percent_agreement.value);
  EXPECT_NEAR(*r.percent_agreement.value, 0.378021978021978, 1e-12);
}

// Fleiss needs equal numbers of ratings: on the Krippendorff data only the 8 units coded by
// all 4 coders count (units 1, 10, 11, 12 are left out). Independent value: 0.64145658...
TEST(Agreement, FleissKappaUsesOnlyCompleteUnits) {
  const AgreementReport r = Compute(Krippendorff());
  ASSERT_TRUE(r.fleiss_kappa.value);
  EXPECT_NEAR(*r.fleiss_kappa.value, 0.6414565826330533, 1e-12);
  EXPECT_EQ(r.fleiss_units, 8u);
  EXPECT_EQ(r.fleiss_units_left_out, 4u);
}

// --- Gwet's AC1 ----------------------------------------------------------------------------

// The 2x2 table: p_a = 0.7; the mean share of yes over both coders q = (25 + 30) / 100 =
// 0.55, p_e = 2 q (1 - q) = 0.495, AC1 = (0.7 - 0.495) / (1 - 0.495) = 0.205 / 0.505 = 41/101.
TEST(Agreement, GwetAc1TwoRatersByHand) {
  const AgreementReport r = Compute(YesNoTable());
  ASSERT_TRUE(r.gwet_ac1.value) << r.gwet_ac1.why;
  EXPECT_NEAR(*r.gwet_ac1.value, 41.0 / 101, 1e-15);
  EXPECT_EQ(r.gwet_categories, 2u);
}

// Declaring a third, unused category: p_e = 0.495 / 2 = 0.2475, AC1 = 0.4525 / 0.7525.
TEST(Agreement, GwetAc1CountsDeclaredCategories) {
  AgreementOptions options;
  options.category_count = 3;
  const AgreementReport r = Compute(YesNoTable(), options);
  ASSERT_TRUE(r.gwet_ac1.value);
  EXPECT_NEAR(*r.gwet_ac1.value, 0.4525 / 0.7525, 1e-15);
  EXPECT_EQ(r.gwet_categories, 3u);

  options.category_count = 1;  // fewer than the 2 values coded
  const AgreementReport bad = Compute(YesNoTable(), options);
  EXPECT_FALSE(bad.gwet_ac1.value);
  EXPECT_NE(bad.gwet_ac1.why.find("category_count"), std::string::npos) << bad.gwet_ac1.why;
}

// Many raters with missing ratings, Gwet (2014): p_a over the 11 units with 2+ ratings
// (= 9/11), pi_k over all 12 coded units (unit 12's single rating counts), q = 5.
// Independent value 0.77544406812699496; on Fleiss' example 0.2256141508166282.
TEST(Agreement, GwetAc1ManyRatersWithMissingRatings) {
  const AgreementReport r = Compute(Krippendorff());
  ASSERT_TRUE(r.gwet_ac1.value) << r.gwet_ac1.why;
  EXPECT_NEAR(*r.gwet_ac1.value, 0.77544406812699496, 1e-12);
  EXPECT_EQ(r.gwet_categories, 5u);
  ASSERT_TRUE(r.percent_agreement.value);
  EXPECT_NEAR(*r.percent_agreement.value, 9.0 / 11, 1e-15);

  const AgreementReport f = Compute(FleissExample());
  ASSERT_TRUE(f.gwet_ac1.value);
  EXPECT_NEAR(*f.gwet_ac1.value, 0.2256141508166282, 1e-12);
}

// --- Properties ----------------------------------------------------------------------------

TEST(Agreement, PermutingCodersChangesNothing) {
  for (const Level level : kLevels) {
    SCOPED_TRACE(LevelName(level));
    const AgreementReport base = Compute(Krippendorff(), At(level));
    std::vector<std::size_t> to = {0, 1, 2, 3};
    while (std::next_permutation(to.begin(), to.end())) {
      ExpectSameReport(Compute(PermuteCoders(Krippendorff(), to), At(level)), base);
    }
  }
  // Two coders: Cohen's kappa is symmetric in them.
  const AgreementReport two = Compute(YesNoTable());
  ExpectSameReport(Compute(PermuteCoders(YesNoTable(), {1, 0})), two);
}

TEST(Agreement, PermutingUnitsChangesNothing) {
  std::mt19937 rng(7);
  for (const Level level : kLevels) {
    SCOPED_TRACE(LevelName(level));
    const AgreementReport base = Compute(Krippendorff(), At(level));
    std::vector<std::size_t> to(12);
    std::iota(to.begin(), to.end(), 0);
    for (int trial = 0; trial < 10; ++trial) {
      std::shuffle(to.begin(), to.end(), rng);
      ExpectSameReport(Compute(PermuteUnits(Krippendorff(), to), At(level)), base);
    }
  }
  std::vector<std::size_t> to(50);
  std::iota(to.rbegin(), to.rend(), 0);
  ExpectSameReport(Compute(PermuteUnits(YesNoTable(), to)), Compute(YesNoTable()));
}

TEST(Agreement, UncodedUnitsChangeNothingButTheCounts) {
  const ReliabilityData base = Krippendorff();
  ReliabilityData wider(base.units() + 2, base.coders());
  for (std::size_t i = 0; i < base.units(); ++i) {
    for (std::size_t j = 0; j < base.coders(); ++j) wider.Set(i + 1, j, base.at(i, j));
  }
  for (const Level level : kLevels) {
    const AgreementReport a = Compute(base, At(level)), b = Compute(wider, At(level));
    EXPECT_EQ(a.alpha.value, b.alpha.value);
    EXPECT_EQ(a.bootstrap.lower, b.bootstrap.lower);
    EXPECT_EQ(b.units_excluded, 3u);
    EXPECT_EQ(b.units_single_coder, 1u);
    EXPECT_EQ(b.fleiss_units_left_out, 6u);
  }
}

// Nominal alpha reads labels, ordinal only ranks: any relabelling (resp. increasing map)
// gives the same bits. Interval alpha is invariant under affine maps, ratio under scaling
// (up to rounding).
TEST(Agreement, AlphaIsInvariantUnderTheTransformsOfItsLevel) {
  const auto map = [](const ReliabilityData& d, double (*f)(double)) {
    ReliabilityData out(d.units(), d.coders());
    for (std::size_t i = 0; i < d.units(); ++i) {
      for (std::size_t j = 0; j < d.coders(); ++j) {
        if (d.at(i, j)) out.Set(i, j, f(*d.at(i, j)));
      }
    }
    return out;
  };
  const ReliabilityData k = Krippendorff();
  const auto alpha = [](const ReliabilityData& d, Level level) {
    return *Compute(d, At(level)).alpha.value;
  };
  EXPECT_EQ(alpha(map(k, [](double v) { return std::fmod(v * 7, 5) - 10; }), Level::kNominal),
            alpha(k, Level::kNominal));
  EXPECT_EQ(alpha(map(k, [](double v) { return v * v * v; }), Level::kOrdinal),
            alpha(k, Level::kOrdinal));
  EXPECT_NEAR(alpha(map(k, [](double v) { return 3 * v - 7; }), Level::kInterval),
              alpha(k, Level::kInterval), 1e-12);
  EXPECT_NEAR(alpha(map(k, [](double v) { return 2.5 * v; }), Level::kRatio),
              alpha(k, Level::kRatio), 1e-12);
}

TEST(Agreement, IdenticalCodersWithVariationGiveOne) {
  const Rows rows = {{1, 2, 3, 5, 2, 8}, {1, 2, 3, 5, 2, 8}};
  for (const Level level : kLevels) {
    SCOPED_TRACE(LevelName(level));
    const AgreementReport r = Compute(ReliabilityData::FromCoderRows(rows), At(level));
    ASSERT_TRUE(r.alpha.value) << r.alpha.why;
    EXPECT_EQ(*r.alpha.value, 1.0);
    EXPECT_EQ(r.observed_disagreement, 0.0);
    EXPECT_GT(r.expected_disagreement, 0.0);
    EXPECT_EQ(r.verdict, Verdict::kReliable);
    EXPECT_EQ(r.cohen_kappa.value, 1.0);
    EXPECT_EQ(r.fleiss_kappa.value, 1.0);
    EXPECT_EQ(r.gwet_ac1.value, 1.0);
    EXPECT_EQ(r.percent_agreement.value, 1.0);
    // Every defined replicate is 1 too.
    EXPECT_EQ(r.bootstrap.lower, 1.0);
    EXPECT_EQ(r.bootstrap.upper, 1.0);
    EXPECT_EQ(r.bootstrap.p_below_reliable, 0.0);
  }
}

TEST(Agreement, ConstantMatrixIsUndefinedWithTheReason) {
  const Rows rows = {{3, 3, 3, 3}, {3, 3, 3, 3}, {3, 3, 3, kMissing}};
  for (const Level level : kLevels) {
    SCOPED_TRACE(LevelName(level));
    const AgreementReport r = Compute(ReliabilityData::FromCoderRows(rows), At(level));
    EXPECT_FALSE(r.alpha.value);
    EXPECT_NE(r.alpha.why.find("no variation"), std::string::npos) << r.alpha.why;
    EXPECT_EQ(r.verdict, Verdict::kUndefined);
    EXPECT_EQ(r.verdict_why, r.alpha.why);
    EXPECT_EQ(r.pairable_values, 11u);
    EXPECT_EQ(r.distinct_values, 1u);
    EXPECT_FALSE(r.bootstrap.lower);
    EXPECT_FALSE(r.fleiss_kappa.value);
    EXPECT_NE(r.fleiss_kappa.why.find("no variation"), std::string::npos);
    EXPECT_FALSE(r.gwet_ac1.value);
    EXPECT_NE(r.gwet_ac1.why.find("no variation"), std::string::npos);
    EXPECT_EQ(r.percent_agreement.value, 1.0);  // agreement itself is perfect
  }
  // Two coders: Cohen's p_e = 1.
  const Rows two = {{3, 3, 3}, {3, 3, 3}};
  const AgreementReport r = Compute(ReliabilityData::FromCoderRows(two));
  EXPECT_FALSE(r.cohen_kappa.value);
  EXPECT_NE(r.cohen_kappa.why.find("no variation"), std::string::npos) << r.cohen_kappa.why;
}

TEST(Agreement, OneCoderIsUndefinedWithTheReason) {
  const Rows rows = {{1, 2, 3, 4}};
  const AgreementReport r = Compute(ReliabilityData::FromCoderRows(rows));
  for (const Coefficient* c :
       {&r.alpha, &r.percent_agreement, &r.cohen_kappa, &r.fleiss_kappa, &r.gwet_ac1}) {
    EXPECT_FALSE(c->value);
    EXPECT_NE(c->why.find("one coder"), std::string::npos) << c->why;
  }
  EXPECT_EQ(r.verdict, Verdict::kUndefined);
  EXPECT_EQ(r.units_excluded, 4u);
  EXPECT_EQ(r.units_single_coder, 4u);
}

TEST(Agreement, NoDataIsUndefinedWithTheReason) {
  for (const ReliabilityData& d : {ReliabilityData(0, 3), ReliabilityData(5, 0)}) {
    const AgreementReport r = Compute(d);
    EXPECT_FALSE(r.alpha.value);
    EXPECT_NE(r.alpha.why.find("no data"), std::string::npos) << r.alpha.why;
  }
  // Units and coders, but no cell coded.
  const AgreementReport empty = Compute(ReliabilityData(4, 3));
  EXPECT_FALSE(empty.alpha.value);
  EXPECT_EQ(empty.units_excluded, 4u);
  EXPECT_EQ(empty.units_single_coder, 0u);
}

TEST(Agreement, UnitsCodedByOneCoderOnlyAreExcludedAndCounted) {
  const auto _ = kMissing;
  const Rows rows = {{1, _, 3}, {_, 2, _}, {_, _, _}};
  const AgreementReport r = Compute(ReliabilityData::FromCoderRows(rows));
  EXPECT_FALSE(r.alpha.value);
  EXPECT_NE(r.alpha.why.find("3 units are coded by one coder only"), std::string::npos)
      << r.alpha.why;
  EXPECT_EQ(r.units_used, 0u);
  EXPECT_EQ(r.units_excluded, 3u);
  EXPECT_EQ(r.units_single_coder, 3u);
  EXPECT_FALSE(r.percent_agreement.value);
  EXPECT_FALSE(r.gwet_ac1.value);
}

TEST(Agreement, RatioLevelRefusesNegativeValues) {
  const Rows rows = {{-1, 2, 3}, {-1, 2, 4}};
  const AgreementReport r = Compute(ReliabilityData::FromCoderRows(rows), At(Level::kRatio));
  EXPECT_FALSE(r.alpha.value);
  EXPECT_NE(r.alpha.why.find("ratio level needs values >= 0"), std::string::npos) << r.alpha.why;
  EXPECT_TRUE(r.cohen_kappa.value);  // the nominal statistics do not care
  EXPECT_TRUE(Compute(ReliabilityData::FromCoderRows(rows), At(Level::kInterval)).alpha.value);
}

// Differences whose squares underflow, or values whose squares overflow, are explained
// instead of turning into 0/0 or inf/inf.
TEST(Agreement, ExtremeValuesAreExplainedNotNan) {
  const Rows tiny = {{0, 1e-200, 0}, {0, 1e-200, 1e-200}};
  const AgreementReport r = Compute(ReliabilityData::FromCoderRows(tiny), At(Level::kInterval));
  EXPECT_FALSE(r.alpha.value);
  EXPECT_NE(r.alpha.why.find("double precision"), std::string::npos) << r.alpha.why;
  const Rows huge = {{-1e300, 1e300, 0}, {-1e300, 1e300, 1e300}};
  const AgreementReport h = Compute(ReliabilityData::FromCoderRows(huge), At(Level::kInterval));
  EXPECT_FALSE(h.alpha.value);
  // Ordinal only sees ranks, so the same data is fine there.
  EXPECT_TRUE(Compute(ReliabilityData::FromCoderRows(huge), At(Level::kOrdinal)).alpha.value);
}

// --- Bootstrap -----------------------------------------------------------------------------

TEST(Agreement, BootstrapIsReproducibleFromItsSeed) {
  for (const Level level : kLevels) {
    SCOPED_TRACE(LevelName(level));
    AgreementOptions options = At(level);
    options.seed = 42;
    const AgreementReport a = Compute(Krippendorff(), options);
    const AgreementReport b = Compute(Krippendorff(), options);
    ASSERT_TRUE(a.bootstrap.lower) << a.bootstrap.why;
    EXPECT_EQ(a.bootstrap.lower, b.bootstrap.lower);
    EXPECT_EQ(a.bootstrap.upper, b.bootstrap.upper);
    EXPECT_EQ(a.bootstrap.p_below_reliable, b.bootstrap.p_below_reliable);
    EXPECT_EQ(a.bootstrap.replicates, 1000u);

    options.seed = 43;
    const AgreementReport c = Compute(Krippendorff(), options);
    EXPECT_TRUE(c.bootstrap.lower != a.bootstrap.lower || c.bootstrap.upper != a.bootstrap.upper ||
                c.bootstrap.p_below_reliable != a.bootstrap.p_below_reliable);
  }
}

TEST(Agreement, BootstrapIntervalHoldsThePointEstimate) {
  for (const Level level : kLevels) {
    SCOPED_TRACE(LevelName(level));
    const AgreementReport r = Compute(Krippendorff(), At(level));
    ASSERT_TRUE(r.bootstrap.lower && r.bootstrap.upper) << r.bootstrap.why;
    EXPECT_LT(*r.bootstrap.lower, *r.alpha.value);
    EXPECT_GT(*r.bootstrap.upper, *r.alpha.value);
    EXPECT_LE(*r.bootstrap.upper, 1.0);
    // Failing .800 is at least as likely as failing .667, and both are probabilities.
    EXPECT_GE(*r.bootstrap.p_below_reliable, *r.bootstrap.p_below_tentative);
    EXPECT_GE(*r.bootstrap.p_below_tentative, 0.0);
    EXPECT_LE(*r.bootstrap.p_below_reliable, 1.0);
    EXPECT_GT(*r.bootstrap.p_below_reliable, 0.0);
    EXPECT_LT(r.bootstrap.undefined_replicates, r.bootstrap.replicates);
  }
  // A wider confidence level gives a wider interval from the same replicates.
  AgreementOptions wide;
  wide.confidence = 0.99;
  const AgreementReport w = Compute(Krippendorff(), wide), n = Compute(Krippendorff());
  EXPECT_LE(*w.bootstrap.lower, *n.bootstrap.lower);
  EXPECT_GE(*w.bootstrap.upper, *n.bootstrap.upper);
}

TEST(Agreement, BootstrapExplainsWhenItDoesNotRun) {
  AgreementOptions off;
  off.bootstrap_replicates = 0;
  const AgreementReport r = Compute(Krippendorff(), off);
  EXPECT_TRUE(r.alpha.value);
  EXPECT_FALSE(r.bootstrap.lower);
  EXPECT_NE(r.bootstrap.why.find("0 replicates"), std::string::npos) << r.bootstrap.why;

  AgreementOptions bad;
  bad.confidence = 1.5;
  const AgreementReport b = Compute(Krippendorff(), bad);
  EXPECT_FALSE(b.bootstrap.lower);
  EXPECT_NE(b.bootstrap.why.find("confidence"), std::string::npos) << b.bootstrap.why;
  EXPECT_EQ(b.verdict, Verdict::kTentative);  // the verdict does not need the bootstrap
}

// --- Names and the data matrix -------------------------------------------------------------

TEST(Agreement, LevelAndVerdictNames) {
  for (const Level level : kLevels) EXPECT_EQ(ParseLevel(LevelName(level)), level);
  EXPECT_FALSE(ParseLevel("Nominal"));
  EXPECT_FALSE(ParseLevel(""));
  EXPECT_STREQ(VerdictName(Verdict::kReliable), "reliable");
  EXPECT_STREQ(VerdictName(Verdict::kTentative), "tentative");
  EXPECT_STREQ(VerdictName(Verdict::kUnreliable), "unreliable");
  EXPECT_STREQ(VerdictName(Verdict::kUndefined), "undefined");
}

TEST(ReliabilityData, FromCoderRowsPadsShortRowsWithMissing) {
  const Rows rows = {{1, 2, 3}, {4}};
  const ReliabilityData d = ReliabilityData::FromCoderRows(rows);
  EXPECT_EQ(d.units(), 3u);
  EXPECT_EQ(d.coders(), 2u);
  EXPECT_EQ(d.at(2, 0), 3.0);
  EXPECT_EQ(d.at(0, 1), 4.0);
  EXPECT_FALSE(d.at(1, 1));
}

TEST(ReliabilityDataDeathTest, RefusesValuesThatAreNotFinite) {
  ReliabilityData d(2, 2);
  EXPECT_DEATH(d.Set(0, 0, std::nan("")), "not finite");
  EXPECT_DEATH(d.Set(0, 0, HUGE_VAL), "not finite");
  EXPECT_DEATH(d.Set(2, 0, 1.0), "out of range");
}

}  // namespace
}  // namespace bmil::research
