// Applying a scenario (apply.hpp, docs/scenarios.md).
#include "scenario/apply.hpp"

#include "io/case_rules.hpp"
#include "io/did_you_mean.hpp"
#include "io/digest.hpp"
#include "io/json_pointer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>
#include <vector>

namespace bmil::scenario {
namespace {

using Json = nlohmann::ordered_json;

// A part of the applied document that the scenario wrote: problems the loader finds under
// `case_pointer` are reported at `value` (the scenario's own text) under `pointer`.
struct Origin {
  std::string case_pointer;
  JsonValue value;  // a handle into the scenario's document (Scenario::root)
  std::string pointer;
};

// The value `rest` (a JSON pointer, "" for `value` itself) points at inside `value`, as far
// as it exists; `consumed` gets the part of `rest` that was found.
JsonValue Resolve(JsonValue value, std::string_view rest, std::string& consumed) {
  JsonValue at = value;
  consumed.clear();
  while (!rest.empty() && rest[0] == '/') {
    const std::size_t end = rest.find('/', 1);
    const std::string_view raw =
        rest.substr(1, end == std::string_view::npos ? rest.npos : end - 1);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size()) {
        token += raw[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += raw[i];
      }
    }
    std::optional<JsonValue> next;
    if (at.kind() == JsonValue::Kind::kObject) {
      next = at.Find(token);
    } else if (at.kind() == JsonValue::Kind::kArray && !token.empty() &&
               token.find_first_not_of("0123456789") == std::string::npos && token.size() < 10) {
      const std::size_t index = std::stoul(token);
      const JsonItems items = at.items();
      if (index < items.size()) next = *std::next(items.begin(), index);  // O(index), like Find
    }
    if (!next) break;
    at = *next;
    consumed += '/';
    consumed += raw;
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  return at;
}

class Applier {
 public:
  Applier(const Scenario& s, std::vector<Diagnostic>& problems) : s_(s), problems_(problems) {}

  // Applies every move to `doc` (the base, as JSON). False when a move was refused.
  bool Run(Json& doc);
  // The loader's diagnostics on the applied document, located in the scenario where it
  // wrote the part they concern.
  void Relocate(std::vector<Diagnostic> diagnostics, const std::string& applied_name);

 private:
  struct ModelState {
    std::size_t index;               // in /business_models
    const Move* created = nullptr;   // the move that created it, if any
    const Move* excluded = nullptr;  // the move that excluded it, if any
    bool retired = false;            // retired in the base
  };
  void Problem(const Place& at, std::string message) {
    problems_.push_back(
        {s_.file, at.location.line, at.location.column, at.pointer, std::move(message)});
  }
  // The live model `id` for `move` (written at `place`), or nullptr after reporting why not.
  ModelState* Live(const std::string& id, const Place& place);
  void Create(const Move& move, Json& doc);
  void Exclude(const Move& move, Json& doc);
  void Change(const Move& move, Json& doc);
  void AddTasks(const Move& move, Json& doc);
  void EnterIndustry(const Move& move, Json& doc);
  void SetStrategy(const Move& move, Json& doc);
  std::vector<std::string> ModelIds() const;

  const Scenario& s_;
  std::vector<Diagnostic>& problems_;
  std::map<std::string, ModelState> models_;
  std::vector<Origin> origins_;
};

std::vector<std::string> Applier::ModelIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, state] : models_) ids.push_back(id);
  return ids;
}

Applier::ModelState* Applier::Live(const std::string& id, const Place& place) {
  auto it = models_.find(id);
  if (it == models_.end()) {
    Problem(place, "no business model \"" + id + "\" in the base or created before this move" +
                       DidYouMean(id, ModelIds()));
    return nullptr;
  }
  if (it->second.retired) {
    Problem(place, "business model \"" + id +
                       "\" is retired in the base; a scenario cannot act on it (create a new "
                       "model instead)");
    return nullptr;
  }
  if (it->second.excluded != nullptr) {
    Problem(place, "business model \"" + id + "\" is excluded by " +
                       it->second.excluded->place.pointer + "; a later move cannot act on it");
    return nullptr;
  }
  return &it->second;
}

