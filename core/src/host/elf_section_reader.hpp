// Reads one section of an ELF file (a plugin's BMIL_MANIFEST_SECTION) straight from its
// bytes, so the host can learn what a plugin claims to be without loading or running it.
#ifndef BMIL_CORE_HOST_ELF_SECTION_READER_HPP_
#define BMIL_CORE_HOST_ELF_SECTION_READER_HPP_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "bmil/result.hpp"

namespace bmil {

// Files larger than this are refused before they are read.
inline constexpr std::uintmax_t kMaxElfFileSize = std::uintmax_t{256} << 20;

// Reads the contents of section `name` from the ELF file at `path` without loading it.
// Only regular files of at most kMaxElfFileSize bytes are read (std::ifstream, binary).
// On success returns the section's bytes exactly as stored. On failure returns a message:
// "cannot open <path>: <strerror>" and "cannot read <path>: <strerror>" for I/O errors,
// "<path>: not a regular file", "<path>: file has N bytes, more than the limit of
// 268435456 (256 MiB)", and otherwise "<path>: " followed by the message of
// ReadElfSectionFromBytes(). Thread-safe.
Result<std::string> ReadElfSection(const std::filesystem::path& path, std::string_view name,
                                   std::size_t max_size = 1 << 20);

// The same on a file already open (read with pread: the file offset is not used or moved);
// `shown` names it in messages. The host reads a plugin's manifest from the descriptor it
// checked and will load, never from a path opened again.
Result<std::string> ReadElfSectionFromFd(int fd, const std::string& shown, std::string_view name,
                                         std::size_t max_size = 1 << 20);

// Same on bytes already in memory (for tests and for callers that have the file); never
// reads outside `bytes`, whatever they hold. Accepts ELFCLASS32 and ELFCLASS64 in either
// byte order, and extended section numbering (e_shnum == 0 or e_shstrndx == SHN_XINDEX
// with the real values in section 0). Refuses, with a message saying why:
//   "not an ELF file (the file is empty)", "not an ELF file (bad magic)";
//   "unsupported ELF class|data encoding|version ...";
//   "truncated ELF file: <part> ends at byte N but the file has M bytes", where <part> is
//     "ELF identification", "ELF header", "section header table", "section name string
//     table" or "<name> section";
//   "inconsistent ELF header: ..." / "inconsistent ELF file: ..." for offsets whose sum
//     overflows, a section header entry size too small, a string table index out of range,
//     a string table that is not SHT_STRTAB, and a section name outside the string table or
//     not NUL-terminated within it;
//   "no <name> section", or "no <name> section (the file has no section header table)",
//     "(the file has no sections)", "(the file has no section name string table)";
//   "ambiguous ELF file: two <name> sections (sections A and B)";
//   "<name> section has no data in the file (SHT_NOBITS)";
//   "<name> section has N bytes, more than the limit of <max_size>".
// Thread-safe.
Result<std::string> ReadElfSectionFromBytes(std::span<const std::byte> bytes, std::string_view name,
                                            std::size_t max_size = 1 << 20);

}  // namespace bmil

#endif  // BMIL_CORE_HOST_ELF_SECTION_READER_HPP_
