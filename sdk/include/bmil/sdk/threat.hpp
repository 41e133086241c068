// Threat rules of leadership lines (Lindgren 2012, Table 2) and their evaluation, shared by
// the line plugins' assess() and by analyzers that check every line's threats.
#ifndef BMIL_SDK_THREAT_HPP_
#define BMIL_SDK_THREAT_HPP_

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::sdk {

// When a threat of the line counts as triggered for one business model: the share of the
// model's BMI tasks led through this line is at least `min_share` (and the model has at
// least `min_tasks` tasks), and, when `absent_block` is set, no task of the model touches
// that block.
struct ThreatRule {
  std::string code;    // stable id, e.g. "customer.no_business_in_bmi"
  std::string threat;  // what the threat is, in words
  double min_share = 0.5;
  std::size_t min_tasks = 3;
  std::string absent_block;  // e.g. "value_formula"; empty = no such condition
  std::string source;        // e.g. "Lindgren 2012, Table 2"
};

// What a threat rule looks at in one business model.
struct ThreatCounts {
  std::size_t tasks = 0;               // BMI tasks on the model
  std::size_t line_tasks = 0;          // of which led through the line
  std::size_t absent_block_tasks = 0;  // tasks touching the rule's absent_block (if any)
};

// Whether `rule` is triggered by `counts` (see ThreatRule).
inline bool ThreatTriggered(const ThreatRule& rule, const ThreatCounts& counts) {
  const double share = counts.tasks == 0 ? 0.0
                                         : static_cast<double>(counts.line_tasks) /
                                               static_cast<double>(counts.tasks);
  return counts.tasks >= rule.min_tasks && share >= rule.min_share &&
         (rule.absent_block.empty() || counts.absent_block_tasks == 0);
}

// The evidence of AssessThreat(rule, line_code, model, counts): the line's share of the
// model's tasks and, for a rule with an absent_block, how many tasks touch that block. For
// callers that need the wording without the rest of the JSON (an analyzer, once per model).
inline std::vector<std::string> ThreatEvidence(const ThreatRule& rule, std::string_view line_code,
                                               std::string_view model, const ThreatCounts& counts) {
  std::vector<std::string> evidence;
  evidence.reserve(rule.absent_block.empty() ? 1 : 2);
  evidence.push_back(std::to_string(counts.line_tasks) + " of " + std::to_string(counts.tasks) +
                     " BMI tasks on " + std::string(model) + " are led through " +
                     std::string(line_code));
  if (!rule.absent_block.empty()) {
    evidence.push_back(std::to_string(counts.absent_block_tasks) + " BMI tasks touch " +
                       rule.absent_block);
  }
  return evidence;
}

// The rule's outcome for one model, with its evidence, as assess() reports it:
// {"code","threat","triggered","evidence":[...],"min_share","min_tasks","absent_block","source"}.
// `line_code` is the line's code (e.g. "CIL"), `model` the business model's id.
inline nlohmann::ordered_json AssessThreat(const ThreatRule& rule, std::string_view line_code,
                                           std::string_view model, const ThreatCounts& counts) {
  return {{"code", rule.code},
          {"threat", rule.threat},
          {"triggered", ThreatTriggered(rule, counts)},
          {"evidence", ThreatEvidence(rule, line_code, model, counts)},
          {"min_share", rule.min_share},
          {"min_tasks", rule.min_tasks},
          {"absent_block", rule.absent_block},
          {"source", rule.source}};
}

// A rule from the "threats" array of a line's describe() output.
inline ThreatRule ThreatRuleFromJson(const nlohmann::json& j) {
  ThreatRule rule;
  rule.code = j.at("code").get<std::string>();
  rule.threat = j.value("threat", "");
  rule.min_share = j.at("min_share").get<double>();
  rule.min_tasks = j.at("min_tasks").get<std::size_t>();
  rule.absent_block = j.value("absent_block", "");
  rule.source = j.value("source", "");
  return rule;
}

}  // namespace bmil::sdk

#endif  // BMIL_SDK_THREAT_HPP_
