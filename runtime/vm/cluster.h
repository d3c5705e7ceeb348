// The machines of one suite run: the run directory, one vde_switch per vlan
// that a VM uses, one QemuMachine per VM node and one machine of
// ClusterOptions::containers per container node (MACs and addresses come
// from the plan). The kernel, accelerator and initramfs are looked up only
// when a node is a VM. Destroying the Cluster stops every machine and switch and removes
// the run directory (unless keepRunDir() or keepRunning()). The run
// directory's machines.json names the nodes from the start, so that `rig
// attach` can find them.
#ifndef RIG_RUNTIME_VM_CLUSTER_H
#define RIG_RUNTIME_VM_CLUSTER_H

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "runtime/host/accel.h"
#include "runtime/host/kernel.h"
#include "runtime/host/run_dir.h"
#include "runtime/host/run_record.h"
#include "runtime/plan/plan.h"
#include "runtime/vm/qemu_machine.h"
#include "runtime/vm/vde_switch.h"

namespace rig::vm {

struct ClusterOptions {
  std::string suiteName = "rig";
  std::string runDirBase;  // "" = host::RunDir's default
  bool keepRunDir = false;
  host::KernelSearch kernel;  // used when `kernelImage` is not resolved
  std::optional<host::Kernel> resolvedKernel;
  std::optional<host::Accel> accel;  // unset: host::chooseAccel()
  std::string forcedAccel;           // rig.toml `accel` ("", "kvm", "tcg")
  std::string initrd;                // "" = build (or reuse) the cached one
  std::string guestBinary;           // "" = next to the rig executable
  std::string qemu = "qemu-system-x86_64";
  bool quiet = true;
  // Fail before booting anything when a node's `packages` are not all
  // installed on the host (the guest sees the host's /usr).
  bool checkPackages = true;
  // Mask in every guest what no rig node needs (boot_trim.h), except the
  // groups that a node's units or `programText` name.
  bool trimBoot = true;
  std::string programText;  // programStrings() of the suite's plan
  // Prepared state per node name.
  std::map<std::string, std::vector<OverlayShare>> overlays;
  std::string suitePath;  // recorded in RUNDIR/machines.json
  // The machines may be kept after rig exits (keepRunning()): QEMU and the
  // switches run under rig-keeper (`keeper`, "" = next to the executable).
  bool keepable = false;
  std::string keeper;
  // Creates the machines of the nodes whose backend is "container"
  // (runtime/container's containerBackend()); unset: such nodes are an error.
  NodeBackendFactory containers;
  // false: VM nodes get no state disk (QemuMachineOptions::stateDisk), for
  // bench/boot's measure of its cost.
  bool stateDisks = true;
};

class Cluster {
 public:
  static llvm::Expected<std::unique_ptr<Cluster>> create(
      llvm::ArrayRef<plan::Node> nodes, const ClusterOptions& options);
  ~Cluster();  // stopAll(), switches down, run directory removed unless kept

  const std::string& runDir() const { return runDir_->path(); }
  void keepRunDir(bool keep = true) { runDir_->keep(keep); }
  host::Accel accel() const { return accel_; }
  const std::string& accelReason() const { return accelReason_; }
  const host::Kernel& kernel() const { return kernel_; }
  const std::string& initrd() const { return initrd_; }

  NodeMachine* machine(llvm::StringRef name);
  const std::vector<std::unique_ptr<NodeMachine>>& machines() const {
    return machines_;
  }

  // Boots every machine in parallel (one thread each); the error joins every
  // machine's failure.
  llvm::Error startAll(double timeoutMs);
  // Ends every machine at once (QMP quit, then kill).
  void stopAll();

  // `--keep-vms-on-failure`: leaves every running machine, and the switches,
  // up after rig exits (needs options.keepable). Writes RUNDIR/machines.json
  // with their pids (host/run_record.h), releases the processes and keeps
  // the run directory. Nothing when no machine runs (nothing is kept; the
  // Cluster ends as usual). An error when a process could not be released
  // (that one still dies with rig; the others are kept and recorded).
  llvm::Expected<std::optional<host::RunRecord>> keepRunning();

 private:
  Cluster() = default;
  host::RunRecord record_;
  std::unique_ptr<host::RunDir> runDir_;
  host::Kernel kernel_;
  host::Accel accel_ = host::Accel::Tcg;
  std::string accelReason_;
  std::string initrd_;
  std::vector<std::unique_ptr<VdeSwitch>> switches_;
  std::unique_ptr<NodeBackend> containers_;  // destroyed after machines_
  std::vector<std::unique_ptr<NodeMachine>> machines_;
};

}  // namespace rig::vm

#endif
