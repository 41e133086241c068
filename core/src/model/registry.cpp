#include <bmil/abi.h>
#include <bmil/registry.hpp>
#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>

namespace bmil {
namespace {

std::optional<unsigned> IndexOf(const std::vector<RegisteredId>& ids, std::string_view id) {
  auto it = std::find_if(ids.begin(), ids.end(), [&](const RegisteredId& r) { return r.id == id; });
  if (it == ids.end()) return std::nullopt;
  return static_cast<unsigned>(it - ids.begin());
}

bool Add(std::vector<RegisteredId>& ids, RegisteredId entry) {
  if (ids.size() >= BMIL_MAX_IDS || IndexOf(ids, entry.id)) return false;
  ids.push_back(std::move(entry));
  return true;
}

}  // namespace

Registry::Registry() {
  for (std::size_t i = 0; i < sdk::kBuiltinBlocks.size(); ++i) {
    blocks_.push_back(
        {std::string(sdk::kBuiltinBlocks[i]), std::string(sdk::kBuiltinBlockNames[i]), "", ""});
  }
}

bool Registry::AddBlock(RegisteredId block) { return Add(blocks_, std::move(block)); }
bool Registry::AddLine(RegisteredId line) { return Add(lines_, std::move(line)); }

std::optional<unsigned> Registry::BlockIndex(std::string_view id) const {
  return IndexOf(blocks_, id);
}
std::optional<unsigned> Registry::LineIndex(std::string_view id) const {
  return IndexOf(lines_, id);
}

}  // namespace bmil
