// Fuzzes the positioned JSON parser (ParseJson, core/src/io/json_document.hpp) on arbitrary
// bytes. Beyond "no crash, no hang, no leak, no undefined behaviour, no exception":
//  - every location (of a value, a key, or the syntax error) is where it says it is: its
//    offset lies in the text, and its line and column are the ones counted from the start
//    (a line break is \n, \r or \r\n; a column is one code point, a BOM is not one);
//  - a value's offset is its first character ('{', '[', '"', '-' or a digit, t/f/n), a
//    key's is its opening quote, and a number's text is what is written there;
//  - the value agrees with nlohmann::json on the same text: where ParseJson accepts,
//    nlohmann accepts an equal value; where nlohmann accepts, ParseJson accepts too unless
//    the text nests deeper than the limit or has a NUL byte (nlohmann stops reading there);
//  - ToJson() round-trips: its dump parses back to an equal value.
#include "io/json_document.hpp"

#include "fuzz_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

using bmil::JsonValue;
using bmil::SourceLocation;
using bmil::fuzz::Broken;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// A location found in the parse, and what must be at its offset.
struct Mark {
  SourceLocation location;
  char expect = 0;  // 0: anything (the syntax error's location)
};

void Collect(const JsonValue& value, std::vector<Mark>& marks) {
  // Iterative: the depth is bounded by the parser, but the fuzzer needs no stack either.
  std::vector<const JsonValue*> stack{&value};
  while (!stack.empty()) {
    const JsonValue* v = stack.back();
    stack.pop_back();
    char first = 0;
    switch (v->kind) {
      case JsonValue::Kind::kNull:
        first = 'n';
        break;
      case JsonValue::Kind::kBool:
        first = v->boolean ? 't' : 'f';
        break;
      case JsonValue::Kind::kNumber:
        first = '#';  // '-' or a digit, checked with the number's text
        break;
      case JsonValue::Kind::kString:
        first = '"';
        break;
      case JsonValue::Kind::kArray:
        first = '[';
        for (const JsonValue& item : v->items) stack.push_back(&item);
        break;
      case JsonValue::Kind::kObject:
        first = '{';
        for (const bmil::JsonMember& member : v->members) {
          marks.push_back({member.key_location, '"'});
          stack.push_back(&member.value);
        }
        break;
    }
    marks.push_back({v->location, first});
  }
}

// Checks every mark against line and column counted from the start of `text`, in one pass
// over the text (marks sorted by offset).
void CheckMarks(std::string_view text, std::vector<Mark>& marks, const JsonValue* root) {
  std::sort(marks.begin(), marks.end(),
            [](const Mark& a, const Mark& b) { return a.location.offset < b.location.offset; });
  const bool bom = text.starts_with(kByteOrderMark);
  std::size_t at = bom ? kByteOrderMark.size() : 0;  // counted up to here
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  for (const Mark& mark : marks) {
    const SourceLocation& l = mark.location;
    if (l.offset > text.size()) Broken("a location's offset is past the end of the text");
    if (bom && l.offset < kByteOrderMark.size()) {
      // Only a document refused before it was read is located inside the BOM: at 1:1.
      if (l.line != 1 || l.column != 1) Broken("a location inside the BOM is not 1:1");
      continue;
    }
    while (at < l.offset) {
      const char c = text[at];
      if (c == '\n' || c == '\r') {
        ++at;
        if (c == '\r' && at < text.size() && text[at] == '\n') ++at;
        ++line;
        column = 1;
        continue;
      }
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
      ++at;
    }
    if (at != l.offset) Broken("a location points between the two bytes of a \\r\\n break");
    if (l.line != line || l.column != column) {
      Broken("a location's line:column is not the one counted from the start",
             std::to_string(l.offset) + ": said " + std::to_string(l.line) + ":" +
                 std::to_string(l.column) + ", counted " + std::to_string(line) + ":" +
                 std::to_string(column));
    }
    if (mark.expect == 0) continue;
    if (l.offset >= text.size()) Broken("a value or key is located at the end of the text");
    const char c = text[l.offset];
    if (mark.expect == '#' ? !(c == '-' || (c >= '0' && c <= '9')) : c != mark.expect) {
      Broken("a value or key is located where another character is",
             std::to_string(l.offset) + ": expected '" + std::string(1, mark.expect) +
                 "', found '" + std::string(1, c) + "'");
    }
  }
  // Numbers: the text kept is the text at the location.
  std::vector<const JsonValue*> stack{root};
  while (root != nullptr && !stack.empty()) {
    const JsonValue* v = stack.back();
    stack.pop_back();
    if (v->kind == JsonValue::Kind::kNumber &&
        text.substr(v->location.offset, v->text.size()) != v->text) {
      Broken("a number's text is not the text at its location", v->text);
    }
    for (const JsonValue& item : v->items) stack.push_back(&item);
    for (const bmil::JsonMember& member : v->members) stack.push_back(&member.value);
  }
}

// How deep arrays and objects nest in `value` (0 for a scalar). Iterative.
std::size_t Depth(const nlohmann::json& value) {
  std::size_t deepest = 0;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> stack{{&value, 0}};
  while (!stack.empty()) {
    const auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const auto& item : *v) stack.emplace_back(&item, depth + 1);
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bmil::JsonLimits limits;
  auto parsed = bmil::ParseJson(text, limits);

  std::vector<Mark> marks;
  const JsonValue* root = std::get_if<JsonValue>(&parsed);
  if (root != nullptr) {
    Collect(*root, marks);
  } else {
    const auto& error = std::get<bmil::JsonSyntaxError>(parsed);
    if (error.message.empty()) Broken("a syntax error without a message");
    marks.push_back({error.location, 0});
  }
  CheckMarks(text, marks, root);

  // nlohmann::json as the reference; it reads the same strict RFC 8259 (BOM skipped too).
  const nlohmann::json reference = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const bool reference_ok = !reference.is_discarded();
  if (root == nullptr) {
    // nlohmann::json ends the input at a NUL byte (for C strings) and ignores what follows;
    // a NUL is never valid JSON outside a string, and never raw inside one.
    const bool has_nul = text.find('\0') != std::string_view::npos;
    if (reference_ok && !has_nul && Depth(reference) <= limits.max_depth) {
      Broken("ParseJson refuses a document nlohmann::json reads",
             std::get<bmil::JsonSyntaxError>(parsed).message);
    }
    return 0;
  }
  const nlohmann::json value = root->ToJson();
  if (!reference_ok) Broken("ParseJson accepts a document nlohmann::json refuses");
  if (value != reference) {
    Broken("ParseJson and nlohmann::json read different values", value.dump());
  }

  const std::string dumped = value.dump();
  auto again = bmil::ParseJson(dumped, limits);
  const JsonValue* back = std::get_if<JsonValue>(&again);
  if (back == nullptr) {
    Broken("ParseJson refuses the dump of its own value",
           std::get<bmil::JsonSyntaxError>(again).message + "\n" + dumped);
  }
  if (back->ToJson() != value) Broken("ToJson() does not round-trip through its dump", dumped);
  return 0;
}
