#include "batch/record_parser.hpp"

#include "io/case_rules.hpp"

#include <limits>
#include <string>

namespace bmil {

std::string OversizeMessage(std::uint64_t bytes, std::size_t limit, bool at_least) {
  return "record of " + std::string(at_least ? "at least " : "") + rules::ExactSize(bytes) +
         ", larger than the limit of " + rules::ExactSize(limit) + "; not read";
}

RecordParser::RecordParser(const Registry& registry, const LoadLimits& limits)
    : registry_(registry), limits_(limits), fast_reader_(registry) {}

const bmil_case_view* RecordParser::Parse(std::string_view text, std::string_view file,
                                          std::uint64_t line, std::vector<Diagnostic>& problems) {
  if (text.size() > limits_.max_bytes) {
    // Said the way the batch reader says it for records too long to hold at all.
    problems.push_back({std::string(file), 0, 0, "",
                        OversizeMessage(text.size(), limits_.max_bytes, /*at_least=*/false)});
    ++loaded_;
    return nullptr;
  }
  last_fast_ = false;
  if (fast_reader_.Read(text)) {
    last_fast_ = true;
    ++fast_;
    return &fast_reader_.view();
  }
  ++loaded_;
  LoadResult result = LoadCaseText(text, file, registry_, limits_);
  if (result.ok()) {
    flat_ = std::make_unique<FlatCase>(*result.value, registry_);
    return &flat_->view();
  }
  for (Diagnostic& d : result.diagnostics) {
    // A JSONL record is one line: the parser's line 1 is the file's line `line`.
    if (line > 0 && d.line != 0) {
      d.line = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(line, std::numeric_limits<std::uint32_t>::max()));
    }
    problems.push_back(std::move(d));
  }
  return nullptr;
}

}  // namespace bmil
