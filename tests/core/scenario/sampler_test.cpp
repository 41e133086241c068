// Sampling scenario drivers (core/src/scenario/sampler.hpp): quantiles against closed forms,
// the stratification of LHS and Sobol' columns, Iman-Conover correlation, common random
// numbers, determinism, and the rank and quantile statistics.
#include "scenario/sampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace bmil::scenario {
namespace {

using Kind = Distribution::Kind;

Distribution Fixed(double value) {
  Distribution d;
  d.kind = Kind::kFixed;
  d.value = value;
  return d;
}

Distribution Uniform(double min, double max) {
  Distribution d;
  d.kind = Kind::kUniform;
  d.min = min;
  d.max = max;
  return d;
}

Distribution Triangular(double min, double mode, double max) {
  Distribution d;
  d.kind = Kind::kTriangular;
  d.min = min;
  d.mode = mode;
  d.max = max;
  return d;
}

Distribution Pert(double min, double mode, double max) {
  Distribution d = Triangular(min, mode, max);
  d.kind = Kind::kPert;
  return d;
}

Distribution Normal(double mean, double sd) {
  Distribution d;
  d.kind = Kind::kNormal;
  d.mean = mean;
  d.sd = sd;
  return d;
}

Distribution Lognormal(double median, double gsd) {
  Distribution d;
  d.kind = Kind::kLognormal;
  d.median = median;
  d.gsd = gsd;
  return d;
}

Distribution Discrete(std::vector<double> values, std::vector<double> weights) {
  Distribution d;
  d.kind = Kind::kDiscrete;
  d.values = std::move(values);
  d.weights = std::move(weights);
  return d;
}

Correlation Pair(const std::string& a, const std::string& b, double rank) {
  Correlation c;
  c.a = a;
  c.b = b;
  c.rank = rank;
  return c;
}

SamplerOptions Options(SamplingMethod method, std::size_t draws, std::uint64_t seed = 7) {
  SamplerOptions options;
  options.method = method;
  options.draws = draws;
  options.seed = seed;
  return options;
}

std::vector<double> Column(const Sample& sample, std::size_t j) {
  std::vector<double> column;
  for (std::size_t r = 0; r < sample.draws; ++r) column.push_back(sample.at(r, j));
  return column;
}

std::vector<double> Sorted(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values;
}

// Bit-for-bit equality (EXPECT_EQ on doubles would also pass for -0.0 == 0.0).
bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
           return std::memcmp(&x, &y, sizeof x) == 0;
         });
}

// How many of `column`'s values fall in each of `strata` equal parts of [0,1).
std::vector<int> StratumCounts(const std::vector<double>& column, std::size_t strata) {
  std::vector<int> counts(strata, 0);
  for (double u : column) {
    EXPECT_GT(u, 0.0);
    EXPECT_LT(u, 1.0);
    const auto i = static_cast<std::size_t>(u * static_cast<double>(strata));
    if (i < strata) ++counts[i];
  }
  return counts;
}

double Mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

TEST(SamplingMethod, NamesRoundTrip) {
  EXPECT_STREQ(SamplingMethodName(SamplingMethod::kLatinHypercube), "lhs");
  EXPECT_STREQ(SamplingMethodName(SamplingMethod::kSobol), "sobol");
  EXPECT_EQ(ParseSamplingMethod("lhs"), SamplingMethod::kLatinHypercube);
  EXPECT_EQ(ParseSamplingMethod("sobol"), SamplingMethod::kSobol);
  EXPECT_FALSE(ParseSamplingMethod("LHS").has_value());
  EXPECT_FALSE(ParseSamplingMethod("").has_value());
}

TEST(Quantile, UniformIsLinearAndClampsProbability) {
  const Distribution d = Uniform(2, 6);
  EXPECT_DOUBLE_EQ(Quantile(d, 0.25), 3.0);
  EXPECT_DOUBLE_EQ(Median(d), 4.0);
  EXPECT_NEAR(Quantile(d, 0.0), 2.0 + 4e-12, 1e-15);
  EXPECT_NEAR(Quantile(d, 1.0), 6.0 - 4e-12, 1e-14);
  EXPECT_LT(Quantile(d, 2.0), 6.0);
  EXPECT_GT(Quantile(d, -1.0), 2.0);
}

