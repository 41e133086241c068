#include "host/elf_section_reader.hpp"

#include <elf.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bmil/abi.h"

namespace bmil {
namespace {

namespace fs = std::filesystem;

// The manifest compiled into the test plugin; ends without a terminator, like a real one.
constexpr std::string_view kManifest = R"({"id":"demo","version":"1.2.3","kind":"line"})";

std::span<const std::byte> AsBytes(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const fs::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
}

// Unsigned fields of a file in its own byte order; the test's own reader and writer, so the
// expected values do not come from the code under test.
std::uint64_t GetField(const std::string& file, std::size_t at, std::size_t width,
                       bool big_endian) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const auto byte = static_cast<unsigned char>(file.at(big_endian ? at + i : at + width - 1 - i));
    value = (value << 8) | byte;
  }
  return value;
}

void PutField(std::string& file, std::size_t at, std::size_t width, std::uint64_t value,
              bool big_endian) {
  for (std::size_t i = 0; i < width; ++i) {
    const auto byte = static_cast<char>((value >> (8 * i)) & 0xff);
    file.at(big_endian ? at + width - 1 - i : at + i) = byte;
  }
}

// Offsets and widths from <elf.h>'s structs (the specification's layout on this machine),
// not from the reader's own table.
enum class HeaderField { kShoff, kShentsize, kShnum, kShstrndx };
enum class SectionField { kName, kType, kOffset, kSize, kLink };

#define BMIL_FIELD(type, member) \
  std::pair<std::size_t, std::size_t> { offsetof(type, member), sizeof(type::member) }

std::pair<std::size_t, std::size_t> HeaderFieldAt(bool is_64, HeaderField field) {
  switch (field) {
    case HeaderField::kShoff:
      return is_64 ? BMIL_FIELD(Elf64_Ehdr, e_shoff) : BMIL_FIELD(Elf32_Ehdr, e_shoff);
    case HeaderField::kShentsize:
      return is_64 ? BMIL_FIELD(Elf64_Ehdr, e_shentsize) : BMIL_FIELD(Elf32_Ehdr, e_shentsize);
    case HeaderField::kShnum:
      return is_64 ? BMIL_FIELD(Elf64_Ehdr, e_shnum) : BMIL_FIELD(Elf32_Ehdr, e_shnum);
    case HeaderField::kShstrndx:
      return is_64 ? BMIL_FIELD(Elf64_Ehdr, e_shstrndx) : BMIL_FIELD(Elf32_Ehdr, e_shstrndx);
  }
  std::abort();
}

std::pair<std::size_t, std::size_t> SectionFieldAt(bool is_64, SectionField field) {
  switch (field) {
    case SectionField::kName:
      return is_64 ? BMIL_FIELD(Elf64_Shdr, sh_name) : BMIL_FIELD(Elf32_Shdr, sh_name);
    case SectionField::kType:
      return is_64 ? BMIL_FIELD(Elf64_Shdr, sh_type) : BMIL_FIELD(Elf32_Shdr, sh_type);
    case SectionField::kOffset:
      return is_64 ? BMIL_FIELD(Elf64_Shdr, sh_offset) : BMIL_FIELD(Elf32_Shdr, sh_offset);
    case SectionField::kSize:
      return is_64 ? BMIL_FIELD(Elf64_Shdr, sh_size) : BMIL_FIELD(Elf32_Shdr, sh_size);
    case SectionField::kLink:
      return is_64 ? BMIL_FIELD(Elf64_Shdr, sh_link) : BMIL_FIELD(Elf32_Shdr, sh_link);
  }
  std::abort();
}

#undef BMIL_FIELD

// An ELF file, real or hand-built, whose header fields a test can read and patch.
class ElfImage {
 public:
  // The flags are read from the parameter, not the member: GCC 12 warns falsely
  // (-Wmaybe-uninitialized) when they are read from a moved-into member.
  explicit ElfImage(const std::string& file)
      : file_(file),
        is_64_(file.at(EI_CLASS) == ELFCLASS64),
        big_endian_(file.at(EI_DATA) == ELFDATA2MSB) {}

  const std::string& file() const { return file_; }
  std::string& file() { return file_; }
  std::span<const std::byte> bytes() const { return AsBytes(file_); }

