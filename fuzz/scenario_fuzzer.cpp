// Fuzzes the scenario reader and apply (core/src/scenario/), which read files a user hands
// to `bmil scenario apply|diff`. Beyond "no crash, no hang, no leak, no undefined behaviour,
// no exception":
//  - a scenario is returned exactly when there are no problems, and every problem is
//    located (a line and column, or the whole file for a size limit);
//  - an accepted scenario is applied to a small fixed base (with the base check off, since
//    the fuzzer cannot know the base's hash): the result is a case exactly when there are no
//    problems, every problem names the scenario file or the base, and an applied case
//    loads again from the text apply wrote, to the same text;
//  - Diff() of an accepted scenario with itself is empty.
#include "scenario/apply.hpp"
#include "scenario/diff.hpp"
#include "scenario/scenario.hpp"

#include "fuzz_support.hpp"

#include <bmil/case_io.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using bmil::fuzz::Broken;

namespace {

// Two models (one with figures, one TO BE), one portfolio, one task.
constexpr std::string_view kBase = R"({
  "bmil": "1.0",
  "business": {"id": "base", "name": "Base"},
  "portfolios": [{"id": "main", "name": "Main", "business_models": ["core"]}],
  "business_models": [
    {"id": "core", "name": "Core", "state": "as_is", "stage": "market",
     "industries": [{"id": "machinery", "status": "home"}],
     "building_blocks": {"value_formula": {"revenue": 1000, "cost": 800, "customers": 10}}},
    {"id": "next", "name": "Next", "state": "to_be", "stage": "concept"}
  ],
  "bmi_tasks": [{"id": "t1", "business_model": "core", "building_blocks": ["customers"],
                 "leadership_lines": ["customer"]}]
})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bmil::scenario::ReadResult read = bmil::scenario::ReadScenario(text, "fuzz.scenario.json");
  if (read.value.has_value() == !read.problems.empty()) {
    Broken("a scenario is returned exactly when there are no problems");
  }
  for (const bmil::Diagnostic& d : read.problems) {
    if (d.line == 0 && d.message.find("refused") == std::string::npos &&
        d.message.find("more problems not shown") == std::string::npos) {
      Broken("a problem without a location", d.ToString());
    }
  }
  if (!read.value) return 0;
  const bmil::scenario::Scenario& s = *read.value;
  if (!bmil::scenario::Diff(s, s).empty()) Broken("a scenario differs from itself");

  const bmil::Registry& registry = bmil::fuzz::BundledRegistry();
  const bmil::scenario::ApplyResult applied =
      bmil::scenario::Apply(s, kBase, "base.json", registry, /*check_base_hash=*/false);
  if (applied.value.has_value() == !applied.problems.empty()) {
    Broken("an applied case is returned exactly when there are no problems");
  }
  for (const bmil::Diagnostic& d : applied.problems) {
    if (d.file != "fuzz.scenario.json" && d.file != "base.json") {
      Broken("a problem names neither the scenario nor the base", d.ToString());
    }
  }
  if (!applied.value) return 0;
  const bmil::LoadResult again = bmil::LoadCaseText(applied.case_text, "applied.json", registry);
  if (!again.ok()) {
    Broken("apply wrote a case the loader refuses",
           again.diagnostics.front().ToString() + "\n" + applied.case_text);
  }
  if (bmil::WriteCaseText(*again.value) != applied.case_text) {
    Broken("the applied case does not round-trip", applied.case_text);
  }
  return 0;
}
