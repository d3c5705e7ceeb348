// What rig leaves out of a guest's boot. A node boots the host's systemd
// to rig.target, which needs basic.target and so sysinit.target; under TCG
// every unit there costs a process, a mount or a module load on the node's
// single vCPU before the spec's first service can start. Some of them do
// nothing a rig node needs (stage 1 already loaded the modules, set up the
// network by MAC and made /dev; the root is a fresh tmpfs): those units are
// masked (a /dev/null symlink in /etc/systemd/system) and those generators
// masked in /etc/systemd/system-generators.
//
// A spec gets a group back by naming it: when a key of the group (e.g.
// `udev`, `random-seed`) appears in one of the node's unit files or kernel
// parameters, or in any string of the suite's tests, fns and lets (a
// `wait_for_unit("systemd-udevd.service")`, a `succeed("udevadm settle")`),
// the node keeps the whole group. docs/running.md lists the groups.
#ifndef RIG_RUNTIME_VM_BOOT_TRIM_H
#define RIG_RUNTIME_VM_BOOT_TRIM_H

#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/plan/plan.h"

namespace rig::vm {

// One group of units and generators that are masked or kept together.
struct TrimGroup {
  const char* name;
  std::vector<const char*> units;       // unit file names
  std::vector<const char*> generators;  // file names in system-generators/
  std::vector<const char*> keys;        // a mention of one keeps the group
};

// Every group rig masks by default.
llvm::ArrayRef<TrimGroup> trimGroups();

// What one node masks.
struct BootTrim {
  std::vector<std::string> units;
  std::vector<std::string> generators;
  std::vector<std::string> keptGroups;  // named by the spec, not masked
};

// The trim of `node`: every group except those whose keys appear in the
// node's units or kernel parameters or in `programText` (see
// programStrings()).
BootTrim bootTrimFor(const plan::Node& node, llvm::StringRef programText);

// Every string literal of the plan's tests, fns and globals, one per line:
// what the suite may name at run time.
std::string programStrings(const plan::Plan& plan);

}  // namespace rig::vm

#endif
