#include "io/json_document.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <variant>

namespace bmil {
namespace {

using Kind = JsonValue::Kind;
using Where = std::tuple<std::size_t, std::uint32_t, std::uint32_t>;  // offset, line, column

Where At(std::size_t offset, std::uint32_t line, std::uint32_t column) {
  return {offset, line, column};
}
Where At(const SourceLocation& location) {
  return {location.offset, location.line, location.column};
}

// Parses `text`, failing the test (and returning null) when it is not valid.
JsonValue Parse(std::string_view text, const JsonLimits& limits = {}) {
  auto result = ParseJson(text, limits);
  if (auto* error = std::get_if<JsonSyntaxError>(&result)) {
    ADD_FAILURE() << "unexpected error at " << error->location.line << ":" << error->location.column
                  << ": " << error->message;
    return JsonValue{};
  }
  return std::get<JsonValue>(std::move(result));
}

// Parses `text`, failing the test (and returning an empty error) when it is valid.
JsonSyntaxError ParseError(std::string_view text, const JsonLimits& limits = {}) {
  auto result = ParseJson(text, limits);
  if (auto* error = std::get_if<JsonSyntaxError>(&result)) return *error;
  ADD_FAILURE() << "expected a syntax error";
  return JsonSyntaxError{};
}

TEST(JsonDocument, ParsesLiterals) {
  const JsonValue null_value = Parse("null");
  EXPECT_EQ(null_value.kind, Kind::kNull);
  const JsonValue true_value = Parse("true");
  EXPECT_EQ(true_value.kind, Kind::kBool);
  EXPECT_TRUE(true_value.boolean);
  const JsonValue false_value = Parse(" false ");
  EXPECT_EQ(false_value.kind, Kind::kBool);
  EXPECT_FALSE(false_value.boolean);
  EXPECT_EQ(At(false_value.location), At(1, 1, 2));
  const JsonValue text = Parse("\"hi\"");
  EXPECT_EQ(text.kind, Kind::kString);
  EXPECT_EQ(text.text, "hi");
  const JsonValue empty_array = Parse("[ ]");
  EXPECT_EQ(empty_array.kind, Kind::kArray);
  EXPECT_TRUE(empty_array.items.empty());
  const JsonValue empty_object = Parse("{\t}");
  EXPECT_EQ(empty_object.kind, Kind::kObject);
  EXPECT_TRUE(empty_object.members.empty());
}

TEST(JsonDocument, RecordsLocationsOfNestedValuesAndKeys) {
  // Offsets: line 1 is "{" (0) "\n" (1); line 2 starts at 2, line 3 at 27, line 4 at 39.
  const JsonValue root = Parse(
      "{\n"
      "  \"a\": [1, {\"b\": null}],\n"
      "  \"c\": true\n"
      "}");
  ASSERT_EQ(root.kind, Kind::kObject);
  EXPECT_EQ(At(root.location), At(0, 1, 1));
  ASSERT_EQ(root.members.size(), 2u);

  const JsonMember& a = root.members[0];
  EXPECT_EQ(a.key, "a");
  EXPECT_EQ(At(a.key_location), At(4, 2, 3));
  ASSERT_EQ(a.value.kind, Kind::kArray);
  EXPECT_EQ(At(a.value.location), At(9, 2, 8));
  ASSERT_EQ(a.value.items.size(), 2u);
  EXPECT_EQ(At(a.value.items[0].location), At(10, 2, 9));
  const JsonValue& inner = a.value.items[1];
  ASSERT_EQ(inner.kind, Kind::kObject);
  EXPECT_EQ(At(inner.location), At(13, 2, 12));
  ASSERT_EQ(inner.members.size(), 1u);
  EXPECT_EQ(inner.members[0].key, "b");
  EXPECT_EQ(At(inner.members[0].key_location), At(14, 2, 13));
  EXPECT_EQ(inner.members[0].value.kind, Kind::kNull);
  EXPECT_EQ(At(inner.members[0].value.location), At(19, 2, 18));

  const JsonMember& c = root.members[1];
  EXPECT_EQ(c.key, "c");
  EXPECT_EQ(At(c.key_location), At(29, 3, 3));
  EXPECT_EQ(At(c.value.location), At(34, 3, 8));
}

TEST(JsonDocument, CountsColumnsInCodePoints) {
  // "é" is 2 bytes, "€" 3 and "😀" 4: the 1 is byte 14 but the 9th code point.
  const JsonValue root = Parse("[\"é€😀\", 1]");
  ASSERT_EQ(root.items.size(), 2u);
  EXPECT_EQ(root.items[0].text, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(At(root.items[0].location), At(1, 1, 2));
  EXPECT_EQ(At(root.items[1].location), At(14, 1, 9));
}

TEST(JsonDocument, CountsTabAsOneColumn) {
  const JsonValue root = Parse("[\t\t1]");
  ASSERT_EQ(root.items.size(), 1u);
  EXPECT_EQ(At(root.items[0].location), At(3, 1, 4));
}

TEST(JsonDocument, CountsCrLfAsOneLineBreakAndLoneCrAsAnother) {
  // Lines: "[" | "1," | "" (after a lone \r) | "2," | "3]".
  const JsonValue root = Parse("[\r\n1,\r\r\n2,\r3]");
  ASSERT_EQ(root.items.size(), 3u);
  EXPECT_EQ(At(root.items[0].location), At(3, 2, 1));
  EXPECT_EQ(At(root.items[1].location), At(8, 4, 1));
  EXPECT_EQ(At(root.items[2].location), At(11, 5, 1));
}

TEST(JsonDocument, SkipsByteOrderMarkWithoutCountingAColumn) {
  const JsonValue root = Parse("\xEF\xBB\xBF[1]");
  EXPECT_EQ(At(root.location), At(3, 1, 1));
  ASSERT_EQ(root.items.size(), 1u);
  EXPECT_EQ(At(root.items[0].location), At(4, 1, 2));

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
    ASSERT_EQ(value.kind, Kind::kNumber);
    EXPECT_EQ(value.text, c.text);
    EXPECT_EQ(value.number, c.number);
    EXPECT_EQ(value.is_integer, c.is_integer);
    EXPECT_EQ(value.integer, c.integer);
  }
}

TEST(JsonDocument, KeepsTheSignOfNegativeZero) {
  const JsonValue zero = Parse("-0");
  EXPECT_TRUE(zero.is_integer);
  EXPECT_EQ(zero.integer, 0);
  EXPECT_TRUE(std::signbit(zero.number));
  const JsonValue underflow = Parse("-1e-400");
  EXPECT_FALSE(underflow.is_integer);
  EXPECT_EQ(underflow.number, 0.0);
  EXPECT_TRUE(std::signbit(underflow.number));
}

TEST(JsonDocument, UnderflowsLongFractionToZero) {
  const std::string text = "0." + std::string(400, '0') + "1";
  const JsonValue value = Parse(text);
  EXPECT_EQ(value.number, 0.0);
  EXPECT_EQ(value.text, text);
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
  EXPECT_EQ(value.text, "\"\\/\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC");
}

TEST(JsonDocument, DecodesSurrogatePairToUtf8) {
  EXPECT_EQ(Parse(R"("\ud83d\ude00")").text, "\xF0\x9F\x98\x80");  // U+1F600
  EXPECT_EQ(Parse(R"("\uDBFF\uDFFF")").text, "\xF4\x8F\xBF\xBF");  // U+10FFFF
}

TEST(JsonDocument, DecodesEscapedNul) {
  const JsonValue value = Parse(R"("a\u0000b")");
  EXPECT_EQ(value.text, std::string("a\0b", 3));
}

TEST(JsonDocument, KeepsDuplicateKeysInDocumentOrder) {
  const JsonValue root = Parse(R"({"a":1,"b":2,"a":3})");
  ASSERT_EQ(root.members.size(), 3u);
  EXPECT_EQ(root.members[0].key, "a");
  EXPECT_EQ(root.members[1].key, "b");
  EXPECT_EQ(root.members[2].key, "a");
  EXPECT_EQ(root.members[0].value.integer, 1);
  EXPECT_EQ(root.members[1].value.integer, 2);
  EXPECT_EQ(root.members[2].value.integer, 3);
  EXPECT_EQ(At(root.members[0].key_location), At(1, 1, 2));
  EXPECT_EQ(At(root.members[2].key_location), At(13, 1, 14));

  // Find takes the first; ToJson keeps the last.
  const JsonValue* found = root.Find("a");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->integer, 1);
  EXPECT_EQ(root.ToJson(), nlohmann::json({{"a", 3}, {"b", 2}}));
}

TEST(JsonDocument, FindReturnsNullForMissingKeyOrNonObject) {
  const JsonValue root = Parse(R"({"a":[1]})");
  EXPECT_EQ(root.Find("b"), nullptr);
  EXPECT_EQ(root.Find(""), nullptr);
  const JsonValue* a = root.Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->Find("a"), nullptr);
  EXPECT_EQ(Parse("\"a\"").Find("a"), nullptr);
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
  ASSERT_EQ(arrays.items.size(), 1u);
  ASSERT_EQ(arrays.items[0].items.size(), 1u);
  ASSERT_EQ(arrays.items[0].items[0].items.size(), 1u);
  EXPECT_EQ(arrays.items[0].items[0].items[0].integer, 1);
  EXPECT_EQ(At(arrays.items[0].items[0].items[0].location), At(3, 1, 4));

  const JsonValue mixed = Parse(R"({"a":[{}]})", limits);
  EXPECT_EQ(mixed.Find("a")->items[0].kind, Kind::kObject);
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
  EXPECT_EQ(Parse("7", limits).integer, 7);
  const JsonSyntaxError error = ParseError(" {}", limits);
  EXPECT_EQ(error.message, "nesting deeper than 0 levels");
  EXPECT_EQ(At(error.location), At(1, 1, 2));
}

TEST(JsonDocument, DefaultDepthLimitIs64) {
  EXPECT_EQ(Parse(std::string(64, '[') + std::string(64, ']')).kind, Kind::kArray);
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
  EXPECT_EQ(Parse("[1, 2, 3 ]", limits).items.size(), 3u);  // exactly 10 bytes
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
  ASSERT_TRUE(std::holds_alternative<JsonValue>(ParseJson(text)));
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

}  // namespace
}  // namespace bmil
