// `bmil analyze <case>...`: runs every loaded line and analyzer plugin over the cases and
// prints the canvas and the findings (text), or the full results (json).
#include "cli_common.hpp"

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/text_report.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace bmil::cli {

std::vector<Case> LoadCases(const std::vector<std::string>& files, const Registry& registry,
                            int& exit_code, bool report_ok);

namespace {

struct AnalyzeOptions {
  std::vector<std::string> files;
  std::string format = "text";
  std::string output;
};

void Run(const GlobalOptions& options, const AnalyzeOptions& analyze, int& exit_code) {
  PluginHost host = OpenPlugins(options, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  std::vector<Case> cases = LoadCases(analyze.files, registry, exit_code, /*report_ok=*/false);
  if (exit_code != kExitOk) return;  // never analyze a partial input silently
  if (host.loaded().empty()) {
    spdlog::warn("no plugins loaded: nothing to analyze (see `bmil plugins list`)");
  }

  const AnalysisReport report = Analyze(host, registry, cases);
  std::string text;
  if (analyze.format == "json") {
    text = report.ToJson().dump(2) + "\n";
  } else {
    const bool terminal = analyze.output.empty() && StdoutIsTerminal();
    TextStyle style{terminal && std::getenv("NO_COLOR") == nullptr, terminal};
    text = RenderText(report, registry, style);
  }
  if (!WriteOutput(analyze.output, text)) {
    exit_code = kExitInputProblem;
    return;
  }
  for (const auto& failure : report.failures) spdlog::error("{}", failure.ToString());
  if (!report.failures.empty()) exit_code = kExitPluginFailure;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto analyze = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Analyze case files with every loaded plugin: the BMIL canvas, the analyzers' results, "
      "each leadership line's assessment and proposals, and the findings.");
  cmd->add_option("cases", analyze->files, "Case files (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", analyze->format,
                  "Output format: text (canvas and findings) or json (everything)")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  cmd->add_option("-o,--output", analyze->output,
                  "Write to this file (atomically) instead of stdout");
  cmd->callback([&options, analyze, &exit_code] { Run(options, *analyze, exit_code); });
}

}  // namespace bmil::cli