bool Applier::Run(Json& doc) {
  const std::size_t before = problems_.size();
  Json& models = doc["business_models"];
  for (std::size_t i = 0; i < models.size(); ++i) {
    models_[models[i].value("id", "")] = {i, nullptr, nullptr,
                                          models[i].value("stage", "") == "retired"};
  }
  for (const Move& move : s_.moves) {
    switch (move.verb) {
      case Verb::kCreate:
      case Verb::kOpen:
        Create(move, doc);
        break;
      case Verb::kExclude:
        Exclude(move, doc);
        break;
      case Verb::kKeep:
        Live(move.model, move.model_place);
        break;
      case Verb::kUpgrade:
      case Verb::kDiminish:
        Change(move, doc);
        break;
      case Verb::kAddTasks:
        AddTasks(move, doc);
        break;
      case Verb::kEnterIndustry:
        EnterIndustry(move, doc);
        break;
      case Verb::kSetStrategy:
        SetStrategy(move, doc);
        break;
    }
  }
  // Where the applied case came from, in the business's free attributes.
  Json& business = doc["business"];
  Json provenance = {{"id", s_.id}, {"name", s_.name}, {"base_xxh3", s_.base_xxh3}};
  if (!business.contains("attributes") || !business["attributes"].is_object()) {
    business["attributes"] = Json::object();
  }
  business["attributes"]["bmil_scenario"] = std::move(provenance);
  return problems_.size() == before;
}

void Applier::Create(const Move& move, Json& doc) {
  if (move.verb == Verb::kOpen && Live(move.from, move.from_place) == nullptr) return;
  const JsonValue fragment = *move.fragment;
  Json model = Json(fragment.ToJson());
  const std::optional<JsonValue> id = fragment.Find("id");
  if (id && id->kind() == JsonValue::Kind::kString) {
    const std::string id_text(id->text());
    if (auto it = models_.find(id_text); it != models_.end()) {
      Problem(move.model_place,
              it->second.created != nullptr
                  ? "business model \"" + id_text + "\" is created twice (first by " +
                        it->second.created->place.pointer + ")"
                  : "business model \"" + id_text +
                        "\" exists in the base; to change it, use upgrade, diminish, "
                        "add_tasks or enter_industry");
      return;
    }
  }
  if (const std::optional<JsonValue> state = fragment.Find("state")) {
    if (state->kind() == JsonValue::Kind::kString && state->text() != "to_be") {
      Problem({state->location(), JsonPointerChild(move.fragment_pointer, "state")},
              "a model a scenario creates is on its way to the market: its state is \"to_be\" "
              "(leave it out to have it set)");
      return;
    }
  } else {
    model["state"] = "to_be";
  }
  if (move.verb == Verb::kOpen) {
    Json& attributes = model["attributes"];
    if (!attributes.is_object()) attributes = Json::object();
    attributes["bmil_scenario"] = {{"opened_from", move.from}, {"phase", move.phase}};
  }
  Json& models = doc["business_models"];
  const std::size_t index = models.size();
  origins_.push_back(
      {JsonPointerChild("/business_models", index), fragment, move.fragment_pointer});
  models.push_back(std::move(model));
  if (id && id->kind() == JsonValue::Kind::kString) {
    models_[std::string(id->text())] = {index, &move, nullptr};
  }
  if (!move.portfolio.empty()) {
    std::vector<std::string> known;
    if (doc.contains("portfolios") && doc["portfolios"].is_array()) {
      for (auto& p : doc["portfolios"]) {
        if (p.value("id", "") == move.portfolio) {
          p["business_models"].push_back(move.model);
          return;
        }
        known.push_back(p.value("id", ""));
      }
    }
    Problem(move.portfolio_place, "no portfolio \"" + move.portfolio + "\" in the base" +
                                      DidYouMean(move.portfolio, known));
  }
}

