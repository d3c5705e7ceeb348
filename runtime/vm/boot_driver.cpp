// rig-vm-boot-driver RUNBASE: boots one test node under RUNBASE and waits
// forever. The cleanup test SIGKILLs it mid-boot and checks that no QEMU or
// vde_switch of the run survives (PR_SET_PDEATHSIG, vde_switch's stdin EOF).
#include <unistd.h>

#include <cstdio>

#include "runtime/vm/cluster.h"
#include "runtime/vm/e2e_node.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s RUNBASE\n", argv[0]);
    return 2;
  }
  std::vector<rig::plan::Node> nodes = {rig::vm::testing::webNode("delta", 4, {{"delta", 4}})};
  rig::vm::ClusterOptions o;
  o.suiteName = "cleanup";
  o.runDirBase = argv[1];
  o.keepRunDir = true;
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
  printf("booted\n");
  fflush(stdout);
  for (;;) pause();
}
