// One vde_switch per vlan: `vde_switch -x -s RUNDIR/vlanN.ctl` in the
// foreground (hub mode). Its stdin is a pipe whose write end only rig holds:
// vde_switch exits on EOF of stdin, so it also ends when rig dies, whatever
// the signal, on top of the process registry and PR_SET_PDEATHSIG. Started
// with a keeper (machines that may be kept), the keeper holds that pipe
// instead, and release() lets the switch outlive rig with it.
#ifndef RIG_RUNTIME_VM_VDE_SWITCH_H
#define RIG_RUNTIME_VM_VDE_SWITCH_H

#include <memory>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/host/process.h"

namespace rig::vm {

class VdeSwitch {
 public:
  // Starts the switch and waits (up to `timeoutMs`) for its control socket.
  // `runDir` gets vlanN.ctl (the switch directory) and vlanN.log.
  // `keeper`: rig-keeper's path, or "" (host::SpawnOptions::keeper).
  static llvm::Expected<std::unique_ptr<VdeSwitch>> start(
      llvm::StringRef runDir, int64_t vlan, double timeoutMs = 5'000,
      llvm::StringRef keeper = "");
  ~VdeSwitch();  // kills the switch
  const std::string& socketDir() const { return dir_; }
  int64_t vlan() const { return vlan_; }
  pid_t pid() const { return child_->pid(); }
  // Lets the switch outlive rig (host::Child::release()); its pid (the
  // keeper's) is what to kill then.
  llvm::Error release() { return child_->release(); }

 private:
  VdeSwitch() = default;
  std::string dir_;
  int64_t vlan_ = 0;
  int stdinWriteEnd_ = -1;
  std::unique_ptr<host::Child> child_;
};

}  // namespace rig::vm

#endif
