#include "io/json_document.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <iterator>
#include <limits>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace bmil {
namespace {

using Kind = JsonValue::Kind;
using Where = std::tuple<std::size_t, std::uint32_t, std::uint32_t>;  // offset, line, column

static_assert(std::forward_iterator<JsonItems::iterator>);
static_assert(std::forward_iterator<JsonMembers::iterator>);
static_assert(std::ranges::forward_range<JsonItems>);
static_assert(std::ranges::forward_range<JsonMembers>);

constexpr std::string_view kBom = "\xEF\xBB\xBF";

Where At(std::size_t offset, std::uint32_t line, std::uint32_t column) {
  return {offset, line, column};
}
Where At(const SourceLocation& location) {
  return {location.offset, location.line, location.column};
}

// The documents of the values Parse hands out: a value lives only as long as its document,
// so they are kept until the test program ends.
std::deque<JsonDocument>& Documents() {
  static std::deque<JsonDocument> documents;
  return documents;
}

JsonValue Keep(JsonDocument document) {
  return Documents().emplace_back(std::move(document)).root();
}

// Parses `text`, failing the test (and returning a null value) when it is not valid.
JsonValue Parse(std::string_view text, const JsonLimits& limits = {}) {
  auto result = ParseJson(text, limits);
  if (auto* error = std::get_if<JsonSyntaxError>(&result)) {
    ADD_FAILURE() << "unexpected error at " << error->location.line << ":" << error->location.column
                  << ": " << error->message;
    return Keep(std::get<JsonDocument>(ParseJson("null")));
  }
  return Keep(std::get<JsonDocument>(std::move(result)));
}

// Parses `text`, failing the test (and returning an empty error) when it is valid.
JsonSyntaxError ParseError(std::string_view text, const JsonLimits& limits = {}) {
  auto result = ParseJson(text, limits);
  if (auto* error = std::get_if<JsonSyntaxError>(&result)) return *error;
  ADD_FAILURE() << "expected a syntax error";
  return JsonSyntaxError{};
}

// The i-th element of an array, reached by stepping the iterator (failing the test, and
// giving a null value, when there is none).
JsonValue Item(JsonValue array, std::size_t i) {
  const JsonItems items = array.items();
  if (i >= items.size()) {
    ADD_FAILURE() << "no item " << i << " in an array of " << items.size();
    return Parse("null");
  }
  return *std::next(items.begin(), static_cast<std::ptrdiff_t>(i));
}

// The i-th member of an object (failing the test, and giving a stand-in, when there is none).
JsonMember Member(JsonValue object, std::size_t i) {
  const JsonMembers members = object.members();
  if (i >= members.size()) {
    ADD_FAILURE() << "no member " << i << " in an object of " << members.size();
    return *Parse(R"({"":null})").members().begin();
  }
  return *std::next(members.begin(), static_cast<std::ptrdiff_t>(i));
}

TEST(JsonDocument, ParsesLiterals) {
  const JsonValue null_value = Parse("null");
  EXPECT_EQ(null_value.kind(), Kind::kNull);
  const JsonValue true_value = Parse("true");
  EXPECT_EQ(true_value.kind(), Kind::kBool);
  EXPECT_TRUE(true_value.boolean());
  const JsonValue false_value = Parse(" false ");
  EXPECT_EQ(false_value.kind(), Kind::kBool);
  EXPECT_FALSE(false_value.boolean());
  EXPECT_EQ(At(false_value.location()), At(1, 1, 2));
  const JsonValue text = Parse("\"hi\"");
  EXPECT_EQ(text.kind(), Kind::kString);
  EXPECT_EQ(text.text(), "hi");
  const JsonValue empty_array = Parse("[ ]");
  EXPECT_EQ(empty_array.kind(), Kind::kArray);
  EXPECT_TRUE(empty_array.items().empty());
  const JsonValue empty_object = Parse("{\t}");
  EXPECT_EQ(empty_object.kind(), Kind::kObject);
  EXPECT_TRUE(empty_object.members().empty());
}

TEST(JsonDocument, RecordsLocationsOfNestedValuesAndKeys) {
  // Offsets: line 1 is "{" (0) "\n" (1); line 2 starts at 2, line 3 at 27, line 4 at 39.
  const JsonValue root = Parse(
      "{\n"
      "  \"a\": [1, {\"b\": null}],\n"
      "  \"c\": true\n"
      "}");
  ASSERT_EQ(root.kind(), Kind::kObject);
  EXPECT_EQ(At(root.location()), At(0, 1, 1));
  ASSERT_EQ(root.members().size(), 2u);

  const JsonMember a = Member(root, 0);
  EXPECT_EQ(a.key(), "a");
  EXPECT_EQ(At(a.key_location()), At(4, 2, 3));
  ASSERT_EQ(a.value().kind(), Kind::kArray);
  EXPECT_EQ(At(a.value().location()), At(9, 2, 8));
  ASSERT_EQ(a.value().items().size(), 2u);
  EXPECT_EQ(At(Item(a.value(), 0).location()), At(10, 2, 9));
  const JsonValue inner = Item(a.value(), 1);
  ASSERT_EQ(inner.kind(), Kind::kObject);
  EXPECT_EQ(At(inner.location()), At(13, 2, 12));
  ASSERT_EQ(inner.members().size(), 1u);
  EXPECT_EQ(Member(inner, 0).key(), "b");
  EXPECT_EQ(At(Member(inner, 0).key_location()), At(14, 2, 13));
  EXPECT_EQ(Member(inner, 0).value().kind(), Kind::kNull);
  EXPECT_EQ(At(Member(inner, 0).value().location()), At(19, 2, 18));

  const JsonMember c = Member(root, 1);
  EXPECT_EQ(c.key(), "c");
  EXPECT_EQ(At(c.key_location()), At(29, 3, 3));
  EXPECT_EQ(At(c.value().location()), At(34, 3, 8));
}

TEST(JsonDocument, CountsColumnsInCodePoints) {
  // "é" is 2 bytes, "€" 3 and "😀" 4: the 1 is byte 14 but the 9th code point.
  const JsonValue root = Parse("[\"é€😀\", 1]");
  ASSERT_EQ(root.items().size(), 2u);
  EXPECT_EQ(Item(root, 0).text(), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(At(Item(root, 0).location()), At(1, 1, 2));
  EXPECT_EQ(At(Item(root, 1).location()), At(14, 1, 9));
}

TEST(JsonDocument, CountsTabAsOneColumn) {
  const JsonValue root = Parse("[\t\t1]");
  ASSERT_EQ(root.items().size(), 1u);
  EXPECT_EQ(At(Item(root, 0).location()), At(3, 1, 4));
}

TEST(JsonDocument, CountsCrLfAsOneLineBreakAndLoneCrAsAnother) {
  // Lines: "[" | "1," | "" (after a lone \r) | "2," | "3]".
  const JsonValue root = Parse("[\r\n1,\r\r\n2,\r3]");
  ASSERT_EQ(root.items().size(), 3u);
  EXPECT_EQ(At(Item(root, 0).location()), At(3, 2, 1));
  EXPECT_EQ(At(Item(root, 1).location()), At(8, 4, 1));
  EXPECT_EQ(At(Item(root, 2).location()), At(11, 5, 1));
}

TEST(JsonDocument, SkipsByteOrderMarkWithoutCountingAColumn) {
  const JsonValue root = Parse("\xEF\xBB\xBF[1]");
  EXPECT_EQ(At(root.location()), At(3, 1, 1));
  ASSERT_EQ(root.items().size(), 1u);
  EXPECT_EQ(At(Item(root, 0).location()), At(4, 1, 2));

  const JsonSyntaxError in_middle = ParseError("[\xEF\xBB\xBF]");
  EXPECT_EQ(in_middle.message, "expected a value, found U+FEFF");
  EXPECT_EQ(At(in_middle.location), At(1, 1, 2));
}

struct NumberCase {
  const char* text;
  double number;
  bool is_integer;
  std::int64_t integer;
};

TEST(JsonDocument, ParsesNumbers) {
  const NumberCase cases[] = {
      {"0", 0.0, true, 0},
      {"42", 42.0, true, 42},
      {"-17", -17.0, true, -17},
      {"1.5", 1.5, false, 0},
      {"1.0", 1.0, false, 0},
      {"1e3", 1000.0, false, 0},
      {"1E+2", 100.0, false, 0},
      {"2.5e-1", 0.25, false, 0},
      {"-0.125", -0.125, false, 0},
      {"9223372036854775807", 9223372036854775807.0, true, INT64_MAX},
      {"-9223372036854775808", -9223372036854775808.0, true, INT64_MIN},
      {"9223372036854775808", 9223372036854775808.0, false, 0},
      {"1.7976931348623157e308", std::numeric_limits<double>::max(), false, 0},
      {"5e-324", std::numeric_limits<double>::denorm_min(), false, 0},
      {"1e-400", 0.0, false, 0},
      {"1e-99999999999999999999999", 0.0, false, 0},
  };
  for (const NumberCase& c : cases) {
    SCOPED_TRACE(c.text);
    const JsonValue value = Parse(c.text);
    ASSERT_EQ(value.kind(), Kind::kNumber);
    EXPECT_EQ(value.text(), c.text);
    EXPECT_EQ(value.number(), c.number);
    EXPECT_EQ(value.is_integer(), c.is_integer);
    EXPECT_EQ(value.integer(), c.integer);
  }
}

TEST(JsonDocument, KeepsTheSignOfNegativeZero) {
  const JsonValue zero = Parse("-0");
  EXPECT_TRUE(zero.is_integer());
  EXPECT_EQ(zero.integer(), 0);
  EXPECT_TRUE(std::signbit(zero.number()));
  const JsonValue underflow = Parse("-1e-400");
  EXPECT_FALSE(underflow.is_integer());
  EXPECT_EQ(underflow.number(), 0.0);
  EXPECT_TRUE(std::signbit(underflow.number()));
}

TEST(JsonDocument, UnderflowsLongFractionToZero) {
  const std::string text = "0." + std::string(400, '0') + "1";
  const JsonValue value = Parse(text);
  EXPECT_EQ(value.number(), 0.0);
  EXPECT_EQ(value.text(), text);
}

TEST(JsonDocument, ReportsNumberOutOfRange) {
  const char* const texts[] = {"1e400", "1e99999999999999999999999", "-1.8e308"};
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    const JsonSyntaxError error = ParseError(text);
    EXPECT_EQ(error.message, "number out of range");
    EXPECT_EQ(At(error.location), At(0, 1, 1));
  }
  const JsonSyntaxError in_array = ParseError("[0, 1" + std::string(400, '0') + "]");
  EXPECT_EQ(in_array.message, "number out of range");
  EXPECT_EQ(At(in_array.location), At(4, 1, 5));
}

TEST(JsonDocument, DecodesEscapes) {
  const JsonValue value = Parse(R"("\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC")");
  EXPECT_EQ(value.text(), "\"\\/\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC");
}

TEST(JsonDocument, DecodesSurrogatePairToUtf8) {
  EXPECT_EQ(Parse(R"("\ud83d\ude00")").text(), "\xF0\x9F\x98\x80");  // U+1F600
  EXPECT_EQ(Parse(R"("\uDBFF\uDFFF")").text(), "\xF4\x8F\xBF\xBF");  // U+10FFFF
}

TEST(JsonDocument, DecodesEscapedNul) {
  const JsonValue value = Parse(R"("a\u0000b")");
  EXPECT_EQ(value.text(), std::string_view("a\0b", 3));
}

TEST(JsonDocument, KeepsDuplicateKeysInDocumentOrder) {
  const JsonValue root = Parse(R"({"a":1,"b":2,"a":3})");
  ASSERT_EQ(root.members().size(), 3u);
  EXPECT_EQ(Member(root, 0).key(), "a");
  EXPECT_EQ(Member(root, 1).key(), "b");
  EXPECT_EQ(Member(root, 2).key(), "a");
  EXPECT_EQ(Member(root, 0).value().integer(), 1);
  EXPECT_EQ(Member(root, 1).value().integer(), 2);
  EXPECT_EQ(Member(root, 2).value().integer(), 3);
  EXPECT_EQ(At(Member(root, 0).key_location()), At(1, 1, 2));
  EXPECT_EQ(At(Member(root, 2).key_location()), At(13, 1, 14));

  // Find takes the first; ToJson keeps the last.
  const std::optional<JsonValue> found = root.Find("a");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->integer(), 1);
  EXPECT_EQ(root.ToJson(), nlohmann::json({{"a", 3}, {"b", 2}}));
}

