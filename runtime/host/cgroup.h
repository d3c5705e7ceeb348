// A cgroup of its own for a process rig starts (a container's
// systemd-nspawn): in every hierarchy rig's own process is in, a child of
// rig's cgroup. Two containers started by `--keep-unit --register=no` would
// otherwise share rig's cgroup, and their systemd instances would create
// and remove the same /system.slice/UNIT cgroups ("Failed to attach to
// cgroup /system.slice/sock.service", found by bench/soak with two runs at
// once).
#ifndef RIG_RUNTIME_HOST_CGROUP_H
#define RIG_RUNTIME_HOST_CGROUP_H

#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace rig::host {

// Makes the cgroup `name` under rig's own in each hierarchy (cgroup v1
// controllers, name=systemd, the unified one) and returns the
// `cgroup.procs` files a child writes "0" to before it execs
// (SpawnOptions::cgroupProcs). Best effort: a hierarchy where it cannot be
// made is left out (the process then stays in rig's cgroup there).
std::vector<std::string> makeChildCgroups(const std::string& name);

// Removes what makeChildCgroups made, with the cgroups made inside it since
// (a container's systemd makes its own), deepest first; nothing of a
// hierarchy where a process still runs in it (a kept container). Best
// effort.
void removeChildCgroups(const std::string& name);

// Removes every child cgroup of rig's whose name starts with `prefix` and
// in which no process runs (those of kept containers once stopped).
void removeIdleChildCgroups(llvm::StringRef prefix);

}  // namespace rig::host

#endif
