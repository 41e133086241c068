#include <bmil/analysis.hpp>
#include <bmil/conformance.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/plugin_host.hpp>

#include "batch/part_reader.hpp"
#include "host/runner_process.hpp"
#include "host/scan_record.hpp"
#include "report/terminal_text.hpp"
#include "runner/wire.hpp"
#include "scenario/consequences.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// ------------------------------------------------------------------ the result model

void Require(const Json& object, const std::string& pointer, const char* key,
             bool (Json::*is)() const, const char* type, std::vector<std::string>& problems) {
  if (!object.is_object() || !object.contains(key)) {
    problems.push_back(pointer + ": missing \"" + key + "\"");
  } else if (!(object.at(key).*is)()) {
    problems.push_back(pointer + "/" + key + ": expected " + type);
  }
}

void RequireArrayOfObjects(const Json& doc, const char* key, std::vector<std::string>& problems,
                           const std::vector<std::pair<const char*, const char*>>& fields) {
  Require(doc, "", key, &Json::is_array, "array", problems);
  if (!doc.contains(key) || !doc.at(key).is_array()) return;
  for (std::size_t i = 0; i < doc.at(key).size(); ++i) {
    const Json& item = doc.at(key)[i];
    const std::string pointer = std::string("/") + key + "/" + std::to_string(i);
    if (!item.is_object()) {
      problems.push_back(pointer + ": expected object");
      continue;
    }
    for (const auto& [field, type] : fields) {
      const std::string t = type;
      if (t == "string") Require(item, pointer, field, &Json::is_string, "string", problems);
      if (t == "array") Require(item, pointer, field, &Json::is_array, "array", problems);
      if (t == "number") {
        if (!item.contains(field))
          problems.push_back(pointer + ": missing \"" + field + "\"");
        else if (!item.at(field).is_number() && !item.at(field).is_null())
          problems.push_back(pointer + "/" + field + ": expected number or null");
      }
    }
  }
}

}  // namespace

std::vector<std::string> ResultModelProblems(const Json& result) {
  std::vector<std::string> problems;
  if (!result.is_object()) return {": expected a JSON object"};
  Require(result, "", "analyzer", &Json::is_string, "string", problems);
  Require(result, "", "title", &Json::is_string, "string", problems);
  RequireArrayOfObjects(result, "metrics", problems,
                        {{"id", "string"}, {"label", "string"}, {"value", "number"}});
  RequireArrayOfObjects(
      result, "tables", problems,
      {{"id", "string"}, {"title", "string"}, {"columns", "array"}, {"rows", "array"}});
  RequireArrayOfObjects(result, "matrices", problems,
                        {{"id", "string"},
                         {"title", "string"},
                         {"rows", "array"},
                         {"columns", "array"},
                         {"values", "array"}});
  RequireArrayOfObjects(result, "findings", problems,
                        {{"severity", "string"},
                         {"code", "string"},
                         {"message", "string"},
                         {"evidence", "array"},
                         {"source", "string"}});
  if (result.contains("tables") && result["tables"].is_array()) {
    for (std::size_t t = 0; t < result["tables"].size(); ++t) {
      const Json& table = result["tables"][t];
      if (!table.is_object() || !table.contains("columns") || !table.contains("rows")) continue;
      const std::size_t width = table["columns"].size();
      for (std::size_t r = 0; r < table["rows"].size(); ++r) {
        if (!table["rows"][r].is_array() || table["rows"][r].size() != width) {
          problems.push_back("/tables/" + std::to_string(t) + "/rows/" + std::to_string(r) +
                             ": expected " + std::to_string(width) + " cells, one per column");
        }
      }
    }
  }
  if (result.contains("matrices") && result["matrices"].is_array()) {
    for (std::size_t m = 0; m < result["matrices"].size(); ++m) {
      const Json& matrix = result["matrices"][m];
      if (!matrix.is_object() || !matrix.contains("values") || !matrix.contains("rows") ||
          !matrix.contains("columns"))
        continue;
      if (matrix["values"].size() != matrix["rows"].size()) {
        problems.push_back("/matrices/" + std::to_string(m) +
                           "/values: expected one row per row id");
        continue;
      }
      for (const auto& row : matrix["values"]) {
        if (!row.is_array() || row.size() != matrix["columns"].size()) {
          problems.push_back("/matrices/" + std::to_string(m) +
                             "/values: expected one value per column in every row");
          break;
        }
      }
    }
  }
  if (result.contains("findings") && result["findings"].is_array()) {
    for (std::size_t f = 0; f < result["findings"].size(); ++f) {
      const std::string severity = result["findings"][f].value("severity", "");
      if (severity != "info" && severity != "notice" && severity != "warning") {
        problems.push_back("/findings/" + std::to_string(f) +
                           "/severity: expected one of info, notice, warning");
      }
    }
  }
  return problems;
}

