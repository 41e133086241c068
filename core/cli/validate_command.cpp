// `bmil validate <case>...`: checks case files against case format v1 and the registered ids.
#include "cli_common.hpp"

#include <iostream>

namespace bmil::cli {

void AddValidateCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check case files (case format v1) and report every problem with file:line:column and "
      "JSON pointer. Line ids are those of the plugins found (read from their manifests).");
  validate
      ->add_option("cases", *files,
                   "Case files (.json), JSONL files (.jsonl, one case per line) or "
                   "directories of them")
      ->required()
      ->check(CLI::ExistingPath);
  validate->callback([&options, files, &exit_code] {
    StepClock clock("validate");
    PluginHost host = OpenPlugins(options, /*load=*/false);
    const Registry registry = host.MakeRegistry();
    clock.Step("read " + std::to_string(host.records().size()) + " plugin manifests");
    LoadCases(*files, registry, exit_code, /*report_ok=*/true);
    clock.Step("validated the inputs");
  });
}

}  // namespace bmil::cli
