// The batch engine (bmil/batch.hpp). The calling thread reads the input into chunks of whole
// lines; worker threads each take a chunk, parse its records (RecordParser) and add them to
// fresh analyzer instances; the chunk's results are folded into the run in input order (the
// "merge point"), under one lock, by whichever worker completes the next chunk in sequence.
// At most `threads + 2` chunks exist at a time, so memory does not grow with the input.
// Chunk buffers and the chunks' analyzer instances are reused: a folded chunk's instances
// are reset with load() of the state each analyzer saved when it was new (the ABI's load()
// replaces the state), which skips create()'s config parsing and the allocator churn.
#include <bmil/batch.hpp>

#include "batch/fast_case_reader.hpp"
#include "batch/part_format.hpp"
#include "batch/part_reader.hpp"
#include "batch/record_parser.hpp"
#include "model/view_guard.hpp"
#include "runner/wire.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace bmil {
namespace {

constexpr std::size_t kPadding = FastCaseReader::kPadding;
// Spare room in a chunk buffer for the carried start of a line (records are ~5 KB; a longer
// carry grows the buffer, which is then not kept).
constexpr std::size_t kCarryRoom = 256u << 10;
// The bytes of all chunks that may exist at once (threads + 2 of them): 4 MiB chunks up to
// two threads, smaller ones (down to 256 KiB) past that, so that more threads do not mean
// more chunk memory.
constexpr std::size_t kChunkBudget = 16u << 20;
// Records parsed before the analyzers add them, as a group (see Process()), and the size
// above which a record is parsed and added alone. Each parser of a group keeps the memory
// of the largest record it held (a DOM can take ten times the text), so only small records
// are grouped: with 16 KiB, 16 parsers hold a few MiB at most, where 256 KiB let records of
// numbers raise the peak from 54 to 148 MB. Generated records are about 5 KB.
constexpr std::size_t kGroup = 16;
constexpr std::size_t kGroupRecordBytes = 16u << 10;

// One chunk of input: whole lines (or one whole document), then kPadding spare bytes.
struct Chunk {
  std::uint64_t seq = 0;
  std::string data;                   // reused: the engine keeps a pool of chunk buffers
  std::size_t size = 0;               // bytes of input in data
  bool document = false;              // the whole chunk is one .json document
  std::uint64_t oversize_bytes = 0;   // > 0: one line too long to hold, of this many input bytes
  std::uint64_t oversize_record = 0;  // and its record's length (without the end of line)
};

struct ChunkError {
  std::size_t analyzer;
  CallError error;
};

struct ChunkReject {
  std::uint64_t line;  // 1-based within the chunk (documents: 1)
  std::vector<Diagnostic> diagnostics;
  std::string text;
};

// Where an analyzed record is in its chunk, for a replay.
struct RecordSpan {
  std::size_t offset;
  std::size_t size;
  std::uint64_t line;  // 1-based within the chunk (documents: 1)
};

// An analyzer whose child ended while it had the chunk's records (Process()): the chunk is
// added again at the merge point to a new instance, without `culprit` (the index in
// `ChunkResult::analyzed` of the record it died on, when known).
struct ChunkReplay {
  std::size_t analyzer;
  std::optional<std::size_t> culprit;
  CallError cause;
};

// A worker's parsers, one per record of a group (see Process()).
using RecordParsers = std::vector<std::unique_ptr<RecordParser>>;

struct ChunkResult {
  std::uint64_t seq = 0;
  std::uint64_t lines = 0;  // newline-terminated lines and a last unterminated one
  BatchCounts counts;
  std::vector<std::optional<PluginInstance>> instances;  // per analyzer; empty if it failed
  std::vector<ChunkError> errors;
  std::vector<ChunkReject> rejects;
  // When an analyzer runs in a child: the chunk's bytes and its analyzed records, kept until
  // the merge point so that a chunk can be added again after a restart; and the replays due.
  std::string data;
  bool document = false;
  std::vector<RecordSpan> analyzed;
  std::vector<ChunkReplay> replays;
};

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

BatchCounts& BatchCounts::operator+=(const BatchCounts& other) {
  records += other.records;
  analyzed += other.analyzed;
  rejected += other.rejected;
  fast_path += other.fast_path;
  bytes += other.bytes;
  return *this;
}

nlohmann::ordered_json BatchCounts::ToJson() const {
  return {{"records_read", records},
          {"analyzed", analyzed},
          {"rejected", rejected},
          {"fast_path", fast_path},
          {"bytes", bytes}};
}

struct BatchEngine::Impl {
  Impl(const PluginHost& host, const Registry& registry, BatchOptions options);

  Result<bool> Run(const std::string& path, BatchObserver& observer);
  Result<bool> ReadStream(int fd, const std::string& source, bool document,
                          std::uint64_t input_size);

  // Workers and the merge point.
  void Work();
  ChunkResult Process(Chunk& chunk, RecordParsers& parsers);
  void Deliver(ChunkResult result);
  void Fold(ChunkResult& result);
  bool Submit(Chunk chunk);  // false when the run stops
  std::string TakeBuffer();  // an empty buffer from the pool (or a new one)
  void ReturnBuffer(std::string buffer);
  // Fresh (empty) instances of every analyzer that has not failed, for one chunk: reused ones
  // reset by load(), else created. A failure goes to `errors`, leaving that slot empty.
  std::vector<std::optional<PluginInstance>> TakeInstances(std::vector<ChunkError>& errors);
  void ReturnInstances(std::vector<std::optional<PluginInstance>> instances);

