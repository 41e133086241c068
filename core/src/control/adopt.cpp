// Reading a decision record and adopting it as a plan (adopt.hpp, docs/control.md).
#include "control/adopt.hpp"

#include "control/read_helpers.hpp"
#include "io/case_rules.hpp"
#include "io/json_pointer.hpp"
#include "io/object_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace bmil::control {
namespace {

class DecisionReader : public FieldReader {
 public:
  DecisionReader(const std::string& file, std::vector<Diagnostic>& problems,
                 const DecisionLimits& limits)
      : FieldReader(file, problems), limits_(limits) {}

  void Root(const JsonValue& root, Decision& out) {
    ObjectReader r(root, file_, "", problems_);
    if (!r.is_object()) return;
    Version(r, "bmil_decision", "1.0", "decision record");
    if (auto d = Day(r, "decided", true)) out.decided = *d;
    if (auto why = Text(r, "why", true)) out.why = *why;
    if (const std::optional<JsonValue> s = r.Get("scenario", JsonValue::Kind::kObject, true)) {
      ObjectReader sr(*s, file_, "/scenario", problems_);
      if (auto id = Id(sr, "id")) out.scenario_id = *id;
      if (auto name = Text(sr, "name", true)) out.scenario_name = *name;
      sr.String("file", true, 4096);
      Digest(sr, "xxh3");
      sr.Finish();
    }
    if (const std::optional<JsonValue> b = r.Get("base", JsonValue::Kind::kObject, true)) {
      ObjectReader br(*b, file_, "/base", problems_);
      if (auto f = br.String("file", true, 4096)) out.base_file = *f;
      if (auto x = Digest(br, "xxh3")) out.base_xxh3 = *x;
      if (auto id = Id(br, "business")) out.business = *id;
      br.Finish();
    }
    // Kept as they are: what the plan needs is read below.
    for (const char* key : {"model", "sampling"}) r.Get(key, JsonValue::Kind::kObject, true);
    if (const std::optional<JsonValue> s = r.Get("strategy", JsonValue::Kind::kObject, true)) {
      ObjectReader sr(*s, file_, "/strategy", problems_);
      if (auto lines = IdList(sr, "leadership_lines", false, 1000)) out.leadership_lines = *lines;
      Optional(sr, *s, "explicit", JsonValue::Kind::kBool);
      sr.Get("goals", JsonValue::Kind::kArray, false);
      sr.Finish();
    }
    if (const std::optional<JsonValue> tasks = r.Get("tasks", JsonValue::Kind::kArray, true)) {
      if (Count(*tasks, "/tasks", limits_.max_tasks, "tasks")) {
        std::set<std::string> seen;
        std::size_t i = 0;
        for (const JsonValue task : tasks->items()) {
          const std::string at = JsonPointerChild("/tasks", i++);
          out.tasks.push_back(TaskAt(task, at));
          if (!out.tasks.back().id.empty() && !seen.insert(out.tasks.back().id).second) {
            Problem(task.location(), at, "task \"" + out.tasks.back().id + "\" is given twice");
          }
        }
      }
    }
    if (const std::optional<JsonValue> e = r.Get("expected", JsonValue::Kind::kObject, true)) {
      ObjectReader er(*e, file_, "/expected", problems_);
      Optional(er, *e, "npv", JsonValue::Kind::kObject);
      Optional(er, *e, "loss_probability", JsonValue::Kind::kNumber);
      if (const std::optional<JsonValue> kpis = er.Get("kpis", JsonValue::Kind::kArray, true)) {
        if (Count(*kpis, "/expected/kpis", limits_.max_series, "series")) {
          std::set<std::string> seen;
          std::size_t i = 0;
          for (const JsonValue kpi : kpis->items()) {
            const std::string at = JsonPointerChild("/expected/kpis", i++);
            out.kpis.push_back(SeriesAt(kpi, at));
            if (!out.kpis.back().id.empty() && !seen.insert(out.kpis.back().id).second) {
              Problem(kpi.location(), at, "series \"" + out.kpis.back().id + "\" is given twice");
            }
          }
        }
      }
      er.Finish();
    }
    r.Finish();
  }

 private:
  // An optional member of `kind` that may also be null.
  void Optional(ObjectReader& r, const JsonValue& object, std::string_view key,
                JsonValue::Kind kind) {
    const std::optional<JsonValue> v = object.Find(key);
    r.Get(key, v && v->kind() == JsonValue::Kind::kNull ? JsonValue::Kind::kNull : kind, false);
  }

