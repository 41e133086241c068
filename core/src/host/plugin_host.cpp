// Loading plugins and calling them through the C ABI.
#include <bmil/plugin_host.hpp>

#include "host/reproducer.hpp"
#include "host/result_model.hpp"
#include "host/runner_process.hpp"
#include "host/scan_record.hpp"
#include "host/trusted_file.hpp"
#include "report/terminal_text.hpp"
#include "runner/entry_table.hpp"
#include "runner/wire.hpp"

#include <boost/dll/shared_library.hpp>

#include <cstring>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>

namespace bmil {
namespace {

// Plugins are never unloaded during a run (as OBS and LLVM do): code and statics of a
// plugin may still be referenced (atexit handlers, thread-locals, strings it returned).
// The libraries live here until the process ends; the pointer keeps them reachable.
std::vector<boost::dll::shared_library>& KeptLibraries() {
  static auto* libraries = new std::vector<boost::dll::shared_library>();
  return *libraries;
}
std::mutex& KeptLibrariesMutex() {
  static std::mutex mutex;
  return mutex;
}

// The most a plugin may write in one call (a result, a description, a saved state), and
// the deepest nesting of that JSON: documented in docs/plugin-guide.md ("Limits"). Past
// them the call is the plugin's failure; the memory a hostile plugin can take stays bounded.
constexpr std::size_t kMaxOutputBytes = wire::kMaxOutputBytes;
constexpr std::size_t kMaxOutputDepth = wire::kMaxOutputDepth;

// A bmil_sink that appends into a string, refusing output past kMaxOutputBytes.
struct StringSink {
  std::string text;
  bool overflowed = false;
  bmil_sink sink{this, &StringSink::Write};
  static int Write(void* context, const char* data, std::size_t size) {
    auto* self = static_cast<StringSink*>(context);
    if (data == nullptr && size > 0) return 1;
    if (self->overflowed || size > kMaxOutputBytes - self->text.size()) {
      self->overflowed = true;
      return 1;
    }
    self->text.append(data, size);
    return 0;
  }
};

const char* StatusText(int status) {
  switch (status) {
    case BMIL_ERROR_INVALID_ARGUMENT:
      return "invalid argument";
    case BMIL_ERROR_INVALID_STATE:
      return "invalid state";
    case BMIL_ERROR_UNSUPPORTED:
      return "unsupported";
    case BMIL_ERROR_OUT_OF_MEMORY:
      return "out of memory";
    case BMIL_ERROR_INTERNAL:
      return "internal error";
    default:
      return "unknown status";
  }
}

std::string MessageOf(const bmil_error& error) {
  return std::string(error.message, strnlen(error.message, sizeof(error.message)));
}

// Whether the plugin's table is large enough to hold the function pointer `field`.
#define BMIL_TABLE_HAS(table, field) BMIL_HAS_FIELD(bmil_plugin, &(table), field)

}  // namespace

const char* IsolationName(Isolation level) {
  return level == Isolation::kChild ? "child" : "in-process";
}

std::optional<Isolation> ParseIsolation(std::string_view name) {
  if (name == "child") return Isolation::kChild;
  if (name == "in-process") return Isolation::kInProcess;
  return std::nullopt;
}

bool IsolationPolicy::Bundled(const std::filesystem::path& path) const {
  if (bundled_dir.empty()) return false;
  // The plugin file lies in the installation's plugin directory (<dir>/x.so or <dir>/x/x.so,
  // as a scan finds them), compared by the directory's identity, not its spelling.
  std::error_code ec;
  const auto parent = path.parent_path();
  return std::filesystem::equivalent(parent, bundled_dir, ec) ||
         std::filesystem::equivalent(parent.parent_path(), bundled_dir, ec);
}

Isolation IsolationPolicy::For(std::string_view id, const std::filesystem::path& path) const {
  for (const auto& [plugin, level] : per_plugin) {
    if (plugin == id) return level;
  }
  if (all) return *all;
  return Bundled(path) ? Isolation::kInProcess : Isolation::kChild;
}

std::string CallError::ToString() const {
  std::string out = "plugin \"" + plugin + "\": " + call + " failed";
  if (status != 0) out += std::string(" (") + StatusText(status) + ")";
  return out + ": " + message;
}

namespace {

// The error of a call to a table entry the plugin leaves null.
CallError Unsupported(const LoadedPlugin& plugin, const char* call) {
  return CallError{plugin.id(), call, BMIL_ERROR_UNSUPPORTED,
                   "the plugin does not provide this call"};
}

// The failure of an output nested deeper than kMaxOutputDepth.
std::optional<CallError> DepthProblem(const LoadedPlugin& plugin, const char* call,
                                      std::string_view text) {
  if (const std::size_t depth = JsonNestingDepth(text); depth > kMaxOutputDepth) {
    return CallError{plugin.id(), call, 0,
                     "output nested " + std::to_string(depth) + " deep, more than the limit of " +
                         std::to_string(kMaxOutputDepth)};
  }
  return std::nullopt;
}

// Calls `fn` (a table entry taking (..., bmil_sink*, bmil_error*)) and parses its output.
template <typename Fn, typename... Args>
CallResult<std::string> CallForText(const LoadedPlugin& plugin, const char* call, Fn fn,
                                    Args... args) {
  if (fn == nullptr) return Unsupported(plugin, call);
  StringSink out;
  bmil_error error{};
  const int status = fn(args..., &out.sink, &error);
  if (out.overflowed) {
    return CallError{plugin.id(), call, BMIL_ERROR_OUT_OF_MEMORY,
                     "output larger than the limit of " + std::to_string(kMaxOutputBytes >> 20) +
                         " MiB (" + std::to_string(kMaxOutputBytes) + " bytes)"};
  }
  if (status != BMIL_OK) return CallError{plugin.id(), call, status, MessageOf(error)};
  if (auto problem = DepthProblem(plugin, call, out.text)) return *problem;
  return std::move(out.text);
}

CallResult<nlohmann::json> ToJson(const LoadedPlugin& plugin, const char* call,
                                  CallResult<std::string> text) {
  if (auto* error = std::get_if<CallError>(&text)) return *error;
  try {
    return nlohmann::json::parse(std::get<std::string>(text));
  } catch (const nlohmann::json::exception& e) {
    return CallError{plugin.id(), call, 0, std::string("output is not valid JSON: ") + e.what()};
  }
}

std::optional<CallError> Check(const LoadedPlugin& plugin, const char* call, int status,
                               const bmil_error& error) {
  if (status == BMIL_OK) return std::nullopt;
  return CallError{plugin.id(), call, status, MessageOf(error)};
}

}  // namespace

// ------------------------------------------------------------------------- PluginInstance

// The state of an instance that lives in the plugin's child process.
struct PluginInstance::Remote {
  std::shared_ptr<RunnerProcess> runner;  // the child the instance lives in
  std::uint64_t handle = 0;
  // The kAddBatch request being filled: the records not sent yet.
  std::string batch;
  std::size_t batch_begin = 0;
  std::uint32_t batch_count = 0;
  std::vector<std::string> batch_cases;  // their case ids, to name a failing one
  std::uint64_t cases_sent = 0;          // cases added before this batch
  // The batch sent last, whose reply is not collected yet (the host goes on meanwhile).
  std::optional<std::uint64_t> pending;
  std::vector<std::string> pending_cases;
  std::uint64_t pending_base = 0;  // cases added before it
  // An add that failed in an earlier batch: every later call reports it.
  std::optional<CallError> failed;
  std::string config;           // the instance's create() configuration
  std::string pending_request;  // the batch sent last, for a reproducer
};

namespace {

// A batch goes to the child when it holds this many records or bytes (or before any other
// call): large enough that a record costs a fraction of a round trip, small enough that the
// host's copy of it stays small.
constexpr std::uint32_t kBatchRecords = 64;
constexpr std::size_t kBatchBytes = std::size_t{4} << 20;

// A request frame under construction.
class Request {
 public:
  explicit Request(wire::Message type) : begin_(wire::BeginFrame(bytes_, type)) {}
  wire::Writer& out() { return writer_; }
  std::string Done() && {
    wire::FinishFrame(bytes_, begin_);
    return std::move(bytes_);
  }