bool ConformanceReport::ok() const {
  return !checks.empty() &&
         std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.passed; });
}

std::string ConformanceReport::ToText() const {
  std::ostringstream out;
  out << "bmil plugins check " << file.string() << "\n";
  std::size_t passed = 0;
  for (const auto& c : checks) {
    passed += c.passed;
    out << "  " << (c.passed ? "PASS" : "FAIL") << " " << c.name
        << (c.detail.empty() ? "" : ": " + c.detail) << "\n";
  }
  if (!sandbox.empty()) out << "  sandbox: seccomp filter " << sandbox << "\n";
  out << checks.size() << " checks: " << passed << " passed, " << checks.size() - passed
      << " failed\n";
  return out.str();
}

nlohmann::ordered_json ConformanceReport::ToJson() const {
  nlohmann::ordered_json out = {{"file", file.string()}, {"plugin", plugin}, {"ok", ok()}};
  if (!sandbox.empty()) out["sandbox"] = sandbox;
  out["checks"] = nlohmann::ordered_json::array();
  for (const auto& c : checks) {
    out["checks"].push_back({{"name", c.name}, {"passed", c.passed}, {"detail", c.detail}});
  }
  return out;
}

namespace {

class Checker {
 public:
  explicit Checker(ConformanceReport& report) : report_(report) {}
  bool Check(std::string name, bool passed, std::string detail) {
    report_.checks.push_back({std::move(name), passed, std::move(detail)});
    return passed;
  }
  template <typename T>
  T* Call(const std::string& name, CallResult<T>& result) {
    if (auto* error = std::get_if<CallError>(&result)) {
      Check(name, false, error->ToString());
      return nullptr;
    }
    return &std::get<T>(result);
  }

 private:
  ConformanceReport& report_;
};

std::string Join(const std::vector<std::string>& items, std::size_t limit = 3) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? "; " : "") + items[i];
  if (items.size() > limit) out += "; and " + std::to_string(items.size() - limit) + " more";
  return out;
}

