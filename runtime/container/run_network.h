// The network of one run's containers: a private network namespace, held by
// a child of rig (`unshare --net`, then `sleep infinity`; it dies with rig), with
// one Linux bridge per vlan. Each container gets, per vlan, a veth pair: one
// end on the vlan's bridge, the other (with the plan's MAC) moved into the
// container by systemd-nspawn, which runs inside this namespace. The host's
// own network is never touched and nothing routes out: the namespace has no
// other interface. When the holder dies the namespace, its bridges and the
// bridge ends of the veths go with it (the kernel destroys a namespace's
// devices with it); a container's end goes with the container.
#ifndef RIG_RUNTIME_CONTAINER_RUN_NETWORK_H
#define RIG_RUNTIME_CONTAINER_RUN_NETWORK_H

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/host/process.h"

namespace rig::container {

struct VethLink {
  int64_t vlan = 1;
  std::string mac;  // the container end's
  std::string
      guestName;  // the container end, moved into the container (moveLinks)
  std::string bridgeName;  // the end on the vlan's bridge
  std::string
      insideName;  // its name in the container: a VM's (eth0, eth1, ... in vlan order)
};

class RunNetwork {
 public:
  // `keeper`: rig-keeper's path, or "" (host::SpawnOptions::keeper).
  static llvm::Expected<std::unique_ptr<RunNetwork>> create(
      const std::set<int64_t>& vlans, llvm::StringRef runDir,
      llvm::StringRef keeper = "");
  ~RunNetwork();  // kills the holder: the namespace ends

  // /proc/PID/ns/net of the holder: what nsenter and systemd-nspawn join.
  const std::string& namespacePath() const { return nsPath_; }
  pid_t holderPid() const { return holder_->pid(); }
  static std::string bridgeName(int64_t vlan) {
    return "rigbr" + std::to_string(vlan);
  }

  // Creates the pairs (replacing leftovers of a previous boot of the node).
  llvm::Error addLinks(const std::vector<VethLink>& links);
  // Plugs the vde switch at `switchDir` into the bridge of `vlan` (a tap
  // `rigtapV` in the namespace, served by vde_plug2tap, a child of rig).
  llvm::Error plugSwitch(int64_t vlan, const std::string& switchDir,
                         llvm::StringRef keeper);
  // Moves the container ends into the network namespace of `pid`.
  llvm::Error moveLinks(const std::vector<VethLink>& links, pid_t pid);
  // Carrier down/up on the bridge ends: the container sees its links cut.
  llvm::Error setLinksUp(const std::vector<VethLink>& links, bool up);
  // Runs `ip ARGS...` in the namespace.
  llvm::Expected<host::RunResult> ip(std::vector<std::string> args);
  // Lets the namespace outlive rig (`--keep-vms-on-failure`).
  llvm::Error release();

 private:
  RunNetwork() = default;
  llvm::Error batch(const std::vector<std::string>& lines, bool force);
  std::unique_ptr<host::Child> holder_;
  std::vector<std::unique_ptr<host::Child>>
      plugs_;  // vde_plug2tap, one per joined vlan
  std::string nsPath_;
};

}  // namespace rig::container

#endif
