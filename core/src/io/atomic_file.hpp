// Writing a file so that readers see either its old or its new content, never a mix.
#ifndef BMIL_CORE_IO_ATOMIC_FILE_HPP_
#define BMIL_CORE_IO_ATOMIC_FILE_HPP_

#include <bmil/result.hpp>

#include <filesystem>
#include <string_view>

namespace bmil {

// Writes `content` to a new temporary file in the directory of `path`, flushes it to disk
// (fsync), and renames it over `path`, replacing any file there; then syncs the directory.
// A replaced file's permission bits are kept; a new file gets 0666 minus the umask. On
// failure nothing is left behind (the temporary file is removed, `path` is untouched) and
// the error says which step failed, with the path and the system's reason. When `path` is
// a symbolic link, the link itself is replaced. Thread-safe; concurrent writers to one path
// leave one of their contents in place.
Result<bool> WriteFileAtomically(const std::filesystem::path& path, std::string_view content);

}  // namespace bmil

#endif  // BMIL_CORE_IO_ATOMIC_FILE_HPP_
