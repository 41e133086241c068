// How two versions of one case differ (case_diff.hpp).
#include "control/case_diff.hpp"

#include "report/terminal_text.hpp"
#include "report/value_format.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace bmil::control {
namespace {

using Json = nlohmann::ordered_json;

// ---- Values as the case format writes them; null where not stated ----

// Integral numbers as integers, as the case writer writes them ("6200000", not "6.2e+06").
Json Number(const std::optional<double>& x) {
  if (!x) return nullptr;
  constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
  if (std::isfinite(*x) && std::trunc(*x) == *x && std::fabs(*x) <= kMaxExactInteger) {
    return static_cast<std::int64_t>(*x);
  }
  return *x;
}

template <typename E>
Json Name(std::span<const std::string_view> names, E value) {
  const std::string_view name = sdk::NameOf(names, static_cast<unsigned>(value));
  return name.empty() ? Json() : Json(std::string(name));
}

Json Text(const std::string& s) { return s.empty() ? Json() : Json(s); }

Json List(const std::vector<std::string>& list) { return list.empty() ? Json() : Json(list); }

Json Bool(const std::optional<bool>& b) { return b ? Json(*b) : Json(); }

Json Int(const std::optional<int>& i) { return i ? Json(*i) : Json(); }

// An empty attributes object says as much as none.
Json Attributes(const nlohmann::json& attributes) {
  if (attributes.is_null() || (attributes.is_object() && attributes.empty())) return nullptr;
  return Json(attributes);
}

std::vector<std::string> FormNames(Forms forms) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sdk::kFormNames.size(); ++i) {
    if (forms & (1u << i)) out.emplace_back(sdk::kFormNames[i]);
  }
  return out;
}

Json BlockJson(const BuildingBlock& block) {
  Json out = Json::object();
  if (block.forms != 0) out["forms"] = FormNames(block.forms);
  if (!block.description.empty()) out["description"] = block.description;
  if (!block.items.empty()) out["items"] = block.items;
  return out;
}

// ---- Field changes ----

// The elements of `a` that `b` does not match one for one, in a's order.
std::vector<std::string> Beyond(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
  std::map<std::string_view, std::size_t> unmatched;
  for (const std::string& x : b) ++unmatched[x];
  std::vector<std::string> out;
  for (const std::string& x : a) {
    const auto it = unmatched.find(x);
    if (it != unmatched.end() && it->second > 0) {
      --it->second;
    } else {
      out.push_back(x);
    }
  }
  return out;
}

// Appends the change of `field` when `from` and `to` differ; returns whether it did.
bool AddValue(std::vector<FieldChange>& out, std::string field, Json from, Json to,
              bool text = false) {
  if (from == to) return false;
  FieldChange change;
  change.field = std::move(field);
  change.from = std::move(from);
  change.to = std::move(to);
  change.text = text;
  out.push_back(std::move(change));
  return true;
}

void AddFigure(std::vector<FieldChange>& out, std::string field, const std::optional<double>& from,
               const std::optional<double>& to) {
  if (AddValue(out, std::move(field), Number(from), Number(to)) && from && to && *from != 0) {
    out.back().relative = (*to - *from) / std::fabs(*from);
  }
}

void AddList(std::vector<FieldChange>& out, std::string field, const std::vector<std::string>& from,
             const std::vector<std::string>& to, bool text) {
  std::vector<std::string> added = Beyond(to, from);
  std::vector<std::string> removed = Beyond(from, to);
  if (added.empty() && removed.empty()) return;
  FieldChange change;
  change.field = std::move(field);
  change.from = List(from);
  change.to = List(to);
  change.added = std::move(added);
  change.removed = std::move(removed);
  change.text = text;
  out.push_back(std::move(change));
}

// Attributes key by key, at their top level, so that a change shows the key that changed
// rather than two whole objects. Free data: their strings are shown as text.
void AddAttributes(std::vector<FieldChange>& out, const std::string& field,
                   const nlohmann::json& from, const nlohmann::json& to) {
  if (!from.is_object() || !to.is_object()) {
    AddValue(out, field, Attributes(from), Attributes(to), true);
    return;
  }
  for (const auto& [key, value] : to.items()) {
    const auto before = from.find(key);
    AddValue(out, field + "." + key, before == from.end() ? Json() : Json(*before), Json(value),
             true);
  }
  for (const auto& [key, value] : from.items()) {
    if (!to.contains(key)) AddValue(out, field + "." + key, Json(value), nullptr, true);
  }
}