TEST(Quantile, TriangularMatchesClosedForm) {
  // Mode above the midpoint: F(mode) = 0.8 > 0.5, the median is on the rising side,
  // min + sqrt((max - min)(mode - min) / 2).
  EXPECT_NEAR(Median(Triangular(0, 8, 10)), std::sqrt(40.0), 1e-12);
  // Mode below the midpoint: max - sqrt((max - min)(max - mode) / 2).
  EXPECT_NEAR(Median(Triangular(0, 2, 10)), 10 - std::sqrt(40.0), 1e-12);
  // p below F(mode) = 0.2: min + sqrt((max - min)(mode - min) p).
  EXPECT_NEAR(Quantile(Triangular(0, 2, 10), 0.1), std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(Quantile(Triangular(1, 3, 11), 0.2), 3.0, 1e-12);  // F(mode) = 0.2
}

TEST(Quantile, PertIsScaledBeta) {
  // Symmetric: alpha = beta = 3, the median is the mode.
  EXPECT_NEAR(Median(Pert(0, 5, 10)), 5.0, 1e-12);
  EXPECT_NEAR(Median(Pert(-4, 1, 6)), 1.0, 1e-12);
  // Mode at min: Beta(1, 5), whose quantile is 1 - (1 - p)^(1/5).
  EXPECT_NEAR(Median(Pert(0, 0, 10)), 10 * (1 - std::pow(0.5, 0.2)), 1e-10);
  EXPECT_NEAR(Quantile(Pert(2, 2, 12), 0.9), 2 + 10 * (1 - std::pow(0.1, 0.2)), 1e-10);
}

TEST(Quantile, NormalMatchesTable) {
  EXPECT_NEAR(Quantile(Normal(10, 2), 0.975), 10 + 2 * 1.959963984540054, 1e-9);
  EXPECT_NEAR(Quantile(Normal(10, 2), 0.025), 10 - 2 * 1.959963984540054, 1e-9);
  EXPECT_NEAR(Median(Normal(-3, 7)), -3.0, 1e-12);
}

TEST(Quantile, LognormalMedianAndOneSigma) {
  const Distribution d = Lognormal(3, 2);
  EXPECT_NEAR(Median(d), 3.0, 1e-12);
  // Phi(1) = 0.841344746068543: one geometric standard deviation above the median.
  EXPECT_NEAR(Quantile(d, 0.841344746068543), 6.0, 1e-9);
  EXPECT_NEAR(Quantile(d, 1 - 0.841344746068543), 1.5, 1e-9);
}

TEST(Quantile, DiscreteSortsValuesAndPicksLowerOnBoundary) {
  // Sorted: 1 (0.25), 2 (0.5), 3 (0.25); cumulative 0.25, 0.75, 1.
  const Distribution d = Discrete({3, 1, 2}, {1, 1, 2});
  EXPECT_EQ(Quantile(d, 0.1), 1.0);
  EXPECT_EQ(Quantile(d, 0.25), 1.0);
  EXPECT_EQ(Quantile(d, 0.25 + 1e-13), 1.0);  // within the tolerance
  EXPECT_EQ(Quantile(d, 0.26), 2.0);
  EXPECT_EQ(Quantile(d, 0.75), 2.0);
  EXPECT_EQ(Quantile(d, 0.76), 3.0);
  EXPECT_EQ(Quantile(d, 1.0), 3.0);
  EXPECT_EQ(Median(d), 2.0);
  // Thirds, whose cumulative sums are not exact in binary.
  const Distribution thirds = Discrete({10, 20, 30}, {1, 1, 1});
  EXPECT_EQ(Quantile(thirds, 1.0 / 3), 10.0);
  EXPECT_EQ(Quantile(thirds, 2.0 / 3), 20.0);
  EXPECT_EQ(Quantile(thirds, 0.34), 20.0);
}

TEST(Quantile, FixedAndSingleValueDiscreteAreFixed) {
  EXPECT_EQ(Quantile(Fixed(4.5), 0.9), 4.5);
  EXPECT_EQ(Median(Discrete({7}, {2})), 7.0);
  EXPECT_TRUE(IsFixed(Fixed(1)));
  EXPECT_TRUE(IsFixed(Discrete({7}, {2})));
  EXPECT_FALSE(IsFixed(Discrete({7, 8}, {1, 1})));
  EXPECT_FALSE(IsFixed(Uniform(0, 1)));
  EXPECT_FALSE(IsFixed(Normal(0, 1)));
}

TEST(Draw, LatinHypercubeHasOnePointPerStratum) {
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"a", &unit}, {"b", &unit}, {"c", &unit}};
  for (std::size_t n : {1u, 2u, 7u, 100u, 1000u}) {
    const Sample sample = Draw(drivers, {}, Options(SamplingMethod::kLatinHypercube, n));
    ASSERT_EQ(sample.draws, n);
    ASSERT_EQ(sample.drivers, 3u);
    ASSERT_EQ(sample.values.size(), 3 * n);
    for (std::size_t j = 0; j < 3; ++j) {
      EXPECT_EQ(StratumCounts(Column(sample, j), n), std::vector<int>(n, 1))
          << "n " << n << " column " << j;
    }
  }
}