  std::uint64_t Get(HeaderField field) const {
    const auto [at, width] = HeaderFieldAt(is_64_, field);
    return GetField(file_, at, width, big_endian_);
  }
  void Set(HeaderField field, std::uint64_t value) {
    const auto [at, width] = HeaderFieldAt(is_64_, field);
    PutField(file_, at, width, value, big_endian_);
  }
  std::uint64_t Get(std::uint64_t section, SectionField field) const {
    const auto [at, width] = SectionFieldAt(is_64_, field);
    return GetField(file_, SectionHeaderAt(section) + at, width, big_endian_);
  }
  void Set(std::uint64_t section, SectionField field, std::uint64_t value) {
    const auto [at, width] = SectionFieldAt(is_64_, field);
    PutField(file_, SectionHeaderAt(section) + at, width, value, big_endian_);
  }
  // The byte just past the section header table.
  std::uint64_t SectionTableEnd() const {
    return Get(HeaderField::kShoff) + Get(HeaderField::kShnum) * Get(HeaderField::kShentsize);
  }

 private:
  std::uint64_t SectionHeaderAt(std::uint64_t section) const {
    return Get(HeaderField::kShoff) + section * Get(HeaderField::kShentsize);
  }

  std::string file_;
  bool is_64_;
  bool big_endian_;
};

struct SectionSpec {
  std::string name;
  std::string data;  // for SHT_NOBITS: not stored, only its size is recorded
  std::uint32_t type = SHT_PROGBITS;
};

// Builds an ELF file by hand: the header, the section names, each section's data, then the
// section header table (a null section, `sections` in order as 1..n, ".shstrtab" last).
ElfImage BuildElf(bool is_64, bool big_endian, const std::vector<SectionSpec>& sections) {
  const std::size_t header_size = is_64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
  const std::size_t entry_size = is_64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);

  std::string names(1, '\0');
  std::vector<std::size_t> name_offsets;
  for (const SectionSpec& section : sections) {
    name_offsets.push_back(names.size());
    names += section.name;
    names += '\0';
  }
  const std::size_t strtab_name = names.size();
  names += ".shstrtab";
  names += '\0';

  std::string file(header_size, '\0');
  std::memcpy(file.data(), ELFMAG, SELFMAG);
  file[EI_CLASS] = is_64 ? ELFCLASS64 : ELFCLASS32;
  file[EI_DATA] = big_endian ? ELFDATA2MSB : ELFDATA2LSB;
  file[EI_VERSION] = EV_CURRENT;
  const std::size_t strtab_offset = file.size();
  file += names;
  std::vector<std::size_t> data_offsets;
  for (const SectionSpec& section : sections) {
    data_offsets.push_back(file.size());
    if (section.type != SHT_NOBITS) file += section.data;
  }
  file.resize((file.size() + 7) / 8 * 8, '\0');
  const std::size_t shoff = file.size();
  const std::size_t count = sections.size() + 2;
  file.resize(shoff + count * entry_size, '\0');

  // e_type, e_machine, e_version and e_ehsize sit at the same offsets in both classes.
  PutField(file, offsetof(Elf64_Ehdr, e_type), 2, ET_DYN, big_endian);
  PutField(file, offsetof(Elf64_Ehdr, e_machine), 2,
           is_64 ? (big_endian ? EM_PPC64 : EM_X86_64) : (big_endian ? EM_PPC : EM_386),
           big_endian);
  PutField(file, offsetof(Elf64_Ehdr, e_version), 4, EV_CURRENT, big_endian);
  ElfImage image(std::move(file));
  image.Set(HeaderField::kShoff, shoff);
  image.Set(HeaderField::kShentsize, entry_size);
  image.Set(HeaderField::kShnum, count);
  image.Set(HeaderField::kShstrndx, count - 1);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    image.Set(i + 1, SectionField::kName, name_offsets[i]);
    image.Set(i + 1, SectionField::kType, sections[i].type);
    image.Set(i + 1, SectionField::kOffset, data_offsets[i]);
    image.Set(i + 1, SectionField::kSize, sections[i].data.size());
  }
  image.Set(count - 1, SectionField::kName, strtab_name);
  image.Set(count - 1, SectionField::kType, SHT_STRTAB);
  image.Set(count - 1, SectionField::kOffset, strtab_offset);
  image.Set(count - 1, SectionField::kSize, names.size());
  return image;
}

// Contains a NUL and a byte above 0x7f: the reader must hand back bytes, not a C string.
const std::string kHandBuiltManifest = std::string("{\"id\":\"hand\"}\0\xff", 15);

