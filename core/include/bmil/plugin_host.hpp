// The plugin host: finds plugins in explicit directories, reads their manifests without
// running their code, loads the acceptable ones, and calls them through the C ABI.
#ifndef BMIL_PLUGIN_HOST_HPP_
#define BMIL_PLUGIN_HOST_HPP_

#include <bmil/abi.h>
#include <bmil/manifest.hpp>
#include <bmil/registry.hpp>
#include <bmil/result.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bmil {

// The directories to search, in order: `explicit_dirs` (--plugin-dir), then the entries of
// BMIL_PLUGIN_PATH (colon-separated; `env_path` is its value or nullptr), then the
// installation's own plugin directory (<exe dir>/../lib/bmil/plugins). Never the current
// directory: empty entries of BMIL_PLUGIN_PATH are skipped, and relative ones (which would
// depend on the current directory) are left out and appended to `ignored` when given.
// A relative --plugin-dir is taken as the user wrote it. Duplicates (same canonical path)
// are dropped.
std::vector<std::filesystem::path> PluginSearchPath(
    std::span<const std::filesystem::path> explicit_dirs, const char* env_path,
    const std::filesystem::path& executable, std::vector<std::string>* ignored = nullptr);

// The installation's own plugin directory for `executable`: <exe dir>/../lib/bmil/plugins.
std::filesystem::path BundledPluginDir(const std::filesystem::path& executable);

// The path of the running executable (from /proc/self/exe).
std::filesystem::path CurrentExecutable();

// Where a plugin's code runs (docs/plugin-isolation.md).
enum class Isolation {
  kInProcess,  // loaded into bmil: fastest; a crash there ends the run
  kChild,      // in a bmil-plugin-runner child process: a crash, hang or exit() of the
               // plugin fails that plugin only, and its stdout never reaches bmil's
};
const char* IsolationName(Isolation level);  // "in-process", "child"
std::optional<Isolation> ParseIsolation(std::string_view name);

// What a child running a plugin may use, and how long one call may take.
struct IsolationLimits {
  // A call that neither returns nor finishes one of the records of its batch in this many
  // seconds is killed and reported as hung.
  double call_timeout_seconds = 60;
  unsigned address_space_mib = 4096;  // RLIMIT_AS; 0 = no limit
  unsigned cpu_seconds = 3600;        // RLIMIT_CPU over the child's life; 0 = no limit
  unsigned open_files = 64;           // RLIMIT_NOFILE
  unsigned file_size_mib = 64;        // RLIMIT_FSIZE: files it writes, its captured output
  // Whether the child may open network sockets (--allow-network). By default its seccomp
  // filter, where available, refuses every socket but AF_UNIX ones; the filter's other
  // denials (ptrace, mount, ...) stay either way. Plugins in bmil's process are never
  // filtered.
  bool allow_network = false;
  // Where a call whose child crashed or hung leaves its reproducer (docs/reproducers.md);
  // empty: none is written.
  std::filesystem::path reproducer_dir;
  // How many times in a run a plugin's child that died is started again (--max-restarts):
  // a circuit breaker, so that a plugin that keeps crashing is not restarted forever. 0: a
  // plugin whose child died fails for the rest of the run.
  int max_restarts = 3;
};

// How LoadAll() chooses each plugin's isolation: `per_plugin` by id first, then `all`, then
// the default: in-process for the plugins found in `bundled_dir` (the installation's own),
// a child for every other.
struct IsolationPolicy {
  std::optional<Isolation> all;
  std::vector<std::pair<std::string, Isolation>> per_plugin;
  std::filesystem::path bundled_dir;
  IsolationLimits limits;
  // The scan record (docs/plugin-isolation.md, "First load in a child"): a plugin file to be
  // loaded in-process is first loaded in a child, unless this record says that this very
  // file (same path, size and content) loaded there before; a file that crashed, hung or was
  // refused there is refused without running it again. Empty: no record is kept, so every
  // such file is loaded in a child first on every run.
  std::filesystem::path scan_record;
  // Whether that first load in a child happens at all. Only a test of the loader itself
  // turns it off (it loads a thousand new files and checks the in-process load alone).
  bool first_load_in_child = true;
  // Which level applies to plugin `id` found at `path`.
  Isolation For(std::string_view id, const std::filesystem::path& path) const;
  // Whether the plugin file at `path` is one of the installation's own (in bundled_dir).
  bool Bundled(const std::filesystem::path& path) const;
};