  // Restarts after a child ended (docs/plugin-isolation.md, "Restarts in batch"). Only an
  // analyzer in a child that saves its state can be replayed: its global instance is then
  // checkpointed (saved) after each merge, and rebuilt from that when its child ended.
  bool Replayable(std::size_t a) const {
    return analyzers[a]->isolation() == Isolation::kChild && empty_states[a].has_value();
  }
  void Fail(std::size_t a, CallError error);
  // Makes sure the global instance of `a` lives (rebuilt from its checkpoint otherwise);
  // false when the analyzer failed.
  bool EnsureGlobal(std::size_t a);
  std::optional<CallError> RestoreGlobal(std::size_t a);  // EnsureGlobal() without failing
  // Saves the global state of `a` as its checkpoint.
  std::optional<CallError> Checkpoint(std::size_t a);
  // Merges the chunk's instance of `a` into the global one (a replay when its child ended).
  void MergeChunk(ChunkResult& result, std::size_t a);
  // Adds the chunk's records again to a new instance of `replay.analyzer`, leaving out the
  // record its child ended on (and any other it ends on while replaying, until the circuit
  // breaker stops the restarts), and merges it. Called at the merge point.
  void Replay(ChunkResult& result, ChunkReplay replay);

  const PluginHost& host;
  const Registry& registry;
  BatchOptions options;
  std::string config;  // every analyzer's create() config
  std::vector<const LoadedPlugin*> analyzers;
  std::vector<nlohmann::json> descriptors;
  // Each analyzer's saved state when new, to reset a reused instance; nullopt: create anew.
  std::vector<std::optional<std::string>> empty_states;
  std::vector<std::optional<PluginInstance>> global;  // empty when the analyzer failed
  std::vector<std::string> checkpoints;         // global's saved state, for Replayable() analyzers
  bool any_child = false;                       // an analyzer runs in a child
  std::unique_ptr<RecordParser> replay_parser;  // used at the merge point only
  std::unique_ptr<std::atomic<bool>[]> failed;
  std::vector<CallError> failures;
  BatchCounts counts;

  // The current Run().
  BatchObserver* observer = nullptr;
  std::string source;
  std::uint64_t input_size = 0;
  std::uint64_t input_done = 0;
  std::uint64_t line_base = 0;
  StreamDigest digest;           // of the current input's bytes, as read
  std::uint64_t bytes_read = 0;  // of the current input
  // Every input read (and, merged from parts, theirs): a part's identity.
  std::vector<PartInput> inputs;

  std::mutex queue_mutex;
  std::condition_variable work_ready, space_ready;
  std::deque<Chunk> queue;
  std::size_t outstanding = 0;  // chunks submitted and not yet folded
  std::size_t max_outstanding = 3;
  bool closing = false;
  std::atomic<bool> stopped{false};
  std::uint64_t next_seq = 0;
  std::vector<std::string> free_buffers;  // chunk buffers to reuse (no page faults, no zeroing)
  std::mutex spare_mutex;
  std::vector<std::vector<std::optional<PluginInstance>>> spare_instances;  // folded chunks'

  std::mutex merge_mutex;
  BatchTimes times;  // analyze and worker_idle under queue_mutex, fold under merge_mutex
  std::map<std::uint64_t, ChunkResult> done;
  std::uint64_t next_fold = 0;
};

BatchEngine::Impl::Impl(const PluginHost& host_in, const Registry& registry_in,
                        BatchOptions options_in)
    : host(host_in), registry(registry_in), options(options_in) {
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  if (options.chunk_bytes == 0) {
    options.chunk_bytes =
        std::clamp<std::size_t>(kChunkBudget / (options.threads + 2), 256u << 10, 4u << 20);
  }
  max_outstanding = options.threads + 2;
  config = AnalyzerConfig(host, registry, failures, options.listing).dump();
  for (const auto& plugin : host.loaded()) {
    if (plugin->is_analyzer()) analyzers.push_back(plugin.get());
  }
  any_child = std::any_of(analyzers.begin(), analyzers.end(),
                          [](const auto* p) { return p->isolation() == Isolation::kChild; });
  checkpoints.resize(analyzers.size());
  failed = std::make_unique<std::atomic<bool>[]>(analyzers.size());
  global.resize(analyzers.size());
  descriptors.resize(analyzers.size());
  empty_states.resize(analyzers.size());
  for (std::size_t a = 0; a < analyzers.size(); ++a) {
    auto created = analyzers[a]->Create(config);
    if (auto* error = std::get_if<CallError>(&created)) {
      failures.push_back(*error);
      failed[a] = true;
      continue;
    }
    global[a].emplace(std::get<PluginInstance>(std::move(created)));
    // An analyzer that cannot save is still run; its chunk instances are then created anew.
    if (auto saved = global[a]->Save(); auto* state = std::get_if<std::string>(&saved)) {
      empty_states[a] = std::move(*state);
      checkpoints[a] = *empty_states[a];
    }
    auto described = global[a]->Describe();
    if (auto* error = std::get_if<CallError>(&described)) {
      failures.push_back(*error);
    } else {
      descriptors[a] = std::get<nlohmann::json>(std::move(described));
    }
  }
}

Result<bool> BatchEngine::Impl::Run(const std::string& path, BatchObserver& run_observer) {
  observer = &run_observer;
  source = path;
  input_size = 0;
  input_done = 0;
  line_base = 0;
  if (stopped) return true;

  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Failure{path + ": cannot open: " + std::strerror(errno)};
  }
  struct stat info {};
  const bool known = ::fstat(fd, &info) == 0;
  if (known && S_ISREG(info.st_mode)) {
    input_size = static_cast<std::uint64_t>(info.st_size);
  } else if (known && S_ISDIR(info.st_mode)) {
    if (fd != STDIN_FILENO) ::close(fd);
    return Failure{path + ": is a directory"};
  }
  const bool document = path.size() > 5 && path.ends_with(".json");
  digest.Reset();
  bytes_read = 0;
  bool unread = false;
  closing = false;
  next_seq = next_fold = 0;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < options.threads; ++t) workers.emplace_back([this] { Work(); });
  Result<bool> read = true;
  if (document && input_size > options.limits.max_bytes) {
    // Not read; counted and reported like any other record, not a failure of the run.
    Chunk oversize;
    oversize.oversize_bytes = input_size;
    oversize.oversize_record = input_size;
    oversize.document = true;
    Submit(std::move(oversize));
    unread = true;
  } else {
    const auto start = Clock::now();
    const double waited = times.reader_wait;  // only this thread changes it
    read = ReadStream(fd, path, document, input_size);
    const double reading = Seconds(start) - (times.reader_wait - waited);
    std::lock_guard lock(queue_mutex);
    times.reader_read += reading;
  }
  {
    std::lock_guard lock(queue_mutex);
    closing = true;
  }
  work_ready.notify_all();
  for (auto& worker : workers) worker.join();
  if (fd != STDIN_FILENO) ::close(fd);
  if (read) {
    inputs.push_back(unread ? PartInput{path, input_size, ""}
                            : PartInput{path, bytes_read, digest.Hex()});
  }
  return read;
}

