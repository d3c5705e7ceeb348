// Test support: plan nodes built by hand for the end-to-end tests (no
// compiler involved). Header-only.
#ifndef RIG_RUNTIME_VM_E2E_NODE_H
#define RIG_RUNTIME_VM_E2E_NODE_H

#include <string>

#include "runtime/plan/plan.h"

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
  node.vlans = {{1, "192.168.1." + std::to_string(n), 24, mac}};
  for (auto& [other, m] : all) node.hosts.push_back({"192.168.1." + std::to_string(m), other});
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

}  // namespace rig::vm::testing

#endif
