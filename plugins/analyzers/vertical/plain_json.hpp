// A validating scanner for the plain JSON of attribute texts, so that the vertical analyzer can
// read a key or two of an attributes object without building a nlohmann::json per task.
//
// Contract: the scanner only ever answers for texts it has checked completely, and for those it
// answers exactly what nlohmann::json::parse would give: a text is "plain" when it is one JSON
// value, surrounded by nothing but JSON whitespace, whose strings hold only printable ASCII
// without escapes and whose numbers have no exponent and at most kMaxNumberLength characters
// (so that none can overflow a double), nested at most kMaxDepth deep. Any other text, valid
// JSON or not, makes the scanner answer "not plain"; the caller then asks nlohmann. For plain
// texts the scanner needs no allocation, and it reads keys as nlohmann's parser stores them:
// when an object repeats a key, the last value wins.
//
// Header-only and in the plugin's directory so that the plugin's test can compare it with
// nlohmann on many texts. A general version of it would belong in the SDK.
#ifndef BMIL_PLUGINS_ANALYZERS_VERTICAL_PLAIN_JSON_HPP_
#define BMIL_PLUGINS_ANALYZERS_VERTICAL_PLAIN_JSON_HPP_

#include <cstddef>
#include <string_view>

namespace bmil::vertical {

// The kind of a JSON value, read from its first character.
enum class PlainKind { kObject, kArray, kString, kOther };

// One value of a plain text: `text` spans it whole (a string with its quotes).
struct PlainValue {
  PlainKind kind = PlainKind::kOther;
  std::string_view text;
  // The characters of a string value, without the quotes (plain strings have no escapes).
  std::string_view string() const { return text.substr(1, text.size() - 2); }
};

class PlainJson {
 public:
  static constexpr int kMaxDepth = 32;
  static constexpr std::size_t kMaxNumberLength = 64;

  // Whether `text` is plain (see above); when it is, `value` is its one value.
  static bool Check(std::string_view text, PlainValue& value) {
    PlainJson scan(text);
    scan.SkipSpace();
    if (!scan.Value(0, value)) return false;
    scan.SkipSpace();
    return scan.at_ == scan.end_;
  }

  // Calls visit(key, value) for every member of `object` (a PlainValue of kind kObject from
  // Check(), or a value inside one), in text order.
  template <typename Visit>
  static void Members(const PlainValue& object, Visit visit) {
    PlainJson scan(object.text);
    ++scan.at_;  // '{'
    scan.SkipSpace();
    if (*scan.at_ == '}') return;
    for (;;) {
      PlainValue key, value;
      scan.Value(0, key);
      scan.SkipSpace();
      ++scan.at_;  // ':'
      scan.SkipSpace();
      scan.Value(0, value);
      visit(key.string(), value);
      scan.SkipSpace();
      if (*scan.at_++ == '}') return;
      scan.SkipSpace();
    }
  }

  // Calls visit(element) for every element of `array` (kind kArray, checked), in order.
  template <typename Visit>
  static void Elements(const PlainValue& array, Visit visit) {
    PlainJson scan(array.text);
    ++scan.at_;  // '['
    scan.SkipSpace();
    if (*scan.at_ == ']') return;
    for (;;) {
      PlainValue element;
      scan.Value(0, element);
      visit(element);
      scan.SkipSpace();
      if (*scan.at_++ == ']') return;
      scan.SkipSpace();
    }
  }

  // The value of the last member named `key` of `object` (kind kObject, checked); false when
  // there is none.
  static bool Find(const PlainValue& object, std::string_view key, PlainValue& found) {
    bool any = false;
    Members(object, [&](std::string_view k, const PlainValue& v) {
      if (k == key) {
        found = v;
        any = true;
      }
    });
    return any;
  }

 private:
  explicit PlainJson(std::string_view text) : at_(text.data()), end_(text.data() + text.size()) {}

  void SkipSpace() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }
  bool Take(char c) {
    if (at_ == end_ || *at_ != c) return false;
    ++at_;
    return true;
  }
  bool Digit() const { return at_ != end_ && *at_ >= '0' && *at_ <= '9'; }

  // Scans the value at at_ into `value`; false when it is not plain.
  bool Value(int depth, PlainValue& value) {
    if (at_ == end_) return false;
    const char* begin = at_;
    bool ok = false;
    switch (*at_) {
      case '{':
        value.kind = PlainKind::kObject;
        ok = depth < kMaxDepth && Object(depth + 1);
        break;
      case '[':
        value.kind = PlainKind::kArray;
        ok = depth < kMaxDepth && Array(depth + 1);
        break;
      case '"':
        value.kind = PlainKind::kString;
        ok = String();
        break;
      case 't':
        value.kind = PlainKind::kOther;
        ok = Word("true");
        break;
      case 'f':
        value.kind = PlainKind::kOther;
        ok = Word("false");
        break;
      case 'n':
        value.kind = PlainKind::kOther;
        ok = Word("null");
        break;
      default:
        value.kind = PlainKind::kOther;
        ok = Number();
        break;
    }
    value.text = std::string_view(begin, static_cast<std::size_t>(at_ - begin));
    return ok;
  }

  bool Word(std::string_view word) {
    if (static_cast<std::size_t>(end_ - at_) < word.size() ||
        std::string_view(at_, word.size()) != word)
      return false;
    at_ += word.size();
    return true;
  }

  // A string of printable ASCII without escapes.
  bool String() {
    ++at_;  // '"'
    for (; at_ != end_; ++at_) {
      const auto c = static_cast<unsigned char>(*at_);
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x7f) return false;
    }
    return false;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?, no exponent, at most kMaxNumberLength characters.
  bool Number() {
    const char* begin = at_;
    Take('-');
    if (Take('0')) {
      // a leading zero stands alone
    } else if (Digit()) {
      while (Digit()) ++at_;
    } else {
      return false;
    }
    if (Take('.')) {
      if (!Digit()) return false;
      while (Digit()) ++at_;
    }
    return static_cast<std::size_t>(at_ - begin) <= kMaxNumberLength;
  }

  bool Object(int depth) {
    ++at_;  // '{'
    SkipSpace();
    if (Take('}')) return true;
    for (;;) {
      PlainValue value;
      if (at_ == end_ || *at_ != '"' || !String()) return false;
      SkipSpace();
      if (!Take(':')) return false;
      SkipSpace();
      if (!Value(depth, value)) return false;
      SkipSpace();
      if (Take('}')) return true;
      if (!Take(',')) return false;
      SkipSpace();
    }
  }

  bool Array(int depth) {
    ++at_;  // '['
    SkipSpace();
    if (Take(']')) return true;
    for (;;) {
      PlainValue element;
      if (!Value(depth, element)) return false;
      SkipSpace();
      if (Take(']')) return true;
      if (!Take(',')) return false;
      SkipSpace();
    }
  }

  const char* at_;
  const char* end_;
};

}  // namespace bmil::vertical

#endif  // BMIL_PLUGINS_ANALYZERS_VERTICAL_PLAIN_JSON_HPP_
