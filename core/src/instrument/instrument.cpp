// Reading and writing an instrument (instrument.hpp, docs/instruments.md).
#include "instrument/instrument.hpp"

#include "control/read_helpers.hpp"
#include "io/case_rules.hpp"
#include "io/did_you_mean.hpp"
#include "io/digest.hpp"
#include "io/json_pointer.hpp"
#include "io/object_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace bmil::instrument {

namespace {

struct TypeName {
  ItemType type;
  const char* name;
};
constexpr TypeName kTypes[] = {{ItemType::kSingleChoice, "single_choice"},
                               {ItemType::kMultipleChoice, "multiple_choice"},
                               {ItemType::kLikert, "likert"},
                               {ItemType::kNumber, "number"},
                               {ItemType::kDate, "date"},
                               {ItemType::kText, "text"}};

std::vector<std::string> TypeNames() {
  std::vector<std::string> names;
  for (const TypeName& t : kTypes) names.push_back(t.name);
  return names;
}

bool Numeric(ItemType type) { return type == ItemType::kLikert || type == ItemType::kNumber; }

// A version: 1 to 32 of 0-9 A-Z a-z . - +, starting with a digit.
bool IsVersion(std::string_view s) {
  if (s.empty() || s.size() > 32 || s[0] < '0' || s[0] > '9') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-' || c == '+';
  });
}

// A language tag: 2 to 35 of A-Z a-z 0-9 -, starting with a letter (BCP 47's alphabet).
bool IsLanguage(std::string_view s) {
  if (s.size() < 2 || s.size() > 35 || !std::isalpha(static_cast<unsigned char>(s[0])))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

// Where an item is: its section (index) and its position in the whole instrument.
struct ItemPlace {
  std::size_t section = 0;
  std::size_t order = 0;
  const Item* item = nullptr;
  std::string pointer;
};

class InstrumentReader : public control::FieldReader {
 public:
  InstrumentReader(const std::string& file, std::vector<Diagnostic>& problems,
                   const InstrumentLimits& limits)
      : FieldReader(file, problems), limits_(limits) {}
  void Root(const JsonValue& root, Instrument& out);

 private:
  const InstrumentLimits& limits_;
  std::vector<std::string> item_ids_;  // every item's id, in document order
  std::map<std::string, ItemPlace> places_;

  void ScaleAt(const JsonValue& value, const std::string& pointer, Scale& out);
  void ChoicesAt(const JsonValue& value, const std::string& pointer, ChoiceList& out);
  void SectionAt(const JsonValue& value, const std::string& pointer, Section& out);
  void ItemAt(const JsonValue& value, const std::string& pointer, Item& out);
  void ScoringAt(const JsonValue& value, const std::string& pointer, Instrument& out);
  void ConstructAt(const JsonValue& value, const std::string& pointer, Construct& out);
  // Checks what the whole instrument must agree on (references), once everything is read.
  void CheckReferences(const JsonValue& root, Instrument& out);
  void CheckCondition(const Instrument& in, const Condition& c, const ItemPlace& asker,
                      const JsonValue& value, const std::string& pointer);

  // The array member `key` of `r`, its items read by `read` into `out` (at most `max`).
  template <typename T, typename Read>
  void List(ObjectReader& r, std::string_view key, bool required, std::size_t max,
            std::string_view what, std::vector<T>& out, Read read) {
    const std::optional<JsonValue> array = r.Get(key, JsonValue::Kind::kArray, required);
    if (!array) return;
    const std::string at = r.PointerOf(key);
    if (!Count(*array, at, max, what)) return;
    out.resize(array->items().size());
    std::size_t i = 0;
    for (const JsonValue v : array->items()) {
      read(v, JsonPointerChild(at, i), out[i]);
      ++i;
    }
  }
  // Reports the second of two members of `list` with the same id.
  template <typename T>
  void Unique(const JsonValue& array, const std::string& pointer, const std::vector<T>& list,
              std::string_view what) {
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const JsonValue v : array.items()) {
      if (i < list.size() && !list[i].id.empty() && !seen.insert(list[i].id).second) {
        Problem(v.location(), JsonPointerChild(pointer, i),
                std::string(what) + " \"" + list[i].id + "\" is given twice");
      }
      ++i;
    }
  }
};