TEST(JsonDocument, FindReturnsNothingForMissingKeyOrNonObject) {
  const JsonValue root = Parse(R"({"a":[1]})");
  EXPECT_FALSE(root.Find("b").has_value());
  EXPECT_FALSE(root.Find("").has_value());
  const std::optional<JsonValue> a = root.Find("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE(a->Find("a").has_value());
  EXPECT_FALSE(Parse("\"a\"").Find("a").has_value());
}

TEST(JsonDocument, NamesKinds) {
  EXPECT_STREQ(JsonValue::KindName(Kind::kNull), "null");
  EXPECT_STREQ(JsonValue::KindName(Kind::kBool), "boolean");
  EXPECT_STREQ(JsonValue::KindName(Kind::kNumber), "number");
  EXPECT_STREQ(JsonValue::KindName(Kind::kString), "string");
  EXPECT_STREQ(JsonValue::KindName(Kind::kArray), "array");
  EXPECT_STREQ(JsonValue::KindName(Kind::kObject), "object");
}

TEST(JsonDocument, ToJsonMatchesNlohmannParse) {
  const std::string text = R"({
    "name": "Kellpo \u00e9\ud83d\ude00",
    "count": 3,
    "negative": -42,
    "ratio": 0.25,
    "whole_float": 2.0,
    "big": 1e300,
    "largest": 9223372036854775807,
    "flags": [true, false, null],
    "empty_array": [],
    "empty_object": {},
    "nested": {"list": [{"x": -0.5}, [1, [2, [3]]]], "escaped": "tab\there\n"}
  })";
  const nlohmann::json converted = Parse(text).ToJson();
  EXPECT_EQ(converted, nlohmann::json::parse(text));
  EXPECT_TRUE(converted["count"].is_number_integer());
  EXPECT_EQ(converted["largest"].get<std::int64_t>(), INT64_MAX);
  EXPECT_TRUE(converted["whole_float"].is_number_float());
  EXPECT_TRUE(converted["empty_array"].is_array());
  EXPECT_TRUE(converted["empty_object"].is_object());
  EXPECT_EQ(converted["name"].get<std::string>(), "Kellpo \xC3\xA9\xF0\x9F\x98\x80");
}

struct ErrorCase {
  const char* text;
  std::size_t size;  // bytes of text, so cases may hold NUL; 0 means strlen
  const char* message;
  Where where;
};

