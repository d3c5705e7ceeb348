// What every node backend shares (README.md in this folder): a process that
// runs the node (QEMU, or systemd-nspawn in runtime/container), the node
// config rendered into RUNDIR/NODE/config, the rig-guest agent reached over a
// unix socket, the console log, and the power semantics of machine.h.
// Backends say how to spawn the process and what else a boot needs.
//
// States: Off -> start() -> Booting -> Running. start() returns once the
// agent answers and systemd (PID 1) accepts connections on its private
// socket, so `systemctl` works at once; the spec's units may still be
// starting (wait for them with wait_for_unit).
// The process exiting when nobody asked (panic, crash, killed, a guest-side
// poweroff before waitForShutdown) makes the machine Dead: every call fails
// with the console tail; start() boots it again. Exit is noticed lazily, at
// the next call (agent calls fail at once when the agent's socket closes).
#ifndef RIG_RUNTIME_VM_NODE_MACHINE_H
#define RIG_RUNTIME_VM_NODE_MACHINE_H

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "runtime/host/process.h"
#include "runtime/machine/machine.h"
#include "runtime/plan/plan.h"
#include "runtime/vm/console_follower.h"
#include "runtime/vm/node_config.h"

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

// What every backend needs to build a node's root.
struct NodeOptions {
  plan::Node node;
  std::string runDir;                      // the machine lives in RUNDIR/NODE
  std::vector<OverlayShare> overlays;      // prepared state
  std::shared_ptr<const HostEtc> hostEtc;  // null: read /etc at first start
  std::string
      keeper;  // rig-keeper's path: the process runs under it and can be detach()ed
  BootTrim trim;                       // masked units and generators
  std::vector<host::HostDir> varDirs;  // the packages' /var skeleton
};

class NodeMachine : public Machine {
 public:
  explicit NodeMachine(NodeOptions options);
  ~NodeMachine() override;  // subclasses call stop() in theirs

  llvm::StringRef name() const override { return node_.node.name; }
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

  // Beyond Machine.
  llvm::Error reboot(double timeoutMs);
  const std::string& dir() const { return dir_; }
  // Last boot, milliseconds from spawning the process to the agent's first
  // answer, and to the end of start() (systemd up).
  double lastAgentMs() const { return lastAgentMs_; }
  double lastBootMs() const { return lastBootMs_; }
  // The process's pid while it runs, else -1 (under a keeper: the keeper's,
  // the leader of the process group).
  pid_t processPid();
  // Lets a running node outlive rig (`--keep-vms-on-failure`; needs a
  // keeper): drops the agent connection and the backend's own, releases the
  // process (host::Child::release()) and leaves the machine Off as far as
  // this object knows. Returns the pid that processPid() gave, or 0 when the
  // machine was not running (nothing to keep).
  llvm::Expected<pid_t> detach();

 protected:
  // What the backend supplies. Called with the machine's lock held, except
  // afterSpawn and quit.
  virtual llvm::StringRef processName() const = 0;  // "QEMU", "systemd-nspawn"
  virtual std::string processLogPath() const = 0;   // its own output, or ""
  virtual std::string agentSocketPath() const = 0;
  // Everything the process needs on the host (the node config is written
  // already) and its command line.
  virtual llvm::Expected<host::SpawnOptions> prepareBoot() = 0;
  // After the spawn, before the agent is awaited (QEMU: connect QMP).
  virtual llvm::Error afterSpawn(double timeoutMs) {
    (void)timeoutMs;
    return llvm::Error::success();
  }
  // The process is gone or going: drop the backend's connections.
  virtual void onTearDown() {}
  // Ask `process` to end at once (stop()); it is killed after 2 s anyway.
  virtual void quit(host::Child& process) { (void)process; }
  // Whether a restarted agent is a new connection (the agent listens on its
  // own unix socket: a container) rather than the same channel (QEMU's
  // virtio-serial socket, which closes only when QEMU exits).
  virtual bool agentReconnects() const { return false; }
  // How long after the spawn the agent may take to answer, within the
  // boot's timeout; 0: the whole boot timeout (a VM under TCG may need it).
  virtual double agentTimeoutMs() const { return 0; }

  // For backend calls on a Running machine (fails with notRunning otherwise).
  llvm::Error checkRunning(llvm::StringRef what);

  std::string consolePath() const { return dir_ + "/console.log"; }

  NodeOptions node_;
  std::string dir_;

 private:
  void refreshLocked();
  void tearDownLocked();  // forget the agent, reap the process
  llvm::Error notRunningLocked(llvm::StringRef what);
  llvm::Error withConsoleTail(llvm::Error err);
  template <typename T, typename F>
  llvm::Expected<T> agentCall(llvm::StringRef what, F&& f);
  // After `seen` closed: the agent to use now (another call's new connection,
  // or a new one to the agent the guest restarted), or null when the process
  // ended, the host closed it, or no agent answered within 30 s.
  std::shared_ptr<protocol::AgentClient> reconnectAgent(
      const std::shared_ptr<protocol::AgentClient>& seen,
      const std::shared_ptr<host::Child>& process);

  std::mutex mutex_;
  std::mutex
      reconnectMutex_;  // one reconnection at a time; taken before mutex_
  MachineState state_ = MachineState::Off;
  std::string deathNote_;  // why it is Dead
  std::shared_ptr<host::Child> process_;
  std::shared_ptr<protocol::AgentClient> agent_;
  ConsoleSink consoleSink_;
  // Reads console.log while the process runs; stopped (and drained) by tearDown.
  std::unique_ptr<ConsoleFollower> follower_;
  double lastAgentMs_ = 0;
  double lastBootMs_ = 0;
};

// Another kind of node than QEMU (runtime/container), plugged into a
// Cluster (cluster.h) so that one run directory, record and startAll() hold
// every node of a suite. The Cluster destroys the backend after its machines.
class NodeBackend {
 public:
  virtual ~NodeBackend() = default;
  // `base` carries what the Cluster renders the node's root with.
  virtual llvm::Expected<std::unique_ptr<NodeMachine>> machine(
      NodeOptions base) = 0;
  // What keeps the backend's shared parts (a network) alive, for
  // machines.json when kept; 0 when nothing.
  virtual pid_t keptPid() const { return 0; }
  // Lets the shared parts outlive rig (`--keep-vms-on-failure`).
  virtual llvm::Error release() { return llvm::Error::success(); }
  // Connects the backend's network of `vlan` to the VMs' vde switch there
  // (a suite whose VMs and containers share the vlan).
  virtual llvm::Error joinSwitch(int64_t vlan,
                                 const std::string& switchDir) = 0;
};

// Creates the backend for the suite's nodes of that kind, in the run
// directory; `keeper` as host::SpawnOptions::keeper.
using NodeBackendFactory =
    std::function<llvm::Expected<std::unique_ptr<NodeBackend>>(
        llvm::ArrayRef<plan::Node> nodes, const std::string& runDir,
        const std::string& keeper)>;

}  // namespace rig::vm

#endif
