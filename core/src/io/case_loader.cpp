// Case format v1 loader (/docs/data-format.md): ParseJson gives a located tree; a table-driven
// reader walks it into the model in document order, collecting every problem it finds; a
// second pass checks what needs the whole document (duplicate ids, references between
// business models, portfolios, tasks). Diagnostics are sorted by position at the end.
#include <bmil/case_io.hpp>
#include <bmil/sdk/vocabulary.hpp>

#include "io/bounded_read.hpp"
#include "io/case_rules.hpp"
#include "io/did_you_mean.hpp"
#include "io/json_document.hpp"
#include "io/json_pointer.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace bmil {
namespace {

using Kind = JsonValue::Kind;
using Path = std::string;  // a JSON pointer (RFC 6901)

using rules::kFormatVersion;
using rules::kMaxTextLength;
// Longer strings are cut in messages: a diagnostic names a value, it does not repeat it.
constexpr std::size_t kMaxQuotedBytes = 80;
constexpr std::string_view kValueFormulaBlock = sdk::kBuiltinBlocks[6];

// ------------------------------------------------------------------ text helpers

// `s` as a JSON string literal, cut (at a character boundary) when long.
std::string Quote(std::string_view s) {
  bool cut = false;
  if (s.size() > kMaxQuotedBytes) {
    std::size_t end = kMaxQuotedBytes;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    s = s.substr(0, end);
    cut = true;
  }
  std::string quoted =
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (cut) quoted.insert(quoted.size() - 1, "...");
  return quoted;
}

std::string Join(std::span<const std::string> words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

std::string Child(const Path& pointer, std::string_view key) {
  return JsonPointerChild(pointer, key);
}

std::string Child(const Path& pointer, std::size_t index) {
  return JsonPointerChild(pointer, index);
}

using rules::CodePoints;
using rules::IsId;
using rules::IsUpperLetters;

// "1.x" with x a positive decimal number: a newer minor version of this format.
bool IsNewerMinor(std::string_view version) {
  if (version.size() < 3 || version.substr(0, 2) != "1.") return false;
  const std::string_view minor = version.substr(2);
  return std::all_of(minor.begin(), minor.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         minor.find_first_not_of('0') != std::string_view::npos;
}

using rules::Date;
using rules::ParseDate;

// "150 bytes", "3.5 KiB", "17.0 MiB"; with `exact`, a whole number of KiB or MiB is written
// without a fraction ("16 MiB"), as limits are.
using rules::ExactSize;

std::string FormatSize(std::uintmax_t bytes, bool exact) {
  constexpr std::uintmax_t kKiB = 1024;
  constexpr std::uintmax_t kMiB = 1024 * 1024;
  if (exact && bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (exact && bytes >= kKiB && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  if (bytes < kKiB) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  char buffer[64];
  if (bytes < kMiB) {
    std::snprintf(buffer, sizeof buffer, "%.1f KiB", static_cast<double>(bytes) / kKiB);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f MiB", static_cast<double>(bytes) / kMiB);
  }
  return buffer;
}

std::string SizeMessage(std::uintmax_t bytes, std::size_t limit) {
  return "file is " + ExactSize(bytes) + ", larger than the limit of " + ExactSize(limit);
}

// ------------------------------------------------------------------ the reader

// A name seen in the document, kept for the cross-reference pass. `value` is the string
// that names it (its location is computed only when reported); the document outlives the
// pass.
struct Mention {
  std::string id;
  JsonValue value;
  Path pointer;
  bool carried_by = false;  // in a model's carried_by list
  std::string owner;        // carried_by: the id of the model whose list it is
};

// Holds what one load has found: the diagnostics (capped at limits.max_errors) and the
// ids and references the cross-reference pass needs.
class Reader {
 public:
  Reader(std::string_view file, const Registry& registry, const LoadLimits& limits)
      : file_(file), limits_(limits) {
    for (const auto& block : registry.blocks()) block_ids_.push_back(block.id);
    for (const auto& line : registry.lines()) line_ids_.push_back(line.id);
  }

  // Records a problem; once max_errors are recorded, further problems stop the load.
  void Report(const SourceLocation& at, Path pointer, std::string message) {
    if (stopped_) return;
    if (diagnostics_.size() >= limits_.max_errors) {
      stopped_ = true;
      return;
    }
    diagnostics_.push_back({file_, at.line, at.column, std::move(pointer), std::move(message)});
  }
  // A problem with the file as a whole (line and column 0).
  void ReportFile(std::string message) {
    diagnostics_.push_back({file_, 0, 0, "", std::move(message)});
  }
  bool stopped() const { return stopped_; }

  // Adds the entries of the attributes object `v` to the case's count; false (after
  // reporting, once) when that passes the limit.
  bool CountAttributeEntries(const JsonValue& v, const Path& pointer) {
    attribute_entries_ += v.node_count();
    if (attribute_entries_ <= limits_.max_attribute_entries) return true;
    if (!attribute_limit_reported_) {
      attribute_limit_reported_ = true;
      Report(v.location(), pointer,
             "attributes hold more than " + std::to_string(limits_.max_attribute_entries) +
                 " values and member names in all (" + std::to_string(attribute_entries_) +
                 " up to here); keep large company data outside the case");
    }
    return false;
  }
  bool clean() const { return diagnostics_.empty() && !stopped_; }

  // True when `value` is of `kind`; otherwise reports "expected <expected>, found <kind>".
  bool Expect(const JsonValue& value, const Path& pointer, Kind kind, std::string_view expected) {
    if (value.kind() == kind) return true;
    Report(value.location(), pointer,
           "expected " + std::string(expected) + ", found " + JsonValue::KindName(value.kind()));
    return false;
  }

  // Calls visit(member, pointer) for each member of `object` in document order. A key
  // repeated in the object is reported at its second occurrence, which is not visited.
  // False (after reporting) when `object` is not an object.
  template <typename Visit>
  bool ForEachMember(const JsonValue& object, const Path& pointer, Visit&& visit) {
    if (!Expect(object, pointer, Kind::kObject, "object")) return false;
    // Small objects (nearly all of a case) look back linearly; large ones (attributes) hash.
    // The first occurrence is kept, not its line: lines are computed only when reported.
    constexpr std::size_t kLinearScanLimit = 16;
    const JsonMembers members = object.members();
    const bool linear = members.size() <= kLinearScanLimit;
    std::unordered_map<std::string_view, JsonMember> first_of;
    for (auto it = members.begin(); it != members.end() && !stopped_; ++it) {
      const JsonMember member = *it;
      const std::string_view key = member.key();
      std::optional<JsonMember> first;
      if (linear) {
        for (auto earlier = members.begin(); earlier != it && !first; ++earlier) {
          if ((*earlier).key() == key) first = *earlier;
        }
      } else if (auto [found, inserted] = first_of.try_emplace(key, member); !inserted) {
        first = found->second;
      }
      Path member_pointer = Child(pointer, key);
      if (first) {
        Report(member.key_location(), std::move(member_pointer),
               "duplicate key " + Quote(key) + " (first at line " +
                   std::to_string(first->key_location().line) + ")");
        continue;
      }
      visit(member, member_pointer);
    }
    return true;
  }

  // Calls visit(item, pointer, index) for each item of `array`. False (after reporting)
  // when `array` is not an array; an empty array is reported when `non_empty`.
  template <typename Visit>
  bool ForEachItem(const JsonValue& array, const Path& pointer, bool non_empty, Visit&& visit) {
    if (!Expect(array, pointer, Kind::kArray, "array")) return false;
    const JsonItems items = array.items();
    if (non_empty && items.empty()) {
      Report(array.location(), pointer, "expected a non-empty array, found []");
    }
    std::size_t i = 0;
    for (auto it = items.begin(); it != items.end() && !stopped_; ++it, ++i) {
      visit(*it, Child(pointer, i), i);
    }
    return true;
  }

  const std::vector<std::string>& block_ids() const { return block_ids_; }
  const std::vector<std::string>& line_ids() const { return line_ids_; }

  // The id member of an object in a top-level list, for the duplicate and reference checks.
  void NoteId(std::vector<Mention>& ids, const JsonValue& object, const Path& pointer) {
    const std::optional<JsonValue> id = object.Find("id");
    if (id && id->kind() == Kind::kString) {
      ids.push_back({std::string(id->text()), *id, Child(pointer, "id"), false, {}});
    }
  }
  void NoteModelReference(const JsonValue& value, const Path& pointer, bool carried_by = false) {
    model_references_.push_back({std::string(value.text()), value, pointer, carried_by, {}});
  }
  // The carried_by references noted since `first` (a count of references) are of the model
  // whose id is `owner`: known only once the whole model is read (its keys come in any order).
  std::size_t reference_count() const { return model_references_.size(); }
  void SetOwner(std::size_t first, const std::string& owner) {
    for (std::size_t i = first; i < model_references_.size(); ++i) {
      if (model_references_[i].carried_by) model_references_[i].owner = owner;
    }
  }
  std::vector<Mention> model_ids, portfolio_ids, task_ids;

  // The second pass: duplicate ids and references to business models.
  void CheckCrossReferences();

  // The diagnostics in document order, plus the final note when the cap was reached.
  std::vector<Diagnostic> Finish() {
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                     });
    if (stopped_) {
      ReportFile("too many problems; stopped after " + std::to_string(limits_.max_errors));
    }
    return std::move(diagnostics_);
  }

 private:
  std::string file_;
  LoadLimits limits_;
  std::vector<std::string> block_ids_;
  std::vector<std::string> line_ids_;
  std::vector<Diagnostic> diagnostics_;
  bool stopped_ = false;
  std::size_t attribute_entries_ = 0;  // in the attributes objects read so far
  bool attribute_limit_reported_ = false;
  std::vector<Mention> model_references_;
};

// Remembers the names met in one scope and reports the second of two equal ones.
class SeenNames {
 public:
  explicit SeenNames(std::string_view what) : what_(what) {}
  // False (after reporting) when `name` was seen before. `at` is the value that names it
  // (its location, and the first one's line, are computed only when reported).
  bool Add(Reader& r, std::string_view name, const JsonValue& at, const Path& pointer) {
    auto [first, inserted] = first_of_.try_emplace(std::string(name), at);
    if (!inserted) {
      r.Report(at.location(), pointer,
               "duplicate " + what_ + " " + Quote(name) + " (first at line " +
                   std::to_string(first->second.location().line) + ")");
    }
    return inserted;
  }

 private:
  std::string what_;
  std::unordered_map<std::string, JsonValue> first_of_;
};

void Reader::CheckCrossReferences() {
  const std::pair<std::vector<Mention>*, std::string_view> id_lists[] = {
      {&model_ids, "business model id"}, {&portfolio_ids, "portfolio id"}, {&task_ids, "task id"}};
  // Once stopped, Report records nothing: the loops end there (a location is not free).
  for (const auto& [ids, what] : id_lists) {
    SeenNames seen(what);
    for (const Mention& id : *ids) {
      if (stopped_) return;
      seen.Add(*this, id.id, id.value, id.pointer);
    }
  }
  std::vector<std::string> known;
  std::unordered_set<std::string> known_set;
  for (const Mention& id : model_ids) {
    if (known_set.insert(id.id).second) known.push_back(id.id);
  }
  for (const Mention& reference : model_references_) {
    if (stopped_) return;
    if (reference.carried_by && reference.owner == reference.id) {
      Report(reference.value.location(), reference.pointer,
             "business model " + Quote(reference.id) + " cannot be carried by itself");
    } else if (!known_set.contains(reference.id)) {
      Report(reference.value.location(), reference.pointer,
             "unknown business model " + Quote(reference.id) + DidYouMean(reference.id, known));
    }
  }
}

// ------------------------------------------------------------------ field tables

// Reads one value into its place in the model, reporting what is wrong with it.
template <typename T>
using FieldReader = void (*)(Reader&, const JsonValue&, const Path&, T&);

enum class Presence { kOptional, kRequired };
constexpr Presence kOptional = Presence::kOptional;
constexpr Presence kRequired = Presence::kRequired;

// One allowed key of an object.
template <typename T>
struct Field {
  std::string_view key;
  Presence presence;
  FieldReader<T> read;
};

// Reads the members of `object` into `target` through `fields`: unknown keys are reported
// with a suggestion (and a pointer to "attributes" where the object has them), missing
// required keys at the object. Keys in `value_formula_only` are figures that only the
// value_formula block takes; they get their own message.
template <typename T>
void ReadFields(Reader& r, const JsonValue& object, const Path& pointer,
                std::type_identity_t<std::span<const Field<T>>> fields, T& target,
                std::type_identity_t<std::span<const Field<T>>> value_formula_only = {}) {
  std::vector<bool> seen(fields.size(), false);
  auto find = [](std::span<const Field<T>> in, std::string_view key) {
    return std::find_if(in.begin(), in.end(), [&](const Field<T>& f) { return f.key == key; });
  };
  const bool is_object = r.ForEachMember(object, pointer, [&](const JsonMember& m, const Path& p) {
    auto field = find(fields, m.key());
    if (field != fields.end()) {
      seen[static_cast<std::size_t>(field - fields.begin())] = true;
      field->read(r, m.value(), p, target);
      return;
    }
    if (find(value_formula_only, m.key()) != value_formula_only.end()) {
      r.Report(m.key_location(), p,
               "unknown key " + Quote(m.key()) + "; only the " + Quote(kValueFormulaBlock) +
                   " block has " + Quote(m.key()));
      return;
    }
    std::vector<std::string> keys;
    for (const auto& f : fields) keys.emplace_back(f.key);
    const bool has_attributes = find(fields, "attributes") != fields.end();
    r.Report(m.key_location(), p,
             "unknown key " + Quote(m.key()) + DidYouMean(m.key(), keys) +
                 (has_attributes ? "; put company-specific data under \"attributes\"" : ""));
  });
  if (!is_object || r.stopped()) return;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].presence == kRequired && !seen[i]) {
      // The pointer names the missing member; the location is its object's.
      r.Report(object.location(), Child(pointer, fields[i].key),
               "missing required key " + Quote(fields[i].key));
    }
  }
}

