// Power control (language.md section 8): start, shutdown, crash, reboot,
// wait_for_shutdown.
#include "fmt/format.h"
#include "runtime/exec/callables.h"

namespace rig::exec {
namespace {

// The test stopped the node itself: it may be started again.
void stoppedOnPurpose(Call& c) {
  c.nodes.slot(c.machine).exitExpected = true;
  c.nodes.nodePhase(c.machine, events::NodePhase::Stopped);
}

// shutdown() and reboot(): a guest still running after the timeout was
// killed by the machine. That is the system under test's doing, as a wait
// that times out: the test fails and the node may start again.
void cleanShutdown(Call& c, llvm::StringRef doing) {
  machine::Machine& vm = c.nodes.machine(c.machine);
  double timeout = c.timeoutMs(0);
  double start = c.nodes.clock().nowMs();
  llvm::Error e = vm.shutdown(timeout);
  if (!e) return;
  if (vm.state() == machine::MachineState::Off &&
      c.nodes.clock().nowMs() - start >= timeout) {
    stoppedOnPurpose(c);
    Failure f;
    f.message =
        fmt::format("`{}` did not power off within {} ({}); it was killed",
                    c.machine, formatDuration(timeout), doing.str());
    f.details = llvm::toString(std::move(e));
    f.consoleIncluded = f.details.find("console") != std::string::npos;
    f.machines = {c.machine};
    throw f;
  }
  c.nodes.machineFailed(c.machine, std::move(e), doing);
}

}  // namespace

Value operation_start(Call& c) {
  c.nodes.ensureStarted(c.machine);
  return Value();
}

Value operation_shutdown(Call& c) {
  machine::Machine& vm = c.nodes.machine(c.machine);
  if (vm.state() == machine::MachineState::Off) return Value();
  cleanShutdown(c, "shutdown");
  stoppedOnPurpose(c);
  return Value();
}

Value operation_crash(Call& c) {
  if (llvm::Error e = c.nodes.machine(c.machine).crash())
    c.nodes.machineFailed(c.machine, std::move(e), "crash");
  stoppedOnPurpose(c);
  return Value();
}

Value operation_reboot(Call& c) {
  c.nodes.ensureStarted(c.machine);
  cleanShutdown(c, "reboot");
  stoppedOnPurpose(c);
  c.nodes.ensureStarted(c.machine);
  return Value();
}

Value operation_wait_for_shutdown(Call& c) {
  double timeout = c.timeoutMs(0);
  machine::Machine& vm = c.nodes.machine(c.machine);
  if (llvm::Error e = vm.waitForShutdown(timeout)) {
    if (vm.state() == machine::MachineState::Dead)
      c.nodes.machineFailed(c.machine, std::move(e), "wait_for_shutdown");
    Failure f;
    f.message = fmt::format("timed out after {} waiting for `{}` to shut down",
                            formatDuration(timeout), c.machine);
    f.details = llvm::toString(std::move(e));
    f.machines = {c.machine};
    throw f;
  }
  stoppedOnPurpose(c);
  return Value();
}

}  // namespace rig::exec
