// The systemd-nspawn command line of one container node (README.md in this
// folder). Pure: unit-tested.
//
// The container's root is what a VM's stage 1 builds: the node's writable
// layer (a directory in the run directory, RUNDIR/NODE/root, kept across
// shutdown/start within the run as a VM's state disk is), the host's /usr
// read-only, /etc an overlay over the host's (upper in RUNDIR/NODE/etc.upper,
// kept too), merged-usr links. rig-guest runs as PID 1
// (`container-init`): it masks the host's secrets, applies the node config
// (bound at /.rig/config), forks the agent (socket in /.rig/host) and execs
// systemd with `systemd.unit=TARGET`, which systemd honours from argv in a
// container.
#ifndef RIG_RUNTIME_CONTAINER_NSPAWN_COMMAND_H
#define RIG_RUNTIME_CONTAINER_NSPAWN_COMMAND_H

#include <string>
#include <utility>
#include <vector>

namespace rig::container {

struct NspawnConfig {
  std::string nspawn = "systemd-nspawn";
  // Runs systemd-nspawn inside this network namespace (/proc/PID/ns/net of
  // the run's namespace holder), "" = rig's own (then the container still
  // gets a private network namespace of its own).
  std::string netnsPath;
  std::string machineName;  // unique on the host (nspawn keys its state on it)
  std::string guestBinary;  // rig-guest on the host, bound at /.rig/rig-guest
  std::string rootDir;      // RUNDIR/NODE/root: the writable root
  std::string etcUpper;     // RUNDIR/NODE/etc.upper: /etc's writable layer
  std::string configDir;    // RUNDIR/NODE/config
  std::string hostDir;      // RUNDIR/NODE/host: agent.sock, shell.sock
  std::vector<std::pair<std::string, std::string>> shares;  // tag, host dir
  std::string bootTarget = "rig.target";
  bool quiet = true;
};

std::vector<std::string> nspawnCommandLine(const NspawnConfig& c);

// `name` made a valid machine name (letters, digits, `-`; at most 64).
std::string machineNameFor(const std::string& name);

}  // namespace rig::container

#endif
