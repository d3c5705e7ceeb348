// rig-bench-boot [--container] [GUEST]: boots one minimal node (no services)
// the way `rig run` does, as a VM or (--container) a systemd-nspawn
// container, and prints, as one JSON line, the milliseconds from spawning
// QEMU or systemd-nspawn to the agent's first answer and to systemd being
// up. bench/boot/run calls it.
#include <cstdio>
#include <cstring>

#include "runtime/container/container_backend.h"
#include "runtime/host/process.h"
#include "runtime/vm/cluster.h"

int main(int argc, char** argv) {
  bool container = argc > 1 && std::strcmp(argv[1], "--container") == 0;
  if (container) {
    --argc;
    ++argv;
  }
  rig::host::installSignalHandlers();
  rig::plan::Node node;
  node.name = "bench";
  node.vlans = {
      {1, "192.168.1.1", 24, "52:54:00:01:01:01", "fd00:1::1", 64, {}}};
  node.hosts = {{"192.168.1.1", "bench"}};
  rig::vm::ClusterOptions options;
  options.suiteName = "bench-boot";
  if (argc > 1) options.guestBinary = argv[1];
  if (container) {
    node.backend = "container";
    options.containers = rig::container::containerBackend(options.guestBinary);
  }
  auto cluster = rig::vm::Cluster::create({node}, options);
  if (!cluster) {
    fprintf(stderr, "rig-bench-boot: %s\n",
            llvm::toString(cluster.takeError()).c_str());
    return 3;
  }
  if (llvm::Error e = (*cluster)->startAll(600'000)) {
    fprintf(stderr, "rig-bench-boot: %s\n",
            llvm::toString(std::move(e)).c_str());
    return 3;
  }
  auto* machine = (*cluster)->machine("bench");
  printf("{\"agent_ms\": %.0f, \"systemd_ms\": %.0f, \"accel\": \"%s\"}\n",
         machine->lastAgentMs(), machine->lastBootMs(),
         container                                      ? "container"
         : (*cluster)->accel() == rig::host::Accel::Kvm ? "kvm"
                                                        : "tcg");
  (*cluster)->stopAll();
  return 0;
}
