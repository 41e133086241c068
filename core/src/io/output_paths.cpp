#include "io/output_paths.hpp"

#include <bmil/case_source.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <variant>

namespace bmil {
namespace {

namespace fs = std::filesystem;

// What a path names: an existing regular file (device, inode), a file still to be created
// (its would-be canonical path), or something never compared.
struct FileKey {
  enum class Kind { kNone, kInode, kNewPath } kind = Kind::kNone;
  dev_t device = 0;
  ino_t inode = 0;
  std::string path;

  bool operator==(const FileKey& other) const {
    if (kind != other.kind || kind == Kind::kNone) return false;
    return kind == Kind::kInode ? device == other.device && inode == other.inode
                                : path == other.path;
  }
};

FileKey KeyOf(const std::string& path) {
  FileKey key;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode)) {
      key.kind = FileKey::Kind::kInode;
      key.device = st.st_dev;
      key.inode = st.st_ino;
    }
    return key;
  }
  // Not there (or a dangling link): where it would be created.
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  if (error) return key;
  const fs::path resolved = fs::weakly_canonical(absolute, error);
  key.kind = FileKey::Kind::kNewPath;
  key.path = (error ? absolute.lexically_normal() : resolved).string();
  return key;
}

struct Keyed {
  const NamedPath* named;
  std::string shown;  // the file as shown in a message
  FileKey key;
};

std::string Describe(const Keyed& k) {
  if (k.named->role == "input") return "the input " + k.shown;
  return k.named->role + " " + k.shown;
}

}  // namespace

std::optional<std::string> FindOutputClash(const std::vector<NamedPath>& inputs,
                                           const std::vector<NamedPath>& outputs,
                                           bool stdout_is_output) {
  std::vector<Keyed> read;
  for (const auto& input : inputs) {
    if (input.path.empty() || input.path == "-") continue;
    std::error_code error;
    if (fs::is_directory(input.path, error)) {
      std::string problem;
      for (const auto& file : ListCaseFiles(input.path, problem)) {
        read.push_back({&input, file.string(), KeyOf(file.string())});
      }
      continue;
    }
    read.push_back({&input, input.path, KeyOf(input.path)});
  }
  static const NamedPath kStdout{"standard output", "-"};
  std::vector<Keyed> written;
  for (const auto& output : outputs) {
    if (output.path.empty() || output.path == "-") continue;
    written.push_back({&output, output.path, KeyOf(output.path)});
  }
  if (stdout_is_output) {
    struct stat st {};
    if (::fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
      Keyed out{&kStdout, "", {}};
      out.key.kind = FileKey::Kind::kInode;
      out.key.device = st.st_dev;
      out.key.inode = st.st_ino;
      written.push_back(out);
    }
  }
  for (std::size_t i = 0; i < written.size(); ++i) {
    const std::string where =
        written[i].named == &kStdout ? "standard output" : Describe(written[i]);
    for (const auto& in : read) {
      if (written[i].key == in.key) {
        return where + " is " + Describe(in) +
               (written[i].shown == in.shown ? "" : " (the same file)") +
               ": writing it would destroy what is being read; write to another file";
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (written[i].key == written[j].key) {
        return where + " and " +
               (written[j].named == &kStdout ? std::string("standard output")
                                             : Describe(written[j])) +
               " are the same file: one would overwrite the other; give them different files";
      }
    }
  }
  return std::nullopt;
}

}  // namespace bmil
