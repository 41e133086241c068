// The instrument lint (lint.hpp).
#include "instrument/lint.hpp"

#include "io/object_reader.hpp"

#include <map>
#include <set>

namespace bmil::instrument {

namespace {

// The value at `pointer` (tokens without escapes: the format's keys and ids have none), or
// the deepest value on the way.
JsonValue At(JsonValue value, std::string_view pointer) {
  std::size_t at = 0;
  while (at < pointer.size() && pointer[at] == '/') {
    const std::size_t end = std::min(pointer.find('/', at + 1), pointer.size());
    const std::string_view token = pointer.substr(at + 1, end - at - 1);
    std::optional<JsonValue> next;
    if (value.kind() == JsonValue::Kind::kObject) {
      next = value.Find(token);
    } else if (value.kind() == JsonValue::Kind::kArray) {
      std::size_t index = 0;
      for (char c : token) index = index * 10 + static_cast<std::size_t>(c - '0');
      std::size_t i = 0;
      for (const JsonValue item : value.items()) {
        if (i++ == index) {
          next = item;
          break;
        }
      }
    }
    if (!next) break;
    value = *next;
    at = end;
  }
  return value;
}

class Linter {
 public:
  Linter(const Instrument& in, const JsonValue& root, const std::string& file)
      : in_(in), root_(root), file_(file) {}

  std::vector<Diagnostic> Run() {
    UnusedScalesAndLists();
    UnscoredItems();
    MixedScales();
    ChoiceLimits();
    UnsatisfiableConditions();
    return std::move(out_);
  }

 private:
  const Instrument& in_;
  JsonValue root_;
  const std::string& file_;
  std::vector<Diagnostic> out_;

  void Warn(const std::string& pointer, std::string message) {
    const SourceLocation at = At(root_, pointer).location();
    out_.push_back({file_, at.line, at.column, pointer, "warning: " + std::move(message)});
  }
  // The pointer of item `id` (sections/s/items/i).
  std::string ItemPointer(std::string_view id) const {
    for (std::size_t s = 0; s < in_.sections.size(); ++s)
      for (std::size_t i = 0; i < in_.sections[s].items.size(); ++i)
        if (in_.sections[s].items[i].id == id)
          return "/sections/" + std::to_string(s) + "/items/" + std::to_string(i);
    return "";
  }

  void UnusedScalesAndLists() {
    std::set<std::string> scales, lists;
    for (const Section& s : in_.sections) {
      for (const Item& i : s.items) {
        if (i.type == ItemType::kLikert) scales.insert(i.scale);
        if (i.type == ItemType::kSingleChoice || i.type == ItemType::kMultipleChoice)
          lists.insert(i.choices);
      }
    }
    for (std::size_t k = 0; k < in_.scales.size(); ++k) {
      if (!scales.count(in_.scales[k].id))
        Warn("/scales/" + std::to_string(k) + "/id",
             "scale \"" + in_.scales[k].id + "\" is used by no item");
    }
    for (std::size_t k = 0; k < in_.choice_lists.size(); ++k) {
      if (!lists.count(in_.choice_lists[k].id))
        Warn("/choice_lists/" + std::to_string(k) + "/id",
             "choice list \"" + in_.choice_lists[k].id + "\" is used by no item");
    }
  }

  // With a scoring block, every Likert item should measure something: one no construct
  // scores is asked for nothing (a number item may be a fact, such as revenue).
  void UnscoredItems() {
    if (in_.constructs.empty()) return;
    std::set<std::string> scored;
    for (const Construct& c : in_.constructs)
      for (const ScoredItem& s : c.items) scored.insert(s.item);
    for (std::size_t s = 0; s < in_.sections.size(); ++s) {
      for (std::size_t i = 0; i < in_.sections[s].items.size(); ++i) {
        const Item& item = in_.sections[s].items[i];
        if (item.type == ItemType::kLikert && !scored.count(item.id)) {
          Warn("/sections/" + std::to_string(s) + "/items/" + std::to_string(i) + "/id",
               "Likert item \"" + item.id + "\" is scored by no construct");
        }
      }
    }
  }

  // A construct's Likert items on scales of different lengths: a 5-point and a 7-point
  // answer do not average into one score.
  void MixedScales() {
    for (std::size_t c = 0; c < in_.constructs.size(); ++c) {
      const Construct& construct = in_.constructs[c];
      const Scale* first = nullptr;
      std::string first_item;
      for (std::size_t k = 0; k < construct.items.size(); ++k) {
        const Item* item = in_.FindItem(construct.items[k].item);
        if (item == nullptr || item->type != ItemType::kLikert) continue;
        const Scale* scale = in_.FindScale(item->scale);
        if (scale == nullptr) continue;
        if (first == nullptr) {
          first = scale;
          first_item = item->id;
        } else if (scale->max - scale->min != first->max - first->min) {
          Warn("/scoring/constructs/" + std::to_string(c) + "/items/" + std::to_string(k) + "/item",
               "construct \"" + construct.id + "\" mixes scales: \"" + item->id + "\" has " +
                   std::to_string(scale->max - scale->min + 1) + " points (\"" + scale->id +
                   "\"), \"" + first_item + "\" " + std::to_string(first->max - first->min + 1) +
                   " (\"" + first->id + "\")");
        }
      }
    }
  }

  void ChoiceLimits() {
    for (const Section& s : in_.sections) {
      for (const Item& item : s.items) {
        if (item.type != ItemType::kMultipleChoice || !item.min) continue;
        const ChoiceList* list = in_.FindChoices(item.choices);
        if (list != nullptr && *item.min > static_cast<double>(list->choices.size())) {
          Warn(ItemPointer(item.id) + "/min",
               "item \"" + item.id + "\" asks for at least " +
                   std::to_string(static_cast<long long>(*item.min)) + " of the " +
                   std::to_string(list->choices.size()) + " choices of \"" + item.choices +
                   "\": no answer can");
        }
      }
    }
  }

  // A condition on a Likert or number item with values out of its range never holds.
  void UnsatisfiableConditions() {
    for (const Section& s : in_.sections) {
      for (const Item& item : s.items) {
        for (std::size_t k = 0; k < item.when.size(); ++k) {
          const Condition& c = item.when[k];
          const Item* target = in_.FindItem(c.item);
          if (target == nullptr || c.any_of.empty()) continue;
          double lo = -1e300, hi = 1e300;
          if (target->type == ItemType::kLikert) {
            if (const Scale* scale = in_.FindScale(target->scale)) {
              lo = scale->min;
              hi = scale->max;
            }
          } else if (target->type == ItemType::kNumber) {
            if (target->min) lo = *target->min;
            if (target->max) hi = *target->max;
          } else {
            continue;
          }
          bool possible = false;
          for (const nlohmann::json& v : c.any_of)
            possible =
                possible || (v.is_number() && v.get<double>() >= lo && v.get<double>() <= hi);
          if (!possible) {
            Warn(ItemPointer(item.id) + "/when/" + std::to_string(k),
                 "item \"" + item.id + "\" is never asked: no value of the condition on \"" +
                     c.item + "\" is a possible answer");
          }
        }
      }
    }
  }
};

}  // namespace

std::vector<Diagnostic> LintInstrument(const Instrument& instrument, std::string_view text,
                                       const std::string& file) {
  std::vector<Diagnostic> parse_problems;
  const InstrumentLimits limits;
  auto document = ParseLocated(text, file, {limits.max_bytes, limits.max_depth}, parse_problems);
  if (!document) return parse_problems;
  return Linter(instrument, document->root(), file).Run();
}

}  // namespace bmil::instrument