void CheckDescriptor(Checker& c, const Json& d, const Registry& registry) {
  std::vector<std::string> missing;
  for (const char* key : {"id", "code", "name", "focus_block", "perspective", "definition"}) {
    if (!d.contains(key) || !d[key].is_string() || d[key].get<std::string>().empty())
      missing.push_back(key);
  }
  c.Check("descriptor.fields", missing.empty(),
          missing.empty() ? "id, code, name, focus block, perspective, definition"
                          : "missing or empty: " + Join(missing, 10));
  const std::string focus = d.value("focus_block", "");
  c.Check("descriptor.focus_block", registry.BlockIndex(focus).has_value(),
          "\"" + focus + "\"" +
              (registry.BlockIndex(focus) ? " is a building block"
                                          : " is not a registered building block"));
  static const std::set<std::string> kPerspectives = {"inside_out", "outside_in", "both",
                                                      "horizontal"};
  const std::string perspective = d.value("perspective", "");
  c.Check("descriptor.perspective", kPerspectives.count(perspective) > 0,
          "\"" + perspective + "\"" +
              (kPerspectives.count(perspective)
                   ? ""
                   : " (expected inside_out, outside_in, both or horizontal)"));
  std::vector<std::string> swot_problems;
  for (const char* cell : {"strengths", "weaknesses", "opportunities", "threats"}) {
    if (!d.contains("swot") || !d["swot"].contains(cell) || !d["swot"][cell].is_array() ||
        d["swot"][cell].empty())
      swot_problems.push_back(std::string(cell) +
                              " missing or empty (say \"not stated in the source\")");
  }
  c.Check("descriptor.swot", swot_problems.empty(),
          swot_problems.empty() ? "four cells" : Join(swot_problems, 4));
  std::set<std::string> asked;
  for (const auto& q : d.value("questions", Json::array())) {
    if (q.value("question", "").empty()) continue;
    asked.insert(q.value("block", ""));
  }
  std::vector<std::string> unasked;
  for (const auto& b : registry.blocks()) {
    if (b.plugin.empty() && asked.count(b.id) == 0) unasked.push_back(b.id);
  }
  c.Check("descriptor.questions", unasked.empty(),
          unasked.empty()
              ? std::to_string(asked.size()) + " guiding questions, every built-in block"
              : "no guiding question for: " + Join(unasked, 7));
  std::vector<std::string> bad_rules;
  for (const auto& t : d.value("threats", Json::array())) {
    const double share = t.value("min_share", -1.0);
    if (t.value("code", "").empty() || share <= 0 || share > 1 || t.value("min_tasks", 0) < 1)
      bad_rules.push_back(t.value("code", "(no code)"));
  }
  c.Check("descriptor.threats", bad_rules.empty(),
          bad_rules.empty()
              ? std::to_string(d.value("threats", Json::array()).size()) + " threat rules"
              : "invalid rules (code, 0 < min_share <= 1, min_tasks >= 1): " + Join(bad_rules));
}

void CheckLine(Checker& c, const LoadedPlugin& plugin, PluginInstance& instance,
               const std::vector<std::unique_ptr<FlatCase>>& flats,
               const std::vector<Case>& cases) {
  std::vector<std::string> problems;
  std::size_t calls = 0;
  for (std::size_t k = 0; k < flats.size(); ++k) {
    const Case& cs = cases[k];
    for (uint32_t m = 0; m < cs.business_models.size(); ++m) {
      const std::string& bm = cs.business_models[m].id;
      std::size_t tasks = 0;
      for (const auto& t : cs.bmi_tasks) tasks += t.business_model == bm;
      auto assessed = instance.Assess(flats[k]->view(), m);
      ++calls;
      if (auto* e = std::get_if<CallError>(&assessed)) {
        problems.push_back(e->ToString());
      } else {
        const Json& a = std::get<Json>(assessed);
        if (a.value("business_model", "") != bm)
          problems.push_back("assess of " + bm + ": \"business_model\" is not \"" + bm + "\"");
        if (!a.contains("threats") || !a["threats"].is_array())
          problems.push_back("assess of " + bm + ": no \"threats\" array");
        if (a.value("tasks", static_cast<std::size_t>(-1)) != tasks)
          problems.push_back("assess of " + bm + ": \"tasks\" is not " + std::to_string(tasks));
      }
      auto proposed = instance.Propose(flats[k]->view(), m);
      ++calls;
      if (auto* e = std::get_if<CallError>(&proposed)) {
        problems.push_back(e->ToString());
      } else if (!std::get<Json>(proposed).contains("proposals") ||
                 !std::get<Json>(proposed)["proposals"].is_array()) {
        problems.push_back("propose of " + bm + ": no \"proposals\" array");
      }
    }
  }
  c.Check("line.assess_propose", problems.empty(),
          problems.empty() ? std::to_string(calls) + " calls on " + std::to_string(cases.size()) +
                                 " sample cases"
                           : Join(problems));
  // A bad argument must come back as an error status, not a crash or an exception.
  if (!flats.empty()) {
    auto out_of_range = instance.Assess(flats[0]->view(), 1000000);
    c.Check("errors.returned", std::holds_alternative<CallError>(out_of_range),
            std::holds_alternative<CallError>(out_of_range)
                ? "an out-of-range business model comes back as an error"
                : "assess of business model 1000000 succeeded; expected an error status");
  }
  (void)plugin;
}

