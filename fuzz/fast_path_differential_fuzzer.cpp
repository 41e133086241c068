// Differential fuzzing of the batch fast path against the validating loader on the same
// record: one definition of a valid case (core/src/batch/fast_case_reader.hpp).
//
// The fast path only ever accepts; declining is always allowed (the batch then asks the
// loader). So the properties are the ones tests/core/batch/fast_case_reader_test.cpp holds
// it to, on arbitrary bytes read through RecordParser (the batch's own entry: the fast path,
// else the loader):
//  - a record the fast path accepts, the loader accepts too;
//  - and then both give the same flat view, field by field: the two views' runner-protocol
//    encodings (wire::EncodeView, every field a plugin can read) are equal bytes.
// The record is followed by FastCaseReader::kPadding bytes of '"' (padding whose value "does
// not matter"; a quote is the value most likely to matter if the fast path ever read it),
// in an allocation of exactly that size, so AddressSanitizer sees any read past the padding.
// The mutator mostly starts from valid records met before and makes changes that keep a case
// valid (case_mutator.hpp), so that many executions reach the comparison.
#include "batch/fast_case_reader.hpp"
#include "batch/record_parser.hpp"

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>

#include "case_mutator.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using bmil::fuzz::Broken;

constexpr std::string_view kFile = "record.jsonl";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bmil::Registry& registry = bmil::fuzz::BundledRegistry();
  static bmil::RecordParser parser(registry, bmil::LoadLimits{});

  const std::size_t padded_size = size + bmil::FastCaseReader::kPadding;
  const std::unique_ptr<char[]> padded(new char[padded_size]);
  if (size > 0) std::memcpy(padded.get(), data, size);
  std::memset(padded.get() + size, '"', bmil::FastCaseReader::kPadding);
  const std::string_view record(padded.get(), size);

  std::vector<bmil::Diagnostic> problems;
  const std::uint64_t fast_before = parser.fast();
  const bmil_case_view* view = parser.Parse(record, kFile, 0, problems);
  const bool fast_accepted = parser.fast() != fast_before;
  if ((view != nullptr) != problems.empty()) {
    Broken("RecordParser: a view exactly when there are no problems");
  }
  if (view != nullptr) bmil::fuzz::RememberedCases().Remember(record);
  // Declined: the loader decided inside Parse(), and its decision is the batch's by
  // construction. Loading it again here would only halve the executions per second.
  if (!fast_accepted) return 0;

  if (view == nullptr) Broken("the fast path accepted but RecordParser gave no view");
  const std::string fast_bytes = bmil::fuzz::WireBytes(*view);
  const bmil::LoadResult loaded = bmil::LoadCaseText(record, kFile, registry);
  if (!loaded.ok()) {
    Broken("the fast path accepted a record the loader refuses",
           loaded.diagnostics.front().ToString());
  }
  const bmil::FlatCase flat(*loaded.value, registry);
  const std::string loader_bytes = bmil::fuzz::WireBytes(flat.view());
  if (fast_bytes != loader_bytes) {
    std::size_t at = 0;
    while (at < fast_bytes.size() && at < loader_bytes.size() && fast_bytes[at] == loader_bytes[at])
      ++at;
    Broken("the fast path's view differs from the loader's",
           "first different byte of the encoded views: " + std::to_string(at) + " of " +
               std::to_string(fast_bytes.size()) + " (fast) and " +
               std::to_string(loader_bytes.size()) + " (loader)");
  }
  return 0;
}

// Structure-aware mutations, mostly of valid records met before (fuzz/case_mutator.hpp).
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  return bmil::fuzz::MutateCase(data, size, max_size, seed, /*from_valid=*/0.75);
}