// One plugin file found by a scan.
class TrustedFile;    // host/trusted_file.hpp: a plugin file opened once and checked
class RunnerProcess;  // host/runner_process.hpp: the child an isolated plugin runs in
class ScanRecord;     // host/scan_record.hpp: how plugin files first loaded in a child

struct PluginRecord {
  enum class Status {
    kAvailable,  // manifest read and acceptable; not loaded yet
    kLoaded,     // loaded and its entry table checked
    kRefused,    // not loaded: see reason
  };
  std::filesystem::path path;
  std::optional<Manifest> manifest;  // when it could be read
  Status status = Status::kAvailable;
  std::string reason;  // why it was refused
  // The file as opened and checked when the manifest was read; LoadAll() loads exactly
  // this open file (never `path` opened again). Null when the file was refused.
  std::shared_ptr<const TrustedFile> file;
  Isolation isolation = Isolation::kInProcess;  // where it runs, once loaded
  // For a plugin loaded in-process: how its first load in a child went ("loaded in a child
  // first", "loaded in a child on 2026-12-07T01:02:03Z (scan record)", or why it was not
  // checked there).
  std::string first_load;
};
const char* StatusName(PluginRecord::Status status);

// A refusal of something that is not a plugin file (e.g. an unsafe directory).
struct ScanProblem {
  std::filesystem::path path;
  std::string reason;
};

// A failed plugin call: which plugin, which call, the status and the plugin's message.
struct CallError {
  std::string plugin;
  std::string call;
  int status = 0;
  std::string message;
  // For a plugin in a child: the child died or was killed during this call (or had died
  // before it), so every instance in it lost its state; false when the plugin returned an
  // error. The batch engine restarts the child and replays the records (batch.hpp).
  bool process_ended = false;
  // In add() of a plugin in a child, when the failing call is known: which of the cases
  // given to the instance (0-based, counted as cases_added() counts them) it failed on.
  std::optional<std::uint64_t> case_index = std::nullopt;
  std::string ToString() const;  // "plugin \"x\": assess failed (internal error): boom"
};

template <typename T>
using CallResult = std::variant<T, CallError>;

class LoadedPlugin;

// An instance of a plugin (bmil_instance), destroyed with this object.
class PluginInstance {
 public:
  PluginInstance(const LoadedPlugin* plugin, bmil_instance* instance);
  // An instance living in the plugin's child process, by its handle there, created with
  // `config` (kept for reproducers).
  PluginInstance(const LoadedPlugin* plugin, std::shared_ptr<RunnerProcess> runner,
                 std::uint64_t remote_handle, std::string config = "{}");
  PluginInstance(PluginInstance&& other) noexcept;
  PluginInstance& operator=(PluginInstance&& other) noexcept;
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;
  ~PluginInstance();

  // Each call returns the plugin's JSON output, or the CallError (also when the plugin's
  // output is not valid JSON, or it lacks the function for this call).
  CallResult<nlohmann::json> Describe();
  CallResult<nlohmann::json> Assess(const bmil_case_view& view, uint32_t business_model);
  CallResult<nlohmann::json> Propose(const bmil_case_view& view, uint32_t business_model);
  // Inline (below): the batch engine calls it once per case and analyzer. For a plugin in a
  // child, records are sent in batches: an error may then be reported by a later call
  // (Add, Merge, Finish, Save), naming the record it happened on.
  std::optional<CallError> Add(const bmil_case_view& view);
  // Add() of a view already encoded for a child (wire::EncodeView), so that the batch
  // engine encodes a record once for all the plugins in children; an in-process plugin
  // ignores `encoded`.
  std::optional<CallError> AddEncoded(const bmil_case_view& view, std::string_view encoded);
  // Waits until every record given to Add() has been added and returns the first failure
  // (for a plugin in a child, which gets records in batches; nothing to wait for otherwise).
  std::optional<CallError> Flush();
  // Folds `other` (an instance of the same plugin) into this one; `other` keeps its state
  // (records it holds for a child are sent first, hence not const).
  std::optional<CallError> Merge(PluginInstance& other);
  CallResult<nlohmann::json> Finish();
  CallResult<std::string> Save();
  std::optional<CallError> Load(std::string_view state);

