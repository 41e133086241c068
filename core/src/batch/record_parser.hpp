// One record of a batch, parsed into the flat case view: the fast path when it vouches for
// the record, the validating loader otherwise (which accepts it or explains why not). The
// decision is exactly the loader's; only the speed differs (see fast_case_reader.hpp).
#ifndef BMIL_BATCH_RECORD_PARSER_HPP_
#define BMIL_BATCH_RECORD_PARSER_HPP_

#include <bmil/abi.h>
#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/registry.hpp>

#include "batch/fast_case_reader.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

// "record of 17 MiB [or more], larger than the limit of 16 MiB; not read": how a batch reports
// a record over the size limit, with its exact size (`at_least`: only a lower bound is known).
std::string OversizeMessage(std::uint64_t bytes, std::size_t limit, bool at_least);

class RecordParser {
 public:
  RecordParser(const Registry& registry, const LoadLimits& limits);

  // Parses `text`, a record followed in memory by FastCaseReader::kPadding readable bytes.
  // Returns its view (valid until the next Parse()), or nullptr after putting the loader's
  // diagnostics in `problems`, labelled with `file` and, when `line` > 0, that line of the
  // file (a JSONL record is one line). Not thread-safe: one parser per thread.
  const bmil_case_view* Parse(std::string_view text, std::string_view file, std::uint64_t line,
                              std::vector<Diagnostic>& problems);

  // Memory most strings of the last view Parse() returned point into, guarded whole by
  // ViewGuard (FastCaseReader::StringRegion); empty when the loader read the record.
  std::string_view StringRegion() const {
    return last_fast_ ? fast_reader_.StringRegion() : std::string_view();
  }

  // How many records the fast path took, and how many went to the loader.
  std::uint64_t fast() const { return fast_; }
  std::uint64_t loaded() const { return loaded_; }

 private:
  const Registry& registry_;
  LoadLimits limits_;
  FastCaseReader fast_reader_;
  std::unique_ptr<FlatCase> flat_;  // the loader's record, when the fast path declined
  std::uint64_t fast_ = 0;
  std::uint64_t loaded_ = 0;
  bool last_fast_ = false;  // whether the last view came from the fast path
};

}  // namespace bmil

#endif  // BMIL_BATCH_RECORD_PARSER_HPP_
