#include "io/json_document.hpp"

#include "io/utf8.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <charconv>
#include <limits>
#include <new>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace bmil {
namespace json_internal {

// One value or object key: 16 bytes. payload holds, by kind: a container's end (the index
// one past its subtree, low 32 bits) and child count (high 32 bits); a number's int64
// (kInteger) or double bits; a string's decoded length (low) and, when it had escapes
// (kEscaped), its offset in Storage::decoded (high).
struct Node {
  std::uint32_t offset = 0;  // byte offset of the value's first character in the text
  JsonValue::Kind kind = JsonValue::Kind::kNull;
  std::uint8_t flags = 0;
  std::uint64_t payload = 0;
};
static_assert(sizeof(Node) == 16);

constexpr std::uint8_t kInteger = 1;    // number: payload is the int64
constexpr std::uint8_t kEscaped = 2;    // string: decoded into Storage::decoded
constexpr std::uint8_t kTrue = 4;       // bool: true
constexpr std::uint8_t kMinusZero = 8;  // number: an integer written "-0" (number() is -0.0)

// Line and column at a checkpoint offset, and whether the byte before it was a '\r' (so
// that a '\n' there does not start another line).
struct Checkpoint {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  bool after_cr = false;
};

constexpr std::uint32_t kBlockBits = 12;  // 4,096 nodes (64 KiB) per block
constexpr std::uint32_t kBlockSize = 1u << kBlockBits;
constexpr std::size_t kCheckpointBytes = 4096;

struct Storage {
  std::string text;
  // Nodes in blocks of kBlockSize: a block never moves once full, so parsing a large
  // document copies no nodes. The first block grows as needed (small documents stay small).
  std::vector<std::vector<Node>> blocks;
  std::uint32_t size = 0;               // nodes in use
  std::string decoded;                  // the decoded text of the strings that had escapes
  std::vector<Checkpoint> checkpoints;  // at body_start + k * kCheckpointBytes
  std::size_t body_start = 0;           // after a BOM

  const Node& At(std::uint32_t index) const {
    return blocks[index >> kBlockBits][index & (kBlockSize - 1)];
  }
  Node& At(std::uint32_t index) { return blocks[index >> kBlockBits][index & (kBlockSize - 1)]; }
  std::uint32_t Add() {
    if ((size & (kBlockSize - 1)) == 0) {
      blocks.emplace_back();
      if (size != 0) blocks.back().reserve(kBlockSize);
    }
    blocks.back().emplace_back();
    return size++;
  }

  // Advances (line, column, after_cr) over text[from, to).
  void Scan(std::size_t from, std::size_t to, Checkpoint& at) const {
    for (std::size_t p = from; p < to; ++p) {
      const auto c = static_cast<unsigned char>(text[p]);
      if (c == '\n') {
        if (!at.after_cr) {
          ++at.line;
          at.column = 1;
        }
        at.after_cr = false;
      } else if (c == '\r') {
        ++at.line;
        at.column = 1;
        at.after_cr = true;
      } else {
        at.after_cr = false;
        // Every byte but a UTF-8 continuation byte starts a code point.
        if ((c & 0xC0) != 0x80) ++at.column;
      }
    }
  }

  void BuildCheckpoints() {
    Checkpoint at;
    checkpoints.clear();
    checkpoints.reserve((text.size() - body_start) / kCheckpointBytes + 1);
    for (std::size_t p = body_start;; p += kCheckpointBytes) {
      checkpoints.push_back(at);
      if (text.size() - p <= kCheckpointBytes) break;
      Scan(p, p + kCheckpointBytes, at);
    }
  }

  SourceLocation LocationOf(std::size_t offset) const {
    if (offset < body_start || checkpoints.empty()) return SourceLocation{offset, 1, 1};
    const std::size_t k =
        std::min((offset - body_start) / kCheckpointBytes, checkpoints.size() - 1);
    Checkpoint at = checkpoints[k];
    Scan(body_start + k * kCheckpointBytes, offset, at);
    return SourceLocation{offset, at.line, at.column};
  }

  std::size_t MemoryBytes() const {
    std::size_t nodes = 0;
    for (const std::vector<Node>& block : blocks) nodes += block.capacity() * sizeof(Node);
    return sizeof(Storage) + text.capacity() + blocks.capacity() * sizeof(blocks[0]) + nodes +
           decoded.capacity() + checkpoints.capacity() * sizeof(Checkpoint);
  }
};

}  // namespace json_internal

