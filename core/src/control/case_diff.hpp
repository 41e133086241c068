// How two versions of one case differ (`bmil diff`, docs/control.md, "Snapshots"): the
// business models created, excluded and changed, the BMI tasks added, completed, abandoned,
// dropped and changed, the portfolios, the strategy, and the fields of the business and its
// source. Models, tasks and portfolios are matched by id, never by position, and the order
// of a list (a task's blocks, a block's items, a portfolio's members) is no difference:
// lists are compared as multisets.
#ifndef BMIL_CORE_CONTROL_CASE_DIFF_HPP_
#define BMIL_CORE_CONTROL_CASE_DIFF_HPP_

#include <bmil/model.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bmil::control {

// One field whose value differs between OLD and NEW.
struct FieldChange {
  // Which field, relative to its model, task, portfolio or the strategy: "stage",
  // "industries.car_wash", "building_blocks.customers.items", "value_formula.revenue",
  // "period.end", "attributes.sponsor" (attributes key by key, at their top level);
  // "business.name" or "source.notes" for the other fields of the case.
  std::string field;
  // The values as the case format writes them (enumerations by name, lists as arrays, a
  // building block as its object); null where that side does not state the field. An
  // industry's value is its status.
  nlohmann::ordered_json from, to;
  // For a list, what NEW has beyond OLD and what OLD has that NEW lacks, each in its own
  // side's order; for a building block that appears or goes, its items.
  std::vector<std::string> added, removed;
  // For figures (value formula, effort, employees) stated on both sides, `from` not 0:
  // (to - from) / |from|.
  std::optional<double> relative;
  // For a stage stated on both sides: "advanced" or "went_back" along idea, concept,
  // prototype, market, or "reopened" out of retired. Otherwise "" (into retired too: the
  // model is excluded, which its kind says).
  std::string direction;
  // Free text (names, descriptions, items, goals, source texts): quoted in text output.
  bool text = false;
  bool operator==(const FieldChange&) const = default;
};

struct ModelDiff {
  // kExcluded: only OLD has the model, or its stage became retired.
  enum class Kind { kCreated, kExcluded, kChanged };
  Kind kind = Kind::kChanged;
  std::string id;
  // NEW's, or OLD's for a model only OLD has.
  std::string name;
  State state = State::kUnstated;
  Stage stage = Stage::kUnstated;
  bool retired = false;              // kExcluded by retirement (NEW still lists the model)
  std::vector<FieldChange> changes;  // empty for a model only one side has
  bool operator==(const ModelDiff&) const = default;
};

struct TaskDiff {
  // kCompleted, kAbandoned: the status became that one (other changes listed with it);
  // kChanged: any other change, another change of status included.
  enum class Kind { kAdded, kDropped, kCompleted, kAbandoned, kChanged };
  Kind kind = Kind::kChanged;
  std::string id;
  // NEW's, or OLD's for a dropped task.
  std::string business_model;
  std::string description;
  TaskStatus status = TaskStatus::kUnstated;
  std::vector<FieldChange> changes;  // empty for a task only one side has
  bool operator==(const TaskDiff&) const = default;
};

struct PortfolioDiff {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kChanged;
  std::string id;
  // NEW's, or OLD's for a removed portfolio.
  std::string name;
  std::vector<std::string> business_models;
  std::vector<FieldChange> changes;  // empty for a portfolio only one side has
  bool operator==(const PortfolioDiff&) const = default;
};

// How many of each kind of difference; what the summary line says.
struct CaseDiffCounts {
  std::size_t models_created = 0, models_excluded = 0, models_changed = 0;
  std::size_t tasks_added = 0, tasks_completed = 0, tasks_abandoned = 0, tasks_dropped = 0,
              tasks_changed = 0;
  std::size_t portfolios_added = 0, portfolios_removed = 0, portfolios_changed = 0;
  bool strategy_changed = false;
  std::size_t other_changed = 0;  // fields of the business and the source
  bool operator==(const CaseDiffCounts&) const = default;
};

struct CaseDiff {
  std::string old_business, new_business;  // the business ids
  std::string business_name;               // NEW's
  // Each list: NEW's order, then what only OLD has in OLD's order. Only what differs.
  std::vector<ModelDiff> models;
  std::vector<TaskDiff> tasks;
  std::vector<PortfolioDiff> portfolios;
  std::vector<FieldChange> strategy;  // a strategy only one side states: each stated field
  std::vector<FieldChange> other;     // business.* and source.*, in the format's order
  // True when nothing above differs.
  bool Empty() const;
  CaseDiffCounts Counts() const;
};

// What differs from `old_case` to `new_case`, two versions of one business. The business
// ids are compared like any other field (business.id); the caller refuses two different
// businesses beforehand. Fields not stated on either side are no difference, nor an
// `attributes` object that is empty on one side and absent on the other. Pure.
CaseDiff DiffCases(const Case& old_case, const Case& new_case);

// "2 models created, 1 excluded, 3 changed; 4 tasks added, 2 completed, 1 dropped; strategy
// changed": the counts that are not zero, models, tasks, portfolios, strategy, other fields
// in that order; "no differences" when all are zero. Pure.
std::string SummaryLine(const CaseDiffCounts& counts);

// The differences for people: the summary line, the two files, then a section per kind of
// item with each change as "field: from -> to". As text for a terminal (lines of at most 80
// columns: a word longer than a line is cut, a file name never), or as Markdown. Each
// string from the cases, and each file name, passes through TerminalSafe (text) or MarkdownText
// (Markdown). Pure.
std::string CaseDiffText(const CaseDiff& diff, const std::string& old_file,
                         const std::string& new_file, bool markdown);

// The differences as JSON, keys in a fixed order: {"bmil_case_diff": "1.0", "old": {"file",
// "business"}, "new": {...}, "summary": {"differ", the counts, "text"}, "models", "tasks",
// "portfolios", "strategy", "other"}; each change {"field", "from", "to"} with "added" and
// "removed" (lists), "relative_change" (figures) and "direction" (stage) where they apply.
// docs/control.md describes every key. Pure.
nlohmann::ordered_json CaseDiffJson(const CaseDiff& diff, const std::string& old_file,
                                    const std::string& new_file);

}  // namespace bmil::control

#endif  // BMIL_CORE_CONTROL_CASE_DIFF_HPP_
