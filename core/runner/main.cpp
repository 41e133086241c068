// bmil-plugin-runner: runs one plugin in a child process of bmil, so that a plugin that
// crashes, hangs, exits or writes to stdout cannot take bmil's run with it
// (docs/plugin-isolation.md). bmil starts it fresh for a plugin, never by hand:
//
//   bmil-plugin-runner [--address-space-mib N] [--cpu-seconds N] [--open-files N]
//                      [--file-size-mib N] [--allow-network]
//
// with fd 3 a socket to the host, fd 4 the plugin file (opened and checked by the host), fd 5
// a shared page for progress (wire::Progress), and an empty environment. It hardens itself
// (resource limits, no new privileges, the seccomp filter: no network unless
// --allow-network) before the plugin's code is loaded, then answers the host's frames
// (runner/wire.hpp) until the host says kShutdown or closes the socket. A plugin call that
// writes into its read-only case view fails (the runner compares the view's memory before
// and after the call, with the host's ViewGuard).
#include "model/view_guard.hpp"
#include "runner/channel.hpp"
#include "runner/entry_table.hpp"
#include "runner/wire.hpp"
#include "seccomp_filter.hpp"

#include <bmil/abi.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#ifndef BMIL_VERSION
#define BMIL_VERSION "0.0.0"
#endif

namespace {

using bmil::wire::Message;

constexpr int kSocketFd = 3;
constexpr int kPluginFd = 4;
constexpr int kProgressFd = 5;

bmil::wire::Progress* g_progress = nullptr;
bmil::wire::Progress g_local_progress{};  // when no page was given (a test, by hand)

void Note(std::uint64_t& word, std::uint64_t value) {
  std::atomic_ref<std::uint64_t>(word).store(value, std::memory_order_relaxed);
}

// Counts one plugin call around `fn`.
template <typename Fn>
int Counted(Fn&& fn) {
  const int status = fn();
  std::atomic_ref<std::uint64_t>(g_progress->finished).fetch_add(1, std::memory_order_relaxed);
  return status;
}

// Sets a resource limit (soft and hard) from "--name N" on the command line; 0 leaves it.
void Limit(int resource, unsigned long long value) {
  if (value == 0) return;
  rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  if (setrlimit(resource, &limit) != 0) {
    std::fprintf(stderr, "bmil-plugin-runner: cannot set a resource limit: %s\n",
                 std::strerror(errno));
  }
}

// Sets the resource limits and no new privileges; returns whether --allow-network was given.
bool Harden(int argc, char** argv) {
  // Nothing this process or the plugin executes gains privileges (set-uid binaries included).
  // The seccomp filter (installed later, InstallSeccompFilter) requires it.
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  bool allow_network = false;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--allow-network") {
      allow_network = true;
      continue;
    }
    if (i + 1 >= argc) break;
    const unsigned long long value = std::strtoull(argv[++i], nullptr, 10);
#if !defined(__SANITIZE_ADDRESS__)
    // (A sanitizer build reserves terabytes of address space for its shadow memory.)
    if (name == "--address-space-mib") Limit(RLIMIT_AS, value << 20);
#endif
    if (name == "--cpu-seconds") Limit(RLIMIT_CPU, value);
    if (name == "--open-files") Limit(RLIMIT_NOFILE, value);
    if (name == "--file-size-mib") Limit(RLIMIT_FSIZE, value << 20);
  }
  rlimit no_core{0, 0};  // a crash leaves no core file in the working directory
  setrlimit(RLIMIT_CORE, &no_core);
  return allow_network;
}

