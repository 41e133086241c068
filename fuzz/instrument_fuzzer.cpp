// Fuzzes the instrument reader (ReadInstrument, core/src/instrument/instrument.hpp), which
// reads the questionnaires users write or import (docs/instruments.md). Beyond "no crash,
// no hang, no leak, no undefined behaviour, no exception":
//  - an instrument is returned exactly when there are no problems, and every problem is
//    located (a line and column), but for the size refusal and the note that more were not
//    shown;
//  - an accepted instrument keeps the format's promises: item ids unique; every scale and
//    choice list an item names exists; a scale has a label per point; every condition looks
//    at an item asked earlier; every scored item exists and is a Likert or number item;
//  - it round-trips: the text of InstrumentJson() reads back into the same canonical form,
//    with the same hash.
#include "instrument/instrument.hpp"

#include "fuzz_support.hpp"

#include <bmil/case_io.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

using bmil::fuzz::Broken;
namespace in = bmil::instrument;

namespace {

void CheckPromises(const in::Instrument& instrument) {
  std::map<std::string, std::size_t> order;  // item id -> position
  for (const in::Scale& s : instrument.scales) {
    if (s.max <= s.min || s.labels.size() != static_cast<std::size_t>(s.max - s.min + 1)) {
      Broken("an accepted scale has no label per point", s.id);
    }
  }
  for (const in::Section& section : instrument.sections) {
    if (section.items.empty()) Broken("an accepted section has no item", section.id);
    for (const in::Item& item : section.items) {
      const std::size_t here = order.size();
      for (const in::Condition& c : item.when) {
        const auto at = order.find(c.item);
        if (at == order.end() || at->second >= here) {
          Broken("a condition looks at an item not asked before", item.id + " <- " + c.item);
        }
      }
      if (!order.emplace(item.id, here).second) Broken("an item id is given twice", item.id);
      if (item.type == in::ItemType::kLikert && !instrument.FindScale(item.scale)) {
        Broken("a Likert item's scale does not exist", item.id);
      }
      if ((item.type == in::ItemType::kSingleChoice ||
           item.type == in::ItemType::kMultipleChoice) &&
          !instrument.FindChoices(item.choices)) {
        Broken("a choice item's list does not exist", item.id);
      }
    }
  }
  for (const in::Construct& c : instrument.constructs) {
    if (c.items.empty()) Broken("an accepted construct scores no item", c.id);
    for (const in::ScoredItem& s : c.items) {
      const in::Item* item = instrument.FindItem(s.item);
      if (item == nullptr) Broken("a scored item does not exist", c.id + ": " + s.item);
      if (item->type != in::ItemType::kLikert && item->type != in::ItemType::kNumber) {
        Broken("a scored item is not a Likert or number item", c.id + ": " + s.item);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const in::InstrumentReadResult read = in::ReadInstrument(text, "fuzz.instrument.json");
  if (read.value.has_value() == !read.problems.empty()) {
    Broken("an instrument is returned exactly when there are no problems");
  }
  for (const bmil::Diagnostic& d : read.problems) {
    if (d.file != "fuzz.instrument.json") Broken("a problem names another file", d.ToString());
    if (d.line == 0 && d.message.find("refused") == std::string::npos &&
        d.message.find("more problems not shown") == std::string::npos) {
      Broken("a problem without a location", d.ToString());
    }
  }
  if (!read.value) return 0;
  CheckPromises(*read.value);

  const std::string written = in::InstrumentJson(*read.value).dump(2);
  const in::InstrumentReadResult again = in::ReadInstrument(written, "written.json");
  if (!again.value) {
    Broken("InstrumentJson wrote an instrument the reader refuses",
           again.problems.front().ToString() + "\n" + written);
  }
  if (in::InstrumentJson(*again.value).dump(2) != written) {
    Broken("an instrument does not round-trip", written);
  }
  if (in::InstrumentHash(*again.value) != in::InstrumentHash(*read.value)) {
    Broken("the hash of the canonical form differs from the instrument's", written);
  }
  return 0;
}
