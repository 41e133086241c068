// The command line checked before CLI11 parses it, for messages that name the real problem
// (issue 17): an unknown command ("unknown command 'frobnicate'", the commands, a
// did-you-mean) and an unknown option ("validate: unknown option '--frob'") are reported
// before any value is checked (CLI11 alone would first say that a file does not exist, or
// only "A subcommand is required").
#ifndef BMIL_CORE_CLI_COMMAND_LINE_CHECK_HPP_
#define BMIL_CORE_CLI_COMMAND_LINE_CHECK_HPP_

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bmil::cli {

// Walks `args` (argv without the program name) through `app`'s commands: options are looked
// up in the current command and its parents (global options may come before or after the
// command, as CLI11's fallthrough accepts them), an option that takes a value skips the next
// argument unless written NAME=VALUE, "--" ends the options, a number is a value. Returns the
// message for the first unknown command or option, or for a missing command where one is
// required (unless help or the version is asked for), without "bmil: "; or nothing.
std::optional<std::string> CheckCommandLine(const CLI::App& app,
                                            const std::vector<std::string>& args);

// "validate", "plugins check": the commands CLI11 parsed (for "bmil: validate: ..." messages
// and "bmil validate --help"); empty before any.
std::string CommandPath(const CLI::App& app);

}  // namespace bmil::cli

#endif  // BMIL_CORE_CLI_COMMAND_LINE_CHECK_HPP_
