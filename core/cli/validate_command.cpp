// `bmil validate <case>...`: checks case files against case format v1 and the registered ids.
#include "cli_common.hpp"

#include <bmil/case_io.hpp>

#include <iostream>

namespace bmil::cli {

// Loads every file, printing each problem to stderr; returns the cases that loaded.
// Sets exit_code to kExitInputProblem when any file has a problem.
std::vector<Case> LoadCases(const std::vector<std::string>& files, const Registry& registry,
                            int& exit_code, bool report_ok) {
  std::vector<Case> cases;
  for (const auto& file : files) {
    LoadResult result = LoadCaseFile(file, registry);
    for (const auto& d : result.diagnostics) std::cerr << d.ToString() << "\n";
    if (result.ok()) {
      if (report_ok) std::cout << file << ": ok\n";
      cases.push_back(std::move(*result.value));
    } else {
      exit_code = kExitInputProblem;
      std::cerr << file << ": " << result.diagnostics.size() << " problem"
                << (result.diagnostics.size() == 1 ? "" : "s") << "\n";
    }
  }
  return cases;
}

void AddValidateCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check case files (case format v1) and report every problem with file:line:column and "
      "JSON pointer. Line ids are those of the plugins found (read from their manifests).");
  validate->add_option("cases", *files, "Case files (.json)")->required()->check(CLI::ExistingFile);
  validate->callback([&options, files, &exit_code] {
    PluginHost host = OpenPlugins(options, /*load=*/false);
    const Registry registry = host.MakeRegistry();
    LoadCases(*files, registry, exit_code, /*report_ok=*/true);
  });
}

}  // namespace bmil::cli