// A hand-built file of 5 sections: 0 null, 1 ".bmil_manifes" ("short"), 2 the manifest,
// 3 ".bmil_manifest.extra" ("long"), 4 ".shstrtab". The decoys share a prefix with the name.
ElfImage BuildPluginElf(bool is_64, bool big_endian) {
  return BuildElf(is_64, big_endian,
                  {{".bmil_manifes", "short"},
                   {BMIL_MANIFEST_SECTION, kHandBuiltManifest},
                   {".bmil_manifest.extra", "long"}});
}

struct ClassAndOrder {
  bool is_64;
  bool big_endian;
};
constexpr ClassAndOrder kAllClassesAndOrders[] = {
    {false, false}, {false, true}, {true, false}, {true, true}};

std::string Describe(const ClassAndOrder& variant) {
  return std::string(variant.is_64 ? "ELFCLASS64" : "ELFCLASS32") +
         (variant.big_endian ? " big-endian" : " little-endian");
}

// Compiles a real shared object holding kManifest once for the whole suite.
class ElfSectionReader : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string dir_template = (fs::temp_directory_path() / "bmil_elf_test_XXXXXX").string();
    if (mkdtemp(dir_template.data()) == nullptr) {
      build_log_ = "mkdtemp failed: " + std::string(std::strerror(errno));
      return;
    }
    dir_ = dir_template;
    std::ostringstream source;
    source << "__attribute__((section(\"" BMIL_MANIFEST_SECTION
              "\"), used)) const unsigned char m[] = {";
    for (char c : kManifest) source << static_cast<int>(static_cast<unsigned char>(c)) << ",";
    source << "};\nint bmil_test_answer(void) { return 42; }\n";
    WriteFile(dir_ / "plugin.c", source.str());
    const fs::path so = dir_ / "plugin.so";
    const std::string command = "cc -shared -fPIC -o '" + so.string() + "' '" +
                                (dir_ / "plugin.c").string() + "' > '" +
                                (dir_ / "cc.log").string() + "' 2>&1";
    const int status = std::system(command.c_str());
    build_log_ = command + "\n" + ReadFile(dir_ / "cc.log");
    if (status == 0) so_path_ = so;
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  // The compiled shared object, or empty when it could not be built (see build_log_).
  static fs::path so_path_;
  static fs::path dir_;
  static std::string build_log_;
};

fs::path ElfSectionReader::so_path_;
fs::path ElfSectionReader::dir_;
std::string ElfSectionReader::build_log_;

TEST_F(ElfSectionReader, ReadsNamedSectionFromSharedObject) {
  ASSERT_FALSE(so_path_.empty()) << build_log_;
  const Result<std::string> manifest = ReadElfSection(so_path_, BMIL_MANIFEST_SECTION);
  ASSERT_TRUE(manifest.ok()) << manifest.error();
  EXPECT_EQ(*manifest, kManifest);
}

TEST_F(ElfSectionReader, ReadsNamedSectionFromBytesOfSharedObject) {
  ASSERT_FALSE(so_path_.empty()) << build_log_;
  const std::string file = ReadFile(so_path_);
  const Result<std::string> manifest = ReadElfSectionFromBytes(AsBytes(file), ".bmil_manifest");
  ASSERT_TRUE(manifest.ok()) << manifest.error();
  EXPECT_EQ(*manifest, kManifest);
}

// ReadElfSection reads only the parts of a usual file it needs (header, section headers,
// their names, the section): for every section, and for names no section has, it must
// answer what the parser answers on the whole file, also after reading a larger file (its
// buffer is reused) and for files cut short at any of those parts.
TEST_F(ElfSectionReader, ReadingOnlyTheNeededPartsAnswersAsTheWholeFile) {
  ASSERT_FALSE(so_path_.empty()) << build_log_;
  const std::string file = ReadFile(so_path_);
  const auto big = dir_ / "big.so";
  {
    std::ofstream out(big, std::ios::binary);
    out << file << std::string(1 << 20, 'x');  // larger: leaves stale bytes in the buffer
  }
  for (const char* name : {".bmil_manifest", ".shstrtab", ".text", ".dynsym", ".dynstr", ".bss",
                           ".comment", ".no_such_section", ""}) {
    ASSERT_TRUE(ReadElfSection(big, ".shstrtab").ok());
    const Result<std::string> sparse = ReadElfSection(so_path_, name);
    const Result<std::string> whole = ReadElfSectionFromBytes(AsBytes(file), name);
    ASSERT_EQ(sparse.ok(), whole.ok()) << name;
    if (whole.ok()) {
      EXPECT_TRUE(*sparse == *whole) << name;
    } else {
      EXPECT_EQ(sparse.error(), so_path_.string() + ": " + whole.error()) << name;
    }
  }
  for (const std::size_t cut : {std::size_t{40}, file.size() / 2, file.size() - 1}) {
    const auto path = dir_ / ("cut_" + std::to_string(cut) + ".so");
    {
      std::ofstream out(path, std::ios::binary);
      out << file.substr(0, cut);
    }
    const Result<std::string> sparse = ReadElfSection(path, BMIL_MANIFEST_SECTION);
    const Result<std::string> whole =
        ReadElfSectionFromBytes(AsBytes(file.substr(0, cut)), BMIL_MANIFEST_SECTION);
    ASSERT_EQ(sparse.ok(), whole.ok()) << cut;
    if (!whole.ok()) {
      EXPECT_EQ(sparse.error(), path.string() + ": " + whole.error()) << cut;
    }
  }
}

