#include "io/json_document.hpp"

#include "io/utf8.hpp"

#include <cassert>
#include <charconv>
#include <limits>
#include <new>
#include <optional>
#include <system_error>
#include <utility>

namespace bmil {

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (const JsonMember& member : members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

nlohmann::json JsonValue::ToJson() const {
  switch (kind) {
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return boolean;
    case Kind::kNumber:
      return is_integer ? nlohmann::json(integer) : nlohmann::json(number);
    case Kind::kString:
      return text;
    case Kind::kArray: {
      nlohmann::json result = nlohmann::json::array();
      for (const JsonValue& item : items) result.push_back(item.ToJson());
      return result;
    }
    case Kind::kObject: {
      nlohmann::json result = nlohmann::json::object();
      // Assigning in document order leaves the last of duplicate keys in place.
      for (const JsonMember& member : members) result[member.key] = member.value.ToJson();
      return result;
    }
  }
  return nullptr;
}

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

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  std::variant<JsonValue, JsonSyntaxError> Run() {
    if (text_.size() > limits_.max_bytes) {
      return JsonSyntaxError{SourceLocation{}, "document is " + std::to_string(text_.size()) +
                                                   " bytes, larger than the limit of " +
                                                   std::to_string(limits_.max_bytes) + " bytes"};
    }
    if (text_.starts_with(kByteOrderMark)) {
      // The BOM is invisible in editors, so the text after it starts at column 1.
      pos_ = line_start_ = column_offset_ = kByteOrderMark.size();
    }
    JsonValue root;
    SkipWhitespace();
    if (!ParseValue(root)) return std::move(*error_);
    SkipWhitespace();
    if (!AtEnd()) {
      Fail(pos_, "unexpected text after the JSON value");
      return std::move(*error_);
    }
    return root;
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

  // Parses the value at pos_ (whitespace already skipped) into `out`.
  bool ParseValue(JsonValue& out) {
    if (AtEnd()) return FailUnexpected("expected a value");
    out.location = LocationAt(pos_);
    const unsigned char c = Peek();
    if (c == '{') return ParseObject(out);
    if (c == '[') return ParseArray(out);
    if (c == '"') {
      out.kind = JsonValue::Kind::kString;
      return ParseString(out.text);
    }
    if (c == '-' || IsDigit(c)) return ParseNumber(out);
    if (IsWordCharacter(c)) return ParseWord(out);
    return FailUnexpected("expected a value");
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

  bool ParseArray(JsonValue& out) {
    out.kind = JsonValue::Kind::kArray;
    if (!Enter()) return false;
    if (PeekIs(']')) {
      ++pos_;
      --depth_;
      return true;
    }
    while (true) {
      if (!ParseValue(out.items.emplace_back())) return false;
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
    return true;
  }

  bool ParseObject(JsonValue& out) {
    out.kind = JsonValue::Kind::kObject;
    if (!Enter()) return false;
    if (PeekIs('}')) {
      ++pos_;
      --depth_;
      return true;
    }
    if (!PeekIs('"')) return FailUnexpected("expected a member name in double quotes or '}'");
    while (true) {
      JsonMember& member = out.members.emplace_back();
      member.key_location = LocationAt(pos_);
      if (!ParseString(member.key)) return false;
      SkipWhitespace();
      if (!PeekIs(':')) return FailUnexpected("expected ':' after the member name");
      ++pos_;
      SkipWhitespace();
      if (!ParseValue(member.value)) return false;
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
    return true;
  }

  // Parses the string whose opening quote is at pos_ and appends its decoded text to `out`.
  bool ParseString(std::string& out) {
    const std::size_t open = pos_;
    ++pos_;
    while (true) {
      std::size_t run_end = pos_;
      while (run_end < text_.size()) {
        const auto c = static_cast<unsigned char>(text_[run_end]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run_end;
      }
      out.append(text_.substr(pos_, run_end - pos_));
      pos_ = run_end;
      if (AtEnd()) return Fail(open, "unterminated string");
      const unsigned char c = Peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        return Fail(pos_, "control character " + CodePointName(c) + " in string must be escaped");
      }
      if (c >= 0x80) {
        const Utf8Sequence sequence = DecodeUtf8(text_, pos_);
        if (sequence.length == 0) return FailUtf8(pos_);
        out.append(text_.substr(pos_, sequence.length));
        pos_ += sequence.length;
        continue;
      }
      if (!ParseEscape(open, out)) return false;
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

  bool ParseNumber(JsonValue& out) {
    const std::size_t start = pos_;
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
    out.kind = JsonValue::Kind::kNumber;
    out.text.assign(written);
    const std::from_chars_result parsed =
        std::from_chars(first, last, out.number, std::chars_format::general);
    if (parsed.ec == std::errc::result_out_of_range) {
      if (Overflows(written)) return Fail(out.location, "number out of range");
      out.number = written.front() == '-' ? -0.0 : 0.0;  // the nearest double
    }
    if (integral) {
      std::int64_t integer = 0;
      const std::from_chars_result exact = std::from_chars(first, last, integer);
      if (exact.ec == std::errc{} && exact.ptr == last) {
        out.is_integer = true;
        out.integer = integer;
      }
    }
    return true;
  }

  // Parses true, false or null at pos_, or reports the unknown word found there.
  bool ParseWord(JsonValue& out) {
    const std::size_t start = pos_;
    while (!AtEnd() && IsWordCharacter(Peek())) ++pos_;
    const std::string_view word = text_.substr(start, pos_ - start);
    if (word == "true" || word == "false") {
      out.kind = JsonValue::Kind::kBool;
      out.boolean = word == "true";
      return true;
    }
    if (word == "null") {
      out.kind = JsonValue::Kind::kNull;
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
};

}  // namespace

std::variant<JsonValue, JsonSyntaxError> ParseJson(std::string_view text,
                                                   const JsonLimits& limits) {
  try {
    return Parser(text, limits).Run();
  } catch (const std::bad_alloc&) {
    // The only exception the parser can meet; the contract promises no throw.
    return JsonSyntaxError{SourceLocation{}, "out of memory parsing a document of " +
                                                 std::to_string(text.size()) + " bytes"};
  }
}

}  // namespace bmil