// Every message with the location of the offending character, counted by hand.
TEST(JsonDocument, ReportsLineAndColumnOfUnexpectedToken) {
  const ErrorCase cases[] = {
      // Structure.
      {R"({"a": 1])", 0, "expected ',' or '}' after an object member, found ']'", At(7, 1, 8)},
      {"[1 2]", 0, "expected ',' or ']' after an array element, found '2'", At(3, 1, 4)},
      {"[1", 0, "unexpected end of input, expected ',' or ']' after an array element", At(2, 1, 3)},
      {R"({"a" 1})", 0, "expected ':' after the member name, found '1'", At(5, 1, 6)},
      {"{a:1}", 0, "expected a member name in double quotes or '}', found 'a'", At(1, 1, 2)},
      {R"({"a":1,2})", 0, "expected a member name in double quotes, found '2'", At(7, 1, 8)},
      {"{", 0, "unexpected end of input, expected a member name in double quotes or '}'",
       At(1, 1, 2)},
      {R"({"a":})", 0, "expected a value, found '}'", At(5, 1, 6)},
      {"[}", 0, "expected a value, found '}'", At(1, 1, 2)},
      {"[1,]", 0, "trailing comma before ']'", At(2, 1, 3)},
      {"{\"a\":1,\n}", 0, "trailing comma before '}'", At(6, 1, 7)},
      {"[1,\r\n  ]", 0, "trailing comma before ']'", At(2, 1, 3)},
      {"", 0, "unexpected end of input, expected a value", At(0, 1, 1)},
      {"  \n ", 0, "unexpected end of input, expected a value", At(4, 2, 2)},
      {"[1,", 0, "unexpected end of input, expected a value", At(3, 1, 4)},
      {"[1] 2", 0, "unexpected text after the JSON value", At(4, 1, 5)},
      {"[1]\0", 4, "unexpected text after the JSON value", At(3, 1, 4)},
      {"{\r\n  \"a\": tru\r\n}", 0, "expected a value, found 'tru'", At(10, 2, 8)},
      {"[\"\xC3\xA9\", x]", 0, "expected a value, found 'x'", At(7, 1, 7)},
      {"[\"\xC3\xA9\"", 0, "unexpected end of input, expected ',' or ']' after an array element",
       At(5, 1, 5)},
      // Literals and characters outside strings.
      {"NaN", 0, "expected a value, found 'NaN'", At(0, 1, 1)},
      {"[Infinity]", 0, "expected a value, found 'Infinity'", At(1, 1, 2)},
      {"True", 0, "expected a value, found 'True'", At(0, 1, 1)},
      {"nulls", 0, "expected a value, found 'nulls'", At(0, 1, 1)},
      {"// c\n1", 0, "expected a value, found '/'", At(0, 1, 1)},
      {"'a'", 0, "expected a value, found '''", At(0, 1, 1)},
      {"[\x01]", 0, "expected a value, found U+0001", At(1, 1, 2)},
      {"\f1", 0, "expected a value, found U+000C", At(0, 1, 1)},
      {"[\xC2\xA0]", 0, "expected a value, found U+00A0", At(1, 1, 2)},
      // Numbers.
      {"01", 0, "leading zeros are not allowed", At(0, 1, 1)},
      {"[-012]", 0, "leading zeros are not allowed", At(2, 1, 3)},
      {".5", 0, "expected a value, found '.'", At(0, 1, 1)},
      {"+1", 0, "expected a value, found '+'", At(0, 1, 1)},
      {"-", 0, "unexpected end of input, expected a digit after '-'", At(1, 1, 2)},
      {"-x", 0, "expected a digit after '-', found 'x'", At(1, 1, 2)},
      {"1.", 0, "unexpected end of input, expected a digit after '.'", At(2, 1, 3)},
      {"1.e5", 0, "expected a digit after '.', found 'e'", At(2, 1, 3)},
      {"1e", 0, "unexpected end of input, expected a digit in the exponent", At(2, 1, 3)},
      {"1e+x", 0, "expected a digit in the exponent, found 'x'", At(3, 1, 4)},
      {"[1x]", 0, "expected ',' or ']' after an array element, found 'x'", At(2, 1, 3)},
      // Strings.
      {"\"abc", 0, "unterminated string", At(0, 1, 1)},
      {"[1, \"ab\\", 0, "unterminated string", At(4, 1, 5)},
      {"\"\\u12", 0, "unterminated string", At(0, 1, 1)},
      {R"("a\qb")", 0, "invalid escape '\\q' in string", At(2, 1, 3)},
      {"\"\\\xC3\xA9\"", 0, "invalid escape: '\\' followed by U+00E9 in string", At(1, 1, 2)},
      {"\"\\\x01\"", 0, "invalid escape: '\\' followed by U+0001 in string", At(1, 1, 2)},
      {"\"a\tb\"", 0, "control character U+0009 in string must be escaped", At(2, 1, 3)},
      {"[\"a\nb\"]", 0, "control character U+000A in string must be escaped", At(3, 1, 4)},
      {"\"\0\"", 3, "control character U+0000 in string must be escaped", At(1, 1, 2)},
      {R"("\u12G4")", 0, "expected 4 hex digits after '\\u', found 'G'", At(5, 1, 6)},
      {R"("\u12")", 0, "expected 4 hex digits after '\\u', found '\"'", At(5, 1, 6)},
      {R"("\uD800")", 0, "lone surrogate \\uD800", At(1, 1, 2)},
      {R"("x\ud800y")", 0, "lone surrogate \\uD800", At(2, 1, 3)},
      {R"("\uDC00")", 0, "lone surrogate \\uDC00", At(1, 1, 2)},
      {R"("\uD800\u0041")", 0, "lone surrogate \\uD800", At(1, 1, 2)},
      {R"("\uD800\uD800")", 0, "lone surrogate \\uD800", At(1, 1, 2)},
      {R"("\uD800\n")", 0, "lone surrogate \\uD800", At(1, 1, 2)},
      {R"("\uD800\uDC0")", 0, "expected 4 hex digits after '\\u', found '\"'", At(12, 1, 13)},
      // UTF-8.
      {"\"\xFF\"", 0, "invalid UTF-8 byte 0xFF", At(1, 1, 2)},
      {"[\xFF]", 0, "invalid UTF-8 byte 0xFF", At(1, 1, 2)},
      {"\"\x80\"", 0, "invalid UTF-8 byte 0x80", At(1, 1, 2)},
      {"\"\xC0\xAF\"", 0, "invalid UTF-8 byte 0xC0", At(1, 1, 2)},
      {"\"\xE2\x82\"", 0, "invalid UTF-8 sequence starting with byte 0xE2", At(1, 1, 2)},
      {"\"\xE2\x82", 0, "invalid UTF-8 sequence starting with byte 0xE2", At(1, 1, 2)},
      {"\"\xE0\x80\xAF\"", 0, "invalid UTF-8 sequence starting with byte 0xE0", At(1, 1, 2)},
      {"\"\xED\xA0\x80\"", 0, "invalid UTF-8 sequence starting with byte 0xED", At(1, 1, 2)},
      {"\"\xF0\x80\x80\xAF\"", 0, "invalid UTF-8 sequence starting with byte 0xF0", At(1, 1, 2)},
      {"\"\xF4\x90\x80\x80\"", 0, "invalid UTF-8 sequence starting with byte 0xF4", At(1, 1, 2)},
      {"\"\xC3\xA9\xFF\"", 0, "invalid UTF-8 byte 0xFF", At(3, 1, 3)},
      {"\"\\\xFF\"", 0, "invalid UTF-8 byte 0xFF", At(2, 1, 3)},
      {"\"\\u12\xFF\"", 0, "invalid UTF-8 byte 0xFF", At(5, 1, 6)},
  };
  for (const ErrorCase& c : cases) {
    const std::string_view text(c.text, c.size != 0 ? c.size : std::strlen(c.text));
    SCOPED_TRACE(::testing::Message() << "text: " << ::testing::PrintToString(std::string(text)));
    const JsonSyntaxError error = ParseError(text);
    EXPECT_EQ(error.message, c.message);
    EXPECT_EQ(At(error.location), c.where);
  }
}

