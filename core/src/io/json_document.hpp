// A JSON parser that remembers where every value and key came from (line, column, byte
// offset), so that validation errors can point at the exact place in the file. Used for
// case documents and bmil's other file formats; results and configuration use
// nlohmann::json directly.
//
// Strict RFC 8259: no comments, no trailing commas, no NaN/Infinity, no leading zeros,
// UTF-8 validated (invalid sequences are errors), \u escapes with surrogate pairs decoded
// to UTF-8, lone surrogates are errors. A UTF-8 BOM at the start is skipped.
// Duplicate keys are kept in document order (the caller decides whether they are errors).
//
// Memory: the tree is compact (issue 14). A JsonDocument keeps its own copy of the text and
// one 16-byte node per value and per object key, in blocks (no reallocation copies while
// parsing); strings without escapes and numbers are read from the text when asked for, and
// line and column are computed from the byte offset when asked for (a checkpoint every
// 4 KiB keeps that O(4 KiB)). The worst case is a document of one-digit numbers ("0,0,..."),
// 2 bytes per value: about 9 bytes of memory per byte of text, text included; text-heavy
// documents take 2-4.
#ifndef BMIL_CORE_IO_JSON_DOCUMENT_HPP_
#define BMIL_CORE_IO_JSON_DOCUMENT_HPP_

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace bmil {

// A position in the text. line and column are 1-based; column counts Unicode code points
// (a tab counts as one), so it matches what editors show. offset is the 0-based byte offset.
struct SourceLocation {
  std::size_t offset = 0;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  bool operator==(const SourceLocation&) const = default;
};

namespace json_internal {
struct Storage;  // the text, the nodes, the decoded strings and the line checkpoints
class Parser;
}  // namespace json_internal

class JsonValue;
class JsonMember;
template <typename Element>
class JsonRange;
// The elements of an array, and the members of an object, in document order.
using JsonItems = JsonRange<JsonValue>;
using JsonMembers = JsonRange<JsonMember>;

// One JSON value of a JsonDocument: a small handle (a pointer and an index), cheap to copy.
// Valid while its document lives (moving the document keeps it valid). Every accessor is
// O(1) but text() of a number and location(), which are O(the value's text) and O(4 KiB).
class JsonValue {
 public:
  enum class Kind : std::uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const;
  // Where the value's first character is.
  SourceLocation location() const;
  std::size_t offset() const;
  bool boolean() const;  // for kBool
  // For kNumber: the nearest double (an integer's exact value converted).
  double number() const;
  // For kNumber: written without fraction or exponent and fits int64.
  bool is_integer() const;
  std::int64_t integer() const;  // for kNumber when is_integer()
  // kString: the decoded string; kNumber: the number as written; otherwise empty.
  std::string_view text() const;
  // kArray: the elements; otherwise empty. Forward iteration, size() in O(1).
  JsonItems items() const;
  // kObject: the members in document order, duplicates kept; otherwise empty.
  JsonMembers members() const;

  // The values and member names in this value's subtree, itself included ([1,{"a":2}]
  // has 5: the array, 1, the object, "a" and 2). O(1).
  std::size_t node_count() const { return End() - index_; }

  // The first member named `key`, or nothing (also when this is not an object). O(members).
  std::optional<JsonValue> Find(std::string_view key) const;
  // The same value as nlohmann::json (an object keeps the last of duplicate keys;
  // numbers stay integers when is_integer).
  nlohmann::json ToJson() const;
  // "null", "boolean", "number", "string", "array" or "object".
  static const char* KindName(Kind kind);

 private:
  friend class JsonDocument;
  friend class JsonMember;
  template <typename>
  friend class JsonRange;
  JsonValue(const json_internal::Storage* storage, std::uint32_t index)
      : storage_(storage), index_(index) {}
  // The index one past this value's subtree (its next sibling's).
  std::uint32_t End() const;
  // The index of the element after the one at `index` in an array.
  static std::uint32_t Next(const json_internal::Storage* storage, std::uint32_t index) {
    return JsonValue(storage, index).End();
  }

  const json_internal::Storage* storage_;
  std::uint32_t index_;
};

// One member of an object: its key (decoded), where the key is, and its value.
class JsonMember {
 public:
  std::string_view key() const;
  SourceLocation key_location() const;
  JsonValue value() const { return JsonValue(storage_, index_ + 1); }

 private:
  template <typename>
  friend class JsonRange;
  JsonMember(const json_internal::Storage* storage, std::uint32_t index)
      : storage_(storage), index_(index) {}
  // The index of the member after the one whose key is at `index`: past its value's subtree.
  static std::uint32_t Next(const json_internal::Storage* storage, std::uint32_t index) {
    return JsonValue(storage, index + 1).End();
  }
  const json_internal::Storage* storage_;
  std::uint32_t index_;  // the key's node; the value's is the next one
};

// The elements of an array (JsonItems) or the members of an object (JsonMembers), in
// document order. Forward iteration, size() in O(1).
template <typename Element>
class JsonRange {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Element;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Element;
    iterator() = default;
    Element operator*() const { return Element(storage_, index_); }
    iterator& operator++() {
      index_ = Element::Next(storage_, index_);
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const { return index_ == other.index_; }

   private:
    friend class JsonRange;
    iterator(const json_internal::Storage* storage, std::uint32_t index)
        : storage_(storage), index_(index) {}
    const json_internal::Storage* storage_ = nullptr;
    std::uint32_t index_ = 0;
  };

  iterator begin() const { return iterator(storage_, first_); }
  iterator end() const { return iterator(storage_, end_); }
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

 private:
  friend class JsonValue;
  JsonRange(const json_internal::Storage* storage, std::uint32_t first, std::uint32_t end,
            std::uint32_t count)
      : storage_(storage), first_(first), end_(end), count_(count) {}
  const json_internal::Storage* storage_;
  std::uint32_t first_;
  std::uint32_t end_;
  std::uint32_t count_;
};

// A parsed document: owns a copy of the text and the tree. Movable; the values handed out
// stay valid across moves and die with the document.
class JsonDocument {
 public:
  JsonDocument(JsonDocument&&) noexcept;
  JsonDocument& operator=(JsonDocument&&) noexcept;
  ~JsonDocument();

  JsonValue root() const { return JsonValue(storage_.get(), 0); }
  // Bytes held (text, nodes, decoded strings, checkpoints): what the memory goal measures.
  std::size_t memory_bytes() const;

 private:
  friend class json_internal::Parser;
  explicit JsonDocument(std::unique_ptr<json_internal::Storage> storage);
  std::unique_ptr<json_internal::Storage> storage_;
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
// values); never recurses deeper than limits.max_depth. Documents of 4 GiB or more are
// refused whatever the limit (offsets are 32-bit).
std::variant<JsonDocument, JsonSyntaxError> ParseJson(std::string_view text,
                                                      const JsonLimits& limits = {});

}  // namespace bmil

#endif  // BMIL_CORE_IO_JSON_DOCUMENT_HPP_
