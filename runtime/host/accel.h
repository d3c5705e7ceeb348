// Acceleration: KVM only where a guest actually runs under it.
//
// /dev/kvm can exist while a KVM guest hangs (no vmx/svm in the CPU flags,
// e.g. nested virtualisation turned off). chooseAccel() checks the flags and
// /dev/kvm, then boots a probe VM (the kernel alone, no initramfs: it panics
// at once for want of a root file system and `-no-reboot` ends QEMU); a probe
// that does not end within the limit means KVM hangs here. The verdict is
// cached in the cache directory per host boot (boot_id) and QEMU binary.
#ifndef RIG_RUNTIME_HOST_ACCEL_H
#define RIG_RUNTIME_HOST_ACCEL_H

#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/host/kernel.h"

namespace rig::host {

enum class Accel : uint8_t { Tcg, Kvm };

inline llvm::StringRef accelName(Accel a) {
  return a == Accel::Kvm ? "kvm" : "tcg";
}

struct AccelChoice {
  Accel accel = Accel::Tcg;
  // One line for the user: "kvm: /dev/kvm present but the CPU has no
  // vmx/svm flag; using tcg".
  std::string reason;
  bool fromCache = false;
};

struct AccelOptions {
  std::string forced;  // "", "kvm" or "tcg" (rig.toml `accel`)
  Kernel kernel;       // for the probe VM
  std::string qemu = "qemu-system-x86_64";
  double probeTimeoutMs = 6'000;
  bool useCache = true;
  // Tests only: run the probe VM even when the CPU flags say no.
  bool probeEvenWithoutCpuFlags = false;
  std::string cpuinfoPath = "/proc/cpuinfo";
  std::string kvmDevice = "/dev/kvm";
};

llvm::Expected<AccelChoice> chooseAccel(const AccelOptions& options);

// The probe alone (no flags check, no cache): true if a KVM guest ran.
// `why` says what was observed.
bool probeKvm(const AccelOptions& options, std::string& why);

}  // namespace rig::host

#endif
