// Reading the body of a sealed .bmilpart (after UnsealPart) into what a merge needs,
// refusing anything that does not add up: wrong types, unknown or duplicate members,
// impossible counts, a null state without its failure, an analyzer listed twice.
#ifndef BMIL_CORE_BATCH_PART_READER_HPP_
#define BMIL_CORE_BATCH_PART_READER_HPP_

#include <bmil/batch.hpp>

#include "batch/part_format.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bmil {

struct PartAnalyzer {
  std::string plugin;
  std::string version;
  std::optional<std::string> state;  // minified JSON; nullopt: the analyzer failed there
};

struct PartFailure {
  std::string plugin;
  std::string call;
  int status = 0;
  std::string message;
};

struct PartContent {
  BatchCounts counts;
  std::vector<PartInput> inputs;
  nlohmann::ordered_json plugins;  // [{"id","version","kind"}], as PluginSet writes it
  std::vector<PartAnalyzer> analyzers;
  std::vector<PartFailure> failures;
  // The optional "business_metrics" member (bmil batch --partial with --metrics), minified;
  // its shape is checked by whoever uses it (BusinessMetrics::AppendPart).
  std::optional<std::string> business_metrics;
  // The listing caps the states were made with, as ListingOptions::ToJson() writes them:
  // {"max_rows": N} or {"all": true}; null when the part has none (the defaults).
  nlohmann::json listing;
};

// Parses `body` (at most kMaxPartBytes, nested at most kMaxPartDepth) and checks it.
// Returns the content, or what is wrong with a JSON pointer: "/counts/analyzed: 12 analyzed
// and 0 rejected, but 10 records read". Never throws.
std::variant<PartContent, std::string> ReadPart(std::string_view body);

// How two plugin sets ([{"id","version","kind"}]) differ, for a message: "sustainability
// 0.1.0 wrote it and is not loaded here; value 1.1.0 wrote it, 1.0.0 is loaded here"; ""
// when they are the same.
std::string PluginSetDifference(const nlohmann::ordered_json& part,
                                const nlohmann::ordered_json& here);

}  // namespace bmil

#endif  // BMIL_CORE_BATCH_PART_READER_HPP_