void InstrumentReader::Root(const JsonValue& root, Instrument& out) {
  ObjectReader r(root, file_, "", problems_);
  if (!r.is_object()) return;
  Version(r, "bmil_instrument", kInstrumentFormatVersion, "instrument");
  if (auto id = Id(r, "id")) out.id = *id;
  if (auto version = r.String("version", true, 64)) {
    if (IsVersion(*version)) {
      out.version = *version;
    } else {
      r.Problem(root.Find("version")->location(), "/version",
                "\"" + *version +
                    "\" is not a version: 1 to 32 of digits, letters, '.', '-' and '+', starting "
                    "with a digit (e.g. 1.0.0)");
    }
  }
  if (auto title = Text(r, "title", true)) out.title = *title;
  if (auto description = Text(r, "description", false)) out.description = *description;
  if (auto language = r.String("language", false, 64)) {
    if (IsLanguage(*language)) {
      out.language = *language;
    } else {
      r.Problem(root.Find("language")->location(), "/language",
                "\"" + *language + "\" is not a language tag such as en or da-DK");
    }
  }
  List(r, "scales", false, limits_.max_lists, "scales", out.scales,
       [&](const JsonValue& v, const std::string& at, Scale& s) { ScaleAt(v, at, s); });
  if (auto scales = root.Find("scales"); scales && scales->kind() == JsonValue::Kind::kArray)
    Unique(*scales, "/scales", out.scales, "scale");
  List(r, "choice_lists", false, limits_.max_lists, "choice lists", out.choice_lists,
       [&](const JsonValue& v, const std::string& at, ChoiceList& c) { ChoicesAt(v, at, c); });
  if (auto lists = root.Find("choice_lists"); lists && lists->kind() == JsonValue::Kind::kArray)
    Unique(*lists, "/choice_lists", out.choice_lists, "choice list");
  List(r, "sections", true, limits_.max_sections, "sections", out.sections,
       [&](const JsonValue& v, const std::string& at, Section& s) { SectionAt(v, at, s); });
  if (auto sections = root.Find("sections");
      sections && sections->kind() == JsonValue::Kind::kArray) {
    Unique(*sections, "/sections", out.sections, "section");
    if (out.sections.empty()) {
      Problem(sections->location(), "/sections", "an instrument needs at least one section");
    }
  }
  if (auto scoring = r.Get("scoring", JsonValue::Kind::kObject, false)) {
    ScoringAt(*scoring, "/scoring", out);
  }
  r.Finish();
  CheckReferences(root, out);
}

void InstrumentReader::ScaleAt(const JsonValue& value, const std::string& pointer, Scale& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto id = Id(r, "id")) out.id = *id;
  auto min = r.Integer("min", -100, 100, true);
  auto max = r.Integer("max", -100, 100, true);
  if (min && max) {
    if (*max <= *min || *max - *min > 20) {
      r.Problem(value.Find("max")->location(), r.PointerOf("max"),
                "a scale runs from min to a larger max, 2 to 21 points; found " +
                    std::to_string(*min) + " to " + std::to_string(*max));
    } else {
      out.min = static_cast<int>(*min);
      out.max = static_cast<int>(*max);
    }
  }
  if (const std::optional<JsonValue> labels = r.Get("labels", JsonValue::Kind::kArray, true)) {
    const std::string at = r.PointerOf("labels");
    std::size_t i = 0;
    for (const JsonValue label : labels->items()) {
      if (label.kind() != JsonValue::Kind::kString || label.text().empty() ||
          !rules::IsShortText(label.text())) {
        Problem(
            label.location(), JsonPointerChild(at, i),
            "a label is a text of 1 to " + std::to_string(rules::kMaxTextLength) + " characters");
      } else {
        out.labels.emplace_back(label.text());
      }
      if (++i > 21) break;
    }
    if (min && max && out.max == *max && out.min == *min &&
        labels->items().size() != static_cast<std::size_t>(*max - *min + 1)) {
      Problem(labels->location(), at,
              "a scale from " + std::to_string(*min) + " to " + std::to_string(*max) + " has " +
                  std::to_string(*max - *min + 1) + " points: give a label for each, found " +
                  std::to_string(labels->items().size()));
    }
  }
  r.Finish();
}

