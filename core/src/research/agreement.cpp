#include "research/agreement.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <compare>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <utility>

namespace bmil::research {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "bmil::research: %s\n", what);
  std::abort();
}

// The shortest text that reads back as `value` ("3", "0.5", "1e-300").
std::string NumberText(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string Count(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// One coded unit: its distinct values (indices into Units::values, ascending) with how
// often each was coded, and m_u.
struct UnitRange {
  std::size_t begin = 0, end = 0;  // into Units::entries
  std::size_t size = 0;            // m_u
};

struct Entry {
  std::size_t index = 0;
  std::size_t count = 0;
  friend auto operator<=>(const Entry&, const Entry&) = default;
};

// The matrix as the engine reads it: the distinct values, each cell's value index, and the
// coded units (m_u >= 1) in canonical order (by their lists of entries), which makes every
// sum over units independent of the order of units and coders in the matrix.
struct Units {
  static constexpr std::size_t kMissing = std::numeric_limits<std::size_t>::max();
  std::vector<double> values;           // distinct coded values, ascending
  std::vector<std::size_t> cell_index;  // per cell: index into values, or kMissing
  std::vector<Entry> entries;
  std::vector<UnitRange> coded;       // canonical order
  std::vector<std::size_t> pairable;  // indices into coded of the units with m_u >= 2
  std::size_t uncoded = 0;            // units with no value
  std::size_t single = 0;             // units with one value
};

Units IndexUnits(const ReliabilityData& data) {
  Units u;
  const std::size_t unit_count = data.units(), coder_count = data.coders();
  for (std::size_t i = 0; i < unit_count; ++i) {
    for (std::size_t j = 0; j < coder_count; ++j) {
      if (const auto& v = data.at(i, j)) u.values.push_back(*v);
    }
  }
  std::sort(u.values.begin(), u.values.end());
  u.values.erase(std::unique(u.values.begin(), u.values.end()), u.values.end());

  u.cell_index.assign(unit_count * coder_count, Units::kMissing);
  std::vector<Entry> entries;
  std::vector<UnitRange> ranges;
  std::vector<std::size_t> scratch;
  for (std::size_t i = 0; i < unit_count; ++i) {
    scratch.clear();
    for (std::size_t j = 0; j < coder_count; ++j) {
      const auto& v = data.at(i, j);
      if (!v) continue;
      const auto at = std::lower_bound(u.values.begin(), u.values.end(), *v);
      const auto index = static_cast<std::size_t>(at - u.values.begin());
      u.cell_index[i * coder_count + j] = index;
      scratch.push_back(index);
    }
    if (scratch.empty()) {
      ++u.uncoded;
      continue;
    }
    std::sort(scratch.begin(), scratch.end());
    UnitRange range{entries.size(), entries.size(), scratch.size()};
    for (const std::size_t index : scratch) {
      if (entries.size() > range.begin && entries.back().index == index) {
        ++entries.back().count;
      } else {
        entries.push_back({index, 1});
      }
    }
    range.end = entries.size();
    ranges.push_back(range);
  }

  // Canonical order: by the entry lists (ties are identical units, interchangeable).
  const auto span_of = [&](const UnitRange& r) {
    return std::span<const Entry>(entries.data() + r.begin, r.end - r.begin);
  };
  std::stable_sort(ranges.begin(), ranges.end(), [&](const UnitRange& a, const UnitRange& b) {
    const auto x = span_of(a), y = span_of(b);
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
  });
  u.entries.reserve(entries.size());
  u.coded.reserve(ranges.size());
  for (const UnitRange& r : ranges) {
    UnitRange moved{u.entries.size(), 0, r.size};
    u.entries.insert(u.entries.end(), entries.begin() + static_cast<std::ptrdiff_t>(r.begin),
                     entries.begin() + static_cast<std::ptrdiff_t>(r.end));
    moved.end = u.entries.size();
    if (moved.size >= 2) {
      u.pairable.push_back(u.coded.size());
    } else {
      ++u.single;
    }
    u.coded.push_back(moved);
  }
  return u;
}

// Alpha of the pairable units, unit k (of Units::pairable) counted weight[k] times.
struct AlphaResult {
  std::optional<double> alpha;
  std::string why;
  std::size_t n = 0, distinct = 0;
  double do_sum = 0, de_sum = 0;  // sum o_ck delta^2 and sum n_c n_k delta^2
};

class AlphaEngine {
 public:
  AlphaEngine(const Units& units, Level level)
      : units_(units),
        level_(level),
        marginal_(units.values.size()),
        position_(units.values.size()) {}

  AlphaResult Compute(std::span<const std::uint32_t> weight) {
    AlphaResult r;
    std::fill(marginal_.begin(), marginal_.end(), 0);
    for (std::size_t k = 0; k < units_.pairable.size(); ++k) {
      if (weight[k] == 0) continue;
      const UnitRange& unit = units_.coded[units_.pairable[k]];
      for (std::size_t e = unit.begin; e < unit.end; ++e) {
        marginal_[units_.entries[e].index] += weight[k] * units_.entries[e].count;
      }
    }
    present_.clear();
    for (std::size_t c = 0; c < marginal_.size(); ++c) {
      if (marginal_[c] == 0) continue;
      present_.push_back(c);
      r.n += marginal_[c];
    }
    r.distinct = present_.size();
    if (r.n == 0) {
      r.why = "no unit is coded by two or more coders";
      return r;
    }
    if (level_ == Level::kRatio && units_.values[present_.front()] < 0) {
      r.why = "the ratio level needs values >= 0, and " +
              NumberText(units_.values[present_.front()]) + " is coded";
      return r;
    }
    if (r.distinct < 2) {
      r.why = "no variation: every pairable value is " +
              NumberText(units_.values[present_.front()]) +
              ", so expected disagreement is 0 and alpha = 1 - 0/0";
      return r;
    }
    if (level_ == Level::kOrdinal) {
      // delta^2(c, k) = (M_k - M_c)^2 with M_c = sum_{g<c} n_g + n_c / 2: Krippendorff's
      // ordinal metric, sum_{g=c..k} n_g - (n_c + n_k) / 2 = M_k - M_c for c < k.
      double below = 0;
      for (const std::size_t c : present_) {
        const auto n_c = static_cast<double>(marginal_[c]);
        position_[c] = below + n_c / 2;
        below += n_c;
      }
    } else if (level_ != Level::kNominal) {
      for (const std::size_t c : present_) position_[c] = units_.values[c];
    }

    // Observed: per unit, the ordered pairs of unequal values over m_u - 1.
    for (std::size_t k = 0; k < units_.pairable.size(); ++k) {
      if (weight[k] == 0) continue;
      const UnitRange& unit = units_.coded[units_.pairable[k]];
      double pairs = 0;
      for (std::size_t a = unit.begin; a < unit.end; ++a) {
        for (std::size_t b = a + 1; b < unit.end; ++b) {
          const Entry& x = units_.entries[a];
          const Entry& y = units_.entries[b];
          pairs += 2.0 * static_cast<double>(x.count * y.count) * Delta2(x.index, y.index);
        }
      }
      r.do_sum += static_cast<double>(weight[k]) * pairs / static_cast<double>(unit.size - 1);
    }

    // Expected: sum_c sum_k n_c n_k delta^2(c, k).
    const auto n = static_cast<double>(r.n);
    if (level_ == Level::kNominal) {
      double same = 0;
      for (const std::size_t c : present_) {
        const auto n_c = static_cast<double>(marginal_[c]);
        same += n_c * n_c;
      }
      r.de_sum = n * n - same;
    } else if (level_ == Level::kRatio) {
      for (std::size_t a = 0; a < present_.size(); ++a) {
        for (std::size_t b = a + 1; b < present_.size(); ++b) {
          r.de_sum += 2.0 * static_cast<double>(marginal_[present_[a]]) *
                      static_cast<double>(marginal_[present_[b]]) *
                      Delta2(present_[a], present_[b]);
        }
      }
    } else {
      // A squared difference: sum_c sum_k n_c n_k (x_c - x_k)^2 = 2 n sum_c n_c (x_c - mean)^2.
      double total = 0;
      for (const std::size_t c : present_) {
        total += static_cast<double>(marginal_[c]) * position_[c];
      }
      const double mean = total / n;
      double squares = 0;
      for (const std::size_t c : present_) {
        const double d = position_[c] - mean;
        squares += static_cast<double>(marginal_[c]) * d * d;
      }
      r.de_sum = 2 * n * squares;
    }

    const double alpha = 1 - (n - 1) * r.do_sum / r.de_sum;
    if (!(r.de_sum > 0) || !std::isfinite(r.do_sum) || !std::isfinite(r.de_sum) ||
        !std::isfinite(alpha)) {
      r.do_sum = r.de_sum = 0;
      r.why = "the values are too far apart or too close together for double precision";
      return r;
    }
    r.alpha = alpha;
    return r;
  }

 private:
  double Delta2(std::size_t c, std::size_t k) const {
    switch (level_) {
      case Level::kNominal:
        return c == k ? 0 : 1;
      case Level::kOrdinal:
      case Level::kInterval: {
        const double d = position_[c] - position_[k];
        return d * d;
      }
      case Level::kRatio: {
        const double x = position_[c], y = position_[k];
        if (x + y == 0) return 0;  // both 0 (values are >= 0 here)
        const double d = (x - y) / (x + y);
        return d * d;
      }
    }
    return 0;
  }

  const Units& units_;
  Level level_;
  std::vector<std::uint64_t> marginal_;  // n_c
  std::vector<double> position_;         // the value, or its mid-rank for ordinal
  std::vector<std::size_t> present_;     // c with n_c > 0, ascending
};

// Uniform in [0, bound) without bias: rejects the 2^64 mod bound lowest outputs.
std::uint64_t Below(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t threshold = (0 - bound) % bound;
  std::uint64_t x;
  do {
    x = rng();
  } while (x < threshold);
  return x % bound;
}

// Hyndman & Fan (1996) type 7 on sorted, non-empty `x`.
double Quantile(const std::vector<double>& x, double q) {
  const double h = static_cast<double>(x.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= x.size()) return x.back();
  return x[lo] + (h - static_cast<double>(lo)) * (x[lo + 1] - x[lo]);
}

std::string ThresholdProblem(const AgreementOptions& o) {
  if (!std::isfinite(o.reliable_threshold) || !std::isfinite(o.tentative_threshold)) {
    return "the thresholds must be finite numbers";
  }
  if (o.tentative_threshold > o.reliable_threshold) {
    return "the tentative threshold " + NumberText(o.tentative_threshold) +
           " is above the reliable threshold " + NumberText(o.reliable_threshold);
  }
  return {};
}

AlphaBootstrap Bootstrap(const Units& units, const AgreementOptions& options,
                         const AlphaResult& point, AlphaEngine& engine) {
  AlphaBootstrap b;
  if (!point.alpha) {
    b.why = "alpha is undefined";
    return b;
  }
  if (options.bootstrap_replicates == 0) {
    b.why = "the bootstrap is off (0 replicates)";
    return b;
  }
  if (!(options.confidence > 0 && options.confidence < 1)) {
    b.why = "the confidence level must be between 0 and 1, not " + NumberText(options.confidence);
    return b;
  }
  if (const std::string problem = ThresholdProblem(options); !problem.empty()) {
    b.why = problem;
    return b;
  }
  const std::size_t unit_count = units.pairable.size();
  std::mt19937_64 rng(options.seed);
  std::vector<std::uint32_t> weight(unit_count);
  std::vector<double> alphas;
  alphas.reserve(options.bootstrap_replicates);
  std::size_t below_reliable = 0, below_tentative = 0;
  for (std::size_t r = 0; r < options.bootstrap_replicates; ++r) {
    std::fill(weight.begin(), weight.end(), 0);
    for (std::size_t k = 0; k < unit_count; ++k) ++weight[Below(rng, unit_count)];
    const AlphaResult replicate = engine.Compute(weight);
    if (!replicate.alpha) {
      ++b.undefined_replicates;
      continue;
    }
    alphas.push_back(*replicate.alpha);
    below_reliable += *replicate.alpha < options.reliable_threshold;
    below_tentative += *replicate.alpha < options.tentative_threshold;
  }
  b.replicates = options.bootstrap_replicates;
  if (alphas.empty()) {
    b.why = "alpha is undefined in every replicate";
    return b;
  }
  std::sort(alphas.begin(), alphas.end());
  const double tail = (1 - options.confidence) / 2;
  b.lower = Quantile(alphas, tail);
  b.upper = Quantile(alphas, 1 - tail);
  const auto defined = static_cast<double>(alphas.size());
  b.p_below_reliable = static_cast<double>(below_reliable) / defined;
  b.p_below_tentative = static_cast<double>(below_tentative) / defined;
  return b;
}

Coefficient Undefined(std::string why) { return {std::nullopt, std::move(why)}; }
Coefficient Defined(double value) { return {value, {}}; }

Coefficient PercentAgreement(const Units& units) {
  if (units.pairable.empty()) return Undefined("no unit is coded by two or more coders");
  double sum = 0;
  for (const std::size_t k : units.pairable) {
    const UnitRange& unit = units.coded[k];
    std::size_t same = 0;
    for (std::size_t e = unit.begin; e < unit.end; ++e) {
      const std::size_t c = units.entries[e].count;
      same += c * (c - 1);
    }
    sum += static_cast<double>(same) / static_cast<double>(unit.size * (unit.size - 1));
  }
  return Defined(sum / static_cast<double>(units.pairable.size()));
}

Coefficient CohenKappa(const ReliabilityData& data, const Units& units, std::size_t* used) {
  if (data.coders() != 2) {
    return Undefined("Cohen's kappa needs exactly 2 coders, not " + std::to_string(data.coders()));
  }
  std::vector<std::uint64_t> first(units.values.size()), second(units.values.size());
  std::uint64_t n = 0, equal = 0;
  for (std::size_t i = 0; i < data.units(); ++i) {
    const std::size_t a = units.cell_index[i * 2], b = units.cell_index[i * 2 + 1];
    if (a == Units::kMissing || b == Units::kMissing) continue;
    ++n;
    ++first[a];
    ++second[b];
    equal += a == b;
  }
  *used = n;
  if (n == 0) return Undefined("no unit is coded by both coders");
  std::uint64_t chance = 0;  // n^2 p_e
  for (std::size_t c = 0; c < first.size(); ++c) chance += first[c] * second[c];
  const auto nn = static_cast<double>(n) * static_cast<double>(n);
  const auto e = static_cast<double>(chance);
  if (e >= nn) {
    return Undefined("no variation: both coders give every unit the same value, so p_e = 1");
  }
  // kappa = (p_o - p_e) / (1 - p_e) = (n equal - chance) / (n^2 - chance).
  return Defined((static_cast<double>(n) * static_cast<double>(equal) - e) / (nn - e));
}

Coefficient FleissKappa(const ReliabilityData& data, const Units& units, std::size_t* used) {
  const std::size_t r = data.coders();
  std::vector<std::uint64_t> column(units.values.size());
  std::uint64_t big_n = 0, squares = 0;  // N, sum_i sum_j n_ij^2
  for (const UnitRange& unit : units.coded) {
    if (unit.size != r) continue;
    ++big_n;
    for (std::size_t e = unit.begin; e < unit.end; ++e) {
      const Entry& x = units.entries[e];
      squares += x.count * x.count;
      column[x.index] += x.count;
    }
  }
  *used = big_n;
  if (big_n == 0) {
    return Undefined("Fleiss' kappa needs units coded by all " + std::to_string(r) +
                     " coders, and there are none");
  }
  double column_squares = 0;  // sum_j C_j^2
  for (const std::uint64_t c : column) column_squares += static_cast<double>(c * c);
  const double t = static_cast<double>(big_n) * static_cast<double>(r);  // N n
  const double tt = t * t;
  if (column_squares >= tt) {
    return Undefined("no variation: every rating is in one category, so P-bar_e = 1");
  }
  // (P-bar - P-bar_e) / (1 - P-bar_e) with P-bar = (S - T) / (T (n - 1)), P-bar_e = C2 / T^2:
  // = (T (S - T) - (n - 1) C2) / ((n - 1) (T^2 - C2)).
  const double n1 = static_cast<double>(r - 1);
  const double s = static_cast<double>(squares);
  return Defined((t * (s - t) - n1 * column_squares) / (n1 * (tt - column_squares)));
}

Coefficient GwetAc1(const Units& units, std::size_t category_count, std::size_t* q_used) {
  const std::size_t observed = units.values.size();
  if (category_count != 0 && category_count < observed) {
    return Undefined("category_count " + std::to_string(category_count) + " is below the " +
                     Count(observed, "distinct value", "distinct values") + " coded");
  }
  const std::size_t q = category_count != 0 ? category_count : observed;
  *q_used = q;
  if (units.pairable.empty()) return Undefined("no unit is coded by two or more coders");
  if (q < 2) {
    return Undefined("no variation: one category, so chance agreement has no meaning (q = 1)");
  }
  const Coefficient pa = PercentAgreement(units);
  std::vector<double> pi(observed);
  for (const UnitRange& unit : units.coded) {
    for (std::size_t e = unit.begin; e < unit.end; ++e) {
      pi[units.entries[e].index] +=
          static_cast<double>(units.entries[e].count) / static_cast<double>(unit.size);
    }
  }
  double spread = 0;  // sum_k pi_k (1 - pi_k)
  for (double& p : pi) {
    p /= static_cast<double>(units.coded.size());
    spread += p * (1 - p);
  }
  const double pe = spread / static_cast<double>(q - 1);  // <= 1 / q <= 1/2
  return Defined((*pa.value - pe) / (1 - pe));
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kNominal:
      return "nominal";
    case Level::kOrdinal:
      return "ordinal";
    case Level::kInterval:
      return "interval";
    case Level::kRatio:
      return "ratio";
  }
  return "nominal";
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (const Level level : {Level::kNominal, Level::kOrdinal, Level::kInterval, Level::kRatio}) {
    if (name == LevelName(level)) return level;
  }
  return std::nullopt;
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReliable:
      return "reliable";
    case Verdict::kTentative:
      return "tentative";
    case Verdict::kUnreliable:
      return "unreliable";
    case Verdict::kUndefined:
      return "undefined";
  }
  return "undefined";
}