using json_internal::Node;

JsonValue::Kind JsonValue::kind() const { return storage_->At(index_).kind; }

std::size_t JsonValue::offset() const { return storage_->At(index_).offset; }

SourceLocation JsonValue::location() const { return storage_->LocationOf(offset()); }

bool JsonValue::boolean() const { return (storage_->At(index_).flags & json_internal::kTrue) != 0; }

bool JsonValue::is_integer() const {
  const Node& node = storage_->At(index_);
  return node.kind == Kind::kNumber && (node.flags & json_internal::kInteger) != 0;
}

std::int64_t JsonValue::integer() const {
  const Node& node = storage_->At(index_);
  if (node.kind != Kind::kNumber) return 0;
  if (node.flags & json_internal::kInteger) return std::bit_cast<std::int64_t>(node.payload);
  return 0;
}

double JsonValue::number() const {
  const Node& node = storage_->At(index_);
  if (node.kind != Kind::kNumber) return 0;
  // An int64 converts to its nearest double, which is what parsing its digits gives.
  if (node.flags & json_internal::kInteger) {
    if (node.flags & json_internal::kMinusZero) return -0.0;
    return static_cast<double>(std::bit_cast<std::int64_t>(node.payload));
  }
  return std::bit_cast<double>(node.payload);
}

std::string_view JsonValue::text() const {
  const Node& node = storage_->At(index_);
  const std::string_view all = storage_->text;
  if (node.kind == Kind::kString) {
    const std::size_t length = node.payload & 0xFFFFFFFFu;
    if (node.flags & json_internal::kEscaped) {
      return std::string_view(storage_->decoded).substr(node.payload >> 32, length);
    }
    return all.substr(node.offset + 1, length);
  }
  if (node.kind == Kind::kNumber) {
    std::size_t end = node.offset;
    while (end < all.size()) {
      const char c = all[end];
      if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
        break;
      }
      ++end;
    }
    return all.substr(node.offset, end - node.offset);
  }
  return {};
}

std::uint32_t JsonValue::End() const {
  const Node& node = storage_->At(index_);
  if (node.kind == Kind::kArray || node.kind == Kind::kObject) {
    return static_cast<std::uint32_t>(node.payload & 0xFFFFFFFFu);
  }
  return index_ + 1;
}

JsonItems JsonValue::items() const {
  const Node& node = storage_->At(index_);
  if (node.kind != Kind::kArray) return JsonItems(storage_, index_, index_, 0);
  return JsonItems(storage_, index_ + 1, End(), static_cast<std::uint32_t>(node.payload >> 32));
}

JsonMembers JsonValue::members() const {
  const Node& node = storage_->At(index_);
  if (node.kind != Kind::kObject) return JsonMembers(storage_, index_, index_, 0);
  return JsonMembers(storage_, index_ + 1, End(), static_cast<std::uint32_t>(node.payload >> 32));
}

std::string_view JsonMember::key() const { return JsonValue(storage_, index_).text(); }

SourceLocation JsonMember::key_location() const {
  return storage_->LocationOf(storage_->At(index_).offset);
}

std::optional<JsonValue> JsonValue::Find(std::string_view key) const {
  for (const JsonMember member : members()) {
    if (member.key() == key) return member.value();
  }
  return std::nullopt;
}

nlohmann::json JsonValue::ToJson() const {
  switch (kind()) {
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return boolean();
    case Kind::kNumber:
      return is_integer() ? nlohmann::json(integer()) : nlohmann::json(number());
    case Kind::kString:
      return std::string(text());
    case Kind::kArray: {
      nlohmann::json result = nlohmann::json::array();
      result.get_ref<nlohmann::json::array_t&>().reserve(items().size());
      for (const JsonValue item : items()) result.push_back(item.ToJson());
      return result;
    }
    case Kind::kObject: {
      nlohmann::json result = nlohmann::json::object();
      // Assigning in document order leaves the last of duplicate keys in place.
      for (const JsonMember member : members()) {
        result[std::string(member.key())] = member.value().ToJson();
      }
      return result;
    }
  }
  return nullptr;
}

JsonDocument::JsonDocument(std::unique_ptr<json_internal::Storage> storage)
    : storage_(std::move(storage)) {}