std::string Direction(Stage from, Stage to) {
  // Into retirement the model is excluded, which its kind says.
  if (from == Stage::kUnstated || to == Stage::kUnstated || to == Stage::kRetired) return "";
  if (from == Stage::kRetired) return "reopened";
  return to > from ? "advanced" : "went_back";
}

const Industry* FindIndustry(const std::vector<Industry>& industries, const std::string& id) {
  const auto it = std::find_if(industries.begin(), industries.end(),
                               [&](const Industry& i) { return i.id == id; });
  return it == industries.end() ? nullptr : &*it;
}

Json IndustryValue(const Industry* industry) {
  if (industry == nullptr) return nullptr;
  return std::string(
      sdk::NameOf(sdk::kIndustryStatusNames, static_cast<unsigned>(industry->status)));
}

// The blocks either model describes: the built-in ones in the paper's order (Table 1), then
// those registered by plugins by id.
std::vector<std::string> BlockIds(const BusinessModel& a, const BusinessModel& b) {
  std::vector<std::string> ids;
  for (std::string_view id : sdk::kBuiltinBlocks) {
    const std::string key(id);
    if (a.building_blocks.contains(key) || b.building_blocks.contains(key)) ids.push_back(key);
  }
  std::set<std::string> others;
  for (const BusinessModel* model : {&a, &b}) {
    for (const auto& [id, block] : model->building_blocks) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) others.insert(id);
    }
  }
  ids.insert(ids.end(), others.begin(), others.end());
  return ids;
}

void AddBlocks(std::vector<FieldChange>& out, const BusinessModel& o, const BusinessModel& n) {
  for (const std::string& id : BlockIds(o, n)) {
    const std::string field = "building_blocks." + id;
    const auto before = o.building_blocks.find(id);
    const auto after = n.building_blocks.find(id);
    if (before == o.building_blocks.end() || after == n.building_blocks.end()) {
      FieldChange change;
      change.field = field;
      change.text = true;
      if (before == o.building_blocks.end()) {
        change.to = BlockJson(after->second);
        change.added = after->second.items;
      } else {
        change.from = BlockJson(before->second);
        change.removed = before->second.items;
      }
      out.push_back(std::move(change));
      continue;
    }
    AddList(out, field + ".forms", FormNames(before->second.forms), FormNames(after->second.forms),
            false);
    AddValue(out, field + ".description", Text(before->second.description),
             Text(after->second.description), true);
    AddList(out, field + ".items", before->second.items, after->second.items, true);
  }
}

std::vector<FieldChange> ModelChanges(const BusinessModel& o, const BusinessModel& n) {
  std::vector<FieldChange> out;
  AddValue(out, "name", Text(o.name), Text(n.name), true);
  AddValue(out, "description", Text(o.description), Text(n.description), true);
  AddValue(out, "state", Name(sdk::kStateNames, o.state), Name(sdk::kStateNames, n.state));
  if (AddValue(out, "stage", Name(sdk::kStageNames, o.stage), Name(sdk::kStageNames, n.stage))) {
    out.back().direction = Direction(o.stage, n.stage);
  }
  for (const Industry& industry : n.industries) {
    AddValue(out, "industries." + industry.id,
             IndustryValue(FindIndustry(o.industries, industry.id)), IndustryValue(&industry));
  }
  for (const Industry& industry : o.industries) {
    if (FindIndustry(n.industries, industry.id) == nullptr) {
      AddValue(out, "industries." + industry.id, IndustryValue(&industry), nullptr);
    }
  }
  AddBlocks(out, o, n);
  const ValueFormula& a = o.value_formula;
  const ValueFormula& b = n.value_formula;
  AddFigure(out, "value_formula.revenue", a.revenue, b.revenue);
  AddFigure(out, "value_formula.cost", a.cost, b.cost);
  AddValue(out, "value_formula.currency", Text(a.currency), Text(b.currency));
  AddFigure(out, "value_formula.users", a.users, b.users);
  AddFigure(out, "value_formula.customers", a.customers, b.customers);
  AddList(out, "carried_by", o.carried_by, n.carried_by, false);
  AddAttributes(out, "attributes", o.attributes, n.attributes);
  return out;
}