TEST_F(ElfSectionReader, ReadsOtherSectionsOfSharedObject) {
  ASSERT_FALSE(so_path_.empty()) << build_log_;
  // The section name string table holds the manifest section's own name.
  const Result<std::string> names = ReadElfSection(so_path_, ".shstrtab");
  ASSERT_TRUE(names.ok()) << names.error();
  EXPECT_NE(names->find(std::string(BMIL_MANIFEST_SECTION) + '\0'), std::string::npos);
}

TEST_F(ElfSectionReader, ReadsHandBuiltFileOfEachClassAndByteOrder) {
  for (const ClassAndOrder& variant : kAllClassesAndOrders) {
    SCOPED_TRACE(Describe(variant));
    const ElfImage image = BuildPluginElf(variant.is_64, variant.big_endian);
    const Result<std::string> manifest =
        ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
    ASSERT_TRUE(manifest.ok()) << manifest.error();
    EXPECT_EQ(*manifest, kHandBuiltManifest);
    const Result<std::string> decoy = ReadElfSectionFromBytes(image.bytes(), ".bmil_manifes");
    ASSERT_TRUE(decoy.ok()) << decoy.error();
    EXPECT_EQ(*decoy, "short");
  }
}

TEST_F(ElfSectionReader, ReadsHandBuiltFileWrittenToDisk) {
  ASSERT_FALSE(dir_.empty()) << build_log_;
  const fs::path path = dir_ / "big_endian_32.so";
  WriteFile(path, BuildPluginElf(false, true).file());
  const Result<std::string> manifest = ReadElfSection(path, BMIL_MANIFEST_SECTION);
  ASSERT_TRUE(manifest.ok()) << manifest.error();
  EXPECT_EQ(*manifest, kHandBuiltManifest);
}

TEST_F(ElfSectionReader, ReadsEmptySection) {
  const ElfImage image = BuildElf(true, false, {{BMIL_MANIFEST_SECTION, ""}});
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_TRUE(manifest.ok()) << manifest.error();
  EXPECT_EQ(*manifest, "");
}

TEST_F(ElfSectionReader, ReadsExtendedSectionNumbering) {
  for (const ClassAndOrder& variant : kAllClassesAndOrders) {
    SCOPED_TRACE(Describe(variant));
    ElfImage image = BuildPluginElf(variant.is_64, variant.big_endian);
    const std::uint64_t count = image.Get(HeaderField::kShnum);
    const std::uint64_t strtab = image.Get(HeaderField::kShstrndx);
    image.Set(0, SectionField::kSize, count);
    image.Set(0, SectionField::kLink, strtab);
    image.Set(HeaderField::kShnum, 0);
    image.Set(HeaderField::kShstrndx, SHN_XINDEX);
    const Result<std::string> manifest =
        ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
    ASSERT_TRUE(manifest.ok()) << manifest.error();
    EXPECT_EQ(*manifest, kHandBuiltManifest);
  }
}

