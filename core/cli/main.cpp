// bmil — Business Model Innovation Leadership: the command-line host.
#include "cli_common.hpp"
#include "command_line_check.hpp"
#include "help_formatter.hpp"
#include "io/atomic_file.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>
#include <memory>

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0  ok
  1  problems in the input (invalid or unreadable case files);
     bmil diff --exit-code: the cases differ
  2  usage error (bad command line)
  3  internal error (a bug in bmil: please report it)
  4  a plugin call failed (the other plugins' results are complete)
  5  control status: an alert is firing (the status is written)

Plugins are searched in --plugin-dir directories, then BMIL_PLUGIN_PATH
(colon-separated), then the installation's own plugin directory; never the
current directory.
Docs: docs/cli.md, docs/data-format.md, docs/plugin-guide.md, docs/control.md)";

}  // namespace

int main(int argc, char** argv) {
  bmil::InstallTemporaryFileCleanup();  // interrupted writes leave no temporary file
  auto logger = spdlog::stderr_color_mt("bmil");
  logger->set_pattern("bmil: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::warn);

  CLI::App app{
      "bmil — map, analyze and lead business model innovation (Lindgren 2012's BMIL "
      "canvas) with plugins for leadership lines and analyses.",
      "bmil"};  // named, so that a usage line says "bmil", not the path it was started by
  app.formatter(std::make_shared<bmil::cli::HelpFormatter>());  // before the subcommands
  app.footer(kFooter);
  app.set_version_flag("--version", "bmil " BMIL_VERSION " (plugin ABI " +
                                        std::to_string(BMIL_ABI_MAJOR) + "." +
                                        std::to_string(BMIL_ABI_MINOR) + ")");
  app.require_subcommand(1);
  // Global options may come after the command too (a command passes the options it does not
  // know to bmil's own); inherited by every command added after this.
  app.fallthrough();

  bmil::cli::GlobalOptions options;
  app.add_option("--plugin-dir", options.plugin_dirs,
                 "Directory to search for plugins (repeatable; searched first)")
      ->type_name("DIR");
  app.add_flag("--no-default-plugins", options.no_default_plugins,
               "Do not search the installation's own plugin directory");
  app.add_flag("-v,--verbose", options.verbosity, "More log output on stderr (repeatable)");
  app.add_option("--isolation", options.isolation,
                 "Where plugins run: child (in a bmil-plugin-runner process: a crash, hang or "
                 "exit fails that plugin only) or in-process; ID=LEVEL for one plugin "
                 "(repeatable). Default: bundled plugins in-process, every other in a child")
      ->type_name("LEVEL|ID=LEVEL");
  app.add_option("--call-timeout", options.call_timeout,
                 "Seconds a plugin in a child may take for one call (or one record of a "
                 "batch) before it is killed and reported as hung")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-restarts", options.max_restarts,
                 "Times in a run a plugin's child that died (crash, hang, exit) is started "
                 "again before that plugin fails for the rest of the run")
      ->type_name("N")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  app.add_flag("--allow-network", options.allow_network,
               "Let plugins in a child open network sockets (by default their seccomp filter "
               "refuses every socket but AF_UNIX ones, where the filter is available)");
  app.parse_complete_callback([&] {
    if (options.verbosity >= 2)
      spdlog::set_level(spdlog::level::debug);
    else if (options.verbosity == 1)
      spdlog::set_level(spdlog::level::info);
  });

  int exit_code = bmil::cli::kExitOk;
  bmil::cli::AddPluginsCommand(app, options, exit_code);
  bmil::cli::AddValidateCommand(app, options, exit_code);
  bmil::cli::AddAnalyzeCommand(app, options, exit_code);
  bmil::cli::AddCanvasCommand(app, options, exit_code);
  bmil::cli::AddNewPluginCommand(app, exit_code);
  bmil::cli::AddReportCommand(app, options, exit_code);
  bmil::cli::AddBatchCommand(app, options, exit_code);
  bmil::cli::AddScenarioCommand(app, options, exit_code);
  bmil::cli::AddControlCommands(app, options, exit_code);
  bmil::cli::AddDiffCommand(app, options, exit_code);
  bmil::cli::AddAgreeCommand(app, options, exit_code);
  bmil::cli::AddCodebookCommand(app, options, exit_code);
  bmil::cli::AddExportCommand(app, options, exit_code);
  bmil::cli::AddInstrumentCommand(app, options, exit_code);

  // An unknown command or option is named before anything else is checked.
  if (const auto problem =
          bmil::cli::CheckCommandLine(app, std::vector<std::string>(argv + 1, argv + argc))) {
    std::cerr << "bmil: " << *problem << "\n";
    return bmil::cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string path = bmil::cli::CommandPath(app);
    std::cerr << "bmil: " << (path.empty() ? "" : path + ": ") << e.what() << "\n"
              << "Run 'bmil " << (path.empty() ? "" : path + " ") << "--help' for more.\n";
    return bmil::cli::kExitUsage;
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    return bmil::cli::kExitInternal;
  }
  return exit_code;
}