TEST(Draw, LatinHypercubeColumnsAreNotCopiesOfEachOther) {
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"a", &unit}, {"b", &unit}};
  const Sample sample = Draw(drivers, {}, Options(SamplingMethod::kLatinHypercube, 1000));
  EXPECT_LT(std::abs(SpearmanRank(Column(sample, 0), Column(sample, 1))), 0.1);
}

TEST(Draw, LatinHypercubeLognormalMean) {
  const double median = 100, gsd = 1.5;
  const Distribution d = Lognormal(median, gsd);
  const std::vector<SampledDriver> drivers = {{"growth", &d}};
  const Sample sample = Draw(drivers, {}, Options(SamplingMethod::kLatinHypercube, 20000));
  const double sigma = std::log(gsd);
  const double mean = std::exp(std::log(median) + sigma * sigma / 2);
  EXPECT_NEAR(Mean(sample.values), mean, 0.01 * mean);
}

TEST(Draw, LatinHypercubeDiscreteFrequenciesFollowWeights) {
  // One point per stratum: each value's count is its weight times N, give or take one.
  const Distribution d = Discrete({5, 1, 3}, {1, 1, 2});
  const std::vector<SampledDriver> drivers = {{"tier", &d}};
  const Sample sample = Draw(drivers, {}, Options(SamplingMethod::kLatinHypercube, 1000));
  std::map<double, int> counts;
  for (double v : sample.values) ++counts[v];
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_NEAR(counts[1], 250, 1);
  EXPECT_NEAR(counts[3], 500, 1);
  EXPECT_NEAR(counts[5], 250, 1);
}

TEST(Draw, SobolHasOnePointPerStratumInEachDimension) {
  const Distribution unit = Uniform(0, 1);
  const std::vector<std::string> universe = {"a", "b", "c", "d", "e"};
  std::vector<SampledDriver> drivers;
  for (const std::string& id : universe) drivers.push_back({id, &unit});
  for (std::uint64_t seed : {1u, 2u, 99u}) {
    const Sample sample = Draw(drivers, {}, Options(SamplingMethod::kSobol, 1024, seed), universe);
    for (std::size_t j = 0; j < drivers.size(); ++j) {
      EXPECT_EQ(StratumCounts(Column(sample, j), 1024), std::vector<int>(1024, 1))
          << "seed " << seed << " column " << j;
    }
  }
}

