// The conformance check an integrator runs on a plugin before deploying it (`bmil plugins
// check`): manifest, ABI, entry table, descriptor completeness, every call on sample cases,
// errors returned rather than thrown, an analyzer's save/load round trip and merge, and what
// the plugin's child saw it do: print to stdout, write into its case view, leak memory.
#ifndef BMIL_CONFORMANCE_HPP_
#define BMIL_CONFORMANCE_HPP_

#include <bmil/model.hpp>
#include <bmil/registry.hpp>

#include <bmil/plugin_host.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace bmil {

struct ConformanceCheck {
  std::string name;  // e.g. "manifest", "descriptor.questions", "analyzer.merge"
  bool passed = false;
  std::string detail;  // what was found (on failure: what was expected)
};

struct ConformanceReport {
  std::filesystem::path file;
  std::string plugin;  // the manifest's id, when readable
  // How the plugin's child was sandboxed: its seccomp filter's state as the runner reported it
  // ("active: no network ...", "unavailable: ..."); empty when the child was not reached.
  std::string sandbox;
  std::vector<ConformanceCheck> checks;

  bool ok() const;
  // "  PASS name: detail" lines, a "  sandbox: seccomp ..." line when `sandbox` is known,
  // and a closing "N checks: P passed, F failed".
  std::string ToText() const;
  nlohmann::ordered_json ToJson() const;
};

// Checks the plugin at `file`. The ids cases may use come from the plugins in
// `context_files` (e.g. the installed ones; any with the same id as the plugin under test
// are left out) plus the plugin's own manifest. Never throws. The plugin under test runs in a
// child process (bmil-plugin-runner) with `limits`, so a crash, abort, exit() or hang is a
// failed check, not the end of the checker; the context plugins run in-process. Loads the
// plugins (it is the point). After the calls above, three checks look at the child: nothing
// was written to its stdout (stdout.silent), no call changed its read-only case view
// (view.read_only), and its resident memory grew at most kLeakBudgetBytes over repeated
// rounds of calls after a warm-up round (memory.leak).
inline constexpr std::uint64_t kLeakBudgetBytes = std::uint64_t{16} << 20;
ConformanceReport CheckPluginConformance(const std::filesystem::path& file,
                                         std::span<const std::filesystem::path> context_files,
                                         const IsolationLimits& limits = {});

// Small deterministic cases that exercise every registered block and line, AS IS and TO BE
// models, value formulas, industries, portfolios, carried_by, attributes and a strategy,
// and one business with no BMI task. Valid against `registry`.
std::vector<Case> SampleCases(const Registry& registry);

// Problems of `result` against the result model (docs/schema/result.schema.json), each as
// "<pointer>: <what>"; empty when it conforms.
std::vector<std::string> ResultModelProblems(const nlohmann::json& result);

}  // namespace bmil

#endif  // BMIL_CONFORMANCE_HPP_
