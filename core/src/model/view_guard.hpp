// Keeping in-process plugins from changing the case view others read: a copy of every byte
// a view points at, taken before the plugins run and compared after each plugin's call
// (docs/plugin-isolation.md, "Writes into the case view"). A plugin that casts away const
// and writes is caught in the call that wrote, reported as that plugin's failure, and what
// it wrote is put back before the next plugin reads the view.
#ifndef BMIL_CORE_MODEL_VIEW_GUARD_HPP_
#define BMIL_CORE_MODEL_VIEW_GUARD_HPP_

#include <bmil/abi.h>

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

class ViewGuard {
 public:
  // Copies every byte `view` points at: the view itself, its tables, the elements' own
  // tables and every string, walking arrays by the view's element sizes. Overlapping and
  // adjacent ranges are merged, so that a check compares a few runs of memory. The view
  // must stay where it is until the next Take().
  //
  // `strings`, when given, is part of one allocation that most of the view's strings point
  // into (the batch fast path's string buffer): the strings inside it are guarded as the
  // one range from the first to the end of the last, which keeps a check to a few memcmp
  // calls (the bytes between them belong to the same buffer, so nothing else changes them).
  void Take(const bmil_case_view& view, std::string_view strings = {});

  // Copies the ranges `memory` (a view known to lie in a few buffers, e.g. a decoded view's
  // struct, its array buffer and the bytes its strings point into): the same guard as
  // Take() without walking the view. Empty ranges are skipped.
  void TakeMemory(std::initializer_list<std::span<const std::byte>> memory);

  // How many bytes differ from the copy (0: none); any that differ are put back. Not
  // thread-safe with writers of the view (the engines check between calls).
  std::size_t CheckAndRestore();

  // The bytes guarded (for the benchmark and the tests).
  std::size_t bytes() const { return copy_.size(); }
  std::size_t ranges() const { return ranges_.size(); }

 private:
  struct Range {
    const char* at;
    std::size_t size;
    std::size_t offset;  // into copy_
  };
  void Add(const void* at, std::size_t size);
  // Sorts and joins ranges_, then copies them.
  void Copy();
  std::vector<Range> ranges_;
  std::string copy_;
  // Take()'s string region, and the part of it the strings cover.
  const char* region_begin_ = nullptr;
  const char* region_end_ = nullptr;
  const char* used_begin_ = nullptr;
  const char* used_end_ = nullptr;
};

// "wrote into the read-only case view (N bytes changed, put back)" for a guard that found
// `changed` bytes written by plugin `plugin` in `call`.
std::string ViewWriteMessage(std::size_t changed);

}  // namespace bmil

#endif  // BMIL_CORE_MODEL_VIEW_GUARD_HPP_
