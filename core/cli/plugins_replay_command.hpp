// `bmil plugins replay FILE`: gives a plugin the input it crashed or hung on again, in a
// child, from the reproducer bmil wrote (docs/reproducers.md).
#ifndef BMIL_CORE_CLI_PLUGINS_REPLAY_COMMAND_HPP_
#define BMIL_CORE_CLI_PLUGINS_REPLAY_COMMAND_HPP_

#include "cli_common.hpp"

namespace bmil::cli {

// Adds `replay` under the `plugins` subcommand.
void AddPluginsReplayCommand(CLI::App& plugins, GlobalOptions& options, int& exit_code);

}  // namespace bmil::cli

#endif  // BMIL_CORE_CLI_PLUGINS_REPLAY_COMMAND_HPP_
