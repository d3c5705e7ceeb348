// port-not-open (L0007): a node reaches a TCP port on another node whose
// firewall does not open it. Like NixOS, a node's firewall is on and closed
// unless `firewall { allow_tcp = [...] }` (or a module it uses) opens the
// port, so the request times out instead of reaching the service.
// `fail`, `execute` and `wait_until_fails` are not judged: a test may check
// on purpose that a port is closed.
#include <set>
#include <tuple>

#include "compiler/lint/ports.h"

namespace rig::lint {

void checkPortNotOpen(Context& ctx) {
  std::set<std::tuple<std::string, std::string, int64_t>> reported;
  ctx.forEachMachineCall([&](const MachineCall& call) {
    llvm::StringRef m = call.method;
    std::vector<PortUse> uses;
    if (m == "wait_for_open_port") {
      PortUse use;
      if (waitedPort(ctx, call, use)) uses.push_back(use);
    } else if (m == "succeed" || m == "wait_until_succeeds" || m == "http") {
      uses = portsReached(ctx, call);
    }
    for (const PortUse& use : uses) {
      if (use.target.empty() || use.target == call.node) continue;
      const NodeFacts* target = ctx.node(use.target);
      if (!target || !target->firewallEnabled()) continue;
      if (target->allowTcp.count(use.port) || !target->allowTcpComplete)
        continue;
      if (!reported.insert({call.node, use.target, use.port}).second) continue;
      ctx.emit(use.range, diag::Kind::PortNotOpen, call.node, use.port,
               use.target)
          .note(target->decl->nameRange,
                fmt::format("`{}` is declared here", use.target))
          .withHelp(fmt::format("open it in node `{}`: `firewall {{ allow_tcp "
                                "= [{}] }}`",
                                use.target, use.port));
    }
  });
}

}  // namespace rig::lint
