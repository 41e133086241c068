#include "cli_common.hpp"

#include "host/reproducer.hpp"
#include "host/scan_record.hpp"
#include "io/atomic_file.hpp"
#include "io/output_paths.hpp"

#include <bmil/case_source.hpp>

#include <spdlog/spdlog.h>

#include <unistd.h>
#include <chrono>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <utility>

namespace bmil::cli {

void PrintProblems(const std::vector<Diagnostic>& problems) {
  for (const Diagnostic& d : problems) std::cerr << d.ToString() << "\n";
}

std::vector<std::filesystem::path> SearchPath(const GlobalOptions& options) {
  std::vector<std::string> ignored;
  auto dirs = PluginSearchPath(
      options.plugin_dirs, std::getenv("BMIL_PLUGIN_PATH"),
      options.no_default_plugins ? std::filesystem::path() : CurrentExecutable(), &ignored);
  for (const auto& entry : ignored) {
    spdlog::warn(
        "BMIL_PLUGIN_PATH entry \"{}\" ignored: plugin directories there must be "
        "absolute paths (a relative one would depend on the current directory)",
        entry);
  }
  return dirs;
}

IsolationPolicy MakeIsolationPolicy(const GlobalOptions& options) {
  IsolationPolicy policy;
  policy.bundled_dir = BundledPluginDir(CurrentExecutable());
  policy.limits.call_timeout_seconds = options.call_timeout;
  policy.limits.max_restarts = options.max_restarts;
  policy.limits.allow_network = options.allow_network;
  policy.scan_record = DefaultScanRecordPath();
  policy.limits.reproducer_dir = DefaultReproducerDir();
  for (const std::string& value : options.isolation) {
    const auto equals = value.find('=');
    const std::string level = equals == std::string::npos ? value : value.substr(equals + 1);
    const auto parsed = ParseIsolation(level);
    if (!parsed || equals == 0) {
      throw CLI::ValidationError(
          "--isolation",
          "\"" + value + "\": expected child, in-process or PLUGIN_ID=child|in-process");
    }
    if (equals == std::string::npos)
      policy.all = *parsed;
    else
      policy.per_plugin.emplace_back(value.substr(0, equals), *parsed);
  }
  return policy;
}

PluginHost OpenPlugins(const GlobalOptions& options, bool load) {
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
  };
  const auto dirs = SearchPath(options);
  for (const auto& dir : dirs) spdlog::debug("plugin search path: {}", dir.string());
  const auto scan_start = Clock::now();
  PluginHost host = PluginHost::Scan(dirs);
  spdlog::info("scanned {} plugin director{} in {:.1f} ms: {} plugin file{} found", dirs.size(),
               dirs.size() == 1 ? "y" : "ies", ms(scan_start), host.records().size(),
               host.records().size() == 1 ? "" : "s");
  host.SetIsolation(MakeIsolationPolicy(options));
  if (load) {
    const auto load_start = Clock::now();
    host.LoadAll();
    std::size_t loaded = 0;
    for (const auto& record : host.records()) {
      loaded += record.status == PluginRecord::Status::kLoaded;
    }
    spdlog::info("loaded {} of {} plugins in {:.1f} ms", loaded, host.records().size(),
                 ms(load_start));
  }
  for (const auto& problem : host.problems()) {
    // A missing default directory is normal for a build without bundled plugins.
    spdlog::warn("{}: {}", problem.path.string(), problem.reason);
  }
  for (const auto& record : host.records()) {
    if (record.status == PluginRecord::Status::kRefused) {
      spdlog::warn("plugin refused: {}: {}", record.path.string(), record.reason);
    } else if (record.manifest) {
      spdlog::debug("plugin {} {} ({}): {}, {}{}", record.manifest->id, record.manifest->version,
                    record.path.string(), StatusName(record.status),
                    record.isolation == Isolation::kChild ? "in a child" : "in-process",
                    record.first_load.empty() ? "" : "; " + record.first_load);
    }
  }
  return host;
}

bool WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return !std::ferror(stdout);
  }
  auto written = WriteFileAtomically(path, text);
  if (!written) {
    spdlog::error("{}", written.error());
    return false;
  }
  return true;
}