TEST_F(ElfSectionReader, RefusesTextFile) {
  ASSERT_FALSE(dir_.empty()) << build_log_;
  const std::string text = "{\"id\":\"not-a-plugin\"}\n";
  const fs::path path = dir_ / "plugin.json";
  WriteFile(path, text);
  const Result<std::string> from_file = ReadElfSection(path, BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error(), path.string() + ": not an ELF file (bad magic)");
  const Result<std::string> from_bytes =
      ReadElfSectionFromBytes(AsBytes(text), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(from_bytes.ok());
  EXPECT_EQ(from_bytes.error(), "not an ELF file (bad magic)");
  // A prefix of the magic that goes wrong is still bad magic, not truncation.
  const Result<std::string> short_text = ReadElfSectionFromBytes(AsBytes("\x7f"
                                                                         "EX"),
                                                                 "x");
  ASSERT_FALSE(short_text.ok());
  EXPECT_EQ(short_text.error(), "not an ELF file (bad magic)");
}

TEST_F(ElfSectionReader, RefusesEmptyFile) {
  ASSERT_FALSE(dir_.empty()) << build_log_;
  const fs::path path = dir_ / "empty.so";
  WriteFile(path, "");
  const Result<std::string> manifest = ReadElfSection(path, BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), path.string() + ": not an ELF file (the file is empty)");
  const Result<std::string> from_bytes = ReadElfSectionFromBytes({}, BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(from_bytes.ok());
  EXPECT_EQ(from_bytes.error(), "not an ELF file (the file is empty)");
}

TEST_F(ElfSectionReader, RefusesNonexistentPath) {
  ASSERT_FALSE(dir_.empty()) << build_log_;
  const fs::path path = dir_ / "missing.so";
  const Result<std::string> manifest = ReadElfSection(path, BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "cannot open " + path.string() + ": " + std::strerror(ENOENT));
}

TEST_F(ElfSectionReader, RefusesDirectory) {
  ASSERT_FALSE(dir_.empty()) << build_log_;
  const Result<std::string> manifest = ReadElfSection(dir_, BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), dir_.string() + ": not a regular file");
}

TEST_F(ElfSectionReader, RefusesFileLargerThanLimit) {
  ASSERT_FALSE(dir_.empty()) << build_log_;
  // Sparse: takes no disk space, and the reader must refuse it before reading it.
  const fs::path path = dir_ / "huge.so";
  WriteFile(path, "");
  fs::resize_file(path, kMaxElfFileSize + 1);
  const Result<std::string> manifest = ReadElfSection(path, BMIL_MANIFEST_SECTION);
  fs::remove(path);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), path.string() +
                                  ": file has 268435457 bytes, more than the limit of "
                                  "268435456 (256 MiB)");
}

TEST_F(ElfSectionReader, RefusesTruncatedSharedObject) {
  ASSERT_FALSE(so_path_.empty()) << build_log_;
  const ElfImage image(ReadFile(so_path_));
  const std::string& file = image.file();
  const std::uint64_t table_end = image.SectionTableEnd();
  ASSERT_EQ(table_end, file.size()) << "cc is expected to put the section headers last";
  const std::uint64_t header_size = file[EI_CLASS] == ELFCLASS64 ? 64 : 52;
  const std::uint64_t shoff = image.Get(HeaderField::kShoff);

  struct Cut {
    std::uint64_t size;
    std::string message;
  };
  const std::vector<Cut> cuts = {
      {1, "truncated ELF file: ELF identification ends at byte 16 but the file has 1 bytes"},
      {10, "truncated ELF file: ELF identification ends at byte 16 but the file has 10 bytes"},
      {40, "truncated ELF file: ELF header ends at byte " + std::to_string(header_size) +
               " but the file has 40 bytes"},
      {file.size() / 2, "truncated ELF file: section header table ends at byte " +
                            std::to_string(table_end) + " but the file has " +
                            std::to_string(file.size() / 2) + " bytes"},
      {shoff, "truncated ELF file: section header table ends at byte " + std::to_string(table_end) +
                  " but the file has " + std::to_string(shoff) + " bytes"},
      {file.size() - 1, "truncated ELF file: section header table ends at byte " +
                            std::to_string(table_end) + " but the file has " +
                            std::to_string(file.size() - 1) + " bytes"},
  };
  for (const Cut& cut : cuts) {
    SCOPED_TRACE("cut at " + std::to_string(cut.size));
    const std::string truncated = file.substr(0, cut.size);
    const Result<std::string> manifest =
        ReadElfSectionFromBytes(AsBytes(truncated), BMIL_MANIFEST_SECTION);
    ASSERT_FALSE(manifest.ok());
    EXPECT_EQ(manifest.error(), cut.message);
  }

  const fs::path path = dir_ / "truncated.so";
  WriteFile(path, file.substr(0, shoff));
  const Result<std::string> from_file = ReadElfSection(path, BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error(), path.string() + ": " + cuts[4].message);
}

TEST_F(ElfSectionReader, RefusesMissingSection) {
  const ElfImage image = BuildElf(false, true, {{".text", "code"}, {".bmil_manifest.d", "{}"}});
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "no .bmil_manifest section");

  ASSERT_FALSE(so_path_.empty()) << build_log_;
  const Result<std::string> other = ReadElfSection(so_path_, ".bmil_other");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error(), so_path_.string() + ": no .bmil_other section");
}

