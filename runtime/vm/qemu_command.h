// The QEMU command line of one node (the contract with rig-guest is in
// README.md of this folder). Pure: unit-tested.
//
// Power semantics: QEMU runs with `-no-reboot`, so any guest reset (a
// `reboot` in the guest, a triple fault, a panic with panic=-1) ends QEMU
// like a power-off. rig's reboot is therefore "shutdown, then start":
// nodes have no disk, so a fresh boot is what a reboot gives anyway, and an
// exit is the one signal the host has to watch for.
#ifndef RIG_RUNTIME_VM_QEMU_COMMAND_H
#define RIG_RUNTIME_VM_QEMU_COMMAND_H

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/host/accel.h"

namespace rig::vm {

struct QemuNic {
  int64_t vlan = 1;
  std::string mac;
  std::string switchDir;  // RUNDIR/vlanN.ctl (vde_switch -s)
};

struct QemuShare {
  std::string tag;       // 9p mount tag
  std::string hostPath;  // exported read-only
};

// An extra disk (`disk` in a node): the guest finds it by its serial.
struct QemuDisk {
  std::string serial;  // "rig-disk0"
  std::string file;    // RUNDIR/NODE/disk0.img
};

struct QemuConfig {
  std::string qemu = "qemu-system-x86_64";
  std::string name;
  host::Accel accel = host::Accel::Tcg;
  int64_t memoryBytes = 512ll << 20;
  int64_t cpus = 1;
  std::string kernel;
  std::string initrd;
  std::string bootTarget = "rig.target";
  std::vector<std::string> kernelParams;  // appended after rig's own
  bool quiet = true;
  std::string consoleLog;   // RUNDIR/NODE/console.log
  std::string qmpSocket;    // RUNDIR/NODE/qmp.sock
  std::string agentSocket;  // RUNDIR/NODE/agent.sock
  std::string
      shellSocket;        // RUNDIR/NODE/shell.sock (org.rig.shell, rig attach)
  std::string configDir;  // RUNDIR/NODE/config (9p tag rigcfg)
  // RUNDIR/NODE/state.img: the node's writable layer, an ext4 image made
  // on the host, the guest's first disk (/dev/vda); "" keeps it in RAM.
  std::string stateDisk;
  std::vector<QemuDisk> disks;
  std::vector<QemuNic> nics;
  std::vector<QemuShare> shares;  // prepared state (overlay directives)
};

std::string kernelCommandLine(const QemuConfig& c);
std::vector<std::string> qemuCommandLine(const QemuConfig& c);

// QEMU's option syntax doubles commas inside a value.
std::string escapeQemuValue(const std::string& value);

}  // namespace rig::vm

#endif
