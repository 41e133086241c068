// The batch engine: every loaded analyzer over a stream of case records (JSONL), on several
// threads, in bounded memory, with every record accounted for; and partial results that
// merge across processes and machines (docs/scaling.md).
//
// Records are read in chunks of whole lines; each chunk is parsed and analyzed by one worker
// into fresh analyzer instances, and the chunks' instances are merged into the run's in input
// order. So the result does not depend on the number of threads, and merging the partial
// results of consecutive shards gives exactly the result of one run over all of them.
#ifndef BMIL_BATCH_HPP_
#define BMIL_BATCH_HPP_

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>
#include <bmil/result.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

struct BatchOptions {
  unsigned threads = 0;         // analysis threads; 0: one per core
  bool strict = false;          // stop at the first rejected record
  std::size_t chunk_bytes = 0;  // bytes of whole lines per chunk; 0: chosen from `threads`
  LoadLimits limits;            // max_bytes is the largest record
  ListingOptions listing;       // --max-rows, --all: the analyzers' listing caps
};

// Counts of one run (or of merged partial runs). Every record read is analyzed or rejected.
struct BatchCounts {
  std::uint64_t records = 0;    // records read (non-blank lines, or .json documents)
  std::uint64_t analyzed = 0;   // valid cases given to the analyzers
  std::uint64_t rejected = 0;   // invalid records, each reported
  std::uint64_t fast_path = 0;  // of the analyzed, read by the fast path (not the loader)
  std::uint64_t bytes = 0;      // input bytes consumed
  BatchCounts& operator+=(const BatchCounts& other);
  nlohmann::ordered_json ToJson() const;
};

// Where the time of a run went (seconds, summed over threads; all runs of the engine so
// far). For tuning: workers that wait for chunks mean the reading is the bottleneck; a
// reader that waits for room means the analysis is.
struct BatchTimes {
  double analyze = 0;      // workers parsing and adding chunks (reset of instances included)
  double fold = 0;         // merging chunks into the run, at the merge point (one at a time)
  double worker_idle = 0;  // workers waiting for a chunk
  double reader_read = 0;  // the reading thread in read(2) and splitting lines
  double reader_wait = 0;  // the reading thread waiting for room for one more chunk
};

// A record that is not a valid case.
struct RejectedRecord {
  std::string source;                   // the input's name ("-" for stdin)
  std::uint64_t line = 0;               // its line in the source (1-based)
  std::vector<Diagnostic> diagnostics;  // the validating loader's, located in the source
  std::string_view text;                // the record as read (valid during the callback)
};

// Told about a run as it goes, from one thread at a time, in input order.
class BatchObserver {
 public:
  virtual ~BatchObserver() = default;
  virtual void OnRejected(const RejectedRecord& /*record*/) {}
  // After each chunk: the counts so far (all inputs), the bytes of the current input done,
  // and its size when known (else 0).
  virtual void OnProgress(const BatchCounts& /*counts*/, std::uint64_t /*input_done*/,
                          std::uint64_t /*input_size*/) {}
};

class BatchEngine {
 public:
  // One instance of every analyzer loaded in `host` (created with AnalyzerConfig), which
  // must outlive the engine. A failing create is recorded in failures().
  BatchEngine(const PluginHost& host, const Registry& registry, BatchOptions options = {});
  ~BatchEngine();
  BatchEngine(const BatchEngine&) = delete;
  BatchEngine& operator=(const BatchEngine&) = delete;

  // Streams one input through the analyzers: `path` is a JSONL file (one case per line;
  // blank lines are skipped), a .json file (one case document) or "-" (JSONL on stdin). Never
  // holds more than a few chunks of it in memory. Fails (with a message) when the input
  // cannot be read; a --strict stop is not a failure: see stopped().
  Result<bool> Run(const std::string& path, BatchObserver& observer);

  // True once a strict run stopped at a rejected record.
  bool stopped() const;

  // The run's state as a partial result (a .bmilpart document, JSON): counts, and every
  // analyzer's saved accumulator with the plugin's id and version. `business_metrics`, when
  // not empty, is a JSON object's text written as the part's "business_metrics" member (the
  // per-business rows of bmil batch --metrics, docs/scaling.md).
  Result<std::string> SavePartial(std::string_view business_metrics = {});

  // Folds in a partial result written by SavePartial() with the same analyzers (id and
  // version); `source` names it in messages. On failure nothing is folded in. When
  // `business_metrics` is not null it receives the part's "business_metrics" member
  // (minified), or nullopt when the part has none.
  Result<bool> MergePartial(std::string_view text, std::string_view source,
                            std::optional<std::string>* business_metrics = nullptr);

  const BatchCounts& counts() const;
  BatchTimes times() const;

  // Every analyzer's result (null for one that failed), and every failed plugin call.
  AnalysisReport Finish();

  // The output document: {"bmil_version","summary":<counts>,"analyzers":[...],"failures":[...]}
  // with "analyzers" and "failures" as in AnalysisReport::ToJson().
  nlohmann::ordered_json ToJson(const AnalysisReport& report) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bmil

#endif  // BMIL_BATCH_HPP_
