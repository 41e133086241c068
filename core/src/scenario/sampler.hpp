// Sampling a scenario's drivers (the uncertain inputs of its consequence model) for Monte
// Carlo: inverse CDFs of the scenario distributions, Latin hypercube and randomised Sobol'
// designs, and Iman-Conover rank correlation (Iman & Conover 1982, "A distribution-free
// approach to inducing rank correlation among input variables", Commun. Statist. B11(3)).
//
// Contracts:
// - Deterministic: the same inputs give bit-identical output with the same build. The
//   uniform stage (hashing, Mersenne Twister, Sobol' integers, their exact conversion to
//   doubles) uses no std:: distribution and no std::hash, so it is the same on every
//   platform; the quantiles (Boost.Math without long double promotion, libm) and the
//   Iman-Conover arithmetic may differ in the last bits where libm or floating-point
//   contraction (FMA) differ.
// - Common random numbers (CRN): the column of a driver that takes part in no (non-zero)
//   correlation depends only on the options, the driver's id and distribution and, for
//   Sobol', its dimension (its index in `universe`) -- never on which other drivers are
//   sampled with it. Two scenarios compared with the same seed therefore differ only where
//   their assumptions differ.
// - No global state; every function is thread-safe. Nothing throws on inputs the scenario
//   reader accepts (scenario.hpp).
#ifndef BMIL_CORE_SCENARIO_SAMPLER_HPP_
#define BMIL_CORE_SCENARIO_SAMPLER_HPP_

#include "scenario/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::scenario {

enum class SamplingMethod { kLatinHypercube, kSobol };

// "lhs" or "sobol".
const char* SamplingMethodName(SamplingMethod method);
// The method named `name` ("lhs" or "sobol", exactly); nullopt for anything else.
std::optional<SamplingMethod> ParseSamplingMethod(std::string_view name);

// The inverse CDF of `d` at probability `p`, which is first clamped into [1e-12, 1 - 1e-12]
// (a NaN `p` is taken as 0.5).
// - fixed: value; uniform: min + p (max - min); triangular: Boost's closed form;
// - pert: min + (max - min) X, X ~ Beta(1 + 4 (mode - min) / (max - min),
//   1 + 4 (max - mode) / (max - min));
// - normal: Normal(mean, sd); lognormal: exp(Normal(ln median, ln gsd));
// - discrete: the values sorted ascending (weights move with them), the smallest value
//   whose cumulative normalised weight is >= p - 1e-12 (so a `p` on a boundary between
//   two values picks the lower one).
// `d` must satisfy the reader's checks; otherwise the result is unspecified (NaN or an
// infinity, never an exception).
double Quantile(const Distribution& d, double p);
// Quantile(d, 0.5).
double Median(const Distribution& d);
// True for kFixed and for a discrete distribution with a single value: no uncertainty.
bool IsFixed(const Distribution& d);

struct SamplerOptions {
  SamplingMethod method = SamplingMethod::kLatinHypercube;
  std::uint64_t seed = 1;
  std::size_t draws = 1000;  // >= 1 (0 gives an empty sample)
};

// A driver to sample; `distribution` is borrowed and must outlive the call (a null one
// gives a column of NaN).
struct SampledDriver {
  std::string id;
  const Distribution* distribution = nullptr;
};

// draws x drivers values, row-major: values[draw * drivers + j] is the value of drivers[j]
// (in the order passed to Draw) in draw `draw`.
struct Sample {
  std::size_t draws = 0, drivers = 0;
  std::vector<double> values;
  double at(std::size_t draw, std::size_t j) const { return values[draw * drivers + j]; }
};

// Samples `drivers` (ids unique) options.draws times, with the rank correlations
// `correlations` between them. Pairs naming an id not in `drivers`, a driver with itself,
// or with rank 0 (the same as no correlation) are ignored; of a pair given twice the last
// one counts.
//
// Uniforms u in (0,1), then Quantile(distribution, u):
// - kLatinHypercube: per driver, a boost::random::mt19937_64 seeded from a splitmix64 /
//   FNV-1a hash of (seed, "lhs", id) draws a random permutation of the N strata and then a
//   jitter in each: u_i = (perm_i + U_i) / N, U_i = (52 random bits + 0.5) / 2^52.
// - kSobol: Boost's Sobol' sequence (Joe & Kuo 2008 direction numbers) starting with the
//   origin (point 0, then Boost's points 1, 2, ...: nothing is skipped, so the first 2^m
//   points form a (t,m,s)-net and each 1-D projection has exactly one point in each
//   [i/2^m, (i+1)/2^m)). A driver's dimension is its index in `universe` (the caller
//   passes the sorted union of the driver ids of every scenario compared); when `universe`
//   is empty or lacks one of the drivers, every driver's dimension is its index in
//   `drivers` instead. Randomisation: a random digital shift per dimension -- the 64-bit
//   integer coordinate is XORed with a 64-bit word from a generator seeded with (seed,
//   "sobol", dimension) -- which keeps every net property; then u = ((k >> 12) + 0.5) /
//   2^52. Boost's tables stop at dimension 3667: a driver whose dimension is beyond that
//   gets an LHS column as above (max_drivers, 200, keeps scenarios far below).
// - Fixed drivers (IsFixed) get their value in every draw and take part in no correlation.
//
// Correlations, by Iman-Conover on the k non-fixed drivers that take part in at least one
// pair (only those columns are reordered; every other column keeps its order, which is
// what preserves CRN): an N x k score matrix S whose columns are the van der Waerden scores
// Phi^-1(i / (N + 1)), each shuffled by a generator seeded with (seed, id, "ic"); E = the
// Pearson correlation of S = Q Q^T, C = P P^T (Choleskys) where C holds, for each pair,
// 2 sin(pi r / 6) -- the Pearson correlation of normal scores whose Spearman correlation is
// r -- and 1 on the diagonal; T = S (Q^-1)^T P^T; each column is then rearranged so that
// its ranks equal those of T's column (ties broken by row). Each column's multiset of values
// is unchanged. If C with 2 sin(pi r / 6) is not positive definite, the ranks r themselves
// are used, and failing that the off-diagonal terms are shrunk by 10% steps until it is; if
// E is singular (k >= N), Q = I. With N <= 2 nothing is reordered.
//
// draws == 0 gives {0, drivers.size(), {}}.
Sample Draw(std::span<const SampledDriver> drivers, std::span<const Correlation> correlations,
            const SamplerOptions& options, std::span<const std::string> universe = {});

// Spearman's rank correlation of `x` and `y` (average ranks for ties): the Pearson
// correlation of the ranks. 0 when n < 2 or either series is constant; NaN when the lengths
// differ.
double SpearmanRank(std::span<const double> x, std::span<const double> y);

// The q-quantile (q in [0,1], clamped) of `values` by linear interpolation between order
// statistics (Hyndman & Fan 1996, type 7: R's and numpy's default). Sorts a copy; NaN
// values sort last. NaN when `values` is empty or q is NaN.
double SampleQuantile(std::span<const double> values, double q);

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_SAMPLER_HPP_
