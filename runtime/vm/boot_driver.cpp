// rig-vm-boot-driver [--containers] RUNBASE [COMMAND...]: boots one test node
// (webNode "delta") under RUNBASE, or with --containers two (webNode "alpha"
// and "beta" on vlan 1) as systemd-nspawn containers (runtime/container).
// Without commands it waits forever: the cleanup tests SIGKILL it mid-boot
// and check that nothing of the run survives (QEMU, vde_switch; the
// namespace holder, systemd-nspawn, the containers). With commands it runs
// each in the first node, prints status and output, and stops the machines
// (a manual check: `rig-vm-boot-driver /tmp/x hostname 'systemctl is-active web'`).
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "runtime/container/container_backend.h"
#include "runtime/vm/cluster.h"
#include "runtime/vm/e2e_node.h"

int main(int argc, char** argv) {
  bool containers = argc > 1 && std::strcmp(argv[1], "--containers") == 0;
  if (containers) {
    --argc;
    ++argv;
  }
  if (argc < 2) {
    fprintf(stderr,
            "usage: rig-vm-boot-driver [--containers] RUNBASE [COMMAND...]\n");
    return 2;
  }
  std::vector<rig::plan::Node> nodes = {
      rig::vm::testing::webNode("delta", 4, {{"delta", 4}})};
  rig::vm::ClusterOptions o;
  o.suiteName = "cleanup";
  if (containers) {
    std::vector<std::pair<std::string, int>> all = {{"alpha", 11},
                                                    {"beta", 12}};
    nodes.clear();
    for (auto& [name, n] : all) {
      nodes.push_back(rig::vm::testing::webNode(name, n, all));
      nodes.back().backend = "container";
    }
    o.suiteName = "ct";
    o.containers = rig::container::containerBackend("");
  }
  o.runDirBase = argv[1];
  o.keepRunDir = argc == 2;
  auto cluster = rig::vm::Cluster::create(nodes, o);
  if (!cluster) {
    fprintf(stderr, "%s\n", llvm::toString(cluster.takeError()).c_str());
    return 3;
  }
  printf("run dir %s\n", (*cluster)->runDir().c_str());
  fflush(stdout);
  llvm::Error err = (*cluster)->startAll(600'000);
  if (err) {
    fprintf(stderr, "%s\n", llvm::toString(std::move(err)).c_str());
    return 3;
  }
  rig::vm::testing::runCommands(*(*cluster)->machine(nodes.front().name),
                                argc - 2, argv + 2);
  if (argc == 2)
    for (;;) pause();
  return 0;
}