JsonDocument::JsonDocument(JsonDocument&&) noexcept = default;
JsonDocument& JsonDocument::operator=(JsonDocument&&) noexcept = default;
JsonDocument::~JsonDocument() = default;

std::size_t JsonDocument::memory_bytes() const { return storage_->MemoryBytes(); }

const char* JsonValue::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "unknown";
}

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// `value` as `width` or more upper-case hex digits.
std::string Hex(std::uint32_t value, int width) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string digits;
  while (value != 0 || width > 0) {
    digits.insert(digits.begin(), kDigits[value & 0xF]);
    value >>= 4;
    --width;
  }
  return digits;
}

// "U+0009", "U+00E9", "U+1F600".
std::string CodePointName(char32_t code_point) {
  return "U+" + Hex(static_cast<std::uint32_t>(code_point), 4);
}

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

bool IsWordCharacter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_';
}

int HexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// True when `number` (a valid JSON number that std::from_chars reported out of range) is
// too large for a double rather than too close to zero. Its decimal order of magnitude
// decides: out-of-range values are either >= 1e308 or < 1e-323.
bool Overflows(std::string_view number) {
  std::size_t i = number.front() == '-' ? 1 : 0;
  std::int64_t integer_digits = 0;
  std::int64_t leading_zeros = 0;  // zero digits before the first non-zero digit
  bool seen_non_zero = false;
  bool in_fraction = false;
  for (; i < number.size() && number[i] != 'e' && number[i] != 'E'; ++i) {
    if (number[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (!in_fraction) ++integer_digits;
    if (number[i] != '0') seen_non_zero = true;
    if (!seen_non_zero) ++leading_zeros;
  }
  std::int64_t exponent = 0;
  if (i < number.size()) {
    ++i;  // 'e'
    const bool negative = number[i] == '-';
    if (number[i] == '-' || number[i] == '+') ++i;
    constexpr std::int64_t kSaturation = std::int64_t{1} << 40;
    for (; i < number.size(); ++i) {
      if (exponent < kSaturation) exponent = exponent * 10 + (number[i] - '0');
    }
    if (negative) exponent = -exponent;
  }
  // The first non-zero digit stands for 10^(integer_digits - 1 - leading_zeros).
  return integer_digits - 1 - leading_zeros + exponent >= 0;
}

}  // namespace

namespace json_internal {

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits)
      : text_(text), limits_(limits), storage_(std::make_unique<Storage>()) {}

  std::variant<JsonDocument, JsonSyntaxError> Run() {
    // Offsets and node indices are 32-bit; a node takes at least one byte of text.
    constexpr std::size_t kAbsoluteLimit = std::numeric_limits<std::uint32_t>::max() - 1;
    const std::size_t limit = std::min(limits_.max_bytes, kAbsoluteLimit);
    if (text_.size() > limit) {
      return JsonSyntaxError{SourceLocation{}, "document is " + std::to_string(text_.size()) +
                                                   " bytes, larger than the limit of " +
                                                   std::to_string(limit) + " bytes"};
    }
    if (text_.starts_with(kByteOrderMark)) {
      // The BOM is invisible in editors, so the text after it starts at column 1.
      pos_ = line_start_ = column_offset_ = kByteOrderMark.size();
    }
    SkipWhitespace();
    if (!ParseValue()) return std::move(*error_);
    SkipWhitespace();
    if (!AtEnd()) {
      Fail(pos_, "unexpected text after the JSON value");
      return std::move(*error_);
    }
    storage_->text.assign(text_);
    storage_->body_start = text_.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
    storage_->BuildCheckpoints();
    return JsonDocument(std::move(storage_));
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  unsigned char Peek() const { return static_cast<unsigned char>(text_[pos_]); }
  bool PeekIs(char c) const { return !AtEnd() && text_[pos_] == c; }

  void SkipWhitespace() {
    while (!AtEnd()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t') {
        ++pos_;
      } else if (c == '\n' || c == '\r') {
        ++pos_;
        if (c == '\r' && PeekIs('\n')) ++pos_;  // \r\n is one line break
        ++line_;
        line_start_ = pos_;
      } else {
        break;
      }
    }
  }

  // The location of `offset`, which must lie on the current line. Columns are counted
  // from the last location asked for when possible, so a pass over the text costs O(n).
  SourceLocation LocationAt(std::size_t offset) {
    assert(offset >= line_start_ && offset <= text_.size());
    if (column_offset_ < line_start_ || offset < column_offset_) {
      column_offset_ = line_start_;
      column_ = 1;
    }
    for (; column_offset_ < offset; ++column_offset_) {
      // Every byte but a UTF-8 continuation byte starts a code point.
      if ((static_cast<unsigned char>(text_[column_offset_]) & 0xC0) != 0x80) ++column_;
    }
    return SourceLocation{offset, line_, column_};
  }

  bool Fail(SourceLocation location, std::string message) {
    error_ = JsonSyntaxError{location, std::move(message)};
    return false;
  }
  bool Fail(std::size_t offset, std::string message) {
    return Fail(LocationAt(offset), std::move(message));
  }

  // Reports invalid UTF-8 starting at `offset`.
  bool FailUtf8(std::size_t offset) {
    const auto lead = static_cast<unsigned char>(text_[offset]);
    const bool can_start_sequence = lead >= 0xC2 && lead <= 0xF4;
    return Fail(offset, (can_start_sequence ? "invalid UTF-8 sequence starting with byte 0x"
                                            : "invalid UTF-8 byte 0x") +
                            Hex(lead, 2));
  }

  // Reports that the character at pos_ is not what `expected` describes:
  // "<expected>, found 'x'" or "unexpected end of input, <expected>".
  bool FailUnexpected(std::string_view expected) {
    if (AtEnd()) return Fail(pos_, "unexpected end of input, " + std::string(expected));
    const unsigned char c = Peek();
    std::string found;
    if (c >= 0x80) {
      const Utf8Sequence sequence = DecodeUtf8(text_, pos_);
      if (sequence.length == 0) return FailUtf8(pos_);
      found = CodePointName(sequence.code_point);
    } else if (c < 0x20 || c == 0x7F) {
      found = CodePointName(c);
    } else {
      found = std::string("'") + static_cast<char>(c) + "'";
    }
    return Fail(pos_, std::string(expected) + ", found " + found);
  }

  // A new node for the value or key starting at pos_.
  std::uint32_t AddNode(JsonValue::Kind kind) {
    const std::uint32_t index = storage_->Add();
    Node& node = storage_->At(index);
    node.offset = static_cast<std::uint32_t>(pos_);
    node.kind = kind;
    return index;
  }

  // Parses the value at pos_ (whitespace already skipped) into new nodes.
  bool ParseValue() {
    if (AtEnd()) return FailUnexpected("expected a value");
    const unsigned char c = Peek();
    if (c == '{') return ParseObject();
    if (c == '[') return ParseArray();
    if (c == '"') return ParseString();
    if (c == '-' || IsDigit(c)) return ParseNumber();
    if (IsWordCharacter(c)) return ParseWord();
    return FailUnexpected("expected a value");
  }

  // Closes the container at `index`: its subtree ends here, with `count` children.
  void Close(std::uint32_t index, std::uint32_t count) {
    storage_->At(index).payload = (std::uint64_t{count} << 32) | storage_->size;
  }

  // Opens an array or object at pos_, or reports that it nests too deep.
  bool Enter() {
    if (depth_ >= limits_.max_depth) {
      return Fail(pos_, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    ++depth_;
    ++pos_;
    SkipWhitespace();
    return true;
  }

  bool ParseArray() {
    const std::uint32_t index = AddNode(JsonValue::Kind::kArray);
    std::uint32_t count = 0;
    if (!Enter()) return false;
    if (PeekIs(']')) {
      ++pos_;
      --depth_;
      Close(index, count);
      return true;
    }
    while (true) {
      if (!ParseValue()) return false;
      ++count;
      SkipWhitespace();
      if (PeekIs(']')) break;
      if (!PeekIs(',')) return FailUnexpected("expected ',' or ']' after an array element");
      const SourceLocation comma = LocationAt(pos_);
      ++pos_;
      SkipWhitespace();
      if (PeekIs(']')) return Fail(comma, "trailing comma before ']'");
    }
    ++pos_;
    --depth_;
    Close(index, count);
    return true;
  }

  bool ParseObject() {
    const std::uint32_t index = AddNode(JsonValue::Kind::kObject);
    std::uint32_t count = 0;
    if (!Enter()) return false;
    if (PeekIs('}')) {
      ++pos_;
      --depth_;
      Close(index, count);
      return true;
    }
    if (!PeekIs('"')) return FailUnexpected("expected a member name in double quotes or '}'");
    while (true) {
      if (!ParseString()) return false;  // the key
      SkipWhitespace();
      if (!PeekIs(':')) return FailUnexpected("expected ':' after the member name");
      ++pos_;
      SkipWhitespace();
      if (!ParseValue()) return false;
      ++count;
      SkipWhitespace();
      if (PeekIs('}')) break;
      if (!PeekIs(',')) return FailUnexpected("expected ',' or '}' after an object member");
      const SourceLocation comma = LocationAt(pos_);
      ++pos_;
      SkipWhitespace();
      if (PeekIs('}')) return Fail(comma, "trailing comma before '}'");
      if (!PeekIs('"')) return FailUnexpected("expected a member name in double quotes");
    }
    ++pos_;
    --depth_;
    Close(index, count);
    return true;
  }

  // Parses the string (a value or a key) whose opening quote is at pos_ into a new node.
  // Its text stays in the document's text unless it has escapes: then the decoded text
  // goes to Storage::decoded.
  bool ParseString() {
    const std::uint32_t index = AddNode(JsonValue::Kind::kString);
    const std::size_t open = pos_;
    std::string& out = storage_->decoded;
    const std::size_t decoded_start = out.size();
    bool escaped = false;
    std::size_t copied = open + 1;  // with escapes: the text before this is in `out`
    ++pos_;
    while (true) {
      while (!AtEnd()) {
        const auto c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      if (AtEnd()) return Fail(open, "unterminated string");
      const unsigned char c = Peek();
      if (c == '"') {
        Node& node = storage_->At(index);
        if (escaped) {
          out.append(text_.substr(copied, pos_ - copied));
          node.flags = json_internal::kEscaped;
          node.payload = (std::uint64_t{static_cast<std::uint32_t>(decoded_start)} << 32) |
                         (out.size() - decoded_start);
        } else {
          node.payload = pos_ - open - 1;
        }
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        return Fail(pos_, "control character " + CodePointName(c) + " in string must be escaped");
      }
      if (c >= 0x80) {
        const Utf8Sequence sequence = DecodeUtf8(text_, pos_);
        if (sequence.length == 0) return FailUtf8(pos_);
        pos_ += sequence.length;
        continue;
      }
      // An escape: from here on the string is decoded into `out`.
      out.append(text_.substr(copied, pos_ - copied));
      escaped = true;
      if (!ParseEscape(open, out)) return false;
      copied = pos_;
    }
  }

  // Parses the escape whose backslash is at pos_, inside the string opened at `open`.
  bool ParseEscape(std::size_t open, std::string& out) {
    const std::size_t backslash = pos_;
    ++pos_;
    if (AtEnd()) return Fail(open, "unterminated string");
    const unsigned char c = Peek();
    ++pos_;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out += static_cast<char>(c);
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        return ParseUnicodeEscape(open, backslash, out);
      default:
        break;
    }
    --pos_;
    if (c >= 0x20 && c < 0x7F) {
      return Fail(backslash,
                  std::string("invalid escape '\\") + static_cast<char>(c) + "' in string");
    }
    char32_t code_point = c;
    if (c >= 0x80) {
      const Utf8Sequence sequence = DecodeUtf8(text_, pos_);
      if (sequence.length == 0) return FailUtf8(pos_);
      code_point = sequence.code_point;
    }
    return Fail(backslash,
                "invalid escape: '\\' followed by " + CodePointName(code_point) + " in string");
  }

  // Reads the four hex digits at pos_ of a \u escape into `unit`.
  bool ReadHex4(std::size_t open, std::uint32_t& unit) {
    unit = 0;
    for (int i = 0; i < 4; ++i) {
      if (AtEnd()) return Fail(open, "unterminated string");
      const int digit = HexValue(Peek());
      if (digit < 0) return FailUnexpected("expected 4 hex digits after '\\u'");
      unit = unit * 16 + static_cast<std::uint32_t>(digit);
      ++pos_;
    }
    return true;
  }

  // Finishes the \u escape whose backslash is at `backslash`; pos_ is after the 'u'.
  bool ParseUnicodeEscape(std::size_t open, std::size_t backslash, std::string& out) {
    std::uint32_t unit = 0;
    if (!ReadHex4(open, unit)) return false;
    const auto lone_surrogate = [&] {
      return Fail(backslash, "lone surrogate \\u" + Hex(unit, 4));
    };
    if (unit >= 0xDC00 && unit <= 0xDFFF) return lone_surrogate();
    if (unit < 0xD800 || unit > 0xDBFF) {
      AppendUtf8(out, unit);
      return true;
    }
    if (!(PeekIs('\\') && pos_ + 1 < text_.size() && text_[pos_ + 1] == 'u')) {
      return lone_surrogate();
    }
    pos_ += 2;
    std::uint32_t low = 0;
    if (!ReadHex4(open, low)) return false;
    if (low < 0xDC00 || low > 0xDFFF) return lone_surrogate();
    AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
    return true;
  }

  void SkipDigits() {
    while (!AtEnd() && IsDigit(Peek())) ++pos_;
  }

  bool ParseNumber() {
    const std::size_t start = pos_;
    const std::uint32_t index = AddNode(JsonValue::Kind::kNumber);
    bool integral = true;
    if (PeekIs('-')) ++pos_;
    if (AtEnd() || !IsDigit(Peek())) return FailUnexpected("expected a digit after '-'");
    if (PeekIs('0')) {
      ++pos_;
      if (!AtEnd() && IsDigit(Peek())) return Fail(pos_ - 1, "leading zeros are not allowed");
    } else {
      SkipDigits();
    }
    if (PeekIs('.')) {
      integral = false;
      ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return FailUnexpected("expected a digit after '.'");
      SkipDigits();
    }
    if (PeekIs('e') || PeekIs('E')) {
      integral = false;
      ++pos_;
      if (PeekIs('+') || PeekIs('-')) ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return FailUnexpected("expected a digit in the exponent");
      SkipDigits();
    }
    const std::string_view written = text_.substr(start, pos_ - start);
    const char* first = written.data();
    const char* last = written.data() + written.size();
    Node& node = storage_->At(index);
    if (integral) {
      std::int64_t integer = 0;
      const std::from_chars_result exact = std::from_chars(first, last, integer);
      if (exact.ec == std::errc{} && exact.ptr == last) {
        node.flags = json_internal::kInteger;
        if (integer == 0 && written.front() == '-') node.flags |= json_internal::kMinusZero;
        node.payload = std::bit_cast<std::uint64_t>(integer);
        return true;
      }
    }
    double number = 0;
    const std::from_chars_result parsed =
        std::from_chars(first, last, number, std::chars_format::general);
    if (parsed.ec == std::errc::result_out_of_range) {
      if (Overflows(written)) return Fail(start, "number out of range");
      number = written.front() == '-' ? -0.0 : 0.0;  // the nearest double
    }
    node.payload = std::bit_cast<std::uint64_t>(number);
    return true;
  }

  // Parses true, false or null at pos_, or reports the unknown word found there.
  bool ParseWord() {
    const std::size_t start = pos_;
    while (!AtEnd() && IsWordCharacter(Peek())) ++pos_;
    const std::string_view word = text_.substr(start, pos_ - start);
    if (word == "true" || word == "false" || word == "null") {
      const std::uint32_t index = storage_->Add();
      Node& node = storage_->At(index);
      node.offset = static_cast<std::uint32_t>(start);
      node.kind = word == "null" ? JsonValue::Kind::kNull : JsonValue::Kind::kBool;
      if (word == "true") node.flags = json_internal::kTrue;
      return true;
    }
    constexpr std::size_t kShownLength = 32;
    std::string shown(word.substr(0, kShownLength));
    if (word.size() > kShownLength) shown += "...";
    return Fail(start, "expected a value, found '" + shown + "'");
  }

  std::string_view text_;
  const JsonLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;  // arrays and objects open at pos_
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;     // offset of the first byte of the current line
  std::size_t column_offset_ = 0;  // LocationAt's cache: column_ is the column of this offset
  std::uint32_t column_ = 1;
  std::optional<JsonSyntaxError> error_;
  std::unique_ptr<Storage> storage_;
};

}  // namespace json_internal

std::variant<JsonDocument, JsonSyntaxError> ParseJson(std::string_view text,
                                                      const JsonLimits& limits) {
  try {
    return json_internal::Parser(text, limits).Run();
  } catch (const std::bad_alloc&) {
    // The only exception the parser can meet; the contract promises no throw.
    return JsonSyntaxError{SourceLocation{}, "out of memory parsing a document of " +
                                                 std::to_string(text.size()) + " bytes"};
  }
}

}  // namespace bmil
