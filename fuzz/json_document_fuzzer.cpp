// Fuzzes the positioned JSON parser (ParseJson, core/src/io/json_document.hpp) on arbitrary
// bytes. Beyond "no crash, no hang, no leak, no undefined behaviour, no exception":
//  - every location (of a value, a key, or the syntax error) is where it says it is: its
//    offset lies in the text, and its line and column are the ones counted from the start
//    (a line break is \n, \r or \r\n; a column is one code point, a BOM is not one);
//  - a value's location() is that of its offset(): the same offset, and the line and column
//    counted from the start up to offset() (location() is computed from the offset and the
//    document's checkpoints, so this checks them); locations are checked for documents
//    under 64 KiB, where computing every one stays cheap;
//  - a value's offset is its first character ('{', '[', '"', '-' or a digit, t/f/n), a
//    key's is its opening quote, and a number's text is what is written there;
//  - an array's items().size() and an object's members().size() are the number of steps
//    their iterators take, and a number's number() is what std::from_chars reads from its
//    text (sign of zero included) whenever from_chars reads it;
//  - the value agrees with nlohmann::json on the same text: where ParseJson accepts,
//    nlohmann accepts an equal value; where nlohmann accepts, ParseJson accepts too unless
//    the text nests deeper than the limit or has a NUL byte (nlohmann stops reading there);
//  - ToJson() round-trips: its dump parses back to an equal value.
#include "io/json_document.hpp"

#include "fuzz_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace {

using bmil::JsonDocument;
using bmil::JsonValue;
using bmil::SourceLocation;
using bmil::fuzz::Broken;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Documents at least this large get no location() checks: each costs up to 4 KiB of scan.
constexpr std::size_t kLocatedBytes = 64 * 1024;

// A place found in the parse, and what must be at its offset.
struct Mark {
  std::size_t offset = 0;                  // offset(), or the key's or the error's location
  std::optional<SourceLocation> location;  // what the parse says is there, when asked
  char expect = 0;                         // 0: anything (the syntax error's location)
};

// Collects the marks of every value and key, and checks the properties that need no text:
// sizes against iteration, number() against the number's text.
void Collect(JsonValue root, bool locate, std::vector<Mark>& marks) {
  // Iterative: the depth is bounded by the parser, but the fuzzer needs no stack either.
  std::vector<JsonValue> stack{root};
  while (!stack.empty()) {
    const JsonValue v = stack.back();
    stack.pop_back();
    char first = 0;
    switch (v.kind()) {
      case JsonValue::Kind::kNull:
        first = 'n';
        break;
      case JsonValue::Kind::kBool:
        first = v.boolean() ? 't' : 'f';
        break;
      case JsonValue::Kind::kNumber: {
        first = '#';  // '-' or a digit, checked with the number's text
        const std::string_view written = v.text();
        double expected = 0;
        const std::from_chars_result read = std::from_chars(
            written.data(), written.data() + written.size(), expected, std::chars_format::general);
        if (read.ec == std::errc{} && read.ptr == written.data() + written.size() &&
            std::bit_cast<std::uint64_t>(v.number()) != std::bit_cast<std::uint64_t>(expected)) {
          Broken("a number's number() is not what from_chars reads from its text",
                 std::string(written));
        }
        break;
      }
      case JsonValue::Kind::kString:
        first = '"';
        break;
      case JsonValue::Kind::kArray: {
        first = '[';
        std::size_t steps = 0;
        for (const JsonValue item : v.items()) {
          stack.push_back(item);
          ++steps;
        }
        if (steps != v.items().size()) Broken("an array's items().size() is not its length");
        break;
      }
      case JsonValue::Kind::kObject: {
        first = '{';
        std::size_t steps = 0;
        for (const bmil::JsonMember member : v.members()) {
          // A key's offset is known only from its location: keys are checked when located.
          if (locate) {
            const SourceLocation key = member.key_location();
            marks.push_back({key.offset, key, '"'});
          }
          stack.push_back(member.value());
          ++steps;
        }
        if (steps != v.members().size()) Broken("an object's members().size() is not its length");
        break;
      }
    }
    if (v.kind() != JsonValue::Kind::kArray && !v.items().empty()) {
      Broken("a value that is no array has items");
    }
    if (v.kind() != JsonValue::Kind::kObject && !v.members().empty()) {
      Broken("a value that is no object has members");
    }
    marks.push_back({v.offset(), locate ? std::optional(v.location()) : std::nullopt, first});
  }
}

