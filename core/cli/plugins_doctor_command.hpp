// `bmil plugins doctor`: what bmil knows of each plugin's first load in a child (the scan
// record), and `--clear` to forget recorded failures so that a file is tried again.
#ifndef BMIL_CORE_CLI_PLUGINS_DOCTOR_COMMAND_HPP_
#define BMIL_CORE_CLI_PLUGINS_DOCTOR_COMMAND_HPP_

#include "cli_common.hpp"

namespace bmil::cli {

// Adds `doctor` under the `plugins` subcommand.
void AddPluginsDoctorCommand(CLI::App& plugins, GlobalOptions& options, int& exit_code);

}  // namespace bmil::cli

#endif  // BMIL_CORE_CLI_PLUGINS_DOCTOR_COMMAND_HPP_
