#include "runtime/host/accel.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "runtime/host/process.h"
#include "runtime/host/run_dir.h"

namespace rig::host {
namespace {

std::string readSmallFile(llvm::StringRef path) {
  auto buf = llvm::MemoryBuffer::getFileAsStream(path);
  return buf ? (*buf)->getBuffer().str() : std::string();
}

bool cpuHasVirtFlag(llvm::StringRef cpuinfo) {
  llvm::SmallVector<llvm::StringRef, 64> lines;
  cpuinfo.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    if (!line.startswith("flags")) continue;
    llvm::SmallVector<llvm::StringRef, 128> flags;
    line.split(':').second.split(flags, ' ', -1, false);
    for (auto f : flags)
      if (f == "vmx" || f == "svm") return true;
  }
  return false;
}

// What invalidates a verdict: another boot, another QEMU binary, another
// kernel image for the probe.
std::string cacheKey(const AccelOptions& o) {
  llvm::sys::fs::file_status st;
  std::string qemuId = o.qemu;
  if (!llvm::sys::fs::status(o.qemu, st))
    qemuId +=
        std::to_string(st.getLastModificationTime().time_since_epoch().count());
  std::string material = readSmallFile("/proc/sys/kernel/random/boot_id") +
                         "\n" + qemuId + "\n" + o.kernel.image;
  llvm::SHA256 h;
  h.update(material);
  return llvm::toHex(h.final(), true).substr(0, 16);
}

}  // namespace

bool probeKvm(const AccelOptions& o, std::string& why) {
  std::vector<std::string> argv = {
      o.qemu,        "-accel",
      "kvm",         "-m",
      "128M",        "-nographic",
      "-nodefaults", "-no-reboot",
      "-serial",     "stdio",
      "-kernel",     o.kernel.image,
      "-append",     "console=ttyS0 panic=-1 root=/dev/rig-probe-nonexistent"};
  auto start = std::chrono::steady_clock::now();
  auto result = run(argv, o.probeTimeoutMs);
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count();
  if (!result) {
    why = "the probe VM did not start: " + llvm::toString(result.takeError());
    return false;
  }
  if (result->timedOut) {
    why = "a probe VM under -accel kvm did not finish booting within " +
          std::to_string(static_cast<int>(o.probeTimeoutMs / 1000)) +
          " s (it hangs)";
    return false;
  }
  llvm::StringRef out = result->output;
  if (out.contains("Kernel panic") || out.contains("Linux version")) {
    why = "a probe VM booted under kvm in " +
          std::to_string(static_cast<int>(ms)) + " ms";
    return true;
  }
  why = "a probe VM under -accel kvm failed: " +
        llvm::StringRef(out).take_back(300).trim().str();
  return false;
}

llvm::Expected<AccelChoice> chooseAccel(const AccelOptions& o) {
  AccelChoice choice;
  if (o.forced == "tcg") {
    choice.accel = Accel::Tcg;
    choice.reason = "tcg: forced by configuration";
    return choice;
  }
  if (o.forced == "kvm") {
    choice.accel = Accel::Kvm;
    choice.reason = "kvm: forced by configuration";
    return choice;
  }
  if (!o.forced.empty())
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "accel must be \"kvm\" or \"tcg\", not \"%s\"", o.forced.c_str());

  if (access(o.kvmDevice.c_str(), F_OK) != 0) {
    choice.reason = "kvm: " + o.kvmDevice + " is missing; using tcg (slow)";
    return choice;
  }
  int fd = open(o.kvmDevice.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    choice.reason =
        "kvm: " + o.kvmDevice +
        " present but not usable by this user (add it to group kvm); using tcg";
    return choice;
  }
  close(fd);
  if (!o.probeEvenWithoutCpuFlags &&
      !cpuHasVirtFlag(readSmallFile(o.cpuinfoPath))) {
    choice.reason = "kvm: " + o.kvmDevice +
                    " present but the CPU has no vmx/svm flag; using tcg";
    return choice;
  }

  std::string cachePath;
  if (o.useCache) {
    if (auto dir = cacheDir()) {
      cachePath = *dir + "/accel-" + cacheKey(o);
      std::string cached = readSmallFile(cachePath);
      auto [name, reason] = llvm::StringRef(cached).split('\n');
      if (name == "kvm" || name == "tcg") {
        choice.accel = name == "kvm" ? Accel::Kvm : Accel::Tcg;
        choice.reason = reason.trim().str();
        choice.fromCache = true;
        return choice;
      }
    } else {
      llvm::consumeError(dir.takeError());
    }
  }
  std::string why;
  bool ok = probeKvm(o, why);
  choice.accel = ok ? Accel::Kvm : Accel::Tcg;
  choice.reason = ok ? "kvm: " + why : "kvm: " + why + "; using tcg";
  if (!cachePath.empty())
    llvm::consumeError(writeFileAtomically(
        cachePath,
        accelName(choice.accel).str() + "\n" + choice.reason + "\n"));
  return choice;
}

}  // namespace rig::host
