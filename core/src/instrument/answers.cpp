// Reading and writing answers (answers.hpp, docs/instruments.md "Answers").
#include "instrument/answers.hpp"

#include "control/read_helpers.hpp"
#include "io/case_rules.hpp"
#include "io/did_you_mean.hpp"
#include "io/json_pointer.hpp"
#include "io/object_reader.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace bmil::instrument {

namespace {

// Whether `answer` is one of `values` (for a multiple choice: holds one of them).
bool Matches(const nlohmann::json& answer, const std::vector<nlohmann::json>& values) {
  auto same = [](const nlohmann::json& a, const nlohmann::json& b) {
    if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
    return a == b;
  };
  for (const nlohmann::json& v : values) {
    if (answer.is_array()) {
      for (const nlohmann::json& a : answer)
        if (same(a, v)) return true;
    } else if (same(answer, v)) {
      return true;
    }
  }
  return false;
}

std::string Shown(const JsonValue& v) {
  return v.kind() == JsonValue::Kind::kString ? "\"" + std::string(v.text()) + "\""
                                              : v.ToJson().dump();
}

class AnswersReader : public control::FieldReader {
 public:
  AnswersReader(const std::string& file, std::vector<Diagnostic>& problems, const Instrument& in)
      : FieldReader(file, problems), in_(in) {}
  void Root(const JsonValue& root, Answers& out);

 private:
  const Instrument& in_;
  bool complete_ = false;

  // The items of `section` (nullptr: every section asked once).
  std::vector<const Item*> ItemsOf(const Section* section) const {
    std::vector<const Item*> items;
    for (const Section& s : in_.sections) {
      if (section == nullptr ? s.repeated() : &s != section) continue;
      for (const Item& i : s.items) items.push_back(&i);
    }
    return items;
  }
  const Section* SectionOf(std::string_view item) const {
    for (const Section& s : in_.sections)
      for (const Item& i : s.items)
        if (i.id == item) return &s;
    return nullptr;
  }