void InstrumentReader::ChoicesAt(const JsonValue& value, const std::string& pointer,
                                 ChoiceList& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto id = Id(r, "id")) out.id = *id;
  List(r, "choices", true, limits_.max_choices, "choices", out.choices,
       [&](const JsonValue& v, const std::string& at, Choice& c) {
         ObjectReader cr(v, file_, at, problems_);
         if (!cr.is_object()) return;
         if (auto id = Id(cr, "value")) c.value = *id;
         if (auto label = Text(cr, "label", true)) c.label = *label;
         cr.Finish();
       });
  if (auto choices = value.Find("choices"); choices && choices->kind() == JsonValue::Kind::kArray) {
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const JsonValue v : choices->items()) {
      if (i < out.choices.size() && !out.choices[i].value.empty() &&
          !seen.insert(out.choices[i].value).second) {
        Problem(v.location(), JsonPointerChild(r.PointerOf("choices"), i),
                "choice \"" + out.choices[i].value + "\" is given twice");
      }
      ++i;
    }
    if (out.choices.empty()) {
      Problem(choices->location(), r.PointerOf("choices"), "a choice list needs a choice");
    }
  }
  r.Finish();
}

void InstrumentReader::SectionAt(const JsonValue& value, const std::string& pointer, Section& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto id = Id(r, "id")) out.id = *id;
  if (auto title = Text(r, "title", true)) out.title = *title;
  if (auto description = Text(r, "description", false)) out.description = *description;
  if (auto repeat = r.Get("repeat", JsonValue::Kind::kObject, false)) {
    ObjectReader rr(*repeat, file_, r.PointerOf("repeat"), problems_);
    auto min = rr.Integer("min", 0, 1000, true);
    auto max = rr.Integer("max", 1, 1000, true);
    auto noun = Text(rr, "noun", true);
    if (min && max && *min > *max) {
      rr.Problem(repeat->Find("min")->location(), rr.PointerOf("min"),
                 "min " + std::to_string(*min) + " is more than max " + std::to_string(*max));
    } else if (min && max && noun) {
      out.repeat_min = static_cast<std::size_t>(*min);
      out.repeat_max = static_cast<std::size_t>(*max);
      out.repeat_noun = *noun;
    }
    rr.Finish();
  }
  List(r, "items", true, limits_.max_items, "items", out.items,
       [&](const JsonValue& v, const std::string& at, Item& item) { ItemAt(v, at, item); });
  if (auto items = value.Find("items");
      items && items->kind() == JsonValue::Kind::kArray && items->items().size() == 0) {
    Problem(items->location(), r.PointerOf("items"), "a section needs at least one item");
  }
  r.Finish();
}

void InstrumentReader::ItemAt(const JsonValue& value, const std::string& pointer, Item& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto id = Id(r, "id")) out.id = *id;
  std::optional<std::string> type = r.Choice("type", TypeNames(), true);
  if (type) {
    for (const TypeName& t : kTypes)
      if (*type == t.name) out.type = t.type;
  }
  if (auto text = Text(r, "text", true)) out.text = *text;
  if (auto help = Text(r, "help", false)) out.help = *help;
  if (auto required = r.Bool("required", false)) out.required = *required;
  if (!type) {
    r.Finish();
    return;
  }
  // The members each type has (others are unknown keys for Finish to report).
  switch (out.type) {
    case ItemType::kLikert:
      if (auto scale = Id(r, "scale")) out.scale = *scale;
      break;
    case ItemType::kSingleChoice:
      if (auto choices = Id(r, "choices")) out.choices = *choices;
      break;
    case ItemType::kMultipleChoice: {
      if (auto choices = Id(r, "choices")) out.choices = *choices;
      auto min = r.Integer("min", 0, 500, false);
      auto max = r.Integer("max", 1, 500, false);
      if (min) out.min = static_cast<double>(*min);
      if (max) out.max = static_cast<double>(*max);
      break;
    }
    case ItemType::kNumber: {
      out.min = r.Number("min", -rules::kMaxAmount, rules::kMaxAmount, false);
      out.max = r.Number("max", -rules::kMaxAmount, rules::kMaxAmount, false);
      if (auto integer = r.Bool("integer", false)) out.integer = *integer;
      if (auto unit = Text(r, "unit", false)) out.unit = *unit;
      break;
    }
    case ItemType::kText:
      if (auto n = r.Integer("max_length", 1, 100000, false))
        out.max_length = static_cast<std::size_t>(*n);
      break;
    case ItemType::kDate:
      break;
  }
  if (out.min && out.max && *out.min > *out.max) {
    r.Problem(value.Find("min")->location(), r.PointerOf("min"), "min is more than max");
  }
  if (const std::optional<JsonValue> when = r.Get("when", JsonValue::Kind::kArray, false)) {
    const std::string at = r.PointerOf("when");
    if (Count(*when, at, 20, "conditions")) {
      std::size_t i = 0;
      for (const JsonValue c : when->items()) {
        ObjectReader cr(c, file_, JsonPointerChild(at, i++), problems_);
        if (!cr.is_object()) continue;
        Condition condition;
        if (auto item = Id(cr, "item")) condition.item = *item;
        if (auto any_of = cr.Get("any_of", JsonValue::Kind::kArray, false)) {
          if (Count(*any_of, cr.PointerOf("any_of"), 500, "values")) {
            std::size_t k = 0;
            for (const JsonValue v : any_of->items()) {
              if (v.kind() != JsonValue::Kind::kString && v.kind() != JsonValue::Kind::kNumber) {
                Problem(v.location(), JsonPointerChild(cr.PointerOf("any_of"), k),
                        "a condition's value is a string (a choice) or a number");
              } else {
                condition.any_of.push_back(v.ToJson());
              }
              ++k;
            }
            if (any_of->items().size() == 0) {
              Problem(any_of->location(), cr.PointerOf("any_of"),
                      "give at least one value, or leave any_of out for \"was answered\"");
            }
          }
        }
        cr.Finish();
        out.when.push_back(std::move(condition));
      }
    }
  }
  r.Finish();
}

