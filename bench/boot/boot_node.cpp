// rig-bench-boot [--container | --tmpfs-root] [GUEST]: boots one minimal
// node (no services) the way `rig run` does, as a VM or (--container) a
// systemd-nspawn container, and prints, as one JSON line, the milliseconds
// from spawning QEMU or systemd-nspawn to the agent's first answer and to
// systemd being up, and the whole start (`start_ms`: also what rig does
// before it spawns, such as making the state disk). --tmpfs-root boots the
// VM without its state disk (the writable layer a tmpfs), to measure the
// disk's cost. bench/boot/run calls it.
#include <chrono>
#include <cstdio>
#include <cstring>

#include "runtime/container/container_backend.h"
#include "runtime/host/process.h"
#include "runtime/vm/cluster.h"

int main(int argc, char** argv) {
  bool container = false, tmpfsRoot = false;
  while (argc > 1 && argv[1][0] == '-') {
    if (std::strcmp(argv[1], "--container") == 0) {
      container = true;
    } else if (std::strcmp(argv[1], "--tmpfs-root") == 0) {
      tmpfsRoot = true;
    } else {
      fprintf(stderr, "rig-bench-boot: unknown option %s\n", argv[1]);
      return 2;
    }
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
  options.stateDisks = !tmpfsRoot;
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
  auto start = std::chrono::steady_clock::now();
  if (llvm::Error e = (*cluster)->startAll(600'000)) {
    fprintf(stderr, "rig-bench-boot: %s\n",
            llvm::toString(std::move(e)).c_str());
    return 3;
  }
  double startMs = std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  auto* machine = (*cluster)->machine("bench");
  printf(
      "{\"agent_ms\": %.0f, \"systemd_ms\": %.0f, \"start_ms\": %.0f, "
      "\"accel\": \"%s\"}\n",
      machine->lastAgentMs(), machine->lastBootMs(), startMs,
      container                                      ? "container"
      : (*cluster)->accel() == rig::host::Accel::Kvm ? "kvm"
                                                     : "tcg");
  (*cluster)->stopAll();
  return 0;
}