  void SetAt(const JsonValue& value, const std::string& pointer, const Section* section,
             AnswerSet& out, const AnswerSet& once);
  std::optional<nlohmann::json> ValueOf(const Item& item, const JsonValue& v,
                                        const std::string& pointer);
};

void AnswersReader::Root(const JsonValue& root, Answers& out) {
  ObjectReader r(root, file_, "", problems_);
  if (!r.is_object()) return;
  Version(r, "bmil_answers", kAnswersFormatVersion, "answers");
  if (auto which = r.Get("instrument", JsonValue::Kind::kObject, true)) {
    ObjectReader ir(*which, file_, "/instrument", problems_);
    auto id = Id(ir, "id");
    auto version = ir.String("version", true, 64);
    auto hash = Digest(ir, "hash");
    ir.Finish();
    const std::string ours = in_.id + " " + in_.version + " (" + InstrumentHash(in_) + ")";
    if (id && *id != in_.id) {
      Problem(which->Find("id")->location(), "/instrument/id",
              "these are answers to instrument \"" + *id + "\", not to " + ours);
    } else if (version && *version != in_.version) {
      Problem(
          which->Find("version")->location(), "/instrument/version",
          "these are answers to version " + *version + " of \"" + in_.id + "\", not to " + ours);
    } else if (hash && *hash != InstrumentHash(in_)) {
      Problem(which->Find("hash")->location(), "/instrument/hash",
              "these are answers to another text of " + in_.id + " " + in_.version + " (" + *hash +
                  "), not to " + ours + ": the questions differ");
    }
    if (id) out.instrument_id = *id;
    if (version) out.instrument_version = *version;
    if (hash) out.instrument_hash = *hash;
  }
  if (auto who = r.Get("respondent", JsonValue::Kind::kObject, true)) {
    ObjectReader wr(*who, file_, "/respondent", problems_);
    if (auto id = Id(wr, "id")) out.respondent = *id;
    if (auto business = Id(wr, "business", false)) out.business = *business;
    if (auto date = Day(wr, "date", false)) out.date = *date;
    wr.Finish();
  }
  if (auto status = r.Choice("status", {"complete", "in_progress"}, true)) {
    out.complete = complete_ = *status == "complete";
  }
  if (auto answers = r.Get("answers", JsonValue::Kind::kObject, true)) {
    SetAt(*answers, "/answers", nullptr, out.once, out.once);
  }
  std::vector<std::string> repeated;
  for (const Section& s : in_.sections)
    if (s.repeated()) repeated.push_back(s.id);
  const std::optional<JsonValue> repeats = r.Get("repeats", JsonValue::Kind::kObject, false);
  std::set<std::string> given;
  if (repeats) {
    for (const JsonMember m : repeats->members()) {
      const std::string key(m.key());
      const std::string at = JsonPointerChild("/repeats", key);
      const Section* section = nullptr;
      for (const Section& s : in_.sections)
        if (s.repeated() && s.id == key) section = &s;
      if (section == nullptr) {
        Problem(m.key_location(), at,
                "no repeated section \"" + key + "\"" + DidYouMean(key, repeated));
        continue;
      }
      if (!given.insert(key).second) {
        Problem(m.key_location(), at, "duplicate key \"" + key + "\"");
        continue;
      }
      const JsonValue list = m.value();
      if (list.kind() != JsonValue::Kind::kArray) {
        Problem(list.location(), at, "expected an array: one object per " + section->repeat_noun);
        continue;
      }
      const std::size_t n = list.items().size();
      if (n > section->repeat_max || (complete_ && n < section->repeat_min)) {
        Problem(list.location(), at,
                std::to_string(n) + " " + section->repeat_noun + (n == 1 ? "" : "s") +
                    ", expected " + std::to_string(section->repeat_min) + " to " +
                    std::to_string(section->repeat_max));
        if (n > section->repeat_max) continue;
      }
      std::vector<AnswerSet>& sets = out.repeats[key];
      std::size_t i = 0;
      for (const JsonValue v : list.items()) {
        sets.emplace_back();
        SetAt(v, JsonPointerChild(at, i++), section, sets.back(), out.once);
      }
    }
  }
  if (complete_) {
    for (const Section& s : in_.sections) {
      if (s.repeated() && s.repeat_min > 0 && !given.count(s.id)) {
        Problem(repeats ? repeats->location() : root.location(), "/repeats",
                "no " + s.repeat_noun + " given for section \"" + s.id + "\" (at least " +
                    std::to_string(s.repeat_min) + "); the answers say they are complete");
      }
    }
  }
  r.Finish();
}

std::optional<nlohmann::json> AnswersReader::ValueOf(const Item& item, const JsonValue& v,
                                                     const std::string& pointer) {
  auto refuse = [&](const std::string& why) {
    Problem(v.location(), pointer, why);
    return std::optional<nlohmann::json>();
  };
  switch (item.type) {
    case ItemType::kSingleChoice:
    case ItemType::kMultipleChoice: {
      const ChoiceList* list = in_.FindChoices(item.choices);
      std::vector<std::string> values;
      if (list != nullptr)
        for (const Choice& c : list->choices) values.push_back(c.value);
      auto one = [&](const JsonValue& x, const std::string& at) -> bool {
        if (x.kind() != JsonValue::Kind::kString ||
            std::find(values.begin(), values.end(), x.text()) == values.end()) {
          Problem(x.location(), at,
                  Shown(x) + " is not a choice of \"" + item.choices + "\"" +
                      (x.kind() == JsonValue::Kind::kString ? DidYouMean(x.text(), values) : ""));
          return false;
        }
        return true;
      };
      if (item.type == ItemType::kSingleChoice) {
        if (!one(v, pointer)) return std::nullopt;
        return nlohmann::json(std::string(v.text()));
      }
      if (v.kind() != JsonValue::Kind::kArray) return refuse("expected an array of choices");
      nlohmann::json picked = nlohmann::json::array();
      std::set<std::string> seen;
      bool ok = true;
      std::size_t i = 0;
      for (const JsonValue x : v.items()) {
        const std::string at = JsonPointerChild(pointer, i++);
        if (!one(x, at)) {
          ok = false;
        } else if (!seen.insert(std::string(x.text())).second) {
          Problem(x.location(), at, "\"" + std::string(x.text()) + "\" is picked twice");
          ok = false;
        } else {
          picked.push_back(std::string(x.text()));
        }
      }
      if (!ok) return std::nullopt;
      const double n = static_cast<double>(picked.size());
      if ((item.min && n < *item.min) || (item.max && n > *item.max)) {
        return refuse(std::to_string(picked.size()) + " picked, expected " +
                      (item.min ? std::to_string(static_cast<long long>(*item.min)) : "0") +
                      " to " +
                      (item.max ? std::to_string(static_cast<long long>(*item.max))
                                : std::to_string(values.size())));
      }
      return picked;
    }
    case ItemType::kLikert: {
      const Scale* scale = in_.FindScale(item.scale);
      if (v.kind() != JsonValue::Kind::kNumber || !v.is_integer() || scale == nullptr ||
          v.integer() < scale->min || v.integer() > scale->max) {
        return refuse(
            Shown(v) + " is not a point of scale \"" + item.scale + "\"" +
            (scale ? " (" + std::to_string(scale->min) + " to " + std::to_string(scale->max) + ")"
                   : ""));
      }
      return nlohmann::json(v.integer());
    }
    case ItemType::kNumber: {
      if (v.kind() != JsonValue::Kind::kNumber || !std::isfinite(v.number()))
        return refuse("expected a number, found " + Shown(v));
      if (item.integer && !v.is_integer())
        return refuse("expected a whole number, found " + Shown(v));
      if ((item.min && v.number() < *item.min) || (item.max && v.number() > *item.max)) {
        return refuse(Shown(v) + " is out of range (" +
                      (item.min ? nlohmann::json(*item.min).dump() : "any") + " to " +
                      (item.max ? nlohmann::json(*item.max).dump() : "any") + ")");
      }
      return v.is_integer() ? nlohmann::json(v.integer()) : nlohmann::json(v.number());
    }
    case ItemType::kDate:
      if (v.kind() != JsonValue::Kind::kString || !rules::ParseDate(v.text()))
        return refuse("expected a date YYYY, YYYY-MM or YYYY-MM-DD, found " + Shown(v));
      return nlohmann::json(std::string(v.text()));
    case ItemType::kText:
      if (v.kind() != JsonValue::Kind::kString) return refuse("expected a text, found " + Shown(v));
      if (rules::CodePoints(v.text()) > item.max_length) {
        return refuse("longer than " + std::to_string(item.max_length) + " characters");
      }
      return nlohmann::json(std::string(v.text()));
  }
  return std::nullopt;
}

void AnswersReader::SetAt(const JsonValue& value, const std::string& pointer,
                          const Section* section, AnswerSet& out, const AnswerSet& once) {
  if (value.kind() != JsonValue::Kind::kObject) {
    Problem(value.location(), pointer,
            std::string("expected an object of answers by item id, found ") +
                JsonValue::KindName(value.kind()));
    return;
  }
  const std::vector<const Item*> items = ItemsOf(section);
  std::vector<std::string> ids;
  for (const Item* i : items) ids.push_back(i->id);
  std::vector<std::pair<const Item*, JsonMember>> answered;
  for (const JsonMember m : value.members()) {
    const std::string key(m.key());
    const std::string at = JsonPointerChild(pointer, key);
    const auto it =
        std::find_if(items.begin(), items.end(), [&](const Item* i) { return i->id == key; });
    if (it == items.end()) {
      const Section* elsewhere = SectionOf(key);
      if (elsewhere != nullptr && elsewhere->repeated()) {
        Problem(m.key_location(), at,
                "item \"" + key + "\" is asked once per " + elsewhere->repeat_noun +
                    ": give it under /repeats/" + elsewhere->id);
      } else if (elsewhere != nullptr) {
        Problem(m.key_location(), at,
                "item \"" + key + "\" is asked once, not per " +
                    (section ? section->repeat_noun : "repetition") + ": give it under /answers");
      } else {
        Problem(m.key_location(), at, "no item \"" + key + "\"" + DidYouMean(key, ids));
      }
      continue;
    }
    if (out.count(key)) {
      Problem(m.key_location(), at, "duplicate key \"" + key + "\"");
      continue;
    }
    if (m.value().kind() == JsonValue::Kind::kNull) continue;  // not answered
    if (auto v = ValueOf(**it, m.value(), at)) {
      out[key] = std::move(*v);
      answered.emplace_back(*it, m);
    }
  }
  // An answer to an item that was not asked, and (when complete) a required item asked but
  // not answered.
  for (const auto& [item, m] : answered) {
    if (!Asked(*item, out, once)) {
      Problem(m.key_location(), JsonPointerChild(pointer, item->id),
              "item \"" + item->id + "\" was not asked: its condition on \"" +
                  item->when.front().item + "\" does not hold for these answers");
    }
  }
  if (complete_) {
    for (const Item* item : items) {
      if (item->required && !out.count(item->id) && Asked(*item, out, once)) {
        Problem(value.location(), pointer,
                "required item \"" + item->id +
                    "\" is not answered; the answers say they are "
                    "complete");
      }
    }
  }
}

}  // namespace

