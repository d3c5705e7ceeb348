#include "runtime/vm/vde_switch.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace rig::vm {

llvm::Expected<std::unique_ptr<VdeSwitch>> VdeSwitch::start(
    llvm::StringRef runDir, int64_t vlan, double timeoutMs,
    llvm::StringRef keeper) {
  std::unique_ptr<VdeSwitch> s(new VdeSwitch());
  s->vlan_ = vlan;
  s->dir_ = runDir.str() + "/vlan" + std::to_string(vlan) + ".ctl";
  std::string log = runDir.str() + "/vlan" + std::to_string(vlan) + ".log";
  int fds[2] = {-1, -1};
  if (keeper.empty() && pipe2(fds, O_CLOEXEC) != 0)
    return llvm::createStringError(
        std::error_code(errno, std::generic_category()),
        "pipe2 for vde_switch");
  host::SpawnOptions o;
  o.argv = {"vde_switch", "-x", "-n", "64", "-s", s->dir_};
  o.stdinFd = fds[0];
  o.keeper = keeper.str();
  o.keeperHoldsStdin = true;
  o.outputPath = log;
  auto child = host::spawn(o);
  if (fds[0] >= 0) close(fds[0]);
  if (!child) {
    if (fds[1] >= 0) close(fds[1]);
    return child.takeError();
  }
  s->child_ = std::move(*child);
  s->stdinWriteEnd_ = fds[1];
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(timeoutMs));
  while (!llvm::sys::fs::exists(s->dir_ + "/ctl")) {
    if (auto status = s->child_->poll()) {
      auto text = llvm::MemoryBuffer::getFile(log);
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "vde_switch for vlan %lld exited (status %d): %s",
          static_cast<long long>(vlan), *status,
          text ? (*text)->getBuffer().trim().str().c_str() : "");
    }
    if (std::chrono::steady_clock::now() > deadline)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "vde_switch for vlan %lld did not create %s/ctl",
          static_cast<long long>(vlan), s->dir_.c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return s;
}

VdeSwitch::~VdeSwitch() {
  if (stdinWriteEnd_ >= 0) close(stdinWriteEnd_);
  child_.reset();  // kills and reaps
}

}  // namespace rig::vm
