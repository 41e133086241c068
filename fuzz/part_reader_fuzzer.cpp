// Fuzzes what `bmil merge` does with a .bmilpart file before any plugin sees it: UnsealPart
// (core/src/batch/part_format.hpp: the checksum) and ReadPart (core/src/batch/part_reader.hpp:
// the body). The fuzzer cannot forge an XXH3 checksum, so the input is read twice: as a part
// file (unsealed, then read when the checksum holds) and as a body (read as it is), which
// lets mutations of the seed bodies reach every check of the reader.
// Beyond "no crash, no hang, no leak, no undefined behaviour, no exception":
//  - sealing round-trips: UnsealPart(SealPart(body)) is the body, for any "{...}" text;
//  - a part the reader accepts is one a merge can trust: its counts add up, every analyzer
//    is listed once, a null state has its failure recorded, every state is JSON that
//    nlohmann::json (what the analyzers' SDK reads it with) reads, every input's digest is
//    32 lower-case hex digits or empty (docs/schema/part.schema.json); its listing caps are
//    none, {"max_rows": N > 0} or {"all": true}; and comparing its plugin set with the
//    bundled one works;
//  - its per-business rows (business_metrics) are appended whole or refused with a reason,
//    leaving nothing; rows appended write back (PartJson) as rows that append to the same
//    table.
#include "batch/part_format.hpp"
#include "batch/part_reader.hpp"
#include "engine/business_metrics.hpp"

#include "fuzz_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace {

using bmil::fuzz::Broken;

// The plugin set of a bmil with its bundled plugins, as PluginSet writes it.
const nlohmann::ordered_json& BundledPlugins() {
  static const nlohmann::ordered_json plugins = [] {
    nlohmann::ordered_json set = nlohmann::ordered_json::array();
    for (const char* line :
         {"value", "customer", "value_chain", "competence", "network", "relation", "process"}) {
      set.push_back({{"id", line}, {"version", "1.0.0"}, {"kind", "line"}});
    }
    for (const char* analyzer :
         {"blind_spots", "block_focus", "canvas", "horizontal", "line_mix", "orchestration",
          "portfolio", "strategy_profile", "swot_risk", "vertical"}) {
      set.push_back({{"id", analyzer}, {"version", "1.0.0"}, {"kind", "analyzer"}});
    }
    return set;
  }();
  return plugins;
}

// 32 lower-case hex digits, as part.schema.json and StreamDigest::Hex() write an XXH3-128: an
// input's identity is compared as text, so "D5E5..." is another input than "d5e5...".
bool IsHexDigest(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void CheckBody(std::string_view body) {
  auto read = bmil::ReadPart(body);
  auto* part = std::get_if<bmil::PartContent>(&read);
  if (part == nullptr) {
    if (std::get<std::string>(read).empty()) Broken("ReadPart refused without saying why");
    return;
  }
  const bmil::BatchCounts& c = part->counts;
  if (c.analyzed > c.records || c.rejected != c.records - c.analyzed || c.fast_path > c.analyzed) {
    Broken("ReadPart accepted counts that do not add up");
  }
  for (const bmil::PartInput& input : part->inputs) {
    if (!input.digest.empty() && !IsHexDigest(input.digest)) {
      Broken("ReadPart accepted an input digest that is not 32 lower-case hex digits",
             input.digest);
    }
  }
  for (std::size_t i = 0; i < part->analyzers.size(); ++i) {
    const bmil::PartAnalyzer& a = part->analyzers[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (part->analyzers[j].plugin == a.plugin) Broken("an analyzer listed twice", a.plugin);
    }
    if (!a.state) {
      const bool explained =
          std::any_of(part->failures.begin(), part->failures.end(),
                      [&](const bmil::PartFailure& f) { return f.plugin == a.plugin; });
      if (!explained) Broken("a null state without its failure", a.plugin);
    } else if (!nlohmann::json::accept(*a.state)) {
      Broken("an analyzer state that nlohmann::json does not read", *a.state);
    }
  }
  const nlohmann::json& l = part->listing;
  const bool listing_ok =
      l.is_null() ||
      (l.size() == 1 && ((l.contains("max_rows") && l["max_rows"].is_number_unsigned() &&
                          l["max_rows"].get<std::uint64_t>() > 0) ||
                         (l.contains("all") && l["all"] == true)));
  if (!listing_ok) Broken("ReadPart accepted listing caps that are none of the three", l.dump());
  if (part->business_metrics) {
    bmil::BusinessMetrics rows;
    const std::string problem = rows.AppendPart(*part->business_metrics);
    auto csv = [](const bmil::BusinessMetrics& m) {
      std::string out;
      if (!m.WriteCsv([&out](std::string_view chunk) {
            out += chunk;
            return true;
          }))
        Broken("the per-business rows could not be written");
      return out;
    };
    if (!problem.empty()) {
      if (rows.businesses() != 0) Broken("refused rows were appended", problem);
    } else {
      bmil::BusinessMetrics again;
      if (const std::string back = again.AppendPart(rows.PartJson()); !back.empty())
        Broken("rows written by PartJson are refused", back);
      if (csv(again) != csv(rows)) Broken("rows written by PartJson read back otherwise");
    }
  }
  (void)bmil::PluginSetDifference(part->plugins, BundledPlugins());
  (void)bmil::PluginSetDifference(BundledPlugins(), part->plugins);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const bmil::Result<std::string> unsealed = bmil::UnsealPart(text);
  if (unsealed.ok()) CheckBody(*unsealed);
  CheckBody(text);

  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    const bmil::Result<std::string> back = bmil::UnsealPart(bmil::SealPart(text));
    if (!back.ok()) Broken("UnsealPart refuses what SealPart wrote", back.error());
    if (*back != text) Broken("UnsealPart(SealPart(body)) is not the body");
  }
  return 0;
}
