// Sampling scenario drivers (sampler.hpp): quantiles, LHS and randomised Sobol' designs,
// Iman-Conover rank correlation.
#include "scenario/sampler.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/policies/policy.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <utility>

namespace bmil::scenario {
namespace {

namespace policies = boost::math::policies;

// No promotion of double to long double (whose width differs between platforms), and no
// exceptions: an invalid parameter gives NaN or an infinity.
using QuantilePolicy = policies::policy<
    policies::promote_double<false>, policies::domain_error<policies::ignore_error>,
    policies::pole_error<policies::ignore_error>, policies::overflow_error<policies::ignore_error>,
    policies::evaluation_error<policies::ignore_error>,
    policies::rounding_error<policies::ignore_error>>;

using Engine = boost::random::mt19937_64;

constexpr double kMinProbability = 1e-12;
constexpr double kDiscreteTolerance = 1e-12;
constexpr std::size_t kSobolMaxDimension = boost::random::default_sobol_table::max_dimension;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A strict weak order on doubles that puts NaN last (std::sort needs one).
bool Less(double a, double b) { return a < b || (!std::isnan(a) && std::isnan(b)); }

// --- Hashing and random numbers: identical on every platform. ---

// splitmix64's output function (Steele, Lea & Flood 2014).
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 64-bit FNV-1a of `bytes`, continuing from `hash`.
std::uint64_t Fnv1a(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// The seed of the random stream named (`seed`, `tag`, `key`).
std::uint64_t StreamSeed(std::uint64_t seed, std::string_view tag, std::string_view key) {
  std::uint64_t hash = Fnv1a(tag);
  hash = Fnv1a(std::string_view("\0", 1), hash);  // so that ("ab", "c") != ("a", "bc")
  hash = Fnv1a(key, hash);
  return Mix(Mix(seed) ^ hash);
}

// A uniform in the open interval (0,1): 52 random bits and a half, exact in a double.
double OpenUnit(Engine& engine) { return (static_cast<double>(engine() >> 12) + 0.5) * 0x1p-52; }

// A uniform integer in [0, n), n >= 1, without bias (rejection of the low remainder).
std::uint64_t UniformBelow(Engine& engine, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
  for (;;) {
    const std::uint64_t r = engine();
    if (r >= threshold) return r % n;
  }
}

// Fisher-Yates.
template <typename T>
void Shuffle(std::vector<T>& items, Engine& engine) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(UniformBelow(engine, i));
    std::swap(items[i - 1], items[j]);
  }
}

// --- Marginals. ---

double ClampProbability(double p) {
  if (std::isnan(p)) return 0.5;
  return std::clamp(p, kMinProbability, 1 - kMinProbability);
}

// A discrete distribution prepared for quantiles: values ascending, cumulative normalised
// weights.
struct DiscreteTable {
  std::vector<double> values, cumulative;
};

DiscreteTable MakeDiscreteTable(const Distribution& d) {
  DiscreteTable table;
  const std::size_t n = d.values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&d](std::size_t a, std::size_t b) { return Less(d.values[a], d.values[b]); });
  double total = 0;
  std::vector<double> weights(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t from = order[i];
    weights[i] = from < d.weights.size() ? d.weights[from] : (d.weights.empty() ? 1.0 : 0.0);
    total += weights[i];
  }
  double running = 0;
  for (std::size_t i = 0; i < n; ++i) {
    running += weights[i];
    table.values.push_back(d.values[order[i]]);
    table.cumulative.push_back(running / total);
  }
  return table;
}

double DiscreteQuantile(const DiscreteTable& table, double p) {
  if (table.values.empty()) return kNaN;
  const auto it =
      std::lower_bound(table.cumulative.begin(), table.cumulative.end(), p - kDiscreteTolerance);
  if (it == table.cumulative.end()) return table.values.back();
  return table.values[static_cast<std::size_t>(it - table.cumulative.begin())];
}