std::vector<FieldChange> TaskChanges(const BmiTask& o, const BmiTask& n) {
  std::vector<FieldChange> out;
  AddValue(out, "business_model", Text(o.business_model), Text(n.business_model));
  AddValue(out, "description", Text(o.description), Text(n.description), true);
  AddList(out, "building_blocks", o.building_blocks, n.building_blocks, false);
  AddList(out, "leadership_lines", o.leadership_lines, n.leadership_lines, false);
  AddValue(out, "action", Name(sdk::kActionNames, o.action), Name(sdk::kActionNames, n.action));
  AddValue(out, "level", Name(sdk::kLevelNames, o.level), Name(sdk::kLevelNames, n.level));
  AddValue(out, "phase", Name(sdk::kPhaseNames, o.phase), Name(sdk::kPhaseNames, n.phase));
  AddValue(out, "period.start", Text(o.period.start), Text(n.period.start));
  AddValue(out, "period.end", Text(o.period.end), Text(n.period.end));
  AddValue(out, "status", Name(sdk::kTaskStatusNames, o.status),
           Name(sdk::kTaskStatusNames, n.status));
  AddFigure(out, "effort", o.effort, n.effort);
  AddValue(out, "stance", Name(sdk::kStanceNames, o.stance), Name(sdk::kStanceNames, n.stance));
  AddValue(out, "perspective", Name(sdk::kPerspectiveNames, o.perspective),
           Name(sdk::kPerspectiveNames, n.perspective));
  AddAttributes(out, "attributes", o.attributes, n.attributes);
  return out;
}

std::vector<FieldChange> PortfolioChanges(const Portfolio& o, const Portfolio& n) {
  std::vector<FieldChange> out;
  AddValue(out, "name", Text(o.name), Text(n.name), true);
  AddValue(out, "description", Text(o.description), Text(n.description), true);
  AddList(out, "business_models", o.business_models, n.business_models, false);
  return out;
}

std::vector<FieldChange> StrategyChanges(const Strategy& o, const Strategy& n) {
  std::vector<FieldChange> out;
  AddValue(out, "explicit", Bool(o.explicit_strategy), Bool(n.explicit_strategy));
  AddValue(out, "structured_process", Bool(o.structured_process), Bool(n.structured_process));
  AddValue(out, "skills", Name(sdk::kSkillsNames, o.skills), Name(sdk::kSkillsNames, n.skills));
  AddList(out, "goals", o.goals, n.goals, true);
  AddList(out, "leadership_lines", o.leadership_lines, n.leadership_lines, false);
  AddValue(out, "description", Text(o.description), Text(n.description), true);
  return out;
}

std::optional<double> Figure(const std::optional<int>& i) {
  return i ? std::optional<double>(*i) : std::nullopt;
}

std::vector<FieldChange> OtherChanges(const Case& o, const Case& n) {
  std::vector<FieldChange> out;
  const Business& a = o.business;
  const Business& b = n.business;
  AddValue(out, "business.id", Text(a.id), Text(b.id));
  AddValue(out, "business.name", Text(a.name), Text(b.name), true);
  AddValue(out, "business.description", Text(a.description), Text(b.description), true);
  AddValue(out, "business.industry", Text(a.industry), Text(b.industry));
  AddValue(out, "business.country", Text(a.country), Text(b.country));
  AddValue(out, "business.size", Name(sdk::kSizeNames, a.size), Name(sdk::kSizeNames, b.size));
  AddValue(out, "business.founded", Int(a.founded), Int(b.founded));
  AddFigure(out, "business.employees", Figure(a.employees), Figure(b.employees));
  AddAttributes(out, "business.attributes", a.attributes, b.attributes);
  const Source s = o.source.value_or(Source{});
  const Source t = n.source.value_or(Source{});
  AddValue(out, "source.citation", Text(s.citation), Text(t.citation), true);
  AddValue(out, "source.url", Text(s.url), Text(t.url));
  AddValue(out, "source.notes", Text(s.notes), Text(t.notes), true);
  return out;
}

