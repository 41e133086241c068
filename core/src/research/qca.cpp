#include "research/qca.hpp"

#include "io/did_you_mean.hpp"
#include "report/terminal_text.hpp"
#include "report/value_format.hpp"
#include "research/business_measures.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

namespace bmil::research {
namespace {

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

std::string Fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string Ratio(const std::optional<double>& v) { return v ? Fixed(*v, 3) : "-"; }

std::vector<std::string> MeasureIds() {
  std::vector<std::string> ids;
  for (const MeasureInfo& m : BusinessMeasures()) ids.push_back(m.id);
  return ids;
}

std::string RuleText(const Calibration& c) {
  switch (c.kind) {
    case Calibration::Kind::kAsIs:
      return "as is (already a membership from 0 to 1)";
    case Calibration::Kind::kCrisp:
      return "crisp: 1 when " + c.measure + " " + c.op + " " + ExactNumber(c.threshold) +
             ", else 0";
    case Calibration::Kind::kFuzzy:
      return "fuzzy, direct method: exclusion " + ExactNumber(c.exclusion) + " (0.05), crossover " +
             ExactNumber(c.crossover) + " (0.5), inclusion " + ExactNumber(c.inclusion) + " (0.95)";
  }
  return "";
}

std::string Description(const std::string& measure) {
  for (const MeasureInfo& m : BusinessMeasures()) {
    if (m.id == measure) return m.description;
  }
  return "a number or boolean (1/0) in business.attributes";
}

nlohmann::ordered_json CalibrationJson(const Calibration& c) {
  nlohmann::ordered_json j{{"column", c.column},
                           {"measure", c.measure},
                           {"measure_description", Description(c.measure)},
                           {"spec", c.spec}};
  switch (c.kind) {
    case Calibration::Kind::kAsIs:
      j["type"] = "as_is";
      break;
    case Calibration::Kind::kCrisp:
      j["type"] = "crisp";
      j["operator"] = c.op;
      j["threshold"] = c.threshold;
      break;
    case Calibration::Kind::kFuzzy:
      j["type"] = "fuzzy";
      j["exclusion"] = c.exclusion;
      j["crossover"] = c.crossover;
      j["inclusion"] = c.inclusion;
      break;
  }
  j["rule"] = RuleText(c);
  return j;
}

}  // namespace

Result<Calibration> ParseCalibration(std::string_view spec) {
  Calibration c;
  c.spec = std::string(spec);
  std::string name;
  std::string rest;
  const std::size_t op = spec.find_first_of("<>=");
  if (op == std::string_view::npos) {
    name = Trim(spec);
  } else {
    name = Trim(spec.substr(0, op));
    std::string_view tail = spec.substr(op);
    if (tail.starts_with(">=") || tail.starts_with("<=")) {
      c.kind = Calibration::Kind::kCrisp;
      c.op = std::string(tail.substr(0, 2));
      rest = Trim(tail.substr(2));
    } else if (tail.starts_with(">") || tail.starts_with("<")) {
      c.kind = Calibration::Kind::kCrisp;
      c.op = std::string(tail.substr(0, 1));
      rest = Trim(tail.substr(1));
    } else {
      c.kind = Calibration::Kind::kFuzzy;
      rest = Trim(tail.substr(1));
    }
  }
  const std::string where = "\"" + c.spec + "\": ";
  if (name.empty()) return Failure{where + "a measure name is needed before the rule"};
  if (!IsMeasure(name)) {
    return Failure{where + "unknown measure \"" + name + "\"" + DidYouMean(name, MeasureIds()) +
                   " (docs/qca.md lists them; attributes.KEY reads business.attributes)"};
  }
  c.measure = name;
  c.column = name;
  std::replace(c.column.begin(), c.column.end(), '.', '_');
  if (c.kind == Calibration::Kind::kCrisp) {
    const std::optional<double> t = ParseNumber(rest);
    if (!t) return Failure{where + "expected a number after " + c.op + ", found \"" + rest + "\""};
    c.threshold = *t;
  } else if (c.kind == Calibration::Kind::kFuzzy) {
    std::vector<double> anchors;
    std::size_t start = 0;
    while (start <= rest.size()) {
      const std::size_t slash = rest.find('/', start);
      const std::string part = Trim(std::string_view(rest).substr(
          start, slash == std::string::npos ? std::string::npos : slash - start));
      const std::optional<double> v = ParseNumber(part);
      if (!v) {
        return Failure{where +
                       "expected three numbers E/C/I (exclusion, crossover, inclusion), "
                       "found \"" +
                       rest + "\""};
      }
      anchors.push_back(*v);
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (anchors.size() != 3) {
      return Failure{where +
                     "expected three numbers E/C/I (exclusion, crossover, inclusion), "
                     "found " +
                     std::to_string(anchors.size())};
    }
    c.exclusion = anchors[0];
    c.crossover = anchors[1];
    c.inclusion = anchors[2];
    const bool up = c.exclusion < c.crossover && c.crossover < c.inclusion;
    const bool down = c.exclusion > c.crossover && c.crossover > c.inclusion;
    if (!up && !down) {
      return Failure{where + "the crossover must lie strictly between exclusion and inclusion"};
    }
  }
  return c;
}

double Calibrate(const Calibration& c, double raw) {
  switch (c.kind) {
    case Calibration::Kind::kAsIs:
      return raw;
    case Calibration::Kind::kCrisp:
      if (c.op == ">=") return raw >= c.threshold ? 1 : 0;
      if (c.op == ">") return raw > c.threshold ? 1 : 0;
      if (c.op == "<=") return raw <= c.threshold ? 1 : 0;
      return raw < c.threshold ? 1 : 0;
    case Calibration::Kind::kFuzzy: {
      // On the inclusion side of the crossover the scale is set by the inclusion anchor,
      // on the other by the exclusion anchor; dividing by the signed distance makes a
      // decreasing set (e > c > i) work the same way.
      const double log_odds_95 = std::log(19.0);
      const bool inclusion_side = (raw - c.crossover) * (c.inclusion - c.crossover) >= 0;
      const double scale = inclusion_side ? log_odds_95 / (c.inclusion - c.crossover)
                                          : log_odds_95 / (c.crossover - c.exclusion);
      return 1.0 / (1.0 + std::exp(-scale * (raw - c.crossover)));
    }
  }
  return raw;
}

Result<QcaTable> BuildQca(const std::vector<Case>& cases,
                          const std::vector<Calibration>& conditions, const Calibration& outcome,
                          double inclusion_cut) {
  QcaTable t;
  t.conditions = conditions;
  t.outcome = outcome;
  t.inclusion_cut = inclusion_cut;
  std::vector<const Calibration*> columns;
  for (const Calibration& c : t.conditions) columns.push_back(&c);
  columns.push_back(&t.outcome);
  for (const Case& kase : cases) {
    QcaCase row{kase.business.id, {}, {}};
    std::string missing;
    for (const Calibration* c : columns) {
      std::string why;
      const std::optional<double> raw = MeasureValue(kase, c->measure, why);
      if (!raw) {
        missing += (missing.empty() ? "" : "; ") + c->measure + ": " + why;
        continue;
      }
      if (c->kind == Calibration::Kind::kAsIs && (*raw < 0 || *raw > 1)) {
        return Failure{
            c->measure + " is " + ExactNumber(*raw) + " for " + kase.business.id +
            ": a measure taken as is must be a membership from 0 to 1; calibrate it (\"" +
            c->measure + ">=T\" crisp, or \"" + c->measure + "=E/C/I\" fuzzy)"};
      }
      row.raw.push_back(*raw);
      row.membership.push_back(Calibrate(*c, *raw));
    }
    if (!missing.empty()) {
      t.left_out.push_back({kase.business.id, missing});
      continue;
    }
    t.cases.push_back(std::move(row));
  }

  // The truth table: every case in the configuration where its membership is above 0.5.
  const std::size_t k = t.conditions.size();
  std::map<std::vector<int>, TruthRow> rows;
  for (const QcaCase& c : t.cases) {
    std::vector<int> config(k);
    bool ambiguous = false;
    for (std::size_t j = 0; j < k; ++j) {
      ambiguous = ambiguous || c.membership[j] == 0.5;
      config[j] = c.membership[j] > 0.5 ? 1 : 0;
    }
    if (ambiguous) {
      t.ambiguous.push_back(c.id);
      continue;
    }
    TruthRow& row = rows[config];
    row.configuration = config;
    row.cases.push_back(c.id);
  }
  double sum_y = 0;
  for (const QcaCase& c : t.cases) sum_y += c.membership[k];
  for (auto& [config, row] : rows) {
    double sum_x = 0, sum_xy = 0, sum_xy_not_y = 0;
    for (const QcaCase& c : t.cases) {
      double x = 1;
      for (std::size_t j = 0; j < k; ++j) {
        x = std::min(x, config[j] == 1 ? c.membership[j] : 1 - c.membership[j]);
      }
      const double y = c.membership[k];
      sum_x += x;
      sum_xy += std::min(x, y);
      sum_xy_not_y += std::min({x, y, 1 - y});
    }
    if (sum_x > 0) row.consistency = sum_xy / sum_x;
    if (sum_y > 0) row.coverage = sum_xy / sum_y;
    if (sum_x - sum_xy_not_y > 0) row.pri = (sum_xy - sum_xy_not_y) / (sum_x - sum_xy_not_y);
    row.outcome = row.consistency && *row.consistency >= inclusion_cut ? 1 : 0;
    t.truth_table.push_back(row);
  }
  const double configurations = std::ldexp(1.0, static_cast<int>(std::min<std::size_t>(k, 60)));
  t.remainders = static_cast<std::size_t>(configurations) - t.truth_table.size();
  return t;
}

std::string QcaCsv(const QcaTable& t) {
  std::string out = "case";
  for (const Calibration& c : t.conditions) out += "," + c.column;
  out += "," + t.outcome.column + "\n";
  for (const QcaCase& c : t.cases) {
    out += c.id;  // an id: [a-z0-9_.-], nothing to quote
    for (double m : c.membership) out += "," + ExactNumber(m);
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json QcaCalibrationJson(const QcaTable& t) {
  nlohmann::ordered_json j;
  j["bmil_qca"] = 1;
  j["conditions"] = nlohmann::ordered_json::array();
  for (const Calibration& c : t.conditions) j["conditions"].push_back(CalibrationJson(c));
  j["outcome"] = CalibrationJson(t.outcome);
  j["cases"] = nlohmann::ordered_json::array();
  for (const QcaCase& c : t.cases) {
    nlohmann::ordered_json raw, membership;
    for (std::size_t i = 0; i < c.raw.size(); ++i) {
      const Calibration& col = i < t.conditions.size() ? t.conditions[i] : t.outcome;
      raw[col.column] = c.raw[i];
      membership[col.column] = c.membership[i];
    }
    j["cases"].push_back({{"case", c.id}, {"raw", raw}, {"membership", membership}});
  }
  j["left_out"] = nlohmann::ordered_json::array();
  for (const QcaLeftOut& l : t.left_out) j["left_out"].push_back({{"case", l.id}, {"why", l.why}});
  j["truth_table"] = {{"inclusion_cut", t.inclusion_cut},
                      {"ambiguous_cases", t.ambiguous},
                      {"remainders", t.remainders},
                      {"rows", nlohmann::ordered_json::array()}};
  for (const TruthRow& r : t.truth_table) {
    nlohmann::ordered_json config;
    for (std::size_t i = 0; i < r.configuration.size(); ++i)
      config[t.conditions[i].column] = r.configuration[i];
    auto opt = [](const std::optional<double>& v) -> nlohmann::ordered_json {
      if (v) return *v;
      return nullptr;
    };
    j["truth_table"]["rows"].push_back({{"configuration", config},
                                        {"outcome", r.outcome},
                                        {"n", r.cases.size()},
                                        {"consistency", opt(r.consistency)},
                                        {"pri", opt(r.pri)},
                                        {"coverage", opt(r.coverage)},
                                        {"cases", r.cases}});
  }
  return j;
}

std::string TruthTableText(const QcaTable& t, bool markdown) {
  std::vector<std::string> header;
  for (const Calibration& c : t.conditions) header.push_back(c.column);
  header.insert(header.end(), {"OUT", "n", "incl", "PRI", "cov", "cases"});
  std::vector<std::vector<std::string>> rows;
  for (const TruthRow& r : t.truth_table) {
    std::vector<std::string> row;
    for (int bit : r.configuration) row.push_back(std::to_string(bit));
    std::string cases;
    for (const std::string& c : r.cases) cases += (cases.empty() ? "" : ", ") + c;
    row.insert(row.end(), {std::to_string(r.outcome), std::to_string(r.cases.size()),
                           Ratio(r.consistency), Ratio(r.pri), Ratio(r.coverage), cases});
    rows.push_back(std::move(row));
  }
  std::string out;
  const std::string title = "Truth table: " + std::to_string(t.cases.size()) + " cases, outcome " +
                            t.outcome.column +
                            ", OUT = 1 where incl >= " + Fixed(t.inclusion_cut, 2);
  if (markdown) {
    out += "## " + MarkdownText(title) + "\n\n|";
    for (const std::string& h : header) out += " " + MarkdownText(h) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < header.size(); ++i)
      out += i + 1 == header.size() ? "---|" : "---:|";
    out += "\n";
    for (const auto& row : rows) {
      out += "|";
      for (const std::string& cell : row) out += " " + MarkdownText(cell) + " |";
      out += "\n";
    }
  } else {
    out += Wrapped(title, 2);
    std::vector<std::size_t> width(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
      width[i] = header[i].size();
      for (const auto& row : rows) width[i] = std::max(width[i], row[i].size());
    }
    // The cases column takes what is left of 80 columns and wraps under itself.
    std::size_t indent = 2;
    for (std::size_t i = 0; i + 1 < header.size(); ++i) indent += width[i] + 2;
    auto line = [&](const std::vector<std::string>& row) {
      std::string text = "  ";
      for (std::size_t i = 0; i + 1 < row.size(); ++i) {
        text += std::string(width[i] - row[i].size(), ' ') + TerminalSafe(row[i]) + "  ";
      }
      if (indent + 20 <= 80) {
        out += Wrapped(row.back(), indent, text);
      } else {
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out += text + "\n" + Wrapped(row.back(), 4, "    ");
      }
    };
    line(header);
    for (const auto& row : rows) line(row);
  }
  std::vector<std::string> notes;
  notes.push_back(std::to_string(t.remainders) + " of the " +
                  std::to_string(t.truth_table.size() + t.remainders) +
                  " configurations have no case (remainders).");
  if (!t.ambiguous.empty()) {
    std::string ids;
    for (const std::string& a : t.ambiguous) ids += (ids.empty() ? "" : ", ") + a;
    notes.push_back("At exactly 0.5 in a condition, so in no row: " + ids + ".");
  }
  for (const QcaLeftOut& l : t.left_out) notes.push_back("Left out: " + l.id + " (" + l.why + ").");
  for (const std::string& n : notes)
    out += markdown ? "\n" + MarkdownText(n) + "\n" : Wrapped(n, 4, "  ");
  return out;
}

}  // namespace bmil::research
