// A node as a QEMU process (README.md in this folder).
//
// Files, under RUNDIR/NODE: config/ (the node config share), console.log
// (serial console, appended across boots), qemu.log (QEMU's own output),
// qmp.sock, agent.sock.
//
// States: Off -> start() -> Booting -> Running. start() returns once the
// agent answers and systemd (PID 1) accepts connections on its private
// socket, so `systemctl` works at once; the spec's units may still be
// starting (wait for them with wait_for_unit).
// QEMU exiting when nobody asked (panic, crash, killed, a guest-side
// poweroff before waitForShutdown) makes the machine Dead: every call fails
// with the console tail; start() boots it again. Exit is noticed lazily, at
// the next call (agent calls fail at once when QEMU's socket closes).
//
// reboot() = shutdown() + start() (QEMU runs with -no-reboot; see
// qemu_command.h). Nodes have no disk, so this is what a reboot gives anyway.
#ifndef RIG_RUNTIME_VM_QEMU_MACHINE_H
#define RIG_RUNTIME_VM_QEMU_MACHINE_H

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/host/accel.h"
#include "runtime/host/kernel.h"
#include "runtime/host/process.h"
#include "runtime/plan/plan.h"
#include "runtime/vm/console_follower.h"
#include "runtime/machine/machine.h"
#include "runtime/vm/node_config.h"
#include "runtime/vm/qemu_command.h"

namespace rig::protocol {
class AgentClient;
}

namespace rig::vm {

using machine::ExecRequest;
using machine::ExecResult;
using machine::HttpRequest;
using machine::HttpResponse;
using machine::Machine;
using machine::MachineState;

class QmpClient;

struct QemuMachineOptions {
  plan::Node node;
  std::string runDir;  // the machine lives in RUNDIR/NODE
  host::Accel accel = host::Accel::Tcg;
  host::Kernel kernel;
  std::string initrd;
  std::string qemu = "qemu-system-x86_64";
  std::map<int64_t, std::string> switchDirs;  // vlan -> vde switch directory
  std::vector<OverlayShare> overlays;         // prepared state
  std::shared_ptr<const HostEtc> hostEtc;     // null: read /etc at first start
  bool quiet = true;                          // `quiet` on the kernel command line
  std::string keeper;  // rig-keeper's path: QEMU runs under it and can be detach()ed
  BootTrim trim;                              // masked units and generators
  std::vector<host::HostDir> varDirs;         // the packages' /var skeleton
};

class QemuMachine : public Machine {
 public:
  explicit QemuMachine(QemuMachineOptions options);
  ~QemuMachine() override;  // stop()

  llvm::StringRef name() const override { return options_.node.name; }
  MachineState state() override;

  llvm::Error start(double timeoutMs) override;
  llvm::Error shutdown(double timeoutMs) override;
  llvm::Error crash() override;
  llvm::Error waitForShutdown(double timeoutMs) override;
  void stop() override;

  llvm::Expected<ExecResult> execute(const ExecRequest& request) override;
  llvm::Expected<bool> isPortOpen(llvm::StringRef address, int port) override;
  llvm::Expected<bool> isUnixSocketOpen(llvm::StringRef path) override;
  llvm::Expected<std::string> readFile(llvm::StringRef path) override;
  llvm::Error writeFile(llvm::StringRef path, llvm::StringRef data,
                        uint32_t mode) override;
  llvm::Expected<HttpResponse> http(const HttpRequest& request) override;

  std::string consoleText() override;
  std::string consoleTail(size_t lines) override;
  std::string consoleRead(uint64_t offset, size_t maxBytes) override;
  std::string consoleLogPath() override { return dir_ + "/console.log"; }
  void setConsoleSink(ConsoleSink sink) override;
  std::string shellSocketPath() override { return dir_ + "/shell.sock"; }

  llvm::Error setLinksUp(bool up) override;
  llvm::Expected<std::string> monitorCommand(llvm::StringRef command) override;

  // Beyond Machine.
  llvm::Error reboot(double timeoutMs);
  const std::string& dir() const { return dir_; }
  QemuConfig qemuConfig() const;
  // Last boot, milliseconds from spawning QEMU to the agent's first answer,
  // and to the end of start() (systemd up).
  double lastAgentMs() const { return lastAgentMs_; }
  double lastBootMs() const { return lastBootMs_; }
  // QEMU's pid while it runs, else -1 (under a keeper: the keeper's, the
  // leader of QEMU's process group).
  pid_t qemuPid();
  // Lets a running QEMU outlive rig (`--keep-vms-on-failure`; needs
  // options.keeper): drops the agent and QMP connections, releases the
  // process (host::Child::release()) and leaves the machine Off as far as
  // this object knows. Returns the pid that qemuPid() gave, or 0 when the
  // machine was not running (nothing to keep).
  llvm::Expected<pid_t> detach();

 private:
  void refreshLocked();
  void tearDownLocked();  // forget agent and QMP, reap QEMU
  llvm::Error notRunningLocked(llvm::StringRef what);
  llvm::Error withConsoleTail(llvm::Error err);
  template <typename T, typename F>
  llvm::Expected<T> agentCall(llvm::StringRef what, F&& f);

  QemuMachineOptions options_;
  std::string dir_;
  std::mutex mutex_;
  MachineState state_ = MachineState::Off;
  std::string deathNote_;  // why it is Dead
  std::shared_ptr<host::Child> qemu_;
  std::shared_ptr<QmpClient> qmp_;
  std::shared_ptr<protocol::AgentClient> agent_;
  ConsoleSink consoleSink_;
  // Reads console.log while QEMU runs; stopped (and drained) by tearDown.
  std::unique_ptr<ConsoleFollower> follower_;
  double lastAgentMs_ = 0;
  double lastBootMs_ = 0;
};

}  // namespace rig::vm

#endif
