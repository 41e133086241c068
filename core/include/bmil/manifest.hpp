// A plugin's manifest: the JSON text bmil_add_plugin() embeds in the plugin's
// ".bmil_manifest" ELF section, read by the host before any plugin code runs.
#ifndef BMIL_MANIFEST_HPP_
#define BMIL_MANIFEST_HPP_

#include <bmil/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

struct ProvidedId {
  std::string id;
  std::string code;  // lines: the paper's code, e.g. "CIL"
  std::string name;
  int order = 1000;  // lines: position on the canvas (the paper's seven use 10, 20, ... 70)
};

struct Manifest {
  std::string id;  // ^[a-z][a-z0-9_]*$, unique among loaded plugins
  std::string name;
  std::string version;  // e.g. "1.0.0"
  std::string kind;     // "line", "analyzer" or "model" (ABI 1.1)
  int abi_major = 0;    // from "abi": "MAJOR.MINOR"
  int abi_minor = 0;
  std::vector<ProvidedId> lines;   // leadership lines this plugin registers
  std::vector<ProvidedId> blocks;  // extra building blocks this plugin registers
  // provides.analyzers: an analyzer plugin's own id when its manifest says so (optional).
  std::vector<ProvidedId> analyzers;
  std::string description;
  std::string license;
  std::string vendor;
};

// The bmil_plugin_kind of a manifest's kind ("line", "analyzer", "model"), or 0 for another.
std::uint32_t KindCode(std::string_view kind);

// Parses and checks a manifest: required keys id, name, version, kind, abi; kind one of
// line|analyzer|model (a model needs ABI 1.1 or newer); a line plugin provides at least one
// line; provides.analyzers only in an analyzer plugin, and then exactly its own id; no key
// bmil does not know (at the top, in "provides" or in an entry), with a did-you-mean.
// Returns a message naming the
// key on failure. Does not check the ABI against the host (see CheckAbi).
Result<Manifest> ParseManifest(std::string_view text);

// Whether a plugin built for ABI major.minor can be loaded by this host: same major, minor
// not newer than the host's. Returns the reason on failure.
Result<bool> CheckAbi(int major, int minor, int host_major, int host_minor);

}  // namespace bmil

#endif  // BMIL_MANIFEST_HPP_