TEST(JsonDocument, ShortensLongUnknownWords) {
  const JsonSyntaxError error = ParseError(std::string(40, 'a'));
  EXPECT_EQ(error.message, "expected a value, found '" + std::string(32, 'a') + "...'");
  EXPECT_EQ(At(error.location), At(0, 1, 1));
}

TEST(JsonDocument, AcceptsNestingExactlyAtTheDepthLimit) {
  const JsonLimits limits{.max_depth = 3};
  const JsonValue arrays = Parse("[[[1]]]", limits);
  ASSERT_EQ(arrays.items().size(), 1u);
  ASSERT_EQ(Item(arrays, 0).items().size(), 1u);
  ASSERT_EQ(Item(Item(arrays, 0), 0).items().size(), 1u);
  EXPECT_EQ(Item(Item(Item(arrays, 0), 0), 0).integer(), 1);
  EXPECT_EQ(At(Item(Item(Item(arrays, 0), 0), 0).location()), At(3, 1, 4));

  const JsonValue mixed = Parse(R"({"a":[{}]})", limits);
  const std::optional<JsonValue> a = mixed.Find("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(Item(*a, 0).kind(), Kind::kObject);
}

TEST(JsonDocument, RefusesNestingOnePastTheDepthLimit) {
  const JsonLimits limits{.max_depth = 3};
  const JsonSyntaxError arrays = ParseError("[[[[1]]]]", limits);
  EXPECT_EQ(arrays.message, "nesting deeper than 3 levels");
  EXPECT_EQ(At(arrays.location), At(3, 1, 4));

  // The fourth level is the object at byte 11.
  const JsonSyntaxError mixed = ParseError(R"({"a":{"b":[{}]}})", limits);
  EXPECT_EQ(mixed.message, "nesting deeper than 3 levels");
  EXPECT_EQ(At(mixed.location), At(11, 1, 12));
}

TEST(JsonDocument, DepthLimitOfZeroAllowsOnlyScalars) {
  const JsonLimits limits{.max_depth = 0};
  EXPECT_EQ(Parse("7", limits).integer(), 7);
  const JsonSyntaxError error = ParseError(" {}", limits);
  EXPECT_EQ(error.message, "nesting deeper than 0 levels");
  EXPECT_EQ(At(error.location), At(1, 1, 2));
}

TEST(JsonDocument, DefaultDepthLimitIs64) {
  EXPECT_EQ(Parse(std::string(64, '[') + std::string(64, ']')).kind(), Kind::kArray);
  const JsonSyntaxError error = ParseError(std::string(65, '[') + std::string(65, ']'));
  EXPECT_EQ(error.message, "nesting deeper than 64 levels");
  EXPECT_EQ(At(error.location), At(64, 1, 65));
}

TEST(JsonDocument, SurvivesAMillionOpeningBrackets) {
  const JsonSyntaxError arrays = ParseError(std::string(1'000'000, '['));
  EXPECT_EQ(arrays.message, "nesting deeper than 64 levels");
  EXPECT_EQ(At(arrays.location), At(64, 1, 65));

  std::string objects;
  for (int i = 0; i < 1'000'000; ++i) objects += R"({"a":)";
  const JsonSyntaxError object_error = ParseError(objects);
  EXPECT_EQ(object_error.message, "nesting deeper than 64 levels");
  EXPECT_EQ(At(object_error.location), At(320, 1, 321));
}

TEST(JsonDocument, RefusesDocumentLargerThanTheSizeLimit) {
  const JsonLimits limits{.max_bytes = 10};
  EXPECT_EQ(Parse("[1, 2, 3 ]", limits).items().size(), 3u);  // exactly 10 bytes
  const JsonSyntaxError error = ParseError("[1, 2, 3  ]", limits);
  EXPECT_EQ(error.message, "document is 11 bytes, larger than the limit of 10 bytes");
  EXPECT_EQ(At(error.location), At(0, 1, 1));

  // Refused unread: the size error wins over the invalid byte.
  const JsonSyntaxError unread = ParseError(std::string(11, '\xFF'), limits);
  EXPECT_EQ(unread.message, "document is 11 bytes, larger than the limit of 10 bytes");
}

// Every proper prefix of a valid document is an error located inside the prefix, and every
// one-byte corruption either parses or fails cleanly; run under sanitizers this also shows
// that no input reads out of bounds.
TEST(JsonDocument, FailsCleanlyOnTruncatedAndCorruptedInput) {
  const std::string text =
      "\xEF\xBB\xBF{\"k\xC3\xA9y\": [1, -2.5e3, \"\\ud83d\\ude00\\n\", true],\r\n \"n\": null}";
  ASSERT_TRUE(std::holds_alternative<JsonDocument>(ParseJson(text)));
  for (std::size_t size = 0; size < text.size(); ++size) {
    const auto result = ParseJson(std::string_view(text).substr(0, size));
    const auto* error = std::get_if<JsonSyntaxError>(&result);
    ASSERT_NE(error, nullptr) << "prefix of " << size << " bytes";
    EXPECT_LE(error->location.offset, size);
    EXPECT_FALSE(error->message.empty());
  }
  const char replacements[] = {'\0', '"', '\\', '[', ']', '{', '}', ',', ':', '\xFF', '\x80'};
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (const char replacement : replacements) {
      std::string corrupted = text;
      corrupted[i] = replacement;
      const auto result = ParseJson(corrupted);
      if (const auto* error = std::get_if<JsonSyntaxError>(&result)) {
        EXPECT_LE(error->location.offset, corrupted.size());
        EXPECT_GE(error->location.line, 1u);
        EXPECT_LE(error->location.line, 2u);
        EXPECT_GE(error->location.column, 1u);
        EXPECT_LE(error->location.column, error->location.offset + 1);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// The compact tree (issue 14): locations computed from offsets and checkpoints, strings
// read from the text or a side buffer, numbers stored as int64 or double, siblings found
// by subtree ends.

// Line and column of every byte offset of `text` (a valid document), counted from the
// start the way an editor shows them, independently of the parser: a line break is \n, \r
// or \r\n; a column is one code point, told by the UTF-8 lead byte; a BOM at the start is
// no column. Offsets inside a character, inside a \r\n or inside the BOM have none.
using LineColumn = std::pair<std::uint32_t, std::uint32_t>;
std::vector<std::optional<LineColumn>> ReferencePositions(std::string_view text) {
  std::vector<std::optional<LineColumn>> at(text.size() + 1);
  std::size_t p = text.starts_with(kBom) ? kBom.size() : 0;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  while (p < text.size()) {
    at[p] = LineColumn{line, column};
    const auto c = static_cast<unsigned char>(text[p]);
    if (c == '\r' && p + 1 < text.size() && text[p + 1] == '\n') {
      p += 2;
      ++line;
      column = 1;
    } else if (c == '\r' || c == '\n') {
      p += 1;
      ++line;
      column = 1;
    } else {
      p += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      ++column;
    }
  }
  if (p == text.size()) at[p] = LineColumn{line, column};
  return at;
}

// A value or key found by walking the tree, with what it says about where it is.
struct Found {
  SourceLocation location;  // location() or key_location()
  std::size_t offset;       // offset() (a key's is its key_location's)
  Kind kind;                // a key is a kString
  bool key;
};

void Walk(JsonValue value, std::vector<Found>& found) {
  found.push_back({value.location(), value.offset(), value.kind(), false});
  for (const JsonValue item : value.items()) Walk(item, found);
  for (const JsonMember member : value.members()) {
    const SourceLocation key = member.key_location();
    found.push_back({key, key.offset, Kind::kString, true});
    Walk(member.value(), found);
  }
}

// Checks the location of every value and key of `root`, parsed from `text`, against the
// reference positions and the character found there; returns how many it checked.
std::size_t CheckEveryLocation(std::string_view text, JsonValue root) {
  const std::vector<std::optional<LineColumn>> reference = ReferencePositions(text);
  std::vector<Found> found;
  Walk(root, found);
  for (const Found& f : found) {
    SCOPED_TRACE(::testing::Message()
                 << (f.key ? "key" : JsonValue::KindName(f.kind)) << " at offset " << f.offset);
    EXPECT_EQ(f.location.offset, f.offset);
    if (f.offset >= text.size() || !reference[f.offset].has_value()) {
      ADD_FAILURE() << "past the end, or inside a character or a line break";
      continue;
    }
    EXPECT_EQ(LineColumn(f.location.line, f.location.column), *reference[f.offset]);
    const char c = text[f.offset];
    switch (f.kind) {
      case Kind::kNull:
        EXPECT_EQ(c, 'n');
        break;
      case Kind::kBool:
        EXPECT_TRUE(c == 't' || c == 'f');
        break;
      case Kind::kNumber:
        EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9'));
        break;
      case Kind::kString:
        EXPECT_EQ(c, '"');
        break;
      case Kind::kArray:
        EXPECT_EQ(c, '[');
        break;
      case Kind::kObject:
        EXPECT_EQ(c, '{');
        break;
    }
  }
  return found.size();
}

// Builds the text of an array element by element, with the whitespace between them placed
// by the caller, so that chosen bytes land at chosen offsets. Counts lines as it goes
// (from the break counts the caller gives), independently of any scan of the text.
class ArrayText {
 public:
  explicit ArrayText(bool bom) {
    if (bom) text_ += kBom;
    text_ += '[';
  }
  std::size_t size() const { return text_.size(); }
  std::uint32_t line() const { return line_; }
  std::size_t line_start() const { return line_start_; }
  char at(std::size_t offset) const { return text_[offset]; }

  // Whitespace holding `breaks` line breaks, after the comma if one is due.
  void Space(std::string_view whitespace, std::uint32_t breaks) {
    Separate();
    text_ += whitespace;
    if (breaks != 0) {
      line_ += breaks;
      line_start_ = text_.size();
    }
  }
  // Spaces up to `offset` (after the comma if one is due).
  void PadTo(std::size_t offset) {
    Separate();
    EXPECT_LE(text_.size(), offset) << "the builder overshot";
    if (text_.size() < offset) text_.append(offset - text_.size(), ' ');
  }
  // The next element, which must hold no line break; returns its offset.
  std::size_t Element(std::string_view element) {
    Separate();
    const std::size_t offset = text_.size();
    text_ += element;
    separated_ = false;
    ++count_;
    return offset;
  }
  std::string Finish() const { return text_ + "]"; }

 private:
  void Separate() {
    if (count_ > 0 && !separated_) text_ += ',';
    separated_ = true;
  }
  std::string text_;
  std::size_t count_ = 0;
  bool separated_ = false;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;  // offset of the current line's first byte (0: line 1)
};

// Line breaks, with how many breaks each is to an editor.
struct LineBreak {
  std::string_view text;
  std::uint32_t breaks;
};
constexpr LineBreak kLineBreaks[] = {
    {"\n", 1}, {"\r\n", 1}, {"\r", 1}, {"\r\r\n", 2}, {"\n\r\n", 2}, {"\n\r", 2},
};

// Fills `array` with elements of every kind (multi-byte characters, escapes, keys, every
// kind of line break) until it is at most `limit` bytes and no filler element fits.
void FillTo(ArrayText& array, std::size_t limit) {
  static constexpr std::string_view kFiller[] = {
      "\"lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
      "incididunt ut labore et dolore magna aliqua\"",
      "{\"caf\xC3\xA9\": [1, -2.5e3, \"\xF0\x9F\x98\x80 smile\"], \"k\\n\": true, \"\": null}",
      "\"\xC3\xA9\xC3\xA9\xC3\xA9 \xF0\x9F\x98\x80\xF0\x9F\x98\x80 w\xC3\xA9ird line with "
      "\xE2\x82\xAC and \\u00e9\\ud83d\\ude00 escapes, long enough to carry a few bytes\"",
      "[null, false, {\"\\u00e9\\ud83d\\ude00\": \"\\t\"}, [], 12345.678e-3]",
      "\"Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip "
      "ex ea commodo consequat \xC3\xA9\"",
  };
  constexpr std::size_t kLongest = 3 + 200;  // a comma, a break and the longest filler
  for (std::size_t i = 0; array.size() + kLongest < limit; ++i) {
    const LineBreak& line_break = kLineBreaks[i % std::size(kLineBreaks)];
    array.Space(line_break.text, line_break.breaks);
    array.Element(kFiller[i % std::size(kFiller)]);
  }
}

// Where the checkpoints sit: every 4,096 bytes from the first byte after the BOM. The
// documents below put line breaks and values around offsets 4096 and 8192 from that start
// and, with a BOM, also around the absolute offsets 4096 and 8192.
struct Layout {
  bool bom;
  std::size_t shift;  // the boundaries are at shift + 4096 and shift + 8192
};
constexpr Layout kLayouts[] = {{false, 0}, {true, 3}, {true, 0}};

constexpr std::string_view kEAcuteSmile =
    "\"\xC3\xA9\xF0\x9F\x98\x80\"";  // "é😀": 4 code points, 8 bytes

TEST(JsonDocument, LocatesEveryValueAroundCheckpointsAfterLineBreaks) {
  // A line break starts at boundary + d (so with \r\n and d = -1 its \r is the last byte
  // before the checkpoint and its \n the first after); the next line starts with "é" and a
  // 7 after it, on the same line.
  for (const Layout& layout : kLayouts) {
    for (const LineBreak& line_break : kLineBreaks) {
      for (int d = -3; d <= 1; ++d) {
        SCOPED_TRACE(::testing::Message()
                     << "BOM " << layout.bom << ", boundaries at " << layout.shift << " + 4096k"
                     << ", break " << ::testing::PrintToString(std::string(line_break.text))
                     << " at boundary " << d);
        ArrayText array(layout.bom);
        struct Probe {
          std::size_t offset;
          std::uint32_t line;
          std::uint32_t column;
        };
        std::vector<Probe> probes;
        for (const std::size_t k : {1, 2}) {
          const std::size_t boundary = layout.shift + k * 4096;
          FillTo(array, boundary - 40);
          array.Space("\n", 1);
          array.Element(kEAcuteSmile);
          array.PadTo(static_cast<std::size_t>(static_cast<std::ptrdiff_t>(boundary) + d));
          const std::size_t break_offset = array.size();
          array.Space(line_break.text, line_break.breaks);
          if (line_break.text == "\r\n" && d == -1) {
            ASSERT_EQ(array.at(boundary - 1), '\r');
            ASSERT_EQ(array.at(boundary), '\n');
          }
          ASSERT_EQ(break_offset,
                    static_cast<std::size_t>(static_cast<std::ptrdiff_t>(boundary) + d));
          // "é" (3 code points, 4 bytes), a comma, then 7: column 5, 5 bytes in.
          const std::size_t string_offset = array.Element("\"\xC3\xA9\"");
          probes.push_back({string_offset, array.line(), 1});
          const std::size_t seven = array.Element("7");
          EXPECT_EQ(seven, string_offset + 5);
          probes.push_back({seven, array.line(), 5});
          array.Element("{\"\xF0\x9F\x98\x80\":\"x\"}");
        }
        array.Space("\r\n", 1);
        array.Element("\"end\"");
        const std::string text = array.Finish();

        auto parsed = ParseJson(text);
        const auto* document = std::get_if<JsonDocument>(&parsed);
        ASSERT_NE(document, nullptr) << std::get<JsonSyntaxError>(parsed).message;
        EXPECT_GT(CheckEveryLocation(text, document->root()), 150u);
        // The values just after the break, with their lines counted by the builder.
        std::size_t checked = 0;
        for (const JsonValue item : document->root().items()) {
          for (const Probe& probe : probes) {
            if (item.offset() != probe.offset) continue;
            EXPECT_EQ(At(item.location()), At(probe.offset, probe.line, probe.column));
            ++checked;
          }
        }
        EXPECT_EQ(checked, probes.size());
      }
    }
  }
}

TEST(JsonDocument, LocatesEveryValueAndKeyJustBeforeAtAndAfterCheckpoints) {
  // On a line that starts with "é😀", a value (or an object whose keys follow) starts at
  // boundary + d.
  constexpr std::string_view kProbes[] = {
      "7",
      "\"s\\u00e9\"",
      "{\"\xC3\xA9\":\"\xF0\x9F\x98\x80\",\"k\":[0]}",
  };
  for (const Layout& layout : kLayouts) {
    for (const LineBreak& line_break : {kLineBreaks[0], kLineBreaks[1], kLineBreaks[2]}) {
      for (const std::string_view probe : kProbes) {
        for (int d = -2; d <= 1; ++d) {
          SCOPED_TRACE(::testing::Message()
                       << "BOM " << layout.bom << ", boundaries at " << layout.shift
                       << " + 4096k, break "
                       << ::testing::PrintToString(std::string(line_break.text)) << ", " << probe
                       << " at boundary " << d);
          ArrayText array(layout.bom);
          struct Probe {
            std::size_t offset;
            std::uint32_t line;
            std::uint32_t column;
          };
          std::vector<Probe> probes;
          for (const std::size_t k : {1, 2}) {
            const std::size_t boundary = layout.shift + k * 4096;
            const auto offset = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(boundary) + d);
            FillTo(array, boundary - 40);
            array.Space(line_break.text, line_break.breaks);
            const std::size_t line_start = array.size();
            array.Element(kEAcuteSmile);
            array.PadTo(offset);
            ASSERT_EQ(array.Element(probe), offset);
            // "é😀" is 4 code points in 8 bytes, then a comma and spaces: every byte after
            // the first 8 is one column.
            probes.push_back(
                {offset, array.line(), static_cast<std::uint32_t>(offset - line_start - 8 + 5)});
          }
          const std::string text = array.Finish();
          auto parsed = ParseJson(text);
          const auto* document = std::get_if<JsonDocument>(&parsed);
          ASSERT_NE(document, nullptr) << std::get<JsonSyntaxError>(parsed).message;
          EXPECT_GT(CheckEveryLocation(text, document->root()), 150u);
          std::size_t checked = 0;
          for (const JsonValue item : document->root().items()) {
            for (const Probe& p : probes) {
              if (item.offset() != p.offset) continue;
              EXPECT_EQ(At(item.location()), At(p.offset, p.line, p.column));
              if (item.kind() == Kind::kObject) {
                // The first key is one byte (and column) after the '{'.
                EXPECT_EQ(At(Member(item, 0).key_location()),
                          At(p.offset + 1, p.line, p.column + 1));
              }
              ++checked;
            }
          }
          EXPECT_EQ(checked, probes.size());
        }
      }
    }
  }
}

TEST(JsonDocument, LocatesTheLastValueOfDocumentsEndingAroundACheckpoint) {
  // A document of 4095 to 4097 (and 8191 to 8193) bytes after the BOM: "[\"é\",\r\n" then
  // spaces, then 1 and ']': the 1 is on line 2, one column per byte after the line start.
  for (const bool bom : {false, true}) {
    for (const std::size_t body : {4095u, 4096u, 4097u, 8191u, 8192u, 8193u}) {
      SCOPED_TRACE(::testing::Message() << "BOM " << bom << ", " << body << " bytes");
      const std::string head = std::string(bom ? kBom : "") + "[\"\xC3\xA9\",\r\n";
      const std::size_t size = (bom ? kBom.size() : 0) + body;
      const std::string text = head + std::string(size - head.size() - 2, ' ') + "1]";
      ASSERT_EQ(text.size(), size);
      const JsonValue root = Parse(text);
      ASSERT_EQ(root.items().size(), 2u);
      EXPECT_EQ(At(Item(root, 1).location()),
                At(size - 2, 2, static_cast<std::uint32_t>(size - 2 - head.size() + 1)));
      EXPECT_EQ(At(Item(root, 0).location()), At(head.size() - 7, 1, 2));
      EXPECT_EQ(CheckEveryLocation(text, root), 3u);
    }
  }
}

TEST(JsonDocument, DecodesAdjacentEscapedAndUnescapedStringsAndKeys) {
  const std::string text =
      R"(["\nab","ab\n","a\nb","plain","\ud83d\ude00","x\u00e9y\uD83D\uDE00z","","\"",)"
      "\"\xC3\xA9\xF0\x9F\x98\x80\","
      R"({"\tkey":"v","key":"\u0041","k\u00e9y":"plain2","":"","\\":"\/","\n":"\n"},)"
      R"("\n","\t","end\\","a\u0000b",")"
      "\xE2\x82\xAC\"]";
  const JsonValue root = Parse(text);
  const std::vector<std::string_view> items = {
      "\nab",
      "ab\n",
      "a\nb",
      "plain",
      "\xF0\x9F\x98\x80",
      "x\xC3\xA9y\xF0\x9F\x98\x80z",
      "",
      "\"",
      "\xC3\xA9\xF0\x9F\x98\x80",
      "",  // the object
      "\n",
      "\t",
      "end\\",
      std::string_view("a\0b", 3),
      "\xE2\x82\xAC",
  };
  ASSERT_EQ(root.items().size(), items.size());
  std::size_t i = 0;
  for (const JsonValue item : root.items()) {
    SCOPED_TRACE(i);
    if (i == 9) {
      ASSERT_EQ(item.kind(), Kind::kObject);
    } else {
      ASSERT_EQ(item.kind(), Kind::kString);
      EXPECT_EQ(item.text(), items[i]);
      EXPECT_EQ(item.text().size(), items[i].size());
    }
    ++i;
  }
  const std::vector<std::pair<std::string_view, std::string_view>> members = {
      {"\tkey", "v"}, {"key", "A"}, {"k\xC3\xA9y", "plain2"}, {"", ""}, {"\\", "/"}, {"\n", "\n"},
  };
  const JsonValue object = Item(root, 9);
  ASSERT_EQ(object.members().size(), members.size());
  i = 0;
  for (const JsonMember member : object.members()) {
    SCOPED_TRACE(i);
    EXPECT_EQ(member.key(), members[i].first);
    EXPECT_EQ(member.value().text(), members[i].second);
    ++i;
  }
  ASSERT_TRUE(object.Find("k\xC3\xA9y").has_value());
  EXPECT_EQ(object.Find("k\xC3\xA9y")->text(), "plain2");
  ASSERT_TRUE(object.Find("\n").has_value());
  EXPECT_EQ(object.Find("\n")->offset(), text.rfind("\"\\n\"}"));
}

TEST(JsonDocument, DecodesManyStringsIntoTheSideBufferWithoutMixingThemUp) {
  // Thousands of strings, escaped ones (escape first, in the middle, last) between plain
  // ones, so the side buffer grows many times.
  std::string text = "{";
  std::vector<std::pair<std::string, std::string>> expected;
  for (int i = 0; i < 3000; ++i) {
    const std::string n = std::to_string(i);
    const std::string key = (i % 2 == 0 ? "k" + n : "k\\u00e9" + n);
    const std::string decoded_key = (i % 2 == 0 ? "k" + n : "k\xC3\xA9" + n);
    std::string value;
    std::string decoded;
    switch (i % 4) {
      case 0:
        value = "\\t" + n;
        decoded = "\t" + n;
        break;
      case 1:
        value = n + "\\\"";
        decoded = n + "\"";
        break;
      case 2:
        value = n + "\\ud83d\\ude00" + n;
        decoded = n + "\xF0\x9F\x98\x80" + n;
        break;
      default:
        value = "plain " + n;
        decoded = value;
        break;
    }
    if (i != 0) text += ',';
    text += "\"" + key + "\":\"" + value + "\"";
    expected.emplace_back(decoded_key, decoded);
  }
  text += "}";
  const JsonValue root = Parse(text);
  ASSERT_EQ(root.members().size(), expected.size());
  std::size_t i = 0;
  for (const JsonMember member : root.members()) {
    ASSERT_EQ(member.key(), expected[i].first) << i;
    ASSERT_EQ(member.value().text(), expected[i].second) << i;
    ++i;
  }
  EXPECT_EQ(i, expected.size());
}

double FromChars(std::string_view text) {
  double value = 0;
  const std::from_chars_result result =
      std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(result.ec, std::errc{}) << text;
  EXPECT_EQ(result.ptr, text.data() + text.size()) << text;
  return value;
}

TEST(JsonDocument, KeepsIntegersExactAndConvertsThemAsParsingTheirDigitsWould) {
  const JsonValue extremes = Parse("[-9223372036854775808,9223372036854775807]");
  ASSERT_EQ(extremes.items().size(), 2u);
  EXPECT_TRUE(Item(extremes, 0).is_integer());
  EXPECT_EQ(Item(extremes, 0).integer(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Item(extremes, 0).number(), -9223372036854775808.0);
  EXPECT_TRUE(Item(extremes, 1).is_integer());
  EXPECT_EQ(Item(extremes, 1).integer(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(Item(extremes, 1).number(), 9223372036854775808.0);  // 2^63, the nearest

  // 2^53 + 1 is no double: it is a tie between 2^53 and 2^53 + 2, which goes to the even 2^53.
  const JsonValue beyond = Parse("9007199254740993");
  EXPECT_TRUE(beyond.is_integer());
  EXPECT_EQ(beyond.integer(), 9007199254740993);
  EXPECT_EQ(beyond.number(), FromChars("9007199254740993"));
  EXPECT_EQ(beyond.number(), 9007199254740992.0);

  for (const std::string_view text :
       {"9007199254740993", "-9007199254740993", "9007199254740995", "9007199254740997",
        "123456789012345678", "-123456789012345679", "9223372036854775807", "-9223372036854775807",
        "4611686018427387903"}) {
    SCOPED_TRACE(text);
    const JsonValue value = Parse(text);
    EXPECT_TRUE(value.is_integer());
    EXPECT_EQ(value.number(), FromChars(text));
    EXPECT_EQ(value.ToJson().get<std::int64_t>(), value.integer());
  }
}

TEST(JsonDocument, NumberTextIsAsWrittenWhateverFollowsIt) {
  // Each number followed by ',', ']', '}', a space, a tab, \n, \r\n or \r, or the end.
  const struct {
    std::string_view text;
    std::vector<std::string_view> numbers;  // every number, in document order
  } cases[] = {
      {"[-0,1.5e+10,1E5]", {"-0", "1.5e+10", "1E5"}},
      {"[1E5 ,-0\t,1.5e+10\n,2\r\n,3\r,4 ]", {"1E5", "-0", "1.5e+10", "2", "3", "4"}},
      {"{\"a\":1E5}", {"1E5"}},
      {"{\"a\":-0 ,\"b\":1.5e+10\n,\"c\":[-0]}", {"-0", "1.5e+10", "-0"}},
      {"{\"a\":[1.5e+10],\"b\":{\"c\":1E5},\"d\":-0\r\n}", {"1.5e+10", "1E5", "-0"}},
      {"1E5", {"1E5"}},
      {" -0 \n", {"-0"}},
      {"1.5e+10\r\n", {"1.5e+10"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<JsonValue> numbers;
    std::vector<JsonValue> stack{Parse(c.text)};
    // Document order: depth first, children pushed in reverse.
    while (!stack.empty()) {
      const JsonValue value = stack.back();
      stack.pop_back();
      if (value.kind() == Kind::kNumber) numbers.push_back(value);
      std::vector<JsonValue> children;
      for (const JsonValue item : value.items()) children.push_back(item);
      for (const JsonMember member : value.members()) children.push_back(member.value());
      stack.insert(stack.end(), children.rbegin(), children.rend());
    }
    ASSERT_EQ(numbers.size(), c.numbers.size());
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      EXPECT_EQ(numbers[i].text(), c.numbers[i]);
      EXPECT_EQ(c.text.substr(numbers[i].offset(), c.numbers[i].size()), c.numbers[i]);
    }
  }
  const JsonValue values = Parse("[-0,1.5e+10,1E5]");
  EXPECT_TRUE(Item(values, 0).is_integer());
  EXPECT_EQ(Item(values, 0).integer(), 0);
  EXPECT_FALSE(Item(values, 1).is_integer());
  EXPECT_EQ(Item(values, 1).number(), 1.5e10);
  EXPECT_FALSE(Item(values, 2).is_integer());
  EXPECT_EQ(Item(values, 2).number(), 100000.0);
  EXPECT_EQ(Item(values, 2).integer(), 0);
}

// The offsets of the values (or keys and values) a range gives, by stepping its iterator,
// checking that size() is the number of steps.
std::vector<std::size_t> ItemOffsets(JsonValue array) {
  std::vector<std::size_t> offsets;
  for (auto it = array.items().begin(); it != array.items().end(); it++) {
    offsets.push_back((*it).offset());
  }
  EXPECT_EQ(offsets.size(), array.items().size());
  EXPECT_EQ(std::distance(array.items().begin(), array.items().end()),
            static_cast<std::ptrdiff_t>(array.items().size()));
  return offsets;
}
std::vector<std::size_t> MemberOffsets(JsonValue object) {
  std::vector<std::size_t> offsets;
  for (const JsonMember member : object.members()) {
    offsets.push_back(member.key_location().offset);
    offsets.push_back(member.value().offset());
  }
  EXPECT_EQ(offsets.size(), 2 * object.members().size());
  EXPECT_EQ(std::ranges::distance(object.members()),
            static_cast<std::ptrdiff_t>(object.members().size()));
  return offsets;
}

using Offsets = std::vector<std::size_t>;

TEST(JsonDocument, StepsFromEachValueToItsNextSibling) {
  // Offsets counted by hand: '[' 1, '{' 11, '[' 14, '{' 17; "a" at 18, its '[' at 22.
  const JsonValue root = Parse(R"([[1,[2,3]],{},[],{"a":[{}]}])");
  EXPECT_EQ(ItemOffsets(root), (Offsets{1, 11, 14, 17}));
  EXPECT_EQ(ItemOffsets(Item(root, 0)), (Offsets{2, 4}));
  EXPECT_EQ(ItemOffsets(Item(Item(root, 0), 1)), (Offsets{5, 7}));
  EXPECT_EQ(MemberOffsets(Item(root, 1)), Offsets{});
  EXPECT_EQ(ItemOffsets(Item(root, 2)), Offsets{});
  EXPECT_EQ(MemberOffsets(Item(root, 3)), (Offsets{18, 22}));
  EXPECT_EQ(ItemOffsets(Member(Item(root, 3), 0).value()), Offsets{23});
  EXPECT_EQ(MemberOffsets(Item(Member(Item(root, 3), 0).value(), 0)), Offsets{});
  // Scalars and the other kind of container have no items or members.
  EXPECT_TRUE(Item(root, 1).items().empty());
  EXPECT_EQ(Item(root, 1).items().begin(), Item(root, 1).items().end());
  EXPECT_TRUE(Item(root, 0).members().empty());
  EXPECT_EQ(Item(root, 0).members().begin(), Item(root, 0).members().end());
  EXPECT_TRUE(Item(Item(root, 0), 0).items().empty());
  EXPECT_TRUE(Item(Item(root, 0), 0).members().empty());
  // Post-increment gives the value before the step.
  auto it = root.items().begin();
  EXPECT_EQ((*it++).offset(), 1u);
  EXPECT_EQ((*it).offset(), 11u);

  const std::string text =
      R"({"a":{"b":[1,{"c":2}]},"d":[],"e":{},"f":3,"g":[[[]],[{}],{"h":[]}]})";
  const JsonValue object = Parse(text);
  EXPECT_EQ(MemberOffsets(object), (Offsets{1, 5, 23, 27, 30, 34, 37, 41, 43, 47}));
  EXPECT_EQ(MemberOffsets(Member(object, 0).value()), (Offsets{6, 10}));
  EXPECT_EQ(ItemOffsets(Member(Member(object, 0).value(), 0).value()), (Offsets{11, 13}));
  EXPECT_EQ(ItemOffsets(Member(object, 4).value()), (Offsets{48, 53, 58}));
  EXPECT_EQ(ItemOffsets(Item(Member(object, 4).value(), 0)), Offsets{49});
  EXPECT_EQ(MemberOffsets(Item(Member(object, 4).value(), 2)), (Offsets{59, 63}));
  for (const std::string_view key : {"a", "d", "e", "f", "g"}) {
    ASSERT_TRUE(object.Find(key).has_value()) << key;
    EXPECT_EQ(object.Find(key)->offset(), text.find("\"" + std::string(key) + "\":") + 4) << key;
  }
}

// Walks `value` and `reference` (the same text read by nlohmann::ordered_json) together:
// same kinds, sizes, keys in order and scalars.
void ExpectSameTree(JsonValue value, const nlohmann::ordered_json& reference,
                    std::size_t& containers) {
  switch (value.kind()) {
    case Kind::kArray: {
      ASSERT_TRUE(reference.is_array());
      ++containers;
      ASSERT_EQ(value.items().size(), reference.size());
      std::size_t i = 0;
      for (const JsonValue item : value.items()) ExpectSameTree(item, reference[i++], containers);
      EXPECT_EQ(i, reference.size());
      break;
    }
    case Kind::kObject: {
      ASSERT_TRUE(reference.is_object());
      ++containers;
      ASSERT_EQ(value.members().size(), reference.size());
      auto it = reference.begin();
      for (const JsonMember member : value.members()) {
        EXPECT_EQ(member.key(), it.key());
        ExpectSameTree(member.value(), it.value(), containers);
        ++it;
      }
      EXPECT_TRUE(it == reference.end());
      break;
    }
    default:
      EXPECT_EQ(value.ToJson(), nlohmann::json(reference)) << value.offset();
  }
}

TEST(JsonDocument, SizesAgreeWithIterationInDeepAndWideTrees) {
  // Containers of every size from 0 to 6 nested in each other, objects and arrays alternating.
  std::string text;
  int next_key = 0;
  const auto build = [&](const auto& self, int depth, int width) -> void {
    const bool object = depth % 2 == 1;
    text += object ? '{' : '[';
    for (int i = 0; i < width; ++i) {
      if (i != 0) text += ',';
      if (object) text += "\"k" + std::to_string(next_key++) + "\":";
      if (depth < 4 && i % 2 == 0) {
        self(self, depth + 1, (width + i) % 7);
      } else {
        text += std::to_string(i);
      }
    }
    text += object ? '}' : ']';
  };
  text += '[';
  for (int width = 0; width <= 6; ++width) {
    if (width != 0) text += ',';
    build(build, 0, width);
    text += ',';
    build(build, 1, width);
  }
  text += ']';
  const JsonValue root = Parse(text);
  std::size_t containers = 0;
  ExpectSameTree(root, nlohmann::ordered_json::parse(text), containers);
  EXPECT_GT(containers, 100u);
}

TEST(JsonDocument, ValuesStayValidWhenTheDocumentMoves) {
  auto parsed = ParseJson(R"({"list":[1,"two\n",{"three":3}]})");
  ASSERT_TRUE(std::holds_alternative<JsonDocument>(parsed));
  const JsonValue root = std::get<JsonDocument>(parsed).root();
  JsonDocument moved = std::get<JsonDocument>(std::move(parsed));
  JsonDocument assigned = std::get<JsonDocument>(ParseJson("null"));
  assigned = std::move(moved);
  const std::optional<JsonValue> list = root.Find("list");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->items().size(), 3u);
  EXPECT_EQ(Item(*list, 1).text(), "two\n");
  EXPECT_EQ(Item(*list, 2).Find("three")->integer(), 3);
  EXPECT_EQ(assigned.root().ToJson(), nlohmann::json::parse(R"({"list":[1,"two\n",{"three":3}]})"));
}

TEST(JsonDocument, HoldsAtMostTenBytesPerByteOfOneDigitNumbers) {
  // The worst case: a 16-byte node for every 2 bytes of text.
  std::string text = "[0";
  while (text.size() < (1u << 20) - 3) text += ",0";
  text += ']';
  auto parsed = ParseJson(text);
  const auto* document = std::get_if<JsonDocument>(&parsed);
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->root().items().size(), text.size() / 2);
  EXPECT_GE(document->memory_bytes(), text.size());  // it keeps its own copy
  EXPECT_LE(document->memory_bytes(), 10 * text.size()) << text.size() << " bytes of text";
}

TEST(JsonDocument, HoldsAtMostFourBytesPerByteOfTextHeavyDocuments) {
  for (const bool escapes : {false, true}) {
    SCOPED_TRACE(escapes ? "with escapes" : "without escapes");
    std::string text = "[";
    std::size_t objects = 0;
    while (text.size() < (1u << 20)) {
      if (objects != 0) text += ",\n";
      const std::string n = std::to_string(objects);
      text += "{\"id\":\"task-" + n + "\",\"name\":\"" +
              (escapes ? "Write the \\\"quarterly\\\" plan\\nfor the r\\u00e9gion " + n
                       : "Write the quarterly plan for the region " + n) +
              "\"}";
      ++objects;
    }
    text += ']';
    auto parsed = ParseJson(text);
    const auto* document = std::get_if<JsonDocument>(&parsed);
    ASSERT_NE(document, nullptr);
    EXPECT_EQ(document->root().items().size(), objects);
    EXPECT_GE(document->memory_bytes(), text.size());
    EXPECT_LE(document->memory_bytes(), 4 * text.size()) << text.size() << " bytes of text";
  }
}

}  // namespace
}  // namespace bmil
