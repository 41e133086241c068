// Reading a scenario file (scenario.hpp, docs/scenarios.md).
#include "io/bounded_read.hpp"
#include "io/case_rules.hpp"
#include "io/did_you_mean.hpp"
#include "io/digest.hpp"
#include "io/json_pointer.hpp"
#include "io/object_reader.hpp"
#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace bmil::scenario {

const char* Distribution::KindName(Kind kind) {
  switch (kind) {
    case Kind::kFixed:
      return "fixed";
    case Kind::kUniform:
      return "uniform";
    case Kind::kTriangular:
      return "triangular";
    case Kind::kPert:
      return "pert";
    case Kind::kNormal:
      return "normal";
    case Kind::kLognormal:
      return "lognormal";
    case Kind::kDiscrete:
      return "discrete";
  }
  return "?";
}

const std::vector<std::string>& VerbNames() {
  static const std::vector<std::string> names = {"create",         "exclude",  "keep",
                                                 "upgrade",        "diminish", "add_tasks",
                                                 "enter_industry", "open",     "set_strategy"};
  return names;
}

const char* VerbName(Verb verb) { return VerbNames()[static_cast<std::size_t>(verb)].c_str(); }

std::optional<Verb> VerbFromName(std::string_view name) {
  const auto& names = VerbNames();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<Verb>(it - names.begin());
}

namespace {

// The figures of a value formula a move may change, and the largest relative change (+100
// is a factor of 101, far beyond any plan); apply.cpp checks each result against the case
// format's limit of 1e18.
const std::vector<std::string> kFigures = {"revenue", "cost", "customers", "users"};
constexpr double kMaxChange = 100;
// The largest magnitude of a distribution's parameter.
constexpr double kBig = 1e18;

// Whether the correlation matrix of the drivers `correlations` names (1 on the diagonal,
// 0 where no correlation is given) is positive definite: its Cholesky factor exists.
bool PositiveDefinite(const std::vector<Correlation>& correlations) {
  std::vector<std::string> ids;
  for (const Correlation& c : correlations) {
    for (const std::string* id : {&c.a, &c.b}) {
      if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
    }
  }
  const std::size_t n = ids.size();
  auto index = [&](const std::string& id) {
    return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
  };
  std::vector<double> m(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) m[i * n + i] = 1;
  for (const Correlation& c : correlations) {
    m[index(c.a) * n + index(c.b)] = m[index(c.b) * n + index(c.a)] = c.rank;
  }
  std::vector<double> l(n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double d = m[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 1e-9)) return false;
    l[j * n + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double x = m[i * n + j];
      for (std::size_t k = 0; k < j; ++k) x -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = x / l[j * n + j];
    }
  }
  return true;
}

class Reader {
 public:
  Reader(const std::string& file, const ScenarioLimits& limits, std::vector<Diagnostic>& problems)
      : file_(file), limits_(limits), problems_(problems) {}

  void Root(const JsonValue& root, Scenario& out);

 private:
  void Problem(const SourceLocation& at, std::string pointer, std::string message) {
    problems_.push_back({file_, at.line, at.column, std::move(pointer), std::move(message)});
  }
  // An id member (the case format's id rule).
  std::optional<std::string> Id(ObjectReader& r, std::string_view key, bool required = true);
  std::optional<std::string> Text(ObjectReader& r, std::string_view key, bool required = false);
  void Base(const JsonValue& value, const std::string& pointer, Scenario& out);
  void MoveAt(const JsonValue& value, const std::string& pointer, Move& out);
  void DuplicateKeys(const JsonValue& value, const std::string& pointer);
  void AssumptionsAt(const JsonValue& value, const std::string& pointer, Assumptions& out);
  void DriverAt(const JsonValue& value, const std::string& pointer, Driver& out);

  const std::string& file_;
  const ScenarioLimits& limits_;
  std::vector<Diagnostic>& problems_;
};

std::optional<std::string> Reader::Id(ObjectReader& r, std::string_view key, bool required) {
  auto id = r.String(key, required, 1024);
  if (!id) return std::nullopt;
  if (!rules::IsId(*id)) {
    std::optional<JsonValue> v = r.Get(key, JsonValue::Kind::kString, false);
    r.Problem(v->location(), r.PointerOf(key),
              "\"" + *id +
                  "\" is not an id: 1 to 64 characters, lower-case letters, digits, '_', '.' "
                  "and '-', starting with a letter or digit");
    return std::nullopt;
  }
  return id;
}