// The inverse CDF of every kind but discrete, at a clamped p.
double ContinuousQuantile(const Distribution& d, double p) {
  using Kind = Distribution::Kind;
  switch (d.kind) {
    case Kind::kFixed:
      return d.value;
    case Kind::kUniform:
      return d.min + p * (d.max - d.min);
    case Kind::kTriangular:
      return boost::math::quantile(
          boost::math::triangular_distribution<double, QuantilePolicy>(d.min, d.mode, d.max), p);
    case Kind::kPert: {
      const double range = d.max - d.min;
      if (!(range > 0)) return d.min;
      const double alpha = 1 + 4 * (d.mode - d.min) / range;
      const double beta = 1 + 4 * (d.max - d.mode) / range;
      return d.min +
             range * boost::math::quantile(
                         boost::math::beta_distribution<double, QuantilePolicy>(alpha, beta), p);
    }
    case Kind::kNormal:
      return boost::math::quantile(
          boost::math::normal_distribution<double, QuantilePolicy>(d.mean, d.sd), p);
    case Kind::kLognormal:
      return boost::math::quantile(boost::math::lognormal_distribution<double, QuantilePolicy>(
                                       std::log(d.median), std::log(d.gsd)),
                                   p);
    case Kind::kDiscrete:
      break;  // DiscreteQuantile
  }
  return kNaN;
}

// The inverse CDF of one driver, with a discrete table built once for a whole column.
class Marginal {
 public:
  explicit Marginal(const Distribution& d) : distribution_(d) {
    if (d.kind == Distribution::Kind::kDiscrete) table_ = MakeDiscreteTable(d);
  }
  double operator()(double p) const {
    p = ClampProbability(p);
    if (distribution_.kind == Distribution::Kind::kDiscrete) return DiscreteQuantile(table_, p);
    return ContinuousQuantile(distribution_, p);
  }

 private:
  const Distribution& distribution_;
  DiscreteTable table_;
};

// --- Designs. The columns of `sample` are filled with uniforms in (0,1). ---

void FillLatinHypercubeColumn(Sample& sample, std::size_t j, std::uint64_t seed,
                              const std::string& id) {
  const std::size_t n = sample.draws;
  Engine engine(StreamSeed(seed, "lhs", id));
  std::vector<std::size_t> strata(n);
  std::iota(strata.begin(), strata.end(), std::size_t{0});
  Shuffle(strata, engine);
  const auto count = static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    sample.values[i * sample.drivers + j] =
        (static_cast<double>(strata[i]) + OpenUnit(engine)) / count;
  }
}

// Fills the columns `columns` with their Sobol' dimensions `dimensions` (each below
// kSobolMaxDimension).
void FillSobolColumns(Sample& sample, std::uint64_t seed, const std::vector<std::size_t>& columns,
                      const std::vector<std::size_t>& dimensions) {
  if (columns.empty()) return;
  const std::size_t dimension_count = *std::max_element(dimensions.begin(), dimensions.end()) + 1;
  std::vector<std::uint64_t> shifts(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    Engine engine(StreamSeed(seed, "sobol", std::to_string(dimensions[c])));
    shifts[c] = engine();
  }
  // The coordinates of a dimension do not depend on how many dimensions the engine has.
  boost::random::sobol engine(dimension_count);
  std::vector<std::uint64_t> point(dimension_count, 0);  // point 0: the origin
  for (std::size_t draw = 0; draw < sample.draws; ++draw) {
    if (draw > 0) engine.generate(point.begin(), point.end());  // Boost starts at point 1
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::uint64_t k = point[dimensions[c]] ^ shifts[c];
      sample.values[draw * sample.drivers + columns[c]] =
          (static_cast<double>(k >> 12) + 0.5) * 0x1p-52;
    }
  }
}

// --- Small dense linear algebra (row-major k x k). ---

// The lower-triangular `l` with l l^T = a; false when `a` is not (numerically) positive
// definite.
bool Cholesky(const std::vector<double>& a, std::size_t k, std::vector<double>& l) {
  l.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double sum = a[i * k + j];
      for (std::size_t m = 0; m < j; ++m) sum -= l[i * k + m] * l[j * k + m];
      if (i == j) {
        if (!(sum > 1e-12)) return false;
        l[i * k + i] = std::sqrt(sum);
      } else {
        l[i * k + j] = sum / l[j * k + j];
      }
    }
  }
  return true;
}

