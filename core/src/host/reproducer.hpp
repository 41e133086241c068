// Reproducers: when a plugin's child crashes or hangs, bmil writes what it was given to a
// file, and `bmil plugins replay FILE` gives the same input to the plugin again, in a child
// (docs/reproducers.md, docs/schema/reproducer.schema.json).
#ifndef BMIL_CORE_HOST_REPRODUCER_HPP_
#define BMIL_CORE_HOST_REPRODUCER_HPP_

#include <bmil/case_io.hpp>
#include <bmil/result.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

struct Reproducer {
  std::string bmil_version;  // of the bmil that wrote it
  std::string when;          // UTC, ISO 8601
  // The plugin: manifest id, version and kind ("line", "analyzer", "model"); the file it was loaded
  // from, its size and XXH3-128.
  std::string plugin;
  std::string version;
  std::string kind;
  std::string path;
  std::uint64_t size = 0;
  std::string xxh3;
  // The call that crashed or hung: "create", "describe", "assess", "propose", "add",
  // "merge", "finish", "save" or "load"; what ended it.
  std::string call;
  std::string what;
  std::string config = "{}";       // the instance's create() configuration, a JSON object
  std::string case_id;             // the case being processed, when there was one
  std::uint64_t cases_before = 0;  // cases the instance was given before (not kept)
  // The runner-protocol request of the call (runner/wire.hpp): for add, a batch holding only
  // the record it failed on; empty for create. Kept exactly as the plugin received it.
  std::string request;
};

// The calls a reproducer may name.
const std::vector<std::string>& ReproducerCalls();

// Limits of a reproducer file: a request holds at most one case view (a 16 MiB record
// encodes to less) and the config; base64 adds a third.
inline constexpr std::size_t kMaxReproducerBytes = std::size_t{64} << 20;
inline constexpr std::size_t kMaxReproducerDepth = 16;

// The file's text: JSON, the request in base64.
std::string ReproducerText(const Reproducer& r);

// Reads a reproducer file's text; every problem is located (file:line:column and JSON
// pointer, did-you-mean for unknown keys). Checks the request's frame: its type matches the
// call, and an add holds exactly one record.
struct ReproducerLoad {
  std::optional<Reproducer> value;
  std::vector<Diagnostic> problems;
};
ReproducerLoad ReadReproducer(std::string_view text, const std::string& file);

// Writes `r` atomically to a new file in `dir` (created 0700 when missing), named
// "<plugin>-<call>-<UTC time>-<n>.bmilrepro". Returns its path.
Result<std::filesystem::path> SaveReproducer(const Reproducer& r, const std::filesystem::path& dir);

// Where reproducers go by default: $BMIL_REPRODUCERS when set (empty: none are written),
// else "reproducers" beside the scan record (DefaultScanRecordPath), else none.
std::filesystem::path DefaultReproducerDir();

// The add-batch request `batch` (a kAddBatch frame of the protocol) cut down to its record
// number `index`; empty when the frame cannot be read that far.
std::string OneRecordOfBatch(std::string_view batch, std::uint64_t index);

}  // namespace bmil

#endif  // BMIL_CORE_HOST_REPRODUCER_HPP_