std::optional<std::string> Reader::Text(ObjectReader& r, std::string_view key, bool required) {
  auto text = r.String(key, required, 4 * rules::kMaxTextLength);
  if (text && !rules::IsShortText(*text)) {
    std::optional<JsonValue> v = r.Get(key, JsonValue::Kind::kString, false);
    r.Problem(v->location(), r.PointerOf(key),
              "longer than " + std::to_string(rules::kMaxTextLength) + " characters");
    return std::nullopt;
  }
  return text;
}

void Reader::Root(const JsonValue& root, Scenario& out) {
  ObjectReader r(root, file_, "", problems_);
  if (!r.is_object()) return;
  if (std::optional<JsonValue> version = r.Get("bmil_scenario", JsonValue::Kind::kString, true)) {
    if (version->text() != kFormatVersion) {
      r.Problem(version->location(), "/bmil_scenario",
                "unsupported scenario format version \"" + std::string(version->text()) +
                    "\"; this bmil reads " + std::string(kFormatVersion));
    }
  }
  if (auto id = Id(r, "id")) out.id = *id;
  if (auto name = Text(r, "name", true)) out.name = *name;
  if (auto rationale = Text(r, "rationale")) out.rationale = *rationale;
  if (std::optional<JsonValue> base = r.Get("base", JsonValue::Kind::kObject, true)) {
    Base(*base, "/base", out);
  }
  if (std::optional<JsonValue> moves = r.Get("moves", JsonValue::Kind::kArray, true)) {
    const JsonItems items = moves->items();
    if (items.size() > limits_.max_moves) {
      Problem(moves->location(), "/moves",
              std::to_string(items.size()) + " moves, more than the limit of " +
                  std::to_string(limits_.max_moves));
    } else {
      out.moves.resize(items.size());
      std::size_t i = 0;
      for (const JsonValue move : items) {
        MoveAt(move, JsonPointerChild("/moves", i), out.moves[i]);
        ++i;
      }
    }
  }
  if (std::optional<JsonValue> assumptions =
          r.Get("assumptions", JsonValue::Kind::kObject, false)) {
    AssumptionsAt(*assumptions, "/assumptions", out.assumptions);
  }
  r.Finish();
}

void Reader::Base(const JsonValue& value, const std::string& pointer, Scenario& out) {
  ObjectReader r(value, file_, pointer, problems_);
  out.base_place = {value.location(), pointer};
  if (auto path = r.String("path", true, 4096)) {
    if (path->empty()) {
      r.Problem(value.Find("path")->location(), r.PointerOf("path"), "empty path");
    } else {
      out.base_path = *path;
    }
  }
  if (auto xxh3 = r.String("xxh3", true, 64)) {
    if (!IsDigestHex(*xxh3)) {
      r.Problem(value.Find("xxh3")->location(), r.PointerOf("xxh3"),
                "expected the base file's XXH3-128 as 32 lower-case hex digits (`bmil scenario "
                "hash BASE` prints it), found \"" +
                    *xxh3 + "\"");
    } else {
      out.base_xxh3 = *xxh3;
    }
  }
  r.Finish();
}