// The inverse of the lower-triangular `l` (itself lower triangular).
std::vector<double> InverseLower(const std::vector<double>& l, std::size_t k) {
  std::vector<double> x(k * k, 0.0);
  for (std::size_t c = 0; c < k; ++c) {
    x[c * k + c] = 1 / l[c * k + c];
    for (std::size_t i = c + 1; i < k; ++i) {
      double sum = 0;
      for (std::size_t m = c; m < i; ++m) sum += l[i * k + m] * x[m * k + c];
      x[i * k + c] = -sum / l[i * k + i];
    }
  }
  return x;
}

std::vector<double> Identity(std::size_t k) {
  std::vector<double> m(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) m[i * k + i] = 1;
  return m;
}

// The Cholesky factor P of the target matrix: 2 sin(pi r / 6) for each pair (the Pearson
// correlation of normal scores with Spearman correlation r), else r, else r shrunk until
// the matrix is positive definite.
std::vector<double> TargetFactor(const std::map<std::pair<std::size_t, std::size_t>, double>& pairs,
                                 std::size_t k) {
  const auto build = [&pairs, k](bool adjust, double scale) {
    std::vector<double> c = Identity(k);
    for (const auto& entry : pairs) {
      const double rank = entry.second;
      const double value = adjust ? 2 * std::sin(std::numbers::pi * rank / 6) : rank;
      c[entry.first.first * k + entry.first.second] = value * scale;
      c[entry.first.second * k + entry.first.first] = value * scale;
    }
    return c;
  };
  std::vector<double> p;
  if (Cholesky(build(true, 1), k, p)) return p;
  double scale = 1;
  for (int step = 0; step < 400; ++step, scale *= 0.9) {
    if (Cholesky(build(false, scale), k, p)) return p;
  }
  return Identity(k);
}

// Iman & Conover (1982): reorders the columns `columns` of `sample` so that their rank
// correlations approach the targets in `pairs` (keyed by positions in `columns`).
void ImanConover(Sample& sample, std::span<const SampledDriver> drivers,
                 const std::vector<std::size_t>& columns,
                 const std::map<std::pair<std::size_t, std::size_t>, double>& pairs,
                 std::uint64_t seed) {
  const std::size_t n = sample.draws;
  const std::size_t k = columns.size();
  const std::size_t stride = sample.drivers;

  // S: van der Waerden scores, shuffled per driver (column-major: s[c * n + r]).
  const boost::math::normal_distribution<double, QuantilePolicy> standard_normal;
  std::vector<double> scores(n);
  for (std::size_t i = 0; i < n; ++i) {
    scores[i] = boost::math::quantile(standard_normal,
                                      static_cast<double>(i + 1) / static_cast<double>(n + 1));
  }
  std::vector<double> s(n * k);
  for (std::size_t c = 0; c < k; ++c) {
    std::vector<double> column = scores;
    Engine engine(StreamSeed(seed, "ic", drivers[columns[c]].id));
    Shuffle(column, engine);
    std::copy(column.begin(), column.end(), s.begin() + static_cast<std::ptrdiff_t>(c * n));
  }

  // E: the Pearson correlation of S's columns.
  std::vector<double> centred(n * k);
  std::vector<double> norms(k);
  for (std::size_t c = 0; c < k; ++c) {
    double mean = 0;
    for (std::size_t r = 0; r < n; ++r) mean += s[c * n + r];
    mean /= static_cast<double>(n);
    double squares = 0;
    for (std::size_t r = 0; r < n; ++r) {
      centred[c * n + r] = s[c * n + r] - mean;
      squares += centred[c * n + r] * centred[c * n + r];
    }
    norms[c] = std::sqrt(squares);
  }
  std::vector<double> e = Identity(k);
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      double cross = 0;
      for (std::size_t r = 0; r < n; ++r) cross += centred[a * n + r] * centred[b * n + r];
      e[a * k + b] = e[b * k + a] = cross / (norms[a] * norms[b]);
    }
  }
  std::vector<double> q;
  if (!Cholesky(e, k, q)) q = Identity(k);  // singular E (k >= n): take it as I

  // B = P Q^-1 (lower triangular), T = S B^T.
  const std::vector<double> p = TargetFactor(pairs, k);
  const std::vector<double> q_inverse = InverseLower(q, k);
  std::vector<double> b(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double sum = 0;
      for (std::size_t m = j; m <= i; ++m) sum += p[i * k + m] * q_inverse[m * k + j];
      b[i * k + j] = sum;
    }
  }

  std::vector<double> t(n);
  std::vector<std::size_t> order(n);
  std::vector<double> sorted(n);
  for (std::size_t c = 0; c < k; ++c) {
    std::fill(t.begin(), t.end(), 0.0);
    for (std::size_t m = 0; m <= c; ++m) {
      const double factor = b[c * k + m];
      for (std::size_t r = 0; r < n; ++r) t[r] += s[m * n + r] * factor;
    }
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&t](std::size_t x, std::size_t y) {
      return Less(t[x], t[y]) || (!Less(t[y], t[x]) && x < y);
    });
    const std::size_t j = columns[c];
    for (std::size_t r = 0; r < n; ++r) sorted[r] = sample.values[r * stride + j];
    std::sort(sorted.begin(), sorted.end(), Less);
    for (std::size_t i = 0; i < n; ++i) sample.values[order[i] * stride + j] = sorted[i];
  }
}

