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

#include "floor_stats.hpp"

namespace {

// The floor's read buffer.
constexpr std::size_t kChunkSize = std::size_t{1} << 20;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <cases.jsonl|->\n", argv[0]);
    return 2;
  }
  const bmil::bench::Throughput clock;
  bmil::bench::ChunkReader reader(argv[1], kChunkSize, simdjson::SIMDJSON_PADDING);
  if (!reader.ok()) {
    std::perror(argv[1]);
    return 1;
  }
  simdjson::dom::parser parser;
  std::int64_t records = 0, objects = 0, failed = 0;
  const char* chunk = nullptr;
  std::size_t chunk_size = 0;
  while (reader.Next(&chunk, &chunk_size)) {
    bmil::bench::ForEachLine(chunk, chunk_size, [&](const char* line, std::size_t size) {
      ++records;
      simdjson::dom::element root;
      // The rest of the buffer after the line is its padding: no copy.
      const auto error = parser.parse(line, size, /*realloc_if_needed=*/false).get(root);
      if (error) {
        if (++failed <= 10)
          std::fprintf(stderr, "record %lld: %s\n", static_cast<long long>(records),
                       simdjson::error_message(error));
        return;
      }
      if (root.is_object()) ++objects;
    });
  }
  std::printf("{\"records\": %lld, \"objects\": %lld}\n", static_cast<long long>(records),
              static_cast<long long>(objects));
  clock.Report(records, reader.bytes(), failed);
  return reader.failed() || failed > 0 ? 1 : 0;
}