void InstrumentReader::ScoringAt(const JsonValue& value, const std::string& pointer,
                                 Instrument& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto missing = r.Get("missing", JsonValue::Kind::kObject, false)) {
    ObjectReader mr(*missing, file_, r.PointerOf("missing"), problems_);
    if (auto share = mr.Number("min_answered", 0, 1, true)) out.missing.min_answered = *share;
    mr.Finish();
  }
  List(r, "constructs", true, limits_.max_constructs, "constructs", out.constructs,
       [&](const JsonValue& v, const std::string& at, Construct& c) { ConstructAt(v, at, c); });
  if (auto constructs = value.Find("constructs");
      constructs && constructs->kind() == JsonValue::Kind::kArray) {
    Unique(*constructs, r.PointerOf("constructs"), out.constructs, "construct");
  }
  r.Finish();
}

void InstrumentReader::ConstructAt(const JsonValue& value, const std::string& pointer,
                                   Construct& out) {
  ObjectReader r(value, file_, pointer, problems_);
  if (!r.is_object()) return;
  if (auto id = Id(r, "id")) out.id = *id;
  if (auto label = Text(r, "label", true)) out.label = *label;
  if (auto measures = r.Get("measures", JsonValue::Kind::kObject, true)) {
    ObjectReader mr(*measures, file_, r.PointerOf("measures"), problems_);
    const bool line = measures->Find("line").has_value();
    const bool block = measures->Find("block").has_value();
    const bool trait = measures->Find("trait").has_value();
    if (trait) {
      if (auto t = mr.Choice("trait", TraitIds(), true)) out.trait = *t;
      out.target = Target::kTrait;
    }
    if (line) {
      if (auto l = Id(mr, "line")) out.line = *l;
    }
    if (block) {
      if (auto b = Id(mr, "block")) out.block = *b;
    }
    if (trait && (line || block)) {
      mr.Problem(measures->location(), r.PointerOf("measures"),
                 "a construct measures a trait, or a line, a block or a line x block cell: "
                 "not a trait and a line or block");
    } else if (!trait) {
      out.target = line && block ? Target::kCell : line ? Target::kLine : Target::kBlock;
      if (!line && !block) {
        mr.Problem(measures->location(), r.PointerOf("measures"),
                   "say what the construct measures: \"line\", \"block\", both (a canvas "
                   "cell) or \"trait\"");
      }
    }
    mr.Finish();
  }
  List(r, "items", true, 500, "items", out.items,
       [&](const JsonValue& v, const std::string& at, ScoredItem& s) {
         ObjectReader sr(v, file_, at, problems_);
         if (!sr.is_object()) return;
         if (auto item = Id(sr, "item")) s.item = *item;
         if (auto weight = sr.Number("weight", 0, 1000, false)) s.weight = *weight;
         if (auto reverse = sr.Bool("reverse", false)) s.reverse = *reverse;
         sr.Finish();
       });
  if (auto items = value.Find("items");
      items && items->kind() == JsonValue::Kind::kArray && items->items().size() == 0) {
    Problem(items->location(), r.PointerOf("items"), "a construct needs at least one item");
  }
  r.Finish();
}