// Average ranks (1-based) of `x`, ties sharing the mean of their positions.
std::vector<double> AverageRanks(std::span<const double> x) {
  const std::size_t n = x.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&x](std::size_t a, std::size_t b) { return Less(x[a], x[b]); });
  std::vector<double> ranks(n);
  std::size_t start = 0;
  while (start < n) {
    std::size_t end = start + 1;
    while (end < n && !Less(x[order[start]], x[order[end]])) ++end;
    const double rank = static_cast<double>(start + end + 1) / 2;  // mean of start+1 .. end
    for (std::size_t i = start; i < end; ++i) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

}  // namespace

const char* SamplingMethodName(SamplingMethod method) {
  switch (method) {
    case SamplingMethod::kLatinHypercube:
      return "lhs";
    case SamplingMethod::kSobol:
      return "sobol";
  }
  return "lhs";
}

std::optional<SamplingMethod> ParseSamplingMethod(std::string_view name) {
  if (name == "lhs") return SamplingMethod::kLatinHypercube;
  if (name == "sobol") return SamplingMethod::kSobol;
  return std::nullopt;
}

double Quantile(const Distribution& d, double p) { return Marginal(d)(p); }

double Median(const Distribution& d) { return Quantile(d, 0.5); }

bool IsFixed(const Distribution& d) {
  return d.kind == Distribution::Kind::kFixed ||
         (d.kind == Distribution::Kind::kDiscrete && d.values.size() == 1);
}

