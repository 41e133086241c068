// Fuzzes the decision record reader (ReadDecision, core/src/control/adopt.hpp), which reads
// the decision.json a user hands to `bmil plan adopt` (docs/control.md, "The plan";
// docs/schema/decision.schema.json), and Adopt on what it accepts. Beyond "no crash, no
// hang, no leak, no undefined behaviour, no exception":
//  - a decision is returned exactly when there are no problems, and every problem is
//    located (a line and column), but for the note that more were not shown;
//  - an accepted decision keeps the record's promises: every series' years increase with
//    bands p10 <= p50 <= p90, every task is planned or ongoing with dates a case allows;
//  - adopting it, on a small fixed base of the decision's business, gives a plan exactly
//    when there are no problems, and the plan `bmil plan adopt` would write is one the plan
//    reader accepts and that writes back to the same text.
#include "control/adopt.hpp"
#include "control/plan.hpp"
#include "io/digest.hpp"

#include "fuzz_support.hpp"

#include <bmil/case_io.hpp>
#include <bmil/model.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

using bmil::fuzz::Broken;

namespace {

constexpr const char* kFile = "fuzz.decision.json";

// One model on the market with figures, one without, one TO BE; models of the example
// decisions' (aikon's) ids, so that some baselines are found. The business id is set to the
// decision's before adopting.
constexpr std::string_view kBase = R"({
  "bmil": "1.0",
  "business": {"id": "base", "name": "Base"},
  "business_models": [
    {"id": "design_products", "name": "Design products", "state": "as_is", "stage": "market",
     "building_blocks": {"value_formula": {"revenue": 1000, "cost": 800, "customers": 10}}},
    {"id": "online_shop", "name": "Online shop", "state": "as_is", "stage": "market"},
    {"id": "contract_development", "name": "Contract development", "state": "to_be",
     "stage": "concept"}
  ]
})";

const bmil::Case& Base() {
  static const bmil::Case base = [] {
    bmil::LoadResult loaded = bmil::LoadCaseText(kBase, "base.json", bmil::fuzz::BundledRegistry());
    if (!loaded.ok()) Broken("the fixed base is refused", loaded.diagnostics.front().ToString());
    return std::move(*loaded.value);
  }();
  return base;
}

std::string Text(const bmil::control::Plan& plan) {
  return bmil::control::PlanJson(plan).dump(2, ' ', false,
                                            nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bmil::control::DecisionReadResult read = bmil::control::ReadDecision(text, kFile);
  if (read.value.has_value() == !read.problems.empty()) {
    Broken("a decision is returned exactly when there are no problems");
  }
  for (const bmil::Diagnostic& d : read.problems) {
    if (d.file != kFile) Broken("a problem names another file", d.ToString());
    if (d.line == 0 && d.message.find("refused") == std::string::npos &&
        d.message.find("more problems not shown") == std::string::npos) {
      Broken("a problem without a location", d.ToString());
    }
  }
  if (!read.value) return 0;
  const bmil::control::Decision& decision = *read.value;

  for (const bmil::control::ExpectedSeries& s : decision.kpis) {
    for (std::size_t i = 0; i < s.years.size(); ++i) {
      const bmil::control::SeriesBand& y = s.years[i];
      if (!(y.p10 <= y.p50 && y.p50 <= y.p90)) Broken("an accepted band is not ordered", s.id);
      if (i > 0 && !(s.years[i - 1].year < y.year)) Broken("a series' years do not increase", s.id);
    }
  }
  for (const bmil::control::DecisionTask& t : decision.tasks) {
    if (t.status != bmil::TaskStatus::kPlanned && t.status != bmil::TaskStatus::kOngoing) {
      Broken("an accepted task is neither planned nor ongoing", t.id);
    }
    if ((!t.start.empty() && bmil::control::DayOf(t.start, false).empty()) ||
        (!t.end.empty() && bmil::control::DayOf(t.end, true).empty())) {
      Broken("an accepted task's date is not one a case allows",
             t.id + ": " + t.start + " " + t.end);
    }
  }

  bmil::Case base = Base();
  base.business.id = decision.business;
  const bmil::control::AdoptResult adopted = bmil::control::Adopt(
      decision, "decision.json", bmil::DigestHex(text), base, bmil::control::AdoptOptions{});
  if (adopted.value.has_value() == !adopted.problems.empty()) {
    Broken("a plan is adopted exactly when there are no problems");
  }
  if (!adopted.value) return 0;
  const std::string written = Text(*adopted.value);
  const bmil::control::PlanReadResult again = bmil::control::ReadPlan(written, "plan.json");
  if (!again.value) {
    Broken("Adopt made a plan the plan reader refuses",
           again.problems.front().ToString() + "\n" + written);
  }
  if (Text(*again.value) != written) Broken("an adopted plan does not round-trip", written);
  return 0;
}
