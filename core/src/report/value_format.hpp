// How the report renderers write the values of the result model as text, so that a
// figure reads the same in Markdown, CSV and HTML.
#ifndef BMIL_CORE_REPORT_VALUE_FORMAT_HPP_
#define BMIL_CORE_REPORT_VALUE_FORMAT_HPP_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace bmil {

// A JSON scalar in full: strings as they are, integers exactly, other numbers with up to
// 15 significant digits, booleans as true/false, null and NaN as "". Arrays and objects
// are written as compact JSON. For machine-readable output (CSV). Pure function.
std::string ScalarText(const nlohmann::json& value);

// A value for people, by its column type (docs/schema/result.schema.json): "percent" and
// "share" numbers (fractions) as a percentage with one decimal ("51.4%"); whole numbers in
// full ("42000000"), others of 1000 or more with two decimals, smaller ones with 4
// significant digits; everything else as ScalarText. With `group_digits`, numbers from
// 10,000 up get commas between groups of three digits ("42,000,000"; years stay 2012).
// Pure function.
std::string DisplayValue(const nlohmann::json& value, std::string_view type,
                         bool group_digits = false);

// A number for an axis or a label: whole numbers without decimals, others with up to
// `digits` significant digits; as a percentage ("25%", "12.5%") when `percent`. Pure.
std::string ShortNumber(double value, bool percent, int digits = 3);

// "1 business", "3 businesses": `n` and the word for it. Pure.
std::string Plural(std::size_t n, std::string_view one, std::string_view many);

// The shortest text that reads back as exactly `value` (std::to_chars): "0.95", "1",
// "0.047425873177566781"; "0" for zero of either sign. For CSV that software re-reads.
std::string ExactNumber(double value);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_VALUE_FORMAT_HPP_
