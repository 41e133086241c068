// `bmil diff OLD NEW` (docs/control.md, "Snapshots"): how two versions of one case differ.
#include "cli_common.hpp"
#include "control/case_diff.hpp"
#include "report/terminal_text.hpp"

#include <bmil/case_io.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace bmil::cli {
namespace {

// With --exit-code, the status when the cases differ, as `git diff --exit-code` gives.
constexpr int kExitDiffer = 1;

struct CaseDiffArgs {
  std::string old_file, new_file, out, format;
  bool exit_code = false;
};

// The case in `path`, or nothing after printing every located problem.
std::optional<Case> LoadOne(const std::string& path, const Registry& registry) {
  LoadResult loaded = LoadCaseFile(path, registry);
  for (const Diagnostic& d : loaded.diagnostics) std::cerr << d.ToString() << "\n";
  return std::move(loaded.value);
}

void RunCaseDiff(const GlobalOptions& options, const CaseDiffArgs& args, int& exit_code) {
  if (!CheckOutputsApart({args.old_file, args.new_file}, {{"-o", args.out}},
                         args.out.empty() || args.out == "-", exit_code)) {
    return;
  }
  std::string format = args.format;
  if (format.empty()) {
    const std::string ext = std::filesystem::path(args.out).extension().string();
    format = ext == ".json" ? "json" : ext == ".md" ? "md" : "text";
  }
  // The manifests say which blocks and lines exist; no plugin code runs.
  PluginHost host = OpenPlugins(options, /*load=*/false);
  const Registry registry = host.MakeRegistry();
  const std::optional<Case> old_case = LoadOne(args.old_file, registry);
  const std::optional<Case> new_case = LoadOne(args.new_file, registry);
  if (!old_case || !new_case) {
    exit_code = kExitInputProblem;
    return;
  }
  if (old_case->business.id != new_case->business.id) {
    std::cerr << "bmil: " << args.old_file << " and " << args.new_file
              << " are cases of different businesses (\"" << TerminalSafe(old_case->business.id)
              << "\" and \"" << TerminalSafe(new_case->business.id)
              << "\"); bmil diff compares two versions of one case\n";
    exit_code = kExitInputProblem;
    return;
  }
  const control::CaseDiff diff = control::DiffCases(*old_case, *new_case);
  const std::string body =
      format == "json" ? JsonText(control::CaseDiffJson(diff, args.old_file, args.new_file))
                       : control::CaseDiffText(diff, args.old_file, args.new_file, format == "md");
  if (!WriteOutput(args.out, body)) {
    exit_code = kExitInputProblem;
    return;
  }
  if (args.exit_code && !diff.Empty()) exit_code = kExitDiffer;
}

}  // namespace

void AddDiffCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<CaseDiffArgs>();
  CLI::App* command = app.add_subcommand(
      "diff",
      "How two versions of one case differ (docs/control.md, \"Snapshots\"): business models "
      "created, excluded and changed, BMI tasks added, completed, abandoned and dropped, "
      "portfolios, strategy; matched by id. Exit 0 whether or not they differ (1 with "
      "--exit-code when they do), 1 when a case is invalid or the two are different "
      "businesses");
  command->add_option("old", args->old_file, "The earlier version of the case (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("new", args->new_file, "The later version of the case (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("-o,--output", args->out,
                      "Write here (default: stdout); a .json or .md name picks the format");
  command->add_option("--format", args->format, "text, md or json (default: text)")
      ->check(CLI::IsMember({"text", "md", "json"}));
  command->add_flag("--exit-code", args->exit_code,
                    "Exit with 1 when the cases differ, 0 when they do not (as git diff "
                    "--exit-code)");
  command->callback([&options, args, &exit_code] { RunCaseDiff(options, *args, exit_code); });
}

}  // namespace bmil::cli
