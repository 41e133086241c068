#include "report/value_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace bmil {

std::string ScalarText(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return value.dump();
  if (value.is_number()) {
    const double d = value.get<double>();
    if (std::isnan(d)) return "";
    std::ostringstream out;
    out.precision(15);
    out << d;
    return out.str();
  }
  return value.dump();
}

namespace {

// "12345678.5" -> "12,345,678.5": commas between groups of three digits before the point.
std::string GroupDigits(const std::string& number) {
  const std::size_t begin = number.find_first_of("0123456789");
  if (begin == std::string::npos) return number;
  std::size_t end = number.find_first_not_of("0123456789", begin);
  if (end == std::string::npos) end = number.size();
  std::string out = number.substr(0, begin);
  for (std::size_t i = begin; i < end; ++i) {
    out += number[i];
    const std::size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out + number.substr(end);
}

}  // namespace

std::string DisplayValue(const nlohmann::json& value, std::string_view type, bool group_digits) {
  if ((type == "percent" || type == "share") && value.is_number()) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << value.get<double>() * 100 << "%";
    return out.str();
  }
  std::string text;
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isnan(d)) return "";
    std::ostringstream out;
    if (std::fabs(d) < 1e15 && d == std::floor(d)) {
      out << static_cast<long long>(d);  // whole amounts, e.g. revenue, in full
    } else if (std::fabs(d) >= 1000 && std::fabs(d) < 1e15) {
      out.setf(std::ios::fixed);  // large amounts in full, to the cent
      out.precision(2);
      out << d;
    } else {
      out.precision(4);
      out << d;
    }
    text = out.str();
  } else {
    text = ScalarText(value);
  }
  // Four-digit numbers stay as they are, so that years read 2012, not 2,012.
  const bool group = group_digits && value.is_number() && std::fabs(value.get<double>()) >= 1e4;
  return group ? GroupDigits(text) : text;
}

std::string ShortNumber(double value, bool percent, int digits) {
  if (!std::isfinite(value)) return "";
  if (percent) value *= 100;
  // Round to `digits` significant digits first, so that 0.30000000000000004 reads 0.3.
  std::ostringstream out;
  if (std::fabs(value - std::round(value)) < 1e-9 * std::max(1.0, std::fabs(value)) &&
      std::fabs(value) < 1e15) {
    out << static_cast<long long>(std::llround(value));
  } else if (std::fabs(value) >= std::pow(10.0, digits)) {
    out.setf(std::ios::fixed);
    out.precision(0);
    out << value;
  } else {
    out.precision(digits);
    out << value;
  }
  std::string text = out.str();
  if (text == "-0") text = "0";
  return percent ? text + "%" : text;
}

std::string ExactNumber(double value) {
  if (value == 0) return "0";
  char buffer[64];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, ptr) : std::string("0");
}

std::string Plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace bmil
