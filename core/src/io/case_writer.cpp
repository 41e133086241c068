// Case format v1 writer: the model as stable, diffable JSON. Keys come in the order of the
// format's documentation, optional fields that are not stated (empty strings and lists,
// unstated enumerations, absent numbers, empty attributes) are left out, so that a case
// loaded and written again changes only where its author wrote something differently.
#include <bmil/case_io.hpp>
#include <bmil/sdk/vocabulary.hpp>

#include "io/atomic_file.hpp"

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bmil {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kFormatVersion = "1.0";
constexpr std::string_view kValueFormulaBlock = sdk::kBuiltinBlocks[6];

// Integral numbers as integers ("1200000", not "1.2e+06"), as far as a double holds
// integers exactly (2^53); other numbers in the shortest form that reads back the same.
Json Number(double x) {
  constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
  if (std::isfinite(x) && std::trunc(x) == x && std::fabs(x) <= kMaxExactInteger) {
    return static_cast<std::int64_t>(x);
  }
  return x;
}

void PutText(Json& object, const char* key, const std::string& text) {
  if (!text.empty()) object[key] = text;
}

void PutList(Json& object, const char* key, const std::vector<std::string>& list) {
  if (!list.empty()) object[key] = list;
}

void PutNumber(Json& object, const char* key, const std::optional<double>& number) {
  if (number) object[key] = Number(*number);
}

template <typename E>
void PutEnum(Json& object, const char* key, std::span<const std::string_view> names, E value) {
  const std::string_view name = sdk::NameOf(names, static_cast<unsigned>(value));
  if (!name.empty()) object[key] = name;
}

// Attributes are kept verbatim (an object that is not empty). Anything else that is not
// null is written too, so that loading the text says what is wrong with it.
void PutAttributes(Json& object, const nlohmann::json& attributes) {
  if (attributes.is_null() || (attributes.is_object() && attributes.empty())) return;
  object["attributes"] = Json(attributes);
}

Json WriteBusiness(const Business& b) {
  Json out = Json::object();
  out["id"] = b.id;
  out["name"] = b.name;
  PutText(out, "description", b.description);
  PutText(out, "industry", b.industry);
  PutText(out, "country", b.country);
  PutEnum(out, "size", sdk::kSizeNames, b.size);
  if (b.founded) out["founded"] = *b.founded;
  if (b.employees) out["employees"] = *b.employees;
  PutAttributes(out, b.attributes);
  return out;
}

Json WritePortfolio(const Portfolio& p) {
  Json out = Json::object();
  out["id"] = p.id;
  out["name"] = p.name;
  PutText(out, "description", p.description);
  out["business_models"] = p.business_models;
  return out;
}

Json WriteBlock(const BuildingBlock& block, const ValueFormula* formula) {
  Json out = Json::object();
  if (block.forms != 0) {
    Json forms = Json::array();
    for (std::size_t i = 0; i < sdk::kFormNames.size(); ++i) {
      if (block.forms & (1u << i)) forms.push_back(sdk::kFormNames[i]);
    }
    out["forms"] = std::move(forms);
  }
  PutText(out, "description", block.description);
  PutList(out, "items", block.items);
  if (formula != nullptr) {
    PutNumber(out, "revenue", formula->revenue);
    PutNumber(out, "cost", formula->cost);
    PutText(out, "currency", formula->currency);
    PutNumber(out, "users", formula->users);
    PutNumber(out, "customers", formula->customers);
  }
  return out;
}

// Blocks in the paper's order (Table 1), then blocks registered by plugins by id. A block
// the model lists is written even when empty ("customers": {}): the case says the model has
// it. The value formula's figures are written under "value_formula", which is therefore
// written when the model has figures but does not list the block.
Json WriteBuildingBlocks(const BusinessModel& m) {
  Json out = Json::object();
  const bool has_figures = m.value_formula != ValueFormula{};
  for (std::string_view id : sdk::kBuiltinBlocks) {
    const bool is_value_formula = id == kValueFormulaBlock;
    auto it = m.building_blocks.find(std::string(id));
    if (it == m.building_blocks.end() && !(is_value_formula && has_figures)) continue;
    const BuildingBlock block = it == m.building_blocks.end() ? BuildingBlock{} : it->second;
    out[std::string(id)] = WriteBlock(block, is_value_formula ? &m.value_formula : nullptr);
  }
  for (const auto& [id, block] : m.building_blocks) {
    if (!out.contains(id)) out[id] = WriteBlock(block, nullptr);
  }
  return out;
}

Json WriteBusinessModel(const BusinessModel& m) {
  Json out = Json::object();
  out["id"] = m.id;
  out["name"] = m.name;
  PutText(out, "description", m.description);
  PutEnum(out, "state", sdk::kStateNames, m.state);
  PutEnum(out, "stage", sdk::kStageNames, m.stage);
  if (!m.industries.empty()) {
    Json industries = Json::array();
    for (const Industry& industry : m.industries) {
      Json entry = Json::object();
      entry["id"] = industry.id;
      PutEnum(entry, "status", sdk::kIndustryStatusNames, industry.status);
      industries.push_back(std::move(entry));
    }
    out["industries"] = std::move(industries);
  }
  Json blocks = WriteBuildingBlocks(m);
  if (!blocks.empty()) out["building_blocks"] = std::move(blocks);
  PutList(out, "carried_by", m.carried_by);
  PutAttributes(out, m.attributes);
  return out;
}

Json WriteTask(const BmiTask& t) {
  Json out = Json::object();
  out["id"] = t.id;
  out["business_model"] = t.business_model;
  PutText(out, "description", t.description);
  out["building_blocks"] = t.building_blocks;
  out["leadership_lines"] = t.leadership_lines;
  PutEnum(out, "action", sdk::kActionNames, t.action);
  PutEnum(out, "level", sdk::kLevelNames, t.level);
  PutEnum(out, "phase", sdk::kPhaseNames, t.phase);
  if (!t.period.start.empty() || !t.period.end.empty()) {
    Json period = Json::object();
    period["start"] = t.period.start;
    PutText(period, "end", t.period.end);
    out["period"] = std::move(period);
  }
  PutEnum(out, "status", sdk::kTaskStatusNames, t.status);
  PutNumber(out, "effort", t.effort);
  PutEnum(out, "stance", sdk::kStanceNames, t.stance);
  PutEnum(out, "perspective", sdk::kPerspectiveNames, t.perspective);
  PutAttributes(out, t.attributes);
  return out;
}

Json WriteStrategy(const Strategy& s) {
  Json out = Json::object();
  if (s.explicit_strategy) out["explicit"] = *s.explicit_strategy;
  if (s.structured_process) out["structured_process"] = *s.structured_process;
  PutEnum(out, "skills", sdk::kSkillsNames, s.skills);
  PutList(out, "goals", s.goals);
  PutList(out, "leadership_lines", s.leadership_lines);
  PutText(out, "description", s.description);
  return out;
}

Json WriteSource(const Source& s) {
  Json out = Json::object();
  PutText(out, "citation", s.citation);
  PutText(out, "url", s.url);
  PutText(out, "notes", s.notes);
  return out;
}

template <typename T, typename Write>
Json WriteAll(const std::vector<T>& items, Write write) {
  Json out = Json::array();
  for (const T& item : items) out.push_back(write(item));
  return out;
}

}  // namespace

std::string WriteCaseText(const Case& c) {
  Json root = Json::object();
  // The writer writes format 1.0 whatever the model says: that is the format it knows.
  root["bmil"] = kFormatVersion;
  root["business"] = WriteBusiness(c.business);
  if (!c.portfolios.empty()) root["portfolios"] = WriteAll(c.portfolios, WritePortfolio);
  root["business_models"] = WriteAll(c.business_models, WriteBusinessModel);
  if (!c.bmi_tasks.empty()) root["bmi_tasks"] = WriteAll(c.bmi_tasks, WriteTask);
  if (c.strategy) root["strategy"] = WriteStrategy(*c.strategy);
  if (c.source) root["source"] = WriteSource(*c.source);
  // Invalid UTF-8 (only possible in a model not made by the loader) is replaced, not thrown.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<bool> SaveCaseFile(const Case& c, const std::filesystem::path& path) {
  return WriteFileAtomically(path, WriteCaseText(c));
}

}  // namespace bmil