// A field reader that reads into the member kMember of its target with kRead.
template <typename M>
struct MemberOf;
template <typename C, typename F>
struct MemberOf<F C::*> {
  using Class = C;
};
template <auto kMember, auto kRead>
void Into(Reader& r, const JsonValue& v, const Path& p,
          typename MemberOf<decltype(kMember)>::Class& target) {
  kRead(r, v, p, target.*kMember);
}

// Reads an array into `out` (one element per item) with read_item.
template <typename T, typename ReadItem>
void ReadArray(Reader& r, const JsonValue& v, const Path& p, bool non_empty, std::vector<T>& out,
               ReadItem read_item) {
  out.clear();
  // One element per item read, not one per item of the array up front: reading stops after
  // the problem limit, and an array of millions of wrong items must not cost millions of
  // empty elements (issue 14). Small elements (ids, texts) reserve the array's size: growing
  // by doubling would hold the old and the new buffer at once; untouched capacity costs
  // address space, not memory.
  if constexpr (sizeof(T) <= 64) {
    if (v.kind() == Kind::kArray) out.reserve(v.items().size());
  }
  r.ForEachItem(v, p, non_empty, [&](const JsonValue& item, const Path& item_pointer, std::size_t) {
    read_item(item, item_pointer, out.emplace_back());
  });
}