// Calls both(old, new) for each item of NEW that OLD has too (same id), only_new(new) for
// the others, in NEW's order; then only_old(old) for each item of OLD that NEW lacks, in
// OLD's order.
template <typename T, typename Both, typename OnlyNew, typename OnlyOld>
void Match(const std::vector<T>& old_items, const std::vector<T>& new_items, Both both,
           OnlyNew only_new, OnlyOld only_old) {
  auto index = [](const std::vector<T>& items) {
    std::unordered_map<std::string_view, const T*> by_id;
    for (const T& item : items) by_id.emplace(item.id, &item);
    return by_id;
  };
  const auto old_by_id = index(old_items);
  const auto new_by_id = index(new_items);
  for (const T& item : new_items) {
    const auto it = old_by_id.find(item.id);
    if (it != old_by_id.end()) {
      both(*it->second, item);
    } else {
      only_new(item);
    }
  }
  for (const T& item : old_items) {
    if (!new_by_id.contains(item.id)) only_old(item);
  }
}

ModelDiff ModelEntry(const BusinessModel& m, ModelDiff::Kind kind) {
  ModelDiff out;
  out.kind = kind;
  out.id = m.id;
  out.name = m.name;
  out.state = m.state;
  out.stage = m.stage;
  return out;
}

TaskDiff TaskEntry(const BmiTask& t, TaskDiff::Kind kind) {
  TaskDiff out;
  out.kind = kind;
  out.id = t.id;
  out.business_model = t.business_model;
  out.description = t.description;
  out.status = t.status;
  return out;
}

PortfolioDiff PortfolioEntry(const Portfolio& p, PortfolioDiff::Kind kind) {
  PortfolioDiff out;
  out.kind = kind;
  out.id = p.id;
  out.name = p.name;
  out.business_models = p.business_models;
  return out;
}

const char* KindName(ModelDiff::Kind kind) {
  switch (kind) {
    case ModelDiff::Kind::kCreated:
      return "created";
    case ModelDiff::Kind::kExcluded:
      return "excluded";
    case ModelDiff::Kind::kChanged:
      return "changed";
  }
  return "?";
}

const char* KindName(TaskDiff::Kind kind) {
  switch (kind) {
    case TaskDiff::Kind::kAdded:
      return "added";
    case TaskDiff::Kind::kDropped:
      return "dropped";
    case TaskDiff::Kind::kCompleted:
      return "completed";
    case TaskDiff::Kind::kAbandoned:
      return "abandoned";
    case TaskDiff::Kind::kChanged:
      return "changed";
  }
  return "?";
}

const char* KindName(PortfolioDiff::Kind kind) {
  switch (kind) {
    case PortfolioDiff::Kind::kAdded:
      return "added";
    case PortfolioDiff::Kind::kRemoved:
      return "removed";
    case PortfolioDiff::Kind::kChanged:
      return "changed";
  }
  return "?";
}

// "2 models created, 1 excluded": the noun goes with the first count that is not zero.
std::string Group(std::string_view singular, std::string_view plural,
                  std::initializer_list<std::pair<std::size_t, std::string_view>> counts) {
  std::string out;
  for (const auto& [n, verb] : counts) {
    if (n == 0) continue;
    if (out.empty()) {
      out = std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
    } else {
      out += ", " + std::to_string(n);
    }
    out += " ";
    out += verb;
  }
  return out;
}

// ---- Text and Markdown ----

constexpr std::size_t kWidth = 80;
constexpr std::size_t kKindColumn = 2;   // where an item's kind starts
constexpr std::size_t kItemColumn = 13;  // where an item's id and its changes start
constexpr std::size_t kMoreColumn = 15;  // where the continuation lines of a change start

// Columns of UTF-8 text: its code points (terminal-safe text has no control characters).
std::size_t Columns(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// How many bytes the first `columns` code points of `s` take.
std::size_t PrefixBytes(std::string_view s, std::size_t columns) {
  std::size_t seen = 0;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen == columns) break;
    ++seen;
  }
  return i;
}