void Reader::MoveAt(const JsonValue& value, const std::string& pointer, Move& out) {
  ObjectReader r(value, file_, pointer, problems_);
  out.place = {value.location(), pointer};
  if (!r.is_object()) return;
  auto verb_name = r.Choice("move", VerbNames(), true);
  if (auto note = Text(r, "note")) out.note = *note;
  if (!verb_name) {
    // Without the verb, the other members cannot be checked: say nothing more about them.
    return;
  }
  out.verb = *VerbFromName(*verb_name);
  auto model_id = [&](std::string_view key) {
    if (auto id = Id(r, key)) {
      out.model = *id;
      out.model_place = {value.Find(key)->location(), r.PointerOf(key)};
    }
  };
  auto fragment = [&](std::string_view key, JsonValue::Kind kind) {
    if (std::optional<JsonValue> v = r.Get(key, kind, true)) {
      out.fragment = v;
      out.fragment_pointer = r.PointerOf(key);
    }
  };
  auto portfolio = [&] {
    if (auto id = Id(r, "portfolio", false)) {
      out.portfolio = *id;
      out.portfolio_place = {value.Find("portfolio")->location(), r.PointerOf("portfolio")};
    }
  };
  switch (out.verb) {
    case Verb::kCreate:
      fragment("business_model", JsonValue::Kind::kObject);
      portfolio();
      break;
    case Verb::kExclude:
      model_id("business_model");
      out.exit_cost = r.Number("exit_cost", 0, rules::kMaxAmount, false);
      break;
    case Verb::kKeep:
      model_id("business_model");
      break;
    case Verb::kUpgrade:
    case Verb::kDiminish: {
      model_id("business_model");
      if (out.verb == Verb::kUpgrade) {
        if (auto stage = r.Choice("stage", {"idea", "concept", "prototype", "market"}, false)) {
          out.stage = *stage;
          out.stage_place = {value.Find("stage")->location(), r.PointerOf("stage")};
        }
      }
      const bool staged = value.Find("stage").has_value() && out.verb == Verb::kUpgrade;
      std::optional<JsonValue> changes = r.Get("changes", JsonValue::Kind::kObject, !staged);
      if (!changes) break;
      const std::string at = r.PointerOf("changes");
      ObjectReader c(*changes, file_, at, problems_);
      for (const std::string& figure : kFigures) {
        // A relative change: 0.1 is +10%, -0.25 is -25%; -1 would make the figure zero,
        // which is an exclusion, not a diminution.
        if (auto change = c.Number(figure, -0.99, kMaxChange, false)) {
          out.changes.emplace_back(figure, *change);
          out.change_places[figure] = {changes->Find(figure)->location(),
                                       JsonPointerChild(at, figure)};
        }
      }
      c.Finish();
      if (c.is_object() && changes->members().empty()) {
        Problem(changes->location(), at,
                "no change given; expected one or more of revenue, cost, customers, users");
      }
      break;
    }
    case Verb::kAddTasks:
      fragment("tasks", JsonValue::Kind::kArray);
      if (out.fragment && out.fragment->items().empty()) {
        Problem(out.fragment->location(), out.fragment_pointer, "no task given");
      }
      break;
    case Verb::kEnterIndustry:
      model_id("business_model");
      if (auto industry = Id(r, "industry")) out.industry = *industry;
      if (auto status = r.Choice("status", {"attempted", "succeeded", "failed"}, false)) {
        out.industry_status = *status;
      }
      break;
    case Verb::kOpen:
      if (auto from = Id(r, "from")) {
        out.from = *from;
        out.from_place = {value.Find("from")->location(), r.PointerOf("from")};
      }
      if (auto phase = r.Choice("phase", {"before", "after"}, true)) out.phase = *phase;
      fragment("business_model", JsonValue::Kind::kObject);
      portfolio();
      break;
    case Verb::kSetStrategy:
      fragment("strategy", JsonValue::Kind::kObject);
      break;
  }
  // A fragment of the case format is checked by the case loader once applied, but the
  // applied document is written anew, where a key given twice would be lost: say so here.
  if (out.fragment) DuplicateKeys(*out.fragment, out.fragment_pointer);
  // The new model's id, for the diff and for later moves.
  if ((out.verb == Verb::kCreate || out.verb == Verb::kOpen) && out.fragment) {
    if (std::optional<JsonValue> id = out.fragment->Find("id");
        id && id->kind() == JsonValue::Kind::kString) {
      out.model = std::string(id->text());
      out.model_place = {id->location(), JsonPointerChild(out.fragment_pointer, "id")};
    }
  }
  r.Finish();
}

void Reader::DuplicateKeys(const JsonValue& value, const std::string& pointer) {
  if (value.kind() == JsonValue::Kind::kArray) {
    std::size_t i = 0;
    for (const JsonValue item : value.items()) {
      DuplicateKeys(item, JsonPointerChild(pointer, i));
      ++i;
    }
  } else if (value.kind() == JsonValue::Kind::kObject) {
    std::set<std::string_view> seen;
    for (const JsonMember m : value.members()) {
      const std::string_view key = m.key();
      if (!seen.insert(key).second) {
        Problem(m.key_location(), JsonPointerChild(pointer, key),
                "duplicate key \"" + std::string(key) + "\"");
      }
      DuplicateKeys(m.value(), JsonPointerChild(pointer, key));
    }
  }
}

