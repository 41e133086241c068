// The floor `bmil batch` is measured against: the statistics of floor_stats.hpp computed by
// hand in one pass over a case JSONL file with simdjson On-Demand, on one thread, in flat
// memory (a 1 MiB read buffer, one parser). It validates nothing: on valid cases it gives
// bmil's numbers, which compare_with_bmil.py checks.
//
// Usage: bmil_floor_simdjson <cases.jsonl|->   statistics as JSON on standard output;
// "<records> records, <bytes> bytes, <seconds> s, <MB/s> MB/s" on standard error. Exit status
// 1 when the file cannot be read or a record is not a JSON object that could be parsed.
//
// Why line by line and not parser::iterate_many: the lines are found with memchr over the
// read buffer (well above 10 GB/s), each line is parsed while it is still in cache, a broken
// record costs only itself, and nothing runs on a second thread. Debian's libsimdjson is
// built with threads, and iterate_many then indexes the next batch on a worker thread,
// which would make this "one thread" floor use two.
#include <simdjson.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "floor_stats.hpp"

namespace {

using bmil::bench::BlockIndex;
using bmil::bench::LineIndex;
using bmil::bench::PendingModel;
using bmil::bench::PendingTask;
namespace ondemand = simdjson::ondemand;

// Object keys compared as written: valid case files never escape a key (a key written with
// escapes would be skipped here, where bmil's loader would decode it).
bool Is(ondemand::raw_json_string key, std::string_view name) { return key == name; }

// The ids of a JSON array of strings as a bit set over `index` (ids it does not know are
// left out).
template <typename IndexOf>
std::uint32_t IdSet(ondemand::value value, IndexOf index) {
  std::uint32_t set = 0;
  for (auto item : value.get_array()) {
    const int i = index(std::string_view(item.get_string()));
    if (i >= 0) set |= std::uint32_t{1} << i;
  }
  return set;
}

PendingTask ReadTask(ondemand::object task) {
  PendingTask out;
  for (auto field : task) {
    const ondemand::raw_json_string key = field.key();
    if (Is(key, "business_model")) {
      out.model = field.value().get_string();
    } else if (Is(key, "building_blocks")) {
      out.blocks = IdSet(field.value(), BlockIndex);
    } else if (Is(key, "leadership_lines")) {
      out.lines = IdSet(field.value(), LineIndex);
    } else if (Is(key, "period")) {
      for (auto period_field : field.value().get_object()) {
        if (Is(period_field.key(), "start"))
          out.year = bmil::bench::YearOf(std::string_view(period_field.value().get_string()));
      }
    }
  }
  return out;
}

PendingModel ReadModel(ondemand::object model) {
  PendingModel out;
  for (auto field : model) {
    const ondemand::raw_json_string key = field.key();
    if (Is(key, "id")) {
      out.id = field.value().get_string();
    } else if (Is(key, "state")) {
      out.state = bmil::bench::StateOf(field.value().get_string());
    } else if (Is(key, "stage")) {
      out.retired = std::string_view(field.value().get_string()) == "retired";
    }
  }
  if (out.retired) out.state = bmil::bench::ModelState::kRetired;
  return out;
}

// Reads one case and counts it. Keys may come in any order: models and tasks are collected
// (into vectors reused from case to case) and resolved when the case is read. Throws
// simdjson::simdjson_error on a malformed record.
void ReadCase(ondemand::document& doc, std::vector<PendingModel>& models,
              std::vector<PendingTask>& tasks, bmil::bench::FloorStats& stats) {
  models.clear();
  tasks.clear();
  for (auto field : doc.get_object()) {
    const ondemand::raw_json_string key = field.key();
    if (Is(key, "business_models")) {
      for (auto model : field.value().get_array()) models.push_back(ReadModel(model));
    } else if (Is(key, "bmi_tasks")) {
      for (auto task : field.value().get_array()) tasks.push_back(ReadTask(task));
    }
  }
  stats.AddCase(models, tasks);
}

}  // namespace

int main(int argc, char** argv) {
  bmil::bench::FloorStats stats;
  ondemand::parser parser;
  std::vector<PendingModel> models;
  std::vector<PendingTask> tasks;
  return bmil::bench::RunOverRecords(
      argc, argv, simdjson::SIMDJSON_PADDING,
      [&](const char* line, std::size_t size, std::size_t capacity) -> std::string {
        try {
          ondemand::document doc = parser.iterate(line, size, capacity);
          ReadCase(doc, models, tasks, stats);
          return {};
        } catch (const simdjson::simdjson_error& e) {
          return e.what();
        }
      },
      [&](std::int64_t) { stats.Print(stdout); });
}
