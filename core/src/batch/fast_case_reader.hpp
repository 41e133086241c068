// The batch fast path: one JSON text parsed with simdjson straight into the flat case view
// (bmil_case_view) that plugins read, with no case model in between.
//
// One definition of a valid case: the fast path applies the same rules as the validating
// loader (io/case_rules.hpp for the lexical ones, the same tables of keys, enumerations and
// references), and it only ever *accepts*. Whenever a record is anything but a plainly valid
// case — a wrong type, an unknown key, a duplicate, a number it would have to round, a form it
// does not handle — Read() returns false and the caller hands the record to LoadCaseText(),
// which either accepts it (and FlatCase gives the same view) or explains every problem with
// line, column and JSON pointer. The differential test (tests/core/batch) holds both to it.
#ifndef BMIL_BATCH_FAST_CASE_READER_HPP_
#define BMIL_BATCH_FAST_CASE_READER_HPP_

#include <bmil/abi.h>
#include <bmil/registry.hpp>

#include <cstddef>
#include <memory>
#include <string_view>

namespace bmil {

class FastCaseReader {
 public:
  // Readable bytes Read() needs after the end of the text (their values do not matter).
  static constexpr std::size_t kPadding = 64;

  // Block and line bits are numbered by `registry`, as FlatCase numbers them. Keeps a copy
  // of the ids it needs.
  explicit FastCaseReader(const Registry& registry);
  ~FastCaseReader();
  FastCaseReader(const FastCaseReader&) = delete;
  FastCaseReader& operator=(const FastCaseReader&) = delete;

  // Parses `text` (one case document; at least kPadding readable bytes must follow it in
  // memory). True when it is a valid case and view() is its flat view; false when the fast
  // path does not vouch for it, and the validating loader must decide. Never throws on bad
  // input. Not thread-safe: one reader per thread.
  bool Read(std::string_view text);

  // The view of the last record Read() accepted; valid until the next Read().
  const bmil_case_view& view() const;
  // Memory inside the parser's string buffer (one allocation), where most of the view's
  // strings are; for ViewGuard, which guards it as one range. Valid until the next Read().
  std::string_view StringRegion() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bmil

#endif  // BMIL_BATCH_FAST_CASE_READER_HPP_