void Reader::AssumptionsAt(const JsonValue& value, const std::string& pointer, Assumptions& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (auto years = r.Integer("horizon_years", 1, 50, false)) {
    out.horizon_years = static_cast<int>(*years);
  }
  if (auto rate = r.Number("discount_rate", -0.5, 1, false)) out.discount_rate = *rate;
  std::set<std::string, std::less<>> ids;
  if (std::optional<JsonValue> drivers = r.Get("drivers", JsonValue::Kind::kArray, false)) {
    const std::string at = r.PointerOf("drivers");
    const JsonItems items = drivers->items();
    if (items.size() > limits_.max_drivers) {
      Problem(drivers->location(), at,
              std::to_string(items.size()) + " drivers, more than the limit of " +
                  std::to_string(limits_.max_drivers));
    } else {
      std::size_t i = 0;
      for (auto it = items.begin(); it != items.end(); ++it, ++i) {
        Driver driver;
        DriverAt(*it, JsonPointerChild(at, i), driver);
        if (driver.id.empty()) continue;
        if (!ids.insert(driver.id).second) {
          Problem(driver.place.location, JsonPointerChild(JsonPointerChild(at, i), "id"),
                  "driver \"" + driver.id + "\" is defined twice");
          continue;
        }
        out.drivers.push_back(std::move(driver));
      }
    }
  }
  if (std::optional<JsonValue> list = r.Get("correlations", JsonValue::Kind::kArray, false)) {
    const std::string at = r.PointerOf("correlations");
    const std::vector<std::string> known(ids.begin(), ids.end());
    std::set<std::pair<std::string, std::string>> pairs;
    const JsonItems items = list->items();
    std::size_t i = 0;
    for (auto it = items.begin(); it != items.end(); ++it, ++i) {
      const JsonValue item = *it;
      const std::string item_at = JsonPointerChild(at, i);
      ObjectReader c(item, file_, item_at, problems_);
      Correlation corr;
      corr.place = {item.location(), item_at};
      std::optional<JsonValue> drivers = c.Get("drivers", JsonValue::Kind::kArray, true);
      auto rank = c.Number("rank", -0.99, 0.99, true);
      c.Finish();
      if (!drivers || !rank) continue;
      const std::string drivers_at = JsonPointerChild(item_at, "drivers");
      const JsonItems given = drivers->items();
      if (given.size() != 2 || std::any_of(given.begin(), given.end(), [](JsonValue v) {
            return v.kind() != JsonValue::Kind::kString;
          })) {
        Problem(drivers->location(), drivers_at, "expected two driver ids");
        continue;
      }
      bool ok = true;
      std::size_t k = 0;
      for (const JsonValue d : given) {
        if (ids.count(d.text()) == 0) {
          Problem(d.location(), JsonPointerChild(drivers_at, k),
                  "no driver \"" + std::string(d.text()) + "\"" + DidYouMean(d.text(), known));
          ok = false;
        }
        ++k;
      }
      if (!ok) continue;
      auto second = given.begin();
      ++second;
      corr.a = std::string((*given.begin()).text());
      corr.b = std::string((*second).text());
      if (corr.a == corr.b) {
        Problem(drivers->location(), drivers_at, "a driver is not correlated with itself");
        continue;
      }
      if (!pairs.insert(std::minmax(corr.a, corr.b)).second) {
        Problem(item.location(), item_at,
                "the correlation of \"" + corr.a + "\" and \"" + corr.b + "\" is given twice");
        continue;
      }
      corr.rank = *rank;
      out.correlations.push_back(std::move(corr));
    }
    if (!out.correlations.empty() && !PositiveDefinite(out.correlations)) {
      Problem(list->location(), at,
              "these rank correlations cannot hold together: their correlation matrix is not "
              "positive definite (lower the largest ones, or check their signs: if a goes with "
              "b and b with c, a cannot go against c)");
    }
  }
  r.Finish();
}

