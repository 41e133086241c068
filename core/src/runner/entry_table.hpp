// Checking a plugin's entry table against the host and the plugin's manifest: the same rule
// whether the table is read in bmil's own process or in the runner.
#ifndef BMIL_CORE_RUNNER_ENTRY_TABLE_HPP_
#define BMIL_CORE_RUNNER_ENTRY_TABLE_HPP_

#include <bmil/abi.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace bmil {

// Why a plugin built for ABI major.minor cannot run in a host speaking host_major.host_minor
// ("built for ABI 2.0, but this bmil speaks ABI 1.0 (...)"), or "" when it can.
std::string AbiProblem(int major, int minor, int host_major, int host_minor);

// What the host expects of an entry table: the manifest's id, version and kind
// (BMIL_KIND_LINE or BMIL_KIND_ANALYZER).
struct ExpectedTable {
  std::string_view id;
  std::string_view version;
  std::uint32_t kind = 0;
};

// Checks the table an entry function returned (`table`, null when it returned none, with the
// plugin's `error`). On success returns "" and fills `copy` with the table widened to this
// host's layout (functions an older minor lacks read as null); otherwise the reason, e.g.
// "entry table id \"x\" differs from the manifest's id \"y\"".
std::string CheckEntryTable(const bmil_plugin* table, const bmil_error& error,
                            const ExpectedTable& expected, bmil_plugin& copy);

}  // namespace bmil

#endif  // BMIL_CORE_RUNNER_ENTRY_TABLE_HPP_