// The saved `state` as `bmil merge` hands it to load(): written into a part by the host's
// JSON writer (as BatchEngine::SavePartial does) and read back by the part reader; or why
// that fails.
struct PartState {
  std::string state;    // as load() receives it
  std::string problem;  // why there is none
};
PartState ThroughPart(const std::string& state) {
  const auto parsed = nlohmann::ordered_json::parse(state, nullptr, false);
  if (parsed.is_discarded()) return {"", "the saved state is not JSON"};
  nlohmann::ordered_json part = {
      {"bmil_partial", kPartFormatVersion},
      {"bmil_version", BMIL_VERSION},
      {"counts", BatchCounts{}.ToJson()},
      {"inputs", nlohmann::ordered_json::array()},
      {"plugins", nlohmann::ordered_json::array()},
      {"analyzers", {{{"plugin", "p"}, {"version", "1"}, {"state", parsed}}}},
      {"failures", nlohmann::ordered_json::array()}};
  auto read = ReadPart(part.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  if (auto* problem = std::get_if<std::string>(&read))
    return {"", "a part refuses it: " + *problem};
  return {*std::get<PartContent>(read).analyzers.at(0).state, ""};
}

// `json` with the members of every object in reverse order: the same JSON value (RFC 8259:
// an object is unordered), which another writer may well produce.
nlohmann::ordered_json Reordered(const nlohmann::ordered_json& json) {
  if (json.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : json) out.push_back(Reordered(item));
    return out;
  }
  if (!json.is_object()) return json;
  std::vector<std::pair<std::string, nlohmann::ordered_json>> members;
  for (const auto& [key, value] : json.items()) members.emplace_back(key, Reordered(value));
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    out[it->first] = std::move(it->second);
  return out;
}

// Loads `state` into a new instance and finishes it: the result, or what failed.
std::variant<Json, std::string> LoadAndFinish(const LoadedPlugin& plugin, const std::string& config,
                                              const std::string& state) {
  auto created = plugin.Create(config);
  if (auto* e = std::get_if<CallError>(&created)) return e->ToString();
  PluginInstance& fresh = std::get<PluginInstance>(created);
  if (auto e = fresh.Load(state)) return e->ToString();
  auto finished = fresh.Finish();
  if (auto* e = std::get_if<CallError>(&finished)) return e->ToString();
  return std::get<Json>(std::move(finished));
}

// The strings of `json` that are scaffold placeholders (they start with "TODO", as `bmil
// new-plugin` writes them), as "<where><pointer>: \"<text>\"", appended to `found`.
void Placeholders(const Json& json, const std::string& where, const std::string& pointer,
                  std::vector<std::string>& found) {
  if (json.is_string()) {
    const std::string& s = json.get_ref<const std::string&>();
    if (s.rfind("TODO", 0) == 0)
      found.push_back(where + (pointer.empty() ? "/" : pointer) + ": \"" + s + "\"");
  } else if (json.is_array()) {
    for (std::size_t i = 0; i < json.size(); ++i)
      Placeholders(json[i], where, pointer + "/" + std::to_string(i), found);
  } else if (json.is_object()) {
    for (const auto& [key, value] : json.items())
      Placeholders(value, where, pointer + "/" + key, found);
  }
}

