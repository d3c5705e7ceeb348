#include "runtime/vm/qemu_command.h"

namespace rig::vm {

std::string escapeQemuValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

std::string kernelCommandLine(const QemuConfig& c) {
  std::string line = "console=ttyS0";
  if (c.quiet) line += " quiet";
  line += " systemd.unit=" + c.bootTarget;
  line += " systemd.journald.forward_to_console=1 panic=-1";
  // Under TCG on a loaded host the kernel's IO-APIC timer check can fail
  // ("IO-APIC + timer doesn't work!") and panic the boot; skip the check.
  line += " no_timer_check";
  if (!c.stateDisk.empty()) line += " rig.state=/dev/vda";
  for (auto& p : c.kernelParams) line += " " + p;
  return line;
}

std::vector<std::string> qemuCommandLine(const QemuConfig& c) {
  auto e = escapeQemuValue;
  std::vector<std::string> a = {c.qemu, "-name", e(c.name)};
  if (c.accel == host::Accel::Kvm) {
    a.insert(a.end(), {"-accel", "kvm", "-cpu", "host"});
  } else {
    a.insert(a.end(), {"-accel", "tcg"});
  }
  int64_t mib = (c.memoryBytes + (1 << 20) - 1) >> 20;
  a.insert(a.end(),
           {"-m", std::to_string(mib) + "M", "-smp", std::to_string(c.cpus),
            "-nographic", "-nodefaults", "-no-reboot", "-kernel", c.kernel,
            "-initrd", c.initrd, "-append", kernelCommandLine(c), "-chardev",
            "file,id=con,path=" + e(c.consoleLog) + ",append=on", "-serial",
            "chardev:con", "-qmp",
            "unix:" + e(c.qmpSocket) + ",server=on,wait=off"});
  if (!c.stateDisk.empty()) {
    // cache=unsafe: the image lives only as long as the run, and a write
    // the guest made is in the host's page cache even if QEMU is killed.
    a.insert(a.end(),
             {"-drive",
              "if=none,id=state,format=raw,cache=unsafe,file=" + e(c.stateDisk),
              "-device", "virtio-blk-pci,drive=state,serial=rig-state"});
  }
  for (const QemuDisk& d : c.disks)
    a.insert(a.end(),
             {"-drive",
              "if=none,id=" + d.serial +
                  ",format=raw,cache=unsafe,file=" + e(d.file),
              "-device",
              "virtio-blk-pci,drive=" + d.serial + ",serial=" + d.serial});
  auto virtfs = [&](const std::string& path, const std::string& tag,
                    bool remap) {
    std::string v = "local,path=" + e(path) + ",mount_tag=" + e(tag) +
                    ",security_model=none,readonly=on";
    if (remap) v += ",multidevs=remap";
    a.insert(a.end(), {"-virtfs", v});
  };
  virtfs("/usr", "usr", true);
  virtfs("/etc", "etc", true);
  virtfs(c.configDir, "rigcfg", false);
  for (auto& s : c.shares) virtfs(s.hostPath, s.tag, true);
  a.insert(a.end(),
           {"-device", "virtio-serial-pci", "-chardev",
            "socket,id=agent,path=" + e(c.agentSocket) + ",server=on,wait=off",
            "-device", "virtserialport,chardev=agent,name=org.rig.agent"});
  if (!c.shellSocket.empty()) {
    // The guest's interactive root shell (runtime/guest/shell.h), for
    // `rig attach` and m.shell(); nothing listens until a client connects.
    a.insert(
        a.end(),
        {"-chardev",
         "socket,id=shell,path=" + e(c.shellSocket) + ",server=on,wait=off",
         "-device", "virtserialport,chardev=shell,name=org.rig.shell"});
  }
  for (auto& n : c.nics) {
    std::string id = "vlan" + std::to_string(n.vlan);
    a.insert(a.end(),
             {"-netdev", "vde,id=" + id + ",sock=" + e(n.switchDir), "-device",
              "virtio-net-pci,netdev=" + id + ",mac=" + n.mac});
  }
  return a;
}

}  // namespace rig::vm