Result<bool> BatchEngine::Impl::ReadStream(int fd, const std::string& path, bool document,
                                           std::uint64_t size) {
  const std::size_t chunk_bytes =
      document ? static_cast<std::size_t>(size) + 1 : options.chunk_bytes;
  std::string carry;
  bool eof = false;
  while (!eof && !stopped) {
    Chunk chunk;
    chunk.document = document;
    chunk.data = TakeBuffer();
    if (chunk.data.capacity() < chunk_bytes && !document) {
      // Room for the usual carry (the start of a record) without growing, so that the
      // buffer keeps its size and stays in the pool (ReturnBuffer).
      chunk.data.reserve(chunk_bytes + kCarryRoom + kPadding);
    }
    chunk.data.resize(carry.size() + chunk_bytes + kPadding);
    std::memcpy(chunk.data.data(), carry.data(), carry.size());
    std::size_t filled = carry.size();
    const std::size_t want = carry.size() + chunk_bytes;
    while (filled < want) {
      const ssize_t n = ::read(fd, chunk.data.data() + filled, want - filled);
      if (n == 0) {
        eof = true;
        break;
      }
      if (n < 0) {
        if (errno == EINTR) continue;
        return Failure{path + ": read failed: " + std::strerror(errno)};
      }
      digest.Update(chunk.data.data() + filled, static_cast<std::size_t>(n));
      bytes_read += static_cast<std::uint64_t>(n);
      filled += static_cast<std::size_t>(n);
    }
    if (document) {
      if (!eof) {  // a document larger than its size said: it grew while read
        return Failure{path + ": the file changed while it was read"};
      }
      chunk.size = filled;
      carry.clear();
    } else if (eof) {
      chunk.size = filled;
      carry.clear();
    } else {
      const void* newline = ::memrchr(chunk.data.data(), '\n', filled);
      if (newline == nullptr) {
        // No end of line in a whole chunk: the line continues. Keep it, unless it is
        // already longer than any record may be: then skip to its end and report it.
        carry.assign(chunk.data.data(), filled);
        if (carry.size() <= options.limits.max_bytes) continue;
        std::uint64_t skipped = carry.size();
        bool ended_line = false;
        carry.clear();
        char buffer[64 * 1024];
        for (;;) {
          const ssize_t n = ::read(fd, buffer, sizeof buffer);
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) return Failure{path + ": read failed: " + std::strerror(errno)};
          if (n == 0) {
            eof = true;
            break;
          }
          digest.Update(buffer, static_cast<std::size_t>(n));
          bytes_read += static_cast<std::uint64_t>(n);
          const void* end = std::memchr(buffer, '\n', static_cast<std::size_t>(n));
          if (end == nullptr) {
            skipped += static_cast<std::uint64_t>(n);
            continue;
          }
          const auto used = static_cast<std::size_t>(static_cast<const char*>(end) - buffer) + 1;
          skipped += used;
          ended_line = true;
          carry.assign(buffer + used, static_cast<std::size_t>(n) - used);
          break;
        }
        Chunk oversize;
        oversize.oversize_bytes = skipped;
        oversize.oversize_record = skipped - (ended_line ? 1 : 0);  // a \r stays counted
        if (!Submit(std::move(oversize))) break;
        continue;
      }
      chunk.size =
          static_cast<std::size_t>(static_cast<const char*>(newline) - chunk.data.data()) + 1;
      carry.assign(chunk.data.data() + chunk.size, filled - chunk.size);
    }
    std::memset(chunk.data.data() + chunk.size, ' ', chunk.data.size() - chunk.size);
    // An empty .json file is one record (rejected: no JSON value), as validate reports it; an
    // empty JSONL input or its end holds none.
    if (chunk.size == 0 && !document) break;
    if (!Submit(std::move(chunk))) break;
  }
  return true;
}

