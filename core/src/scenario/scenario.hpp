// A strategy scenario (docs/scenarios.md, docs/schema/scenario.schema.json): an overlay on
// one base case, in the paper's verbs (Lindgren 2012, sec. 2.1: create, exclude, keep,
// upgrade, diminish; plus BMI tasks, a vertical move into another industry, a horizontal
// before/after model, and a change of the stated strategy), and the assumptions its
// consequences are sampled from. Reading one checks everything that can be checked without
// the base; apply.hpp checks the moves against the base.
#ifndef BMIL_CORE_SCENARIO_SCENARIO_HPP_
#define BMIL_CORE_SCENARIO_SCENARIO_HPP_

#include <bmil/case_io.hpp>

#include "io/json_document.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::scenario {

// The format's version, written as "bmil_scenario".
inline constexpr std::string_view kFormatVersion = "1.0";

// Size and depth limits of a scenario file (docs/scenarios.md, "Limits").
struct ScenarioLimits {
  std::size_t max_bytes = 4u << 20;
  std::size_t max_depth = 32;
  std::size_t max_moves = 1000;
  std::size_t max_drivers = 200;
  std::size_t max_errors = 200;
};

// Where something is in the scenario file: for located messages.
struct Place {
  SourceLocation location;
  std::string pointer;
};

struct Distribution {
  enum class Kind { kFixed, kUniform, kTriangular, kPert, kNormal, kLognormal, kDiscrete };
  Kind kind = Kind::kFixed;
  // fixed: value; uniform: min, max; triangular and pert: min, mode, max; normal: mean, sd;
  // lognormal: median, gsd (geometric standard deviation, > 1); discrete: values, weights.
  double value = 0, min = 0, mode = 0, max = 0, mean = 0, sd = 0, median = 0, gsd = 0;
  std::vector<double> values, weights;
  static const char* KindName(Kind kind);
};

// A named driver of the consequence model, with its distribution.
struct Driver {
  std::string id;
  std::string description;
  std::string unit;
  Distribution distribution;
  Place place;
};

// A Spearman rank correlation between two drivers.
struct Correlation {
  std::string a, b;
  double rank = 0;
  Place place;
};

struct Assumptions {
  int horizon_years = 5;
  double discount_rate = 0.08;
  std::vector<Driver> drivers;
  std::vector<Correlation> correlations;
};

enum class Verb {
  kCreate,         // a new business model, TO BE
  kExclude,        // a model leaves the business (retired), with an optional exit cost
  kKeep,           // a model stays as it is (stated, so that a diff shows the choice)
  kUpgrade,        // a model's value formula grows
  kDiminish,       // a model's value formula shrinks
  kAddTasks,       // BMI tasks (lines x blocks of a model)
  kEnterIndustry,  // vertical BMIL: a model moves into another industry
  kOpen,           // horizontal BMIL: a new model before or after an existing one's process
  kSetStrategy,    // the stated strategy changes
};
const char* VerbName(Verb verb);
std::optional<Verb> VerbFromName(std::string_view name);
const std::vector<std::string>& VerbNames();

struct Move {
  Verb verb = Verb::kKeep;
  Place place;        // the move object
  std::string note;   // why, in words (optional)
  std::string model;  // the model it acts on (create, open: the new model's id)
  Place model_place;  // where that id is written
  // create/open: the model; add_tasks: the tasks array; set_strategy: the strategy object.
  // A handle into the document Scenario::root keeps alive.
  std::optional<JsonValue> fragment;
  std::string fragment_pointer;
  // exclude
  std::optional<double> exit_cost;
  // upgrade, diminish: relative changes of value formula figures (0.1 = +10%), by figure
  // ("revenue", "cost", "customers", "users"), in the order written.
  std::vector<std::pair<std::string, double>> changes;
  std::map<std::string, Place> change_places;
  // upgrade: the stage the model reaches ("" to leave it), later than its stage now
  std::string stage;
  Place stage_place;
  // enter_industry
  std::string industry;
  std::string industry_status = "attempted";
  // open
  std::string from;
  Place from_place;
  std::string phase;  // "before" or "after"
  // create, open: the portfolio to add the new model to ("" for none)
  std::string portfolio;
  Place portfolio_place;
};

struct Scenario {
  std::string file;  // as named on the command line
  std::string id;
  std::string name;
  std::string rationale;
  std::string base_path;  // as written: relative to the scenario file's directory
  std::string base_xxh3;  // 32 hex digits: the base file's XXH3-128 (io/digest.hpp)
  Place base_place;
  std::vector<Move> moves;
  Assumptions assumptions;
  // The parsed file; moves' fragments are handles into it. Scenario copies share it.
  std::shared_ptr<const JsonDocument> root;
};

struct ReadResult {
  std::optional<Scenario> value;  // set iff problems is empty
  std::vector<Diagnostic> problems;
};

// Reads a scenario from `text` (named `file` in messages). Never throws; every problem is
// located (file:line:column and JSON pointer), with a did-you-mean for unknown keys and
// values.
ReadResult ReadScenario(std::string_view text, const std::string& file,
                        const ScenarioLimits& limits = {});
// The same from a file (at most limits.max_bytes are read).
ReadResult ReadScenarioFile(const std::string& path, const ScenarioLimits& limits = {});

}  // namespace bmil::scenario

#endif  // BMIL_CORE_SCENARIO_SCENARIO_HPP_