TEST(Draw, SobolFirstTwoDimensionsFormANet) {
  // The first two Sobol' dimensions are a (0,m,2)-net in base 2, and a digital shift keeps
  // that: each of the 32 x 32 boxes of side 1/32 holds exactly one of the first 1024 points
  // (as does each 1024 x 1 and 2 x 512 box).
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"a", &unit}, {"b", &unit}};
  const Sample sample = Draw(drivers, {}, Options(SamplingMethod::kSobol, 1024, 3));
  for (std::size_t columns : {32u, 2u, 64u}) {
    const std::size_t rows = 1024 / columns;
    std::vector<int> counts(1024, 0);
    for (std::size_t r = 0; r < 1024; ++r) {
      const auto x = static_cast<std::size_t>(sample.at(r, 0) * static_cast<double>(columns));
      const auto y = static_cast<std::size_t>(sample.at(r, 1) * static_cast<double>(rows));
      ++counts[x * rows + y];
    }
    EXPECT_EQ(counts, std::vector<int>(1024, 1)) << columns << " columns";
  }
}

TEST(Draw, SobolDimensionComesFromUniverse) {
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> a = {{"a", &unit}};
  const std::vector<std::string> with_x = {"a", "x"};
  const std::vector<std::string> x_first = {"w", "a"};
  const SamplerOptions options = Options(SamplingMethod::kSobol, 256);
  const Sample first = Draw(a, {}, options, with_x);
  const Sample second = Draw(a, {}, options, x_first);
  const Sample own_order = Draw(a, {}, options);
  EXPECT_TRUE(SameBits(first.values, own_order.values));  // dimension 0 either way
  EXPECT_FALSE(SameBits(first.values, second.values));    // dimension 1
  // A universe that lacks a driver is ignored: the drivers' own order counts.
  const std::vector<SampledDriver> ab = {{"a", &unit}, {"b", &unit}};
  const std::vector<std::string> lacks_b = {"q", "a"};
  EXPECT_TRUE(SameBits(Draw(ab, {}, options, lacks_b).values, Draw(ab, {}, options).values));
}

TEST(Draw, SobolBeyondMaxDimensionFallsBackToLatinHypercube) {
  std::vector<std::string> universe;
  for (int i = 0; i < 3700; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "d%04d", i);
    universe.push_back(id);
  }
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"d3690", &unit}};
  const Sample sobol = Draw(drivers, {}, Options(SamplingMethod::kSobol, 64), universe);
  const Sample lhs = Draw(drivers, {}, Options(SamplingMethod::kLatinHypercube, 64));
  EXPECT_TRUE(SameBits(sobol.values, lhs.values));
}

TEST(Draw, FixedDriversAreConstant) {
  const Distribution fixed = Fixed(2.5);
  const Distribution single = Discrete({4}, {1});
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"f", &fixed}, {"s", &single}, {"u", &unit}};
  const std::vector<SampledDriver> u_alone = {{"u", &unit}};
  const std::vector<Correlation> correlations = {Pair("f", "u", 0.8)};
  const std::vector<std::string> universe = {"f", "s", "u"};
  for (SamplingMethod method : {SamplingMethod::kLatinHypercube, SamplingMethod::kSobol}) {
    const Sample sample = Draw(drivers, correlations, Options(method, 50), universe);
    EXPECT_EQ(Column(sample, 0), std::vector<double>(50, 2.5));
    EXPECT_EQ(Column(sample, 1), std::vector<double>(50, 4.0));
    // A correlation with a fixed driver is ignored: "u" is sampled as if alone.
    EXPECT_TRUE(
        SameBits(Column(sample, 2), Draw(u_alone, {}, Options(method, 50), universe).values));
  }
}

class ImanConoverTest : public ::testing::TestWithParam<SamplingMethod> {};