// The runner's resident set size in bytes (from /proc/self/statm), 0 when unreadable.
std::uint64_t ResidentBytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "re");
  if (statm == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int got = std::fscanf(statm, "%llu %llu", &size, &resident);
  std::fclose(statm);
  return got == 2 ? resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

constexpr const char* kViewWritten =
    "wrote into the read-only case view (in bmil's process this would change what every other "
    "plugin sees)";

// A sink that keeps at most kMaxOutputBytes.
struct Sink {
  std::string text;
  bool overflowed = false;
  bmil_sink sink{this, &Sink::Write};
  static int Write(void* context, const char* data, std::size_t size) {
    auto* self = static_cast<Sink*>(context);
    if (data == nullptr && size > 0) return 1;
    if (self->overflowed || size > bmil::wire::kMaxOutputBytes - self->text.size()) {
      self->overflowed = true;
      return 1;
    }
    self->text.append(data, size);
    return 0;
  }
};

class Runner {
 public:
  int Run(int argc, char** argv);

 private:
  bool Send() {
    const bool ok = bmil::wire::WriteAll(kSocketFd, out_);
    out_.clear();
    return ok;
  }
  void Reply(Message type) { bmil::wire::FinishFrame(out_, bmil::wire::BeginFrame(out_, type)); }
  void ReplyError(int status, std::string_view message, std::uint32_t record = 0) {
    const std::size_t begin = bmil::wire::BeginFrame(out_, Message::kError);
    bmil::wire::Writer w(out_);
    w.U32(static_cast<std::uint32_t>(status));
    w.Str(message.substr(0, 4096));
    w.U32(record);
    bmil::wire::FinishFrame(out_, begin);
  }
  void ReplyStatus(int status, const bmil_error& error, std::uint32_t record = 0) {
    if (status == BMIL_OK) return Reply(Message::kOk);
    ReplyError(status,
               std::string_view(error.message, strnlen(error.message, sizeof error.message)),
               record);
  }
  void ReplyText(int status, const Sink& sink, const bmil_error& error) {
    if (sink.overflowed) {
      return ReplyError(BMIL_ERROR_OUT_OF_MEMORY, "output larger than the limit of 32 MiB (" +
                                                      std::to_string(bmil::wire::kMaxOutputBytes) +
                                                      " bytes)");
    }
    if (status != BMIL_OK) return ReplyStatus(status, error);
    const std::size_t begin = bmil::wire::BeginFrame(out_, Message::kText);
    bmil::wire::Writer(out_).Str(sink.text);
    bmil::wire::FinishFrame(out_, begin);
  }
  bool Handshake();
  void Handle(const bmil::wire::Frame& frame);
  bmil_instance* Instance(bmil::wire::Reader& in);
  // Notes a call that changed its case view (whose encoded bytes are `encoded`).
  void NoteViewWrite(const char* call, std::string_view encoded) {
    if (view_writes_++ > 0) return;
    bmil::wire::Reader in(encoded);  // the case id, as the host sent it
    in.U16();
    in.U16();
    first_view_write_ =
        std::string(call) + " on case \"" + std::string(in.Str().substr(0, 200)) + "\"";
  }
  bool Missing(void* fn, const char* call) {
    if (fn != nullptr) return false;
    ReplyError(BMIL_ERROR_UNSUPPORTED, std::string("the plugin does not provide ") + call);
    return true;
  }

  bmil_plugin table_{};
  std::map<std::uint64_t, bmil_instance*> instances_;
  std::uint64_t next_handle_ = 1;
  std::string in_;
  std::string out_;
  // Guards the decoded view before a call: its struct, its array buffer and the request's
  // bytes its strings point into (three memcpy, no walk) when the arrays are in one buffer.
  void GuardView(std::string_view encoded) {
    if (!view_.contiguous()) {
      guard_.Take(view_.view(), encoded);  // a view larger than any before: arrays spilled
      return;
    }
    guard_.TakeMemory({std::as_bytes(std::span(&view_.view(), 1)), view_.arrays(),
                       std::as_bytes(std::span(encoded.data(), encoded.size()))});
  }
  bmil::wire::DecodedView view_;
  // The view as decoded, compared after each call (its strings lie in the frame's bytes).
  bmil::ViewGuard guard_;
  bool allow_network_ = false;
  std::string seccomp_ = "unavailable: not installed";
  std::uint64_t view_writes_ = 0;
  std::string first_view_write_;
};

bool Runner::Handshake() {
  Note(g_progress->request, 1);
  bmil::wire::Frame frame;
  if (bmil::wire::ReadFrame(kSocketFd, bmil::wire::kMaxRequestFrame, in_) !=
          bmil::wire::ReadStatus::kOk ||
      !bmil::wire::ParseFrame(in_, frame) || frame.type != Message::kHello) {
    return false;
  }
  bmil::wire::Reader in(frame.body);
  const std::uint32_t protocol = in.U32();
  in.U16();  // the host's ABI: the table check below compares against this build's
  in.U16();
  in.Str();
  const std::string_view id = in.Str();
  const std::string_view version = in.Str();
  const std::uint32_t kind = in.U32();
  auto failed = [&](const std::string& reason) {
    const std::size_t begin = bmil::wire::BeginFrame(out_, Message::kFailed);
    bmil::wire::Writer(out_).Str(reason);
    bmil::wire::FinishFrame(out_, begin);
    Send();
    return false;
  };
  if (in.failed()) return failed("malformed hello");
  if (protocol != bmil::wire::kProtocolVersion) {
    return failed("this runner speaks protocol " + std::to_string(bmil::wire::kProtocolVersion) +
                  ", the host " + std::to_string(protocol));
  }
  // Before the plugin's code runs (its constructors included), so that it never holds a socket
  // the filter would have refused; the dynamic loader makes none of the calls it denies.
  seccomp_ = bmil::runner::InstallSeccompFilter(allow_network_);
  const std::string path = "/proc/self/fd/" + std::to_string(kPluginFd);
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    return failed(std::string("cannot load: ") + (why ? why : "unknown reason"));
  }
  auto entry = reinterpret_cast<bmil_plugin_entry_fn>(dlsym(library, BMIL_ENTRY_SYMBOL));
  if (entry == nullptr) {
    return failed("no entry symbol " BMIL_ENTRY_SYMBOL " (build it with BMIL_PLUGIN or export it)");
  }
  const bmil_host_info host_info{sizeof(bmil_host_info), BMIL_ABI_MAJOR, BMIL_ABI_MINOR,
                                 BMIL_VERSION};
  bmil_error error{};
  const bmil_plugin* table = nullptr;
  Counted([&] {
    table = entry(&host_info, &error);
    return 0;
  });
  if (std::string problem = bmil::CheckEntryTable(table, error, {id, version, kind}, table_);
      !problem.empty()) {
    return failed(problem);
  }
  std::uint32_t functions = 0;
  auto bit = [&](const void* fn, std::uint32_t b) {
    if (fn != nullptr) functions |= b;
  };
  bit(reinterpret_cast<const void*>(table_.create), bmil::wire::kFnCreate);
  bit(reinterpret_cast<const void*>(table_.destroy), bmil::wire::kFnDestroy);
  bit(reinterpret_cast<const void*>(table_.describe), bmil::wire::kFnDescribe);
  bit(reinterpret_cast<const void*>(table_.assess), bmil::wire::kFnAssess);
  bit(reinterpret_cast<const void*>(table_.propose), bmil::wire::kFnPropose);
  bit(reinterpret_cast<const void*>(table_.add), bmil::wire::kFnAdd);
  bit(reinterpret_cast<const void*>(table_.merge), bmil::wire::kFnMerge);
  bit(reinterpret_cast<const void*>(table_.finish), bmil::wire::kFnFinish);
  bit(reinterpret_cast<const void*>(table_.save), bmil::wire::kFnSave);
  bit(reinterpret_cast<const void*>(table_.load), bmil::wire::kFnLoad);
  bit(reinterpret_cast<const void*>(table_.prepare), bmil::wire::kFnPrepare);
  bit(reinterpret_cast<const void*>(table_.evaluate), bmil::wire::kFnEvaluate);
  const std::size_t begin = bmil::wire::BeginFrame(out_, Message::kReady);
  bmil::wire::Writer w(out_);
  w.U32(bmil::wire::kProtocolVersion);
  w.U32(functions);
  bmil::wire::FinishFrame(out_, begin);
  return Send();
}

