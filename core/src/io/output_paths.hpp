// Refusing a command line whose outputs would overwrite its inputs or each other, before
// anything is opened for writing.
#ifndef BMIL_CORE_IO_OUTPUT_PATHS_HPP_
#define BMIL_CORE_IO_OUTPUT_PATHS_HPP_

#include <optional>
#include <string>
#include <vector>

namespace bmil {

// One file a command reads or writes, named as the user named it.
struct NamedPath {
  std::string role;  // how the command line names it: "input", "-o", "--rejects", ...
  std::string path;  // as given; "-" (stdin/stdout) and "" (not given) are skipped
};

// Checks that no output names the same file as an input or as another output. Files are
// compared by what they are, not by their names: an existing file by device and inode (so
// symbolic links, hard links, "./x" and "/abs/x" are all seen through), a file that does
// not exist yet by the canonical path of its directory and its name. Directories among the
// inputs stand for every case file under them (ListCaseFiles). Standard output counts as
// an output when it is a regular file (`> file` in the shell), so `bmil analyze x.json >>
// x.json` is refused too. Outputs that are not regular files (/dev/null, a terminal, a
// FIFO) are never compared: writing to them destroys nothing.
// Returns the problem ("-o out.json is the input cases.json") or nothing when all is well.
std::optional<std::string> FindOutputClash(const std::vector<NamedPath>& inputs,
                                           const std::vector<NamedPath>& outputs,
                                           bool stdout_is_output);

}  // namespace bmil

#endif  // BMIL_CORE_IO_OUTPUT_PATHS_HPP_
