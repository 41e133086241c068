#include "host/elf_section_reader.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>

namespace bmil {
namespace {

// Where the fields this reader needs sit in the ELF header and in a section header, per
// class. Written out from the ELF specification instead of taken from <elf.h>'s structs,
// because the file is read byte by byte in its own byte order, not through a struct.
struct ElfLayout {
  const char* class_name;
  std::uint64_t header_size;
  std::uint64_t shoff_at;  // e_shoff
  std::uint64_t shoff_width;
  std::uint64_t shentsize_at;  // e_shentsize; e_shnum and e_shstrndx follow (2 bytes each)
  std::uint64_t section_header_size;
  std::uint64_t sh_offset_at;  // sh_offset; sh_size follows with the same width
  std::uint64_t sh_link_at;
  std::uint64_t word_width;  // width of sh_offset and sh_size
};

constexpr ElfLayout kElf32Layout = {"32-bit", 52, 32, 4, 46, 40, 16, 24, 4};
constexpr ElfLayout kElf64Layout = {"64-bit", 64, 40, 8, 58, 64, 24, 40, 8};

// sh_name and sh_type are at the same place in both classes.
constexpr std::uint64_t kShNameAt = 0;
constexpr std::uint64_t kShTypeAt = 4;

struct SectionHeader {
  std::uint64_t name = 0;  // offset into the section name string table
  std::uint64_t type = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t link = 0;
};

// The end of [offset, offset + size), or nullopt when it does not fit in 64 bits.
std::optional<std::uint64_t> RangeEnd(std::uint64_t offset, std::uint64_t size) {
  if (size > std::numeric_limits<std::uint64_t>::max() - offset) return std::nullopt;
  return offset + size;
}

Failure Truncated(std::string_view part, std::uint64_t end, std::uint64_t file_size) {
  return Failure{"truncated ELF file: " + std::string(part) + " ends at byte " +
                 std::to_string(end) + " but the file has " + std::to_string(file_size) + " bytes"};
}

// Null when [offset, offset + size) lies within a file of `file_size` bytes, otherwise the
// refusal naming `part`.
std::optional<Failure> CheckRange(std::string_view part, std::uint64_t offset, std::uint64_t size,
                                  std::uint64_t file_size) {
  const std::optional<std::uint64_t> end = RangeEnd(offset, size);
  if (!end) {
    return Failure{"inconsistent ELF file: " + std::string(part) + " (offset " +
                   std::to_string(offset) + ", size " + std::to_string(size) +
                   ") does not fit in 64 bits"};
  }
  if (*end > file_size) return Truncated(part, *end, file_size);
  return std::nullopt;
}

// Reads fixed-width unsigned fields in the file's byte order. Callers check the range
// with CheckRange() first; reading outside the bytes is a programmer error.
class FieldReader {
 public:
  FieldReader(std::span<const std::byte> bytes, bool big_endian)
      : bytes_(bytes), big_endian_(big_endian) {}

  std::uint64_t Read(std::uint64_t offset, std::uint64_t width) const {
    const std::span<const std::byte> field = bytes_.subspan(offset, width);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < field.size(); ++i) {
      const std::byte b = big_endian_ ? field[i] : field[field.size() - 1 - i];
      value = (value << 8) | std::to_integer<std::uint64_t>(b);
    }
    return value;
  }

 private:
  std::span<const std::byte> bytes_;
  bool big_endian_;
};

// The section header table of a file whose table has been checked to lie within the file.
class SectionTable {
 public:
  SectionTable(FieldReader fields, const ElfLayout& layout, std::uint64_t offset,
               std::uint64_t entry_size)
      : fields_(fields), layout_(layout), offset_(offset), entry_size_(entry_size) {}

  // Requires entry `index` to lie within the checked table.
  SectionHeader Read(std::uint64_t index) const {
    const std::uint64_t at = offset_ + index * entry_size_;
    const std::uint64_t width = layout_.word_width;
    SectionHeader header;
    header.name = fields_.Read(at + kShNameAt, 4);
    header.type = fields_.Read(at + kShTypeAt, 4);
    header.offset = fields_.Read(at + layout_.sh_offset_at, width);
    header.size = fields_.Read(at + layout_.sh_offset_at + width, width);
    header.link = fields_.Read(at + layout_.sh_link_at, 4);
    return header;
  }

