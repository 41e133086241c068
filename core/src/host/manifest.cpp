#include <bmil/manifest.hpp>

#include "io/did_you_mean.hpp"
#include "runner/entry_table.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <optional>
#include <regex>

namespace bmil {
namespace {

bool IsId(const std::string& s) {
  static const std::regex kId("^[a-z][a-z0-9_]{0,63}$");
  return std::regex_match(s, kId);
}

Result<std::string> GetString(const nlohmann::json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) return Failure{std::string("manifest: missing \"") + key + "\""};
    return std::string();
  }
  if (!it->is_string()) return Failure{std::string("manifest: \"") + key + "\" must be a string"};
  return it->get<std::string>();
}

// The first key of `object` not in `known`, as a message ("unknown key "x" (did you mean
// "y"?)") prefixed by `where` and the key's own prefix; nothing when all are known.
std::optional<std::string> UnknownKey(const nlohmann::json& object,
                                      const std::vector<std::string>& known,
                                      const std::string& where, const std::string& prefix = "") {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return where + "unknown key \"" + prefix + key + "\"" + DidYouMean(key, known);
    }
  }
  return std::nullopt;
}

Result<std::vector<ProvidedId>> GetProvided(const nlohmann::json& provides, const char* key) {
  std::vector<ProvidedId> out;
  auto it = provides.find(key);
  if (it == provides.end()) return out;
  if (!it->is_array())
    return Failure{std::string("manifest: \"provides.") + key + "\" must be an array"};
  for (const auto& entry : *it) {
    ProvidedId p;
    if (entry.is_string()) {
      p.id = entry.get<std::string>();
    } else if (entry.is_object() && entry.contains("id") && entry["id"].is_string()) {
      p.id = entry["id"].get<std::string>();
      if (auto unknown = UnknownKey(
              entry, {"id", "code", "name", "order"},
              std::string("manifest: \"provides.") + key + "\" entry \"" + p.id + "\": ")) {
        return Failure{*unknown};
      }
      // Checked here rather than left to nlohmann's value(), whose type_error names no key.
      const std::string where =
          std::string("manifest: \"provides.") + key + "\" entry \"" + p.id + "\": \"";
      for (auto [field, target] : {std::pair{"code", &p.code}, std::pair{"name", &p.name}}) {
        auto f = entry.find(field);
        if (f == entry.end()) continue;
        if (!f->is_string()) return Failure{where + field + "\" must be a string"};
        *target = f->get<std::string>();
      }
      if (auto f = entry.find("order"); f != entry.end()) {
        const bool fits =
            f->is_number_integer() &&
            (f->is_number_unsigned()
                 ? f->get<std::uint64_t>() <= std::uint64_t{INT_MAX}
                 : f->get<std::int64_t>() >= INT_MIN && f->get<std::int64_t>() <= INT_MAX);
        if (!fits) return Failure{where + "order\" must be an integer"};
        p.order = f->get<int>();
      }
    } else {
      return Failure{std::string("manifest: each entry of \"provides.") + key +
                     "\" must be an id or an object with an \"id\""};
    }
    if (!IsId(p.id)) {
      return Failure{std::string("manifest: \"provides.") + key + "\" id \"" + p.id +
                     "\" must match ^[a-z][a-z0-9_]*$ (at most 64 characters)"};
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<Manifest> ParseManifest(std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Failure{std::string("manifest is not valid JSON: ") + e.what()};
  }
  if (!j.is_object()) return Failure{"manifest must be a JSON object"};
  if (auto unknown = UnknownKey(
          j,
          {"id", "name", "version", "kind", "abi", "provides", "description", "license", "vendor"},
          "manifest: ")) {
    return Failure{*unknown};
  }
  try {
    Manifest m;
    const std::pair<const char*, std::string*> required[] = {
        {"id", &m.id}, {"name", &m.name}, {"version", &m.version}, {"kind", &m.kind}};
    for (auto [key, target] : required) {
      auto value = GetString(j, key, true);
      if (!value) return Failure{value.error()};
      *target = std::move(value).value();
    }
    auto abi = GetString(j, "abi", true);
    if (!abi) return Failure{abi.error()};
    const std::string& a = abi.value();
    const auto dot = a.find('.');
    auto parse_int = [](std::string_view s, int& out) {
      // Digits only: from_chars would also take a sign ("1.-0" reading as 1.0).
      if (s.empty() || s.front() < '0' || s.front() > '9') return false;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      return ec == std::errc() && end == s.data() + s.size() && !s.empty();
    };
    if (dot == std::string::npos || !parse_int(std::string_view(a).substr(0, dot), m.abi_major) ||
        !parse_int(std::string_view(a).substr(dot + 1), m.abi_minor)) {
      return Failure{"manifest: \"abi\" must be \"MAJOR.MINOR\", found \"" + a + "\""};
    }
    if (!IsId(m.id)) {
      return Failure{"manifest: \"id\" \"" + m.id +
                     "\" must match ^[a-z][a-z0-9_]*$ (at most 64 characters)"};
    }
    if (KindCode(m.kind) == 0) {
      return Failure{"manifest: \"kind\" must be one of line, analyzer, model; found \"" + m.kind +
                     "\""};
    }
    if (m.kind == "model" && m.abi_major == 1 && m.abi_minor < 1) {
      return Failure{
          "manifest: a model plugin needs \"abi\" 1.1 or newer (models came with "
          "ABI 1.1); found \"" +
          a + "\""};
    }
    for (auto [key, target] : {std::pair{"description", &m.description},
                               std::pair{"license", &m.license}, std::pair{"vendor", &m.vendor}}) {
      auto value = GetString(j, key, false);
      if (!value) return Failure{value.error()};
      *target = std::move(value).value();
    }
    if (auto it = j.find("provides"); it != j.end()) {
      if (!it->is_object()) return Failure{"manifest: \"provides\" must be an object"};
      if (auto unknown =
              UnknownKey(*it, {"lines", "blocks", "analyzers"}, "manifest: ", "provides.")) {
        return Failure{*unknown};
      }
      auto lines = GetProvided(*it, "lines");
      if (!lines) return Failure{lines.error()};
      m.lines = std::move(lines).value();
      auto blocks = GetProvided(*it, "blocks");
      if (!blocks) return Failure{blocks.error()};
      m.blocks = std::move(blocks).value();
      auto analyzers = GetProvided(*it, "analyzers");
      if (!analyzers) return Failure{analyzers.error()};
      m.analyzers = std::move(analyzers).value();
    }
    if (!m.analyzers.empty() && m.kind != "analyzer") {
      return Failure{
          "manifest: only an analyzer plugin provides \"provides.analyzers\" (kind is \"" + m.kind +
          "\")"};
    }
    for (const ProvidedId& a : m.analyzers) {
      if (a.id != m.id || m.analyzers.size() > 1) {
        const ProvidedId& other = a.id != m.id ? a : m.analyzers.back();
        return Failure{
            "manifest: \"provides.analyzers\" of an analyzer plugin is its own id, "
            "[\"" +
            m.id + "\"]; found \"" + other.id + "\""};
      }
    }
    if (m.kind == "line" && m.lines.empty()) {
      return Failure{"manifest: a line plugin must list its line in \"provides.lines\""};
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    return Failure{std::string("manifest: ") + e.what()};
  }
}

std::uint32_t KindCode(std::string_view kind) {
  if (kind == "line") return BMIL_KIND_LINE;
  if (kind == "analyzer") return BMIL_KIND_ANALYZER;
  if (kind == "model") return BMIL_KIND_MODEL;
  return 0;
}

Result<bool> CheckAbi(int major, int minor, int host_major, int host_minor) {
  if (std::string problem = AbiProblem(major, minor, host_major, host_minor); !problem.empty())
    return Failure{std::move(problem)};
  return true;
}

}  // namespace bmil