// ------------------------------------------------------------------ scalar readers

void ReadString(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (r.Expect(v, p, Kind::kString, "string")) out = v.text();
}

void ReadText(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (!r.Expect(v, p, Kind::kString, "string")) return;
  const std::size_t length = CodePoints(v.text());
  if (length > kMaxTextLength) {
    r.Report(v.location(), p,
             "expected at most " + std::to_string(kMaxTextLength) + " characters, found " +
                 std::to_string(length));
    return;
  }
  out = v.text();
}

void ReadNonEmptyText(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (v.kind() == Kind::kString && v.text().empty()) {
    r.Report(v.location(), p, "expected a non-empty string, found \"\"");
    return;
  }
  ReadText(r, v, p, out);
}

void ReadTextList(Reader& r, const JsonValue& v, const Path& p, std::vector<std::string>& out) {
  ReadArray(r, v, p, false, out,
            [&](const JsonValue& item, const Path& item_pointer, std::string& text) {
              ReadText(r, item, item_pointer, text);
            });
}

void ReadId(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (!r.Expect(v, p, Kind::kString, "string")) return;
  if (!IsId(v.text())) {
    r.Report(v.location(), p,
             "invalid id " + Quote(v.text()) +
                 "; expected 1 to 64 characters from a-z, 0-9, \"_\", \".\" and \"-\", "
                 "starting with a letter or digit");
    return;
  }
  out = v.text();
}

