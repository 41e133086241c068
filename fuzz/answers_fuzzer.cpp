// Fuzzes the answers reader (ReadAnswers, core/src/instrument/answers.hpp) against a fixed
// instrument, the small example (examples/instruments/small.json, copied here so that the
// target stands alone). Beyond "no crash, no hang, no leak, no undefined behaviour, no
// exception":
//  - answers are returned exactly when there are no problems, and every problem is located,
//    but for the size refusal and the note that more were not shown;
//  - accepted answers keep the format's promises: they name the instrument read against (id,
//    version, hash); every answer is to an item of the right part (asked once, or of the
//    repeated section it is under) and that item was asked; a repeated section has at most
//    its max repetitions; a complete set answers every required item asked;
//  - they round-trip: the text of AnswersJson() reads back and writes the same text.
#include "instrument/answers.hpp"

#include "fuzz_support.hpp"

#include <bmil/case_io.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using bmil::fuzz::Broken;
namespace in = bmil::instrument;

namespace {

constexpr std::string_view kInstrument = R"json({
  "bmil_instrument": "1.0",
  "id": "small",
  "version": "1.0.0",
  "title": "A small instrument",
  "scales": [{"id": "agree3", "min": 1, "max": 3,
              "labels": ["Disagree", "Neither", "Agree"]}],
  "choice_lists": [{"id": "state", "choices": [{"value": "as_is", "label": "AS IS"},
                                               {"value": "to_be", "label": "TO BE"}]}],
  "sections": [
    {"id": "business", "title": "The business", "items": [
      {"id": "name", "type": "text", "text": "What is the business called?", "required": true},
      {"id": "strategy", "type": "likert", "scale": "agree3",
       "text": "We have a written BMIL strategy."},
      {"id": "blind", "type": "likert", "scale": "agree3",
       "text": "We innovate without a plan.", "when": [{"item": "strategy", "any_of": [1, 2]}]}
    ]},
    {"id": "models", "title": "Business models",
     "repeat": {"min": 1, "max": 10, "noun": "business model"}, "items": [
      {"id": "model_state", "type": "single_choice", "choices": "state", "text": "AS IS or TO BE?"},
      {"id": "revenue", "type": "number", "min": 0, "max": 1e9, "unit": "EUR",
       "text": "Yearly revenue?", "when": [{"item": "model_state", "any_of": ["as_is"]}]}
    ]}
  ],
  "scoring": {
    "missing": {"min_answered": 0.5},
    "constructs": [
      {"id": "explicit", "label": "Explicit strategy", "measures": {"trait": "explicit_strategy"},
       "items": [{"item": "strategy"}, {"item": "blind", "reverse": true}]},
      {"id": "value_line", "label": "Value line", "measures": {"line": "value"},
       "items": [{"item": "strategy", "weight": 2}]}
    ]
  }
})json";

const in::Instrument& Small() {
  static const in::Instrument instrument = *in::ReadInstrument(kInstrument, "small.json").value;
  return instrument;
}

void CheckSet(const in::AnswerSet& set, const in::AnswerSet& once, const in::Section* section,
              bool complete) {
  const in::Instrument& instrument = Small();
  for (const auto& [id, value] : set) {
    const in::Item* item = instrument.FindItem(id);
    if (item == nullptr) Broken("an accepted answer is to no item", id);
    bool here = false;
    for (const in::Section& s : instrument.sections)
      for (const in::Item& i : s.items)
        if (i.id == id) here = section == nullptr ? !s.repeated() : &s == section;
    if (!here) Broken("an accepted answer is in the wrong part of the file", id);
    if (!in::Asked(*item, set, once)) Broken("an accepted answer is to an item not asked", id);
    if (value.is_null()) Broken("a null answer is kept", id);
  }
  if (!complete) return;
  for (const in::Section& s : instrument.sections) {
    if (section == nullptr ? s.repeated() : &s != section) continue;
    for (const in::Item& i : s.items) {
      if (i.required && !set.count(i.id) && in::Asked(i, set, once)) {
        Broken("a complete set leaves a required item unanswered", i.id);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const in::Instrument& instrument = Small();
  const in::AnswersReadResult read = in::ReadAnswers(text, "fuzz.answers.json", instrument);
  if (read.value.has_value() == !read.problems.empty()) {
    Broken("answers are returned exactly when there are no problems");
  }
  for (const bmil::Diagnostic& d : read.problems) {
    if (d.file != "fuzz.answers.json") Broken("a problem names another file", d.ToString());
    if (d.line == 0 && d.message.find("refused") == std::string::npos &&
        d.message.find("more problems not shown") == std::string::npos) {
      Broken("a problem without a location", d.ToString());
    }
  }
  if (!read.value) return 0;
  const in::Answers& a = *read.value;
  if (a.instrument_id != instrument.id || a.instrument_version != instrument.version ||
      a.instrument_hash != in::InstrumentHash(instrument)) {
    Broken("accepted answers name another instrument", a.instrument_id);
  }
  CheckSet(a.once, a.once, nullptr, a.complete);
  for (const auto& [id, sets] : a.repeats) {
    const in::Section* section = nullptr;
    for (const in::Section& s : instrument.sections)
      if (s.id == id && s.repeated()) section = &s;
    if (section == nullptr) Broken("accepted repeats of no repeated section", id);
    if (sets.size() > section->repeat_max) Broken("more repetitions than the max", id);
    for (const in::AnswerSet& set : sets) CheckSet(set, a.once, section, a.complete);
  }

  const std::string written = in::AnswersJson(a).dump(2);
  const in::AnswersReadResult again = in::ReadAnswers(written, "written.json", instrument);
  if (!again.value) {
    Broken("AnswersJson wrote answers the reader refuses",
           again.problems.front().ToString() + "\n" + written);
  }
  if (in::AnswersJson(*again.value).dump(2) != written)
    Broken("answers do not round-trip", written);
  return 0;
}
