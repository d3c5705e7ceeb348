// A node as a QEMU process (README.md in this folder): NodeMachine's boot,
// agent and power semantics (node_machine.h) with QEMU, QMP and vde links.
//
// Files, under RUNDIR/NODE: config/ (the node config share), console.log
// (serial console, appended across boots), qemu.log (QEMU's own output),
// qmp.sock, agent.sock.
//
// reboot() = shutdown() + start() (QEMU runs with -no-reboot; see
// qemu_command.h); what the guest wrote stays on its state disk
// (RUNDIR/NODE/state.img).
#ifndef RIG_RUNTIME_VM_QEMU_MACHINE_H
#define RIG_RUNTIME_VM_QEMU_MACHINE_H

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/host/accel.h"
#include "runtime/host/kernel.h"
#include "runtime/vm/node_machine.h"
#include "runtime/vm/qemu_command.h"

namespace rig::vm {

class QmpClient;

struct QemuMachineOptions : NodeOptions {
  host::Accel accel = host::Accel::Tcg;
  host::Kernel kernel;
  std::string initrd;
  std::string qemu = "qemu-system-x86_64";
  std::map<int64_t, std::string> switchDirs;  // vlan -> vde switch directory
  bool quiet = true;  // `quiet` on the kernel command line
  // false: the writable layer is a tmpfs, lost at each power cycle (what
  // bench/boot compares the state disk with); rig always gives one.
  bool stateDisk = true;
};

class QemuMachine : public NodeMachine {
 public:
  explicit QemuMachine(QemuMachineOptions options);
  ~QemuMachine() override;  // stop()

  std::string shellSocketPath() override { return dir_ + "/shell.sock"; }
  llvm::Error setLinksUp(bool up) override;
  llvm::Expected<std::string> monitorCommand(llvm::StringRef command) override;

  QemuConfig qemuConfig() const;
  pid_t qemuPid() { return processPid(); }

 protected:
  llvm::StringRef processName() const override { return "QEMU"; }
  std::string processLogPath() const override { return dir_ + "/qemu.log"; }
  std::string agentSocketPath() const override { return dir_ + "/agent.sock"; }
  llvm::Expected<host::SpawnOptions> prepareBoot() override;
  llvm::Error afterSpawn(double timeoutMs) override;
  void onTearDown() override;
  void quit(host::Child& process) override;

 private:
  std::shared_ptr<QmpClient> qmp();

  QemuMachineOptions options_;
  std::mutex qmpMutex_;
  std::shared_ptr<QmpClient> qmp_;
};

}  // namespace rig::vm

#endif