void CheckAnalyzer(Checker& c, const LoadedPlugin& plugin, const std::string& config,
                   PluginInstance& instance, const std::vector<std::unique_ptr<FlatCase>>& flats) {
  std::vector<std::string> add_errors;
  for (const auto& f : flats) {
    if (auto e = instance.Add(f->view())) add_errors.push_back(e->ToString());
  }
  // A plugin in a child gets its records in batches: wait for their outcome here.
  if (add_errors.empty()) {
    if (auto e = instance.Flush()) add_errors.push_back(e->ToString());
  }
  if (!c.Check(
          "analyzer.add", add_errors.empty(),
          add_errors.empty() ? std::to_string(flats.size()) + " sample cases" : Join(add_errors)))
    return;
  auto finished = instance.Finish();
  const Json* result = c.Call("analyzer.finish", finished);
  if (result == nullptr) return;
  const auto problems = ResultModelProblems(*result);
  c.Check("analyzer.result_model", problems.empty(),
          problems.empty() ? "follows docs/schema/result.schema.json" : Join(problems));
  auto again = instance.Finish();
  if (const Json* second = c.Call("analyzer.finish_again", again)) {
    c.Check("analyzer.finish_again", *second == *result,
            *second == *result ? "finish() leaves the state unchanged"
                               : "a second finish() gave another result");
  }

  // Save/load round trip into a fresh instance.
  auto saved = instance.Save();
  const std::string* state = c.Call("analyzer.save", saved);
  if (state != nullptr) {
    auto created = plugin.Create(config);
    if (PluginInstance* fresh = c.Call("analyzer.load", created)) {
      if (auto e = fresh->Load(*state)) {
        c.Check("analyzer.load", false, e->ToString());
      } else {
        auto reloaded = fresh->Finish();
        if (const Json* r = c.Call("analyzer.save_load", reloaded)) {
          c.Check("analyzer.save_load", *r == *result,
                  *r == *result ? "load(save()) gives the same result"
                                : "the reloaded state finishes differently");
        }
      }
    }
    // The state as bmil merge reads it from a part (the host's JSON writer and reader), and
    // with its objects' members in another order: both must load to the same result.
    const PartState through = ThroughPart(*state);
    std::string problem = through.problem;
    if (problem.empty()) {
      for (const auto& [what, text_to_load] :
           {std::pair<std::string, std::string>{"as bmil merge reads it from a part",
                                                through.state},
            {"with its objects' members in reverse order",
             Reordered(nlohmann::ordered_json::parse(through.state)).dump()}}) {
        auto loaded = LoadAndFinish(plugin, config, text_to_load);
        if (auto* e = std::get_if<std::string>(&loaded)) {
          problem = "the state " + what + " does not load: " + *e;
        } else if (std::get<Json>(loaded) != *result) {
          problem = "the state " + what + " finishes differently";
        }
        if (!problem.empty()) break;
      }
    }
    c.Check("analyzer.state_round_trip", problem.empty(),
            problem.empty() ? "the state read back by bmil merge, in any member order, gives the "
                              "same result"
                            : problem);
  }

  // Merge: the cases split in two accumulators equal one run over all.
  auto left_created = plugin.Create(config);
  auto right_created = plugin.Create(config);
  PluginInstance* left = c.Call("analyzer.merge", left_created);
  PluginInstance* right = left ? c.Call("analyzer.merge", right_created) : nullptr;
  if (left != nullptr && right != nullptr) {
    const std::size_t half = flats.size() / 2;
    std::vector<std::string> errors;
    for (std::size_t i = 0; i < flats.size(); ++i) {
      if (auto e = (i < half ? left : right)->Add(flats[i]->view()))
        errors.push_back(e->ToString());
    }
    if (auto e = left->Merge(*right)) errors.push_back(e->ToString());
    auto merged = left->Finish();
    if (auto* e = std::get_if<CallError>(&merged)) errors.push_back(e->ToString());
    const bool same = errors.empty() && std::get<Json>(merged) == *result;
    c.Check("analyzer.merge", same,
            !errors.empty() ? Join(errors)
            : same          ? "merge of a split run equals one run"
                            : "merge of a split run differs from one run");
  }

  // A state that is not JSON must come back as an error status.
  auto created = plugin.Create(config);
  if (PluginInstance* fresh = c.Call("errors.returned", created)) {
    auto error = fresh->Load("this is not a saved state");
    c.Check("errors.returned", error.has_value(),
            error ? "load() of garbage comes back as an error" : "load() of garbage succeeded");
  }
}

// What the runner says about itself (wire::RunnerState), or why it said nothing.
std::variant<wire::RunnerState, std::string> Inspect(RunnerProcess& runner) {
  std::string request;
  wire::FinishFrame(request, wire::BeginFrame(request, wire::Message::kInspect));
  auto reply = runner.Call(request, 1);
  if (auto* death = std::get_if<RunnerProcess::Death>(&reply)) {
    return "the plugin's process " + death->what;
  }
  wire::Frame frame;
  wire::RunnerState state;
  if (!wire::ParseFrame(std::get<std::string>(reply), frame) ||
      frame.type != wire::Message::kState || !wire::DecodeState(frame.body, state)) {
    return std::string(
        "the plugin runner did not report its state (a bmil-plugin-runner of "
        "another build?)");
  }
  return state;
}