TEST_P(ImanConoverTest, ReachesTargetRanksAndKeepsMarginals) {
  const Distribution a = Normal(0, 1);
  const Distribution b = Lognormal(10, 2);
  const Distribution c = Triangular(0, 1, 5);
  const std::vector<SampledDriver> drivers = {{"a", &a}, {"b", &b}, {"c", &c}};
  const std::vector<Correlation> correlations = {Pair("a", "b", 0.7), Pair("c", "a", -0.5)};
  const std::vector<std::string> universe = {"a", "b", "c"};
  const SamplerOptions options = Options(GetParam(), 5000);
  const Sample plain = Draw(drivers, {}, options, universe);
  const Sample correlated = Draw(drivers, correlations, options, universe);
  const std::vector<double> ca = Column(correlated, 0), cb = Column(correlated, 1),
                            cc = Column(correlated, 2);
  EXPECT_NEAR(SpearmanRank(ca, cb), 0.7, 0.03);
  EXPECT_NEAR(SpearmanRank(ca, cc), -0.5, 0.03);
  EXPECT_NEAR(SpearmanRank(cb, cc), 0.0, 0.03);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_TRUE(SameBits(Sorted(Column(plain, j)), Sorted(Column(correlated, j)))) << j;
  }
  // Without the correlations the columns are close to independent.
  EXPECT_NEAR(SpearmanRank(Column(plain, 0), Column(plain, 1)), 0.0, 0.05);
}

INSTANTIATE_TEST_SUITE_P(Methods, ImanConoverTest,
                         ::testing::Values(SamplingMethod::kLatinHypercube, SamplingMethod::kSobol),
                         [](const ::testing::TestParamInfo<SamplingMethod>& param_info) {
                           return std::string(param_info.param == SamplingMethod::kSobol ? "Sobol"
                                                                                         : "Lhs");
                         });

TEST(Draw, IgnoresCorrelationsWithUnknownDrivers) {
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"a", &unit}, {"b", &unit}};
  const std::vector<Correlation> correlations = {Pair("a", "zzz", 0.9), Pair("b", "b", 0.5),
                                                 Pair("a", "b", 0.0)};
  const SamplerOptions options = Options(SamplingMethod::kLatinHypercube, 300);
  EXPECT_TRUE(
      SameBits(Draw(drivers, correlations, options).values, Draw(drivers, {}, options).values));
}

TEST(Draw, CorrelationWithFewDrawsLeavesSampleAlone) {
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"a", &unit}, {"b", &unit}};
  const std::vector<Correlation> correlations = {Pair("a", "b", 0.9)};
  for (std::size_t n : {1u, 2u}) {
    const SamplerOptions options = Options(SamplingMethod::kLatinHypercube, n);
    EXPECT_TRUE(
        SameBits(Draw(drivers, correlations, options).values, Draw(drivers, {}, options).values));
  }
  // Three draws: reordered, marginals kept.
  const SamplerOptions three = Options(SamplingMethod::kLatinHypercube, 3);
  const Sample correlated = Draw(drivers, correlations, three);
  const Sample plain = Draw(drivers, {}, three);
  for (std::size_t j = 0; j < 2; ++j) {
    EXPECT_TRUE(SameBits(Sorted(Column(plain, j)), Sorted(Column(correlated, j))));
  }
}

TEST(Draw, UncorrelatedColumnIsTheSameWhateverElseIsSampled) {
  // Common random numbers: "a" takes part in no correlation.
  const Distribution a = Pert(1, 2, 6);
  const Distribution b = Normal(5, 1);
  const Distribution c = Discrete({1, 2, 3}, {1, 2, 3});
  const std::vector<SampledDriver> alone = {{"a", &a}};
  const std::vector<SampledDriver> together = {{"c", &c}, {"a", &a}, {"b", &b}};
  const std::vector<Correlation> correlations = {Pair("b", "c", 0.6), Pair("a", "ghost", 0.9)};
  const std::vector<std::string> universe = {"a", "b", "c"};
  for (SamplingMethod method : {SamplingMethod::kLatinHypercube, SamplingMethod::kSobol}) {
    const SamplerOptions options = Options(method, 500);
    const Sample one = Draw(alone, {}, options, universe);
    const Sample three = Draw(together, correlations, options, universe);
    EXPECT_TRUE(SameBits(one.values, Column(three, 1))) << SamplingMethodName(method);
  }
  // LHS needs no universe at all.
  const SamplerOptions lhs = Options(SamplingMethod::kLatinHypercube, 500);
  EXPECT_TRUE(SameBits(Draw(alone, {}, lhs).values, Column(Draw(together, correlations, lhs), 1)));
}