std::string BatchEngine::Impl::TakeBuffer() {
  std::lock_guard lock(queue_mutex);
  if (free_buffers.empty()) return {};
  std::string buffer = std::move(free_buffers.back());
  free_buffers.pop_back();
  return buffer;
}

void BatchEngine::Impl::ReturnBuffer(std::string buffer) {
  std::lock_guard lock(queue_mutex);
  // Keep the pool no larger than the chunks that can exist at once; a buffer grown for one
  // huge record is let go.
  if (free_buffers.size() < max_outstanding &&
      buffer.capacity() <= options.chunk_bytes + kCarryRoom + kPadding) {
    free_buffers.push_back(std::move(buffer));
  }
}

std::vector<std::optional<PluginInstance>> BatchEngine::Impl::TakeInstances(
    std::vector<ChunkError>& errors) {
  std::vector<std::optional<PluginInstance>> instances;
  {
    std::lock_guard lock(spare_mutex);
    if (!spare_instances.empty()) {
      instances = std::move(spare_instances.back());
      spare_instances.pop_back();
    }
  }
  instances.resize(analyzers.size());
  for (std::size_t a = 0; a < analyzers.size(); ++a) {
    if (failed[a]) {
      instances[a].reset();
      continue;
    }
    if (instances[a] && empty_states[a] && !instances[a]->process_ended()) {
      if (auto error = instances[a]->Load(*empty_states[a])) {
        errors.push_back({a, *error});
        instances[a].reset();
      }
      continue;
    }
    auto created = analyzers[a]->Create(config);
    if (auto* error = std::get_if<CallError>(&created)) {
      errors.push_back({a, *error});
      instances[a].reset();
    } else {
      instances[a].emplace(std::get<PluginInstance>(std::move(created)));
    }
  }
  return instances;
}

void BatchEngine::Impl::ReturnInstances(std::vector<std::optional<PluginInstance>> instances) {
  if (instances.empty()) return;
  std::lock_guard lock(spare_mutex);
  // No more sets than chunks can exist at once.
  if (spare_instances.size() < max_outstanding) spare_instances.push_back(std::move(instances));
}

bool BatchEngine::Impl::Submit(Chunk chunk) {
  const auto start = Clock::now();
  std::unique_lock lock(queue_mutex);
  space_ready.wait(lock, [&] { return outstanding < max_outstanding || stopped; });
  times.reader_wait += Seconds(start);
  if (stopped) return false;
  chunk.seq = next_seq++;
  ++outstanding;
  queue.push_back(std::move(chunk));
  lock.unlock();
  work_ready.notify_one();
  return true;
}

void BatchEngine::Impl::Work() {
  RecordParsers parsers;
  for (std::size_t i = 0; i < kGroup; ++i)
    parsers.push_back(std::make_unique<RecordParser>(registry, options.limits));
  double analyze = 0;
  for (;;) {
    Chunk chunk;
    {
      const auto start = Clock::now();
      std::unique_lock lock(queue_mutex);
      work_ready.wait(lock, [&] { return !queue.empty() || closing; });
      times.worker_idle += Seconds(start);
      times.analyze += analyze;
      analyze = 0;
      if (queue.empty()) return;
      chunk = std::move(queue.front());
      queue.pop_front();
    }
    ChunkResult result;
    if (!stopped) {
      const auto start = Clock::now();
      result = Process(chunk, parsers);
      analyze = Seconds(start);
    }
    result.seq = chunk.seq;
    if (any_child && !chunk.data.empty()) {
      result.data = std::move(chunk.data);  // returned after the merge point
      result.document = chunk.document;
    } else {
      ReturnBuffer(std::move(chunk.data));
    }
    Deliver(std::move(result));
  }
}

