#include "seccomp_filter.hpp"

#if defined(BMIL_HAVE_SECCOMP)
#include <seccomp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#endif

namespace bmil::runner {

#if defined(BMIL_HAVE_SECCOMP) && (defined(__x86_64__) || defined(__aarch64__))

namespace {

// A libseccomp filter context, released however the installation ends.
class Filter {
 public:
  Filter() : ctx_(seccomp_init(SCMP_ACT_ALLOW)) {}
  ~Filter() {
    if (ctx_ != nullptr) seccomp_release(ctx_);
  }
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;
  scmp_filter_ctx get() const { return ctx_; }

 private:
  scmp_filter_ctx ctx_;
};

std::string Unavailable(const char* what, int rc) {
  return std::string("unavailable: ") + what + ": " + std::strerror(-rc);
}

}  // namespace

std::string InstallSeccompFilter(bool allow_network) {
  Filter filter;
  if (filter.get() == nullptr) return "unavailable: libseccomp could not start a filter";
  // x86_64 and aarch64 make socket() a system call of its own, whose first argument (the
  // family) a filter can compare. A system call of another ABI (i386's int 0x80, whose
  // socketcall() hides its arguments behind a pointer, or x32) ends the process with SIGSYS.
  if (int rc = seccomp_attr_set(filter.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
      rc != 0) {
    return Unavailable("cannot refuse foreign system call ABIs", rc);
  }
  if (!allow_network) {
    for (int call : {SCMP_SYS(socket), SCMP_SYS(socketpair)}) {
      if (int rc = seccomp_rule_add(filter.get(), SCMP_ACT_ERRNO(EACCES), call, 1,
                                    SCMP_A0(SCMP_CMP_NE, AF_UNIX));
          rc != 0) {
        return Unavailable("cannot add the socket rule", rc);
      }
    }
  }
  static const int kDenied[] = {
      SCMP_SYS(ptrace),          SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
      SCMP_SYS(mount),           SCMP_SYS(umount2),          SCMP_SYS(pivot_root),
      SCMP_SYS(chroot),          SCMP_SYS(unshare),          SCMP_SYS(setns),
      SCMP_SYS(fsopen),          SCMP_SYS(fsconfig),         SCMP_SYS(fsmount),
      SCMP_SYS(fspick),          SCMP_SYS(move_mount),       SCMP_SYS(open_tree),
      SCMP_SYS(kexec_load),      SCMP_SYS(kexec_file_load),  SCMP_SYS(init_module),
      SCMP_SYS(finit_module),    SCMP_SYS(delete_module),    SCMP_SYS(reboot),
      SCMP_SYS(swapon),          SCMP_SYS(swapoff),          SCMP_SYS(bpf),
      SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd),      SCMP_SYS(keyctl),
      SCMP_SYS(add_key),         SCMP_SYS(request_key),      SCMP_SYS(io_uring_setup),
      SCMP_SYS(io_uring_enter),  SCMP_SYS(io_uring_register)};
  for (int call : kDenied) {
    // A call this libseccomp does not know (a negative pseudo-number) is left out.
    if (call < 0) continue;
    if (int rc = seccomp_rule_add(filter.get(), SCMP_ACT_ERRNO(EPERM), call, 0); rc != 0) {
      return Unavailable("cannot add a rule", rc);
    }
  }
  if (int rc = seccomp_load(filter.get()); rc != 0) {
    return Unavailable("the kernel refused the filter", rc);
  }
  return allow_network
             ? "active: network allowed (--allow-network); ptrace, mount, kexec, modules, bpf, "
               "io_uring and the like denied"
             : "active: no network (sockets other than AF_UNIX denied); ptrace, mount, kexec, "
               "modules, bpf, io_uring and the like denied";
}

#elif defined(BMIL_HAVE_SECCOMP)

std::string InstallSeccompFilter(bool) {
  return "unavailable: the filter covers x86_64 and aarch64 only, not this architecture";
}

#else

std::string InstallSeccompFilter(bool) {
  return "unavailable: bmil was built without libseccomp (install libseccomp-dev and rebuild)";
}

#endif

}  // namespace bmil::runner
