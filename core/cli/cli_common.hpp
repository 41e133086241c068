// What every `bmil` subcommand shares: exit codes, global options, the plugin host set-up,
// and writing output to stdout or a file.
#ifndef BMIL_CLI_CLI_COMMON_HPP_
#define BMIL_CLI_CLI_COMMON_HPP_

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/model.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::cli {

// Exit codes, documented in docs/cli.md and in `bmil --help`.
enum ExitCode : int {
  kExitOk = 0,             // everything worked
  kExitInputProblem = 1,   // a case file is invalid or unreadable
  kExitUsage = 2,          // bad command line
  kExitInternal = 3,       // a bug in bmil (please report it)
  kExitPluginFailure = 4,  // results were produced but a plugin call failed
  kExitAlert = 5           // `control status`: an alert is firing
};

struct GlobalOptions {
  std::vector<std::filesystem::path> plugin_dirs;  // --plugin-dir, repeatable
  bool no_default_plugins = false;                 // --no-default-plugins
  int verbosity = 0;                               // -v, repeatable
  // --isolation LEVEL or ID=LEVEL (repeatable), --call-timeout SECONDS
  std::vector<std::string> isolation;
  double call_timeout = 60;
  int max_restarts = 3;
  bool allow_network = false;  // --allow-network: plugins in a child may open sockets
};

// The isolation policy the options ask for; a malformed --isolation value is a usage error
// (throws CLI::ValidationError).
IsolationPolicy MakeIsolationPolicy(const GlobalOptions& options);

// The directories to scan for this run.
std::vector<std::filesystem::path> SearchPath(const GlobalOptions& options);

// Scans (and, when `load`, loads) the plugins; logs every refusal and problem to stderr.
PluginHost OpenPlugins(const GlobalOptions& options, bool load);

// Writes `text` to `path` atomically, or to stdout when path is empty or "-".
// Returns false (after logging why) on failure.
bool WriteOutput(const std::string& path, const std::string& text);

// Writes what `produce` gives, chunk by chunk, to `path` atomically (the file appears whole
// or keeps its old content) or to stdout when path is empty or "-". `produce` calls its
// argument with each chunk and returns false when a chunk could not be written or it
// failed itself. Returns false (after logging why) on failure. Memory: one chunk.
bool WriteOutputStreamed(
    const std::string& path,
    const std::function<bool(const std::function<bool(std::string_view)>&)>& produce);

// Refuses (exit 2, with the reason on stderr) a command line whose outputs would overwrite
// one of its inputs or each other (FindOutputClash); call it before opening anything for
// writing. `outputs` pairs each option name with its value ("" or "-" when not a file);
// `stdout_used` when results go to standard output. Returns false when refused.
bool CheckOutputsApart(const std::vector<std::string>& inputs,
                       const std::vector<std::pair<std::string, std::string>>& outputs,
                       bool stdout_used, int& exit_code);

// `json` as indented text and a newline, for output. Invalid UTF-8 that reached it (from a
// plugin manifest, say) is written as U+FFFD instead of ending the run with an exception.
template <typename Json>
std::string JsonText(const Json& json) {
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// Whether stdout is a terminal (for colours, box drawing).
bool StdoutIsTerminal();

// How long each step of a command took, logged at info level (bmil -v): "analyze: read and
// analyzed 5 cases in 812.4 ms", and at the end "analyze: done in 830.2 ms". Steps are timed
// from the previous Step() (or the start) on the monotonic clock.
class StepClock {
 public:
  explicit StepClock(std::string command);
  ~StepClock();
  StepClock(const StepClock&) = delete;
  StepClock& operator=(const StepClock&) = delete;
  void Step(std::string_view what);

 private:
  std::string command_;
  std::chrono::steady_clock::time_point start_, last_;
};

// --max-rows N and --all on a command that runs the analyzers (docs/analyses.md,
// "Listings"): how many rows their listing tables and findings keep.
void AddListingOptions(CLI::App* cmd, ListingOptions& listing);

// Loads every input (files, .jsonl files, directories: see LoadCaseInputs), printing each
// problem to stderr and, when `report_ok`, "<origin>: ok" for each valid case document
// (JSONL files get one summary line). Sets exit_code to kExitInputProblem when any input
// has a problem. Returns the valid cases.
std::vector<Case> LoadCases(const std::vector<std::string>& inputs, const Registry& registry,
                            int& exit_code, bool report_ok);

// Each problem on stderr, one per line, as `file:line:col /pointer: message`.
void PrintProblems(const std::vector<Diagnostic>& problems);

// Reads every input as LoadCases does, giving each valid case to `on_case` as it is read
// and keeping none: memory stays that of one case however many there are. Returns false
// (exit_code set to kExitInputProblem, the problems printed) when any input has a problem;
// the caller then writes no result, as for LoadCases.
bool StreamCases(const std::vector<std::string>& inputs, const Registry& registry,
                 const std::function<void(Case&&)>& on_case, int& exit_code);

// Registrations of the subcommands.
void AddPluginsCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddValidateCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddAnalyzeCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddCanvasCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
void AddNewPluginCommand(CLI::App& app, int& exit_code);
void AddReportCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
// `batch` and `merge`.
void AddBatchCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
// `scenario apply|diff|hash`.
void AddScenarioCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
// `plan adopt` and `checkin`.
void AddControlCommands(CLI::App& app, GlobalOptions& options, int& exit_code);
// `diff`: how two versions of one case differ.
void AddDiffCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
// `bmil agree` (docs/agreement.md).
void AddAgreeCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
// `bmil codebook` (docs/agreement.md).
void AddCodebookCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
// `bmil export qca` (docs/qca.md).
void AddExportCommand(CLI::App& app, GlobalOptions& options, int& exit_code);
// `bmil instrument lint` (instrument_command.cpp, docs/instruments.md).
void AddInstrumentCommand(CLI::App& app, GlobalOptions& options, int& exit_code);

}  // namespace bmil::cli

#endif  // BMIL_CLI_CLI_COMMON_HPP_
