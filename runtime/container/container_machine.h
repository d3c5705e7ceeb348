// A node as a systemd-nspawn container (README.md in this folder):
// NodeMachine's boot, agent and power semantics (runtime/vm/node_machine.h)
// with the same node config, the agent on a unix socket bound into the
// container, and veth links on the run's bridges (run_network.h).
//
// Files, under RUNDIR/NODE: config/ (the node config), root/ (the node's
// writable root) and etc.upper/ (/etc's writable layer), both kept across
// power cycles within the run as a VM's state disk is, host/agent.sock and host/shell.sock (made by the agent; also
// linked as agent.sock and shell.sock, where a VM has them),
// console.log (the container's /dev/console, appended across boots, and
// systemd-nspawn's own messages).
#ifndef RIG_RUNTIME_CONTAINER_CONTAINER_MACHINE_H
#define RIG_RUNTIME_CONTAINER_CONTAINER_MACHINE_H

#include <string>
#include <vector>

#include "runtime/container/nspawn_command.h"
#include "runtime/container/run_network.h"
#include "runtime/vm/node_machine.h"

namespace rig::container {

struct ContainerMachineOptions : vm::NodeOptions {
  std::string guestBinary;        // rig-guest
  std::string machineName;        // unique on the host
  RunNetwork* network = nullptr;  // null: no links (a node without vlans)
  std::vector<VethLink> links;    // one per vlan of the node
  bool quiet = true;
};

class ContainerMachine : public vm::NodeMachine {
 public:
  explicit ContainerMachine(ContainerMachineOptions options);
  ~ContainerMachine() override;  // stop()

  std::string shellSocketPath() override { return dir_ + "/shell.sock"; }
  llvm::Error setLinksUp(bool up) override;
  llvm::Expected<std::string> monitorCommand(llvm::StringRef command) override;

  NspawnConfig nspawnConfig() const;

 protected:
  llvm::StringRef processName() const override { return "systemd-nspawn"; }
  // A container's agent answers within a second (0.14 s in bench/boot, a
  // few seconds with 24 booting at once); one that has not in a minute
  // never will.
  double agentTimeoutMs() const override { return 60'000; }
  // systemd-nspawn's own messages are in console.log, whose tail every
  // error carries already.
  std::string processLogPath() const override { return ""; }
  std::string agentSocketPath() const override {
    return dir_ + "/host/agent.sock";
  }
  llvm::Expected<host::SpawnOptions> prepareBoot() override;
  llvm::Error afterSpawn(double timeoutMs) override;
  void quit(host::Child& process) override;
  bool agentReconnects() const override { return true; }

 private:
  ContainerMachineOptions options_;
};

}  // namespace rig::container

#endif