std::string Mib(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

// memory.leak: one warm-up round of kLeakRoundCalls calls (an analyzer: adds of the sample
// cases, then finish, in a new instance destroyed afterwards; a line: assess and propose),
// then kLeakRounds more; the child's resident memory may grow by at most kLeakBudgetBytes
// from the end of the warm-up to the end.
constexpr std::size_t kLeakRoundCalls = 200;
constexpr int kLeakRounds = 3;

// A consequence model (ABI 1.1): on every sample case, prepare() gives a layout the host
// reads, and evaluate() at the drivers' medians, P10s and P90s gives finite values, the same
// twice.
void CheckModel(Checker& c, PluginInstance& instance,
                const std::vector<std::unique_ptr<FlatCase>>& flats,
                const std::vector<Case>& cases) {
  constexpr std::uint32_t kYears = 5;
  std::vector<std::string> problems;
  for (std::size_t k = 0; k < flats.size(); ++k) {
    const std::string where = "case \"" + cases[k].business.id + "\"";
    auto prepared = instance.Prepare(flats[k]->view(), 2020, kYears);
    if (auto* e = std::get_if<CallError>(&prepared)) {
      problems.push_back(where + ": " + e->ToString());
      continue;
    }
    auto layout = scenario::ParseLayout(std::get<Json>(prepared));
    if (auto* why = std::get_if<std::string>(&layout)) {
      problems.push_back(where + ": the layout is malformed: " + *why);
      continue;
    }
    const scenario::Layout& l = std::get<scenario::Layout>(layout);
    std::vector<double> drivers;
    for (double q : {0.5, 0.1, 0.9})
      for (const auto& d : l.drivers) drivers.push_back(scenario::Quantile(d.distribution, q));
    const std::size_t per_draw = l.series.size() * kYears;
    std::vector<double> first(3 * per_draw), second(3 * per_draw);
    if (auto e = instance.Evaluate(drivers, l.drivers.size(), first, per_draw)) {
      problems.push_back(where + ": " + e->ToString());
      continue;
    }
    if (auto e = instance.Evaluate(drivers, l.drivers.size(), second, per_draw)) {
      problems.push_back(where + ": " + e->ToString());
      continue;
    }
    if (!std::all_of(first.begin(), first.end(), [](double v) { return std::isfinite(v); }))
      problems.push_back(where + ": evaluate wrote a value that is not finite");
    if (first != second) problems.push_back(where + ": evaluate gave other values the second time");
  }
  c.Check("model.prepare_evaluate", problems.empty(),
          problems.empty() ? "on " + std::to_string(flats.size()) +
                                 " sample cases: a readable layout, and finite values that are "
                                 "the same for the same drivers"
                           : Join(problems));
}

void CheckMemory(Checker& c, const LoadedPlugin& plugin, const std::string& config,
                 PluginInstance& line_instance,
                 const std::vector<std::unique_ptr<FlatCase>>& flats) {
  const std::shared_ptr<RunnerProcess> runner = plugin.LiveRunner();
  if (runner == nullptr || flats.empty()) return;
  // One round; the first error, if any.
  auto round = [&]() -> std::optional<std::string> {
    if (plugin.is_line()) {
      for (std::size_t calls = 0; calls < kLeakRoundCalls;) {
        for (std::size_t k = 0; k < flats.size() && calls < kLeakRoundCalls; ++k) {
          const uint32_t models = flats[k]->view().business_model_count;
          for (uint32_t m = 0; m < models && calls < kLeakRoundCalls; ++m, calls += 2) {
            auto assessed = line_instance.Assess(flats[k]->view(), m);
            if (auto* e = std::get_if<CallError>(&assessed)) return e->ToString();
            auto proposed = line_instance.Propose(flats[k]->view(), m);
            if (auto* e = std::get_if<CallError>(&proposed)) return e->ToString();
          }
        }
      }
      return std::nullopt;
    }
    auto created = plugin.Create(config);
    if (auto* e = std::get_if<CallError>(&created)) return e->ToString();
    PluginInstance& instance = std::get<PluginInstance>(created);
    for (std::size_t i = 0; i < kLeakRoundCalls; ++i) {
      if (auto e = instance.Add(flats[i % flats.size()]->view())) return e->ToString();
    }
    if (auto e = instance.Flush()) return e->ToString();
    auto finished = instance.Finish();
    if (auto* e = std::get_if<CallError>(&finished)) return e->ToString();
    return std::nullopt;
  };
  auto resident = [&]() -> std::variant<std::uint64_t, std::string> {
    auto state = Inspect(*runner);
    if (auto* why = std::get_if<std::string>(&state)) return *why;
    return std::get<wire::RunnerState>(state).resident_bytes;
  };
  std::optional<std::string> failed = round();
  auto warm = resident();
  for (int i = 0; i < kLeakRounds && !failed; ++i) failed = round();
  auto end = resident();
  if (!failed && std::holds_alternative<std::string>(warm)) failed = std::get<std::string>(warm);
  if (!failed && std::holds_alternative<std::string>(end)) failed = std::get<std::string>(end);
  if (failed) {
    c.Check("memory.leak", false, "not measured: " + *failed);
    return;
  }
  const std::uint64_t before = std::get<std::uint64_t>(warm);
  const std::uint64_t after = std::get<std::uint64_t>(end);
  const std::uint64_t growth = after > before ? after - before : 0;
  c.Check("memory.leak", growth <= kLeakBudgetBytes,
          "resident memory grew by " + Mib(growth) + " over " +
              std::to_string(kLeakRounds * kLeakRoundCalls) +
              (plugin.is_line() ? " calls (assess, propose)" : " adds") + " after " +
              std::to_string(kLeakRoundCalls) + " to warm up (budget " +
              std::to_string(kLeakBudgetBytes >> 20) + " MiB)");
}

// stdout.silent and view.read_only, from what the child saw; notes its sandbox in `report`.
void CheckChild(Checker& c, ConformanceReport& report, RunnerProcess& runner) {
  auto inspected = Inspect(runner);  // first: the runner flushes the plugin's stdout
  const RunnerProcess::StdoutCapture out = runner.stdout_capture(64);
  c.Check("stdout.silent", out.bytes == 0,
          out.bytes == 0
              ? "writes nothing to stdout"
              : "wrote " + std::to_string(out.bytes) + " byte" + (out.bytes == 1 ? "" : "s") +
                    " to stdout, where bmil writes its results (a plugin's output "
                    "goes to its sink): \"" +
                    TerminalSafe(out.head) + (out.bytes > out.head.size() ? "..." : "") + "\"");
  if (auto* why = std::get_if<std::string>(&inspected)) {
    c.Check("view.read_only", false, "not checked: " + *why);
    return;
  }
  const wire::RunnerState& state = std::get<wire::RunnerState>(inspected);
  report.sandbox = TerminalSafe(state.seccomp);
  c.Check("view.read_only", state.view_writes == 0,
          state.view_writes == 0
              ? "no call changed its read-only case view"
              : "wrote into the read-only case view in " + std::to_string(state.view_writes) +
                    " call" + (state.view_writes == 1 ? "" : "s") + ", first in " +
                    TerminalSafe(state.first_view_write));
}

}  // namespace