// `text` (already made safe) broken at spaces into lines of at most kWidth columns, the first
// starting with `first`, the others with `indent` spaces; a word longer than a line is cut.
// Ends with a newline.
std::string Wrap(std::string_view text, const std::string& first, std::size_t indent) {
  std::string out = first;
  std::size_t column = Columns(first);
  bool fresh = true;  // nothing on this line but its start
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    std::size_t width = Columns(word);
    if (!fresh && column + 1 + width > kWidth) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      fresh = true;
    }
    if (!fresh) {
      out += ' ';
      ++column;
    }
    while (column + width > kWidth && column < kWidth) {  // a word longer than a line
      const std::size_t take = kWidth - column;
      const std::size_t bytes = PrefixBytes(word, take);
      out.append(word.substr(0, bytes));
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      word.remove_prefix(bytes);
      width -= take;
    }
    out.append(word);
    column += width;
    fresh = false;
  }
  return out + "\n";
}

std::string Percent(double share) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%+.1f%%", share * 100);
  return buffer;
}

class Writer {
 public:
  explicit Writer(bool markdown) : markdown_(markdown) {}

  std::string Safe(std::string_view s) const {
    return markdown_ ? MarkdownText(s) : TerminalSafe(s);
  }

  // A value for people: free text in quotes, lists joined by commas, figures with their
  // digits grouped, "(none)" for a value not stated.
  std::string Value(const Json& v, bool text) const {
    if (v.is_null()) return "(none)";
    if (v.is_string()) {
      const std::string s = Safe(v.get_ref<const std::string&>());
      return text ? "\"" + s + "\"" : s;
    }
    if (v.is_array()) {
      std::string out;
      for (const Json& item : v) out += (out.empty() ? "" : ", ") + Value(item, text);
      return out;
    }
    if (v.is_object()) return Safe(v.dump(-1, ' ', false, Json::error_handler_t::replace));
    return DisplayValue(nlohmann::json(v), "", /*group_digits=*/true);
  }

  // "field: from -> to (+12.9%)", "field: added "a", "b"; removed "c"", "field: added with
  // "a"" (a building block and its items).
  std::string ChangeLine(const FieldChange& c) const {
    auto list = [&](const std::vector<std::string>& items) { return Value(Json(items), c.text); };
    std::string line = Safe(c.field) + ": ";
    if (c.from.is_null() && c.to.is_object()) {
      line += c.added.empty() ? "added " + Value(c.to, c.text) : "added with " + list(c.added);
    } else if (c.to.is_null() && c.from.is_object()) {
      line += c.removed.empty() ? "removed " + Value(c.from, c.text)
                                : "removed with " + list(c.removed);
    } else if (!c.added.empty() || !c.removed.empty()) {
      if (!c.added.empty()) line += "added " + list(c.added);
      if (!c.removed.empty())
        line += (c.added.empty() ? "removed " : "; removed ") + list(c.removed);
    } else {
      line += Value(c.from, c.text) + " -> " + Value(c.to, c.text);
    }
    if (c.relative) line += " (" + Percent(*c.relative) + ")";
    if (!c.direction.empty()) {
      line += " (" + (c.direction == "went_back" ? std::string("went back") : c.direction) + ")";
    }
    return line;
  }

  void Heading(const std::string& title) {
    out_ += markdown_ ? "\n## " + title + "\n\n" : "\n" + title + "\n";
  }

  // An item: its kind ("changed") and what it is ("pv08 on water_cleaning").
  void Item(const std::string& kind, const std::string& head) {
    if (markdown_) {
      out_ += "- **" + kind + "** " + head + "\n";
    } else {
      std::string start(kKindColumn, ' ');
      start += kind;
      start.append(kItemColumn > start.size() ? kItemColumn - start.size() : 1, ' ');
      out_ += Wrap(head, start, kItemColumn);
    }
  }

  // A line under an item.
  void Detail(const std::string& line) {
    out_ +=
        markdown_ ? "  - " + line + "\n" : Wrap(line, std::string(kItemColumn, ' '), kMoreColumn);
  }

