// Fuzzes how the host learns what a plugin file claims before running any of its code: the
// ELF section reader (core/src/host/elf_section_reader.hpp) looking for the .bmil_manifest
// section, and the manifest parser on what it finds. The input is the whole plugin file.
// Beyond "no crash, no hang, no leak, no undefined behaviour, never reads outside the bytes":
//  - the reader the host really uses (ReadElfSectionFromFd, on a memfd holding the input)
//    gives what ReadElfSectionFromBytes gives on the same bytes: the same section, or the
//    same refusal prefixed with the file's name. The fd reader reads only the parts of a
//    usual file it needs into a buffer it keeps from file to file; so that a read of a part
//    it skipped shows, that buffer first holds a file of the same size filled with 0xA5;
//  - a section it returns has at most max_size bytes;
//  - a manifest the parser accepts is of kind line, analyzer or model (a model for ABI 1.1
//    or newer), a line plugin's provides a line, and CheckAbi() can judge its ABI numbers.
#include "host/elf_section_reader.hpp"

#include <bmil/abi.h>
#include <bmil/manifest.hpp>

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace {

using bmil::fuzz::Broken;

constexpr std::size_t kMaxManifest = std::size_t{1} << 20;  // the host's default
const std::string kShown = "plugin.so";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bmil::fuzz::MemoryFile file;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const bmil::Result<std::string> from_bytes = bmil::ReadElfSectionFromBytes(
      std::as_bytes(std::span(data, size)), BMIL_MANIFEST_SECTION, kMaxManifest);

  // Fill the fd reader's kept buffer: not an ELF file, so it is read whole.
  (void)bmil::ReadElfSectionFromFd(file.Hold(std::string(size, '\xA5')), kShown,
                                   BMIL_MANIFEST_SECTION, kMaxManifest);
  const bmil::Result<std::string> from_fd =
      bmil::ReadElfSectionFromFd(file.Hold(bytes), kShown, BMIL_MANIFEST_SECTION, kMaxManifest);

  if (from_fd.ok() != from_bytes.ok()) {
    Broken("ReadElfSectionFromFd and ReadElfSectionFromBytes disagree on the same bytes",
           from_fd.ok() ? "fd: a section; bytes: " + from_bytes.error()
                        : "fd: " + from_fd.error() + "; bytes: a section");
  }
  if (!from_bytes.ok()) {
    if (from_fd.error() != kShown + ": " + from_bytes.error()) {
      Broken("ReadElfSectionFromFd refuses for another reason than ReadElfSectionFromBytes",
             from_fd.error() + "\n" + from_bytes.error());
    }
    return 0;
  }
  if (*from_fd != *from_bytes) {
    Broken("ReadElfSectionFromFd returns other bytes than ReadElfSectionFromBytes");
  }
  if (from_bytes->size() > kMaxManifest) Broken("a section larger than max_size was returned");

  const bmil::Result<bmil::Manifest> manifest = bmil::ParseManifest(*from_bytes);
  if (!manifest.ok()) return 0;
  if (manifest->kind != "line" && manifest->kind != "analyzer" && manifest->kind != "model") {
    Broken("ParseManifest accepted a kind other than line, analyzer or model", manifest->kind);
  }
  if (manifest->kind == "model" && manifest->abi_major == 1 && manifest->abi_minor < 1) {
    Broken("ParseManifest accepted a model plugin for an ABI before 1.1");
  }
  if (manifest->kind == "line" && manifest->lines.empty()) {
    Broken("ParseManifest accepted a line plugin that provides no line");
  }
  (void)bmil::CheckAbi(manifest->abi_major, manifest->abi_minor, BMIL_ABI_MAJOR, BMIL_ABI_MINOR);
  return 0;
}
