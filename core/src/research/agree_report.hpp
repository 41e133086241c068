// The report of `bmil agree` (docs/agreement.md): agreement of two or more coders per coded
// variable and overall, how their cases were matched, and every disagreement, as text,
// Markdown, HTML, JSON or CSV.
#ifndef BMIL_CORE_RESEARCH_AGREE_REPORT_HPP_
#define BMIL_CORE_RESEARCH_AGREE_REPORT_HPP_

#include "research/agreement.hpp"
#include "research/coding.hpp"

#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace bmil::research {

struct VariableAgreement {
  CodedVariable variable;
  AgreementReport report;
};

// A unit on which the coders who coded it did not all write the same, or an entity (a
// business, model or task) that not every coder coded. Each appears once.
struct Disagreement {
  std::string business;
  std::string unit;      // "model mobile_units", "task pv01", "cell m value x customers"
  std::string variable;  // a CodedVariable id, or "coded" for an entity not every coder coded
  // Per coder: the value's label, "not stated", or "not coded".
  std::vector<std::string> values;
};

struct CoderSummary {
  std::string name, origin;
  std::size_t cases = 0;
};

// Counts of one kind of entity (business models or BMI tasks) after matching.
struct MatchCounts {
  std::size_t by_id = 0;       // coded by two or more coders, all members sharing one id
  std::size_t by_content = 0;  // coded by two or more coders, some member joined by content
  std::size_t single = 0;      // coded by one coder only
};

struct AgreeResult {
  std::vector<CoderSummary> coders;
  AgreementOptions options;
  std::size_t businesses = 0;
  std::vector<std::string> partial_businesses;  // "aikon (coded by coder_a only)"
  MatchCounts models, tasks;
  std::vector<MatchNote> notes;
  std::vector<VariableAgreement> variables;  // CaseVariables() order
  // Every unit of every variable in one nominal matrix (a variable's values kept apart
  // from the others'), so "overall" weighs each variable by its pairable values.
  VariableAgreement overall;
  std::vector<Disagreement> disagreements;  // business, then variable order, then unit
};

// Matches the coders' cases (MatchCases), builds the variables (BuildVariables) and
// computes the agreement of each and overall with `options` (its level is replaced by
// each variable's own). Deterministic for a given options.seed.
AgreeResult Agree(std::span<const Coder> coders, const Registry& registry,
                  const AgreementOptions& options);
// The same over a matching already made by MatchCases(coders) (bmil agree --reconcile uses
// it again for the consensus cases).
AgreeResult Agree(std::span<const Coder> coders, const Matching& matching, const Registry& registry,
                  const AgreementOptions& options);

// The report in each format. Text fits 80 columns; Markdown is the same content as tables;
// HTML is one self-contained page; CSV has one row per variable and an "overall" row, the
// numbers as numbers (empty when undefined, the reason in alpha_note).
nlohmann::ordered_json AgreeJson(const AgreeResult& result);
std::string AgreeText(const AgreeResult& result, bool markdown);
std::string AgreeHtml(const AgreeResult& result);
std::string AgreeCsv(const AgreeResult& result);

}  // namespace bmil::research

#endif  // BMIL_CORE_RESEARCH_AGREE_REPORT_HPP_
