// The statistics of floor_stats.hpp computed the common way: every line of a case JSONL
// file parsed into a nlohmann::json DOM, then read. The same reader, counting and output as
// bmil_floor_simdjson, so that the two differ only in how the JSON is parsed; the ratio of
// the two is what a DOM costs.
//
// Usage: bmil_floor_nlohmann <cases.jsonl|->   statistics as JSON on standard output;
// "<records> records, <bytes> bytes, <seconds> s, <MB/s> MB/s" on standard error. Exit status
// 1 when the file cannot be read or a record is not a JSON object that could be parsed.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "floor_stats.hpp"

namespace {

using bmil::bench::PendingModel;
using bmil::bench::PendingTask;
using Json = nlohmann::json;

// The value of `key` in `object` if it has one of type string, else empty.
std::string_view StringAt(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get_ref<const std::string&>();
}

// The ids of the array `object[key]` as a bit set over `index` (unknown ids left out).
template <typename IndexOf>
std::uint32_t IdSet(const Json& object, const char* key, IndexOf index) {
  std::uint32_t set = 0;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return 0;
  for (const Json& item : *it) {
    if (!item.is_string()) continue;
    const int i = index(std::string_view(item.get_ref<const std::string&>()));
    if (i >= 0) set |= std::uint32_t{1} << i;
  }
  return set;
}

// Counts one case. `models` and `tasks` are reused from case to case; their string views
// borrow `doc`.
void ReadCase(const Json& doc, std::vector<PendingModel>& models, std::vector<PendingTask>& tasks,
              bmil::bench::FloorStats& stats) {
  models.clear();
  tasks.clear();
  if (const auto it = doc.find("business_models"); it != doc.end() && it->is_array()) {
    for (const Json& model : *it) {
      if (!model.is_object()) continue;
      const bool retired = StringAt(model, "stage") == "retired";
      models.push_back({StringAt(model, "id"),
                        bmil::bench::StateOf(StringAt(model, "state"), retired), retired});
    }
  }
  if (const auto it = doc.find("bmi_tasks"); it != doc.end() && it->is_array()) {
    for (const Json& task : *it) {
      if (!task.is_object()) continue;
      PendingTask out;
      out.model = StringAt(task, "business_model");
      out.blocks = IdSet(task, "building_blocks", bmil::bench::BlockIndex);
      out.lines = IdSet(task, "leadership_lines", bmil::bench::LineIndex);
      if (const auto period = task.find("period"); period != task.end() && period->is_object())
        out.year = bmil::bench::YearOf(StringAt(*period, "start"));
      tasks.push_back(out);
    }
  }
  stats.AddCase(models, tasks);
}

}  // namespace

int main(int argc, char** argv) {
  bmil::bench::FloorStats stats;
  std::vector<PendingModel> models;
  std::vector<PendingTask> tasks;
  return bmil::bench::RunOverRecords(
      argc, argv, /*padding=*/0,
      [&](const char* line, std::size_t size, std::size_t) -> std::string {
        // Without exceptions: a malformed record gives a discarded value.
        const Json doc = Json::parse(line, line + size, nullptr, /*allow_exceptions=*/false);
        if (!doc.is_object()) return "not a JSON object";
        ReadCase(doc, models, tasks, stats);
        return {};
      },
      [&](std::int64_t) { stats.Print(stdout); });
}