  // Consequence models (ABI 1.1, abi.h). Prepare() returns the model's layout for the case
  // `view` ({"drivers": [...], "series": [...]}, not checked here: see scenario/model_run.hpp).
  CallResult<nlohmann::json> Prepare(const bmil_case_view& view, std::int32_t first_year,
                                     std::uint32_t years);
  // Evaluates `draws` draws: `drivers` holds draws x driver_count values (draw by draw), and
  // `out` (draws x out_per_draw values) receives each draw's series. A failing draw is named
  // in the error ("on draw 12"). For a plugin in a child, draws go in requests of bounded size.
  std::optional<CallError> Evaluate(std::span<const double> drivers, std::size_t driver_count,
                                    std::span<double> out, std::size_t out_per_draw);

  const LoadedPlugin& plugin() const { return *plugin_; }
  // For an instance in a child: the cases given to Add() so far (sent or waiting), and
  // whether its child has ended (every later call fails). 0 and false in-process.
  std::uint64_t cases_added() const;
  bool process_ended() const;

 private:
  void Reset();  // destroys the plugin's instance, if any
  // The error of a failed add(): `error` as the plugin filled it, or none (nullptr) when the
  // plugin has no add().
  CallError AddError(int status, const bmil_error* error) const;

  // For a plugin in a child (runner_process.hpp): one request and its reply.
  struct Remote;
  std::optional<CallError> AddRemote(const bmil_case_view& view, std::string_view encoded = {});
  // Collects the reply to the batch sent before, then sends the records waiting in the batch;
  // with `wait`, also collects the reply to that one.
  std::optional<CallError> FlushRemote(bool wait);
  CallResult<std::string> RemoteText(const char* call, std::string request);
  std::optional<CallError> RemoteStatus(const char* call, std::string request);

  const LoadedPlugin* plugin_;
  bmil_instance* instance_;
  std::unique_ptr<Remote> remote_;
};

// A plugin loaded into the process. Never unloaded during the run.
class LoadedPlugin {
 public:
  LoadedPlugin(std::filesystem::path path, Manifest manifest, const bmil_plugin* table)
      : path_(std::move(path)), manifest_(std::move(manifest)), table_(table) {}
  // A plugin running in a child process (`runner`, started from `file` with `limits`).
  LoadedPlugin(std::filesystem::path path, Manifest manifest, std::shared_ptr<RunnerProcess> runner,
               std::shared_ptr<const TrustedFile> file, IsolationLimits limits);
  ~LoadedPlugin();
  const std::filesystem::path& path() const { return path_; }
  const Manifest& manifest() const { return manifest_; }
  // For a plugin in a child: the file it was started from, and its limits.
  const TrustedFile* file() const { return file_.get(); }
  const IsolationLimits& limits() const { return limits_; }
  const std::string& id() const { return manifest_.id; }
  Isolation isolation() const { return file_ ? Isolation::kChild : Isolation::kInProcess; }
  // The entry table of an in-process plugin (none for one in a child).
  const bmil_plugin& table() const { return *table_; }
  // The child process of a plugin isolated in one (null for an in-process plugin). When the
  // child has died, a new one is started, at most IsolationLimits::max_restarts times in a
  // run (a circuit breaker: a plugin that keeps crashing is not restarted forever); past
  // that, or when the
  // new one cannot start, the dead one is returned and every call on it fails saying so.
  // Instances keep the child they were created in. Thread-safe.
  std::shared_ptr<RunnerProcess> LiveRunner() const;
  int restarts() const;
  // Whether the engines check, after each call of this in-process plugin, that it did not
  // write into the case view (model/view_guard.hpp): every in-process plugin but the
  // bundled ones, which are bmil's own code, tested not to (`bmil plugins check`), and would
  // pay about a fifth of a batch's time for it.
  bool guarded() const { return guarded_ && !file_; }
  void SetGuarded(bool guarded) { guarded_ = guarded; }
  bool is_line() const { return manifest_.kind == "line"; }
  bool is_analyzer() const { return manifest_.kind == "analyzer"; }
  bool is_model() const { return manifest_.kind == "model"; }

  // A new instance configured with `config_json` (a JSON object).
  CallResult<PluginInstance> Create(std::string_view config_json = "{}") const;

