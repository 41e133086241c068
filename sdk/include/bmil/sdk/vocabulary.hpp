// The words of case format v1: the built-in building blocks and the names of every
// enumeration, in the ABI's numbering (bmil/abi.h). One table per enumeration, shared by
// the host's loader and writer and by plugins that label their results.
#ifndef BMIL_SDK_VOCABULARY_HPP_
#define BMIL_SDK_VOCABULARY_HPP_

#include <bmil/abi.h>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace bmil::sdk {

// The seven building blocks of Lindgren (2012), Table 1, in the paper's order. They are
// always registered first, so their bit index in a bmil_set equals their position here.
inline constexpr std::array<std::string_view, 7> kBuiltinBlocks = {
    "value_proposition", "customers", "value_chain",  "competences",
    "network",           "relations", "value_formula"};
// Display names of the built-in blocks, parallel to kBuiltinBlocks.
inline constexpr std::array<std::string_view, 7> kBuiltinBlockNames = {
    "Value proposition", "Customers", "Value chain",  "Competences",
    "Network",           "Relations", "Value formula"};

// The classic corner of the canvas, where SME BMI concentrates (Lindgren 2012, sec. 3.1.2
// and conclusions): the value, customer and value-chain lines on the value-proposition,
// customers and value-chain blocks.
inline constexpr std::array<std::string_view, 3> kClassicCornerLines = {"value", "customer",
                                                                        "value_chain"};
inline constexpr std::array<std::string_view, 3> kClassicCornerBlocks = {
    "value_proposition", "customers", "value_chain"};
inline constexpr bool InClassicCorner(std::string_view line, std::string_view block) {
  bool line_in = false, block_in = false;
  for (std::string_view l : kClassicCornerLines) line_in = line_in || l == line;
  for (std::string_view b : kClassicCornerBlocks) block_in = block_in || b == block;
  return line_in && block_in;
}

// Names of an enumeration's values, index = the ABI's value; index 0 ("") is "not stated".
inline constexpr std::array<std::string_view, 3> kStateNames = {"", "as_is", "to_be"};
inline constexpr std::array<std::string_view, 6> kStageNames = {"",          "idea",   "concept",
                                                                "prototype", "market", "retired"};
inline constexpr std::array<std::string_view, 6> kActionNames = {"",     "create",  "exclude",
                                                                 "keep", "upgrade", "diminish"};
inline constexpr std::array<std::string_view, 5> kLevelNames = {
    "", "building_block", "business_model", "portfolio", "business"};
inline constexpr std::array<std::string_view, 4> kPhaseNames = {"", "before", "during", "after"};
inline constexpr std::array<std::string_view, 5> kTaskStatusNames = {"", "planned", "ongoing",
                                                                     "completed", "abandoned"};
inline constexpr std::array<std::string_view, 3> kStanceNames = {"", "reactive", "proactive"};
inline constexpr std::array<std::string_view, 4> kPerspectiveNames = {"", "outside_in",
                                                                      "inside_out", "inside_in"};
inline constexpr std::array<std::string_view, 5> kSizeNames = {"", "micro", "small", "medium",
                                                               "large"};
inline constexpr std::array<std::string_view, 5> kIndustryStatusNames = {"", "home", "attempted",
                                                                         "succeeded", "failed"};
inline constexpr std::array<std::string_view, 4> kSkillsNames = {"", "low", "medium", "high"};
// Form bit i (1 << i) is named kFormNames[i].
inline constexpr std::array<std::string_view, 3> kFormNames = {"physical", "digital", "virtual"};

// The name of `value` in `names`, or "" when out of range.
inline std::string_view NameOf(std::span<const std::string_view> names, unsigned value) {
  return value < names.size() ? names[value] : std::string_view{};
}

// The value named `name` in `names` (never 0, the unstated value), or nullopt.
inline std::optional<unsigned> ValueOf(std::span<const std::string_view> names,
                                       std::string_view name) {
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<unsigned>(i);
  }
  return std::nullopt;
}

}  // namespace bmil::sdk

#endif  // BMIL_SDK_VOCABULARY_HPP_