TEST_F(ElfSectionReader, RefusesFileWithoutSectionHeaders) {
  ElfImage no_table = BuildPluginElf(true, false);
  no_table.Set(HeaderField::kShoff, 0);
  const Result<std::string> without_table =
      ReadElfSectionFromBytes(no_table.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(without_table.ok());
  EXPECT_EQ(without_table.error(),
            "no .bmil_manifest section (the file has no section header table)");

  // e_shnum == 0 and section 0 says 0 too: no sections at all.
  ElfImage no_sections = BuildPluginElf(false, false);
  no_sections.Set(HeaderField::kShnum, 0);
  const Result<std::string> without_sections =
      ReadElfSectionFromBytes(no_sections.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(without_sections.ok());
  EXPECT_EQ(without_sections.error(), "no .bmil_manifest section (the file has no sections)");

  ElfImage no_names = BuildPluginElf(true, true);
  no_names.Set(HeaderField::kShstrndx, SHN_UNDEF);
  const Result<std::string> without_names =
      ReadElfSectionFromBytes(no_names.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(without_names.ok());
  EXPECT_EQ(without_names.error(),
            "no .bmil_manifest section (the file has no section name string table)");
}

TEST_F(ElfSectionReader, RefusesSectionOffsetPastEndOfFile) {
  ElfImage image = BuildPluginElf(false, false);
  const std::uint64_t file_size = image.file().size();
  image.Set(2, SectionField::kOffset, file_size - 3);
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "truncated ELF file: .bmil_manifest section ends at byte " +
                                  std::to_string(file_size - 3 + kHandBuiltManifest.size()) +
                                  " but the file has " + std::to_string(file_size) + " bytes");

  // An offset whose sum with the size wraps around 64 bits.
  ElfImage wrapping = BuildPluginElf(true, true);
  wrapping.Set(2, SectionField::kOffset, std::numeric_limits<std::uint64_t>::max() - 1);
  const Result<std::string> wrapped =
      ReadElfSectionFromBytes(wrapping.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error(),
            "inconsistent ELF file: .bmil_manifest section (offset 18446744073709551614, "
            "size 15) does not fit in 64 bits");
}

TEST_F(ElfSectionReader, RefusesSectionHeaderTablePastEndOfFile) {
  ElfImage image = BuildPluginElf(true, false);
  const std::uint64_t file_size = image.file().size();
  image.Set(HeaderField::kShnum, 6);  // one more than the file holds
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "truncated ELF file: section header table ends at byte " +
                                  std::to_string(file_size + 64) + " but the file has " +
                                  std::to_string(file_size) + " bytes");

  // Extended numbering with a count whose table size wraps around 64 bits.
  ElfImage huge_count = BuildPluginElf(true, false);
  const std::uint64_t shoff = huge_count.Get(HeaderField::kShoff);
  huge_count.Set(0, SectionField::kSize, std::uint64_t{1} << 60);
  huge_count.Set(HeaderField::kShnum, 0);
  const Result<std::string> huge =
      ReadElfSectionFromBytes(huge_count.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error(), "inconsistent ELF header: section header table (offset " +
                              std::to_string(shoff) +
                              ", 1152921504606846976 entries of 64 bytes) does not fit in 64 "
                              "bits");

  ElfImage far_table = BuildPluginElf(true, false);
  far_table.Set(HeaderField::kShoff, std::numeric_limits<std::uint64_t>::max() - 63);
  const Result<std::string> far = ReadElfSectionFromBytes(far_table.bytes(), "x");
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.error(),
            "inconsistent ELF file: section header table (offset 18446744073709551552, size "
            "320) does not fit in 64 bits");
}

TEST_F(ElfSectionReader, RefusesTooSmallSectionHeaderEntries) {
  ElfImage image = BuildPluginElf(false, true);
  image.Set(HeaderField::kShentsize, 39);
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(),
            "inconsistent ELF header: section header entry size is 39 bytes, less than the 40 "
            "a 32-bit section header needs");
}

TEST_F(ElfSectionReader, RefusesStringTableIndexOutOfRange) {
  ElfImage image = BuildPluginElf(true, false);
  image.Set(HeaderField::kShstrndx, 5);
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(),
            "inconsistent ELF header: section name string table index 5 is out of range (the "
            "file has 5 sections)");

  // The same through SHN_XINDEX, with the index in section 0's sh_link.
  ElfImage extended = BuildPluginElf(false, true);
  extended.Set(HeaderField::kShstrndx, SHN_XINDEX);
  extended.Set(0, SectionField::kLink, 0xfffffff0);
  const Result<std::string> from_link =
      ReadElfSectionFromBytes(extended.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(from_link.ok());
  EXPECT_EQ(from_link.error(),
            "inconsistent ELF header: section name string table index 4294967280 is out of "
            "range (the file has 5 sections)");
}