void InstrumentReader::CheckCondition(const Instrument& in, const Condition& c,
                                      const ItemPlace& asker, const JsonValue& value,
                                      const std::string& pointer) {
  if (c.item.empty()) return;
  const auto place = places_.find(c.item);
  if (place == places_.end()) {
    Problem(value.location(), pointer + "/item",
            "no item \"" + c.item + "\"" + DidYouMean(c.item, item_ids_));
    return;
  }
  if (place->second.order >= asker.order) {
    Problem(value.location(), pointer + "/item",
            "item \"" + c.item + "\" is asked " +
                (place->second.order == asker.order ? "here" : "later") +
                ": a condition can only look at answers given before");
    return;
  }
  const Section& from = in.sections[place->second.section];
  if (from.repeated() && place->second.section != asker.section) {
    Problem(value.location(), pointer + "/item",
            "item \"" + c.item + "\" is in the repeated section \"" + from.id +
                "\": only an item of that section can depend on it");
    return;
  }
  const Item& target = *place->second.item;
  std::size_t k = 0;
  for (const nlohmann::json& v : c.any_of) {
    const std::string at = pointer + "/any_of/" + std::to_string(k++);
    if (target.type == ItemType::kSingleChoice || target.type == ItemType::kMultipleChoice) {
      const ChoiceList* list = in.FindChoices(target.choices);
      if (list == nullptr) continue;  // reported at the item
      std::vector<std::string> values;
      for (const Choice& ch : list->choices) values.push_back(ch.value);
      if (!v.is_string() ||
          std::find(values.begin(), values.end(), v.get<std::string>()) == values.end()) {
        const std::string shown = v.is_string() ? v.get<std::string>() : v.dump();
        Problem(value.location(), at,
                "\"" + shown + "\" is not a choice of item \"" + c.item + "\"" +
                    (v.is_string() ? DidYouMean(shown, values) : ""));
      }
    } else if (Numeric(target.type)) {
      if (!v.is_number()) {
        Problem(value.location(), at,
                "item \"" + c.item + "\" is answered with a number: compare with numbers");
      }
    } else if (!v.is_string()) {
      Problem(value.location(), at,
              "item \"" + c.item + "\" is answered with a text: compare with strings");
    }
  }
}

