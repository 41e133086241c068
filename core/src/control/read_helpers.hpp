// What the readers of the control formats (plan, decision record, check-in log) share: the
// fields of their kinds (ids, days, digests, targets) read with located problems.
#ifndef BMIL_CORE_CONTROL_READ_HELPERS_HPP_
#define BMIL_CORE_CONTROL_READ_HELPERS_HPP_

#include <bmil/case_io.hpp>

#include "control/plan.hpp"
#include "io/json_document.hpp"
#include "io/object_reader.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::control {

class FieldReader {
 public:
  FieldReader(const std::string& file, std::vector<Diagnostic>& problems)
      : file_(file), problems_(problems) {}

 protected:
  void Problem(const SourceLocation& at, std::string pointer, std::string message);
  // The format version member `key`, which must be `version`.
  void Version(ObjectReader& r, std::string_view key, std::string_view version,
               std::string_view what);
  // An id (the case format's rule), a KPI id (1 to 128 of a-z 0-9 _ . -), a text of at most
  // the case format's length, a day (YYYY-MM-DD), a digest (32 hex digits).
  std::optional<std::string> Id(ObjectReader& r, std::string_view key, bool required = true);
  std::optional<std::string> KpiId(ObjectReader& r, std::string_view key);
  std::optional<std::string> Text(ObjectReader& r, std::string_view key, bool required);
  std::optional<std::string> Day(ObjectReader& r, std::string_view key, bool required);
  std::optional<std::string> Digest(ObjectReader& r, std::string_view key);
  // An array of at most `max` ids.
  std::optional<std::vector<std::string>> IdList(ObjectReader& r, std::string_view key,
                                                 bool required, std::size_t max);
  // A required member `key` of `object` that may be null: the member when it is of `kind`;
  // nothing when it is null, missing or of another kind (the last two reported).
  std::optional<JsonValue> Nullable(ObjectReader& r, const JsonValue& object, std::string_view key,
                                    JsonValue::Kind kind);
  // Whether the array at `pointer` has at most `max` items (else reported).
  bool Count(const JsonValue& array, const std::string& pointer, std::size_t max,
             std::string_view what);
  // Targets: {date, value} and, when `banded`, p10 and p90 (number or null, p10 <= value
  // <= p90); dates increasing; at least one, at most `max`.
  std::vector<Target> Targets(const JsonValue& array, const std::string& pointer, bool banded,
                              std::size_t max);

  const std::string& file_;
  std::vector<Diagnostic>& problems_;
};

// Whether `s` is a KPI id.
bool IsKpiId(std::string_view s);

// Keeps the first `max` problems and says how many more there were.
void CapProblems(std::vector<Diagnostic>& problems, const std::string& file, std::size_t max);

// Targets as the formats write them.
nlohmann::ordered_json TargetsJson(const std::vector<Target>& targets);

}  // namespace bmil::control

#endif  // BMIL_CORE_CONTROL_READ_HELPERS_HPP_
