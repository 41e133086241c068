// The lexical rules of case format v1 (docs/data-format.md) that both readers of cases apply:
// the validating loader (case_loader.cpp) and the batch fast path (batch/fast_case_reader.cpp).
// One definition, so the two cannot drift apart on what an id, a date or a text is.
#ifndef BMIL_IO_CASE_RULES_HPP_
#define BMIL_IO_CASE_RULES_HPP_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bmil::rules {

inline constexpr std::string_view kFormatVersion = "1.0";
inline constexpr std::size_t kMaxTextLength = 10000;  // code points
inline constexpr std::size_t kMaxIdLength = 64;
// The largest amount a case may state (revenue, cost, users, customers, effort): 10^18,
// beyond any firm's yearly figures in any currency in use, and small enough that sums over
// many models and tasks stay exact to the unit far past what reports show and never
// overflow. docs/data-format.md, docs/schema/case.schema.json.
inline constexpr double kMaxAmount = 1e18;

// "17,825,793 bytes (17.0 MiB)", "16,777,216 bytes (16 MiB)": a size in a message, exact,
// then as read at a glance, so that a size just over a limit never reads as the limit.
std::string ExactSize(std::uintmax_t bytes);

// The number of UTF-8 code points of valid UTF-8 text `s`.
inline std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// True when `s` is at most kMaxTextLength code points long (cheap for short texts).
inline bool IsShortText(std::string_view s) {
  return s.size() <= kMaxTextLength || CodePoints(s) <= kMaxTextLength;
}

// ^[a-z0-9][a-z0-9_.-]{0,63}$
inline bool IsId(std::string_view s) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (s.empty() || s.size() > kMaxIdLength || !lower_or_digit(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return lower_or_digit(c) || c == '_' || c == '.' || c == '-'; });
}

// Exactly `count` letters A-Z (country: 2, currency: 3).
inline bool IsUpperLetters(std::string_view s, std::size_t count) {
  return s.size() == count &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// (year, month, day) of "YYYY", "YYYY-MM" or "YYYY-MM-DD"; a missing part is 0, so that
// comparing two dates compares them at the precision both share (and "2012" < "2012-03").
using Date = std::array<int, 3>;

// The date `s` names, or nullopt when it is not one (years 1900 to 2100).
inline std::optional<Date> ParseDate(std::string_view s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return std::nullopt;
  Date date{0, 0, 0};
  for (std::size_t part = 0, at = 0; at < s.size(); ++part) {
    if (part > 0 && s[at++] != '-') return std::nullopt;
    const std::size_t width = part == 0 ? 4 : 2;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i, ++at) {
      if (s[at] < '0' || s[at] > '9') return std::nullopt;
      value = value * 10 + (s[at] - '0');
    }
    date[part] = value;
  }
  if (date[0] < 1900 || date[0] > 2100) return std::nullopt;
  if (s.size() >= 7 && (date[1] < 1 || date[1] > 12)) return std::nullopt;
  if (s.size() == 10 && (date[2] < 1 || date[2] > 31)) return std::nullopt;
  return date;
}

}  // namespace bmil::rules

#endif  // BMIL_IO_CASE_RULES_HPP_
