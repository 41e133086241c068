#include "host/runner_process.hpp"

#include "host/trusted_file.hpp"
#include "report/terminal_text.hpp"
#include "runner/channel.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The descriptors the runner expects (core/runner/main.cpp).
constexpr int kChildSocket = 3;
constexpr int kChildPlugin = 4;
constexpr int kChildProgress = 5;

// How much of the child's stderr a report quotes, and how large a capture file may grow
// before it is cut back to its tail.
constexpr std::size_t kTailBytes = 1024;
constexpr off_t kCaptureTrimAt = off_t{1} << 20;

const char* SignalMeaning(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV: invalid memory access";
    case SIGBUS:
      return "SIGBUS: invalid memory access";
    case SIGABRT:
      return "SIGABRT: the plugin aborted";
    case SIGFPE:
      return "SIGFPE: arithmetic error";
    case SIGILL:
      return "SIGILL: illegal instruction";
    case SIGKILL:
      return "SIGKILL: killed, by bmil after a deadline or by the system, e.g. out of memory";
    case SIGXCPU:
      return "SIGXCPU: over its CPU time limit";
    case SIGXFSZ:
      return "SIGXFSZ: over its file size limit";
    case SIGTERM:
      return "SIGTERM";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGSYS:
      return "SIGSYS: a forbidden system call";
    default:
      return "";
  }
}

// A descriptor at or above 10 (so that moving it to 3, 4 or 5 in the child cannot clobber
// another one being moved), close-on-exec in this process.
int HighCopy(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 10); }

class Closer {
 public:
  explicit Closer(int fd) : fd_(fd) {}
  ~Closer() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

fs::path FindRunner() {
  const fs::path dir = CurrentExecutable().parent_path();
  std::error_code ec;
  for (const fs::path& candidate :
       {dir / "bmil-plugin-runner", dir / ".." / "libexec" / "bmil" / "bmil-plugin-runner"}) {
    if (fs::is_regular_file(candidate, ec)) return candidate.lexically_normal();
  }
  return {};
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    std::string out = "was killed by signal " + std::to_string(sig);
    if (const char* meaning = SignalMeaning(sig); *meaning)
      out += std::string(" (") + meaning + ")";
    return out;
  }
  return "ended (wait status " + std::to_string(status) + ")";
}

Result<std::shared_ptr<RunnerProcess>> RunnerProcess::Start(const fs::path& runner,
                                                            const TrustedFile& file,
                                                            const Manifest& manifest,
                                                            const IsolationLimits& limits,
                                                            Death* died) {
  if (runner.empty()) {
    return Failure{"the plugin runner (bmil-plugin-runner) was not found next to bmil"};
  }
  std::shared_ptr<RunnerProcess> self(new RunnerProcess());
  self->limits_ = limits;
  self->plugin_id_ = manifest.id;

  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    return Failure{std::string("cannot create a socket pair: ") + std::strerror(errno)};
  }
  self->socket_ = pair[0];
  Closer child_socket(HighCopy(pair[1]));
  close(pair[1]);
  Closer plugin(HighCopy(file.fd()));
  Closer progress(memfd_create("bmil-runner-progress", MFD_CLOEXEC));
  self->stdout_ = memfd_create("bmil-runner-stdout", MFD_CLOEXEC);
  self->stderr_ = memfd_create("bmil-runner-stderr", MFD_CLOEXEC);
  if (child_socket.get() < 0 || plugin.get() < 0 || progress.get() < 0 || self->stdout_ < 0 ||
      self->stderr_ < 0 || ftruncate(progress.get(), sizeof(wire::Progress)) != 0) {
    return Failure{std::string("cannot prepare the runner's descriptors: ") + std::strerror(errno)};
  }
  // Appends go to the end even after the host cuts a capture file back (TrimCapture).
  fcntl(self->stdout_, F_SETFL, O_APPEND);
  fcntl(self->stderr_, F_SETFL, O_APPEND);
  void* page =
      mmap(nullptr, sizeof(wire::Progress), PROT_READ | PROT_WRITE, MAP_SHARED, progress.get(), 0);
  if (page == MAP_FAILED) return Failure{std::string("cannot map: ") + std::strerror(errno)};
  self->progress_ = static_cast<wire::Progress*>(page);

  std::error_code ec;
  std::string pattern = (fs::temp_directory_path(ec) / "bmil-runner-XXXXXX").string();
  if (ec || mkdtemp(pattern.data()) == nullptr) {
    return Failure{std::string("cannot create the runner's working directory: ") +
                   std::strerror(errno)};
  }
  self->work_dir_ = pattern;
  Closer child_out(HighCopy(self->stdout_));
  Closer child_err(HighCopy(self->stderr_));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, child_out.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, child_err.get(), 2);
  posix_spawn_file_actions_adddup2(&actions, child_socket.get(), kChildSocket);
  posix_spawn_file_actions_adddup2(&actions, plugin.get(), kChildPlugin);
  posix_spawn_file_actions_adddup2(&actions, progress.get(), kChildProgress);
  posix_spawn_file_actions_addchdir_np(&actions, self->work_dir_.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The child starts with default signal handling and nothing blocked, whatever bmil set.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  const std::string runner_path = runner.string();
  std::vector<std::string> args = {runner_path,
                                   "--address-space-mib",
                                   std::to_string(limits.address_space_mib),
                                   "--cpu-seconds",
                                   std::to_string(limits.cpu_seconds),
                                   "--open-files",
                                   std::to_string(limits.open_files),
                                   "--file-size-mib",
                                   std::to_string(limits.file_size_mib)};
  if (limits.allow_network) args.push_back("--allow-network");  // no socket rules in its filter
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  char* envp[] = {nullptr};  // an empty environment
  const int spawned =
      posix_spawn(&self->pid_, runner_path.c_str(), &actions, &attr, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) {
    self->pid_ = -1;
    return Failure{"cannot start " + runner_path + ": " + std::strerror(spawned)};
  }
  // Only the child holds its ends now: when it dies, its socket reads as closed at once.
  for (Closer* fd : {&child_socket, &plugin, &progress, &child_out, &child_err})
    close(fd->release());

  // The handshake: the child loads the plugin and checks its table.
  std::string hello;
  const std::size_t begin = wire::BeginFrame(hello, wire::Message::kHello);
  wire::Writer w(hello);
  w.U32(wire::kProtocolVersion);
  w.U16(BMIL_ABI_MAJOR);
  w.U16(BMIL_ABI_MINOR);
  w.Str(BMIL_VERSION);
  w.Str(manifest.id);
  w.Str(manifest.version);
  w.U32(KindCode(manifest.kind));
  wire::FinishFrame(hello, begin);
  auto reply = self->Call(hello, 1);
  if (auto* death = std::get_if<Death>(&reply)) {
    if (died != nullptr) *died = *death;
    return Failure{"the plugin's process " + death->what + " while loading the plugin"};
  }
  wire::Frame frame;
  if (!wire::ParseFrame(std::get<std::string>(reply), frame)) {
    return Failure{"the plugin runner sent an empty handshake"};
  }
  wire::Reader in(frame.body);
  if (frame.type == wire::Message::kFailed) return Failure{std::string(in.Str())};
  const std::uint32_t protocol = in.U32();
  self->functions_ = in.U32();
  if (frame.type != wire::Message::kReady || in.failed() || protocol != wire::kProtocolVersion) {
    return Failure{"the plugin runner answered the handshake with something else"};
  }
  return self;
}

