// Reading and writing a plan (plan.hpp, docs/control.md).
#include "control/plan.hpp"

#include "control/read_helpers.hpp"
#include "io/case_rules.hpp"
#include "io/json_pointer.hpp"
#include "io/object_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace bmil::control {

const char* DirectionName(Direction d) { return d == Direction::kUp ? "up" : "down"; }

const Kpi* Plan::FindKpi(std::string_view id) const {
  for (const Kpi& k : kpis) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

const Milestone* Plan::FindMilestone(std::string_view id) const {
  for (const Milestone& m : milestones) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

namespace {

bool Digits(std::string_view s, std::size_t from, std::size_t n) {
  for (std::size_t i = from; i < from + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int Number(std::string_view s, std::size_t from, std::size_t n) {
  int x = 0;
  for (std::size_t i = from; i < from + n; ++i) x = x * 10 + (s[i] - '0');
  return x;
}

bool Leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && Leap(y) ? 29 : kDays[m - 1];
}

std::string TwoDigits(int x) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d", x);
  return text;
}

}  // namespace

bool IsDay(std::string_view s) {
  if (s.size() != 10 || !Digits(s, 0, 4) || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' ||
      !Digits(s, 8, 2)) {
    return false;
  }
  const int y = Number(s, 0, 4), m = Number(s, 5, 2), d = Number(s, 8, 2);
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

std::int64_t DayNumber(std::string_view day) {
  // Howard Hinnant's days_from_civil.
  std::int64_t y = Number(day, 0, 4);
  const unsigned m = static_cast<unsigned>(Number(day, 5, 2));
  const unsigned d = static_cast<unsigned>(Number(day, 8, 2));
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string DayOf(std::string_view partial, bool last) {
  if (partial.size() == 10) return IsDay(partial) ? std::string(partial) : "";
  if (partial.size() == 4 && Digits(partial, 0, 4) && Number(partial, 0, 4) >= 1) {
    return std::string(partial) + (last ? "-12-31" : "-01-01");
  }
  if (partial.size() == 7 && Digits(partial, 0, 4) && partial[4] == '-' && Digits(partial, 5, 2)) {
    const int y = Number(partial, 0, 4), m = Number(partial, 5, 2);
    if (y < 1 || m < 1 || m > 12) return "";
    return std::string(partial) + "-" + (last ? TwoDigits(DaysInMonth(y, m)) : "01");
  }
  return "";
}

namespace {

const std::vector<std::string> kStatuses = {"planned", "ongoing"};

class PlanReader : public FieldReader {
 public:
  PlanReader(const std::string& file, std::vector<Diagnostic>& problems, const PlanLimits& limits)
      : FieldReader(file, problems), limits_(limits) {}
  void Root(const JsonValue& root, Plan& out);

 private:
  const PlanLimits& limits_;
  void DecisionAt(const JsonValue& value, const std::string& pointer, Plan& out);
  void StrategyAt(const JsonValue& value, const std::string& pointer, Plan& out);
  void KpiAt(const JsonValue& value, const std::string& pointer, Kpi& out);
  void MilestoneAt(const JsonValue& value, const std::string& pointer, Milestone& out);
};

void PlanReader::Root(const JsonValue& root, Plan& out) {
  ObjectReader r(root, file_, "", problems_);
  if (!r.is_object()) return;
  Version(r, "bmil_plan", kPlanFormatVersion, "plan");
  if (auto id = Id(r, "id")) out.id = *id;
  if (auto name = Text(r, "name", true)) out.name = *name;
  if (auto business = Id(r, "business")) out.business = *business;
  if (auto adopted = Day(r, "adopted", true)) out.adopted = *adopted;
  if (const std::optional<JsonValue> d = Nullable(r, root, "decision", JsonValue::Kind::kObject)) {
    DecisionAt(*d, "/decision", out);
  }
  if (const std::optional<JsonValue> s = r.Get("strategy", JsonValue::Kind::kObject, true)) {
    StrategyAt(*s, "/strategy", out);
  }
  if (const std::optional<JsonValue> kpis = r.Get("kpis", JsonValue::Kind::kArray, true)) {
    if (Count(*kpis, "/kpis", limits_.max_kpis, "KPIs")) {
      const JsonItems items = kpis->items();
      out.kpis.resize(items.size());
      std::set<std::string> seen;
      std::size_t i = 0;
      for (auto it = items.begin(); it != items.end(); ++it, ++i) {
        const std::string at = JsonPointerChild("/kpis", i);
        KpiAt(*it, at, out.kpis[i]);
        if (!out.kpis[i].id.empty() && !seen.insert(out.kpis[i].id).second) {
          Problem((*it).location(), at, "KPI \"" + out.kpis[i].id + "\" is given twice");
        }
      }
    }
  }
  if (const std::optional<JsonValue> ms = r.Get("milestones", JsonValue::Kind::kArray, true)) {
    if (Count(*ms, "/milestones", limits_.max_milestones, "milestones")) {
      const JsonItems items = ms->items();
      out.milestones.resize(items.size());
      std::set<std::string> seen;
      std::size_t i = 0;
      for (auto it = items.begin(); it != items.end(); ++it, ++i) {
        const std::string at = JsonPointerChild("/milestones", i);
        MilestoneAt(*it, at, out.milestones[i]);
        if (!out.milestones[i].id.empty() && !seen.insert(out.milestones[i].id).second) {
          Problem((*it).location(), at,
                  "milestone \"" + out.milestones[i].id + "\" is given twice");
        }
      }
    }
  }
  r.Finish();
}

void PlanReader::DecisionAt(const JsonValue& value, const std::string& pointer, Plan& out) {
  ObjectReader r(value, file_, pointer, problems_);
  DecisionRef d;
  if (auto file = r.String("file", true, 4096)) d.file = *file;
  if (auto xxh3 = Digest(r, "xxh3")) d.xxh3 = *xxh3;
  if (auto scenario = Id(r, "scenario")) d.scenario = *scenario;
  if (auto why = Text(r, "why", true)) d.why = *why;
  r.Finish();
  out.decision = std::move(d);
}

void PlanReader::StrategyAt(const JsonValue& value, const std::string& pointer, Plan& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (auto lines = IdList(r, "leadership_lines", true, 1000)) out.leadership_lines = *lines;
  if (const std::optional<JsonValue> cells = r.Get("cells", JsonValue::Kind::kArray, true)) {
    const std::string at = r.PointerOf("cells");
    if (Count(*cells, at, 100000, "cells")) {
      std::size_t i = 0;
      for (const JsonValue cell_value : cells->items()) {
        ObjectReader c(cell_value, file_, JsonPointerChild(at, i++), problems_);
        CanvasCell cell;
        if (auto m = Id(c, "business_model")) cell.business_model = *m;
        if (auto line = Id(c, "line")) cell.line = *line;
        if (auto block = Id(c, "block")) cell.block = *block;
        c.Finish();
        out.cells.push_back(std::move(cell));
      }
    }
  }
  r.Finish();
}

void PlanReader::KpiAt(const JsonValue& value, const std::string& pointer, Kpi& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto id = KpiId(r, "id")) out.id = *id;
  if (auto label = Text(r, "label", true)) out.label = *label;
  if (auto unit = Text(r, "unit", true)) out.unit = *unit;
  if (auto direction = r.Choice("direction", {"up", "down"}, true)) {
    out.direction = *direction == "up" ? Direction::kUp : Direction::kDown;
  }
  if (Nullable(r, value, "business_model", JsonValue::Kind::kString)) {
    if (auto model = Id(r, "business_model")) out.business_model = *model;
  }
  if (auto source = r.Choice("source", {"scenario", "manual"}, true)) {
    out.manual = *source == "manual";
  }
  if (const std::optional<JsonValue> base =
          Nullable(r, value, "baseline", JsonValue::Kind::kObject)) {
    ObjectReader br(*base, file_, r.PointerOf("baseline"), problems_);
    auto date = Day(br, "date", true);
    auto v = br.Number("value", -rules::kMaxAmount, rules::kMaxAmount, true);
    br.Finish();
    if (date && v) {
      out.baseline_date = *date;
      out.baseline = *v;
    }
  }
  if (const std::optional<JsonValue> targets = r.Get("targets", JsonValue::Kind::kArray, true)) {
    out.targets = Targets(*targets, r.PointerOf("targets"), !out.manual, limits_.max_targets);
  }
  r.Finish();
}

void PlanReader::MilestoneAt(const JsonValue& value, const std::string& pointer, Milestone& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto id = Id(r, "id")) out.id = *id;
  if (auto m = Id(r, "business_model")) out.business_model = *m;
  if (auto lines = IdList(r, "leadership_lines", true, 100)) out.leadership_lines = *lines;
  if (auto blocks = IdList(r, "building_blocks", true, 100)) out.building_blocks = *blocks;
  if (auto status = r.Choice("status", kStatuses, true)) {
    out.status = *status == "planned" ? TaskStatus::kPlanned : TaskStatus::kOngoing;
  }
  if (auto start = Day(r, "start", true)) out.start = *start;
  if (Nullable(r, value, "due", JsonValue::Kind::kString)) {
    if (auto day = Day(r, "due", true)) {
      out.due = *day;
      if (!out.start.empty() && out.due < out.start) {
        r.Problem(value.Find("due")->location(), r.PointerOf("due"),
                  "due " + out.due + " is before the start " + out.start);
      }
    }
  }
  if (Nullable(r, value, "effort", JsonValue::Kind::kNumber)) {
    out.effort = r.Number("effort", 0, rules::kMaxAmount, true);
  }
  r.Finish();
}

}  // namespace

PlanReadResult ReadPlan(std::string_view text, const std::string& file, const PlanLimits& limits) {
  PlanReadResult result;
  auto document = ParseLocated(text, file, {limits.max_bytes, limits.max_depth}, result.problems);
  if (!document) return result;
  Plan out;
  PlanReader reader(file, result.problems, limits);
  reader.Root(document->root(), out);
  CapProblems(result.problems, file, limits.max_errors);
  if (result.problems.empty()) result.value = std::move(out);
  return result;
}

nlohmann::ordered_json PlanJson(const Plan& plan) {
  using OJson = nlohmann::ordered_json;
  OJson j;
  j["bmil_plan"] = kPlanFormatVersion;
  j["id"] = plan.id;
  j["name"] = plan.name;
  j["business"] = plan.business;
  j["adopted"] = plan.adopted;
  if (plan.decision) {
    j["decision"] = {{"file", plan.decision->file},
                     {"xxh3", plan.decision->xxh3},
                     {"scenario", plan.decision->scenario},
                     {"why", plan.decision->why}};
  } else {
    j["decision"] = nullptr;
  }
  OJson cells = OJson::array();
  for (const CanvasCell& c : plan.cells) {
    cells.push_back({{"business_model", c.business_model}, {"line", c.line}, {"block", c.block}});
  }
  j["strategy"] = {{"leadership_lines", plan.leadership_lines}, {"cells", std::move(cells)}};
  OJson kpis = OJson::array();
  for (const Kpi& k : plan.kpis) {
    OJson kpi{{"id", k.id},
              {"label", k.label},
              {"unit", k.unit},
              {"direction", DirectionName(k.direction)}};
    kpi["business_model"] = k.business_model.empty() ? OJson() : OJson(k.business_model);
    kpi["source"] = k.manual ? "manual" : "scenario";
    kpi["baseline"] =
        k.baseline ? OJson{{"date", k.baseline_date}, {"value", *k.baseline}} : OJson();
    kpi["targets"] = TargetsJson(k.targets);
    kpis.push_back(std::move(kpi));
  }
  j["kpis"] = std::move(kpis);
  OJson ms = OJson::array();
  for (const Milestone& m : plan.milestones) {
    OJson o{{"id", m.id},
            {"business_model", m.business_model},
            {"leadership_lines", m.leadership_lines},
            {"building_blocks", m.building_blocks},
            {"status", m.status == TaskStatus::kOngoing ? "ongoing" : "planned"},
            {"start", m.start}};
    o["due"] = m.due.empty() ? OJson() : OJson(m.due);
    o["effort"] = m.effort ? OJson(*m.effort) : OJson();
    ms.push_back(std::move(o));
  }
  j["milestones"] = std::move(ms);
  return j;
}

}  // namespace bmil::control
