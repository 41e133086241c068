// How two scenarios differ (diff.hpp).
#include "scenario/diff.hpp"

#include <algorithm>
#include <utility>

namespace bmil::scenario {
namespace {

using Json = nlohmann::ordered_json;

// A scenario's items of one section, keyed, in document order.
using Items = std::vector<std::pair<std::string, Json>>;

Items MoveItems(const Scenario& s) {
  Items out;
  auto add = [&](std::string key, Json value) {
    // Two moves with one key (say, two upgrades of one model) stay apart: "#2".
    std::string unique = key;
    for (int n = 2; std::any_of(out.begin(), out.end(),
                                [&](const auto& item) { return item.first == unique; });
         ++n) {
      unique = key + " #" + std::to_string(n);
    }
    out.emplace_back(std::move(unique), std::move(value));
  };
  // The moves as written, in step with s.moves (one per item of /moves).
  const JsonItems written = s.root->root().Find("moves")->items();
  auto move_value = written.begin();
  for (std::size_t i = 0; i < s.moves.size(); ++i, ++move_value) {
    const Move& m = s.moves[i];
    // The move without what its key already says (the verb, the model it acts on).
    Json whole = Json((*move_value).ToJson());
    whole.erase("move");
    if (m.verb != Verb::kCreate && m.verb != Verb::kOpen) whole.erase("business_model");
    if (m.verb == Verb::kEnterIndustry) whole.erase("industry");
    switch (m.verb) {
      case Verb::kAddTasks:
        for (const JsonValue task : m.fragment->items()) {
          const std::optional<JsonValue> id = task.Find("id");
          add("task " + (id ? std::string(id->text()) : "?"), task.ToJson());
        }
        break;
      case Verb::kSetStrategy:
        for (const JsonMember member : m.fragment->members()) {
          add("strategy " + std::string(member.key()), member.value().ToJson());
        }
        break;
      case Verb::kEnterIndustry:
        add(std::string(VerbName(m.verb)) + " " + m.model + " " + m.industry, whole);
        break;
      default:
        add(std::string(VerbName(m.verb)) + " " + m.model, whole);
        break;
    }
  }
  return out;
}

Json DistributionJson(const Distribution& d) {
  Json out = {{"distribution", Distribution::KindName(d.kind)}};
  switch (d.kind) {
    case Distribution::Kind::kFixed:
      out["value"] = d.value;
      break;
    case Distribution::Kind::kUniform:
      out["min"] = d.min;
      out["max"] = d.max;
      break;
    case Distribution::Kind::kTriangular:
    case Distribution::Kind::kPert:
      out["min"] = d.min;
      out["mode"] = d.mode;
      out["max"] = d.max;
      break;
    case Distribution::Kind::kNormal:
      out["mean"] = d.mean;
      out["sd"] = d.sd;
      break;
    case Distribution::Kind::kLognormal:
      out["median"] = d.median;
      out["gsd"] = d.gsd;
      break;
    case Distribution::Kind::kDiscrete:
      out["values"] = d.values;
      out["weights"] = d.weights;
      break;
  }
  return out;
}

Items AssumptionItems(const Scenario& s) {
  Items out;
  out.emplace_back("horizon_years", s.assumptions.horizon_years);
  out.emplace_back("discount_rate", s.assumptions.discount_rate);
  for (const Driver& d : s.assumptions.drivers) {
    Json value = DistributionJson(d.distribution);
    if (!d.unit.empty()) value["unit"] = d.unit;
    out.emplace_back("driver " + d.id, std::move(value));
  }
  for (const Correlation& c : s.assumptions.correlations) {
    const auto [x, y] = std::minmax(c.a, c.b);
    out.emplace_back("correlation " + x + " ~ " + y, c.rank);
  }
  return out;
}

// `value` as one line of JSON, cut to `width` characters ("..." at the end when cut).
std::string Short(const Json& value, std::size_t width = 64) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() <= width) return text;
  // Not inside a UTF-8 sequence.
  std::size_t cut = width - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

// Each leaf that differs between a and b, via a JSON patch.
std::vector<std::string> Details(const Json& a, const Json& b) {
  std::vector<std::string> out;
  const nlohmann::json before_all(a);
  const nlohmann::json patch = nlohmann::json::diff(before_all, nlohmann::json(b));
  for (const auto& op : patch) {
    const std::string path = op.at("path").get<std::string>();
    const std::string verb = op.at("op").get<std::string>();
    const std::string where = path.empty() ? "(whole)" : path;
    if (verb == "replace") {
      const nlohmann::json before = before_all.at(nlohmann::json::json_pointer(path));
      out.push_back(where + ": " + Short(Json(before), 24) + " -> " +
                    Short(Json(op.at("value")), 24));
    } else if (verb == "add") {
      out.push_back(where + ": added " + Short(Json(op.at("value")), 40));
    } else if (verb == "remove") {
      const nlohmann::json before = before_all.at(nlohmann::json::json_pointer(path));
      out.push_back(where + ": removed " + Short(Json(before), 40));
    }
  }
  return out;
}

void Compare(const std::string& section, const Items& a, const Items& b,
             std::vector<Difference>& out) {
  auto find = [](const Items& items, const std::string& key) {
    return std::find_if(items.begin(), items.end(),
                        [&](const auto& item) { return item.first == key; });
  };
  for (const auto& item : a) {
    const auto it = find(b, item.first);
    if (it == b.end()) {
      out.push_back({section, item.first, Difference::Kind::kOnlyInA, item.second, nullptr, {}});
    } else if (it->second != item.second) {
      out.push_back({section, item.first, Difference::Kind::kChanged, item.second, it->second,
                     Details(item.second, it->second)});
    }
  }
  for (const auto& item : b) {
    if (find(a, item.first) == a.end()) {
      out.push_back({section, item.first, Difference::Kind::kOnlyInB, nullptr, item.second, {}});
    }
  }
}

const char* KindText(Difference::Kind kind) {
  switch (kind) {
    case Difference::Kind::kOnlyInA:
      return "only in A";
    case Difference::Kind::kOnlyInB:
      return "only in B";
    case Difference::Kind::kChanged:
      return "changed";
  }
  return "?";
}

}  // namespace