void ReadCountry(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (!r.Expect(v, p, Kind::kString, "string")) return;
  if (!IsUpperLetters(v.text(), 2)) {
    r.Report(v.location(), p,
             "invalid country " + Quote(v.text()) +
                 "; expected two upper-case letters (ISO 3166-1 alpha-2)");
    return;
  }
  out = v.text();
}

void ReadCurrency(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (!r.Expect(v, p, Kind::kString, "string")) return;
  if (!IsUpperLetters(v.text(), 3)) {
    r.Report(
        v.location(), p,
        "invalid currency " + Quote(v.text()) + "; expected three upper-case letters (ISO 4217)");
    return;
  }
  out = v.text();
}

void ReadBool(Reader& r, const JsonValue& v, const Path& p, std::optional<bool>& out) {
  if (r.Expect(v, p, Kind::kBool, "boolean")) out = v.boolean();
}

// An integer in [kMin, kMax]. Integral numbers written with a fraction or an exponent
// ("1998.0", "2e3") count as integers, as in JSON Schema.
template <int kMin, int kMax>
void ReadInteger(Reader& r, const JsonValue& v, const Path& p, std::optional<int>& out) {
  if (!r.Expect(v, p, Kind::kNumber, "integer")) return;
  const double number = v.number();
  std::optional<std::int64_t> n;
  if (v.is_integer()) {
    n = v.integer();
  } else if (std::isfinite(number) && std::trunc(number) == number && std::fabs(number) < 9.2e18) {
    n = static_cast<std::int64_t>(number);
  }
  const bool integral = std::isfinite(number) && std::trunc(number) == number;
  if (!n && !integral) {
    r.Report(v.location(), p, "expected integer, found " + std::string(v.text()));
    return;
  }
  if (!n || *n < kMin || *n > kMax) {  // !n: an integer too large for any field
    std::string range;
    if (kMax != INT_MAX) {
      range = "from " + std::to_string(kMin) + " to " + std::to_string(kMax);
    } else if (n ? *n < kMin : number < 0) {
      range = ">= " + std::to_string(kMin);
    } else {
      range = "<= " + std::to_string(kMax);
    }
    r.Report(v.location(), p, "expected integer " + range + ", found " + std::string(v.text()));
    return;
  }
  out = static_cast<int>(*n);
}

// A finite number >= 0 (amounts, counts, effort).
void ReadAmount(Reader& r, const JsonValue& v, const Path& p, std::optional<double>& out) {
  if (!r.Expect(v, p, Kind::kNumber, "number")) return;
  const double number = v.number();
  if (!std::isfinite(number) || number < 0 || number > rules::kMaxAmount) {
    r.Report(v.location(), p, "expected a number from 0 to 1e18, found " + std::string(v.text()));
    return;
  }
  out = number;
}

// Any JSON object, kept verbatim; only its keys are checked (for duplicates).
void CheckDuplicateKeys(Reader& r, const JsonValue& v, const Path& p) {
  if (v.kind() == Kind::kObject) {
    r.ForEachMember(v, p, [&](const JsonMember& m, const Path& member_pointer) {
      CheckDuplicateKeys(r, m.value(), member_pointer);
    });
  } else if (v.kind() == Kind::kArray) {
    const JsonItems items = v.items();
    std::size_t i = 0;
    for (auto it = items.begin(); it != items.end() && !r.stopped(); ++it, ++i) {
      const JsonValue item = *it;
      if (item.kind() == Kind::kObject || item.kind() == Kind::kArray) {
        CheckDuplicateKeys(r, item, Child(p, i));
      }
    }
  }
}