TEST_F(ElfSectionReader, RefusesStringTableOfWrongType) {
  ElfImage image = BuildPluginElf(false, false);
  image.Set(4, SectionField::kType, SHT_NOBITS);
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(),
            "inconsistent ELF file: section name string table (section 4) has type 8, not "
            "SHT_STRTAB");
}

TEST_F(ElfSectionReader, RefusesStringTablePastEndOfFile) {
  ElfImage image = BuildPluginElf(true, true);
  const std::uint64_t file_size = image.file().size();
  image.Set(4, SectionField::kSize, file_size);
  const std::uint64_t strtab_offset = image.Get(4, SectionField::kOffset);
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "truncated ELF file: section name string table ends at byte " +
                                  std::to_string(strtab_offset + file_size) + " but the file has " +
                                  std::to_string(file_size) + " bytes");
}

TEST_F(ElfSectionReader, RefusesNameWithoutNulTerminator) {
  // ".shstrtab" is the last name; cutting the table by one byte drops its terminator.
  ElfImage image = BuildPluginElf(true, false);
  const std::uint64_t names_size = image.Get(4, SectionField::kSize);
  const std::uint64_t name_at = image.Get(4, SectionField::kName);
  image.Set(4, SectionField::kSize, names_size - 1);
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "inconsistent ELF file: section 4 name at offset " +
                                  std::to_string(name_at) +
                                  " is not NUL-terminated within the section name string table");
}

TEST_F(ElfSectionReader, RefusesNameOutsideStringTable) {
  ElfImage image = BuildPluginElf(false, true);
  const std::uint64_t names_size = image.Get(4, SectionField::kSize);
  image.Set(3, SectionField::kName, names_size);
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "inconsistent ELF file: section 3 name offset " +
                                  std::to_string(names_size) +
                                  " is outside the section name string table (" +
                                  std::to_string(names_size) + " bytes)");
}

TEST_F(ElfSectionReader, RefusesSectionLargerThanMaxSize) {
  const ElfImage image = BuildPluginElf(true, false);
  const Result<std::string> at_limit =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION, kHandBuiltManifest.size());
  ASSERT_TRUE(at_limit.ok()) << at_limit.error();
  EXPECT_EQ(*at_limit, kHandBuiltManifest);
  const Result<std::string> over_limit =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION, kHandBuiltManifest.size() - 1);
  ASSERT_FALSE(over_limit.ok());
  EXPECT_EQ(over_limit.error(), ".bmil_manifest section has 15 bytes, more than the limit of 14");

  // The limit is checked before the bounds: a huge size is refused for its size.
  ElfImage huge = BuildPluginElf(true, false);
  huge.Set(2, SectionField::kSize, std::uint64_t{1} << 40);
  const Result<std::string> huge_section =
      ReadElfSectionFromBytes(huge.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(huge_section.ok());
  EXPECT_EQ(huge_section.error(),
            ".bmil_manifest section has 1099511627776 bytes, more than the limit of 1048576");

  ASSERT_FALSE(so_path_.empty()) << build_log_;
  const Result<std::string> from_file = ReadElfSection(so_path_, BMIL_MANIFEST_SECTION, 8);
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error(), so_path_.string() + ": .bmil_manifest section has " +
                                   std::to_string(kManifest.size()) +
                                   " bytes, more than the limit of 8");
}

TEST_F(ElfSectionReader, RefusesNoBitsSection) {
  const ElfImage image =
      BuildElf(false, false, {{BMIL_MANIFEST_SECTION, std::string(32, 'x'), SHT_NOBITS}});
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), ".bmil_manifest section has no data in the file (SHT_NOBITS)");
}

TEST_F(ElfSectionReader, RefusesTwoSectionsWithTheName) {
  const ElfImage image = BuildElf(true, true,
                                  {{BMIL_MANIFEST_SECTION, "{\"id\":\"a\"}"},
                                   {".data", "1234"},
                                   {BMIL_MANIFEST_SECTION, "{\"id\":\"b\"}"}});
  const Result<std::string> manifest =
      ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error(), "ambiguous ELF file: two .bmil_manifest sections (sections 1 and 3)");
}

