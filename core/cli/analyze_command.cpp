// `bmil analyze <case>...`: runs every loaded line and analyzer plugin over the cases and
// prints the canvas and the findings (text), or the full results (json).
#include "cli_common.hpp"

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/text_report.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace bmil::cli {

namespace {

struct AnalyzeOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string output;
  std::string by;
};

void Run(const GlobalOptions& options, const AnalyzeOptions& analyze, int& exit_code) {
  if (!CheckOutputsApart(analyze.inputs, {{"-o", analyze.output}},
                         analyze.output.empty() || analyze.output == "-", exit_code)) {
    return;
  }
  PluginHost host = OpenPlugins(options, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  std::vector<Case> cases = LoadCases(analyze.inputs, registry, exit_code, /*report_ok=*/false);
  if (exit_code != kExitOk) return;  // never analyze a partial input silently
  if (host.loaded().empty()) {
    spdlog::warn("no plugins loaded: nothing to analyze (see `bmil plugins list`)");
  }

  const bool terminal = analyze.output.empty() && StdoutIsTerminal();
  const TextStyle style{terminal && std::getenv("NO_COLOR") == nullptr, terminal};
  std::vector<CallError> failures;
  std::string text;
  if (analyze.by.empty()) {
    const AnalysisReport report = Analyze(host, registry, cases);
    failures = report.failures;
    text =
        analyze.format == "json" ? JsonText(report.ToJson()) : RenderText(report, registry, style);
  } else {
    const GroupedReport grouped = AnalyzeGrouped(host, registry, cases, analyze.by);
    for (const auto& group : grouped.groups) {
      failures.insert(failures.end(), group.report.failures.begin(), group.report.failures.end());
    }
    text =
        analyze.format == "json" ? JsonText(grouped.ToJson()) : RenderGroupedText(grouped, style);
  }
  if (!WriteOutput(analyze.output, text)) {
    exit_code = kExitInputProblem;
    return;
  }
  for (const auto& failure : failures) spdlog::error("{}", failure.ToString());
  if (!failures.empty()) exit_code = kExitPluginFailure;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto analyze = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Analyze case files with every loaded plugin: the BMIL canvas, the analyzers' results, "
      "each leadership line's assessment and proposals, and the findings.");
  cmd->add_option("cases", analyze->inputs,
                  "Case files (.json), JSONL files (.jsonl, one case per line) or directories "
                  "of them; several businesses give cross-case results")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--by", analyze->by,
                  "Group the businesses by an attribute and analyze each group (research "
                  "tables): industry, country, size or year (the year founded)")
      ->check(CLI::IsMember({"industry", "country", "size", "year"}));
  cmd->add_option("--format", analyze->format,
                  "Output format: text (canvas and findings) or json (everything)")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  cmd->add_option("-o,--output", analyze->output,
                  "Write to this file (atomically) instead of stdout");
  cmd->callback([&options, analyze, &exit_code] { Run(options, *analyze, exit_code); });
}

}  // namespace bmil::cli
