#include "control/read_helpers.hpp"

#include "io/case_rules.hpp"
#include "io/digest.hpp"
#include "io/json_pointer.hpp"

namespace bmil::control {

void FieldReader::Problem(const SourceLocation& at, std::string pointer, std::string message) {
  problems_.push_back({file_, at.line, at.column, std::move(pointer), std::move(message)});
}

void FieldReader::Version(ObjectReader& r, std::string_view key, std::string_view version,
                          std::string_view what) {
  if (const std::optional<JsonValue> v = r.Get(key, JsonValue::Kind::kString, true)) {
    if (v->text() != version) {
      r.Problem(v->location(), r.PointerOf(key),
                "unsupported " + std::string(what) + " format version \"" + std::string(v->text()) +
                    "\"; this bmil reads " + std::string(version));
    }
  }
}

std::optional<std::string> FieldReader::Id(ObjectReader& r, std::string_view key, bool required) {
  auto id = r.String(key, required, 1024);
  if (!id) return std::nullopt;
  if (!rules::IsId(*id)) {
    r.Problem(r.Get(key, JsonValue::Kind::kString, false)->location(), r.PointerOf(key),
              "\"" + *id +
                  "\" is not an id: 1 to 64 characters, lower-case letters, digits, '_', '.' "
                  "and '-', starting with a letter or digit");
    return std::nullopt;
  }
  return id;
}

bool IsKpiId(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> FieldReader::KpiId(ObjectReader& r, std::string_view key) {
  auto id = r.String(key, true, 1024);
  if (!id) return std::nullopt;
  if (!IsKpiId(*id)) {
    r.Problem(r.Get(key, JsonValue::Kind::kString, false)->location(), r.PointerOf(key),
              "\"" + *id +
                  "\" is not a KPI id: 1 to 128 characters, lower-case letters, digits, '_', "
                  "'.' and '-'");
    return std::nullopt;
  }
  return id;
}

std::optional<std::string> FieldReader::Text(ObjectReader& r, std::string_view key, bool required) {
  auto text = r.String(key, required, 4 * rules::kMaxTextLength);
  if (text && !rules::IsShortText(*text)) {
    r.Problem(r.Get(key, JsonValue::Kind::kString, false)->location(), r.PointerOf(key),
              "longer than " + std::to_string(rules::kMaxTextLength) + " characters");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> FieldReader::Day(ObjectReader& r, std::string_view key, bool required) {
  auto day = r.String(key, required, 64);
  if (!day) return std::nullopt;
  if (!IsDay(*day)) {
    r.Problem(r.Get(key, JsonValue::Kind::kString, false)->location(), r.PointerOf(key),
              "expected a date YYYY-MM-DD, found \"" + *day + "\"");
    return std::nullopt;
  }
  return day;
}

std::optional<std::string> FieldReader::Digest(ObjectReader& r, std::string_view key) {
  auto digest = r.String(key, true, 64);
  if (!digest) return std::nullopt;
  if (!IsDigestHex(*digest)) {
    r.Problem(r.Get(key, JsonValue::Kind::kString, false)->location(), r.PointerOf(key),
              "expected an XXH3-128 as 32 lower-case hex digits, found \"" + *digest + "\"");
    return std::nullopt;
  }
  return digest;
}

std::optional<std::vector<std::string>> FieldReader::IdList(ObjectReader& r, std::string_view key,
                                                            bool required, std::size_t max) {
  const std::optional<JsonValue> array = r.Get(key, JsonValue::Kind::kArray, required);
  if (!array) return std::nullopt;
  const std::string at = r.PointerOf(key);
  if (!Count(*array, at, max, "ids")) return std::nullopt;
  std::vector<std::string> ids;
  bool ok = true;
  std::size_t i = 0;
  for (const JsonValue item : array->items()) {
    if (item.kind() != JsonValue::Kind::kString || !rules::IsId(item.text())) {
      Problem(item.location(), JsonPointerChild(at, i), "expected an id");
      ok = false;
    } else {
      ids.emplace_back(item.text());
    }
    ++i;
  }
  if (!ok) return std::nullopt;
  return ids;
}

std::optional<JsonValue> FieldReader::Nullable(ObjectReader& r, const JsonValue& object,
                                               std::string_view key, JsonValue::Kind kind) {
  const std::optional<JsonValue> v = object.Find(key);
  if (v && v->kind() == JsonValue::Kind::kNull) {
    r.Get(key, JsonValue::Kind::kNull, false);  // known
    return std::nullopt;
  }
  if (v && v->kind() != kind) {
    r.Problem(v->location(), r.PointerOf(key),
              std::string("expected ") + JsonValue::KindName(kind) + " or null, found " +
                  JsonValue::KindName(v->kind()));
    r.Get(key, JsonValue::Kind::kNull, false);  // known, and nothing more said
    return std::nullopt;
  }
  return r.Get(key, kind, true);
}

bool FieldReader::Count(const JsonValue& array, const std::string& pointer, std::size_t max,
                        std::string_view what) {
  const std::size_t size = array.items().size();
  if (size <= max) return true;
  Problem(array.location(), pointer,
          std::to_string(size) + " " + std::string(what) + ", more than the limit of " +
              std::to_string(max));
  return false;
}

std::vector<Target> FieldReader::Targets(const JsonValue& array, const std::string& pointer,
                                         bool banded, std::size_t max) {
  std::vector<Target> out;
  if (!Count(array, pointer, max, "targets")) return out;
  const JsonItems items = array.items();
  if (items.empty()) {
    Problem(array.location(), pointer, "no target given");
    return out;
  }
  std::size_t i = 0;
  for (auto it = items.begin(); it != items.end(); ++it, ++i) {
    const JsonValue item = *it;
    const std::string at = JsonPointerChild(pointer, i);
    ObjectReader r(item, file_, at, problems_);
    if (!r.is_object()) continue;
    Target t;
    auto date = Day(r, "date", true);
    auto value = r.Number("value", -rules::kMaxAmount, rules::kMaxAmount, true);
    bool ok = date && value;
    for (const char* key : {"p10", "p90"}) {
      const std::optional<JsonValue> v = item.Find(key);
      if (!banded) {
        if (v && v->kind() != JsonValue::Kind::kNull) {
          r.Problem(v->location(), r.PointerOf(key), "a manual KPI's target has no band");
          ok = false;
        }
        r.Get(key, JsonValue::Kind::kNull, false);
        continue;
      }
      auto x = r.Number(key, -rules::kMaxAmount, rules::kMaxAmount, true);
      ok = ok && x;
      (key[1] == '1' ? t.p10 : t.p90) = x;
    }
    r.Finish();
    if (!ok) continue;
    t.date = *date;
    t.value = *value;
    if (banded && !(*t.p10 <= t.value && t.value <= *t.p90)) {
      Problem(item.location(), at, "expected p10 <= value <= p90");
    }
    if (!out.empty() && !(out.back().date < t.date)) {
      Problem(item.location(), at,
              "date " + t.date + " is not after the previous target's " + out.back().date);
    }
    out.push_back(std::move(t));
  }
  return out;
}

void CapProblems(std::vector<Diagnostic>& problems, const std::string& file, std::size_t max) {
  if (problems.size() <= max) return;
  const std::size_t more = problems.size() - max;
  problems.resize(max);
  problems.push_back({file, 0, 0, "", std::to_string(more) + " more problems not shown"});
}

nlohmann::ordered_json TargetsJson(const std::vector<Target>& targets) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Target& t : targets) {
    nlohmann::ordered_json o{{"date", t.date}, {"value", t.value}};
    o["p10"] = t.p10 ? nlohmann::ordered_json(*t.p10) : nlohmann::ordered_json();
    o["p90"] = t.p90 ? nlohmann::ordered_json(*t.p90) : nlohmann::ordered_json();
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace bmil::control
