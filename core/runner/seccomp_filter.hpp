// The runner's seccomp filter (docs/plugin-isolation.md, "No network"): what a plugin in a
// child may not ask the kernel for. Built with Debian's libseccomp when it was found at
// configure time (BMIL_HAVE_SECCOMP); without it the filter is reported as unavailable.
#ifndef BMIL_CORE_RUNNER_SECCOMP_FILTER_HPP_
#define BMIL_CORE_RUNNER_SECCOMP_FILTER_HPP_

#include <string>

namespace bmil::runner {

// Installs a filter on the calling process (and everything it later starts) that makes the
// kernel refuse, with EACCES, the creation of sockets of every family but AF_UNIX (socket,
// socketpair) unless `allow_network`, and always, with EPERM, system calls a plugin has no
// use for and that reach past its process: ptrace, process_vm_readv/writev, mount and the new
// mount API, pivot_root, chroot, unshare, setns, kexec, kernel modules, reboot, swapon/off,
// bpf, perf_event_open, userfaultfd, the kernel keyring and io_uring (which can create a
// socket without the socket call). Nothing is killed: a plugin gets an error it can report.
// Requires PR_SET_NO_NEW_PRIVS (or CAP_SYS_ADMIN). Install it after the plugin is loaded,
// so that the dynamic loader runs unfiltered.
//
// Returns what the host reports: "active: ..." with what is denied, or "unavailable: ..."
// (built without libseccomp, an architecture it does not cover, or the kernel refused) with
// the reason. Not thread-safe: call it before the plugin starts threads.
std::string InstallSeccompFilter(bool allow_network);

}  // namespace bmil::runner

#endif  // BMIL_CORE_RUNNER_SECCOMP_FILTER_HPP_