ChunkResult BatchEngine::Impl::Process(Chunk& chunk, RecordParsers& parsers) {
  ChunkResult result;
  result.counts.bytes = chunk.oversize_bytes > 0 ? chunk.oversize_bytes : chunk.size;
  if (chunk.oversize_bytes > 0) {
    result.instances.resize(analyzers.size());
    result.lines = chunk.document ? 0 : 1;
    result.counts.records = result.counts.rejected = 1;
    result.rejects.push_back(
        {1,
         {{source, 0, 0, "",
           OversizeMessage(chunk.oversize_record, options.limits.max_bytes, /*at_least=*/false)}},
         ""});
    return result;
  }
  result.instances = TakeInstances(result.errors);
  std::uint64_t fast_before = 0;
  for (const auto& parser : parsers) fast_before += parser->fast();

  // Records are parsed in groups, each into its own parser, and each analyzer then adds the
  // whole group: its code and state stay in cache for the group instead of being evicted by
  // the parser and the other analyzers at every record. Every analyzer still sees the
  // records in input order. Its errors are put back in record order, as if it had added
  // each record before the next was parsed.
  const bmil_case_view* group[kGroup];
  std::string_view group_strings[kGroup];  // where each view's strings mostly are
  std::size_t grouped = 0;
  std::vector<std::pair<std::size_t, ChunkError>> group_errors;
  // Each child instance's count of cases before this chunk: a failure's case_index minus
  // this is the record's index in result.analyzed.
  std::vector<std::uint64_t> cases_before(analyzers.size(), 0);
  if (any_child) {
    for (std::size_t a = 0; a < analyzers.size(); ++a) {
      if (result.instances[a]) cases_before[a] = result.instances[a]->cases_added();
    }
  }
  // A failure of analyzer `a`: a replay at the merge point when its child ended, else the
  // analyzer's failure for the run.
  auto failed_in = [&](std::size_t a, CallError error, std::size_t r) {
    if (error.process_ended && Replayable(a)) {
      std::optional<std::size_t> culprit;
      if (error.call == "add" && error.case_index && *error.case_index >= cases_before[a]) {
        culprit = static_cast<std::size_t>(*error.case_index - cases_before[a]);
      }
      result.replays.push_back({a, culprit, std::move(error)});
    } else {
      group_errors.push_back({r, {a, std::move(error)}});
    }
    result.instances[a].reset();
  };
  // A record goes to every analyzer in a child as the same bytes: encoded once per group.
  std::string encoded[kGroup];
  // What an in-process analyzer must not change: each record's view as parsed, checked after
  // every add() of a guarded analyzer (LoadedPlugin::guarded(), model/view_guard.hpp).
  const bool any_guarded =
      std::any_of(analyzers.begin(), analyzers.end(), [](const auto* p) { return p->guarded(); });
  thread_local ViewGuard worker_guards[kGroup];  // a worker's, reused from chunk to chunk
  ViewGuard* guards = any_guarded ? worker_guards : nullptr;
  auto add_group = [&] {
    if (any_child) {
      for (std::size_t r = 0; r < grouped; ++r) {
        encoded[r].clear();
        wire::Writer w(encoded[r]);
        wire::EncodeView(*group[r], w);
      }
    }
    if (guards != nullptr) {
      for (std::size_t r = 0; r < grouped; ++r) guards[r].Take(*group[r], group_strings[r]);
    }
    for (std::size_t a = 0; a < analyzers.size(); ++a) {
      std::optional<PluginInstance>& instance = result.instances[a];
      const bool child = analyzers[a]->isolation() == Isolation::kChild;
      for (std::size_t r = 0; r < grouped && instance; ++r) {
        auto error = child ? instance->AddEncoded(*group[r], encoded[r]) : instance->Add(*group[r]);
        if (!error && analyzers[a]->guarded()) {
          if (const std::size_t changed = guards[r].CheckAndRestore(); changed > 0) [[unlikely]] {
            error = CallError{analyzers[a]->id(), "add", BMIL_ERROR_INTERNAL,
                              ViewWriteMessage(changed) + ", on case \"" +
                                  std::string(group[r]->id.data, group[r]->id.size) + "\""};
          }
        }
        if (error) failed_in(a, *std::move(error), r);
      }
    }
    if (!group_errors.empty()) {
      std::stable_sort(group_errors.begin(), group_errors.end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
      for (auto& [r, error] : group_errors) result.errors.push_back(std::move(error));
      group_errors.clear();
    }
    grouped = 0;
  };

  std::vector<Diagnostic> problems;
  auto analyze = [&](std::string_view text, std::uint64_t line) -> bool {
    ++result.counts.records;
    problems.clear();
    // A large record is parsed alone by the first parser, so that only one parser per
    // worker ever grows to its size.
    const bool large = text.size() > kGroupRecordBytes;
    if (large && grouped > 0) add_group();
    RecordParser& parser = *parsers[grouped];
    const bmil_case_view* view = parser.Parse(text, source, chunk.document ? 0 : line, problems);
    if (view == nullptr) {
      ++result.counts.rejected;
      // A record over the size limit is not kept (nor written to --rejects).
      const bool oversize = text.size() > options.limits.max_bytes;
      result.rejects.push_back({chunk.document ? 1 : line, std::move(problems),
                                oversize ? std::string() : std::string(text)});
      problems = {};
      return !options.strict;
    }
    ++result.counts.analyzed;
    if (any_child) {
      result.analyzed.push_back(
          {static_cast<std::size_t>(text.data() - chunk.data.data()), text.size(), line});
    }
    group_strings[grouped] = parser.StringRegion();
    group[grouped++] = view;
    if (large || grouped == kGroup) add_group();
    return true;
  };
  if (chunk.document) {
    analyze(std::string_view(chunk.data.data(), chunk.size), 1);
  } else {
    const char* at = chunk.data.data();
    const char* end = at + chunk.size;
    std::uint64_t line = 0;
    while (at < end) {
      const char* newline = static_cast<const char*>(std::memchr(at, '\n', end - at));
      const char* stop = newline != nullptr ? newline : end;
      ++line;
      std::string_view text(at, static_cast<std::size_t>(stop - at));
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      at = newline != nullptr ? newline + 1 : end;
      if (IsBlank(text)) continue;
      if (!analyze(text, line)) break;
    }
    result.lines = line;
  }
  if (grouped > 0) add_group();
  if (any_child) {
    // Every record has reached the children before the chunk leaves the worker, so that a
    // child that ends on one is known while the chunk can still be replayed in order.
    for (std::size_t a = 0; a < analyzers.size(); ++a) {
      if (!result.instances[a]) continue;
      if (auto error = result.instances[a]->Flush()) failed_in(a, *std::move(error), 0);
    }
    for (auto& [r, error] : group_errors) result.errors.push_back(std::move(error));
    group_errors.clear();
  }
  for (const auto& parser : parsers) result.counts.fast_path += parser->fast();
  result.counts.fast_path -= fast_before;
  return result;
}

void BatchEngine::Impl::Deliver(ChunkResult result) {
  std::lock_guard lock(merge_mutex);
  done.emplace(result.seq, std::move(result));
  for (auto it = done.find(next_fold); it != done.end(); it = done.find(next_fold)) {
    const auto start = Clock::now();
    if (!stopped) Fold(it->second);
    ReturnInstances(std::move(it->second.instances));
    if (!it->second.data.empty()) ReturnBuffer(std::move(it->second.data));
    times.fold += Seconds(start);
    done.erase(it);
    ++next_fold;
    {
      std::lock_guard queue_lock(queue_mutex);
      --outstanding;
    }
    space_ready.notify_one();
  }
}

void BatchEngine::Impl::Fail(std::size_t a, CallError error) {
  if (failed[a]) return;
  failed[a] = true;
  global[a].reset();
  failures.push_back(std::move(error));
}

std::optional<CallError> BatchEngine::Impl::RestoreGlobal(std::size_t a) {
  if (!Replayable(a) || !global[a]->process_ended()) return std::nullopt;
  // Its child ended (on some chunk's record): the state merged so far is the checkpoint.
  auto created = analyzers[a]->Create(config);
  if (auto* error = std::get_if<CallError>(&created)) return *error;
  global[a].emplace(std::get<PluginInstance>(std::move(created)));
  return global[a]->Load(checkpoints[a]);
}

bool BatchEngine::Impl::EnsureGlobal(std::size_t a) {
  if (failed[a] || !global[a]) return false;
  if (auto error = RestoreGlobal(a)) {
    Fail(a, *std::move(error));
    return false;
  }
  return true;
}

std::optional<CallError> BatchEngine::Impl::Checkpoint(std::size_t a) {
  auto saved = global[a]->Save();
  if (auto* error = std::get_if<CallError>(&saved)) return *std::move(error);
  checkpoints[a] = std::get<std::string>(std::move(saved));
  return std::nullopt;
}

void BatchEngine::Impl::MergeChunk(ChunkResult& result, std::size_t a) {
  if (!EnsureGlobal(a)) return;
  auto error = global[a]->Merge(*result.instances[a]);
  if (!error && Replayable(a)) error = Checkpoint(a);
  if (!error) return;
  if (error->process_ended && Replayable(a)) {
    // Its child ended before the chunk reached a checkpoint: the chunk is added again.
    Replay(result, {a, std::nullopt, *std::move(error)});
  } else {
    Fail(a, *std::move(error));
  }
}

void BatchEngine::Impl::Replay(ChunkResult& result, ChunkReplay replay) {
  const std::size_t a = replay.analyzer;
  result.instances[a].reset();
  std::vector<char> left_out(result.analyzed.size(), 0);
  // The deaths on a record, reported when the replay ends: as records left out of the
  // results when it succeeds; as they are when the analyzer fails (it has no results then).
  std::vector<std::pair<std::size_t, CallError>> deaths;
  auto leave_out = [&](std::size_t i, CallError why) {
    left_out[i] = 1;
    deaths.emplace_back(i, std::move(why));
  };
  auto fail = [&](CallError error) {
    for (auto& death : deaths) failures.push_back(std::move(death.second));
    Fail(a, std::move(error));
  };
  if (replay.culprit && *replay.culprit < left_out.size()) {
    leave_out(*replay.culprit, std::move(replay.cause));
  }
  if (!replay_parser) replay_parser = std::make_unique<RecordParser>(registry, options.limits);
  std::vector<Diagnostic> problems;
  // Each round after a death starts a new child (LoadedPlugin::LiveRunner), so the circuit
  // breaker ends the loop: past --max-restarts, Create() fails and so does the analyzer.
  for (;;) {
    if (auto error = RestoreGlobal(a)) {
      fail(*std::move(error));
      return;
    }
    auto created = analyzers[a]->Create(config);
    if (auto* error = std::get_if<CallError>(&created)) {
      fail(*std::move(error));
      return;
    }
    PluginInstance instance = std::get<PluginInstance>(std::move(created));
    const std::uint64_t before = instance.cases_added();
    std::vector<std::size_t> given;  // the records added, in order
    std::optional<CallError> error;
    for (std::size_t i = 0; i < result.analyzed.size() && !error; ++i) {
      if (left_out[i]) continue;
      const RecordSpan& span = result.analyzed[i];
      problems.clear();
      const bmil_case_view* view =
          replay_parser->Parse(std::string_view(result.data.data() + span.offset, span.size),
                               source, result.document ? 0 : span.line, problems);
      if (view == nullptr) continue;  // it parsed before: cannot happen
      given.push_back(i);
      error = instance.Add(*view);
    }
    if (!error) error = instance.Flush();
    if (!error) error = global[a]->Merge(instance);
    if (!error) error = Checkpoint(a);
    if (!error) {
      for (auto& [i, death] : deaths) {
        const std::uint64_t line = result.analyzed[i].line;
        const std::string where =
            result.document ? source : source + ":" + std::to_string(line_base + line);
        death.message += "; the record at " + where +
                         " is left out of this analyzer's results, which hold every other "
                         "record";
        failures.push_back(std::move(death));
      }
      return;
    }
    if (!error->process_ended) {
      fail(*std::move(error));
      return;
    }
    // A death on a record leaves that record out; one on no record (in merge, or of a child
    // that ended by itself) is only retried.
    if (error->call == "add" && error->case_index && *error->case_index >= before &&
        *error->case_index - before < given.size()) {
      leave_out(given[static_cast<std::size_t>(*error->case_index - before)], *std::move(error));
    }
  }
}

void BatchEngine::Impl::Fold(ChunkResult& result) {
  for (ChunkError& e : result.errors) Fail(e.analyzer, std::move(e.error));
  for (ChunkReplay& replay : result.replays) {
    if (!failed[replay.analyzer]) Replay(result, std::move(replay));
  }
  for (std::size_t a = 0; a < analyzers.size(); ++a) {
    if (failed[a] || !global[a] || !result.instances[a]) continue;
    MergeChunk(result, a);
  }
  for (ChunkReject& reject : result.rejects) {
    const std::uint64_t line = line_base + reject.line;
    for (Diagnostic& d : reject.diagnostics) {
      if (d.line != 0 && result.lines > 0) d.line = static_cast<std::uint32_t>(line);
    }
    observer->OnRejected({source, line, std::move(reject.diagnostics), reject.text});
    if (options.strict) {
      stopped = true;
      space_ready.notify_all();
    }
  }
  line_base += result.lines;
  counts += result.counts;
  input_done += result.counts.bytes;
  observer->OnProgress(counts, input_done, input_size);
}

BatchEngine::BatchEngine(const PluginHost& host, const Registry& registry, BatchOptions options)
    : impl_(std::make_unique<Impl>(host, registry, options)) {}
BatchEngine::~BatchEngine() = default;

Result<bool> BatchEngine::Run(const std::string& path, BatchObserver& observer) {
  return impl_->Run(path, observer);
}

bool BatchEngine::stopped() const { return impl_->stopped; }

const BatchCounts& BatchEngine::counts() const { return impl_->counts; }

BatchTimes BatchEngine::times() const {
  // Called between runs: no worker is running.
  return impl_->times;
}

namespace {

// Every loaded plugin as {"id","version","kind"}, by id: the plugin set a part was written
// with. Line plugins count too: they decide which records are valid.
nlohmann::ordered_json PluginSet(const PluginHost& host) {
  std::vector<const LoadedPlugin*> plugins;
  for (const auto& plugin : host.loaded()) plugins.push_back(plugin.get());
  std::sort(plugins.begin(), plugins.end(),
            [](const LoadedPlugin* a, const LoadedPlugin* b) { return a->id() < b->id(); });
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const LoadedPlugin* plugin : plugins) {
    out.push_back({{"id", plugin->id()},
                   {"version", plugin->manifest().version},
                   {"kind", plugin->manifest().kind}});
  }
  return out;
}

}  // namespace