bool WriteOutputStreamed(
    const std::string& path,
    const std::function<bool(const std::function<bool(std::string_view)>&)>& produce) {
  if (path.empty() || path == "-") {
    const bool produced = produce([](std::string_view chunk) {
      return std::fwrite(chunk.data(), 1, chunk.size(), stdout) == chunk.size();
    });
    std::fflush(stdout);
    if (!produced || std::ferror(stdout)) {
      spdlog::error("could not write the output to stdout");
      return false;
    }
    return true;
  }
  auto writer = AtomicFileWriter::Open(path);
  if (!writer) {
    spdlog::error("{}", writer.error());
    return false;
  }
  AtomicFileWriter& w = **writer;
  if (!produce([&w](std::string_view chunk) { return w.Write(chunk); })) {
    spdlog::error("could not write {}: the output is left as it was", path);
    return false;  // the writer's destructor removes the temporary file
  }
  auto committed = w.Commit();
  if (!committed) {
    spdlog::error("{}", committed.error());
    return false;
  }
  return true;
}

bool StreamCases(const std::vector<std::string>& inputs, const Registry& registry,
                 const std::function<void(Case&&)>& on_case, int& exit_code) {
  LoadInputsOptions options;
  options.keep_cases = false;
  options.on_problem = [](const Diagnostic& d) { std::cerr << d.ToString() << "\n"; };
  options.on_case = [&on_case](Case&& c, const std::string&) { on_case(std::move(c)); };
  const LoadedCases loaded = LoadCaseInputs(inputs, registry, {}, options);
  if (loaded.problems == 0) return true;
  exit_code = kExitInputProblem;
  const std::size_t invalid = loaded.records - loaded.valid;
  std::cerr << loaded.problems << " problem" << (loaded.problems == 1 ? "" : "s") << " in "
            << invalid << " of " << loaded.records << " case" << (loaded.records == 1 ? "" : "s")
            << "\n";
  return false;
}

std::vector<Case> LoadCases(const std::vector<std::string>& inputs, const Registry& registry,
                            int& exit_code, bool report_ok) {
  // Problems are printed as they are found; a checker (report_ok) keeps no case, so that its
  // memory does not grow with the records of a JSONL file.
  LoadInputsOptions options;
  options.on_problem = [](const Diagnostic& d) { std::cerr << d.ToString() << "\n"; };
  std::map<std::string, std::size_t> per_jsonl;
  if (report_ok) {
    options.keep_cases = false;
    options.on_valid_document = [](const std::string& origin) { std::cout << origin << ": ok\n"; };
    options.valid_per_jsonl = &per_jsonl;
  }
  LoadedCases loaded = LoadCaseInputs(inputs, registry, {}, options);
  for (const auto& [file, count] : per_jsonl) {
    std::cout << file << ": " << count << " valid case" << (count == 1 ? "" : "s") << "\n";
  }
  if (loaded.problems > 0) {
    exit_code = kExitInputProblem;
    const std::size_t invalid = loaded.records - loaded.valid;
    std::cerr << loaded.problems << " problem" << (loaded.problems == 1 ? "" : "s") << " in "
              << invalid << " of " << loaded.records << " case" << (loaded.records == 1 ? "" : "s")
              << "\n";
  }
  return std::move(loaded.cases);
}

bool CheckOutputsApart(const std::vector<std::string>& inputs,
                       const std::vector<std::pair<std::string, std::string>>& outputs,
                       bool stdout_used, int& exit_code) {
  std::vector<NamedPath> read;
  for (const auto& input : inputs) read.push_back({"input", input});
  std::vector<NamedPath> written;
  for (const auto& [role, path] : outputs) written.push_back({role, path});
  if (auto clash = FindOutputClash(read, written, stdout_used)) {
    spdlog::error("{}", *clash);
    exit_code = kExitUsage;
    return false;
  }
  return true;
}

bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

namespace {
double MillisecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

StepClock::StepClock(std::string command)
    : command_(std::move(command)), start_(std::chrono::steady_clock::now()), last_(start_) {}

StepClock::~StepClock() {
  spdlog::info("{}: done in {:.1f} ms", command_, MillisecondsSince(start_));
}

void StepClock::Step(std::string_view what) {
  spdlog::info("{}: {} in {:.1f} ms", command_, what, MillisecondsSince(last_));
  last_ = std::chrono::steady_clock::now();
}

void AddListingOptions(CLI::App* cmd, ListingOptions& listing) {
  CLI::Option* max_rows =
      cmd->add_option("--max-rows", listing.max_rows,
                      "List at most N rows per listing table (default 200; findings of their "
                      "own: 20). Counts and metrics always cover every case")
          ->check(CLI::PositiveNumber);
  CLI::Option* all = cmd->add_flag("--all", listing.all,
                                   "List every row and give every item its finding (memory and "
                                   "output then grow with the cases: docs/analyses.md)");
  max_rows->excludes(all);
}

}  // namespace bmil::cli