bmil_instance* Runner::Instance(bmil::wire::Reader& in) {
  const auto it = instances_.find(in.U64());
  if (in.failed() || it == instances_.end()) {
    ReplyError(BMIL_ERROR_INVALID_ARGUMENT, "no such instance");
    return nullptr;
  }
  return it->second;
}

void Runner::Handle(const bmil::wire::Frame& frame) {
  bmil::wire::Reader in(frame.body);
  bmil_error error{};
  Sink sink;
  switch (frame.type) {
    case Message::kCreate: {
      const std::string config(in.Str());
      if (Missing(reinterpret_cast<void*>(table_.create), "create")) return;
      bmil_instance* instance = nullptr;
      const int status =
          Counted([&] { return table_.create(config.c_str(), config.size(), &instance, &error); });
      if (status != BMIL_OK) return ReplyStatus(status, error);
      if (instance == nullptr) return ReplyError(0, "create returned no instance");
      const std::uint64_t handle = next_handle_++;
      instances_[handle] = instance;
      const std::size_t begin = bmil::wire::BeginFrame(out_, Message::kHandle);
      bmil::wire::Writer(out_).U64(handle);
      return bmil::wire::FinishFrame(out_, begin);
    }
    case Message::kDestroy: {
      const auto it = instances_.find(in.U64());
      if (it != instances_.end()) {
        if (table_.destroy != nullptr)
          Counted([&] {
            table_.destroy(it->second);
            return 0;
          });
        instances_.erase(it);
      }
      return Reply(Message::kOk);
    }
    case Message::kDescribe: {
      bmil_instance* self = Instance(in);
      if (self == nullptr || Missing(reinterpret_cast<void*>(table_.describe), "describe")) return;
      const int status = Counted([&] { return table_.describe(self, &sink.sink, &error); });
      return ReplyText(status, sink, error);
    }
    case Message::kAssess:
    case Message::kPropose: {
      bmil_instance* self = Instance(in);
      if (self == nullptr) return;
      const bool assess = frame.type == Message::kAssess;
      auto fn = assess ? table_.assess : table_.propose;
      if (Missing(reinterpret_cast<void*>(fn), assess ? "assess" : "propose")) return;
      const std::uint32_t model = in.U32();
      const std::size_t from = frame.body.size() - in.remaining();
      if (!view_.Decode(in)) return ReplyError(BMIL_ERROR_INVALID_ARGUMENT, in.why());
      if (model >= view_.view().business_model_count)
        return ReplyError(BMIL_ERROR_INVALID_ARGUMENT, "business model index out of range");
      const std::string_view encoded =
          frame.body.substr(from, frame.body.size() - in.remaining() - from);
      GuardView(encoded);
      const int status =
          Counted([&] { return fn(self, &view_.view(), model, &sink.sink, &error); });
      if (guard_.CheckAndRestore() > 0) {
        NoteViewWrite(assess ? "assess" : "propose", encoded);
        return ReplyError(BMIL_ERROR_INTERNAL, kViewWritten);
      }
      return ReplyText(status, sink, error);
    }
    case Message::kAddBatch: {
      bmil_instance* self = Instance(in);
      if (self == nullptr || Missing(reinterpret_cast<void*>(table_.add), "add")) return;
      const std::uint32_t n = in.Count(1);
      for (std::uint32_t r = 0; r < n; ++r) {
        Note(g_progress->record, r);
        const std::size_t from = frame.body.size() - in.remaining();
        if (!view_.Decode(in)) return ReplyError(BMIL_ERROR_INVALID_ARGUMENT, in.why(), r);
        const std::string_view encoded =
            frame.body.substr(from, frame.body.size() - in.remaining() - from);
        GuardView(encoded);
        error.code = BMIL_OK;
        error.message[0] = '\0';
        const int status = Counted([&] { return table_.add(self, &view_.view(), &error); });
        if (guard_.CheckAndRestore() > 0) {
          NoteViewWrite("add", encoded);
          return ReplyError(BMIL_ERROR_INTERNAL, kViewWritten, r);
        }
        if (status != BMIL_OK) return ReplyStatus(status, error, r);
      }
      return Reply(Message::kOk);
    }
    case Message::kMerge: {
      bmil_instance* self = Instance(in);
      if (self == nullptr) return;
      bmil_instance* other = Instance(in);
      if (other == nullptr || Missing(reinterpret_cast<void*>(table_.merge), "merge")) return;
      const int status = Counted([&] { return table_.merge(self, other, &error); });
      return ReplyStatus(status, error);
    }
    case Message::kFinish:
    case Message::kSave: {
      bmil_instance* self = Instance(in);
      if (self == nullptr) return;
      const bool finish = frame.type == Message::kFinish;
      auto fn = finish ? table_.finish : table_.save;
      if (Missing(reinterpret_cast<void*>(fn), finish ? "finish" : "save")) return;
      const int status = Counted([&] { return fn(self, &sink.sink, &error); });
      return ReplyText(status, sink, error);
    }
    case Message::kLoad: {
      bmil_instance* self = Instance(in);
      if (self == nullptr || Missing(reinterpret_cast<void*>(table_.load), "load")) return;
      const std::string_view state = in.Str();
      const int status =
          Counted([&] { return table_.load(self, state.data(), state.size(), &error); });
      return ReplyStatus(status, error);
    }
    case Message::kPrepare: {
      bmil_instance* self = Instance(in);
      if (self == nullptr || Missing(reinterpret_cast<void*>(table_.prepare), "prepare")) return;
      const std::int32_t first_year = in.I32();
      const std::uint32_t years = in.U32();
      const std::size_t from = frame.body.size() - in.remaining();
      if (!view_.Decode(in)) return ReplyError(BMIL_ERROR_INVALID_ARGUMENT, in.why());
      const std::string_view encoded =
          frame.body.substr(from, frame.body.size() - in.remaining() - from);
      GuardView(encoded);
      const bmil_model_setup setup{sizeof(bmil_model_setup), &view_.view(), first_year, years};
      const int status = Counted([&] { return table_.prepare(self, &setup, &sink.sink, &error); });
      if (guard_.CheckAndRestore() > 0) {
        NoteViewWrite("prepare", encoded);
        return ReplyError(BMIL_ERROR_INTERNAL, kViewWritten);
      }
      return ReplyText(status, sink, error);
    }
    case Message::kEvaluate: {
      bmil_instance* self = Instance(in);
      if (self == nullptr || Missing(reinterpret_cast<void*>(table_.evaluate), "evaluate")) return;
      const std::uint32_t draws = in.U32();
      const std::uint32_t drivers = in.U32();
      const std::uint32_t outputs = in.U32();
      const std::uint64_t reply_bytes = std::uint64_t{draws} * outputs * sizeof(double);
      if (in.failed() || reply_bytes + 64 > bmil::wire::kMaxReplyFrame ||
          std::uint64_t{draws} * drivers * sizeof(double) != in.remaining()) {
        return ReplyError(BMIL_ERROR_INVALID_ARGUMENT, "malformed evaluate request");
      }
      std::vector<double> input(std::size_t{draws} * drivers);
      for (double& v : input) v = in.F64();
      std::vector<double> values(std::size_t{draws} * outputs);
      for (std::uint32_t d = 0; d < draws; ++d) {
        Note(g_progress->record, d);
        error.code = BMIL_OK;
        error.message[0] = '\0';
        const int status = Counted([&] {
          return table_.evaluate(self, input.data() + std::size_t{d} * drivers, drivers,
                                 values.data() + std::size_t{d} * outputs, outputs, &error);
        });
        if (status != BMIL_OK) return ReplyStatus(status, error, d);
      }
      const std::size_t begin = bmil::wire::BeginFrame(out_, Message::kValues);
      bmil::wire::Writer w(out_);
      w.U32(static_cast<std::uint32_t>(values.size()));
      for (double v : values) w.F64(v);
      return bmil::wire::FinishFrame(out_, begin);
    }
    case Message::kInspect: {
      std::fflush(stdout);  // what the plugin printed reaches the host's capture
      return bmil::wire::EncodeState({seccomp_, ResidentBytes(), view_writes_, first_view_write_},
                                     out_);
    }
    default:
      return ReplyError(BMIL_ERROR_INVALID_ARGUMENT, "unknown request");
  }
}

