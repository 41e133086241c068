// A JSON parser that remembers where every value and key came from (line, column, byte
// offset), so that validation errors can point at the exact place in the file. Used for
// case documents; results and configuration use nlohmann::json directly.
//
// Strict RFC 8259: no comments, no trailing commas, no NaN/Infinity, no leading zeros,
// UTF-8 validated (invalid sequences are errors), \u escapes with surrogate pairs decoded
// to UTF-8, lone surrogates are errors. A UTF-8 BOM at the start is skipped.
// Duplicate keys are kept in document order (the caller decides whether they are errors).
#ifndef BMIL_CORE_IO_JSON_DOCUMENT_HPP_
#define BMIL_CORE_IO_JSON_DOCUMENT_HPP_

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bmil {

// A position in the text. line and column are 1-based; column counts Unicode code points
// (a tab counts as one), so it matches what editors show. offset is the 0-based byte offset.
struct SourceLocation {
  std::size_t offset = 0;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  bool operator==(const SourceLocation&) const = default;
};

struct JsonMember;

// One JSON value with its location (the position of its first character).
class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  SourceLocation location;
  bool boolean = false;
  double number = 0;             // for kNumber (nearest double)
  bool is_integer = false;       // for kNumber: written without fraction or exponent and fits int64
  std::int64_t integer = 0;      // for kNumber when is_integer
  std::string text;              // kString: the decoded string; kNumber: the number as written
  std::vector<JsonValue> items;  // kArray
  std::vector<JsonMember> members;  // kObject, in document order, duplicates kept

  // The first member named `key`, or nullptr (also when this is not an object).
  const JsonValue* Find(std::string_view key) const;
  // The same value as nlohmann::json (an object keeps the last of duplicate keys;
  // numbers stay integers when is_integer).
  nlohmann::json ToJson() const;
  // "null", "boolean", "number", "string", "array" or "object".
  static const char* KindName(Kind kind);
};

struct JsonMember {
  std::string key;
  SourceLocation key_location;
  JsonValue value;
};

struct JsonLimits {
  std::size_t max_bytes = 16u << 20;  // documents larger than this are refused unread
  std::size_t max_depth = 64;         // arrays/objects nested deeper than this are refused
};

struct JsonSyntaxError {
  SourceLocation location;  // where the problem is (e.g. the unexpected character)
  std::string message;      // e.g. "expected ',' or '}' after an object member, found ']'"
};

// Parses the whole of `text` as one JSON value (whitespace around it allowed). On a syntax
// error, returns the first error: after it nothing more in the text can be trusted.
// Never throws for any input (bad UTF-8, deep nesting, huge numbers: all are errors or
// values); never recurses deeper than limits.max_depth.
std::variant<JsonValue, JsonSyntaxError> ParseJson(std::string_view text,
                                                   const JsonLimits& limits = {});

}  // namespace bmil

#endif  // BMIL_CORE_IO_JSON_DOCUMENT_HPP_
