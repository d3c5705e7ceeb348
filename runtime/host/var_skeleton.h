// The /var directory skeleton of a node's Debian packages. A guest's /var
// starts empty (its root is fresh), but a package's service expects the
// directories its package shipped (nginx's /var/lib/nginx, nfs-common's
// /var/lib/nfs, apache2's /var/log/apache2): dpkg's file lists name them.
// Every guest gets those directories, with the host's owners and modes,
// for the node's packages and everything they depend on; never a file.
#ifndef RIG_RUNTIME_HOST_VAR_SKELETON_H
#define RIG_RUNTIME_HOST_VAR_SKELETON_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::host {

// What dpkg's status file says about the installed packages.
class DpkgStatus {
 public:
  // Reads ADMIN/status (ADMIN is dpkg's admin directory).
  static llvm::Expected<DpkgStatus> read(
      llvm::StringRef adminDir = "/var/lib/dpkg");
  static DpkgStatus parse(llvm::StringRef statusText);

  // `names` and every installed package they reach through Depends and
  // Pre-Depends (every installed alternative, and the packages providing a
  // virtual name), sorted; names not installed are left out.
  std::vector<std::string> closure(llvm::ArrayRef<std::string> names) const;

  // The `NAME:ARCH` form dpkg names the package's file list with, or NAME.
  std::string listName(llvm::StringRef name) const;

 private:
  struct Package {
    std::string arch;
    bool multiArchSame = false;
    std::vector<std::string> depends;  // every alternative, versions dropped
  };
  std::map<std::string, Package> installed_;
  std::map<std::string, std::vector<std::string>> providers_;
};

struct HostDir {
  std::string path;
  uint32_t mode = 0755;  // permission bits (with setgid/sticky)
  uint32_t uid = 0, gid = 0;
  bool operator==(const HostDir& o) const {
    return path == o.path && mode == o.mode && uid == o.uid && gid == o.gid;
  }
};

// The directories under /var that the file lists of `packages` (each read
// from ADMIN/info/NAME.list) name and that are directories on the host
// (under `hostRoot`, "" for /), sorted (parents first). /var/run and
// /var/lock are left out: in a guest they lead into /run, which systemd
// mounts fresh.
std::vector<HostDir> varSkeleton(const DpkgStatus& status,
                                 llvm::ArrayRef<std::string> packages,
                                 llvm::StringRef adminDir = "/var/lib/dpkg",
                                 llvm::StringRef hostRoot = "");

}  // namespace rig::host

#endif
