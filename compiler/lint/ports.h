// The TCP ports a machine operation connects to, for the port rules:
// `host:port` and URLs in the commands of `succeed`/`fail`/`execute`/
// `wait_until_*`, the URL of `http`, and `wait_for_open_port(port, addr)`.
#ifndef RIG_COMPILER_LINT_PORTS_H
#define RIG_COMPILER_LINT_PORTS_H

#include <string>
#include <vector>

#include "compiler/lint/context.h"

namespace rig::lint {

struct PortUse {
  std::string target;  // the node connected to
  int64_t port = 0;
  SourceRange range;  // where the host:port is written
};

// Ports reached by `call` (from call.node; `localhost` means call.node
// itself). Empty when the receiver is not known.
std::vector<PortUse> portsReached(Context& ctx, const MachineCall& call);

// The port and target node a `wait_for_open_port`/`wait_for_closed_port`
// call waits for; false when either is not known.
bool waitedPort(Context& ctx, const MachineCall& call, PortUse& out);

}  // namespace rig::lint

#endif