  // A line of a section without items (strategy, other fields).
  void Line(const std::string& line) {
    out_ +=
        markdown_ ? "- " + line + "\n" : Wrap(line, std::string(kKindColumn, ' '), kKindColumn + 2);
  }

  void Raw(const std::string& text) { out_ += text; }

  const std::string& Result() const { return out_; }

 private:
  bool markdown_;
  std::string out_;
};

Json ChangeJson(const FieldChange& c) {
  Json out = Json::object();
  out["field"] = c.field;
  out["from"] = c.from;
  out["to"] = c.to;
  if (!c.added.empty() || !c.removed.empty()) {
    out["added"] = c.added;
    out["removed"] = c.removed;
  }
  if (c.relative) out["relative_change"] = *c.relative;
  if (!c.direction.empty()) out["direction"] = c.direction;
  return out;
}

Json ChangesJson(const std::vector<FieldChange>& changes) {
  Json out = Json::array();
  for (const FieldChange& c : changes) out.push_back(ChangeJson(c));
  return out;
}

}  // namespace

bool CaseDiff::Empty() const {
  return models.empty() && tasks.empty() && portfolios.empty() && strategy.empty() && other.empty();
}

CaseDiffCounts CaseDiff::Counts() const {
  CaseDiffCounts c;
  for (const ModelDiff& m : models) {
    ++(m.kind == ModelDiff::Kind::kCreated    ? c.models_created
       : m.kind == ModelDiff::Kind::kExcluded ? c.models_excluded
                                              : c.models_changed);
  }
  for (const TaskDiff& t : tasks) {
    switch (t.kind) {
      case TaskDiff::Kind::kAdded:
        ++c.tasks_added;
        break;
      case TaskDiff::Kind::kDropped:
        ++c.tasks_dropped;
        break;
      case TaskDiff::Kind::kCompleted:
        ++c.tasks_completed;
        break;
      case TaskDiff::Kind::kAbandoned:
        ++c.tasks_abandoned;
        break;
      case TaskDiff::Kind::kChanged:
        ++c.tasks_changed;
        break;
    }
  }
  for (const PortfolioDiff& p : portfolios) {
    ++(p.kind == PortfolioDiff::Kind::kAdded     ? c.portfolios_added
       : p.kind == PortfolioDiff::Kind::kRemoved ? c.portfolios_removed
                                                 : c.portfolios_changed);
  }
  c.strategy_changed = !strategy.empty();
  c.other_changed = other.size();
  return c;
}

CaseDiff DiffCases(const Case& old_case, const Case& new_case) {
  CaseDiff diff;
  diff.old_business = old_case.business.id;
  diff.new_business = new_case.business.id;
  diff.business_name = new_case.business.name;
  Match(
      old_case.business_models, new_case.business_models,
      [&](const BusinessModel& o, const BusinessModel& n) {
        ModelDiff m = ModelEntry(n, ModelDiff::Kind::kChanged);
        m.changes = ModelChanges(o, n);
        if (n.stage == Stage::kRetired && o.stage != Stage::kRetired) {
          m.kind = ModelDiff::Kind::kExcluded;
          m.retired = true;
        }
        if (!m.changes.empty()) diff.models.push_back(std::move(m));
      },
      [&](const BusinessModel& n) {
        diff.models.push_back(ModelEntry(n, ModelDiff::Kind::kCreated));
      },
      [&](const BusinessModel& o) {
        diff.models.push_back(ModelEntry(o, ModelDiff::Kind::kExcluded));
      });
  Match(
      old_case.bmi_tasks, new_case.bmi_tasks,
      [&](const BmiTask& o, const BmiTask& n) {
        TaskDiff t = TaskEntry(n, TaskDiff::Kind::kChanged);
        t.changes = TaskChanges(o, n);
        if (t.changes.empty()) return;
        if (o.status != n.status && n.status == TaskStatus::kCompleted) {
          t.kind = TaskDiff::Kind::kCompleted;
        } else if (o.status != n.status && n.status == TaskStatus::kAbandoned) {
          t.kind = TaskDiff::Kind::kAbandoned;
        }
        diff.tasks.push_back(std::move(t));
      },
      [&](const BmiTask& n) { diff.tasks.push_back(TaskEntry(n, TaskDiff::Kind::kAdded)); },
      [&](const BmiTask& o) { diff.tasks.push_back(TaskEntry(o, TaskDiff::Kind::kDropped)); });
  Match(
      old_case.portfolios, new_case.portfolios,
      [&](const Portfolio& o, const Portfolio& n) {
        PortfolioDiff p = PortfolioEntry(n, PortfolioDiff::Kind::kChanged);
        p.changes = PortfolioChanges(o, n);
        if (!p.changes.empty()) diff.portfolios.push_back(std::move(p));
      },
      [&](const Portfolio& n) {
        diff.portfolios.push_back(PortfolioEntry(n, PortfolioDiff::Kind::kAdded));
      },
      [&](const Portfolio& o) {
        diff.portfolios.push_back(PortfolioEntry(o, PortfolioDiff::Kind::kRemoved));
      });
  diff.strategy = StrategyChanges(old_case.strategy.value_or(Strategy{}),
                                  new_case.strategy.value_or(Strategy{}));
  diff.other = OtherChanges(old_case, new_case);
  return diff;
}

