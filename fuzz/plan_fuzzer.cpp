// Fuzzes the plan reader (ReadPlan, core/src/control/plan.hpp), which reads the plan.json a
// user hands to `bmil checkin` and the status (docs/control.md, "The plan"). Beyond "no
// crash, no hang, no leak, no undefined behaviour, no exception":
//  - a plan is returned exactly when there are no problems, and every problem is located
//    (a line and column), but for the note that more were not shown;
//  - an accepted plan keeps the format's promises: ids unique, target dates real days and
//    increasing, a scenario KPI's band p10 <= value <= p90 and a manual KPI without one,
//    milestones planned or ongoing and due no earlier than their start;
//  - it round-trips: the text of PlanJson() (as the CLI writes it) reads back, and writing
//    that plan gives the same text again.
#include "control/plan.hpp"

#include "fuzz_support.hpp"

#include <bmil/case_io.hpp>
#include <bmil/model.hpp>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

using bmil::fuzz::Broken;

namespace {

// As the CLI writes JSON (core/cli/cli_common.hpp, JsonText).
std::string Text(const bmil::control::Plan& plan) {
  return bmil::control::PlanJson(plan).dump(2, ' ', false,
                                            nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

void CheckPromises(const bmil::control::Plan& plan) {
  using bmil::control::IsDay;
  if (!IsDay(plan.adopted)) Broken("an accepted plan's adoption day is not a day", plan.adopted);
  std::set<std::string> ids;
  for (const bmil::control::Kpi& k : plan.kpis) {
    if (!ids.insert(k.id).second) Broken("an accepted plan has a KPI twice", k.id);
    if (k.targets.empty()) Broken("an accepted KPI has no target", k.id);
    if (k.baseline && !IsDay(k.baseline_date)) Broken("a baseline's date is not a day", k.id);
    for (std::size_t i = 0; i < k.targets.size(); ++i) {
      const bmil::control::Target& t = k.targets[i];
      if (!IsDay(t.date)) Broken("a target's date is not a day", k.id + " " + t.date);
      if (i > 0 && !(k.targets[i - 1].date < t.date)) {
        Broken("a KPI's target dates do not increase", k.id + " " + t.date);
      }
      if (k.manual && (t.p10 || t.p90)) Broken("a manual KPI's target has a band", k.id);
      if (!k.manual && !(t.p10 && t.p90 && *t.p10 <= t.value && t.value <= *t.p90)) {
        Broken("a scenario KPI's target is not inside its band", k.id + " " + t.date);
      }
    }
  }
  ids.clear();
  for (const bmil::control::Milestone& m : plan.milestones) {
    if (!ids.insert(m.id).second) Broken("an accepted plan has a milestone twice", m.id);
    if (m.status != bmil::TaskStatus::kPlanned && m.status != bmil::TaskStatus::kOngoing) {
      Broken("a milestone is neither planned nor ongoing", m.id);
    }
    if (!IsDay(m.start)) Broken("a milestone's start is not a day", m.id);
    if (!m.due.empty() && (!IsDay(m.due) || m.due < m.start)) {
      Broken("a milestone's due day is not a day on or after its start", m.id);
    }
    if (m.effort && !(*m.effort >= 0)) Broken("a milestone's effort is negative", m.id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bmil::control::PlanReadResult read = bmil::control::ReadPlan(text, "fuzz.plan.json");
  if (read.value.has_value() == !read.problems.empty()) {
    Broken("a plan is returned exactly when there are no problems");
  }
  for (const bmil::Diagnostic& d : read.problems) {
    if (d.file != "fuzz.plan.json") Broken("a problem names another file", d.ToString());
    if (d.line == 0 && d.message.find("refused") == std::string::npos &&
        d.message.find("more problems not shown") == std::string::npos) {
      Broken("a problem without a location", d.ToString());
    }
  }
  if (!read.value) return 0;
  CheckPromises(*read.value);

  const std::string written = Text(*read.value);
  const bmil::control::PlanReadResult again = bmil::control::ReadPlan(written, "written.json");
  if (!again.value) {
    Broken("PlanJson wrote a plan the reader refuses",
           again.problems.front().ToString() + "\n" + written);
  }
  if (Text(*again.value) != written) Broken("a plan does not round-trip", written);
  return 0;
}
