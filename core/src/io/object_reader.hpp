// Reading the members of a JSON object of one of bmil's file formats (reproducers, and the
// formats to come: scenarios, plans, instruments) with located problems: every problem is a
// Diagnostic with file, line, column and JSON pointer; an unknown key gets a did-you-mean;
// a duplicate key is refused. The case format has its own, richer loader (case_loader.cpp).
#ifndef BMIL_CORE_IO_OBJECT_READER_HPP_
#define BMIL_CORE_IO_OBJECT_READER_HPP_

#include <bmil/case_io.hpp>

#include "io/json_document.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

class ObjectReader {
 public:
  // Reads `value`, found at `pointer` of `file`; problems are appended to `problems`. When
  // `value` is not an object, that is reported and every getter returns nothing.
  ObjectReader(JsonValue value, std::string file, std::string pointer,
               std::vector<Diagnostic>& problems);

  bool is_object() const { return object_; }

  // The member `key` when present with the right kind; a missing required member or one of
  // another kind is reported. Every key asked for is known (for Finish()).
  std::optional<JsonValue> Get(std::string_view key, JsonValue::Kind kind, bool required);
  std::optional<std::string> String(std::string_view key, bool required = true,
                                    std::size_t max_size = 4096);
  // An integer in [min, max].
  std::optional<std::int64_t> Integer(std::string_view key, std::int64_t min, std::int64_t max,
                                      bool required = true);
  // A finite number in [min, max].
  std::optional<double> Number(std::string_view key, double min, double max, bool required = true);
  std::optional<bool> Bool(std::string_view key, bool required = true);
  // One of `allowed` (did-you-mean on a near miss).
  std::optional<std::string> Choice(std::string_view key, const std::vector<std::string>& allowed,
                                    bool required = true);

  // Reports every member no getter asked for (with a did-you-mean among those asked for)
  // and every key given twice. Call after the getters.
  void Finish();

  // The pointer of member `key`, and a problem located at `at` with `pointer`.
  std::string PointerOf(std::string_view key) const;
  void Problem(const SourceLocation& at, std::string pointer, std::string message);

 private:
  JsonValue value_;
  std::string file_;
  std::string pointer_;
  std::vector<Diagnostic>& problems_;
  bool object_;
  std::vector<std::string> known_;
};

// Parses `text` (named `file`) with `limits` and returns the document, or nothing after
// adding the syntax error (located) to `problems`.
std::optional<JsonDocument> ParseLocated(std::string_view text, const std::string& file,
                                         const JsonLimits& limits,
                                         std::vector<Diagnostic>& problems);

}  // namespace bmil

#endif  // BMIL_CORE_IO_OBJECT_READER_HPP_
