// The host's model of a case (one business), as loaded from case format v1.
// See docs/data-format.md for every field, its allowed values and its source in
// Lindgren (2012). Plain value types: copyable, comparable, thread-compatible.
#ifndef BMIL_MODEL_HPP_
#define BMIL_MODEL_HPP_

#include <bmil/abi.h>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bmil {

// Enumerations share the ABI's numbering (bmil/abi.h), 0 being "not stated".
enum class State {
  kUnstated = BMIL_STATE_UNSTATED,
  kAsIs = BMIL_STATE_AS_IS,
  kToBe = BMIL_STATE_TO_BE
};
enum class Stage {
  kUnstated = BMIL_STAGE_UNSTATED,
  kIdea = BMIL_STAGE_IDEA,
  kConcept = BMIL_STAGE_CONCEPT,
  kPrototype = BMIL_STAGE_PROTOTYPE,
  kMarket = BMIL_STAGE_MARKET,
  kRetired = BMIL_STAGE_RETIRED
};
enum class Action {
  kUnstated = BMIL_ACTION_UNSTATED,
  kCreate = BMIL_ACTION_CREATE,
  kExclude = BMIL_ACTION_EXCLUDE,
  kKeep = BMIL_ACTION_KEEP,
  kUpgrade = BMIL_ACTION_UPGRADE,
  kDiminish = BMIL_ACTION_DIMINISH
};
enum class Level {
  kUnstated = BMIL_LEVEL_UNSTATED,
  kBuildingBlock = BMIL_LEVEL_BUILDING_BLOCK,
  kBusinessModel = BMIL_LEVEL_BUSINESS_MODEL,
  kPortfolio = BMIL_LEVEL_PORTFOLIO,
  kBusiness = BMIL_LEVEL_BUSINESS
};
enum class Phase {
  kUnstated = BMIL_PHASE_UNSTATED,
  kBefore = BMIL_PHASE_BEFORE,
  kDuring = BMIL_PHASE_DURING,
  kAfter = BMIL_PHASE_AFTER
};
enum class TaskStatus {
  kUnstated = BMIL_TASK_STATUS_UNSTATED,
  kPlanned = BMIL_TASK_STATUS_PLANNED,
  kOngoing = BMIL_TASK_STATUS_ONGOING,
  kCompleted = BMIL_TASK_STATUS_COMPLETED,
  kAbandoned = BMIL_TASK_STATUS_ABANDONED
};
enum class Stance {
  kUnstated = BMIL_STANCE_UNSTATED,
  kReactive = BMIL_STANCE_REACTIVE,
  kProactive = BMIL_STANCE_PROACTIVE
};
enum class Perspective {
  kUnstated = BMIL_PERSPECTIVE_UNSTATED,
  kOutsideIn = BMIL_PERSPECTIVE_OUTSIDE_IN,
  kInsideOut = BMIL_PERSPECTIVE_INSIDE_OUT,
  kInsideIn = BMIL_PERSPECTIVE_INSIDE_IN
};
enum class Size {
  kUnstated = BMIL_SIZE_UNSTATED,
  kMicro = BMIL_SIZE_MICRO,
  kSmall = BMIL_SIZE_SMALL,
  kMedium = BMIL_SIZE_MEDIUM,
  kLarge = BMIL_SIZE_LARGE
};
enum class IndustryStatus {
  kUnstated = BMIL_INDUSTRY_UNSTATED,
  kHome = BMIL_INDUSTRY_HOME,
  kAttempted = BMIL_INDUSTRY_ATTEMPTED,
  kSucceeded = BMIL_INDUSTRY_SUCCEEDED,
  kFailed = BMIL_INDUSTRY_FAILED
};
enum class Skills { kUnstated = 0, kLow = 1, kMedium = 2, kHigh = 3 };

// A block's forms, as BMIL_FORM_* bits.
using Forms = unsigned;

struct BuildingBlock {
  Forms forms = 0;
  std::string description;
  std::vector<std::string> items;
  bool operator==(const BuildingBlock&) const = default;
};

// The value formula's figures (Lindgren 2012, Table 1: turnover, cost and revenue flow).
struct ValueFormula {
  std::optional<double> revenue;
  std::optional<double> cost;
  std::string currency;  // ISO 4217 code; empty when not stated
  std::optional<double> users;
  std::optional<double> customers;
  bool operator==(const ValueFormula&) const = default;
};

struct Industry {
  std::string id;
  IndustryStatus status = IndustryStatus::kUnstated;
  bool operator==(const Industry&) const = default;
};

struct BusinessModel {
  std::string id;
  std::string name;
  std::string description;
  State state = State::kUnstated;
  Stage stage = Stage::kUnstated;
  std::vector<Industry> industries;
  std::map<std::string, BuildingBlock> building_blocks;  // keyed by block id
  ValueFormula value_formula;                            // figures of the value_formula block
  std::vector<std::string> carried_by;                   // ids of the models that finance this one
  nlohmann::json attributes = nlohmann::json::object();
  bool operator==(const BusinessModel&) const = default;
};

struct Portfolio {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> business_models;  // member ids
  bool operator==(const Portfolio&) const = default;
};

// A date as written in the case: "YYYY", "YYYY-MM" or "YYYY-MM-DD"; empty when absent.
struct Period {
  std::string start;
  std::string end;
  bool operator==(const Period&) const = default;
};

struct BmiTask {
  std::string id;
  std::string business_model;  // id of a business model of the case
  std::string description;
  std::vector<std::string> building_blocks;   // block ids, at least one
  std::vector<std::string> leadership_lines;  // line ids, at least one
  Action action = Action::kUnstated;
  Level level = Level::kUnstated;
  Phase phase = Phase::kUnstated;
  Period period;
  TaskStatus status = TaskStatus::kUnstated;
  std::optional<double> effort;  // person-months
  Stance stance = Stance::kUnstated;
  Perspective perspective = Perspective::kUnstated;
  nlohmann::json attributes = nlohmann::json::object();
  bool operator==(const BmiTask&) const = default;
};

struct Strategy {
  std::optional<bool> explicit_strategy;
  std::optional<bool> structured_process;
  Skills skills = Skills::kUnstated;
  std::vector<std::string> goals;
  std::vector<std::string> leadership_lines;
  std::string description;
  bool operator==(const Strategy&) const = default;
};

struct Business {
  std::string id;
  std::string name;
  std::string description;
  std::string industry;
  std::string country;  // ISO 3166-1 alpha-2
  Size size = Size::kUnstated;
  std::optional<int> founded;
  std::optional<int> employees;
  nlohmann::json attributes = nlohmann::json::object();
  bool operator==(const Business&) const = default;
};

// Where the coded facts come from.
struct Source {
  std::string citation;
  std::string url;
  std::string notes;
  bool operator==(const Source&) const = default;
};

struct Case {
  std::string format_version = "1.0";
  Business business;
  std::vector<Portfolio> portfolios;
  std::vector<BusinessModel> business_models;
  std::vector<BmiTask> bmi_tasks;
  std::optional<Strategy> strategy;
  std::optional<Source> source;
  bool operator==(const Case&) const = default;
};

}  // namespace bmil

#endif  // BMIL_MODEL_HPP_
