// An interactive root shell on the virtio-serial port `org.rig.shell` (for
// `m.shell()` and debugging). The port carries raw terminal bytes, no
// framing: whatever the host types goes to a shell on a pty, its output
// comes back. A session starts when the host sends its first byte and ends
// when the host disconnects (the shell gets SIGHUP) or the shell exits.
#ifndef RIG_RUNTIME_GUEST_SHELL_H
#define RIG_RUNTIME_GUEST_SHELL_H

#include <string>

namespace rig::guest {

inline constexpr const char* kShellPortName = "org.rig.shell";

// Serves shell sessions on `device` forever (returns only if it cannot be
// opened; `error` set).
bool runShellPort(const std::string& device, std::string& error);
// The same on a listening unix socket (container nodes): one session per
// accepted connection, one at a time.
bool runShellSocket(const std::string& socketPath, std::string& error);

}  // namespace rig::guest

#endif
