// `bmil report <input>... -o report.html|.md|.csv`: the analysis as a file to read, print,
// or load into R or pandas.
#include "cli_common.hpp"

#include <bmil/analysis.hpp>
#include <bmil/html_report.hpp>
#include <bmil/report_render.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>

namespace bmil::cli {
namespace {

struct ReportOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::string format;  // html, md or csv; from the output's extension when empty
  ListingOptions listing;
};

// The format named by the output's extension, or "".
std::string FormatOf(const std::string& output) {
  std::string ext = std::filesystem::path(output).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".html" || ext == ".htm") return "html";
  if (ext == ".md" || ext == ".markdown") return "md";
  if (ext == ".csv") return "csv";
  return "";
}

void Run(const GlobalOptions& options, const ReportOptions& report, int& exit_code) {
  const std::string format = report.format.empty() ? FormatOf(report.output) : report.format;
  if (format.empty()) {
    spdlog::error(
        "cannot tell the format of \"{}\": use a .html, .md or .csv file, or --format html|md|csv",
        report.output);
    exit_code = kExitUsage;
    return;
  }
  if (!CheckOutputsApart(report.inputs, {{"-o", report.output}},
                         report.output.empty() || report.output == "-", exit_code)) {
    return;
  }
  StepClock clock("report");
  PluginHost host = OpenPlugins(options, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  clock.Step("opened " + std::to_string(host.loaded().size()) + " plugins");
  // The cases stream (docs/scaling.md): each is given to every plugin, and only the first
  // ones (as many as the listings show) are kept for the sections that describe businesses.
  // The reports show the threats the lines raise (tallied by the run), never each
  // assessment or proposal: those are not kept.
  DiscardLineResults discard;
  AnalysisRun run(host, registry, &discard, report.listing);
  ReportCases cases(report.listing.all            ? ReportCases::kAll
                    : report.listing.max_rows > 0 ? report.listing.max_rows
                                                  : ReportCases::kDefaultKeep);
  if (!StreamCases(
          report.inputs, registry,
          [&](Case&& c) {
            run.Add(c);
            cases.Add(std::move(c));
          },
          exit_code)) {
    return;  // never a report of a partial input
  }
  clock.Step("read and analyzed " + std::to_string(cases.totals().businesses) +
             (cases.totals().businesses == 1 ? " case (" : " cases (") +
             std::to_string(cases.kept().size()) + " kept for the business sections)");
  const AnalysisReport analysis = run.Finish();
  clock.Step("finished the analyzers");
  std::string text;
  if (format == "html") {
    text = RenderHtml(analysis, registry, cases);
  } else if (format == "md") {
    text = RenderMarkdown(analysis, registry, cases);
  } else {
    text = RenderCsv(analysis);
  }
  clock.Step("rendered " + format + " (" + std::to_string(text.size()) + " bytes)");
  if (!WriteOutput(report.output, text)) {
    exit_code = kExitInputProblem;
    return;
  }
  clock.Step("wrote " + report.output);
  for (const auto& failure : analysis.failures) spdlog::error("{}", failure.ToString());
  if (!analysis.failures.empty()) exit_code = kExitPluginFailure;
}

}  // namespace

void AddReportCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto report = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the analysis of one or many businesses as a self-contained HTML page (canvas "
      "heatmap, charts, findings; prints on A4), as Markdown (tables and findings) or as CSV in "
      "tidy long form (analyzer, table, row, column, value) for R and pandas.");
  cmd->add_option("cases", report->inputs,
                  "Case files (.json), JSONL files (.jsonl) or directories of them")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("-o,--output", report->output,
                  "The report file; its extension (.html/.htm, .md, .csv) gives the format; - "
                  "for stdout (then give --format)")
      ->required();
  cmd->add_option("--format", report->format,
                  "html, md or csv (default: from the output's extension)")
      ->check(CLI::IsMember({"html", "md", "csv"}));
  AddListingOptions(cmd, report->listing);
  cmd->callback([&options, report, &exit_code] { Run(options, *report, exit_code); });
}

}  // namespace bmil::cli