int Runner::Run(int argc, char** argv) {
  allow_network_ = Harden(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  if (void* page = mmap(nullptr, sizeof(bmil::wire::Progress), PROT_READ | PROT_WRITE, MAP_SHARED,
                        kProgressFd, 0);
      page != MAP_FAILED) {
    g_progress = static_cast<bmil::wire::Progress*>(page);
  } else {
    g_progress = &g_local_progress;
  }
  if (!Handshake()) return 1;
  for (std::uint64_t request = 2;; ++request) {
    bmil::wire::Frame frame;
    const auto status = bmil::wire::ReadFrame(kSocketFd, bmil::wire::kMaxRequestFrame, in_);
    if (status != bmil::wire::ReadStatus::kOk) return 0;  // the host is gone: nothing to do
    if (!bmil::wire::ParseFrame(in_, frame)) return 1;
    Note(g_progress->record, 0);
    Note(g_progress->request, request);
    if (frame.type == Message::kShutdown) {
      Reply(Message::kOk);
      Send();
      return 0;
    }
    Handle(frame);
    if (!Send()) return 0;
  }
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// In a sanitizer build, a plugin's crash must still end the runner by its signal, as in a
// release build, so that the host reports it the same way (the child's environment is
// empty: these options cannot come from ASAN_OPTIONS). No leak check at exit either: it
// needs ptrace, which the seccomp filter denies, and a plugin that calls exit() would then
// end with LeakSanitizer's error instead of its own status. No quarantine of freed memory:
// it would count as growth in `plugins check`'s leak budget (ASan keeps up to 256 MiB of
// freed blocks resident by default).
extern "C" const char* __asan_default_options() {
  return "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0:"
         "detect_leaks=0:quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
}
#endif

int main(int argc, char** argv) {
  // Only the descriptors the host handed over: nothing else of bmil's leaks into the plugin.
  close_range(kProgressFd + 1, ~0U, 0);
  static Runner runner;
  const int code = runner.Run(argc, argv);
  // _exit: neither the plugin's static destructors nor atexit handlers run after the host
  // said goodbye (a plugin that crashes there would report a failure for a finished run).
  std::fflush(nullptr);
  _exit(code);
}