std::vector<Difference> Diff(const Scenario& a, const Scenario& b) {
  std::vector<Difference> out;
  const Json base_a = {{"path", a.base_path}, {"xxh3", a.base_xxh3}};
  const Json base_b = {{"path", b.base_path}, {"xxh3", b.base_xxh3}};
  if (a.base_xxh3 != b.base_xxh3) {
    out.push_back(
        {"base", "base", Difference::Kind::kChanged, base_a, base_b, Details(base_a, base_b)});
  }
  Compare("moves", MoveItems(a), MoveItems(b), out);
  Compare("assumptions", AssumptionItems(a), AssumptionItems(b), out);
  return out;
}

std::string DiffText(const Scenario& a, const Scenario& b, const std::vector<Difference>& diff) {
  std::string out = "A: " + a.file + " (" + a.id + ": " + a.name + ")\nB: " + b.file + " (" + b.id +
                    ": " + b.name + ")\n";
  if (a.base_xxh3 == b.base_xxh3) out += "Same base: " + a.base_path + "\n";
  std::string section;
  for (const Difference& d : diff) {
    if (d.section != section) {
      section = d.section;
      out += "\n" + std::string(1, static_cast<char>(section[0] - 'a' + 'A')) + section.substr(1) +
             ":\n";
    }
    const std::string kind = KindText(d.kind);
    out += "  " + kind + std::string(11 - kind.size(), ' ') + d.key + "\n";
    if (d.kind == Difference::Kind::kChanged) {
      for (const std::string& line : d.details) out += "             " + line + "\n";
    } else {
      const Json& value = d.kind == Difference::Kind::kOnlyInA ? d.a : d.b;
      if (!(value.is_object() && value.empty())) out += "             " + Short(value) + "\n";
    }
  }
  out += "\n" +
         (diff.empty() ? std::string("The two scenarios make the same moves on the same "
                                     "assumptions.")
                       : std::to_string(diff.size()) +
                             (diff.size() == 1 ? " difference." : " differences.")) +
         "\n";
  return out;
}

nlohmann::ordered_json DiffJson(const Scenario& a, const Scenario& b,
                                const std::vector<Difference>& diff) {
  Json out = {{"a", {{"file", a.file}, {"id", a.id}, {"name", a.name}}},
              {"b", {{"file", b.file}, {"id", b.id}, {"name", b.name}}},
              {"differences", Json::array()}};
  for (const Difference& d : diff) {
    out["differences"].push_back({{"section", d.section},
                                  {"key", d.key},
                                  {"kind", d.kind == Difference::Kind::kOnlyInA   ? "only_in_a"
                                           : d.kind == Difference::Kind::kOnlyInB ? "only_in_b"
                                                                                  : "changed"},
                                  {"a", d.a},
                                  {"b", d.b},
                                  {"details", d.details}});
  }
  return out;
}

}  // namespace bmil::scenario
