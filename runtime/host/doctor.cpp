#include "runtime/host/doctor.h"

#include <algorithm>

#include <unistd.h>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "runtime/host/packages.h"
#include "runtime/host/process.h"

namespace rig::host {
namespace {

// A program a package provides.
struct Tool {
  const char* program;
  const char* package;
  const char* why;
  bool required = true;  // false: only some nodes need it
};

const Tool kTools[] = {
    {"qemu-system-x86_64", "qemu-system-x86", "runs the VMs"},
    {"vde_switch", "vde2", "one virtual switch per vlan"},
    {"modprobe", "kmod",
     "resolves kernel module dependencies for the initramfs"},
    {"/usr/lib/systemd/systemd", "systemd", "PID 1 of every guest"},
    {"ip", "iproute2", "network configuration in the guest"},
    {"nft", "nftables", "the guest firewall"},
    {"bwrap", "bubblewrap", "sandbox of `prepare` steps"},
    {"systemd-nspawn", "systemd-container",
     "container nodes (backend = \"container\"; as root)", false},
    {"nsenter", "util-linux",
     "joins a run's network namespace (container nodes)", false},
};

}  // namespace

std::vector<DoctorCheck> doctor(const DoctorOptions& o) {
  std::vector<DoctorCheck> checks;
  Kernel kernel;
  {
    DoctorCheck c;
    c.name = "kernel";
    auto k = findKernel(o.kernel);
    if (k) {
      kernel = *k;
      c.ok = true;
      c.detail = k->image + " (modules: " + k->modulesDir + ")";
    } else {
      c.detail = llvm::toString(k.takeError());
      c.fix = "apt-get install linux-image-amd64";
    }
    checks.push_back(c);
  }
  if (!kernel.image.empty() && !o.kernelModules.empty()) {
    DoctorCheck c;
    c.name = "kernel modules";
    std::string problems;
    for (auto& m : o.kernelModules) {
      auto r =
          run({"modprobe", "--show-depends", "-S", kernel.version, m}, 30'000);
      if (!r || r->status != 0) {
        if (!r) llvm::consumeError(r.takeError());
        problems += " " + m + " (missing)";
        continue;
      }
      llvm::StringRef out = r->output;
      if (out.contains(".ko.xz") || out.contains(".ko.zst") ||
          out.contains(".ko.gz"))
        problems += " " + m + " (compressed)";
    }
    c.ok = problems.empty();
    c.detail = c.ok ? std::to_string(o.kernelModules.size()) +
                          " guest modules in " + kernel.modulesDir
                    : "problems:" + problems;
    if (!c.ok) c.fix = "apt-get install linux-image-amd64";
    checks.push_back(c);
  }
  for (const Tool& t : kTools) {
    DoctorCheck c;
    c.name = llvm::StringRef(t.program).rsplit('/').second.empty()
                 ? t.program
                 : llvm::StringRef(t.program).rsplit('/').second.str();
    std::string path;
    if (llvm::StringRef(t.program).startswith("/")) {
      if (access(t.program, X_OK) == 0) path = t.program;
    } else if (auto found = llvm::sys::findProgramByName(t.program)) {
      path = *found;
    } else if (auto sbin = llvm::sys::findProgramByName(
                   t.program, {"/usr/sbin", "/sbin", "/usr/bin"})) {
      path = *sbin;
    }
    c.ok = !path.empty();
    c.required = t.required;
    c.detail = c.ok ? path + " (" + t.why + ")"
                    : std::string("not found (") + t.why + ")";
    if (!c.ok) c.fix = aptGetLine({t.package});
    checks.push_back(c);
  }
  if (!o.guestBinary.empty()) {
    DoctorCheck c;
    c.name = "rig-guest";
    c.ok = access(o.guestBinary.c_str(), X_OK) == 0;
    c.detail = c.ok ? o.guestBinary
                    : o.guestBinary + " is missing (it must sit next to rig)";
    if (!c.ok) c.fix = "rebuild rig (target rig-guest)";
    checks.push_back(c);
  }
  {
    DoctorCheck c;
    c.name = "/dev/kvm";
    c.required = false;
    c.ok = access("/dev/kvm", R_OK | W_OK) == 0;
    c.detail = c.ok ? "present and usable"
                    : (access("/dev/kvm", F_OK) == 0
                           ? "present but not accessible"
                           : "missing; VMs run under tcg (slow)");
    checks.push_back(c);
  }
  if (o.probeAccel && !kernel.image.empty()) {
    DoctorCheck c;
    c.name = "acceleration";
    c.required = false;
    AccelOptions ao;
    ao.forced = o.forcedAccel;
    ao.kernel = kernel;
    auto choice = chooseAccel(ao);
    if (choice) {
      c.ok = choice->accel == Accel::Kvm;
      c.detail = choice->reason + (choice->fromCache ? " (cached)" : "");
    } else {
      c.detail = llvm::toString(choice.takeError());
    }
    checks.push_back(c);
  }
  if (!o.packages.empty()) {
    DoctorCheck c;
    c.name = "packages";
    auto missing = missingPackages(o.packages);
    if (!missing) {
      c.detail = llvm::toString(missing.takeError());
    } else if (missing->empty()) {
      c.ok = true;
      c.detail = "all " + std::to_string(o.packages.size()) + " installed";
    } else {
      c.detail = "missing:";
      for (auto& m : *missing) c.detail += " " + m;
      c.fix = aptGetLine(*missing);
    }
    checks.push_back(c);
  }
  return checks;
}

bool doctorPassed(llvm::ArrayRef<DoctorCheck> checks) {
  for (auto& c : checks)
    if (c.required && !c.ok) return false;
  return true;
}

std::vector<std::string> packagesToInstall(llvm::ArrayRef<DoctorCheck> checks) {
  std::vector<std::string> packages;
  for (const DoctorCheck& c : checks) {
    llvm::StringRef fix = c.fix;
    if (c.ok || !fix.consume_front("apt-get install ")) continue;
    llvm::SmallVector<llvm::StringRef, 8> names;
    fix.split(names, ' ', -1, false);
    for (llvm::StringRef n : names)
      if (std::find(packages.begin(), packages.end(), n) == packages.end())
        packages.push_back(n.str());
  }
  return packages;
}

std::string renderDoctor(llvm::ArrayRef<DoctorCheck> checks) {
  std::string out;
  for (auto& c : checks) {
    const char* tag = c.ok ? "ok     " : (c.required ? "MISSING" : "note   ");
    out += std::string(tag) + " " + c.name;
    out.append(c.name.size() < 20 ? 20 - c.name.size() : 1, ' ');
    out += c.detail + "\n";
    if (!c.ok && !c.fix.empty()) out += "        fix: " + c.fix + "\n";
  }
  std::vector<std::string> packages = packagesToInstall(checks);
  if (!packages.empty())
    out += "to install everything missing: " + aptGetLine(packages) + "\n";
  return out;
}

}  // namespace rig::host