std::string SummaryLine(const CaseDiffCounts& c) {
  const std::string parts[] = {
      Group("model", "models",
            {{c.models_created, "created"},
             {c.models_excluded, "excluded"},
             {c.models_changed, "changed"}}),
      Group("task", "tasks",
            {{c.tasks_added, "added"},
             {c.tasks_completed, "completed"},
             {c.tasks_abandoned, "abandoned"},
             {c.tasks_dropped, "dropped"},
             {c.tasks_changed, "changed"}}),
      Group("portfolio", "portfolios",
            {{c.portfolios_added, "added"},
             {c.portfolios_removed, "removed"},
             {c.portfolios_changed, "changed"}}),
      c.strategy_changed ? "strategy changed" : "",
      Group("other field", "other fields", {{c.other_changed, "changed"}})};
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    out += (out.empty() ? "" : "; ") + part;
  }
  return out.empty() ? "no differences" : out;
}

std::string CaseDiffText(const CaseDiff& diff, const std::string& old_file,
                         const std::string& new_file, bool markdown) {
  Writer w(markdown);
  std::string summary = SummaryLine(diff.Counts());
  summary[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(summary[0])));
  const std::string business =
      w.Safe(diff.new_business) +
      (diff.business_name.empty() ? "" : " (" + w.Safe(diff.business_name) + ")");
  if (markdown) {
    w.Raw("# Case " + business + ": what changed\n\n" + summary + "\n\n- Old: " + w.Safe(old_file) +
          "\n- New: " + w.Safe(new_file) + "\n");
  } else {
    // File names are never cut: a path is copied from the terminal whole.
    w.Raw(Wrap(summary, "", 2) + Wrap(business, "Case: ", 6) + "Old:  " + w.Safe(old_file) +
          "\nNew:  " + w.Safe(new_file) + "\n");
  }

  if (!diff.models.empty()) w.Heading("Business models");
  for (const ModelDiff& m : diff.models) {
    std::string head = w.Safe(m.id) + (m.name.empty() ? "" : ": " + w.Safe(m.name));
    if (m.kind == ModelDiff::Kind::kCreated) {
      std::string where;
      for (const Json& name : {Name(sdk::kStateNames, m.state), Name(sdk::kStageNames, m.stage)}) {
        if (!name.is_null()) where += (where.empty() ? "" : ", ") + name.get<std::string>();
      }
      if (!where.empty()) head += " (" + where + ")";
    } else if (m.kind == ModelDiff::Kind::kExcluded) {
      head += m.retired ? " (retired)" : " (removed)";
    }
    w.Item(KindName(m.kind), head);
    for (const FieldChange& c : m.changes) w.Detail(w.ChangeLine(c));
  }

  if (!diff.tasks.empty()) w.Heading("BMI tasks");
  for (const TaskDiff& t : diff.tasks) {
    const bool whole = t.kind == TaskDiff::Kind::kAdded || t.kind == TaskDiff::Kind::kDropped;
    std::string head = w.Safe(t.id) + " on " + w.Safe(t.business_model);
    const Json status = Name(sdk::kTaskStatusNames, t.status);
    if (whole && !status.is_null()) head += ", " + status.get<std::string>();
    w.Item(KindName(t.kind), head);
    if (whole && !t.description.empty()) w.Detail(w.Value(Json(t.description), true));
    for (const FieldChange& c : t.changes) w.Detail(w.ChangeLine(c));
  }

  if (!diff.portfolios.empty()) w.Heading("Portfolios");
  for (const PortfolioDiff& p : diff.portfolios) {
    w.Item(KindName(p.kind), w.Safe(p.id) + (p.name.empty() ? "" : ": " + w.Safe(p.name)));
    if (p.kind != PortfolioDiff::Kind::kChanged && !p.business_models.empty()) {
      w.Detail("business_models: " + w.Value(Json(p.business_models), false));
    }
    for (const FieldChange& c : p.changes) w.Detail(w.ChangeLine(c));
  }

  if (!diff.strategy.empty()) w.Heading("Strategy");
  for (const FieldChange& c : diff.strategy) w.Line(w.ChangeLine(c));

  if (!diff.other.empty()) w.Heading("Other fields");
  for (const FieldChange& c : diff.other) w.Line(w.ChangeLine(c));
  return w.Result();
}

