// Consensus cases from two or more coders' cases (`bmil agree --reconcile`,
// docs/agreement.md, "Reconciling"): what the coders agree on is kept, what they do not is
// marked for the group to settle, and who coded what is written into the case.
#ifndef BMIL_CORE_RESEARCH_RECONCILE_HPP_
#define BMIL_CORE_RESEARCH_RECONCILE_HPP_

#include "research/coding.hpp"

#include <bmil/model.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace bmil::research {

// One value the coders did not agree on, in the consensus case.
struct ToSettle {
  std::string pointer;  // JSON pointer into the consensus case: "/business_models/1/state"
  std::string what;     // "model service_agreements: state"
  std::vector<std::string> values;  // per coder: the value written, "not stated", "not coded"
  std::string kept;  // what the consensus holds meanwhile: "not stated", "coder_a's value"
};

struct ConsensusCase {
  Case value;
  std::size_t agreed = 0;  // coded values every coder of the entity wrote alike, kept
  std::vector<ToSettle> to_settle;
};

// The notes of a consensus case's source stay within the case format's text limit
// (10,000 code points): the list of values to settle is cut there, the full list being in
// business.attributes.bmil_consensus.
inline constexpr std::size_t kMaxConsensusNotes = 9000;

// One consensus case per business of `matching` (made by MatchCases over `coders`), in its
// order. Rules (each applied per matched model and task):
// - the coded variables (model state and stage; task action, phase, stance, perspective;
//   a task's blocks and lines): a value every coder of the entity wrote alike is kept; else
//   an optional field is left unstated and a required one (state, blocks, lines) holds the
//   first coder's value (for blocks and lines: the ones all coders named, when there are
//   any), and the value is listed to settle;
// - an entity that not every coder of the business coded is kept and listed to settle
//   ("keep or drop");
// - every other field comes from the first coder who coded the entity; ids are the match
//   ids, references (a task's model, portfolios, carried_by) follow them;
// - source.citation and url are the first coder's; source.notes names every coder and
//   origin and lists what is to settle; business.attributes.bmil_consensus holds the same
//   as data ({"coders": [{"name", "origin"}], "to_settle": [{"pointer", "what", "values",
//   "kept"}]}).
std::vector<ConsensusCase> Reconcile(std::span<const Coder> coders, const Matching& matching);

}  // namespace bmil::research

#endif  // BMIL_CORE_RESEARCH_RECONCILE_HPP_
