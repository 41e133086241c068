// Loading plugins and calling them through the C ABI.
#include <bmil/plugin_host.hpp>

#include "host/result_model.hpp"
#include "host/trusted_file.hpp"

#include <boost/dll/shared_library.hpp>

#include <cstring>
#include <mutex>

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
constexpr std::size_t kMaxOutputBytes = std::size_t{32} << 20;
constexpr std::size_t kMaxOutputDepth = 64;

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

std::string CallError::ToString() const {
  std::string out = "plugin \"" + plugin + "\": " + call + " failed";
  if (status != 0) out += std::string(" (") + StatusText(status) + ")";
  return out + ": " + message;
}

// ------------------------------------------------------------------------- PluginInstance

PluginInstance::PluginInstance(PluginInstance&& other) noexcept
    : plugin_(other.plugin_), instance_(other.instance_) {
  other.instance_ = nullptr;
}

PluginInstance& PluginInstance::operator=(PluginInstance&& other) noexcept {
  if (this != &other) {
    Reset();
    plugin_ = other.plugin_;
    instance_ = other.instance_;
    other.instance_ = nullptr;
  }
  return *this;
}

PluginInstance::~PluginInstance() { Reset(); }

void PluginInstance::Reset() {
  if (instance_ != nullptr && plugin_->table().destroy != nullptr) {
    plugin_->table().destroy(instance_);
  }
  instance_ = nullptr;
}

namespace {

// The error of a call to a table entry the plugin leaves null.
CallError Unsupported(const LoadedPlugin& plugin, const char* call) {
  return CallError{plugin.id(), call, BMIL_ERROR_UNSUPPORTED,
                   "the plugin does not provide this call"};
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
  if (const std::size_t depth = JsonNestingDepth(out.text); depth > kMaxOutputDepth) {
    return CallError{plugin.id(), call, 0,
                     "output nested " + std::to_string(depth) + " deep, more than the limit of " +
                         std::to_string(kMaxOutputDepth)};
  }
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

CallResult<nlohmann::json> PluginInstance::Describe() {
  const auto& t = plugin_->table();
  return ToJson(*plugin_, "describe", CallForText(*plugin_, "describe", t.describe, instance_));
}

CallResult<nlohmann::json> PluginInstance::Assess(const bmil_case_view& view, uint32_t bm) {
  const auto& t = plugin_->table();
  return ToJson(*plugin_, "assess",
                CallForText(*plugin_, "assess", t.assess, instance_, &view, bm));
}

CallResult<nlohmann::json> PluginInstance::Propose(const bmil_case_view& view, uint32_t bm) {
  const auto& t = plugin_->table();
  return ToJson(*plugin_, "propose",
                CallForText(*plugin_, "propose", t.propose, instance_, &view, bm));
}

CallError PluginInstance::AddError(int status, const bmil_error* error) const {
  if (error == nullptr) return Unsupported(*plugin_, "add");
  return *Check(*plugin_, "add", status, *error);
}

std::optional<CallError> PluginInstance::Merge(const PluginInstance& other) {
  const auto& t = plugin_->table();
  if (other.plugin_ != plugin_) {
    return CallError{plugin_->id(), "merge", BMIL_ERROR_INVALID_ARGUMENT,
                     "cannot merge an instance of plugin \"" + other.plugin_->id() + "\""};
  }
  if (t.merge == nullptr) return Unsupported(*plugin_, "merge");
  bmil_error error{};
  return Check(*plugin_, "merge", t.merge(instance_, other.instance_, &error), error);
}

CallResult<nlohmann::json> PluginInstance::Finish() {
  const auto& t = plugin_->table();
  auto result = ToJson(*plugin_, "finish", CallForText(*plugin_, "finish", t.finish, instance_));
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
  const auto& t = plugin_->table();
  return CallForText(*plugin_, "save", t.save, instance_);
}

std::optional<CallError> PluginInstance::Load(std::string_view state) {
  const auto& t = plugin_->table();
  if (t.load == nullptr) return Unsupported(*plugin_, "load");
  bmil_error error{};
  return Check(*plugin_, "load", t.load(instance_, state.data(), state.size(), &error), error);
}

// --------------------------------------------------------------------------- LoadedPlugin

CallResult<PluginInstance> LoadedPlugin::Create(std::string_view config_json) const {
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

void PluginHost::LoadAll() {
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
    if (table == nullptr) {
      refuse("the entry function returned no table: " +
             (MessageOf(error).empty() ? std::string("no reason given") : MessageOf(error)));
      continue;
    }
    // The first fields (up to kind) exist in every layout of major 1.
    if (table->struct_size < offsetof(bmil_plugin, kind) + sizeof(table->kind)) {
      refuse("entry table too small (" + std::to_string(table->struct_size) + " bytes)");
      continue;
    }
    if (auto abi = CheckAbi(table->abi_major, table->abi_minor, BMIL_ABI_MAJOR, BMIL_ABI_MINOR);
        !abi) {
      refuse("entry table: " + abi.error());
      continue;
    }
    const std::string table_id = table->id ? table->id : "";
    const std::string table_version = table->version ? table->version : "";
    if (table_id != manifest.id) {
      refuse("entry table id \"" + table_id + "\" differs from the manifest's id \"" + manifest.id +
             "\"");
      continue;
    }
    if (table_version != manifest.version) {
      refuse("entry table version \"" + table_version + "\" differs from the manifest's \"" +
             manifest.version + "\"");
      continue;
    }
    const uint32_t kind = manifest.kind == "line" ? BMIL_KIND_LINE : BMIL_KIND_ANALYZER;
    if (table->kind != kind) {
      refuse("entry table kind " + std::to_string(table->kind) +
             " differs from the manifest's kind \"" + manifest.kind + "\"");
      continue;
    }
    // A table from an older minor may be shorter: unknown trailing functions read as absent.
    bmil_plugin copy{};
    std::memcpy(&copy, table, std::min<std::size_t>(table->struct_size, sizeof(bmil_plugin)));
    copy.struct_size = sizeof(bmil_plugin);
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
  }
}

}  // namespace bmil