void ReadAttributes(Reader& r, const JsonValue& v, const Path& p, nlohmann::json& out) {
  if (!r.Expect(v, p, Kind::kObject, "object")) return;
  if (!r.CountAttributeEntries(v, p)) return;
  CheckDuplicateKeys(r, v, p);
  out = v.ToJson();
}

// ------------------------------------------------------------------ enumerations

template <typename E>
struct EnumSpec {
  using Enum = E;
  std::string_view what;                    // "state", as in "unknown state "asis""
  std::span<const std::string_view> names;  // index = value; names[0] is "not stated"
};

constexpr EnumSpec<State> kStateSpec{"state", sdk::kStateNames};
constexpr EnumSpec<Stage> kStageSpec{"stage", sdk::kStageNames};
constexpr EnumSpec<Action> kActionSpec{"action", sdk::kActionNames};
constexpr EnumSpec<Level> kLevelSpec{"level", sdk::kLevelNames};
constexpr EnumSpec<Phase> kPhaseSpec{"phase", sdk::kPhaseNames};
constexpr EnumSpec<TaskStatus> kTaskStatusSpec{"status", sdk::kTaskStatusNames};
constexpr EnumSpec<Stance> kStanceSpec{"stance", sdk::kStanceNames};
constexpr EnumSpec<Perspective> kPerspectiveSpec{"perspective", sdk::kPerspectiveNames};
constexpr EnumSpec<Size> kSizeSpec{"size", sdk::kSizeNames};
constexpr EnumSpec<IndustryStatus> kIndustryStatusSpec{"status", sdk::kIndustryStatusNames};
constexpr EnumSpec<Skills> kSkillsSpec{"skills", sdk::kSkillsNames};

// The index of v's text in names[first..], or nullopt after reporting. Enumerations start
// at 1 (index 0 is "not stated"); the forms table has no such entry and starts at 0.
std::optional<unsigned> ReadName(Reader& r, const JsonValue& v, const Path& p,
                                 std::string_view what, std::span<const std::string_view> names,
                                 std::size_t first) {
  if (v.kind() == Kind::kString) {
    for (std::size_t i = first; i < names.size(); ++i) {
      if (names[i] == v.text()) return static_cast<unsigned>(i);
    }
  }
  const std::vector<std::string> known(names.begin() + static_cast<std::ptrdiff_t>(first),
                                       names.end());
  const std::string expected = "one of " + Join(known);
  if (r.Expect(v, p, Kind::kString, expected)) {
    r.Report(v.location(), p,
             "unknown " + std::string(what) + " " + Quote(v.text()) + "; expected " + expected +
                 DidYouMean(v.text(), known));
  }
  return std::nullopt;
}

template <const auto& kSpec>
void ReadEnum(Reader& r, const JsonValue& v, const Path& p,
              typename std::remove_cvref_t<decltype(kSpec)>::Enum& out) {
  using E = typename std::remove_cvref_t<decltype(kSpec)>::Enum;
  if (auto value = ReadName(r, v, p, kSpec.what, kSpec.names, 1)) out = static_cast<E>(*value);
}

// Form i is bit 1 << i (BMIL_FORM_*); each form at most once.
void ReadForms(Reader& r, const JsonValue& v, const Path& p, Forms& out) {
  SeenNames seen("form");
  r.ForEachItem(v, p, false, [&](const JsonValue& item, const Path& item_pointer, std::size_t) {
    const auto bit = ReadName(r, item, item_pointer, "form", sdk::kFormNames, 0);
    if (bit && seen.Add(r, item.text(), item, item_pointer)) out |= 1u << *bit;
  });
}

// ------------------------------------------------------------------ ids of the registry

// A list of registered block ids (`non_empty`: at least one), each at most once.
void ReadBlockIds(Reader& r, const JsonValue& v, const Path& p, bool non_empty,
                  std::vector<std::string>& out) {
  SeenNames seen("building block");
  r.ForEachItem(v, p, non_empty, [&](const JsonValue& item, const Path& item_pointer, std::size_t) {
    if (!r.Expect(item, item_pointer, Kind::kString, "string")) return;
    const auto& known = r.block_ids();
    if (std::find(known.begin(), known.end(), item.text()) == known.end()) {
      r.Report(item.location(), item_pointer,
               "unknown building block " + Quote(item.text()) + DidYouMean(item.text(), known));
      return;
    }
    if (seen.Add(r, item.text(), item, item_pointer)) out.emplace_back(item.text());
  });
}

void ReadLineIds(Reader& r, const JsonValue& v, const Path& p, bool non_empty,
                 std::vector<std::string>& out) {
  SeenNames seen("leadership line");
  r.ForEachItem(v, p, non_empty, [&](const JsonValue& item, const Path& item_pointer, std::size_t) {
    if (!r.Expect(item, item_pointer, Kind::kString, "string")) return;
    const auto& known = r.line_ids();
    if (std::find(known.begin(), known.end(), item.text()) == known.end()) {
      r.Report(item.location(), item_pointer,
               "unknown leadership line " + Quote(item.text()) + DidYouMean(item.text(), known) +
                   (known.empty() ? "; no leadership line plugins are loaded"
                                  : "; known lines: " + Join(known)));
      return;
    }
    if (seen.Add(r, item.text(), item, item_pointer)) out.emplace_back(item.text());
  });
}