  DecisionTask TaskAt(const JsonValue& value, const std::string& pointer) {
    DecisionTask t;
    ObjectReader r(value, file_, pointer, problems_);
    if (!r.is_object()) return t;
    if (auto id = Id(r, "id")) t.id = *id;
    if (auto m = Id(r, "business_model")) t.business_model = *m;
    if (auto b = IdList(r, "building_blocks", true, 100)) t.building_blocks = *b;
    if (auto l = IdList(r, "leadership_lines", true, 100)) t.leadership_lines = *l;
    if (auto s = r.Choice("status", {"planned", "ongoing"}, true)) {
      t.status = *s == "planned" ? TaskStatus::kPlanned : TaskStatus::kOngoing;
    }
    for (const char* key : {"start", "end"}) {
      if (const std::optional<JsonValue> v = Nullable(r, value, key, JsonValue::Kind::kString)) {
        const std::string text(v->text());
        if (DayOf(text, false).empty()) {
          Problem(v->location(), r.PointerOf(key),
                  "expected a date YYYY, YYYY-MM or YYYY-MM-DD, found \"" + text + "\"");
        } else {
          (key[0] == 's' ? t.start : t.end) = text;
        }
      }
    }
    if (Nullable(r, value, "effort", JsonValue::Kind::kNumber)) {
      t.effort = r.Number("effort", 0, rules::kMaxAmount, true);
    }
    r.Finish();
    return t;
  }

  ExpectedSeries SeriesAt(const JsonValue& value, const std::string& pointer) {
    ExpectedSeries s;
    ObjectReader r(value, file_, pointer, problems_);
    if (!r.is_object()) return s;
    if (auto id = KpiId(r, "id")) s.id = *id;
    if (auto kpi = r.String("kpi", true, 128)) s.kpi = *kpi;
    if (Nullable(r, value, "business_model", JsonValue::Kind::kString)) {
      if (auto m = Id(r, "business_model")) s.business_model = *m;
    }
    if (auto unit = Text(r, "unit", true)) s.unit = *unit;
    if (auto label = Text(r, "label", true)) s.label = *label;
    if (const std::optional<JsonValue> years = r.Get("years", JsonValue::Kind::kArray, true)) {
      const std::string at = r.PointerOf("years");
      if (Count(*years, at, limits_.max_years, "years")) {
        const JsonItems items = years->items();
        std::size_t i = 0;
        for (auto it = items.begin(); it != items.end(); ++it, ++i) {
          const JsonValue year_value = *it;
          ObjectReader yr(year_value, file_, JsonPointerChild(at, i), problems_);
          SeriesBand b;
          auto year = yr.Integer("year", 1, 9999, true);
          auto mean = yr.Number("mean", -rules::kMaxAmount, rules::kMaxAmount, true);
          auto p10 = yr.Number("p10", -rules::kMaxAmount, rules::kMaxAmount, true);
          auto p50 = yr.Number("p50", -rules::kMaxAmount, rules::kMaxAmount, true);
          auto p90 = yr.Number("p90", -rules::kMaxAmount, rules::kMaxAmount, true);
          yr.Finish();
          if (!(year && mean && p10 && p50 && p90)) continue;
          b.year = static_cast<int>(*year);
          b.mean = *mean;
          b.p10 = *p10;
          b.p50 = *p50;
          b.p90 = *p90;
          if (!(b.p10 <= b.p50 && b.p50 <= b.p90)) {
            Problem(year_value.location(), JsonPointerChild(at, i), "expected p10 <= p50 <= p90");
          } else if (!s.years.empty() && s.years.back().year >= b.year) {
            Problem(year_value.location(), JsonPointerChild(at, i),
                    "year " + std::to_string(b.year) + " does not follow " +
                        std::to_string(s.years.back().year));
          } else {
            s.years.push_back(b);
          }
        }
      }
    }
    r.Finish();
    return s;
  }