void Reader::DriverAt(const JsonValue& value, const std::string& pointer, Driver& out) {
  ObjectReader r(value, file_, pointer, problems_);
  out.place = {value.location(), pointer};
  if (!r.is_object()) return;
  auto id = Id(r, "id");
  if (auto description = Text(r, "description")) out.description = *description;
  if (auto unit = r.String("unit", false, 64)) out.unit = *unit;
  static const std::vector<std::string> kinds = {"fixed",  "uniform",   "triangular", "pert",
                                                 "normal", "lognormal", "discrete"};
  auto kind = r.Choice("distribution", kinds, true);
  Distribution& d = out.distribution;
  bool ok = kind.has_value();
  auto number = [&](std::string_view key, double min = -kBig, double max = kBig) {
    auto x = r.Number(key, min, max, true);
    if (!x) ok = false;
    return x.value_or(0);
  };
  auto located = [&](std::string_view key, const std::string& message) {
    std::optional<JsonValue> v = value.Find(key);
    r.Problem(v ? v->location() : value.location(), r.PointerOf(key), message);
    ok = false;
  };
  if (kind) {
    d.kind = static_cast<Distribution::Kind>(std::find(kinds.begin(), kinds.end(), *kind) -
                                             kinds.begin());
    switch (d.kind) {
      case Distribution::Kind::kFixed:
        d.value = number("value");
        break;
      case Distribution::Kind::kUniform:
        d.min = number("min");
        d.max = number("max");
        if (ok && !(d.min < d.max)) located("max", "max must be greater than min");
        break;
      case Distribution::Kind::kTriangular:
      case Distribution::Kind::kPert:
        d.min = number("min");
        d.mode = number("mode");
        d.max = number("max");
        if (ok && !(d.min < d.max)) {
          located("max", "max must be greater than min");
        } else if (ok && (d.mode < d.min || d.mode > d.max)) {
          located("mode", "mode must lie between min and max");
        }
        break;
      case Distribution::Kind::kNormal:
        d.mean = number("mean");
        d.sd = number("sd", 0, kBig);
        if (ok && !(d.sd > 0)) located("sd", "sd must be greater than 0");
        break;
      case Distribution::Kind::kLognormal:
        d.median = number("median", 0, kBig);
        d.gsd = number("gsd", 1, 1e6);
        if (ok && !(d.median > 0)) located("median", "median must be greater than 0");
        if (ok && !(d.gsd > 1)) {
          located("gsd", "gsd (the geometric standard deviation) must be greater than 1");
        }
        break;
      case Distribution::Kind::kDiscrete: {
        std::optional<JsonValue> values = r.Get("values", JsonValue::Kind::kArray, true);
        std::optional<JsonValue> weights = r.Get("weights", JsonValue::Kind::kArray, true);
        if (!values || !weights) {
          ok = false;
          break;
        }
        auto numbers = [&](const JsonValue& list, const std::string& at, bool weight,
                           std::vector<double>& into) {
          const JsonItems items = list.items();
          std::size_t i = 0;
          for (auto it = items.begin(); it != items.end(); ++it, ++i) {
            const JsonValue v = *it;
            if (v.kind() != JsonValue::Kind::kNumber || !std::isfinite(v.number()) ||
                std::fabs(v.number()) > kBig || (weight && v.number() <= 0)) {
              Problem(v.location(), JsonPointerChild(at, i),
                      weight ? "expected a weight greater than 0" : "expected a number");
              ok = false;
              continue;
            }
            into.push_back(v.number());
          }
        };
        numbers(*values, r.PointerOf("values"), false, d.values);
        numbers(*weights, r.PointerOf("weights"), true, d.weights);
        if (ok && (d.values.empty() || d.values.size() > 1000)) {
          located("values", "expected 1 to 1000 values");
        } else if (ok && d.values.size() != d.weights.size()) {
          located("weights", "expected as many weights as values (" +
                                 std::to_string(d.values.size()) + "), found " +
                                 std::to_string(d.weights.size()));
        }
        break;
      }
    }
  }
  // Members that belong to another distribution are unknown here (Finish() says which);
  // without a known distribution, which members belong is unknown: nothing more is said.
  if (kind) r.Finish();
  if (id && ok) out.id = *id;
}

}  // namespace

ReadResult ReadScenario(std::string_view text, const std::string& file,
                        const ScenarioLimits& limits) {
  ReadResult result;
  auto document = ParseLocated(text, file, {limits.max_bytes, limits.max_depth}, result.problems);
  if (!document) return result;
  Scenario out;
  out.file = file;
  out.root = std::make_shared<const JsonDocument>(std::move(*document));
  Reader reader(file, limits, result.problems);
  reader.Root(out.root->root(), out);
  if (result.problems.size() > limits.max_errors) {
    const std::size_t more = result.problems.size() - limits.max_errors;
    result.problems.resize(limits.max_errors);
    result.problems.push_back({file, 0, 0, "", std::to_string(more) + " more problems not shown"});
  }
  if (result.problems.empty()) result.value = std::move(out);
  return result;
}

ReadResult ReadScenarioFile(const std::string& path, const ScenarioLimits& limits) {
  auto text = ReadFileAtMost(path, limits.max_bytes, [&](std::uintmax_t bytes) {
    return "larger than the limit of " + rules::ExactSize(limits.max_bytes) + " (" +
           rules::ExactSize(bytes) + " or more); refused";
  });
  if (!text) {
    ReadResult result;
    result.problems.push_back({path, 0, 0, "", text.error()});
    return result;
  }
  return ReadScenario(text.value(), path, limits);
}

}  // namespace bmil::scenario
