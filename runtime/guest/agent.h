// The agent: serves the host over the virtio-serial port `org.rig.agent`
// (protocol: runtime/protocol/README.md). Each request runs on its own
// thread, so a long exec never blocks a port check.
#ifndef RIG_RUNTIME_GUEST_AGENT_H
#define RIG_RUNTIME_GUEST_AGENT_H

#include <functional>
#include <string>

#include "runtime/protocol/wire.h"

namespace rig::guest {

inline constexpr const char* kAgentPortName = "org.rig.agent";

// Finds /dev/vportNpM whose name is `portName`, waiting for it to appear.
// Returns "" after `timeoutMs` (<0 = forever).
std::string findVirtioPort(const std::string& portName, long timeoutMs);

// Answers one request (runs in the calling thread). Shutdown requests are
// answered first and acted on afterwards by a detached thread.
protocol::Message handleRequest(const protocol::Message& request);

// Serves on the device `devicePath` (or the found port when empty). Returns
// only on a fatal error (`error` set).
bool runAgent(const std::string& devicePath, std::string& error);

// Runs the agent in a child process and starts a new one whenever it ends
// (killed by the OOM killer, a test's kill -9): the host notices by the new
// `instance` in the hello answer. `serve` is one agent run (runAgent on the
// virtio-serial port, runAgentOnSocket in a container), called again after
// it fails. Never returns; forks before any thread starts.
[[noreturn]] void superviseAgent(
    const std::function<bool(std::string&)>& serve);

// A container node's agent: listens on the unix socket `socketPath` (a
// directory the host binds into the container) and serves one host
// connection at a time, the same protocol as on the virtio-serial port.
bool runAgentOnSocket(const std::string& socketPath, std::string& error);

// A listening unix socket at `path` (replacing a stale one), or -1.
int listenUnix(const std::string& path, std::string& error);

}  // namespace rig::guest

#endif