// ------------------------------------------------------------------ objects

constexpr Field<Industry> kIndustryFields[] = {
    {"id", kRequired, Into<&Industry::id, ReadId>},
    {"status", kRequired, Into<&Industry::status, ReadEnum<kIndustryStatusSpec>>},
};

void ReadIndustries(Reader& r, const JsonValue& v, const Path& p, std::vector<Industry>& out) {
  SeenNames seen("industry");
  ReadArray(r, v, p, false, out, [&](const JsonValue& item, const Path& ip, Industry& industry) {
    ReadFields(r, item, ip, kIndustryFields, industry);
    const std::optional<JsonValue> id = item.Find("id");
    if (id && id->kind() == Kind::kString) {
      seen.Add(r, id->text(), *id, Child(ip, "id"));
    }
  });
}

// A block being read: the block and, for value_formula, the model's figures.
struct BlockDraft {
  BuildingBlock& block;
  ValueFormula& formula;
};

// The keys of a block; the figures after the first three are value_formula's only.
constexpr Field<BlockDraft> kBlockFields[] = {
    {"forms", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadForms(r, v, p, d.block.forms);
     }},
    {"description", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadText(r, v, p, d.block.description);
     }},
    {"items", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadTextList(r, v, p, d.block.items);
     }},
    {"revenue", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadAmount(r, v, p, d.formula.revenue);
     }},
    {"cost", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadAmount(r, v, p, d.formula.cost);
     }},
    {"currency", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadCurrency(r, v, p, d.formula.currency);
     }},
    {"users", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadAmount(r, v, p, d.formula.users);
     }},
    {"customers", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, BlockDraft& d) {
       ReadAmount(r, v, p, d.formula.customers);
     }},
};
constexpr std::size_t kCommonBlockFieldCount = 3;

void ReadBuildingBlocks(Reader& r, const JsonValue& v, const Path& p, BusinessModel& model) {
  r.ForEachMember(v, p, [&](const JsonMember& m, const Path& block_pointer) {
    const auto& known = r.block_ids();
    if (std::find(known.begin(), known.end(), m.key()) == known.end()) {
      r.Report(m.key_location(), block_pointer,
               "unknown building block " + Quote(m.key()) + DidYouMean(m.key(), known));
      return;
    }
    BlockDraft draft{model.building_blocks[std::string(m.key())], model.value_formula};
    const std::span<const Field<BlockDraft>> all(kBlockFields);
    if (m.key() == kValueFormulaBlock) {
      ReadFields(r, m.value(), block_pointer, all, draft);
    } else {
      ReadFields(r, m.value(), block_pointer, all.first(kCommonBlockFieldCount), draft,
                 all.subspan(kCommonBlockFieldCount));
    }
  });
}

// A reference to a business model of the case, resolved in the cross-reference pass.
void ReadModelReference(Reader& r, const JsonValue& v, const Path& p, std::string& out,
                        bool carried_by = false) {
  if (!r.Expect(v, p, Kind::kString, "string")) return;
  r.NoteModelReference(v, p, carried_by);
  out = v.text();
}

void ReadCarriedBy(Reader& r, const JsonValue& v, const Path& p, BusinessModel& model) {
  ReadArray(r, v, p, false, model.carried_by,
            [&](const JsonValue& item, const Path& ip, std::string& id) {
              ReadModelReference(r, item, ip, id, true);
            });
}

constexpr Field<BusinessModel> kBusinessModelFields[] = {
    {"id", kRequired, Into<&BusinessModel::id, ReadId>},
    {"name", kRequired, Into<&BusinessModel::name, ReadText>},
    {"description", kOptional, Into<&BusinessModel::description, ReadText>},
    {"state", kRequired, Into<&BusinessModel::state, ReadEnum<kStateSpec>>},
    {"stage", kOptional, Into<&BusinessModel::stage, ReadEnum<kStageSpec>>},
    {"industries", kOptional, Into<&BusinessModel::industries, ReadIndustries>},
    {"building_blocks", kOptional, ReadBuildingBlocks},
    {"carried_by", kOptional, ReadCarriedBy},
    {"attributes", kOptional, Into<&BusinessModel::attributes, ReadAttributes>},
};

void ReadPortfolioMembers(Reader& r, const JsonValue& v, const Path& p,
                          std::vector<std::string>& out) {
  SeenNames seen("business model");
  r.ForEachItem(v, p, true, [&](const JsonValue& item, const Path& item_pointer, std::size_t) {
    if (r.Expect(item, item_pointer, Kind::kString, "string") &&
        seen.Add(r, item.text(), item, item_pointer)) {
      r.NoteModelReference(item, item_pointer);
      out.emplace_back(item.text());
    }
  });
}

constexpr Field<Portfolio> kPortfolioFields[] = {
    {"id", kRequired, Into<&Portfolio::id, ReadId>},
    {"name", kRequired, Into<&Portfolio::name, ReadText>},
    {"description", kOptional, Into<&Portfolio::description, ReadText>},
    {"business_models", kRequired, Into<&Portfolio::business_models, ReadPortfolioMembers>},
};