void Applier::Exclude(const Move& move, Json& doc) {
  auto it = models_.find(move.model);
  if (it != models_.end() && it->second.created != nullptr && it->second.excluded == nullptr) {
    Problem(move.model_place, "business model \"" + move.model + "\" is created by " +
                                  it->second.created->place.pointer +
                                  " of this scenario: leave out both moves instead");
    return;
  }
  ModelState* state = Live(move.model, move.model_place);
  if (state == nullptr) return;
  Json& model = doc["business_models"][state->index];
  model["stage"] = "retired";
  Json& attributes = model["attributes"];
  if (!attributes.is_object()) attributes = Json::object();
  Json record = {{"excluded", true}};
  if (move.exit_cost) record["exit_cost"] = *move.exit_cost;
  attributes["bmil_scenario"] = std::move(record);
  state->excluded = &move;
}

void Applier::Change(const Move& move, Json& doc) {
  ModelState* state = Live(move.model, move.model_place);
  if (state == nullptr) return;
  Json& model = doc["business_models"][state->index];
  if (!move.stage.empty()) {
    static const std::vector<std::string> order = {"idea", "concept", "prototype", "market"};
    const std::string now = model.value("stage", "");
    const auto from = std::find(order.begin(), order.end(), now);
    const auto to = std::find(order.begin(), order.end(), move.stage);
    if (from != order.end() && to <= from) {
      Problem(move.stage_place, "business model \"" + move.model + "\" is at stage " + now +
                                    " already; an upgrade moves it to a later stage");
    } else {
      model["stage"] = move.stage;
      // For the consequence model: the stage the model had before the scenario.
      Json& attributes = model["attributes"];
      if (!attributes.is_object()) attributes = Json::object();
      Json& record = attributes["bmil_scenario"];
      if (!record.is_object()) record = Json::object();
      if (!record.contains("stage_from")) record["stage_from"] = now.empty() ? "unstated" : now;
      // A model that reaches the market is in it: AS IS (and the state it had is recorded).
      if (move.stage == "market") {
        const std::string state = model.value("state", "");
        if (state != "as_is" && !record.contains("state_from"))
          record["state_from"] = state.empty() ? "unstated" : state;
        model["state"] = "as_is";
      }
    }
  }
  Json* formula = nullptr;
  if (model.contains("building_blocks") && model["building_blocks"].contains("value_formula")) {
    formula = &model["building_blocks"]["value_formula"];
  }
  std::vector<std::tuple<std::string, double, double>> changed;  // figure, from, to
  for (const auto& [figure, change] : move.changes) {
    const Place& at = move.change_places.at(figure);
    if (formula == nullptr || !formula->contains(figure) || !(*formula)[figure].is_number()) {
      Problem(at, "business model \"" + move.model + "\" states no " + figure +
                      " in its value formula, so there is nothing to " + VerbName(move.verb) +
                      "; state the figure in the base case first");
      continue;
    }
    const double now = (*formula)[figure].get<double>();
    const double next = now * (1 + change);
    if (next > rules::kMaxAmount) {
      Problem(at, figure + " would become " + std::to_string(next) +
                      ", more than the case format's limit of 1e18");
      continue;
    }
    (*formula)[figure] = next;
    changed.emplace_back(figure, now, next);
  }
  // For the consequence model, which phases a change in (docs/scenarios.md): each figure
  // before the scenario's first change of it, and after its last. Written after the loop:
  // a new member of `model` may move its other members (ordered JSON), `formula` with them.
  if (changed.empty()) return;
  Json& attributes = model["attributes"];
  if (!attributes.is_object()) attributes = Json::object();
  Json& record = attributes["bmil_scenario"];
  if (!record.is_object()) record = Json::object();
  for (const auto& [figure, from, to] : changed) {
    Json& entry = record["changes"][figure];
    if (!entry.contains("from")) entry["from"] = from;
    entry["to"] = to;
  }
}

void Applier::AddTasks(const Move& move, Json& doc) {
  Json& tasks = doc["bmi_tasks"];
  if (!tasks.is_array()) tasks = Json::array();
  std::size_t k = 0;
  for (const JsonValue task : move.fragment->items()) {
    const std::string at = JsonPointerChild(move.fragment_pointer, k++);
    if (const std::optional<JsonValue> model = task.Find("business_model");
        model && model->kind() == JsonValue::Kind::kString) {
      if (Live(std::string(model->text()),
               {model->location(), JsonPointerChild(at, "business_model")}) == nullptr) {
        continue;
      }
    }
    origins_.push_back({JsonPointerChild("/bmi_tasks", tasks.size()), task, at});
    tasks.push_back(Json(task.ToJson()));
  }
}

