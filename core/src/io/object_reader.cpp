#include "io/object_reader.hpp"

#include "io/did_you_mean.hpp"
#include "io/json_pointer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace bmil {
namespace {

// A bound as a message shows it: 1e+18 as "1e18", 0.5 as "0.5", 5 as "5".
std::string FormatBound(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", x);
  std::string out = text;
  if (const auto e = out.find("e+"); e != std::string::npos) out.erase(e + 1, 1);
  return out;
}

}  // namespace

ObjectReader::ObjectReader(JsonValue value, std::string file, std::string pointer,
                           std::vector<Diagnostic>& problems)
    : value_(value),
      file_(std::move(file)),
      pointer_(std::move(pointer)),
      problems_(problems),
      object_(value.kind() == JsonValue::Kind::kObject) {
  if (!object_) {
    Problem(value.location(), pointer_,
            std::string("expected an object, found ") + JsonValue::KindName(value.kind()));
  }
}

void ObjectReader::Problem(const SourceLocation& at, std::string pointer, std::string message) {
  problems_.push_back({file_, at.line, at.column, std::move(pointer), std::move(message)});
}

std::string ObjectReader::PointerOf(std::string_view key) const {
  return JsonPointerChild(pointer_, key);
}

std::optional<JsonValue> ObjectReader::Get(std::string_view key, JsonValue::Kind kind,
                                           bool required) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  if (!object_) return std::nullopt;
  std::optional<JsonValue> member = value_.Find(key);
  if (!member) {
    if (required) {
      Problem(value_.location(), pointer_, "missing required member \"" + std::string(key) + "\"");
    }
    return std::nullopt;
  }
  if (member->kind() != kind) {
    Problem(member->location(), PointerOf(key),
            "expected " +
                std::string(kind == JsonValue::Kind::kArray    ? "an "
                            : kind == JsonValue::Kind::kObject ? "an "
                                                               : "a ") +
                JsonValue::KindName(kind) + ", found " + JsonValue::KindName(member->kind()));
    return std::nullopt;
  }
  return member;
}

std::optional<std::string> ObjectReader::String(std::string_view key, bool required,
                                                std::size_t max_size) {
  std::optional<JsonValue> v = Get(key, JsonValue::Kind::kString, required);
  if (!v) return std::nullopt;
  if (v->text().size() > max_size) {
    Problem(v->location(), PointerOf(key),
            "longer than " + std::to_string(max_size) + " bytes (" +
                std::to_string(v->text().size()) + ")");
    return std::nullopt;
  }
  return std::string(v->text());
}

std::optional<std::int64_t> ObjectReader::Integer(std::string_view key, std::int64_t min,
                                                  std::int64_t max, bool required) {
  std::optional<JsonValue> v = Get(key, JsonValue::Kind::kNumber, required);
  if (!v) return std::nullopt;
  if (!v->is_integer() || v->integer() < min || v->integer() > max) {
    Problem(v->location(), PointerOf(key),
            "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                ", found " + std::string(v->text()));
    return std::nullopt;
  }
  return v->integer();
}

std::optional<double> ObjectReader::Number(std::string_view key, double min, double max,
                                           bool required) {
  std::optional<JsonValue> v = Get(key, JsonValue::Kind::kNumber, required);
  if (!v) return std::nullopt;
  if (!std::isfinite(v->number()) || v->number() < min || v->number() > max) {
    Problem(v->location(), PointerOf(key),
            "expected a number from " + FormatBound(min) + " to " + FormatBound(max) + ", found " +
                std::string(v->text()));
    return std::nullopt;
  }
  return v->number();
}

std::optional<bool> ObjectReader::Bool(std::string_view key, bool required) {
  std::optional<JsonValue> v = Get(key, JsonValue::Kind::kBool, required);
  if (!v) return std::nullopt;
  return v->boolean();
}

std::optional<std::string> ObjectReader::Choice(std::string_view key,
                                                const std::vector<std::string>& allowed,
                                                bool required) {
  std::optional<JsonValue> v = Get(key, JsonValue::Kind::kString, required);
  if (!v) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), v->text()) != allowed.end())
    return std::string(v->text());
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  Problem(v->location(), PointerOf(key),
          "unknown value \"" + std::string(v->text()) + "\"" + DidYouMean(v->text(), allowed) +
              "; expected one of " + list);
  return std::nullopt;
}

void ObjectReader::Finish() {
  if (!object_) return;
  std::set<std::string_view> seen;
  for (const JsonMember m : value_.members()) {
    const std::string key(m.key());
    if (!seen.insert(m.key()).second) {
      Problem(m.key_location(), PointerOf(key), "duplicate key \"" + key + "\"");
      continue;
    }
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      Problem(m.key_location(), PointerOf(key),
              "unknown member \"" + key + "\"" + DidYouMean(key, known_));
    }
  }
}

std::optional<JsonDocument> ParseLocated(std::string_view text, const std::string& file,
                                         const JsonLimits& limits,
                                         std::vector<Diagnostic>& problems) {
  if (text.size() > limits.max_bytes) {
    problems.push_back({file, 0, 0, "",
                        "larger than " + std::to_string(limits.max_bytes >> 20) + " MiB (" +
                            std::to_string(text.size()) + " bytes); refused unread"});
    return std::nullopt;
  }
  auto parsed = ParseJson(text, limits);
  if (auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
    problems.push_back({file, error->location.line, error->location.column, "", error->message});
    return std::nullopt;
  }
  return std::get<JsonDocument>(std::move(parsed));
}

}  // namespace bmil
