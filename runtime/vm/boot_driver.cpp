// rig-vm-boot-driver RUNBASE [COMMAND...]: boots one test node (webNode
// "delta") under RUNBASE. Without commands it waits forever: the cleanup test
// SIGKILLs it mid-boot and checks that no QEMU or vde_switch of the run
// survives (PR_SET_PDEATHSIG, vde_switch's stdin EOF). With commands it runs
// each in the guest, prints status and output, and stops the VM (a manual
// check: `rig-vm-boot-driver /tmp/x hostname 'systemctl is-active web'`).
#include <unistd.h>

#include <cstdio>

#include "runtime/vm/cluster.h"
#include "runtime/vm/e2e_node.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s RUNBASE [COMMAND...]\n", argv[0]);
    return 2;
  }
  std::vector<rig::plan::Node> nodes = {rig::vm::testing::webNode("delta", 4, {{"delta", 4}})};
  rig::vm::ClusterOptions o;
  o.suiteName = "cleanup";
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
  auto* m = (*cluster)->machine("delta");
  printf("booted: spawn to agent %.1f s, to systemd up %.1f s\n", m->lastAgentMs() / 1000,
         m->lastBootMs() / 1000);
  fflush(stdout);
  if (argc == 2)
    for (;;) pause();
  for (int i = 2; i < argc; ++i) {
    rig::machine::ExecRequest req;
    req.command = argv[i];
    req.timeoutMs = 120'000;
    auto r = m->execute(req);
    if (!r) {
      printf("$ %s\nerror: %s\n", argv[i], llvm::toString(r.takeError()).c_str());
      continue;
    }
    printf("$ %s\n%s%s[status %d]\n", argv[i], r->stdoutText.c_str(), r->stderrText.c_str(),
           r->status);
  }
  return 0;
}