// A period being read: the dates as parsed, to compare them once both are known.
struct PeriodDraft {
  Period& period;
  std::optional<Date> start = std::nullopt;
  std::optional<Date> end = std::nullopt;
  std::optional<JsonValue> end_value = std::nullopt;
  Path end_pointer = {};
};

std::optional<Date> ReadDate(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (!r.Expect(v, p, Kind::kString, "string")) return std::nullopt;
  auto date = ParseDate(v.text());
  if (!date) {
    r.Report(v.location(), p,
             "invalid date " + Quote(v.text()) +
                 "; expected YYYY, YYYY-MM or YYYY-MM-DD with a year from 1900 to 2100");
    return std::nullopt;
  }
  out = v.text();
  return date;
}

constexpr Field<PeriodDraft> kPeriodFields[] = {
    {"start", kRequired,
     [](Reader& r, const JsonValue& v, const Path& p, PeriodDraft& d) {
       d.start = ReadDate(r, v, p, d.period.start);
     }},
    {"end", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, PeriodDraft& d) {
       d.end = ReadDate(r, v, p, d.period.end);
       d.end_value = v;
       d.end_pointer = p;
     }},
};

void ReadPeriod(Reader& r, const JsonValue& v, const Path& p, Period& out) {
  PeriodDraft draft{out};
  ReadFields(r, v, p, kPeriodFields, draft);
  if (draft.start && draft.end && *draft.end < *draft.start) {
    r.Report(draft.end_value->location(), draft.end_pointer,
             "end " + Quote(out.end) + " is before start " + Quote(out.start));
  }
}

constexpr Field<BmiTask> kTaskFields[] = {
    {"id", kRequired, Into<&BmiTask::id, ReadId>},
    {"business_model", kRequired,
     [](Reader& r, const JsonValue& v, const Path& p, BmiTask& t) {
       ReadModelReference(r, v, p, t.business_model);
     }},
    {"description", kOptional, Into<&BmiTask::description, ReadText>},
    {"building_blocks", kRequired,
     [](Reader& r, const JsonValue& v, const Path& p, BmiTask& t) {
       ReadBlockIds(r, v, p, true, t.building_blocks);
     }},
    {"leadership_lines", kRequired,
     [](Reader& r, const JsonValue& v, const Path& p, BmiTask& t) {
       ReadLineIds(r, v, p, true, t.leadership_lines);
     }},
    {"action", kOptional, Into<&BmiTask::action, ReadEnum<kActionSpec>>},
    {"level", kOptional, Into<&BmiTask::level, ReadEnum<kLevelSpec>>},
    {"phase", kOptional, Into<&BmiTask::phase, ReadEnum<kPhaseSpec>>},
    {"period", kOptional, Into<&BmiTask::period, ReadPeriod>},
    {"status", kOptional, Into<&BmiTask::status, ReadEnum<kTaskStatusSpec>>},
    {"effort", kOptional, Into<&BmiTask::effort, ReadAmount>},
    {"stance", kOptional, Into<&BmiTask::stance, ReadEnum<kStanceSpec>>},
    {"perspective", kOptional, Into<&BmiTask::perspective, ReadEnum<kPerspectiveSpec>>},
    {"attributes", kOptional, Into<&BmiTask::attributes, ReadAttributes>},
};

constexpr Field<Strategy> kStrategyFields[] = {
    {"explicit", kOptional, Into<&Strategy::explicit_strategy, ReadBool>},
    {"structured_process", kOptional, Into<&Strategy::structured_process, ReadBool>},
    {"skills", kOptional, Into<&Strategy::skills, ReadEnum<kSkillsSpec>>},
    {"goals", kOptional, Into<&Strategy::goals, ReadTextList>},
    {"leadership_lines", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, Strategy& s) {
       ReadLineIds(r, v, p, false, s.leadership_lines);
     }},
    {"description", kOptional, Into<&Strategy::description, ReadText>},
};

constexpr Field<Source> kSourceFields[] = {
    {"citation", kOptional, Into<&Source::citation, ReadText>},
    {"url", kOptional, Into<&Source::url, ReadString>},
    {"notes", kOptional, Into<&Source::notes, ReadText>},
};

constexpr Field<Business> kBusinessFields[] = {
    {"id", kRequired, Into<&Business::id, ReadId>},
    {"name", kRequired, Into<&Business::name, ReadNonEmptyText>},
    {"description", kOptional, Into<&Business::description, ReadText>},
    {"industry", kOptional, Into<&Business::industry, ReadId>},
    {"country", kOptional, Into<&Business::country, ReadCountry>},
    {"size", kOptional, Into<&Business::size, ReadEnum<kSizeSpec>>},
    {"founded", kOptional, Into<&Business::founded, ReadInteger<1800, 2100>>},
    {"employees", kOptional, Into<&Business::employees, ReadInteger<0, INT_MAX>>},
    {"attributes", kOptional, Into<&Business::attributes, ReadAttributes>},
};

