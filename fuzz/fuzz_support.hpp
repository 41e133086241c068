// What the fuzz targets share: the registry of the bundled lines, the one way a target
// reports a broken property, the wire bytes of a flat view, and a reusable in-memory file.
// Single-threaded, like libFuzzer's calls to LLVMFuzzerTestOneInput.
#ifndef BMIL_FUZZ_FUZZ_SUPPORT_HPP_
#define BMIL_FUZZ_FUZZ_SUPPORT_HPP_

#include <bmil/abi.h>
#include <bmil/registry.hpp>

#include "runner/wire.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace bmil::fuzz {

// The ids a case may use when bmil runs with its bundled plugins: the seven built-in blocks
// and the seven lines of plugins/lines/*/plugin.json, in their canvas order (the manifests'
// "order"), the order PluginHost::MakeRegistry() gives them. Built once.
inline const Registry& BundledRegistry() {
  static const Registry registry = [] {
    Registry r;
    const RegisteredId lines[] = {
        {"value", "Value innovation leadership", "VIL", "value"},
        {"customer", "Customer innovation leadership", "CIL", "customer"},
        {"value_chain", "Value chain innovation leadership", "VCIL", "value_chain"},
        {"competence", "Competence innovation leadership", "CoIL", "competence"},
        {"network", "Network innovation leadership", "NIL", "network"},
        {"relation", "Relation innovation leadership", "RIL", "relation"},
        {"process", "Process innovation leadership", "PIL", "process"},
    };
    for (const RegisteredId& line : lines) r.AddLine(line);
    return r;
  }();
  return registry;
}

// A property the target checks does not hold: says which on stderr, then traps so that
// libFuzzer keeps the input as a crash (a trap, not abort(): no handler can swallow it).
[[noreturn]] inline void Broken(const char* property, std::string_view detail = {}) {
  std::fprintf(stderr, "\n==bmil-fuzz== property broken: %s\n", property);
  if (!detail.empty()) {
    std::fprintf(stderr, "==bmil-fuzz== %.*s\n",
                 static_cast<int>(std::min<std::size_t>(detail.size(), 4096)), detail.data());
  }
  __builtin_trap();
}

// The view as the runner protocol carries it: every field a plugin can read, in a fixed
// order, so two views are equal exactly when these bytes are.
inline std::string WireBytes(const bmil_case_view& view) {
  std::string bytes;
  wire::Writer writer(bytes);
  wire::EncodeView(view, writer);
  return bytes;
}

// An anonymous in-memory file (memfd), reused from input to input: for the APIs that read
// a file descriptor. Aborts when the kernel has no memfd (the target cannot run at all).
class MemoryFile {
 public:
  MemoryFile() : fd_(memfd_create("bmil-fuzz", MFD_CLOEXEC)) {
    if (fd_ < 0) {
      std::perror("memfd_create");
      std::abort();
    }
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // Makes the file hold exactly `bytes`, with its offset at 0; returns its descriptor.
  int Hold(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0 || ::ftruncate(fd_, static_cast<off_t>(bytes.size())) != 0) {
      std::perror("ftruncate");
      std::abort();
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n =
          ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) {
        std::perror("pwrite");
        std::abort();
      }
      done += static_cast<std::size_t>(n);
    }
    ::lseek(fd_, 0, SEEK_SET);
    return fd_;
  }

 private:
  int fd_;
};

}  // namespace bmil::fuzz

#endif  // BMIL_FUZZ_FUZZ_SUPPORT_HPP_