Sample Draw(std::span<const SampledDriver> drivers, std::span<const Correlation> correlations,
            const SamplerOptions& options, std::span<const std::string> universe) {
  Sample sample;
  sample.draws = options.draws;
  sample.drivers = drivers.size();
  if (sample.draws == 0 || sample.drivers == 0) return sample;
  const std::size_t n = sample.draws;
  const std::size_t count = sample.drivers;
  sample.values.assign(n * count, 0.0);

  std::vector<bool> fixed(count);
  for (std::size_t j = 0; j < count; ++j) {
    fixed[j] = drivers[j].distribution == nullptr || IsFixed(*drivers[j].distribution);
  }

  // Uniforms.
  if (options.method == SamplingMethod::kSobol) {
    std::map<std::string_view, std::size_t> dimension_of;
    for (std::size_t i = 0; i < universe.size(); ++i) dimension_of.emplace(universe[i], i);
    const bool in_universe =
        !universe.empty() &&
        std::all_of(drivers.begin(), drivers.end(), [&dimension_of](const SampledDriver& driver) {
          return dimension_of.count(driver.id) > 0;
        });
    std::vector<std::size_t> sobol_columns, dimensions;
    for (std::size_t j = 0; j < count; ++j) {
      if (fixed[j]) continue;
      const std::size_t dimension = in_universe ? dimension_of.at(drivers[j].id) : j;
      if (dimension < kSobolMaxDimension) {
        sobol_columns.push_back(j);
        dimensions.push_back(dimension);
      } else {
        FillLatinHypercubeColumn(sample, j, options.seed, drivers[j].id);
      }
    }
    FillSobolColumns(sample, options.seed, sobol_columns, dimensions);
  } else {
    for (std::size_t j = 0; j < count; ++j) {
      if (!fixed[j]) FillLatinHypercubeColumn(sample, j, options.seed, drivers[j].id);
    }
  }

  // Values.
  for (std::size_t j = 0; j < count; ++j) {
    if (drivers[j].distribution == nullptr) {
      for (std::size_t r = 0; r < n; ++r) sample.values[r * count + j] = kNaN;
      continue;
    }
    const Marginal quantile(*drivers[j].distribution);
    if (fixed[j]) {
      const double value = quantile(0.5);
      for (std::size_t r = 0; r < n; ++r) sample.values[r * count + j] = value;
      continue;
    }
    for (std::size_t r = 0; r < n; ++r) {
      double& cell = sample.values[r * count + j];
      cell = quantile(cell);
    }
  }

  // Correlations.
  if (n <= 2) return sample;
  std::map<std::string_view, std::size_t> column_of;
  for (std::size_t j = 0; j < count; ++j) column_of.emplace(drivers[j].id, j);
  std::map<std::pair<std::size_t, std::size_t>, double> by_column;
  for (const Correlation& correlation : correlations) {
    const auto a = column_of.find(correlation.a);
    const auto b = column_of.find(correlation.b);
    if (a == column_of.end() || b == column_of.end() || a->second == b->second) continue;
    if (fixed[a->second] || fixed[b->second]) continue;
    const std::pair<std::size_t, std::size_t> key = std::minmax(a->second, b->second);
    if (correlation.rank == 0) {
      by_column.erase(key);
    } else {
      by_column[key] = correlation.rank;
    }
  }
  if (by_column.empty()) return sample;
  std::vector<std::size_t> columns;
  for (const auto& entry : by_column) {
    columns.push_back(entry.first.first);
    columns.push_back(entry.first.second);
  }
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  std::map<std::pair<std::size_t, std::size_t>, double> pairs;  // by position in `columns`
  for (const auto& entry : by_column) {
    const auto position = [&columns](std::size_t column) {
      return static_cast<std::size_t>(std::lower_bound(columns.begin(), columns.end(), column) -
                                      columns.begin());
    };
    pairs[{position(entry.first.first), position(entry.first.second)}] = entry.second;
  }
  ImanConover(sample, drivers, columns, pairs, options.seed);
  return sample;
}

double SpearmanRank(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) return kNaN;
  const std::size_t n = x.size();
  if (n < 2) return 0;
  const std::vector<double> rx = AverageRanks(x);
  const std::vector<double> ry = AverageRanks(y);
  const double mean = static_cast<double>(n + 1) / 2;
  double sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = rx[i] - mean;
    const double dy = ry[i] - mean;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx == 0 || syy == 0) return 0;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

double SampleQuantile(std::span<const double> values, double q) {
  if (values.empty() || std::isnan(q)) return kNaN;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end(), Less);
  const double h = static_cast<double>(sorted.size() - 1) * std::clamp(q, 0.0, 1.0);
  const auto low = static_cast<std::size_t>(std::floor(h));
  if (low + 1 >= sorted.size()) return sorted.back();
  const double fraction = h - static_cast<double>(low);
  if (fraction == 0 || sorted[low] == sorted[low + 1]) return sorted[low];
  return sorted[low] + fraction * (sorted[low + 1] - sorted[low]);
}

}  // namespace bmil::scenario