 private:
  std::filesystem::path path_;
  Manifest manifest_;
  const bmil_plugin* table_ = nullptr;
  // For a plugin in a child.
  std::shared_ptr<const TrustedFile> file_;
  IsolationLimits limits_;
  mutable std::mutex runner_mutex_;
  mutable std::shared_ptr<RunnerProcess> runner_;
  mutable int restarts_ = 0;
  bool guarded_ = true;
};

inline std::optional<CallError> PluginInstance::Add(const bmil_case_view& view) {
  if (remote_) [[unlikely]]
    return AddRemote(view);
  const bmil_plugin& t = plugin_->table();
  if (t.add == nullptr) return AddError(BMIL_ERROR_UNSUPPORTED, nullptr);
  // Only the code and the message's first byte are set, not the whole 512-byte buffer
  // (which cost more than a small analyzer's add). A failing plugin writes a terminated
  // message (bmil_error), and at most the buffer is read.
  bmil_error error;
  error.code = BMIL_OK;
  error.message[0] = '\0';
  const int status = t.add(instance_, &view, &error);
  if (status == BMIL_OK) [[likely]]
    return std::nullopt;
  return AddError(status, &error);
}

// Finds, checks and loads plugins. Thread-compatible: scan and load before the engine runs;
// afterwards the loaded plugins can be used from several threads (one instance per thread).
class PluginHost {
 public:
  // Scans `dirs` for plugin files (<dir>/*.so and <dir>/*/*.so) and reads each manifest
  // without running plugin code. Refuses, each with its path and reason: directories and
  // files that are group- or world-writable or owned by another user, files without a
  // readable manifest, manifests for another ABI, and every plugin whose id another also
  // claims. Missing directories are reported as problems and skipped.
  static PluginHost Scan(std::span<const std::filesystem::path> dirs);

  // Like Scan(), for exactly the given plugin files (e.g. one plugin under test together with
  // the bundled ones); the same checks and refusals apply.
  static PluginHost ScanFiles(std::span<const std::filesystem::path> files);

  // Sets how LoadAll() isolates each plugin (default: every plugin in-process, the scan
  // record in its default place).
  void SetIsolation(IsolationPolicy policy) { policy_ = std::move(policy); }
  const IsolationPolicy& isolation() const { return policy_; }

  // Loads every available plugin and checks its entry table against the host's ABI and its
  // manifest (id, version, kind): an in-process one with Boost.DLL (rtld_now | rtld_local),
  // one isolated in a child by starting its runner, which loads and checks it there. A
  // plugin that fails is refused with the reason; the others go on. Idempotent.
  void LoadAll();

  const std::vector<PluginRecord>& records() const { return records_; }
  const std::vector<ScanProblem>& problems() const { return problems_; }
  // Loaded plugins, in scan order.
  const std::vector<std::unique_ptr<LoadedPlugin>>& loaded() const { return loaded_; }
  const LoadedPlugin* Find(std::string_view id) const;

  // The ids cases may use: the built-in blocks, then the blocks of every plugin that is
  // available or loaded (in scan order), and their lines sorted by the manifest's "order"
  // then id. Read from manifests: no plugin code runs. Scan() has already refused plugins
  // whose ids clash or do not fit (BMIL_MAX_IDS), so nothing is dropped here.
  Registry MakeRegistry() const;

 private:
  // One file's record: safety, manifest, ABI. Runs no plugin code.
  static PluginRecord ReadRecord(const std::filesystem::path& file);
  // Refuses every plugin that claims an id another claims, a built-in block id, or ids past
  // the registry's capacity.
  void RefuseClashes();
  // Before `record` is loaded in-process: whether it may be, after loading it in a child
  // first unless `scan` says this file loaded there before; refuses it (with the reason)
  // and records a crash, hang or refusal in `scan` otherwise.
  bool FirstLoadInChild(PluginRecord& record, ScanRecord& scan);

  std::vector<PluginRecord> records_;
  std::vector<ScanProblem> problems_;
  std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
  // Default: in-process, with the default scan record (DefaultScanRecordPath()).
  IsolationPolicy policy_ = DefaultIsolationPolicy();
  static IsolationPolicy DefaultIsolationPolicy();
};

}  // namespace bmil

#endif  // BMIL_PLUGIN_HOST_HPP_
