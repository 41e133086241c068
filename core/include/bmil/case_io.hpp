// Reading and writing case documents (case format v1, docs/data-format.md).
#ifndef BMIL_CASE_IO_HPP_
#define BMIL_CASE_IO_HPP_

#include <bmil/model.hpp>
#include <bmil/registry.hpp>
#include <bmil/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

// One problem in an input file, located by line, column (1-based, in characters) and the
// JSON pointer (RFC 6901) of the offending value; line/column 0 when the problem is about
// the file as a whole (unreadable, too large).
struct Diagnostic {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string pointer;  // "" for the document root
  std::string message;  // what is wrong and what was expected

  // "kellpo.json:41:18 /bmi_tasks/3/building_blocks/0: unknown building block ..."
  std::string ToString() const;
  bool operator==(const Diagnostic&) const = default;
};

// Documented limits (docs/data-format.md, "Limits").
struct LoadLimits {
  std::size_t max_bytes = 16u << 20;  // a case file larger than 16 MiB is refused unread
  std::size_t max_depth = 64;         // nesting deeper than 64 arrays/objects is refused
  std::size_t max_errors = 200;       // reporting stops after this many (and says so)
  // The attributes objects of a case together hold at most this many JSON values and
  // member names (each object itself included): free data stays small, so memory stays a
  // small multiple of the file (docs/data-format.md#limits).
  std::size_t max_attribute_entries = 100'000;
};

// The outcome of loading one document: the case when valid, and every problem found.
struct LoadResult {
  std::optional<Case> value;  // set iff diagnostics is empty
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return value.has_value(); }
};

// Parses and validates `text` as a case against the ids in `registry`. `file` labels the
// diagnostics. Reports every problem it can find (not only the first), never throws on
// bad input. Thread-safe for distinct calls.
LoadResult LoadCaseText(std::string_view text, std::string_view file, const Registry& registry,
                        const LoadLimits& limits = {});

// Reads `path` (refusing files larger than limits.max_bytes before reading them) and
// loads it as LoadCaseText does; diagnostics name the path as given.
LoadResult LoadCaseFile(const std::filesystem::path& path, const Registry& registry,
                        const LoadLimits& limits = {});

// The case as stable, diffable JSON text: fixed key order, two-space indent, unstated
// fields omitted, a final newline. LoadCaseText(WriteCaseText(c)) gives back c.
std::string WriteCaseText(const Case& c);

// Writes WriteCaseText(c) to `path` through a temporary file renamed into place, so a
// reader never sees a half-written file. Returns an error message on failure.
Result<bool> SaveCaseFile(const Case& c, const std::filesystem::path& path);

}  // namespace bmil

#endif  // BMIL_CASE_IO_HPP_
