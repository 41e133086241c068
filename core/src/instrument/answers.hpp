// One respondent's answers to an instrument (docs/instruments.md, "Answers";
// docs/schema/answers.schema.json): which instrument (id, version and hash), who answered,
// whether the answers are complete, the answers to the items asked once and, per repeated
// section, one set of answers per repetition. Read against its instrument: every answer is
// checked against its item (a choice of the list, a point of the scale, a number in range,
// a date, a text within its length), an answer to an item whose conditions do not hold is
// refused (it was not asked), and a complete file answers every required item asked.
#ifndef BMIL_CORE_INSTRUMENT_ANSWERS_HPP_
#define BMIL_CORE_INSTRUMENT_ANSWERS_HPP_

#include "instrument/instrument.hpp"

#include <bmil/case_io.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::instrument {

inline constexpr std::string_view kAnswersFormatVersion = "1.0";

// Size and depth limits of an answers file (docs/instruments.md, "Limits").
struct AnswersLimits {
  std::size_t max_bytes = 4u << 20;
  std::size_t max_depth = 16;
  std::size_t max_errors = 200;
};

// Answers by item id: a string (choice, date, text), a number (Likert, number) or an array
// of strings (multiple choice).
using AnswerSet = std::map<std::string, nlohmann::json>;

struct Answers {
  std::string instrument_id, instrument_version, instrument_hash;
  std::string respondent;  // an id
  std::string business;    // an id; "" when not stated
  std::string date;        // YYYY-MM-DD; "" when not stated
  bool complete = false;   // "status": "complete" (else "in_progress")
  AnswerSet once;          // items of sections asked once
  // Per repeated section id, one AnswerSet per repetition, in order.
  std::map<std::string, std::vector<AnswerSet>> repeats;
};

struct AnswersReadResult {
  std::optional<Answers> value;  // set iff problems is empty
  std::vector<Diagnostic> problems;
};

// Reads answers from `text` (named `file`) against `instrument`. Never throws; every
// problem is located (file:line:column and JSON pointer); unknown items, sections and
// choices get a did-you-mean. An answers file for another instrument, version or hash is
// refused, naming both.
AnswersReadResult ReadAnswers(std::string_view text, const std::string& file,
                              const Instrument& instrument, const AnswersLimits& limits = {});

// Whether `item`'s conditions hold for the answers given so far (`set`, and for an item of a
// repeated section the answers of the sections asked once in `once`).
bool Asked(const Item& item, const AnswerSet& set, const AnswerSet& once);

// The answers as the JSON of the format, keys in the documented order.
nlohmann::ordered_json AnswersJson(const Answers& answers);

}  // namespace bmil::instrument

#endif  // BMIL_CORE_INSTRUMENT_ANSWERS_HPP_
