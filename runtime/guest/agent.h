// The agent: serves the host over the virtio-serial port `org.rig.agent`
// (protocol: runtime/protocol/README.md). Each request runs on its own
// thread, so a long exec never blocks a port check.
#ifndef RIG_RUNTIME_GUEST_AGENT_H
#define RIG_RUNTIME_GUEST_AGENT_H

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
// `instance` in the hello answer. Never returns; forks before any thread
// starts.
[[noreturn]] void superviseAgent();

}  // namespace rig::guest

#endif
