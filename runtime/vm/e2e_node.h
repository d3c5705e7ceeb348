// Test support: plan nodes built by hand for the end-to-end tests (no
// compiler involved). Header-only.
#ifndef RIG_RUNTIME_VM_E2E_NODE_H
#define RIG_RUNTIME_VM_E2E_NODE_H

#include <cstdio>
#include <string>

#include "runtime/plan/plan.h"
#include "runtime/vm/node_machine.h"

namespace rig::vm::testing {

// A node on vlan 1 at 192.168.1.N that serves `hello from NAME` with
// busybox httpd on port 8080 (unit web.service, wanted by rig.target).
inline plan::Node webNode(const std::string& name, int n,
                          const std::vector<std::pair<std::string, int>>& all) {
  plan::Node node;
  node.name = name;
  node.memoryBytes = 512ll << 20;
  char mac[32];
  snprintf(mac, sizeof mac, "52:54:00:01:%02x:01", n);
  node.vlans = {{1,
                 "192.168.1." + std::to_string(n),
                 24,
                 mac,
                 "fd00:1::" + std::to_string(n),
                 64,
                 {}}};
  for (auto& [other, m] : all)
    node.hosts.push_back({"192.168.1." + std::to_string(m), other});
  plan::Unit web;
  web.name = "web.service";
  web.content =
      "[Unit]\nDescription=rig test web server\n"
      "[Service]\nExecStart=/bin/busybox httpd -f -p 8080 -h /srv/www\n";
  web.wantedBy = {"rig.target"};
  node.units = {web};
  plan::File index;
  index.path = "/srv/www/index.html";
  index.content = "hello from " + name + "\n";
  node.files = {index};
  plan::User alice;
  alice.name = "alice";
  node.users = {alice};
  return node;
}

// The boot drivers' manual mode: prints the boot times of `m`, runs each
// command in it and prints its status and output.
inline void runCommands(NodeMachine& m, int count, char** commands) {
  printf("booted: spawn to agent %.3f s, to systemd up %.3f s\n",
         m.lastAgentMs() / 1000, m.lastBootMs() / 1000);
  fflush(stdout);
  for (int i = 0; i < count; ++i) {
    machine::ExecRequest req;
    req.command = commands[i];
    req.timeoutMs = 120'000;
    auto r = m.execute(req);
    if (!r) {
      printf("$ %s\nerror: %s\n", commands[i],
             llvm::toString(r.takeError()).c_str());
      continue;
    }
    printf("$ %s\n%s%s[status %d]\n", commands[i], r->stdoutText.c_str(),
           r->stderrText.c_str(), r->status);
  }
}

}  // namespace rig::vm::testing

#endif
