// A questionnaire as data (docs/instruments.md, docs/schema/instrument.schema.json): its
// sections and items, the scales and choice lists they use, the conditions under which an
// item is asked, and the scoring block that says which construct each item measures (a
// leadership line, a building block, a line x block cell or one of the five traits of
// Lindgren 2012, sec. 5), reverse-coded items, weights and the missing-answer policy.
// Versioned (the format and the instrument) and hashed: an answers file names the
// instrument's id, version and hash, so that answers are never scored against another text.
#ifndef BMIL_CORE_INSTRUMENT_INSTRUMENT_HPP_
#define BMIL_CORE_INSTRUMENT_INSTRUMENT_HPP_

#include <bmil/case_io.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::instrument {

inline constexpr std::string_view kInstrumentFormatVersion = "1.0";

// Size and depth limits of an instrument file (docs/instruments.md, "Limits").
struct InstrumentLimits {
  std::size_t max_bytes = 4u << 20;
  std::size_t max_depth = 16;
  std::size_t max_sections = 200;
  std::size_t max_items = 5000;   // in all sections
  std::size_t max_choices = 500;  // per choice list
  std::size_t max_lists = 500;    // choice lists, and scales
  std::size_t max_constructs = 1000;
  std::size_t max_errors = 200;
};

enum class ItemType { kSingleChoice, kMultipleChoice, kLikert, kNumber, kDate, kText };
const char* ItemTypeName(ItemType type);

// A Likert scale: integer points min..max, each with a label.
struct Scale {
  std::string id;
  int min = 1, max = 5;
  std::vector<std::string> labels;  // max - min + 1 labels, for min, min + 1, ..., max
};

struct Choice {
  std::string value;  // an id
  std::string label;
};

struct ChoiceList {
  std::string id;
  std::vector<Choice> choices;
};

// When an item is asked: the answer to an earlier item (of the same or an earlier section)
// equals one of `any_of`, or (when `any_of` is empty) the item was answered at all.
struct Condition {
  std::string item;
  std::vector<nlohmann::json> any_of;  // strings for choice items, numbers for the others
};

struct Item {
  std::string id;
  ItemType type = ItemType::kText;
  std::string text;  // the question
  std::string help;  // "" when none
  bool required = false;
  std::string scale;               // kLikert: a Scale id
  std::string choices;             // kSingleChoice, kMultipleChoice: a ChoiceList id
  std::optional<double> min, max;  // kNumber: the range; kMultipleChoice: how many to pick
  bool integer = false;            // kNumber: whole numbers only
  std::string unit;                // kNumber: "" when none
  std::size_t max_length = 2000;   // kText: code points
  std::vector<Condition> when;     // all must hold; empty: always asked
};

struct Section {
  std::string id;
  std::string title;
  std::string description;  // "" when none
  // A repeated section (e.g. one per business model): asked `repeat_min` to `repeat_max`
  // times; 0 and 0 when it is asked once.
  std::size_t repeat_min = 0, repeat_max = 0;
  std::string repeat_noun;  // what one repetition is, e.g. "business model"
  std::vector<Item> items;
  bool repeated() const { return repeat_max > 0; }
};

// What a construct measures.
enum class Target { kLine, kBlock, kCell, kTrait };
const char* TargetName(Target target);

// The paper's five traits of SME business model innovation (Lindgren 2012, sec. 5), by id.
const std::vector<std::string>& TraitIds();

struct ScoredItem {
  std::string item;
  double weight = 1;
  bool reverse = false;  // scored as min + max - answer
};

struct Construct {
  std::string id;
  std::string label;
  Target target = Target::kLine;
  std::string line, block, trait;  // as `target` needs
  std::vector<ScoredItem> items;
};

// How a construct's score treats unanswered items: the weighted mean of the answered ones
// when at least `min_answered` (a share) of its items are answered, else no score.
struct MissingPolicy {
  double min_answered = 0.5;
};

struct Instrument {
  std::string id, version, title, description, language;
  std::vector<Scale> scales;
  std::vector<ChoiceList> choice_lists;
  std::vector<Section> sections;
  std::vector<Construct> constructs;
  MissingPolicy missing;

  const Item* FindItem(std::string_view id) const;
  const Scale* FindScale(std::string_view id) const;
  const ChoiceList* FindChoices(std::string_view id) const;
};

struct InstrumentReadResult {
  std::optional<Instrument> value;  // set iff problems is empty
  std::vector<Diagnostic> problems;
};

// Reads an instrument from `text` (named `file` in messages). Never throws; every problem is
// located (file:line:column and JSON pointer); unknown keys, item types, scales, choice
// lists and items named in conditions and constructs get a did-you-mean. References must
// resolve: a condition names an item asked before it, a construct names numeric items
// (Likert or number; a reversed one needs a range).
InstrumentReadResult ReadInstrument(std::string_view text, const std::string& file,
                                    const InstrumentLimits& limits = {});

// The instrument as the JSON of the format, keys in the documented order and every default
// written out (but no language when none is given): its canonical form.
nlohmann::ordered_json InstrumentJson(const Instrument& instrument);

// XXH3-128 of the canonical form's compact text: the same for two files that differ only in
// spacing, key order or defaults left out; different for any change of wording, order,
// scale or scoring.
std::string InstrumentHash(const Instrument& instrument);

}  // namespace bmil::instrument

#endif  // BMIL_CORE_INSTRUMENT_INSTRUMENT_HPP_