  const DecisionLimits& limits_;
};

// A KPI's good direction (docs/control.md): costs go down.
Direction DirectionOf(const std::string& kpi) {
  return kpi == "cost" || kpi == "bmi_cost" || kpi == "carry" ? Direction::kDown : Direction::kUp;
}

// Whether `m` is on the market in the base (its figures are a baseline).
bool OnMarket(const BusinessModel& m) {
  return (m.state == State::kAsIs || m.stage == Stage::kMarket) && m.stage != Stage::kRetired;
}

// The baseline of KPI `kpi` of model `model` ("" for the business) in `base`.
std::optional<double> Baseline(const Case& base, const std::string& kpi, const std::string& model) {
  auto figure = [&](const BusinessModel& m) -> std::optional<double> {
    const ValueFormula& f = m.value_formula;
    if (kpi == "revenue") return f.revenue;
    if (kpi == "cost") return f.cost;
    if (kpi == "customers") return f.customers;
    if (kpi == "profit" && f.revenue && f.cost) return *f.revenue - *f.cost;
    return std::nullopt;
  };
  if (!model.empty()) {
    for (const BusinessModel& m : base.business_models) {
      if (m.id == model) return OnMarket(m) ? figure(m) : std::optional<double>(0.0);
    }
    return std::nullopt;
  }
  double sum = 0;
  bool any = false;
  for (const BusinessModel& m : base.business_models) {
    if (!OnMarket(m)) continue;
    auto x = figure(m);
    if (!x) return std::nullopt;  // a model on the market without the figure: unknown
    sum += *x;
    any = true;
  }
  if (!any) return std::nullopt;
  return sum;
}

}  // namespace

