// The node configuration share (RUNDIR/NODE/config, mounted as 9p tag
// `rigcfg`): a `manifest` of directives plus a `root/` tree that rig-guest's
// stage 1 copies into the new root before running the directives in order
// (runtime/guest/README.md holds the format).
//
// Input: a plan::Node and what the host's /etc holds (accounts, secrets,
// enabled units). Output: NodeConfig, written by writeNodeConfig().
#ifndef RIG_RUNTIME_VM_NODE_CONFIG_H
#define RIG_RUNTIME_VM_NODE_CONFIG_H

#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/host/var_skeleton.h"
#include "runtime/plan/plan.h"
#include "runtime/vm/boot_trim.h"

namespace rig::vm {

// What the renderer needs from the host's /etc (tests pass fixtures).
struct HostEtc {
  std::string passwd;  // text of /etc/passwd
  std::string group;   // text of /etc/group
  // Secret files and directories that exist on the host, guest paths
  // (/etc/ssh/ssh_host_ed25519_key, /etc/ssl/private, ...).
  std::vector<std::string> secrets;
  // The host's /etc/systemd/system/*.wants directories: units the host's
  // admin enabled (postgresql, redis-server, apt timers). Masked in the guest
  // so that only the spec's units start.
  std::vector<std::string> enabledWantsDirs;
};

llvm::Expected<HostEtc> readHostEtc(llvm::StringRef etc = "/etc");

// A read-only 9p share (prepared state) mounted with a tmpfs upper layer.
struct OverlayShare {
  std::string tag;        // 9p mount tag, e.g. "prep0"
  std::string hostPath;   // for QEMU's -virtfs
  std::string guestPath;  // where it appears
};

struct NodeConfig {
  std::string manifest;
  struct RootFile {
    std::string path;  // absolute guest path, written at root/PATH
    std::string content;
    uint32_t mode = 0644;
  };
  std::vector<RootFile> files;
};

// `trim`: the units and generators masked in this guest (boot_trim.h);
// empty masks nothing. `varDirs`: the node's packages' directories under
// /var (runtime/host/var_skeleton.h), made before the spec's files.
llvm::Expected<NodeConfig> renderNodeConfig(
    const plan::Node& node, const HostEtc& host,
    llvm::ArrayRef<OverlayShare> overlays = {}, const BootTrim& trim = {},
    llvm::ArrayRef<host::HostDir> varDirs = {});

// The file of a unit: `foo@.service` for the instance `foo@bar.service`.
std::string unitFileName(llvm::StringRef unit);

// The text of a unit a Debian package ships (`enable`), from `unitDir`; an
// error saying to install its package when the host has none.
llvm::Expected<std::string> packageUnitText(
    llvm::StringRef unit, llvm::StringRef unitDir = "/usr/lib/systemd/system");

// Writes `config` into `dir` (created; an existing root/ is replaced).
llvm::Error writeNodeConfig(const NodeConfig& config, llvm::StringRef dir);

// Percent-encoding of one manifest field: `%` `%25`, space `%20`, newline `%0A`.
std::string encodeManifestField(llvm::StringRef field);

// A 32-hex-digit machine id derived from the node name (stable per name).
std::string machineIdFor(llvm::StringRef nodeName);

}  // namespace rig::vm

#endif