ReliabilityData::ReliabilityData(std::size_t units, std::size_t coders)
    : units_(units), coders_(coders) {
  if (coders != 0 && units > cells_.max_size() / coders) Die("reliability data too large");
  cells_.resize(units * coders);
}

ReliabilityData ReliabilityData::FromCoderRows(
    std::span<const std::vector<std::optional<double>>> rows) {
  std::size_t units = 0;
  for (const auto& row : rows) units = std::max(units, row.size());
  ReliabilityData data(units, rows.size());
  for (std::size_t coder = 0; coder < rows.size(); ++coder) {
    for (std::size_t unit = 0; unit < rows[coder].size(); ++unit) {
      data.Set(unit, coder, rows[coder][unit]);
    }
  }
  return data;
}

const std::optional<double>& ReliabilityData::at(std::size_t unit, std::size_t coder) const {
  if (unit >= units_ || coder >= coders_) Die("ReliabilityData::at: cell out of range");
  return cells_[unit * coders_ + coder];
}

void ReliabilityData::Set(std::size_t unit, std::size_t coder, std::optional<double> value) {
  if (unit >= units_ || coder >= coders_) Die("ReliabilityData::Set: cell out of range");
  if (value && !std::isfinite(*value)) Die("ReliabilityData::Set: value is not finite");
  cells_[unit * coders_ + coder] = value;
}

