// The ids a case may use: building blocks (the seven built-in first, then any a plugin
// registers) and leadership lines (each registered by a line plugin's manifest).
#ifndef BMIL_REGISTRY_HPP_
#define BMIL_REGISTRY_HPP_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

struct RegisteredId {
  std::string id;      // e.g. "customers", "customer"
  std::string name;    // e.g. "Customers", "Customer innovation leadership"
  std::string code;    // lines: the paper's code, e.g. "CIL"; blocks: empty
  std::string plugin;  // the plugin that registered it; empty for built-ins
};

// Ordered sets of block and line ids. The position of an id is its bit in a bmil_set.
// Thread-compatible: build it before use, then share it read-only.
class Registry {
 public:
  // A registry holding only the seven built-in blocks and no lines.
  Registry();

  // Adds a block or line; false (and no change) when the id is taken or the set is full
  // (BMIL_MAX_IDS).
  bool AddBlock(RegisteredId block);
  bool AddLine(RegisteredId line);

  const std::vector<RegisteredId>& blocks() const { return blocks_; }
  const std::vector<RegisteredId>& lines() const { return lines_; }
  // Position of the id, or nullopt.
  std::optional<unsigned> BlockIndex(std::string_view id) const;
  std::optional<unsigned> LineIndex(std::string_view id) const;

 private:
  std::vector<RegisteredId> blocks_;
  std::vector<RegisteredId> lines_;
};

}  // namespace bmil

#endif  // BMIL_REGISTRY_HPP_
