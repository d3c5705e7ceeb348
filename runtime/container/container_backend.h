// Container nodes in a vm::Cluster (runtime/vm/cluster.h): the run's network
// (run_network.h, created only when a container node has a vlan) and one
// ContainerMachine per node.
#ifndef RIG_RUNTIME_CONTAINER_CONTAINER_BACKEND_H
#define RIG_RUNTIME_CONTAINER_CONTAINER_BACKEND_H

#include <string>

#include "runtime/vm/node_machine.h"

namespace rig::container {

// `guestBinary`: rig-guest ("" = next to the running executable).
vm::NodeBackendFactory containerBackend(std::string guestBinary,
                                        bool quiet = true);

// What is missing for container nodes on this host ("" when they can run):
// systemd-nspawn, nsenter, unshare, ip, root.
std::string containersUnavailable();

}  // namespace rig::container

#endif
