// What reading every byte of every record costs: each line of a case JSONL file parsed into
// a simdjson DOM (which checks the whole text: structure, strings, UTF-8, numbers), on one
// thread, with nothing computed from it. A reader that accepts only valid cases, as
// `bmil batch` does, must at least do this much; the floor (simdjson_floor.cpp) skips every
// value it does not need. bench/run.sh puts the two side by side, with the analyzers' own
// cost, to show the most `bmil batch` could reach on this input (bench/README.md).
//
// Usage: bmil_floor_dom_parse <cases.jsonl|->   {"records": R, "objects": O} on standard
// output (O: the records that are JSON objects), and the throughput line of the floor on
// standard error. Exit status 1 when the file cannot be read or a record is not valid JSON.
#include <simdjson.h>

#include <cstdio>
#include <string>

#include "floor_stats.hpp"

int main(int argc, char** argv) {
  simdjson::dom::parser parser;
  std::int64_t objects = 0;
  return bmil::bench::RunOverRecords(
      argc, argv, simdjson::SIMDJSON_PADDING,
      [&](const char* line, std::size_t size, std::size_t) -> std::string {
        simdjson::dom::element root;
        // The rest of the buffer after the line is its padding: no copy.
        const auto error = parser.parse(line, size, /*realloc_if_needed=*/false).get(root);
        if (error) return simdjson::error_message(error);
        if (root.is_object()) ++objects;
        return {};
      },
      [&](std::int64_t records) {
        std::printf("{\"records\": %lld, \"objects\": %lld}\n", static_cast<long long>(records),
                    static_cast<long long>(objects));
      });
}