RunnerProcess::~RunnerProcess() {
  if (pid_ > 0 && !death_) {
    std::string bye;
    wire::FinishFrame(bye, wire::BeginFrame(bye, wire::Message::kShutdown));
    if (wire::WriteAll(socket_, bye)) {
      std::string payload;
      const auto until = Clock::now() + std::chrono::seconds(2);
      wire::ReadFrame(socket_, wire::kMaxReplyFrame, payload, 50,
                      [&] { return Clock::now() < until; });
    }
  }
  if (socket_ >= 0) close(socket_);
  if (pid_ > 0) {
    int status = 0;
    // A child that answered kShutdown exits at once; give any other one a moment.
    for (int i = 0; i < 20 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  if (progress_ != nullptr) munmap(progress_, sizeof(wire::Progress));
  if (stdout_ >= 0) close(stdout_);
  if (stderr_ >= 0) close(stderr_);
  std::error_code ec;
  if (!work_dir_.empty()) fs::remove_all(work_dir_, ec);
}

bool RunnerProcess::dead() const {
  std::lock_guard lock(mutex_);
  return death_.has_value();
}

RunnerProcess::StdoutCapture RunnerProcess::stdout_capture(std::size_t head_bytes) const {
  std::lock_guard lock(mutex_);
  StdoutCapture capture;
  struct stat st {};
  if (stdout_ < 0 || fstat(stdout_, &st) != 0 || st.st_size <= 0) return capture;
  capture.bytes = static_cast<std::uint64_t>(st.st_size);
  capture.head.resize(std::min<std::size_t>(head_bytes, capture.bytes));
  const ssize_t got = pread(stdout_, capture.head.data(), capture.head.size(), 0);
  capture.head.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return capture;
}

std::string RunnerProcess::StderrTail() const {
  std::string tail = stderr_kept_;
  struct stat st {};
  if (stderr_ >= 0 && fstat(stderr_, &st) == 0 && st.st_size > 0) {
    const off_t from = st.st_size > static_cast<off_t>(kTailBytes) ? st.st_size - kTailBytes : 0;
    std::string fresh(static_cast<std::size_t>(st.st_size - from), '\0');
    const ssize_t got = pread(stderr_, fresh.data(), fresh.size(), from);
    fresh.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    tail += fresh;
  }
  if (tail.size() > kTailBytes) tail.erase(0, tail.size() - kTailBytes);
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  return TerminalSafe(tail);
}

void RunnerProcess::TrimCapture() {
  struct stat st {};
  if (stderr_ >= 0 && fstat(stderr_, &st) == 0 && st.st_size > kCaptureTrimAt) {
    stderr_kept_ = StderrTail();
    ftruncate(stderr_, 0);
  }
  if (stdout_ >= 0 && fstat(stdout_, &st) == 0 && st.st_size > kCaptureTrimAt) {
    ftruncate(stdout_, 0);
  }
}

std::string RunnerProcess::Reap(bool kill_first) {
  if (kill_first) kill(pid_, SIGKILL);
  int status = 0;
  pid_t got = 0;
  // The socket closed: the child is exiting, or closed it itself and runs on. Wait a little,
  // then make sure.
  for (int i = 0; i < 200 && (got = waitpid(pid_, &status, WNOHANG)) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::string what;
  if (got == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    what = "closed its connection and was killed";
  } else {
    what = DescribeWaitStatus(status);
  }
  pid_ = -1;
  if (std::string tail = StderrTail(); !tail.empty()) what += "; its stderr ends: \"" + tail + "\"";
  return what;
}

std::variant<std::string, RunnerProcess::Death> RunnerProcess::Call(std::string_view request,
                                                                    std::uint64_t calls) {
  return Collect(Post(request, calls));
}

std::uint64_t RunnerProcess::Post(std::string_view request, std::uint64_t calls) {
  std::lock_guard lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  if (death_) {
    arrived_[ticket] = Death{"had already ended (" + *death_ + ")", std::nullopt};
    return ticket;
  }
  while (in_flight_.size() >= kMaxInFlight && !death_) ReadOldest();
  if (death_) {
    arrived_[ticket] = Death{"had already ended (" + *death_ + ")", std::nullopt};
    return ticket;
  }
  TrimCapture();
  in_flight_.push_back({ticket, calls});
  if (!wire::WriteAll(socket_, request)) {
    // The child is gone: what ended it is the answer to the oldest request in flight.
    while (!in_flight_.empty()) ReadOldest();
  }
  return ticket;
}

std::variant<std::string, RunnerProcess::Death> RunnerProcess::Collect(std::uint64_t ticket) {
  std::lock_guard lock(mutex_);
  for (;;) {
    if (auto it = arrived_.find(ticket); it != arrived_.end()) {
      auto out = std::move(it->second);
      arrived_.erase(it);
      return out;
    }
    if (in_flight_.empty()) return Death{"lost a reply (a bug in bmil)", std::nullopt};
    ReadOldest();
  }
}

void RunnerProcess::ReadOldest() {
  const InFlight oldest = in_flight_.front();
  auto word = [&](std::uint64_t& w) {
    return std::atomic_ref<std::uint64_t>(w).load(std::memory_order_relaxed);
  };
  // When the child dies, every request in flight dies with it; the oldest one, which it was
  // working on, learns which of its calls was running.
  auto died = [&](std::string what, bool hung = false) {
    death_ = what;
    std::optional<std::uint64_t> index;
    if (word(progress_->request) == oldest.ticket) index = word(progress_->record);
    bool first = true;
    for (const InFlight& f : in_flight_) {
      arrived_[f.ticket] = first ? Death{what, index, hung}
                                 : Death{"had already ended (" + what + ")", std::nullopt};
      first = false;
    }
    in_flight_.clear();
  };

  const auto timeout = std::chrono::duration<double>(limits_.call_timeout_seconds);
  const auto begin = Clock::now();
  // The deadline runs from when the child begins this request (it may still be busy with an
  // earlier one) and restarts whenever one of its calls returns.
  auto last_progress = begin;
  std::uint64_t seen_finished = word(progress_->finished);
  std::uint64_t seen_request = word(progress_->request);
  const double calls = static_cast<double>(std::max<std::uint64_t>(oldest.calls, 1));
  const int poll_ms =
      static_cast<int>(std::clamp(limits_.call_timeout_seconds * 1000 / 4, 10.0, 250.0));
  const auto status = wire::ReadFrame(socket_, wire::kMaxReplyFrame, reply_, poll_ms, [&] {
    const auto now = Clock::now();
    const std::uint64_t finished = word(progress_->finished);
    const std::uint64_t request = word(progress_->request);
    if (finished != seen_finished || request != seen_request) {
      if (request != seen_request && request == oldest.ticket) last_progress = now;
      if (finished != seen_finished) last_progress = now;
      seen_finished = finished;
      seen_request = request;
    }
    const bool hard_stop = request == oldest.ticket && now - begin > timeout * (calls + 1);
    return now - last_progress <= timeout && !hard_stop;
  });
  switch (status) {
    case wire::ReadStatus::kOk:
      arrived_[oldest.ticket] = std::move(reply_);
      in_flight_.pop_front();
      return;
    case wire::ReadStatus::kGaveUp: {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", limits_.call_timeout_seconds);
      std::string tail = Reap(true);
      const auto at = tail.find("; its stderr");
      return died("did not answer within " + std::string(seconds) +
                      " s (hung or too slow) and was killed" +
                      (at == std::string::npos ? std::string() : tail.substr(at)),
                  /*hung=*/true);
    }
    case wire::ReadStatus::kTooLarge:
      return died("sent a reply larger than the limit of " + std::to_string(wire::kMaxReplyFrame) +
                  " bytes and was killed (" + Reap(true) + ")");
    default:
      return died(Reap(false));
  }
}

}  // namespace bmil