void InstrumentReader::CheckReferences(const JsonValue& root, Instrument& out) {
  // Items: unique ids across sections, in document order.
  const std::optional<JsonValue> sections = root.Find("sections");
  if (!sections || sections->kind() != JsonValue::Kind::kArray) return;
  std::size_t order = 0, s = 0;
  std::vector<std::pair<JsonValue, ItemPlace>> asked;  // every item with its place
  for (const JsonValue section : sections->items()) {
    if (s >= out.sections.size()) break;
    const std::optional<JsonValue> items = section.Find("items");
    if (items && items->kind() == JsonValue::Kind::kArray) {
      std::size_t i = 0;
      for (const JsonValue item : items->items()) {
        if (i >= out.sections[s].items.size()) break;
        const Item& it = out.sections[s].items[i];
        const std::string at =
            JsonPointerChild(JsonPointerChild(JsonPointerChild("/sections", s), "items"), i);
        ItemPlace place{s, order++, &it, at};
        if (!it.id.empty()) {
          if (!places_.emplace(it.id, place).second) {
            Problem(item.location(), at, "item \"" + it.id + "\" is given twice");
          } else {
            item_ids_.push_back(it.id);
          }
        }
        asked.emplace_back(item, place);
        ++i;
      }
    }
    ++s;
  }
  if (order > limits_.max_items) {
    Problem(sections->location(), "/sections",
            std::to_string(order) + " items in all, more than the limit of " +
                std::to_string(limits_.max_items));
    return;
  }
  std::vector<std::string> scale_ids, list_ids;
  for (const Scale& sc : out.scales) scale_ids.push_back(sc.id);
  for (const ChoiceList& l : out.choice_lists) list_ids.push_back(l.id);
  for (const auto& [value, place] : asked) {
    const Item& it = *place.item;
    if (it.type == ItemType::kLikert && !it.scale.empty() && !out.FindScale(it.scale)) {
      Problem(value.Find("scale")->location(), place.pointer + "/scale",
              "no scale \"" + it.scale + "\"" + DidYouMean(it.scale, scale_ids));
    }
    if ((it.type == ItemType::kSingleChoice || it.type == ItemType::kMultipleChoice) &&
        !it.choices.empty()) {
      const ChoiceList* list = out.FindChoices(it.choices);
      if (list == nullptr) {
        Problem(value.Find("choices")->location(), place.pointer + "/choices",
                "no choice list \"" + it.choices + "\"" + DidYouMean(it.choices, list_ids));
      } else if (it.max && *it.max > static_cast<double>(list->choices.size())) {
        Problem(value.Find("max")->location(), place.pointer + "/max",
                "at most " + std::to_string(list->choices.size()) + " can be picked from \"" +
                    it.choices + "\"");
      }
    }
    const std::optional<JsonValue> when = value.Find("when");
    if (!when || when->kind() != JsonValue::Kind::kArray) continue;
    std::size_t k = 0;
    for (const JsonValue c : when->items()) {
      if (k >= it.when.size()) break;
      CheckCondition(out, it.when[k], place, c, place.pointer + "/when/" + std::to_string(k));
      ++k;
    }
  }
  // Constructs: their items exist and are numeric; a reversed one has a range.
  const std::optional<JsonValue> scoring = root.Find("scoring");
  const std::optional<JsonValue> constructs =
      scoring ? scoring->Find("constructs") : std::optional<JsonValue>();
  if (!constructs || constructs->kind() != JsonValue::Kind::kArray) return;
  std::size_t c = 0;
  for (const JsonValue construct : constructs->items()) {
    if (c >= out.constructs.size()) break;
    const std::optional<JsonValue> items = construct.Find("items");
    std::size_t i = 0;
    if (items && items->kind() == JsonValue::Kind::kArray) {
      for (const JsonValue scored : items->items()) {
        if (i >= out.constructs[c].items.size()) break;
        const ScoredItem& si = out.constructs[c].items[i];
        const std::string at =
            "/scoring/constructs/" + std::to_string(c) + "/items/" + std::to_string(i) + "/item";
        ++i;
        if (si.item.empty()) continue;
        const auto place = places_.find(si.item);
        if (place == places_.end()) {
          Problem(scored.location(), at,
                  "no item \"" + si.item + "\"" + DidYouMean(si.item, item_ids_));
          continue;
        }
        const Item& it = *place->second.item;
        if (!Numeric(it.type)) {
          Problem(scored.location(), at,
                  "item \"" + si.item + "\" is a " + ItemTypeName(it.type) +
                      " item: a construct scores likert and number items");
        } else if (si.reverse && it.type == ItemType::kNumber && (!it.min || !it.max)) {
          Problem(scored.location(), at,
                  "item \"" + si.item +
                      "\" is reversed (min + max - answer) but has no min "
                      "and max");
        }
      }
    }
    ++c;
  }
}

}  // namespace

const char* ItemTypeName(ItemType type) {
  for (const TypeName& t : kTypes)
    if (t.type == type) return t.name;
  return "text";
}

const char* TargetName(Target target) {
  switch (target) {
    case Target::kLine:
      return "line";
    case Target::kBlock:
      return "block";
    case Target::kCell:
      return "cell";
    case Target::kTrait:
      return "trait";
  }
  return "line";
}

const std::vector<std::string>& TraitIds() {
  // The ids of the strategy_profile analyzer's indicators (Lindgren 2012, sec. 5): an explicit
  // strategy, a structured strategy process, focus on few blocks, potential untapped, lacking
  // BMIL skills.
  static const std::vector<std::string> kIds = {"explicit_strategy", "structured_process",
                                                "few_blocks_focus", "untapped_potential",
                                                "lacks_skills"};
  return kIds;
}

const Item* Instrument::FindItem(std::string_view id) const {
  for (const Section& s : sections)
    for (const Item& i : s.items)
      if (i.id == id) return &i;
  return nullptr;
}

const Scale* Instrument::FindScale(std::string_view id) const {
  for (const Scale& s : scales)
    if (s.id == id) return &s;
  return nullptr;
}

const ChoiceList* Instrument::FindChoices(std::string_view id) const {
  for (const ChoiceList& l : choice_lists)
    if (l.id == id) return &l;
  return nullptr;
}

