// Fuzzes the case loader (LoadCaseText, bmil/case_io.hpp) on arbitrary bytes, with the
// registry of the bundled lines. Beyond "no crash, no hang, no leak, no undefined behaviour":
//  - a case is returned exactly when there are no diagnostics (LoadResult's contract);
//  - no exception reached the loader's last-resort catch ("cannot load the case: ..."):
//    that catch is for running out of memory, and anything else caught there is a bug;
//  - reporting stops at max_errors, plus the one note that says so;
//  - a loaded case round-trips: WriteCaseText() of it loads back to an equal case, and
//    writing that gives the same text again;
//  - its flat view (FlatCase, what every plugin reads) can be read in full.
#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>

#include "case_mutator.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using bmil::fuzz::Broken;

constexpr std::string_view kLastResort = "cannot load the case: ";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bmil::Registry& registry = bmil::fuzz::BundledRegistry();
  const bmil::LoadLimits limits;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const bmil::LoadResult loaded = bmil::LoadCaseText(text, "fuzz.json", registry, limits);
  if (loaded.ok() != loaded.diagnostics.empty()) {
    Broken("LoadResult: a case is returned exactly when there are no diagnostics");
  }
  for (const bmil::Diagnostic& d : loaded.diagnostics) {
    if (d.message.starts_with(kLastResort)) {
      Broken("the loader caught an exception from its own validation", d.ToString());
    }
  }
  if (loaded.diagnostics.size() > limits.max_errors + 1) {
    Broken("the loader reported more than max_errors problems and the note",
           std::to_string(loaded.diagnostics.size()));
  }
  if (!loaded.ok()) return 0;
  bmil::fuzz::RememberedCases().Remember(text);

  const std::string written = bmil::WriteCaseText(*loaded.value);
  const bmil::LoadResult reloaded = bmil::LoadCaseText(written, "written.json", registry, limits);
  if (!reloaded.ok()) {
    Broken("WriteCaseText wrote a case the loader refuses",
           reloaded.diagnostics.front().ToString() + "\n" + written);
  }
  if (!(*reloaded.value == *loaded.value)) {
    Broken("LoadCaseText(WriteCaseText(c)) is not c", written);
  }
  if (bmil::WriteCaseText(*reloaded.value) != written) {
    Broken("writing a case read back from its own text gives other text", written);
  }

  const bmil::FlatCase flat(*loaded.value, registry);
  if (bmil::fuzz::WireBytes(flat.view()).empty()) Broken("a flat view encodes to nothing");
  return 0;
}

// Structure-aware mutations, a quarter of them of valid cases met before (case_mutator.hpp):
// the round trip is checked often, and the refusals of near-valid cases are explored.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  return bmil::fuzz::MutateCase(data, size, max_size, seed, /*from_valid=*/0.25);
}
