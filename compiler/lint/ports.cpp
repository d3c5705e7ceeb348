#include "compiler/lint/ports.h"

#include "compiler/lint/shell_text.h"
#include "compiler/lint/walk.h"

namespace rig::lint {

static bool isLoopback(llvm::StringRef host) {
  return host == "localhost" || host == "127.0.0.1";
}

// A port in a program that looks for it rather than connects to it: a
// grep pattern, an ss, netstat or lsof filter.
static bool inspects(llvm::StringRef program) {
  return program == "grep" || program == "egrep" || program == "fgrep" ||
         program == "ss" || program == "netstat" || program == "lsof";
}

static void scan(Context& ctx, const MachineCall& call, const ast::Expr& arg,
                 std::vector<PortUse>& out) {
  Const text = ctx.eval(arg, call.scope);
  if (!text.isString()) return;
  auto isHost = [&](llvm::StringRef h) {
    return isLoopback(h) || ctx.node(h) != nullptr;
  };
  for (const Endpoint& e : findEndpoints(text.text, isHost)) {
    if (inspects(programAt(text.text, e.begin))) continue;
    PortUse use;
    use.target = isLoopback(e.host) ? call.node : e.host;
    use.port = e.port;
    use.range = text.rangeOf(e.begin, e.length, arg.range);
    out.push_back(std::move(use));
  }
}

std::vector<PortUse> portsReached(Context& ctx, const MachineCall& call) {
  std::vector<PortUse> out;
  if (call.node.empty()) return out;
  llvm::StringRef m = call.method;
  if (m == "succeed" || m == "fail" || m == "execute" ||
      m == "wait_until_succeeds" || m == "wait_until_fails") {
    for (const ast::Arg& arg : call.call->args)
      if (arg.name.empty() && arg.value) scan(ctx, call, *arg.value, out);
  } else if (m == "http") {
    if (const ast::Expr* url = argument(*call.call, 1, "url"))
      scan(ctx, call, *url, out);
  }
  return out;
}

bool waitedPort(Context& ctx, const MachineCall& call, PortUse& out) {
  if (call.node.empty()) return false;
  const ast::Expr* port = argument(*call.call, 0, "port");
  if (!port) return false;
  Const p = ctx.eval(*port, call.scope);
  if (p.kind != Const::Kind::Int) return false;
  out.port = p.intValue;
  out.range = port->range;
  out.target = call.node;
  if (const ast::Expr* addr = argument(*call.call, 1, "addr")) {
    Const a = ctx.eval(*addr, call.scope);
    if (!a.isString()) return false;
    if (!isLoopback(a.text)) {
      if (!ctx.node(a.text)) return false;
      out.target = a.text;
    }
  }
  return true;
}

}  // namespace rig::lint