 private:
  std::string bytes_;
  std::size_t begin_;
  wire::Writer writer_{bytes_};
};

std::string Ordinal(std::uint64_t n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

// A reply frame read as one of the expected types; anything else is the plugin's failure.
struct Reply {
  wire::Message type{};
  std::string payload;  // the frame: type byte, then the body
  // Computed, never stored: a short payload lives inside the string object itself, so a view
  // kept across a move of the Reply would point into the moved-from object.
  std::string_view body() const { return std::string_view(payload).substr(1); }
};

}  // namespace

PluginInstance::PluginInstance(const LoadedPlugin* plugin, bmil_instance* instance)
    : plugin_(plugin), instance_(instance) {}

PluginInstance::PluginInstance(const LoadedPlugin* plugin, std::shared_ptr<RunnerProcess> runner,
                               std::uint64_t remote_handle, std::string config)
    : plugin_(plugin), instance_(nullptr), remote_(std::make_unique<Remote>()) {
  remote_->runner = std::move(runner);
  remote_->handle = remote_handle;
  remote_->config = std::move(config);
}

PluginInstance::PluginInstance(PluginInstance&& other) noexcept
    : plugin_(other.plugin_), instance_(other.instance_), remote_(std::move(other.remote_)) {
  other.instance_ = nullptr;
}

PluginInstance& PluginInstance::operator=(PluginInstance&& other) noexcept {
  if (this != &other) {
    Reset();
    plugin_ = other.plugin_;
    instance_ = other.instance_;
    remote_ = std::move(other.remote_);
    other.instance_ = nullptr;
  }
  return *this;
}

PluginInstance::~PluginInstance() { Reset(); }

void PluginInstance::Reset() {
  if (remote_) {
    RunnerProcess* runner = remote_->runner.get();
    if (remote_->pending) runner->Collect(*remote_->pending);  // the outcome no longer matters
    if (runner != nullptr && !runner->dead()) {
      Request request(wire::Message::kDestroy);
      request.out().U64(remote_->handle);
      runner->Call(std::move(request).Done(), 1);
    }
    remote_.reset();
    return;
  }
  if (instance_ != nullptr && plugin_->table().destroy != nullptr) {
    plugin_->table().destroy(instance_);
  }
  instance_ = nullptr;
}

namespace {

// What a reproducer of a call needs besides the plugin: the request sent, the instance's
// configuration, and for a batch the cases it held and how many came before.
struct ReproSource {
  std::string_view request;
  std::string_view config = "{}";
  const std::vector<std::string>* cases = nullptr;  // a batch's case ids
  std::uint64_t cases_before = 0;
};

// Writes the reproducer of `call`, which `death` ended, when the plugin's limits name a
// directory; returns the words to add to the failure ("; reproducer: PATH ...").
std::string WriteReproducer(const LoadedPlugin& plugin, const char* call,
                            const RunnerProcess::Death& death, const ReproSource& source) {
  const TrustedFile* file = plugin.file();
  if (file == nullptr || plugin.limits().reproducer_dir.empty()) return "";
  Reproducer r;
  r.bmil_version = BMIL_VERSION;
  r.when = IsoUtc(std::time(nullptr));
  r.plugin = plugin.id();
  r.version = plugin.manifest().version;
  r.kind = plugin.manifest().kind;
  r.path = file->real_path().string();
  if (auto id = FileIdentity::Of(file->fd(), file->status(), r.path)) {
    r.size = id.value().size;
    r.xxh3 = id.value().xxh3;
  }
  r.call = call;
  r.what = "the plugin's process " + death.what;
  r.config = std::string(source.config);
  r.cases_before = source.cases_before;
  if (std::string_view(call) == "add") {
    const std::uint64_t index = death.call_index.value_or(0);
    r.request = OneRecordOfBatch(source.request, index);
    if (source.cases != nullptr && index < source.cases->size()) r.case_id = (*source.cases)[index];
    r.cases_before += index;
    if (r.request.empty()) return "";
  } else if (std::string_view(call) != "create") {
    r.request = std::string(source.request);
  }
  auto saved = SaveReproducer(r, plugin.limits().reproducer_dir);
  if (!saved) return "; no reproducer was written: " + saved.error();
  const std::string path = saved.value().string();
  return "; reproducer: " + path + " (run it again: bmil plugins replay " + path + ")";
}

// The child's answer to a request as a reply or the plugin's failure: a child that died,
// hung or sent something malformed is the plugin's failure; `on_case` names the case a
// death or an error happened on, from the index of the call that was running. A death
// leaves a reproducer of the call made from `source`, when given.
CallResult<Reply> Interpret(const LoadedPlugin& plugin, const char* call,
                            std::variant<std::string, RunnerProcess::Death> answer,
                            const std::function<std::string(std::uint64_t)>& on_case = {},
                            const ReproSource* source = nullptr) {
  if (auto* death = std::get_if<RunnerProcess::Death>(&answer)) {
    std::string message = "the plugin's process " + death->what;
    if (on_case && death->call_index) message += on_case(*death->call_index);
    if (source != nullptr && !death->what.starts_with("had already ended")) {
      message += WriteReproducer(plugin, call, *death, *source);
    }
    CallError error{plugin.id(), call, 0, std::move(message)};
    error.process_ended = true;
    if (on_case) error.case_index = death->call_index;
    return error;
  }
  Reply reply;
  reply.payload = std::get<std::string>(std::move(answer));
  wire::Frame frame;
  if (!wire::ParseFrame(reply.payload, frame)) {
    return CallError{plugin.id(), call, 0, "the plugin's process sent an empty reply"};
  }
  reply.type = frame.type;
  if (reply.type == wire::Message::kError) {
    wire::Reader in(reply.body());
    const auto status = static_cast<int>(in.U32());
    std::string message(in.Str());
    const std::uint32_t record = in.U32();
    if (on_case) message += on_case(record);
    CallError error{plugin.id(), call, status, std::move(message)};
    if (on_case) error.case_index = record;
    return error;
  }
  return reply;
}

// Sends `request` to `plugin`'s child and reads the reply (Interpret); the instance's
// `config` goes into a reproducer.
CallResult<Reply> Exchange(const LoadedPlugin& plugin, RunnerProcess& runner, const char* call,
                           std::string request, std::uint64_t calls,
                           std::string_view config = "{}") {
  auto answer = runner.Call(request, calls);
  const ReproSource source{request, config};
  return Interpret(plugin, call, std::move(answer), {}, &source);
}

// The reply's text (a kText), or the failure.
CallResult<std::string> ReplyText(const LoadedPlugin& plugin, const char* call,
                                  CallResult<Reply> reply) {
  if (auto* error = std::get_if<CallError>(&reply)) return *error;
  const Reply& r = std::get<Reply>(reply);
  wire::Reader in(r.body());
  std::string text(in.Str());
  if (r.type != wire::Message::kText || in.failed()) {
    return CallError{plugin.id(), call, 0, "the plugin's process sent a malformed reply"};
  }
  if (auto problem = DepthProblem(plugin, call, text)) return *problem;
  return text;
}

std::optional<CallError> ReplyOk(const LoadedPlugin& plugin, const char* call,
                                 CallResult<Reply> reply) {
  if (auto* error = std::get_if<CallError>(&reply)) return *error;
  if (std::get<Reply>(reply).type != wire::Message::kOk) {
    return CallError{plugin.id(), call, 0, "the plugin's process sent a malformed reply"};
  }
  return std::nullopt;
}

}  // namespace

CallResult<std::string> PluginInstance::RemoteText(const char* call, std::string request) {
  if (auto error = FlushRemote(/*wait=*/true)) return *error;
  return ReplyText(
      *plugin_, call,
      Exchange(*plugin_, *remote_->runner, call, std::move(request), 1, remote_->config));
}

std::optional<CallError> PluginInstance::RemoteStatus(const char* call, std::string request) {
  if (auto error = FlushRemote(/*wait=*/true)) return error;
  return ReplyOk(
      *plugin_, call,
      Exchange(*plugin_, *remote_->runner, call, std::move(request), 1, remote_->config));
}

std::optional<CallError> PluginInstance::AddRemote(const bmil_case_view& view,
                                                   std::string_view encoded) {
  Remote& r = *remote_;
  if (r.failed) return r.failed;
  if (r.batch_count == 0) {
    r.batch.clear();
    r.batch_begin = wire::BeginFrame(r.batch, wire::Message::kAddBatch);
    wire::Writer w(r.batch);
    w.U64(r.handle);
    w.U32(0);  // the count, set when the batch is sent
  }
  if (encoded.empty()) {
    wire::Writer w(r.batch);
    wire::EncodeView(view, w);
  } else {
    r.batch.append(encoded);
  }
  r.batch_cases.emplace_back(view.id.size ? view.id.data : "", view.id.size);
  ++r.batch_count;
  if (r.batch_count >= kBatchRecords || r.batch.size() >= kBatchBytes) {
    return FlushRemote(/*wait=*/false);
  }
  return std::nullopt;
}

std::optional<CallError> PluginInstance::AddEncoded(const bmil_case_view& view,
                                                    std::string_view encoded) {
  if (!remote_) return Add(view);
  return AddRemote(view, encoded);
}

std::optional<CallError> PluginInstance::FlushRemote(bool wait) {
  Remote& r = *remote_;
  if (r.failed) return r.failed;
  // The batch sent before: its outcome first, in order.
  if (r.pending) {
    const std::uint64_t base = r.pending_base;
    auto on_case = [&](std::uint64_t index) -> std::string {
      if (index >= r.pending_cases.size()) return "";
      return " (on case \"" + TerminalSafe(r.pending_cases[index]) + "\", the " +
             Ordinal(base + index + 1) + " case given to this instance)";
    };
    const ReproSource source{r.pending_request, r.config, &r.pending_cases, base};
    auto error =
        ReplyOk(*plugin_, "add",
                Interpret(*plugin_, "add", r.runner->Collect(*r.pending), on_case, &source));
    r.pending.reset();
    r.pending_cases.clear();
    r.pending_request.clear();
    if (error) {
      if (error->case_index) *error->case_index += base;  // counted over the instance's life
      r.failed = error;
      return error;
    }
  }
  if (r.batch_count == 0) return std::nullopt;
  // The count sits after the frame's length (4), type (1) and handle (8).
  std::memcpy(r.batch.data() + r.batch_begin + 4 + 1 + 8, &r.batch_count, 4);
  wire::FinishFrame(r.batch, r.batch_begin);
  r.pending = r.runner->Post(r.batch, r.batch_count);
  r.pending_base = r.cases_sent;
  r.pending_cases.swap(r.batch_cases);
  r.cases_sent += r.batch_count;
  r.batch_count = 0;
  r.batch_cases.clear();
  r.pending_request.swap(r.batch);  // kept for a reproducer until the reply arrives
  r.batch.clear();
  return wait ? FlushRemote(/*wait=*/true) : std::nullopt;
}

std::uint64_t PluginInstance::cases_added() const {
  return remote_ ? remote_->cases_sent + remote_->batch_count : 0;
}

bool PluginInstance::process_ended() const { return remote_ && remote_->runner->dead(); }

std::optional<CallError> PluginInstance::Flush() {
  if (!remote_) return std::nullopt;
  return FlushRemote(/*wait=*/true);
}

CallError PluginInstance::AddError(int status, const bmil_error* error) const {
  if (error == nullptr) return Unsupported(*plugin_, "add");
  return *Check(*plugin_, "add", status, *error);
}

CallResult<nlohmann::json> PluginInstance::Describe() {
  if (remote_) {
    Request request(wire::Message::kDescribe);
    request.out().U64(remote_->handle);
    return ToJson(*plugin_, "describe", RemoteText("describe", std::move(request).Done()));
  }
  const auto& t = plugin_->table();
  return ToJson(*plugin_, "describe", CallForText(*plugin_, "describe", t.describe, instance_));
}

namespace {

std::string ModelRequest(wire::Message type, std::uint64_t handle, const bmil_case_view& view,
                         uint32_t bm) {
  Request request(type);
  request.out().U64(handle);
  request.out().U32(bm);
  wire::EncodeView(view, request.out());
  return std::move(request).Done();
}

}  // namespace

CallResult<nlohmann::json> PluginInstance::Assess(const bmil_case_view& view, uint32_t bm) {
  if (remote_) {
    return ToJson(
        *plugin_, "assess",
        RemoteText("assess", ModelRequest(wire::Message::kAssess, remote_->handle, view, bm)));
  }
  const auto& t = plugin_->table();
  return ToJson(*plugin_, "assess",
                CallForText(*plugin_, "assess", t.assess, instance_, &view, bm));
}

CallResult<nlohmann::json> PluginInstance::Propose(const bmil_case_view& view, uint32_t bm) {
  if (remote_) {
    return ToJson(
        *plugin_, "propose",
        RemoteText("propose", ModelRequest(wire::Message::kPropose, remote_->handle, view, bm)));
  }
  const auto& t = plugin_->table();
  return ToJson(*plugin_, "propose",
                CallForText(*plugin_, "propose", t.propose, instance_, &view, bm));
}

std::optional<CallError> PluginInstance::Merge(PluginInstance& other) {
  if (other.plugin_ != plugin_) {
    return CallError{plugin_->id(), "merge", BMIL_ERROR_INVALID_ARGUMENT,
                     "cannot merge an instance of plugin \"" + other.plugin_->id() + "\""};
  }
  if (remote_) {
    if (auto error = other.FlushRemote(/*wait=*/true)) return error;
    if (other.remote_->runner != remote_->runner) {
      // Handles name instances within one child: never send one to another child. After a
      // restart, an instance of the child that died cannot be merged (its state is gone).
      const bool ended = other.remote_->runner->dead() || remote_->runner->dead();
      CallError error{plugin_->id(), "merge", 0,
                      ended ? "the plugin's process had already ended (the instance's state "
                              "was lost with it)"
                            : "the instances live in different processes"};
      error.process_ended = ended;
      return error;
    }
    Request request(wire::Message::kMerge);
    request.out().U64(remote_->handle);
    request.out().U64(other.remote_->handle);
    return RemoteStatus("merge", std::move(request).Done());
  }
  const auto& t = plugin_->table();
  if (t.merge == nullptr) return Unsupported(*plugin_, "merge");
  bmil_error error{};
  return Check(*plugin_, "merge", t.merge(instance_, other.instance_, &error), error);
}

CallResult<nlohmann::json> PluginInstance::Finish() {
  CallResult<nlohmann::json> result = CallError{};
  if (remote_) {
    Request request(wire::Message::kFinish);
    request.out().U64(remote_->handle);
    result = ToJson(*plugin_, "finish", RemoteText("finish", std::move(request).Done()));
  } else {
    const auto& t = plugin_->table();
    result = ToJson(*plugin_, "finish", CallForText(*plugin_, "finish", t.finish, instance_));
  }
  if (auto* json = std::get_if<nlohmann::json>(&result)) {
    // Checked as it arrives: a result that breaks the model is this plugin's failure, and
    // no renderer ever meets it.
    if (std::string problem = ResultModelProblem(*json, plugin_->id()); !problem.empty()) {
      return CallError{
          plugin_->id(), "finish", 0,
          "the result breaks the result model (docs/schema/result.schema.json): " + problem};
    }
  }
  return result;
}

CallResult<std::string> PluginInstance::Save() {
  if (remote_) {
    Request request(wire::Message::kSave);
    request.out().U64(remote_->handle);
    return RemoteText("save", std::move(request).Done());
  }
  const auto& t = plugin_->table();
  return CallForText(*plugin_, "save", t.save, instance_);
}

std::optional<CallError> PluginInstance::Load(std::string_view state) {
  if (remote_) {
    // A load replaces the state: an earlier failed add, or records not sent, no longer matter.
    if (remote_->pending) remote_->runner->Collect(*remote_->pending);
    remote_->pending.reset();
    remote_->pending_cases.clear();
    remote_->failed.reset();
    remote_->batch_count = 0;
    remote_->batch_cases.clear();
    Request request(wire::Message::kLoad);
    request.out().U64(remote_->handle);
    request.out().Str(state);
    return RemoteStatus("load", std::move(request).Done());
  }
  const auto& t = plugin_->table();
  if (t.load == nullptr) return Unsupported(*plugin_, "load");
  bmil_error error{};
  return Check(*plugin_, "load", t.load(instance_, state.data(), state.size(), &error), error);
}

// --------------------------------------------------------------------------- LoadedPlugin

CallResult<nlohmann::json> PluginInstance::Prepare(const bmil_case_view& view,
                                                   std::int32_t first_year, std::uint32_t years) {
  if (remote_) {
    Request request(wire::Message::kPrepare);
    request.out().U64(remote_->handle);
    request.out().I32(first_year);
    request.out().U32(years);
    wire::EncodeView(view, request.out());
    return ToJson(*plugin_, "prepare", RemoteText("prepare", std::move(request).Done()));
  }
  const bmil_model_setup setup{sizeof(bmil_model_setup), &view, first_year, years};
  const auto& t = plugin_->table();
  return ToJson(*plugin_, "prepare",
                CallForText(*plugin_, "prepare", t.prepare, instance_, &setup));
}

namespace {

// Draws per kEvaluate request: the reply (draws x outputs values) stays within 8 MiB, well
// inside a reply frame, and a request is at most 4,096 draws so a slow model still shows
// progress.
std::size_t DrawsPerRequest(std::size_t out_per_draw) {
  const std::size_t by_bytes =
      (std::size_t{8} << 20) / (std::max<std::size_t>(out_per_draw, 1) * 8);
  return std::clamp<std::size_t>(by_bytes, 1, 4096);
}

}  // namespace

std::optional<CallError> PluginInstance::Evaluate(std::span<const double> drivers,
                                                  std::size_t driver_count, std::span<double> out,
                                                  std::size_t out_per_draw) {
  const std::size_t draws = driver_count == 0 ? out.size() / std::max<std::size_t>(out_per_draw, 1)
                                              : drivers.size() / driver_count;
  if (drivers.size() != draws * driver_count || out.size() != draws * out_per_draw) {
    return CallError{plugin_->id(), "evaluate", BMIL_ERROR_INVALID_ARGUMENT,
                     "the host passed inconsistent sizes (a bug in bmil)"};
  }
  auto on_draw = [](std::uint64_t d) { return " (on draw " + std::to_string(d + 1) + ")"; };
  if (remote_) {
    if (auto error = FlushRemote(/*wait=*/true)) return error;
    const std::size_t per = DrawsPerRequest(out_per_draw);
    for (std::size_t first = 0; first < draws; first += per) {
      const std::size_t n = std::min(per, draws - first);
      Request request(wire::Message::kEvaluate);
      request.out().U64(remote_->handle);
      request.out().U32(static_cast<std::uint32_t>(n));
      request.out().U32(static_cast<std::uint32_t>(driver_count));
      request.out().U32(static_cast<std::uint32_t>(out_per_draw));
      for (std::size_t i = first * driver_count; i < (first + n) * driver_count; ++i)
        request.out().F64(drivers[i]);
      std::string bytes = std::move(request).Done();
      auto answer = remote_->runner->Call(bytes, n);
      // No reproducer: an evaluate replays only on a prepared instance (prepare's reproducer
      // covers a crash there).
      auto on_case = [&](std::uint64_t d) { return on_draw(first + d); };
      auto reply = Interpret(*plugin_, "evaluate", std::move(answer), on_case);
      if (auto* error = std::get_if<CallError>(&reply)) {
        error->case_index.reset();
        return *error;
      }
      const Reply& r = std::get<Reply>(reply);
      wire::Reader in(r.body());
      const std::uint32_t count = r.type == wire::Message::kValues ? in.Count(8) : 0;
      if (r.type != wire::Message::kValues || count != n * out_per_draw) {
        return CallError{plugin_->id(), "evaluate", 0,
                         "the plugin's process sent a malformed reply"};
      }
      for (std::size_t i = 0; i < count; ++i) out[first * out_per_draw + i] = in.F64();
      if (in.failed() || in.remaining() != 0) {
        return CallError{plugin_->id(), "evaluate", 0,
                         "the plugin's process sent a malformed reply"};
      }
    }
    return std::nullopt;
  }
  const auto& t = plugin_->table();
  if (t.evaluate == nullptr) return Unsupported(*plugin_, "evaluate");
  for (std::size_t d = 0; d < draws; ++d) {
    bmil_error error;
    error.code = BMIL_OK;
    error.message[0] = '\0';
    const int status = t.evaluate(instance_, drivers.data() + d * driver_count, driver_count,
                                  out.data() + d * out_per_draw, out_per_draw, &error);
    if (status != BMIL_OK) {
      CallError e = *Check(*plugin_, "evaluate", status, error);
      e.message += on_draw(d);
      return e;
    }
  }
  return std::nullopt;
}

LoadedPlugin::LoadedPlugin(std::filesystem::path path, Manifest manifest,
                           std::shared_ptr<RunnerProcess> runner,
                           std::shared_ptr<const TrustedFile> file, IsolationLimits limits)
    : path_(std::move(path)),
      manifest_(std::move(manifest)),
      file_(std::move(file)),
      limits_(limits),
      runner_(std::move(runner)) {}

LoadedPlugin::~LoadedPlugin() = default;

std::shared_ptr<RunnerProcess> LoadedPlugin::LiveRunner() const {
  std::lock_guard lock(runner_mutex_);
  if (runner_ && runner_->dead() && restarts_ < limits_.max_restarts) {
    ++restarts_;
    auto started = RunnerProcess::Start(FindRunner(), *file_, manifest_, limits_);
    if (started) runner_ = std::move(started).value();
  }
  return runner_;
}

int LoadedPlugin::restarts() const {
  std::lock_guard lock(runner_mutex_);
  return restarts_;
}

CallResult<PluginInstance> LoadedPlugin::Create(std::string_view config_json) const {
  if (file_) {
    std::shared_ptr<RunnerProcess> runner;
    CallResult<Reply> reply = CallError{};
    // A child can die between LiveRunner() (which restarts a child known to be dead) and the
    // request: the death is then noticed by the request itself, and one more try gets a
    // new child. (Seen as a flaky batch test: an instance created right after another
    // instance's record crashed the child found it "had already ended".)
    for (int attempt = 0; attempt < 2; ++attempt) {
      runner = LiveRunner();
      if (runner->dead() && restarts() >= limits_.max_restarts) {
        return CallError{id(), "create", 0,
                         "the plugin's process failed " + std::to_string(limits_.max_restarts + 1) +
                             " times in this run; it is not restarted again (--max-restarts " +
                             std::to_string(limits_.max_restarts) + ")"};
      }
      const bool was_dead = runner->dead();
      Request request(wire::Message::kCreate);
      request.out().Str(config_json);
      reply = Exchange(*this, *runner, "create", std::move(request).Done(), 1, config_json);
      const auto* error = std::get_if<CallError>(&reply);
      if (error == nullptr || !error->process_ended || was_dead) break;
    }
    if (auto* error = std::get_if<CallError>(&reply)) return *error;
    wire::Reader in(std::get<Reply>(reply).body());
    const std::uint64_t handle = in.U64();
    if (std::get<Reply>(reply).type != wire::Message::kHandle || in.failed()) {
      return CallError{id(), "create", 0, "the plugin's process sent a malformed reply"};
    }
    return PluginInstance(this, std::move(runner), handle, std::string(config_json));
  }
  if (table_->create == nullptr) {
    return CallError{id(), "create", BMIL_ERROR_UNSUPPORTED, "the plugin does not provide create"};
  }
  bmil_instance* instance = nullptr;
  bmil_error error{};
  const int status = table_->create(config_json.data(), config_json.size(), &instance, &error);
  if (status != BMIL_OK) return CallError{id(), "create", status, MessageOf(error)};
  if (instance == nullptr) return CallError{id(), "create", 0, "create returned no instance"};
  return PluginInstance(this, instance);
}

// ----------------------------------------------------------------------------- PluginHost

const LoadedPlugin* PluginHost::Find(std::string_view id) const {
  for (const auto& p : loaded_) {
    if (p->id() == id) return p.get();
  }
  return nullptr;
}

bool PluginHost::FirstLoadInChild(PluginRecord& record, ScanRecord& scan) {
  const Manifest& manifest = *record.manifest;
  const TrustedFile& file = *record.file;
  // The same file as recorded, by stat: no need to read it. Otherwise by content (a file
  // only touched keeps its verdict, and its entry is brought up to date).
  const ScanEntry* seen =
      scan.FindByStat(FileIdentity::Stat(file.status(), file.real_path().string()));
  std::optional<FileIdentity> hashed;
  if (seen == nullptr) {
    auto identity = FileIdentity::Of(file.fd(), file.status(), file.real_path().string());
    if (!identity) {
      record.status = PluginRecord::Status::kRefused;
      record.reason = identity.error();
      return false;
    }
    hashed = std::move(identity).value();
    if (const ScanEntry* same = scan.Find(*hashed)) {
      ScanEntry updated = *same;
      updated.file = *hashed;
      scan.Put(std::move(updated));
      seen = scan.Find(*hashed);
    }
  }
  const FileIdentity& id = seen != nullptr ? seen->file : *hashed;
  if (seen != nullptr) {
    // A file whose entry table was refused there loaded without harm: loading it here
    // gives the same refusal, with the in-process wording.
    if (seen->verdict == ScanVerdict::kLoads || seen->verdict == ScanVerdict::kRefused) {
      record.first_load = "loaded in a child on " + seen->when + " (scan record)";
      return true;
    }
    record.status = PluginRecord::Status::kRefused;
    record.reason = std::string(seen->verdict == ScanVerdict::kHung ? "hung" : "crashed") +
                    " when first loaded in a child on " + seen->when + " (" + seen->why +
                    "); not loaded again until the file changes (size " + std::to_string(id.size) +
                    ", modified " + IsoUtc(id.mtime_ns / 1'000'000'000) + ", xxh3-128 " + id.xxh3 +
                    ") or `bmil plugins doctor --clear " + manifest.id + "` forgets it";
    return false;
  }
  const std::filesystem::path runner = FindRunner();
  if (runner.empty()) {
    record.first_load = "not loaded in a child first: the plugin runner was not found";
    return true;
  }
  ScanEntry entry;
  entry.file = id;
  entry.bmil_version = BMIL_VERSION;
  entry.plugin = manifest.id;
  entry.version = manifest.version;
  entry.when = IsoUtc(std::time(nullptr));
  RunnerProcess::Death death;  // what stays empty unless the child died or hung
  auto started = RunnerProcess::Start(runner, file, manifest, policy_.limits, &death);
  if (started) {
    started.value().reset();  // shuts the child down
    entry.verdict = ScanVerdict::kLoads;
    record.first_load = "loaded in a child first";
    scan.Put(std::move(entry));
    return true;
  }
  entry.verdict = death.what.empty() ? ScanVerdict::kRefused
                  : death.hung       ? ScanVerdict::kHung
                                     : ScanVerdict::kCrashed;
  entry.why = started.error();
  if (entry.verdict == ScanVerdict::kRefused) {
    // It loaded without harm and only its table failed the checks, which the load here
    // repeats (and words as every in-process refusal).
    record.first_load = "loaded in a child first (its table was refused there)";
    scan.Put(std::move(entry));
    return true;
  }
  record.status = PluginRecord::Status::kRefused;
  record.reason = "failed when first loaded in a child: " + entry.why +
                  "; recorded, it is not loaded again until the file changes or `bmil plugins "
                  "doctor --clear " +
                  manifest.id + "` forgets it";
  scan.Put(std::move(entry));
  return false;
}

IsolationPolicy PluginHost::DefaultIsolationPolicy() {
  IsolationPolicy policy{Isolation::kInProcess, {}, {}, {}, {}, true};
  policy.scan_record = DefaultScanRecordPath();
  return policy;
}

void PluginHost::LoadAll() {
  std::optional<ScanRecord> scan;  // read when the first in-process plugin needs it
  for (auto& record : records_) {
    if (record.status != PluginRecord::Status::kAvailable) continue;
    const Manifest& manifest = *record.manifest;
    auto refuse = [&](std::string reason) {
      record.status = PluginRecord::Status::kRefused;
      record.reason = std::move(reason);
    };

    if (!record.file) {
      refuse("the plugin file was not opened and checked when it was scanned");
      continue;
    }
    if (policy_.For(manifest.id, record.path) == Isolation::kChild) {
      // Its code never runs in this process: the runner loads and checks it.
      auto started = RunnerProcess::Start(FindRunner(), *record.file, manifest, policy_.limits);
      if (!started) {
        refuse(started.error());
        continue;
      }
      record.status = PluginRecord::Status::kLoaded;
      record.isolation = Isolation::kChild;
      loaded_.push_back(std::make_unique<LoadedPlugin>(
          record.path, manifest, std::move(started).value(), record.file, policy_.limits));
      continue;
    }
    if (!scan) {
      std::string note;
      scan = ScanRecord::Read(policy_.scan_record, &note);
      if (!note.empty()) problems_.push_back({policy_.scan_record, note});
    }
    if (policy_.first_load_in_child && !FirstLoadInChild(record, *scan)) continue;
    boost::dll::shared_library library;
    try {
      // The file checked at scan time, by its open descriptor: a file renamed over the path
      // since then is not the one loaded.
      library.load(boost::dll::fs::path(record.file->LoadPath()),
                   boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
      refuse(std::string("cannot load: ") + e.what());
      continue;
    }
    if (!library.has(BMIL_ENTRY_SYMBOL)) {
      refuse("no entry symbol " BMIL_ENTRY_SYMBOL " (build it with BMIL_PLUGIN or export it)");
      continue;
    }
    auto& entry =
        library.get<const bmil_plugin*(const bmil_host_info*, bmil_error*)>(BMIL_ENTRY_SYMBOL);
    const bmil_host_info host_info{sizeof(bmil_host_info), BMIL_ABI_MAJOR, BMIL_ABI_MINOR,
                                   BMIL_VERSION};
    bmil_error error{};
    const bmil_plugin* table = entry(&host_info, &error);
    bmil_plugin copy{};
    const ExpectedTable expected{manifest.id, manifest.version, KindCode(manifest.kind)};
    if (std::string problem = CheckEntryTable(table, error, expected, copy); !problem.empty()) {
      refuse(std::move(problem));
      continue;
    }
    auto* stored = new bmil_plugin(copy);  // lives as long as the library (the whole run)
    {
      std::lock_guard lock(KeptLibrariesMutex());
      KeptLibraries().push_back(std::move(library));
      // The descriptor too: its number must not be reused while the library is loaded.
      static auto* files = new std::vector<std::shared_ptr<const TrustedFile>>();
      files->push_back(record.file);
      static auto* tables = new std::vector<const bmil_plugin*>();
      tables->push_back(stored);
    }
    record.status = PluginRecord::Status::kLoaded;
    loaded_.push_back(std::make_unique<LoadedPlugin>(record.path, manifest, stored));
    loaded_.back()->SetGuarded(!policy_.Bundled(record.path));
  }
  if (scan) {
    if (auto saved = scan->Save(); !saved) {
      problems_.push_back({scan->path(), "cannot save the scan record: " + saved.error()});
    }
  }
}

}  // namespace bmil