AgreementReport ComputeAgreement(const ReliabilityData& data, const AgreementOptions& options) {
  AgreementReport report;
  report.level = options.level;
  report.units = data.units();
  report.coders = data.coders();

  // Reasons that hold for every statistic.
  std::string all_why;
  if (data.units() == 0 || data.coders() == 0) {
    all_why = "no data: the matrix has " + Count(data.units(), "unit", "units") + " and " +
              Count(data.coders(), "coder", "coders");
  } else if (data.coders() == 1) {
    all_why = "one coder: agreement needs two or more coders";
  }

  const Units units = IndexUnits(data);
  report.units_used = units.pairable.size();
  report.units_single_coder = units.single;
  report.units_excluded = units.single + units.uncoded;
  report.fleiss_units_left_out = data.units();
  if (!all_why.empty()) {
    report.alpha = report.percent_agreement = report.cohen_kappa = report.fleiss_kappa =
        report.gwet_ac1 = Undefined(all_why);
    report.bootstrap.why = "alpha is undefined";
    report.verdict_why = all_why;
    return report;
  }

  // Krippendorff's alpha, then its bootstrap and verdict.
  AlphaEngine engine(units, options.level);
  const std::vector<std::uint32_t> once(units.pairable.size(), 1);
  const AlphaResult point = engine.Compute(once);
  report.pairable_values = point.n;
  report.distinct_values = point.distinct;
  if (point.alpha) {
    const auto n = static_cast<double>(point.n);
    report.observed_disagreement = point.do_sum / n;
    report.expected_disagreement = point.de_sum / (n * (n - 1));
    report.alpha = Defined(*point.alpha);
  } else {
    std::string why = point.why;
    if (point.n == 0 && units.single > 0) {
      why += " (" + Count(units.single, "unit is", "units are") +
             " coded by one coder only and excluded)";
    }
    report.alpha = Undefined(std::move(why));
  }
  report.bootstrap = Bootstrap(units, options, point, engine);
  if (!report.alpha.value) {
    report.verdict_why = report.alpha.why;
  } else if (std::string problem = ThresholdProblem(options); !problem.empty()) {
    report.verdict_why = std::move(problem);
  } else if (*report.alpha.value >= options.reliable_threshold) {
    report.verdict = Verdict::kReliable;
  } else if (*report.alpha.value >= options.tentative_threshold) {
    report.verdict = Verdict::kTentative;
  } else {
    report.verdict = Verdict::kUnreliable;
  }

  // The nominal statistics.
  report.percent_agreement = PercentAgreement(units);
  report.cohen_kappa = CohenKappa(data, units, &report.cohen_units);
  report.fleiss_kappa = FleissKappa(data, units, &report.fleiss_units);
  report.fleiss_units_left_out = data.units() - report.fleiss_units;
  report.gwet_ac1 = GwetAc1(units, options.category_count, &report.gwet_categories);
  return report;
}