TEST_F(ElfSectionReader, RefusesUnsupportedIdentification) {
  struct Case {
    int at;
    char value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {EI_CLASS, 0, "unsupported ELF class 0 (expected 1 for 32-bit or 2 for 64-bit)"},
      {EI_CLASS, 3, "unsupported ELF class 3 (expected 1 for 32-bit or 2 for 64-bit)"},
      {EI_DATA, 0,
       "unsupported ELF data encoding 0 (expected 1 for little-endian or 2 for big-endian)"},
      {EI_DATA, static_cast<char>(0xff),
       "unsupported ELF data encoding 255 (expected 1 for little-endian or 2 for big-endian)"},
      {EI_VERSION, 2, "unsupported ELF version 2 (expected 1)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    ElfImage image = BuildPluginElf(true, false);
    image.file()[c.at] = c.value;
    const Result<std::string> manifest =
        ReadElfSectionFromBytes(image.bytes(), BMIL_MANIFEST_SECTION);
    ASSERT_FALSE(manifest.ok());
    EXPECT_EQ(manifest.error(), c.message);
  }
}

// Applies one random mutation: bytes changed anywhere, in the ELF header, in the section
// header table, set to extreme values, or the file cut short.
void Mutate(std::string& file, std::uint64_t table_offset, std::mt19937& random) {
  auto pick = [&](std::uint64_t low, std::uint64_t high) {  // in [low, high)
    return std::uniform_int_distribution<std::uint64_t>(low, high - 1)(random);
  };
  const std::uint64_t table_begin = std::min<std::uint64_t>(table_offset, file.size() - 1);
  const int changes = static_cast<int>(pick(1, 5));
  for (int i = 0; i < changes && !file.empty(); ++i) {
    std::uint64_t at = 0;
    switch (pick(0, 4)) {
      case 0:
        at = pick(0, file.size());
        break;
      case 1:
        at = pick(0, std::min<std::uint64_t>(64, file.size()));
        break;
      default:
        at = pick(table_begin, file.size());
        break;
    }
    switch (pick(0, 4)) {
      case 0:
        file[at] = '\0';
        break;
      case 1:
        file[at] = '\xff';
        break;
      default:
        file[at] = static_cast<char>(pick(0, 256));
        break;
    }
  }
  if (pick(0, 8) == 0) file.resize(pick(0, file.size() + 1));
}

// Runs 2000 seeded mutations of `original`; each must give a value or an error, and a value
// must be bytes of the mutated file no longer than the limit. Returns {ok, error} counts.
std::pair<int, int> RunMutations(const std::string& original, std::uint64_t table_offset,
                                 std::uint32_t seed) {
  constexpr std::size_t kLimit = 4096;
  std::mt19937 random(seed);
  int ok_count = 0;
  int error_count = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string file = original;
    Mutate(file, table_offset, random);
    const Result<std::string> section =
        ReadElfSectionFromBytes(AsBytes(file), BMIL_MANIFEST_SECTION, kLimit);
    if (section.ok()) {
      ++ok_count;
      EXPECT_LE(section->size(), kLimit) << "round " << round;
      EXPECT_NE(std::search(file.begin(), file.end(), section->begin(), section->end()), file.end())
          << "round " << round;
    } else {
      ++error_count;
      EXPECT_FALSE(section.error().empty()) << "round " << round;
    }
  }
  return {ok_count, error_count};
}

TEST_F(ElfSectionReader, SurvivesRandomMutationsOfSharedObject) {
  ASSERT_FALSE(so_path_.empty()) << build_log_;
  const ElfImage image(ReadFile(so_path_));
  const auto [ok_count, error_count] =
      RunMutations(image.file(), image.Get(HeaderField::kShoff), 20240611);
  // Both outcomes occur, so the mutations reach the reader's checks and its success path.
  EXPECT_GT(ok_count, 0);
  EXPECT_GT(error_count, 0);
}

TEST_F(ElfSectionReader, SurvivesRandomMutationsOfHandBuiltFiles) {
  for (const ClassAndOrder& variant : kAllClassesAndOrders) {
    SCOPED_TRACE(Describe(variant));
    const ElfImage image = BuildPluginElf(variant.is_64, variant.big_endian);
    const auto [ok_count, error_count] =
        RunMutations(image.file(), image.Get(HeaderField::kShoff), 7);
    EXPECT_GT(ok_count, 0);
    EXPECT_GT(error_count, 0);
  }
}

}  // namespace
}  // namespace bmil