ConformanceReport CheckPluginConformance(const fs::path& file,
                                         std::span<const fs::path> context_files,
                                         const IsolationLimits& limits) {
  ConformanceReport report;
  report.file = file;
  Checker c(report);

  PluginHost alone = PluginHost::ScanFiles(std::vector<fs::path>{file});
  const PluginRecord& record = alone.records().front();
  if (!c.Check("manifest",
               record.manifest.has_value() && record.status != PluginRecord::Status::kRefused,
               record.manifest ? record.manifest->id + " " + record.manifest->version + " (" +
                                     record.manifest->kind + ", ABI " +
                                     std::to_string(record.manifest->abi_major) + "." +
                                     std::to_string(record.manifest->abi_minor) + ")" +
                                     (record.reason.empty() ? "" : ": " + record.reason)
                               : record.reason)) {
    return report;
  }
  report.plugin = record.manifest->id;

  // The plugin with the context's other plugins, so sample cases can use their lines.
  std::vector<fs::path> files = {file};
  const PluginHost context = PluginHost::ScanFiles(context_files);
  for (const auto& r : context.records()) {
    if (r.manifest && r.status != PluginRecord::Status::kRefused &&
        r.manifest->id != report.plugin &&
        fs::weakly_canonical(r.path) != fs::weakly_canonical(file))
      files.push_back(r.path);
  }
  PluginHost host = PluginHost::ScanFiles(files);
  // The plugins of the context run in-process, first loaded in a child as in any run.
  host.SetIsolation({Isolation::kInProcess,
                     {{report.plugin, Isolation::kChild}},
                     {},
                     limits,
                     DefaultScanRecordPath(),
                     true});
  host.LoadAll();
  const PluginRecord& loaded = host.records().front();
  if (!c.Check("load", loaded.status == PluginRecord::Status::kLoaded,
               loaded.status == PluginRecord::Status::kLoaded
                   ? "entry " BMIL_ENTRY_SYMBOL
                     " found; table matches the manifest (id, version, kind)"
                   : loaded.reason)) {
    return report;
  }
  const LoadedPlugin* plugin = host.Find(report.plugin);
  // The child the plugin was loaded in: what it saw is checked at the end (a child that dies
  // on the way is replaced for later calls, but this one keeps its captured stdout).
  const std::shared_ptr<RunnerProcess> runner = plugin->LiveRunner();
  const Registry registry = host.MakeRegistry();
  std::vector<CallError> config_failures;
  const std::string config =
      plugin->is_analyzer() ? AnalyzerConfig(host, registry, config_failures).dump() : "{}";

  auto created = plugin->Create(config);
  PluginInstance* instance = c.Call("create", created);
  if (instance == nullptr) return report;
  c.Check("create", true, "an instance was created");
  auto described = instance->Describe();
  const Json* descriptor = c.Call("describe", described);
  if (descriptor != nullptr) {
    const bool object = descriptor->is_object();
    c.Check("describe", object && descriptor->value("id", "") == report.plugin,
            object && descriptor->value("id", "") == report.plugin
                ? "a JSON object with the plugin's id"
                : "expected a JSON object with \"id\": \"" + report.plugin + "\"");
    if (plugin->is_line()) CheckDescriptor(c, *descriptor, registry);
  }
  // A scaffold of bmil new-plugin whose placeholders were never filled in is not shipped.
  {
    std::vector<std::string> placeholders;
    const Manifest& m = *record.manifest;
    Json manifest = {{"name", m.name},
                     {"description", m.description},
                     {"license", m.license},
                     {"vendor", m.vendor}};
    for (std::size_t i = 0; i < m.lines.size(); ++i)
      manifest["provides"]["lines"][i] = {{"code", m.lines[i].code}, {"name", m.lines[i].name}};
    Placeholders(manifest, "manifest ", "", placeholders);
    if (descriptor != nullptr) Placeholders(*descriptor, "describe() ", "", placeholders);
    c.Check("scaffold.filled", placeholders.empty(),
            placeholders.empty()
                ? "no TODO placeholder of bmil new-plugin left"
                : std::to_string(placeholders.size()) +
                      " TODO placeholders of bmil new-plugin are still there (fill them in): " +
                      Join(placeholders, 5));
  }

  const std::vector<Case> cases = SampleCases(registry);
  std::vector<std::unique_ptr<FlatCase>> flats;
  for (const auto& cs : cases) flats.push_back(std::make_unique<FlatCase>(cs, registry));
  if (plugin->is_line()) {
    CheckLine(c, *plugin, *instance, flats, cases);
  } else if (plugin->is_model()) {
    CheckModel(c, *instance, flats, cases);
  } else {
    CheckAnalyzer(c, *plugin, config, *instance, flats);
  }
  if (!plugin->is_model()) CheckMemory(c, *plugin, config, *instance, flats);
  if (runner != nullptr) CheckChild(c, report, *runner);
  return report;
}

}  // namespace bmil