InstrumentReadResult ReadInstrument(std::string_view text, const std::string& file,
                                    const InstrumentLimits& limits) {
  InstrumentReadResult result;
  auto document = ParseLocated(text, file, {limits.max_bytes, limits.max_depth}, result.problems);
  if (!document) return result;
  Instrument out;
  InstrumentReader reader(file, result.problems, limits);
  reader.Root(document->root(), out);
  control::CapProblems(result.problems, file, limits.max_errors);
  if (result.problems.empty()) result.value = std::move(out);
  return result;
}

nlohmann::ordered_json InstrumentJson(const Instrument& in) {
  using OJson = nlohmann::ordered_json;
  OJson j;
  j["bmil_instrument"] = kInstrumentFormatVersion;
  j["id"] = in.id;
  j["version"] = in.version;
  j["title"] = in.title;
  j["description"] = in.description;
  if (!in.language.empty()) j["language"] = in.language;
  OJson scales = OJson::array();
  for (const Scale& s : in.scales) {
    scales.push_back({{"id", s.id}, {"min", s.min}, {"max", s.max}, {"labels", s.labels}});
  }
  j["scales"] = std::move(scales);
  OJson lists = OJson::array();
  for (const ChoiceList& l : in.choice_lists) {
    OJson choices = OJson::array();
    for (const Choice& c : l.choices) choices.push_back({{"value", c.value}, {"label", c.label}});
    lists.push_back({{"id", l.id}, {"choices", std::move(choices)}});
  }
  j["choice_lists"] = std::move(lists);
  OJson sections = OJson::array();
  for (const Section& s : in.sections) {
    OJson section{{"id", s.id}, {"title", s.title}, {"description", s.description}};
    if (s.repeated()) {
      section["repeat"] = {{"min", s.repeat_min}, {"max", s.repeat_max}, {"noun", s.repeat_noun}};
    }
    OJson items = OJson::array();
    for (const Item& i : s.items) {
      OJson item{{"id", i.id},
                 {"type", ItemTypeName(i.type)},
                 {"text", i.text},
                 {"help", i.help},
                 {"required", i.required}};
      switch (i.type) {
        case ItemType::kLikert:
          item["scale"] = i.scale;
          break;
        case ItemType::kSingleChoice:
          item["choices"] = i.choices;
          break;
        case ItemType::kMultipleChoice:
          item["choices"] = i.choices;
          if (i.min) item["min"] = static_cast<std::int64_t>(*i.min);
          if (i.max) item["max"] = static_cast<std::int64_t>(*i.max);
          break;
        case ItemType::kNumber:
          if (i.min) item["min"] = *i.min;
          if (i.max) item["max"] = *i.max;
          item["integer"] = i.integer;
          item["unit"] = i.unit;
          break;
        case ItemType::kText:
          item["max_length"] = i.max_length;
          break;
        case ItemType::kDate:
          break;
      }
      if (!i.when.empty()) {
        OJson when = OJson::array();
        for (const Condition& c : i.when) {
          OJson condition{{"item", c.item}};
          if (!c.any_of.empty()) {
            OJson values = OJson::array();
            for (const nlohmann::json& v : c.any_of) values.push_back(OJson::parse(v.dump()));
            condition["any_of"] = std::move(values);
          }
          when.push_back(std::move(condition));
        }
        item["when"] = std::move(when);
      }
      items.push_back(std::move(item));
    }
    section["items"] = std::move(items);
    sections.push_back(std::move(section));
  }
  j["sections"] = std::move(sections);
  if (!in.constructs.empty()) {
    OJson constructs = OJson::array();
    for (const Construct& c : in.constructs) {
      OJson measures = OJson::object();
      if (c.target == Target::kTrait) {
        measures["trait"] = c.trait;
      } else {
        if (c.target != Target::kBlock) measures["line"] = c.line;
        if (c.target != Target::kLine) measures["block"] = c.block;
      }
      OJson items = OJson::array();
      for (const ScoredItem& s : c.items) {
        items.push_back({{"item", s.item}, {"weight", s.weight}, {"reverse", s.reverse}});
      }
      constructs.push_back({{"id", c.id},
                            {"label", c.label},
                            {"measures", std::move(measures)},
                            {"items", std::move(items)}});
    }
    j["scoring"] = {{"missing", {{"min_answered", in.missing.min_answered}}},
                    {"constructs", std::move(constructs)}};
  }
  return j;
}

std::string InstrumentHash(const Instrument& instrument) {
  return DigestHex(InstrumentJson(instrument).dump());
}

}  // namespace bmil::instrument
