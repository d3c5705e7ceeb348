// `rig doctor`: every host requirement, whether it is met, and the command
// that fixes it.
#ifndef RIG_RUNTIME_HOST_DOCTOR_H
#define RIG_RUNTIME_HOST_DOCTOR_H

#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "runtime/host/accel.h"
#include "runtime/host/kernel.h"

namespace rig::host {

struct DoctorCheck {
  std::string name;  // "qemu-system-x86_64"
  bool ok = false;
  bool required = true;  // false: rig works without it (e.g. /dev/kvm)
  std::string detail;    // what was found, or what is wrong
  std::string fix;       // "apt-get install qemu-system-x86", "" when ok
};

struct DoctorOptions {
  KernelSearch kernel;
  std::string forcedAccel;            // as AccelOptions::forced
  std::string guestBinary;            // rig-guest next to rig; "" = not checked
  std::vector<std::string> packages;  // a suite's node packages, if known
  // The modules the guest loads (vm::guestModules()); checked against the
  // kernel's modules (present, uncompressed .ko) when given.
  std::vector<std::string> kernelModules;
  bool probeAccel = true;  // run (or read the cached) KVM probe
};

std::vector<DoctorCheck> doctor(const DoctorOptions& options);
// One line per check: "ok      kernel  /boot/vmlinuz-... (modules: ...)" and,
// for a failing one, "        fix: apt-get install ...". Ends with a summary
// apt-get line for everything missing.
std::string renderDoctor(llvm::ArrayRef<DoctorCheck> checks);
// The packages that the failing checks' fixes install ("apt-get install
// ..."), each once, in the order of the checks (rig doctor --install).
std::vector<std::string> packagesToInstall(llvm::ArrayRef<DoctorCheck> checks);
// True when every required check passed.
bool doctorPassed(llvm::ArrayRef<DoctorCheck> checks);

}  // namespace rig::host

#endif