// True when `v` is the format version this loader reads; otherwise reports why not.
bool ReadVersion(Reader& r, const JsonValue& v, const Path& p, std::string& out) {
  if (!r.Expect(v, p, Kind::kString, "string")) return false;
  if (v.text() == kFormatVersion) {
    out = v.text();
    return true;
  }
  r.Report(v.location(), p,
           IsNewerMinor(v.text())
               ? "case format " + std::string(v.text()) + " is newer than this bmil (reads " +
                     std::string(kFormatVersion) + ")"
               : "unsupported case format " + Quote(v.text()) + "; this bmil reads " +
                     std::string(kFormatVersion));
  return false;
}

constexpr Field<Case> kCaseFields[] = {
    {"bmil", kRequired,
     [](Reader& r, const JsonValue& v, const Path& p, Case& c) {
       (void)ReadVersion(r, v, p, c.format_version);
     }},
    {"business", kRequired,
     [](Reader& r, const JsonValue& v, const Path& p, Case& c) {
       ReadFields(r, v, p, kBusinessFields, c.business);
     }},
    {"portfolios", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, Case& c) {
       ReadArray(r, v, p, false, c.portfolios,
                 [&](const JsonValue& item, const Path& ip, Portfolio& portfolio) {
                   ReadFields(r, item, ip, kPortfolioFields, portfolio);
                   r.NoteId(r.portfolio_ids, item, ip);
                 });
     }},
    {"business_models", kRequired,
     [](Reader& r, const JsonValue& v, const Path& p, Case& c) {
       ReadArray(r, v, p, true, c.business_models,
                 [&](const JsonValue& item, const Path& ip, BusinessModel& model) {
                   const std::size_t first = r.reference_count();
                   ReadFields(r, item, ip, kBusinessModelFields, model);
                   r.SetOwner(first, model.id);
                   r.NoteId(r.model_ids, item, ip);
                 });
     }},
    {"bmi_tasks", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, Case& c) {
       ReadArray(r, v, p, false, c.bmi_tasks,
                 [&](const JsonValue& item, const Path& ip, BmiTask& task) {
                   ReadFields(r, item, ip, kTaskFields, task);
                   r.NoteId(r.task_ids, item, ip);
                 });
     }},
    {"strategy", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, Case& c) {
       ReadFields(r, v, p, kStrategyFields, c.strategy.emplace());
     }},
    {"source", kOptional,
     [](Reader& r, const JsonValue& v, const Path& p, Case& c) {
       ReadFields(r, v, p, kSourceFields, c.source.emplace());
     }},
};

void ReadCase(Reader& r, const JsonValue& root, Case& c) {
  // A document of another format version is not read further: its other problems would
  // be guesses about a format this loader does not know.
  if (const std::optional<JsonValue> version = root.Find("bmil");
      version && version->kind() == Kind::kString && version->text() != kFormatVersion) {
    (void)ReadVersion(r, *version, "/bmil", c.format_version);
    return;
  }
  ReadFields(r, root, "", kCaseFields, c);
  if (!r.stopped()) r.CheckCrossReferences();
}

}  // namespace

std::string Diagnostic::ToString() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) +
         (pointer.empty() ? "" : " " + pointer) + ": " + message;
}

LoadResult LoadCaseText(std::string_view text, std::string_view file, const Registry& registry,
                        const LoadLimits& limits) {
  Reader reader(file, registry, limits);
  Case c;
  if (text.size() > limits.max_bytes) {
    reader.ReportFile(SizeMessage(text.size(), limits.max_bytes));
  } else {
    try {
      auto parsed = ParseJson(text, JsonLimits{limits.max_bytes, limits.max_depth});
      if (const auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
        reader.Report(error->location, "", error->message);
      } else {
        // The document outlives every JsonValue taken from it: ReadCase returns first.
        ReadCase(reader, std::get<JsonDocument>(parsed).root(), c);
      }
    } catch (const std::exception& e) {  // out of memory, or a bug: still no exception out
      reader.ReportFile(std::string("cannot load the case: ") + e.what());
    }
  }
  LoadResult result;
  if (reader.clean()) result.value = std::move(c);
  result.diagnostics = reader.Finish();
  return result;
}

LoadResult LoadCaseFile(const std::filesystem::path& path, const Registry& registry,
                        const LoadLimits& limits) {
  const std::string name = path.string();
  auto refuse = [&](std::string message) {
    LoadResult result;
    result.diagnostics.push_back({name, 0, 0, "", std::move(message)});
    return result;
  };
  auto text = ReadFileAtMost(path, limits.max_bytes, [&](std::uintmax_t bytes) {
    return SizeMessage(bytes, limits.max_bytes);
  });
  if (!text) return refuse(text.error());
  return LoadCaseText(text.value(), name, registry, limits);
}

namespace rules {

std::string ExactSize(std::uintmax_t bytes) {
  std::string digits = std::to_string(bytes);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  digits += bytes == 1 ? " byte" : " bytes";
  constexpr std::uintmax_t kMiB = 1024 * 1024;
  if (bytes >= 1024) {
    digits +=
        " (" + FormatSize(bytes, bytes % kMiB == 0 || (bytes < kMiB && bytes % 1024 == 0)) + ")";
  }
  return digits;
}

}  // namespace rules
}  // namespace bmil