bool Asked(const Item& item, const AnswerSet& set, const AnswerSet& once) {
  for (const Condition& c : item.when) {
    auto it = set.find(c.item);
    if (it == set.end()) {
      it = once.find(c.item);
      if (it == once.end()) return false;
    }
    if (!c.any_of.empty() && !Matches(it->second, c.any_of)) return false;
  }
  return true;
}

AnswersReadResult ReadAnswers(std::string_view text, const std::string& file,
                              const Instrument& instrument, const AnswersLimits& limits) {
  AnswersReadResult result;
  auto document = ParseLocated(text, file, {limits.max_bytes, limits.max_depth}, result.problems);
  if (!document) return result;
  Answers out;
  AnswersReader reader(file, result.problems, instrument);
  reader.Root(document->root(), out);
  control::CapProblems(result.problems, file, limits.max_errors);
  if (result.problems.empty()) result.value = std::move(out);
  return result;
}

nlohmann::ordered_json AnswersJson(const Answers& a) {
  using OJson = nlohmann::ordered_json;
  auto set_json = [](const AnswerSet& set) {
    OJson o = OJson::object();
    for (const auto& [id, v] : set) o[id] = OJson::parse(v.dump());
    return o;
  };
  OJson j;
  j["bmil_answers"] = kAnswersFormatVersion;
  j["instrument"] = {
      {"id", a.instrument_id}, {"version", a.instrument_version}, {"hash", a.instrument_hash}};
  OJson who{{"id", a.respondent}};
  if (!a.business.empty()) who["business"] = a.business;
  if (!a.date.empty()) who["date"] = a.date;
  j["respondent"] = std::move(who);
  j["status"] = a.complete ? "complete" : "in_progress";
  j["answers"] = set_json(a.once);
  OJson repeats = OJson::object();
  for (const auto& [section, sets] : a.repeats) {
    OJson list = OJson::array();
    for (const AnswerSet& s : sets) list.push_back(set_json(s));
    repeats[section] = std::move(list);
  }
  j["repeats"] = std::move(repeats);
  return j;
}

}  // namespace bmil::instrument
