// The host's side of an isolated plugin: starts `bmil-plugin-runner` for one plugin file,
// talks the runner protocol (runner/wire.hpp) with it, and supervises it: a call that takes
// longer than its deadline is killed; a runner that crashes, aborts, exits or is killed is
// reported with what ended it, the call and the record it was on, and the end of its
// stderr (docs/plugin-isolation.md).
#ifndef BMIL_CORE_HOST_RUNNER_PROCESS_HPP_
#define BMIL_CORE_HOST_RUNNER_PROCESS_HPP_

#include <bmil/manifest.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/result.hpp>

#include "runner/wire.hpp"

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace bmil {

class TrustedFile;

// The runner program: next to the running executable, else in ../libexec/bmil/ (an
// installation). Empty when neither exists.
std::filesystem::path FindRunner();

// Why a child process ended, for a person: "was killed by signal 11 (SIGSEGV: invalid
// memory access)", "exited with status 0", ... `status` is waitpid's.
std::string DescribeWaitStatus(int status);

class RunnerProcess {
 public:
  // Starts the runner for `file` (handed over by its open descriptor, so the child loads
  // exactly the file the host checked) and completes the handshake: the child loads the
  // plugin and checks its entry table against `manifest`. The failure says why, with the
  // child's stderr when it has any; when the child died or hung while loading the plugin
  // (rather than refusing it), `died` (if given) gets the Death too.
  struct Death;
  static Result<std::shared_ptr<RunnerProcess>> Start(const std::filesystem::path& runner,
                                                      const TrustedFile& file,
                                                      const Manifest& manifest,
                                                      const IsolationLimits& limits,
                                                      Death* died = nullptr);
  ~RunnerProcess();  // asks the child to stop, kills it if it does not, removes its directory
  RunnerProcess(const RunnerProcess&) = delete;
  RunnerProcess& operator=(const RunnerProcess&) = delete;

  // The functions the plugin's table provides (wire::Function bits).
  std::uint32_t functions() const { return functions_; }
  const IsolationLimits& limits() const { return limits_; }

  // What ended a call that got no reply.
  struct Death {
    std::string what;  // "was killed by signal 11 (SIGSEGV: ...)", "did not answer within 2 s"
    // The plugin call that was running, counted from the first call in the request (a batch
    // of records holds several), when one was.
    std::optional<std::uint64_t> call_index;
    bool hung = false;  // killed for missing its deadline
  };

  // Sends `request` (one complete frame holding `calls` plugin calls) and waits for the
  // reply. The deadline is limits().call_timeout_seconds for each call without progress, and
  // at most that times `calls` in all. Returns the reply frame's payload, or the Death. Once
  // the child is dead, every later call returns a Death that says so. Thread-safe: requests
  // are answered in the order they were sent, whichever thread sent them.
  std::variant<std::string, Death> Call(std::string_view request, std::uint64_t calls);

  // Call() in two halves, so that the host can go on while the child works: Post() sends the
  // request and returns a ticket; Collect(ticket) waits for its reply. At most kMaxInFlight
  // requests are in flight: Post() first collects the oldest reply when there are more (their
  // replies are small, so neither side can block the other on a full socket). Collect every
  // ticket exactly once.
  static constexpr std::size_t kMaxInFlight = 2;
  std::uint64_t Post(std::string_view request, std::uint64_t calls);
  std::variant<std::string, Death> Collect(std::uint64_t ticket);

  // Whether the child has died (a Death was reported).
  bool dead() const;

  // What the child has written to its stdout, where a plugin should write nothing: the byte
  // count and the first `head_bytes` bytes, raw. Output still in the plugin's stdio buffer
  // is not counted. The capture is cut back past 1 MiB, so the count is then the bytes
  // written since. Thread-safe; also after the child died.
  struct StdoutCapture {
    std::uint64_t bytes = 0;
    std::string head;
  };
  StdoutCapture stdout_capture(std::size_t head_bytes) const;

 private:
  RunnerProcess() = default;
  // Reaps the child after its socket closed or a deadline passed (`kill` first); returns
  // the description, with the end of its stderr.
  std::string Reap(bool kill_first);
  std::string StderrTail() const;
  void TrimCapture();  // keeps the capture files short (their tail is all a report needs)

  struct InFlight {
    std::uint64_t ticket;  // also the request's number in the child (wire::Progress)
    std::uint64_t calls;
  };
  // Reads the reply of the oldest request in flight into arrived_ (or, when the child dies,
  // a Death for it and every other request in flight). Call with mutex_ held.
  void ReadOldest();

  mutable std::mutex mutex_;
  std::deque<InFlight> in_flight_;
  std::map<std::uint64_t, std::variant<std::string, Death>> arrived_;
  std::uint64_t next_ticket_ = 1;  // the handshake is request 1
  pid_t pid_ = -1;
  int socket_ = -1;
  int stdout_ = -1;  // memfds the child's stdout and stderr go to
  int stderr_ = -1;
  std::string stderr_kept_;  // the tail of stderr before the last trim
  wire::Progress* progress_ = nullptr;
  std::filesystem::path work_dir_;
  IsolationLimits limits_;
  std::uint32_t functions_ = 0;
  std::string plugin_id_;
  std::optional<std::string> death_;
  std::string reply_;
};

}  // namespace bmil

#endif  // BMIL_CORE_HOST_RUNNER_PROCESS_HPP_