TEST(Draw, SameSeedSameBytesOtherSeedOtherSample) {
  const Distribution a = Triangular(0, 3, 4);
  const Distribution b = Lognormal(2, 1.3);
  const std::vector<SampledDriver> drivers = {{"a", &a}, {"b", &b}};
  const std::vector<Correlation> correlations = {Pair("a", "b", -0.4)};
  for (SamplingMethod method : {SamplingMethod::kLatinHypercube, SamplingMethod::kSobol}) {
    const Sample first = Draw(drivers, correlations, Options(method, 400, 11));
    const Sample again = Draw(drivers, correlations, Options(method, 400, 11));
    const Sample other = Draw(drivers, correlations, Options(method, 400, 12));
    EXPECT_TRUE(SameBits(first.values, again.values));
    ASSERT_EQ(first.values.size(), other.values.size());
    EXPECT_FALSE(SameBits(first.values, other.values));
    EXPECT_FALSE(SameBits(Column(first, 0), Column(other, 0)));
    EXPECT_FALSE(SameBits(Column(first, 1), Column(other, 1)));
  }
}

TEST(Draw, EmptyCases) {
  const Distribution unit = Uniform(0, 1);
  const std::vector<SampledDriver> drivers = {{"a", &unit}};
  const Sample none = Draw(drivers, {}, Options(SamplingMethod::kLatinHypercube, 0));
  EXPECT_EQ(none.draws, 0u);
  EXPECT_EQ(none.drivers, 1u);
  EXPECT_TRUE(none.values.empty());
  const Sample no_drivers = Draw({}, {}, Options(SamplingMethod::kSobol, 10));
  EXPECT_EQ(no_drivers.draws, 10u);
  EXPECT_EQ(no_drivers.drivers, 0u);
  EXPECT_TRUE(no_drivers.values.empty());
}

TEST(SpearmanRank, AveragesTies) {
  // Ranks of x: 1, 2.5, 2.5, 4; of y: 1, 3, 2, 4. Deviations from 2.5: (-1.5, 0, 0, 1.5)
  // and (-1.5, 0.5, -0.5, 1.5): 4.5 / sqrt(4.5 * 5) = sqrt(0.9).
  const std::vector<double> x = {1, 2, 2, 3};
  const std::vector<double> y = {10, 30, 20, 40};
  EXPECT_NEAR(SpearmanRank(x, y), std::sqrt(0.9), 1e-15);
  EXPECT_NEAR(SpearmanRank(y, x), std::sqrt(0.9), 1e-15);
}

TEST(SpearmanRank, MonotoneConstantAndShort) {
  const std::vector<double> up = {1, 5, 9, 100};
  const std::vector<double> down = {4, 3, 2, -7};
  const std::vector<double> flat = {2, 2, 2, 2};
  EXPECT_DOUBLE_EQ(SpearmanRank(up, up), 1.0);
  EXPECT_DOUBLE_EQ(SpearmanRank(up, down), -1.0);
  EXPECT_EQ(SpearmanRank(up, flat), 0.0);
  EXPECT_EQ(SpearmanRank(std::vector<double>{1}, std::vector<double>{2}), 0.0);
  EXPECT_TRUE(std::isnan(SpearmanRank(up, std::vector<double>{1, 2})));
}

TEST(SampleQuantile, InterpolatesLikeType7) {
  const std::vector<double> v = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(SampleQuantile(v, 0.25), 1.75);  // h = 3 * 0.25 = 0.75: 1 + 0.75 (2 - 1)
  EXPECT_DOUBLE_EQ(SampleQuantile(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(SampleQuantile(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(SampleQuantile(v, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(SampleQuantile(v, 0.9), 3.7);  // h = 2.7
  EXPECT_DOUBLE_EQ(SampleQuantile(std::vector<double>{5}, 0.3), 5.0);
  EXPECT_TRUE(std::isnan(SampleQuantile({}, 0.5)));
}

}  // namespace
}  // namespace bmil::scenario
