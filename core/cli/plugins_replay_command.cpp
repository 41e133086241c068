#include "plugins_replay_command.hpp"

#include "host/reproducer.hpp"
#include "host/runner_process.hpp"
#include "host/scan_record.hpp"
#include "host/trusted_file.hpp"
#include "io/bounded_read.hpp"
#include "report/terminal_text.hpp"
#include "runner/wire.hpp"
#include "text_wrap.hpp"

#include <bmil/abi.h>

#include <cstring>
#include <iostream>
#include <memory>

namespace bmil::cli {
namespace {

namespace fs = std::filesystem;

void PatchHandle(std::string& request, std::size_t at, std::uint64_t handle) {
  std::memcpy(request.data() + at, &handle, sizeof handle);
}

// What a reply says, for a person: "" when the call returned normally.
std::string Failure(const std::string& payload) {
  wire::Frame frame;
  if (!wire::ParseFrame(payload, frame)) return "the runner sent an empty reply";
  if (frame.type != wire::Message::kError) return "";
  wire::Reader in(frame.body);
  const int status = static_cast<int>(in.U32());
  std::string message(in.Str());
  return "returned error " + std::to_string(status) + ": " + message;
}

void Replay(const GlobalOptions& options, const std::string& file, int& exit_code) {
  // Bounded while reading too: the file may grow after it was measured.
  auto text = ReadFileAtMost(file, kMaxReproducerBytes, [](std::uintmax_t) {
    return "larger than " + std::to_string(kMaxReproducerBytes >> 20) + " MiB; refused unread";
  });
  if (!text) {
    std::cerr << "bmil: " << file << ": " << text.error() << "\n";
    exit_code = kExitInputProblem;
    return;
  }
  const ReproducerLoad loaded = ReadReproducer(text.value(), file);
  if (!loaded.value) {
    for (const Diagnostic& d : loaded.problems) std::cerr << d.ToString() << "\n";
    exit_code = kExitInputProblem;
    return;
  }
  const Reproducer& r = *loaded.value;

  // The plugin: by its id on the search path, else the file it was loaded from.
  PluginHost host = OpenPlugins(options, /*load=*/false);
  const PluginRecord* found = nullptr;
  for (const auto& record : host.records()) {
    if (record.manifest && record.manifest->id == r.plugin && record.file) found = &record;
  }
  std::optional<PluginHost> by_path;
  std::error_code ec;
  if (found == nullptr && fs::exists(r.path, ec)) {
    const std::vector<fs::path> files = {r.path};
    by_path = PluginHost::ScanFiles(files);
    const auto& record = by_path->records().front();
    if (record.manifest && record.manifest->id == r.plugin && record.file) {
      found = &record;
    } else if (!record.reason.empty()) {
      std::cerr << "bmil: " << r.path << ": " << record.reason << "\n";
    }
  }
  if (found == nullptr) {
    std::cerr << "bmil: plugin \"" << TerminalSafe(r.plugin)
              << "\" is neither on the plugin search path nor at " << TerminalSafe(r.path)
              << " (give its directory with --plugin-dir)\n";
    exit_code = kExitInputProblem;
    return;
  }
  const TrustedFile& plugin_file = *found->file;
  std::cout << Wrapped(r.plugin + " " + r.version + ", " + plugin_file.real_path().string(), 9,
                       "Plugin:  ");
  auto identity =
      FileIdentity::Of(plugin_file.fd(), plugin_file.status(), plugin_file.real_path().string());
  if (identity && identity.value().xxh3 != r.xxh3) {
    std::cout << Wrapped("this file is not the one that failed (xxh3-128 " + identity.value().xxh3 +
                             ", then " + r.xxh3 + "); replaying on this one",
                         9, "Note:    ");
  }
  std::string call = r.call;
  if (!r.case_id.empty()) call += " on case \"" + r.case_id + "\"";
  if (r.cases_before > 0) {
    call += " (the instance had been given " + std::to_string(r.cases_before) + " other case" +
            (r.cases_before == 1 ? "" : "s") + " first; not replayed)";
  }
  std::cout << Wrapped(call, 9, "Call:    ");
  std::cout << Wrapped(r.what + " (" + r.when + ")", 9, "Then:    ");

  IsolationLimits limits = MakeIsolationPolicy(options).limits;
  limits.reproducer_dir.clear();  // a replay writes no new reproducer
  RunnerProcess::Death load_death;
  auto started =
      RunnerProcess::Start(FindRunner(), plugin_file, *found->manifest, limits, &load_death);
  auto outcome = [&](const std::string& what, bool failed) {
    std::cout << Wrapped((failed ? "reproduced: " : "not reproduced: ") + what, 9, "Now:     ");
    exit_code = failed ? kExitPluginFailure : kExitOk;
  };
  if (!started) {
    outcome("the plugin could not be loaded in a child: " + started.error(), true);
    return;
  }
  RunnerProcess& runner = *started.value();
  // An instance with the recorded configuration (create is the call itself for a create
  // reproducer).
  auto create = [&]() -> std::variant<std::uint64_t, std::string> {
    std::string request;
    const std::size_t begin = wire::BeginFrame(request, wire::Message::kCreate);
    wire::Writer w(request);
    w.Str(r.config);
    wire::FinishFrame(request, begin);
    auto answer = runner.Call(request, 1);
    if (auto* death = std::get_if<RunnerProcess::Death>(&answer)) {
      return "create: the plugin's process " + death->what;
    }
    const std::string& payload = std::get<std::string>(answer);
    if (std::string why = Failure(payload); !why.empty()) return "create " + why;
    wire::Frame frame;
    wire::ParseFrame(payload, frame);
    wire::Reader reply(frame.body);
    return reply.U64();
  };
  auto first = create();
  if (auto* why = std::get_if<std::string>(&first)) {
    outcome(*why, true);
    return;
  }
  if (r.call == "create") {
    outcome("create returned an instance", false);
    return;
  }
  std::string request = r.request;
  PatchHandle(request, 4 + 1, std::get<std::uint64_t>(first));
  if (r.call == "merge") {  // the other instance: a fresh one (states are not kept)
    auto second = create();
    if (auto* why = std::get_if<std::string>(&second)) {
      outcome(*why, true);
      return;
    }
    PatchHandle(request, 4 + 1 + 8, std::get<std::uint64_t>(second));
  }
  auto answer = runner.Call(request, 1);
  if (auto* death = std::get_if<RunnerProcess::Death>(&answer)) {
    outcome(r.call + ": the plugin's process " + death->what, true);
    return;
  }
  if (std::string why = Failure(std::get<std::string>(answer)); !why.empty()) {
    outcome(r.call + " " + why, true);
    return;
  }
  outcome(r.call + " returned normally", false);
}

}  // namespace

void AddPluginsReplayCommand(CLI::App& plugins, GlobalOptions& options, int& exit_code) {
  auto file = std::make_shared<std::string>();
  CLI::App* replay = plugins.add_subcommand(
      "replay",
      "Run a reproducer again: the call a plugin crashed or hung in, with the same input, in a "
      "child (bmil writes a reproducer when a plugin's child crashes or hangs; its path is in "
      "the failure message). Exit 4 when the failure happens again, 0 when it does not, 1 "
      "for a malformed reproducer or a plugin not found.");
  replay->add_option("file", *file, "The reproducer (.bmilrepro)")
      ->required()
      ->check(CLI::ExistingFile);
  replay->callback([&options, file, &exit_code] { Replay(options, *file, exit_code); });
}

}  // namespace bmil::cli