Result<std::string> BatchEngine::SavePartial(std::string_view business_metrics) {
  nlohmann::ordered_json out;
  out["bmil_partial"] = kPartFormatVersion;
  out["bmil_version"] = BMIL_VERSION;
  out["counts"] = impl_->counts.ToJson();
  out["inputs"] = nlohmann::ordered_json::array();
  for (const auto& input : impl_->inputs) {
    out["inputs"].push_back(
        {{"source", input.source}, {"bytes", input.bytes}, {"xxh3", input.digest}});
  }
  out["plugins"] = PluginSet(impl_->host);
  // The listing caps the states were made with (absent: the defaults): parts merge only
  // under the same caps, so that every listing stays the prefix of the whole sequence.
  if (const nlohmann::json listing = impl_->options.listing.ToJson(); !listing.is_null())
    out["listing"] = listing;
  out["analyzers"] = nlohmann::ordered_json::array();
  for (std::size_t a = 0; a < impl_->analyzers.size(); ++a) {
    const LoadedPlugin& plugin = *impl_->analyzers[a];
    nlohmann::ordered_json state = nullptr;
    if (impl_->EnsureGlobal(a)) {
      auto saved = impl_->global[a]->Save();
      if (auto* error = std::get_if<CallError>(&saved)) {
        impl_->failures.push_back(*error);
        impl_->failed[a] = true;
        impl_->global[a].reset();
      } else {
        state = nlohmann::ordered_json::parse(std::get<std::string>(saved), nullptr, false);
        if (state.is_discarded()) {
          impl_->failures.push_back(
              {plugin.id(), "save", BMIL_ERROR_INTERNAL, "the saved state is not valid JSON"});
          impl_->failed[a] = true;
          impl_->global[a].reset();
          state = nullptr;
        }
      }
    } else if (std::none_of(impl_->failures.begin(), impl_->failures.end(),
                            [&](const CallError& f) { return f.plugin == plugin.id(); })) {
      // Never a null state without its reason: merge refuses that.
      impl_->failures.push_back(
          {plugin.id(), "save", BMIL_ERROR_INVALID_STATE, "the analyzer has no state"});
    }
    out["analyzers"].push_back(
        {{"plugin", plugin.id()}, {"version", plugin.manifest().version}, {"state", state}});
  }
  out["failures"] = nlohmann::ordered_json::array();
  for (const auto& f : impl_->failures) {
    out["failures"].push_back(
        {{"plugin", f.plugin}, {"call", f.call}, {"status", f.status}, {"message", f.message}});
  }
  std::string body = out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  if (!business_metrics.empty()) {
    // Spliced in as text: the rows can be many, and are JSON already.
    body.pop_back();  // the closing brace
    body += ",\"business_metrics\":";
    body += business_metrics;
    body += '}';
  }
  return SealPart(body);
}