nlohmann::ordered_json CaseDiffJson(const CaseDiff& diff, const std::string& old_file,
                                    const std::string& new_file) {
  const CaseDiffCounts c = diff.Counts();
  Json out = Json::object();
  out["bmil_case_diff"] = "1.0";
  out["old"] = {{"file", old_file}, {"business", diff.old_business}};
  out["new"] = {{"file", new_file}, {"business", diff.new_business}};
  Json summary = Json::object();
  summary["differ"] = !diff.Empty();
  summary["models_created"] = c.models_created;
  summary["models_excluded"] = c.models_excluded;
  summary["models_changed"] = c.models_changed;
  summary["tasks_added"] = c.tasks_added;
  summary["tasks_completed"] = c.tasks_completed;
  summary["tasks_abandoned"] = c.tasks_abandoned;
  summary["tasks_dropped"] = c.tasks_dropped;
  summary["tasks_changed"] = c.tasks_changed;
  summary["portfolios_added"] = c.portfolios_added;
  summary["portfolios_removed"] = c.portfolios_removed;
  summary["portfolios_changed"] = c.portfolios_changed;
  summary["strategy_changed"] = c.strategy_changed;
  summary["other_changed"] = c.other_changed;
  summary["text"] = SummaryLine(c);
  out["summary"] = std::move(summary);

  Json models = Json::array();
  for (const ModelDiff& m : diff.models) {
    Json o = Json::object();
    o["id"] = m.id;
    o["kind"] = KindName(m.kind);
    if (m.kind == ModelDiff::Kind::kExcluded) o["how"] = m.retired ? "retired" : "removed";
    o["name"] = m.name;
    o["state"] = Name(sdk::kStateNames, m.state);
    o["stage"] = Name(sdk::kStageNames, m.stage);
    o["changes"] = ChangesJson(m.changes);
    models.push_back(std::move(o));
  }
  out["models"] = std::move(models);

  Json tasks = Json::array();
  for (const TaskDiff& t : diff.tasks) {
    Json o = Json::object();
    o["id"] = t.id;
    o["kind"] = KindName(t.kind);
    o["business_model"] = t.business_model;
    o["status"] = Name(sdk::kTaskStatusNames, t.status);
    o["description"] = Text(t.description);
    o["changes"] = ChangesJson(t.changes);
    tasks.push_back(std::move(o));
  }
  out["tasks"] = std::move(tasks);

  Json portfolios = Json::array();
  for (const PortfolioDiff& p : diff.portfolios) {
    Json o = Json::object();
    o["id"] = p.id;
    o["kind"] = KindName(p.kind);
    o["name"] = p.name;
    o["business_models"] = p.business_models;
    o["changes"] = ChangesJson(p.changes);
    portfolios.push_back(std::move(o));
  }
  out["portfolios"] = std::move(portfolios);
  out["strategy"] = ChangesJson(diff.strategy);
  out["other"] = ChangesJson(diff.other);
  return out;
}

}  // namespace bmil::control