DecisionReadResult ReadDecision(std::string_view text, const std::string& file,
                                const DecisionLimits& limits) {
  DecisionReadResult result;
  auto document = ParseLocated(text, file, {limits.max_bytes, limits.max_depth}, result.problems);
  if (!document) return result;
  Decision out;
  DecisionReader reader(file, result.problems, limits);
  reader.Root(document->root(), out);
  CapProblems(result.problems, file, limits.max_errors);
  if (result.problems.empty()) result.value = std::move(out);
  return result;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative '*' matching with one backtrack point: linear in practice, never exponential.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

AdoptResult Adopt(const Decision& decision, const std::string& decision_file,
                  const std::string& decision_xxh3, const Case& base, const AdoptOptions& options) {
  AdoptResult result;
  if (base.business.id != decision.business) {
    result.problems.push_back("the base case is of business \"" + base.business.id +
                              "\", the decision of \"" + decision.business + "\"");
    return result;
  }
  Plan plan;
  plan.id = options.id.empty() ? decision.scenario_id : options.id;
  plan.name = decision.scenario_name;
  plan.business = decision.business;
  plan.adopted = decision.decided;
  plan.decision = DecisionRef{decision_file, decision_xxh3, decision.scenario_id, decision.why};
  plan.leadership_lines = decision.leadership_lines;

  std::vector<bool> pattern_used(options.kpi_patterns.size(), false);
  for (const ExpectedSeries& s : decision.kpis) {
    bool keep = options.kpi_patterns.empty();
    for (std::size_t i = 0; i < options.kpi_patterns.size(); ++i) {
      if (GlobMatch(options.kpi_patterns[i], s.id)) keep = pattern_used[i] = true;
    }
    if (!keep || s.years.empty()) continue;
    Kpi k;
    k.id = s.id;
    k.label = s.label;
    k.unit = s.unit;
    k.direction = DirectionOf(s.kpi);
    k.business_model = s.business_model;
    k.baseline = Baseline(base, s.kpi, s.business_model);
    if (k.baseline) k.baseline_date = decision.decided;
    for (const SeriesBand& y : s.years) {
      const std::string date = std::to_string(y.year) + "-12-31";
      if (date.size() != 10 || date <= decision.decided) continue;  // a year already over
      k.targets.push_back({date, y.p50, y.p10, y.p90});
    }
    if (k.targets.empty()) continue;
    plan.kpis.push_back(std::move(k));
  }
  for (std::size_t i = 0; i < options.kpi_patterns.size(); ++i) {
    if (!pattern_used[i]) {
      result.problems.push_back("--kpi " + options.kpi_patterns[i] +
                                ": no series of the decision matches");
    }
  }
  for (const Kpi& k : options.manual_kpis) {
    if (plan.FindKpi(k.id) != nullptr) {
      result.problems.push_back("--add-kpi " + k.id + ": the plan has a KPI of that id");
      continue;
    }
    for (const Target& t : k.targets) {
      if (t.date <= decision.decided) {
        result.problems.push_back("--add-kpi " + k.id + ": the target date " + t.date +
                                  " is not after the decision (" + decision.decided + ")");
      }
    }
    plan.kpis.push_back(k);
    if (k.baseline) plan.kpis.back().baseline_date = decision.decided;
  }

  std::set<CanvasCell> cells;
  for (const DecisionTask& t : decision.tasks) {
    Milestone m;
    m.id = t.id;
    m.business_model = t.business_model;
    m.leadership_lines = t.leadership_lines;
    m.building_blocks = t.building_blocks;
    m.status = t.status;
    m.start = t.start.empty() ? decision.decided : DayOf(t.start, false);
    m.due = t.end.empty() ? "" : DayOf(t.end, true);
    if (!m.due.empty() && m.due < m.start) m.start = m.due;  // a start in the decision's past
    m.effort = t.effort;
    for (const std::string& line : t.leadership_lines) {
      for (const std::string& block : t.building_blocks) {
        cells.insert({t.business_model, line, block});
      }
    }
    plan.milestones.push_back(std::move(m));
  }
  plan.cells.assign(cells.begin(), cells.end());
  if (!result.problems.empty()) return result;
  // What is written must read back: a check that the reader's and this code's rules agree.
  PlanReadResult back = ReadPlan(PlanJson(plan).dump(), "plan");
  for (const Diagnostic& d : back.problems) {
    result.problems.push_back("the plan would not read back: " + d.ToString());
  }
  if (!result.problems.empty()) return result;
  result.value = std::move(plan);
  return result;
}

std::optional<Kpi> ParseKpiSpec(std::string_view spec, std::string& error) {
  Kpi k;
  k.manual = true;
  bool has_direction = false;
  std::size_t from = 0;
  while (from <= spec.size()) {
    std::size_t comma = spec.find(',', from);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string_view pair = spec.substr(from, comma - from);
    from = comma + 1;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      error = "expected key=value, found \"" + std::string(pair) + "\"";
      return std::nullopt;
    }
    const std::string_view key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (key == "id") {
      if (!IsKpiId(value)) {
        error = "\"" + std::string(value) +
                "\" is not a KPI id: 1 to 128 of a-z, 0-9, '_', '.' and '-'";
        return std::nullopt;
      }
      k.id = value;
    } else if (key == "label") {
      k.label = value;
    } else if (key == "unit") {
      k.unit = value;
    } else if (key == "direction") {
      if (value != "up" && value != "down") {
        error = "direction: expected up or down, found \"" + std::string(value) + "\"";
        return std::nullopt;
      }
      k.direction = value == "up" ? Direction::kUp : Direction::kDown;
      has_direction = true;
    } else if (key == "baseline") {
      double x = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
      if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(x) ||
          std::fabs(x) > rules::kMaxAmount) {
        error = "baseline: expected a number, found \"" + std::string(value) + "\"";
        return std::nullopt;
      }
      k.baseline = x;  // on the day of the decision (Adopt)
    } else if (key == "target") {
      const std::size_t colon = value.find(':');
      double x = 0;
      const std::string_view day = value.substr(0, colon);
      const std::string_view number =
          colon == std::string_view::npos ? std::string_view() : value.substr(colon + 1);
      const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), x);
      if (colon == std::string_view::npos || !IsDay(day) || ec != std::errc() ||
          end != number.data() + number.size() || !std::isfinite(x) ||
          std::fabs(x) > rules::kMaxAmount) {
        error = "target: expected YYYY-MM-DD:NUMBER, found \"" + std::string(value) + "\"";
        return std::nullopt;
      }
      if (!k.targets.empty() && !(k.targets.back().date < day)) {
        error = "target " + std::string(day) + " is not after the one before";
        return std::nullopt;
      }
      k.targets.push_back({std::string(day), x, std::nullopt, std::nullopt});
    } else {
      error =
          "unknown key \"" + std::string(key) + "\"; expected id, label, unit, direction or target";
      return std::nullopt;
    }
    if (comma == spec.size()) break;
  }
  if (k.id.empty() || k.unit.empty() || !has_direction || k.targets.empty()) {
    error = "a KPI needs id, unit, direction and at least one target";
    return std::nullopt;
  }
  if (k.label.empty()) k.label = k.id;
  if (!rules::IsShortText(k.label) || !rules::IsShortText(k.unit)) {
    error = "label or unit too long";
    return std::nullopt;
  }
  return k;
}

}  // namespace bmil::control