Result<bool> BatchEngine::MergePartial(std::string_view text, std::string_view source_name,
                                       std::optional<std::string>* business_metrics) {
  const std::string where(source_name);
  auto bad = [&](const std::string& what) {
    return Failure{where + ": not a valid bmil partial result: " + what};
  };
  if (text.size() > kMaxPartBytes) {
    return bad("it is " + std::to_string(text.size()) + " bytes, more than the limit of " +
               std::to_string(kMaxPartBytes) + " bytes");
  }
  auto unsealed = UnsealPart(text);
  if (!unsealed) return bad(unsealed.error());
  auto read = ReadPart(*unsealed);
  if (auto* problem = std::get_if<std::string>(&read)) return bad(*problem);
  PartContent& part = std::get<PartContent>(read);

  // Match every analyzer of this run with its state in the part, before changing anything.
  std::vector<const PartAnalyzer*> states(impl_->analyzers.size(), nullptr);
  for (const auto& entry : part.analyzers) {
    const auto found =
        std::find_if(impl_->analyzers.begin(), impl_->analyzers.end(),
                     [&](const LoadedPlugin* plugin) { return plugin->id() == entry.plugin; });
    if (found == impl_->analyzers.end()) {
      return Failure{where + ": holds the state of analyzer \"" + entry.plugin +
                     "\", which is not loaded here; merge with the plugins the parts were "
                     "written with"};
    }
    const LoadedPlugin& plugin = **found;
    if (entry.version != plugin.manifest().version) {
      return Failure{where + ": analyzer \"" + entry.plugin + "\" " + entry.version +
                     " wrote it, but " + plugin.manifest().version +
                     " is loaded here; partial states only merge within one version"};
    }
    states[static_cast<std::size_t>(found - impl_->analyzers.begin())] = &entry;
  }
  for (std::size_t a = 0; a < impl_->analyzers.size(); ++a) {
    if (states[a] == nullptr) {
      return Failure{where + ": has no state for analyzer \"" + impl_->analyzers[a]->id() +
                     "\"; write every part with the same plugins"};
    }
  }
  // The same plugins (line plugins too: they decide which records are valid), at the same
  // versions, as this run.
  if (const std::string difference = PluginSetDifference(part.plugins, PluginSet(impl_->host));
      !difference.empty()) {
    return Failure{where + ": was written with other plugins than are loaded here (" + difference +
                   "); merge with the plugins the parts were written with"};
  }
  // The same listing caps: a list cut at 200 in a part cannot be continued by a merge
  // that lists everything (the rows after the cut are not in the part).
  if (const nlohmann::json here = impl_->options.listing.ToJson(); part.listing != here) {
    auto caps = [](const nlohmann::json& l) -> std::string {
      if (l.is_null()) return "the default listing caps";
      if (l.contains("all")) return "--all";
      return "--max-rows " + l.at("max_rows").dump();
    };
    return Failure{where + ": was written with " + caps(part.listing) +
                   ", but this merge lists with " + caps(here) +
                   "; merge with the caps the parts were written with" +
                   (part.listing.is_null() ? std::string(" (no --max-rows or --all)")
                                           : " (" + caps(part.listing) + ")")};
  }
  // No input counted twice: the same part given twice, or parts of overlapping merges.
  for (const auto& input : part.inputs) {
    if (input.digest.empty() || input.bytes == 0) continue;  // unread or empty: adds nothing
    for (const auto& seen : impl_->inputs) {
      if (seen.digest == input.digest && seen.bytes == input.bytes) {
        return Failure{where + ": its input " + input.source + " (" + std::to_string(input.bytes) +
                       " bytes, xxh3 " + input.digest + ") is already in the merge (as " +
                       seen.source + "); merging it again would count its records twice"};
      }
    }
  }

  if (business_metrics != nullptr) *business_metrics = std::move(part.business_metrics);
  for (const auto& f : part.failures) {
    impl_->failures.push_back({f.plugin, f.call, f.status, f.message + " (in " + where + ")"});
  }
  for (std::size_t a = 0; a < impl_->analyzers.size(); ++a) {
    if (impl_->failed[a]) continue;
    auto fail = [&](CallError error) {
      impl_->failures.push_back(std::move(error));
      impl_->failed[a] = true;
      impl_->global[a].reset();
    };
    if (!states[a]->state) {  // the analyzer failed in that part (its failure came along)
      impl_->failed[a] = true;
      impl_->global[a].reset();
      continue;
    }
    auto created = impl_->analyzers[a]->Create(impl_->config);
    if (auto* error = std::get_if<CallError>(&created)) {
      fail(*error);
      continue;
    }
    PluginInstance loaded = std::get<PluginInstance>(std::move(created));
    if (auto error = loaded.Load(*states[a]->state)) {
      error->message += " (state from " + where + ")";
      fail(*error);
      continue;
    }
    if (auto error = impl_->global[a]->Merge(loaded)) fail(*error);
  }
  impl_->counts += part.counts;
  for (auto& input : part.inputs) impl_->inputs.push_back(std::move(input));
  return true;
}

AnalysisReport BatchEngine::Finish() {
  AnalysisReport report;
  for (std::size_t a = 0; a < impl_->analyzers.size(); ++a) {
    AnalyzerReport out;
    out.plugin = impl_->analyzers[a]->id();
    out.isolation = impl_->analyzers[a]->isolation();
    out.descriptor = impl_->descriptors[a];
    if (impl_->EnsureGlobal(a)) {
      auto finished = impl_->global[a]->Finish();
      if (auto* error = std::get_if<CallError>(&finished)) {
        impl_->failures.push_back(*error);
      } else {
        out.result = std::get<nlohmann::json>(std::move(finished));
      }
    }
    report.analyzers.push_back(std::move(out));
  }
  report.failures = impl_->failures;
  return report;
}

nlohmann::ordered_json BatchEngine::ToJson(const AnalysisReport& report) const {
  const nlohmann::ordered_json full = report.ToJson();
  nlohmann::ordered_json out;
  out["bmil_version"] = BMIL_VERSION;
  out["summary"] = impl_->counts.ToJson();
  out["analyzers"] = full["analyzers"];
  out["failures"] = full["failures"];
  return out;
}

}  // namespace bmil
