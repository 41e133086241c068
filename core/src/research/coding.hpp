// What two or more coders coded for the same businesses (docs/agreement.md): matching their
// cases, and the units and variables on which the agreement statistics (agreement.hpp) are
// computed. A pure library over loaded cases: no I/O, deterministic, thread-compatible.
#ifndef BMIL_CORE_RESEARCH_CODING_HPP_
#define BMIL_CORE_RESEARCH_CODING_HPP_

#include "research/agreement.hpp"

#include <bmil/model.hpp>
#include <bmil/registry.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace bmil::research {

// One coder's material: the cases they coded (at most one per business id).
struct Coder {
  std::string name;    // as reports show it, e.g. "coder_a"
  std::string origin;  // where the cases came from, as given on the command line
  std::vector<Case> cases;
};

// One business model or BMI task as the coders coded it: members[c] is coder c's version,
// null when coder c did not code it (or has no case of the business).
template <typename T>
struct Matched {
  std::string id;  // the id of the first coder's member: the consensus id
  std::vector<const T*> members;
  std::size_t coded_by() const {
    std::size_t n = 0;
    for (const T* m : members) n += m != nullptr;
    return n;
  }
};

// How one member joined its match when ids alone did not match it.
struct MatchNote {
  std::string business;
  std::string kind;  // "business model" or "BMI task"
  std::string id;    // the match's id (first coder's)
  std::size_t coder = 0;
  std::string coder_id;  // the member's own id
  std::string how;       // "same name", "84% of the words of description, blocks and lines"
};

struct MatchedBusiness {
  std::string id;
  std::vector<const Case*> cases;  // per coder; null when the coder has no case of it
  std::vector<Matched<BusinessModel>> models;
  std::vector<Matched<BmiTask>> tasks;
  std::size_t coded_by() const {
    std::size_t n = 0;
    for (const Case* c : cases) n += c != nullptr;
    return n;
  }
};

struct Matching {
  std::size_t coders = 0;
  std::vector<MatchedBusiness> businesses;  // sorted by id
  std::vector<MatchNote> notes;             // every match made by content, in order found
};

// The content-match threshold: a pair scoring below it is not matched (docs/agreement.md).
inline constexpr double kContentMatchThreshold = 0.5;

// Matches the coders' cases. Businesses by business id. Within a business the coders are
// taken in order, the first coder's models and tasks opening one match each; each later
// coder's entity joins, first, the match holding an entity of the same id (and no entity of
// this coder yet); then, among what is left, the best-scoring match by content (greedy,
// highest score first, ties by position), scoring at least kContentMatchThreshold:
// - models: 1 when their names are equal ignoring case and punctuation, else the Jaccard
//   similarity of the words (3+ letters, lower case) of name and description;
// - tasks: only within the same model match; 0.6 x the Jaccard similarity of the words of
//   the description + 0.4 x that of the sets of block and line ids.
// An entity that matches nothing opens its own match (coded by this coder only so far).
// The matches a later coder makes depend on the earlier coders' (the order of the coders
// can change which pairs are matched when content is ambiguous; ids never depend on it).
Matching MatchCases(std::span<const Coder> coders);

enum class UnitKind { kModel, kCell, kTask };

// "business model", "canvas cell" or "BMI task".
const char* UnitKindName(UnitKind kind);

// One coded variable: its values are 1..labels.size(), value v meaning labels[v - 1].
struct CodedVariable {
  std::string id;        // "model.state", "cell.bmi", "task.phase", ...
  std::string question;  // what the coders decided, as a sentence fragment
  UnitKind unit = UnitKind::kModel;
  Level level = Level::kNominal;
  std::vector<std::string> labels;
};

// The variables, in report order (docs/agreement.md, "Units and variables"):
// model.state (nominal), model.stage (ordinal: idea < concept < prototype < market <
// retired), cell.bmi (nominal: whether a BMI task of the model is on that line and block),
// task.action (nominal), task.phase (ordinal: before < during < after), task.stance and
// task.perspective (nominal).
std::vector<CodedVariable> CaseVariables();

// One unit of a variable: where it is and each coder's value (missing: not coded, or not
// stated).
struct CodedUnit {
  std::string business;
  std::string unit;  // "model water_cleaning", "task pv01", "cell water_cleaning value x ..."
  std::vector<std::optional<double>> values;  // per coder
  std::vector<bool> coded;  // per coder: the coder coded the unit's entity (a value may
                            // still be missing: not stated)
};

struct VariableData {
  CodedVariable variable;
  std::vector<CodedUnit> units;  // in business, then match order
  // The reliability data matrix of `units` (units x coders).
  ReliabilityData Matrix(std::size_t coders) const;
};

// Every variable's units. Canvas cells: for each model match, one unit per line of
// `registry` x block of `registry`; a coder who coded the model has 1 where one of their
// tasks of that model names both the line and the block, else 2 ("no"), and a coder who did
// not code the model is missing. Model and task variables: a coder's stated value, missing
// when unstated or not coded.
std::vector<VariableData> BuildVariables(const Matching& matching, const Registry& registry);

}  // namespace bmil::research

#endif  // BMIL_CORE_RESEARCH_CODING_HPP_
