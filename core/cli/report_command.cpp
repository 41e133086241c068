// `bmil report <input>... -o report.md|.csv`: the analysis as a file to read or to load into
// R or pandas. (HTML comes with the report issue; until then it is refused, not faked.)
#include "cli_common.hpp"

#include <bmil/analysis.hpp>
#include <bmil/report_render.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>

namespace bmil::cli {
namespace {

struct ReportOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::string format;  // md or csv; from the output's extension when empty
};

void Run(const GlobalOptions& options, const ReportOptions& report, int& exit_code) {
  std::string format = report.format;
  if (format.empty()) {
    const std::string ext = std::filesystem::path(report.output).extension().string();
    if (ext == ".md" || ext == ".markdown") format = "md";
    if (ext == ".csv") format = "csv";
    if (ext == ".html" || ext == ".htm") format = "html";
  }
  if (format == "html") {
    spdlog::error("HTML reports are not available in this version; use -o report.md or .csv");
    exit_code = kExitUsage;
    return;
  }
  if (format != "md" && format != "csv") {
    spdlog::error("cannot tell the format of \"{}\": use a .md or .csv file or --format",
                  report.output);
    exit_code = kExitUsage;
    return;
  }
  PluginHost host = OpenPlugins(options, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  std::vector<Case> cases = LoadCases(report.inputs, registry, exit_code, /*report_ok=*/false);
  if (exit_code != kExitOk) return;
  const AnalysisReport analysis = Analyze(host, registry, cases);
  const std::string text =
      format == "md" ? RenderMarkdown(analysis, registry) : RenderCsv(analysis);
  if (!WriteOutput(report.output, text)) {
    exit_code = kExitInputProblem;
    return;
  }
  for (const auto& failure : analysis.failures) spdlog::error("{}", failure.ToString());
  if (!analysis.failures.empty()) exit_code = kExitPluginFailure;
}

}  // namespace

void AddReportCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto report = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the analysis of one or many businesses as Markdown (tables and findings) or CSV in "
      "tidy long form (analyzer, table, row, column, value) for R and pandas.");
  cmd->add_option("cases", report->inputs,
                  "Case files (.json), JSONL files (.jsonl) or directories of them")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("-o,--output", report->output,
                  "The report file; its extension (.md, .csv) gives the format; - for stdout")
      ->required();
  cmd->add_option("--format", report->format, "md or csv (default: from the output's extension)")
      ->check(CLI::IsMember({"md", "csv"}));
  cmd->callback([&options, report, &exit_code] { Run(options, *report, exit_code); });
}

}  // namespace bmil::cli
