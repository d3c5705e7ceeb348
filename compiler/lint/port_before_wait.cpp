// port-before-wait (L0006): a command or request reaches a port before the
// test has waited for it to open. Booting and starting a service take
// seconds; the first request races them. Flow: the tests in file order (they
// share the machines), statements in order, a port counts as open after
// `wait_for_open_port` for it, after a `wait_until_succeeds` or `eventually`
// that reaches it, and until its node is rebooted, crashed or shut down.
// Branches are not told apart: a wait in either branch of an `if` counts.
#include <set>
#include <utility>

#include "compiler/lint/ports.h"
#include "compiler/lint/walk.h"

namespace rig::lint {

// Stands for "some node" in the set of waited ports; not a valid node name.
static const char kAnyNode[] = "*";

void checkPortBeforeWait(Context& ctx) {
  std::set<std::pair<std::string, int64_t>> open;
  ctx.forEachMachineCall([&](const MachineCall& call) {
    llvm::StringRef m = call.method;
    if (m == "wait_for_open_port" && call.node.empty()) {
      // `for m in [a, b] { m.wait_for_open_port(80) }`: the receiver is not
      // known here, so the port counts as waited for on every node.
      const ast::Expr* port = argument(*call.call, 0, "port");
      Const p = port ? ctx.eval(*port, call.scope) : Const();
      if (p.kind == Const::Kind::Int) open.insert({kAnyNode, p.intValue});
      return;
    }
    if (m == "wait_for_open_port" || m == "wait_for_closed_port") {
      PortUse waited;
      if (!waitedPort(ctx, call, waited)) return;
      if (m == "wait_for_open_port")
        open.insert({waited.target, waited.port});
      else
        open.erase({waited.target, waited.port});
      return;
    }
    if (m == "reboot" || m == "crash" || m == "shutdown") {
      for (auto it = open.begin(); it != open.end();)
        it = it->first == call.node ? open.erase(it) : std::next(it);
      return;
    }
    bool retried = call.retried || m == "wait_until_succeeds";
    if (!retried && m != "succeed" && m != "http") return;
    for (const PortUse& use : portsReached(ctx, call)) {
      if (use.target.empty()) continue;
      bool fresh = open.insert({use.target, use.port}).second;
      if (retried || !fresh || open.count({kAnyNode, use.port})) continue;
      // Reported once per port: the wait that fixes it fixes them all.
      ctx.emit(use.range, diag::Kind::PortBeforeWait, use.target, use.port)
          .withHelp(fmt::format("call `{}.wait_for_open_port({})` first: the "
                                "service may not be listening yet",
                                use.target, use.port));
    }
  });
}

}  // namespace rig::lint