// Checks every mark against line and column counted from the start of `text`, in one pass
// over the text (marks sorted by offset).
void CheckMarks(std::string_view text, std::vector<Mark>& marks, std::optional<JsonValue> root) {
  std::sort(marks.begin(), marks.end(),
            [](const Mark& a, const Mark& b) { return a.offset < b.offset; });
  const bool bom = text.starts_with(kByteOrderMark);
  std::size_t at = bom ? kByteOrderMark.size() : 0;  // counted up to here
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  for (const Mark& mark : marks) {
    if (mark.location && mark.location->offset != mark.offset) {
      Broken(
          "a value's location() is not at its offset()",
          std::to_string(mark.offset) + ": location at " + std::to_string(mark.location->offset));
    }
    if (mark.offset > text.size()) Broken("a location's offset is past the end of the text");
    if (bom && mark.offset < kByteOrderMark.size()) {
      // Only a document refused before it was read is located inside the BOM: at 1:1.
      if (mark.expect != 0) Broken("a value or key is located inside the BOM");
      if (mark.location->line != 1 || mark.location->column != 1) {
        Broken("a location inside the BOM is not 1:1");
      }
      continue;
    }
    while (at < mark.offset) {
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
    if (at != mark.offset) Broken("a location points between the two bytes of a \\r\\n break");
    if (mark.location && (mark.location->line != line || mark.location->column != column)) {
      Broken("a location's line:column is not the one counted from the start",
             std::to_string(mark.offset) + ": said " + std::to_string(mark.location->line) + ":" +
                 std::to_string(mark.location->column) + ", counted " + std::to_string(line) + ":" +
                 std::to_string(column));
    }
    if (mark.expect == 0) continue;
    if (mark.offset >= text.size()) Broken("a value or key is located at the end of the text");
    const char c = text[mark.offset];
    if (mark.expect == '#' ? !(c == '-' || (c >= '0' && c <= '9')) : c != mark.expect) {
      Broken("a value or key is located where another character is",
             std::to_string(mark.offset) + ": expected '" + std::string(1, mark.expect) +
                 "', found '" + std::string(1, c) + "'");
    }
  }
  // Numbers: the text given is the whole number written at the offset.
  std::vector<JsonValue> stack;
  if (root) stack.push_back(*root);
  while (!stack.empty()) {
    const JsonValue v = stack.back();
    stack.pop_back();
    if (v.kind() == JsonValue::Kind::kNumber) {
      const std::string_view number = v.text();
      if (number.empty() || text.substr(v.offset(), number.size()) != number) {
        Broken("a number's text is not the text at its offset", number);
      }
      const std::size_t end = v.offset() + number.size();
      if (end < text.size() &&
          std::string_view("0123456789+-.eE").find(text[end]) != std::string_view::npos) {
        Broken("a number's text stops before the number does", number);
      }
    }
    for (const JsonValue item : v.items()) stack.push_back(item);
    for (const bmil::JsonMember member : v.members()) stack.push_back(member.value());
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
  const JsonDocument* document = std::get_if<JsonDocument>(&parsed);
  std::optional<JsonValue> root;
  if (document != nullptr) {
    root = document->root();
    Collect(*root, text.size() < kLocatedBytes, marks);
  } else {
    const auto& error = std::get<bmil::JsonSyntaxError>(parsed);
    if (error.message.empty()) Broken("a syntax error without a message");
    marks.push_back({error.location.offset, error.location, 0});
  }
  CheckMarks(text, marks, root);

  // nlohmann::json as the reference; it reads the same strict RFC 8259 (BOM skipped too).
  const nlohmann::json reference = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const bool reference_ok = !reference.is_discarded();
  if (!root) {
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
  const JsonDocument* back = std::get_if<JsonDocument>(&again);
  if (back == nullptr) {
    Broken("ParseJson refuses the dump of its own value",
           std::get<bmil::JsonSyntaxError>(again).message + "\n" + dumped);
  }
  if (back->root().ToJson() != value) {
    Broken("ToJson() does not round-trip through its dump", dumped);
  }
  return 0;
}
