// `bmil codebook [-o FILE]` (docs/agreement.md, "The codebook"): the coding manual for coders,
// from the case format and the loaded line plugins' definitions and questions.
#include "cli_common.hpp"
#include "research/codebook.hpp"

#include <bmil/analysis.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>

namespace bmil::cli {
namespace {

struct CodebookArgs {
  std::string out, format;
};

void RunCodebook(const GlobalOptions& options, const CodebookArgs& args, int& exit_code) {
  std::string format = args.format;
  if (format.empty()) {
    const std::string ext = std::filesystem::path(args.out).extension().string();
    format = ext == ".html" || ext == ".htm" ? "html" : "md";
  }
  if (!CheckOutputsApart({}, {{"-o", args.out}}, args.out.empty() || args.out == "-", exit_code)) {
    return;
  }
  // The lines describe themselves: their plugins are loaded (in a child unless bundled).
  PluginHost host = OpenPlugins(options, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  std::vector<CallError> failures;
  const nlohmann::json lines = AnalyzerConfig(host, registry, failures);
  const std::string version = BMIL_VERSION;
  const std::string text = format == "html" ? research::CodebookHtml(registry, lines, version)
                                            : research::CodebookMarkdown(registry, lines, version);
  if (!WriteOutput(args.out, text)) {
    exit_code = kExitInputProblem;
    return;
  }
  for (const auto& failure : failures) spdlog::error("{}", failure.ToString());
  if (!failures.empty()) exit_code = kExitPluginFailure;
}

}  // namespace

void AddCodebookCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<CodebookArgs>();
  CLI::App* command = app.add_subcommand(
      "codebook",
      "The coding manual for coders (docs/agreement.md): how to code a case, every coded "
      "field with a rule for each value, the building blocks, and each loaded leadership "
      "line's definition and guiding questions, as Markdown or HTML");
  command->add_option("-o,--output", args->out,
                      "Write here (default: stdout); .html picks HTML, anything else Markdown");
  command->add_option("--format", args->format, "md or html (default: from -o, else md)")
      ->check(CLI::IsMember({"md", "html"}));
  command->callback([&options, args, &exit_code] { RunCodebook(options, *args, exit_code); });
}

}  // namespace bmil::cli