CoincidenceMatrix ComputeCoincidences(const ReliabilityData& data) {
  const Units units = IndexUnits(data);
  // Only the values of pairable units take part; remap them to 0..D-1.
  std::vector<std::size_t> remap(units.values.size(), Units::kMissing);
  for (const std::size_t k : units.pairable) {
    const UnitRange& unit = units.coded[k];
    for (std::size_t e = unit.begin; e < unit.end; ++e) remap[units.entries[e].index] = 0;
  }
  CoincidenceMatrix m;
  for (std::size_t c = 0; c < remap.size(); ++c) {
    if (remap[c] == Units::kMissing) continue;
    remap[c] = m.values.size();
    m.values.push_back(units.values[c]);
  }
  const std::size_t d = m.values.size();
  m.counts.assign(d * d, 0);
  m.marginals.assign(d, 0);
  for (const std::size_t k : units.pairable) {
    const UnitRange& unit = units.coded[k];
    const auto scale = static_cast<double>(unit.size - 1);
    for (std::size_t a = unit.begin; a < unit.end; ++a) {
      const Entry& x = units.entries[a];
      for (std::size_t b = unit.begin; b < unit.end; ++b) {
        const Entry& y = units.entries[b];
        // Ordered pairs of values from different coders: n_uc n_uk, or n_uc (n_uc - 1).
        const std::size_t pairs = a == b ? x.count * (x.count - 1) : x.count * y.count;
        m.counts[remap[x.index] * d + remap[y.index]] += static_cast<double>(pairs) / scale;
      }
    }
    m.pairable += unit.size;
  }
  for (std::size_t c = 0; c < d; ++c) {
    for (std::size_t k = 0; k < d; ++k) m.marginals[c] += m.counts[c * d + k];
  }
  return m;
}

}  // namespace bmil::research