 private:
  FieldReader fields_;
  const ElfLayout& layout_;
  std::uint64_t offset_;
  std::uint64_t entry_size_;
};

// The NUL-terminated name at `offset` in the string table `names`, for section `index`.
Result<std::string_view> NameAt(std::span<const std::byte> names, std::uint64_t index,
                                std::uint64_t offset) {
  if (offset >= names.size()) {
    return Failure{"inconsistent ELF file: section " + std::to_string(index) + " name offset " +
                   std::to_string(offset) + " is outside the section name string table (" +
                   std::to_string(names.size()) + " bytes)"};
  }
  const char* begin = reinterpret_cast<const char*>(names.data()) + offset;
  const void* nul = std::memchr(begin, '\0', names.size() - offset);
  if (nul == nullptr) {
    return Failure{"inconsistent ELF file: section " + std::to_string(index) + " name at offset " +
                   std::to_string(offset) +
                   " is not NUL-terminated within the section name string table"};
  }
  return std::string_view(begin, static_cast<const char*>(nul) - begin);
}

// ReadElfSectionFromBytes() after the identification bytes have been checked.
Result<std::string> ReadSection(std::span<const std::byte> bytes, const ElfLayout& layout,
                                bool big_endian, std::string_view name, std::size_t max_size) {
  const std::string section = std::string(name) + " section";
  const std::uint64_t file_size = bytes.size();
  if (auto failure = CheckRange("ELF header", 0, layout.header_size, file_size)) {
    return *std::move(failure);
  }
  const FieldReader fields(bytes, big_endian);
  const std::uint64_t shoff = fields.Read(layout.shoff_at, layout.shoff_width);
  const std::uint64_t shentsize = fields.Read(layout.shentsize_at, 2);
  std::uint64_t section_count = fields.Read(layout.shentsize_at + 2, 2);
  std::uint64_t shstrndx = fields.Read(layout.shentsize_at + 4, 2);
  if (shoff == 0) return Failure{"no " + section + " (the file has no section header table)"};
  if (shentsize < layout.section_header_size) {
    return Failure{"inconsistent ELF header: section header entry size is " +
                   std::to_string(shentsize) + " bytes, less than the " +
                   std::to_string(layout.section_header_size) + " a " + layout.class_name +
                   " section header needs"};
  }
  const SectionTable table(fields, layout, shoff, shentsize);

  // Extended numbering: section 0 holds the values that do not fit in the header.
  if (section_count == 0 || shstrndx == SHN_XINDEX) {
    if (auto failure = CheckRange("section header table", shoff, shentsize, file_size)) {
      return *std::move(failure);
    }
    const SectionHeader first = table.Read(0);
    if (section_count == 0) section_count = first.size;
    if (shstrndx == SHN_XINDEX) shstrndx = first.link;
  }
  if (section_count == 0) return Failure{"no " + section + " (the file has no sections)"};
  if (section_count > std::numeric_limits<std::uint64_t>::max() / shentsize) {
    return Failure{"inconsistent ELF header: section header table (offset " +
                   std::to_string(shoff) + ", " + std::to_string(section_count) + " entries of " +
                   std::to_string(shentsize) + " bytes) does not fit in 64 bits"};
  }
  if (auto failure =
          CheckRange("section header table", shoff, section_count * shentsize, file_size)) {
    return *std::move(failure);
  }

  if (shstrndx == SHN_UNDEF) {
    return Failure{"no " + section + " (the file has no section name string table)"};
  }
  if (shstrndx >= section_count) {
    return Failure{"inconsistent ELF header: section name string table index " +
                   std::to_string(shstrndx) + " is out of range (the file has " +
                   std::to_string(section_count) + " sections)"};
  }
  const SectionHeader strtab = table.Read(shstrndx);
  if (strtab.type != SHT_STRTAB) {
    return Failure{"inconsistent ELF file: section name string table (section " +
                   std::to_string(shstrndx) + ") has type " + std::to_string(strtab.type) +
                   ", not SHT_STRTAB"};
  }
  if (auto failure =
          CheckRange("section name string table", strtab.offset, strtab.size, file_size)) {
    return *std::move(failure);
  }
  const std::span<const std::byte> names = bytes.subspan(strtab.offset, strtab.size);

  // Every name is checked, and a second match is refused: a manifest that two tools could
  // read differently (one taking the first match, one the last) is not trusted.
  std::optional<std::uint64_t> found;
  SectionHeader match;
  for (std::uint64_t index = 1; index < section_count; ++index) {  // 0 is reserved
    const SectionHeader header = table.Read(index);
    const Result<std::string_view> section_name = NameAt(names, index, header.name);
    if (!section_name.ok()) return Failure{section_name.error()};
    if (*section_name != name) continue;
    if (found) {
      return Failure{"ambiguous ELF file: two " + section + "s (sections " +
                     std::to_string(*found) + " and " + std::to_string(index) + ")"};
    }
    found = index;
    match = header;
  }
  if (!found) return Failure{"no " + section};

  if (match.type == SHT_NOBITS) return Failure{section + " has no data in the file (SHT_NOBITS)"};
  if (match.size > max_size) {
    return Failure{section + " has " + std::to_string(match.size) +
                   " bytes, more than the limit of " + std::to_string(max_size)};
  }
  if (auto failure = CheckRange(section, match.offset, match.size, file_size)) {
    return *std::move(failure);
  }
  const std::span<const std::byte> data = bytes.subspan(match.offset, match.size);
  return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

std::string ErrnoText(int error) { return error != 0 ? std::strerror(error) : "unknown error"; }

}  // namespace

Result<std::string> ReadElfSectionFromBytes(std::span<const std::byte> bytes, std::string_view name,
                                            std::size_t max_size) {
  if (bytes.empty()) return Failure{"not an ELF file (the file is empty)"};
  const std::size_t magic_checked = std::min<std::size_t>(bytes.size(), SELFMAG);
  if (std::memcmp(bytes.data(), ELFMAG, magic_checked) != 0) {
    return Failure{"not an ELF file (bad magic)"};
  }
  if (auto failure = CheckRange("ELF identification", 0, EI_NIDENT, bytes.size())) {
    return *std::move(failure);
  }
  const auto ident = [&](int at) { return std::to_integer<unsigned>(bytes[at]); };
  const ElfLayout* layout = nullptr;
  switch (ident(EI_CLASS)) {
    case ELFCLASS32:
      layout = &kElf32Layout;
      break;
    case ELFCLASS64:
      layout = &kElf64Layout;
      break;
    default:
      return Failure{"unsupported ELF class " + std::to_string(ident(EI_CLASS)) +
                     " (expected 1 for 32-bit or 2 for 64-bit)"};
  }
  bool big_endian = false;
  switch (ident(EI_DATA)) {
    case ELFDATA2LSB:
      big_endian = false;
      break;
    case ELFDATA2MSB:
      big_endian = true;
      break;
    default:
      return Failure{"unsupported ELF data encoding " + std::to_string(ident(EI_DATA)) +
                     " (expected 1 for little-endian or 2 for big-endian)"};
  }
  if (ident(EI_VERSION) != EV_CURRENT) {
    return Failure{"unsupported ELF version " + std::to_string(ident(EI_VERSION)) +
                   " (expected 1)"};
  }
  return ReadSection(bytes, *layout, big_endian, name, max_size);
}

// pread(2) of [offset, offset + length) into buffer + offset; false on any failure.
bool ReadRange(int fd, std::byte* buffer, std::uint64_t offset, std::uint64_t length) {
  std::uint64_t done = 0;
  while (done < length) {
    const ssize_t n =
        ::pread(fd, buffer + offset + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::uint64_t>(n);
  }
  return true;
}

// For the usual file (ELFCLASS64, little-endian, no extended numbering) reads only the
// parts ReadElfSectionFromBytes looks at — the ELF header, the section header table, the
// section name string table and the sections called `name` — to their places in `buffer`
// (the file's size). False when the file is anything else or a read fails: the caller then
// reads the whole file, and the parser says what is wrong with it. A plugin's manifest is
// a few hundred bytes of a file of hundreds of kilobytes.
bool ReadNeededParts(int fd, std::byte* buffer, std::uint64_t size, std::string_view name,
                     std::size_t max_size) {
  if constexpr (std::endian::native != std::endian::little) return false;
  if (size < sizeof(Elf64_Ehdr) || !ReadRange(fd, buffer, 0, sizeof(Elf64_Ehdr))) return false;
  Elf64_Ehdr header;
  std::memcpy(&header, buffer, sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB || header.e_shnum == 0 ||
      header.e_shstrndx == SHN_UNDEF || header.e_shstrndx >= header.e_shnum ||
      header.e_shentsize < sizeof(Elf64_Shdr)) {
    return false;
  }
  const std::uint64_t table_size = std::uint64_t{header.e_shnum} * header.e_shentsize;
  if (header.e_shoff > size || table_size > size - header.e_shoff ||
      !ReadRange(fd, buffer, header.e_shoff, table_size)) {
    return false;
  }
  auto section = [&](std::size_t i) {
    Elf64_Shdr out;
    std::memcpy(&out, buffer + header.e_shoff + i * header.e_shentsize, sizeof out);
    return out;
  };
  auto in_file = [&](const Elf64_Shdr& s) {
    return s.sh_type != SHT_NOBITS && s.sh_offset <= size && s.sh_size <= size - s.sh_offset;
  };
  const Elf64_Shdr names = section(header.e_shstrndx);
  if (names.sh_type != SHT_STRTAB || !in_file(names) ||
      !ReadRange(fd, buffer, names.sh_offset, names.sh_size)) {
    return false;
  }
  const auto* strings = reinterpret_cast<const char*>(buffer + names.sh_offset);
  for (std::size_t i = 0; i < header.e_shnum; ++i) {
    const Elf64_Shdr s = section(i);
    if (s.sh_name >= names.sh_size) continue;
    const std::size_t room = names.sh_size - s.sh_name;
    const std::string_view section_name(strings + s.sh_name, strnlen(strings + s.sh_name, room));
    if (section_name != name || !in_file(s) || s.sh_size > max_size) continue;
    if (!ReadRange(fd, buffer, s.sh_offset, s.sh_size)) return false;
  }
  return true;
}

// ReadElfSection keeps its read buffer for the next file up to this size.
constexpr std::size_t kKeptBufferLimit = std::size_t{16} << 20;

Result<std::string> ReadElfSection(const std::filesystem::path& path, std::string_view name,
                                   std::size_t max_size) {
  const std::string shown = path.string();
  // Checked before opening so that a FIFO or device never blocks or streams forever.
  std::error_code status_error;
  const std::filesystem::file_status status = std::filesystem::status(path, status_error);
  if (!status_error && !std::filesystem::is_regular_file(status)) {
    return Failure{shown + ": not a regular file"};
  }

  // read(2) into a buffer that is not zero-filled first: `bmil plugins list` reads every
  // plugin file, and filling megabytes only to overwrite them was a third of its time.
  errno = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Failure{"cannot open " + shown + ": " + ErrnoText(errno)};
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  return ReadElfSectionFromFd(fd, shown, name, max_size);
}

Result<std::string> ReadElfSectionFromFd(int fd, const std::string& shown, std::string_view name,
                                         std::size_t max_size) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size < 0) {
    return Failure{"cannot read " + shown + ": " + ErrnoText(errno)};
  }
  const auto file_size = static_cast<std::uintmax_t>(info.st_size);
  if (file_size > kMaxElfFileSize) {
    return Failure{shown + ": file has " + std::to_string(file_size) +
                   " bytes, more than the limit of " + std::to_string(kMaxElfFileSize) +
                   " (256 MiB)"};
  }
  const auto size = static_cast<std::size_t>(file_size);
  // One buffer per thread, reused from file to file: its pages are faulted in once, not for
  // every plugin file (page faults were most of the cost of reading them). Let go of when
  // a file was larger than plugins usually are.
  thread_local std::unique_ptr<std::byte[]> kept;
  thread_local std::size_t kept_size = 0;
  if (kept_size < size) {
    kept = std::make_unique_for_overwrite<std::byte[]>(size);
    kept_size = size;
  }
  std::unique_ptr<std::byte[]> dropped;  // freed on return, after its last use
  std::byte* const buffer_data = kept.get();
  if (kept_size > kKeptBufferLimit) {
    dropped = std::move(kept);
    kept_size = 0;
  }
  std::size_t done = ReadNeededParts(fd, buffer_data, size, name, max_size) ? size : 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buffer_data + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failure{"cannot read " + shown + ": " + ErrnoText(errno)};
    if (n == 0) return Failure{"cannot read " + shown + ": the file shrank while it was read"};
    done += static_cast<std::size_t>(n);
  }
  const std::span<const std::byte> contents(buffer_data, size);

  auto section = ReadElfSectionFromBytes(contents, name, max_size);
  if (!section.ok()) return Failure{shown + ": " + section.error()};
  return section;
}

}  // namespace bmil