void Applier::EnterIndustry(const Move& move, Json& doc) {
  ModelState* state = Live(move.model, move.model_place);
  if (state == nullptr) return;
  Json& model = doc["business_models"][state->index];
  Json& industries = model["industries"];
  if (!industries.is_array()) industries = Json::array();
  for (const auto& industry : industries) {
    if (industry.value("id", "") == move.industry) {
      Problem({move.place.location, JsonPointerChild(move.place.pointer, "industry")},
              "business model \"" + move.model + "\" is already in industry \"" + move.industry +
                  "\" (status " + industry.value("status", "?") + ")");
      return;
    }
  }
  industries.push_back({{"id", move.industry}, {"status", move.industry_status}});
}

void Applier::SetStrategy(const Move& move, Json& doc) {
  Json& strategy = doc["strategy"];
  if (!strategy.is_object()) strategy = Json::object();
  for (const JsonMember member : move.fragment->members()) {
    const std::string_view key = member.key();
    origins_.push_back({JsonPointerChild("/strategy", key), member.value(),
                        JsonPointerChild(move.fragment_pointer, key)});
    strategy[std::string(key)] = Json(member.value().ToJson());
  }
}

void Applier::Relocate(std::vector<Diagnostic> diagnostics, const std::string& applied_name) {
  for (Diagnostic& d : diagnostics) {
    const Origin* origin = nullptr;
    for (const Origin& o : origins_) {
      if (d.pointer == o.case_pointer ||
          (d.pointer.starts_with(o.case_pointer) && d.pointer[o.case_pointer.size()] == '/')) {
        if (origin == nullptr || o.case_pointer.size() > origin->case_pointer.size()) origin = &o;
      }
    }
    if (origin == nullptr) {
      problems_.push_back(
          {s_.file, 0, 0, d.pointer, "in the applied case (" + applied_name + "): " + d.message});
      continue;
    }
    std::string consumed;
    const std::string rest = d.pointer.substr(origin->case_pointer.size());
    const SourceLocation at = Resolve(origin->value, rest, consumed).location();
    problems_.push_back({s_.file, at.line, at.column, origin->pointer + rest, d.message});
  }
}

}  // namespace

ApplyResult Apply(const Scenario& scenario, std::string_view base_text,
                  const std::string& base_file, const Registry& registry, bool check_base_hash) {
  ApplyResult result;
  const std::string digest = DigestHex(base_text);
  if (check_base_hash && digest != scenario.base_xxh3) {
    const SourceLocation xxh3 = scenario.root->root().Find("base")->Find("xxh3")->location();
    result.problems.push_back(
        {scenario.file, xxh3.line, xxh3.column, "/base/xxh3",
         "the scenario applies to a base whose XXH3-128 is " + scenario.base_xxh3 + ", but " +
             base_file + " has " + digest +
             ": the base changed since the scenario was written, or it is another file. Check "
             "that every move still makes sense, then set base.xxh3 to " +
             digest});
    return result;
  }
  LoadResult base = LoadCaseText(base_text, base_file, registry);
  if (!base.ok()) {
    result.problems = std::move(base.diagnostics);
    return result;
  }
  Json doc = Json::parse(base_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {  // cannot happen: the loader accepted it
    result.problems.push_back({base_file, 0, 0, "", "not JSON"});
    return result;
  }
  Applier applier(scenario, result.problems);
  if (!applier.Run(doc)) return result;
  const std::string applied_name = scenario.id + " applied to " + base_file;
  const std::string text = doc.dump(2, ' ', false, Json::error_handler_t::replace);
  LoadResult applied = LoadCaseText(text, applied_name, registry);
  if (!applied.ok()) {
    applier.Relocate(std::move(applied.diagnostics), applied_name);
    return result;
  }
  result.case_text = WriteCaseText(*applied.value);
  result.value = std::move(applied.value);
  return result;
}

}  // namespace bmil::scenario
